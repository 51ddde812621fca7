#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# socind's main job on the bundled sample, from a fresh machine: installs the
# missing Debian packages, builds and installs socind into build/prefix, and
# prints the brief of the synthetic Musi Banyuasin survey (Markdown) with the
# installed `socind report`; the same brief as a self-contained HTML page
# goes to build/brief.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
cmake --install build --prefix "$PWD/build/prefix" >/dev/null
./build/prefix/bin/socind report --html build/brief.html
echo "(the same brief with charts: build/brief.html)" >&2
