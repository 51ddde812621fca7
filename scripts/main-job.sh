#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# socind's main job on the bundled sample, from a fresh machine: installs the
# missing Debian packages, builds and installs the library into build/prefix,
# builds the examples against the installed package, and prints the
# inequality and nutrition tables of the synthetic Musi Banyuasin survey.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
cmake --install build --prefix "$PWD/build/prefix" >/dev/null
export PKG_CONFIG_PATH="$PWD/build/prefix/lib/pkgconfig"
for ex in inequality_report stunting_table; do
  # shellcheck disable=SC2046
  cc -std=c11 -O2 "examples/$ex.c" $(pkg-config --cflags --libs socind) -o "build/$ex"
done
export LD_LIBRARY_PATH="$PWD/build/prefix/lib"
echo "# Musi Banyuasin (synthetic sample): inequality of per-capita expenditure, 2024"
./build/inequality_report data/sample/households.csv 2024
echo
echo "# Musi Banyuasin (synthetic sample): nutrition of children under five, 2024 (percent)"
./build/stunting_table data/sample/children.csv
