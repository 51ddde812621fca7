#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every test of socind from the repository root:
#   1. build with -Wall -Wextra -Werror and run the cmocka suite (ctest);
#   2. build again under AddressSanitizer + UndefinedBehaviorSanitizer and
#      run the suite again;
#   3. install into a temporary prefix, check that only socind_* symbols are
#      exported, and build and run the example against the installed package
#      with pkg-config and with CMake's find_package;
#   4. run the installed socind command on the installed sample;
#   5. check the bundled sample against its generator;
#   6. run the Python binding's pytest suite (when the binding is present).
# The command's own tests (tests/cli, pytest) run inside ctest, in both builds.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

echo "== build (-Werror) and test =="
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCIND_WERROR=ON >/dev/null
cmake --build build-ci -j"$jobs"
ctest --test-dir build-ci --output-on-failure -j"$jobs"

echo "== build under ASan + UBSan and test =="
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSOCIND_WERROR=ON -DSOCIND_SANITIZE=ON \
      -DSOCIND_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"

echo "== install, exported symbols, examples against the installed package =="
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install build-ci --prefix "$prefix" >/dev/null
libdir="$prefix/lib"
[ -d "$libdir" ] || libdir=$(dirname "$(find "$prefix" -name 'libsocind.so' | head -1)")
objdump -p "$libdir/libsocind.so" | grep -q 'SONAME *libsocind.so.0' || { echo "SONAME is not libsocind.so.0"; exit 1; }
bad=$(nm -D --defined-only "$libdir/libsocind.so" | awk '{print $3}' | grep -v '^socind_' || true)
if [ -n "$bad" ]; then echo "exported symbols without the socind_ prefix:"; echo "$bad"; exit 1; fi
echo "exported symbols: $(nm -D --defined-only "$libdir/libsocind.so" | wc -l), all socind_*"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
for src in examples/*.c; do
  exe="$prefix/$(basename "$src" .c)"
  # shellcheck disable=SC2046
  cc -std=c11 -Wall -Wextra -Werror "$src" $(pkg-config --cflags socind) $(pkg-config --libs socind) -o "$exe"
  args=()
  case "$src" in
    *stunting_table.c) args=(data/sample/children.csv) ;;
    *inequality_report.c) args=(data/sample/households.csv 2024) ;;
  esac
  LD_LIBRARY_PATH="$libdir" "$exe" "${args[@]}" >/dev/null
  echo "example $(basename "$src"): built with pkg-config and ran"
done
cmake -S examples -B "$prefix/build-examples" -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$prefix/build-examples" >/dev/null
"$prefix/build-examples/weighted_mean" >/dev/null
"$prefix/build-examples/growth_zscores" >/dev/null
"$prefix/build-examples/poverty_by_district" >/dev/null
"$prefix/build-examples/stunting_table" data/sample/children.csv >/dev/null
"$prefix/build-examples/inequality_report" data/sample/households.csv 2023 >/dev/null
echo "examples: built with find_package(socind) and ran"
# the installed command finds its library and the installed sample
(cd "$prefix" && "$prefix/bin/socind" --version && "$prefix/bin/socind" report >/dev/null)
echo "installed socind command: runs the report on the installed sample"

echo "== the bundled sample is what its generator makes =="
/usr/bin/python3 data/sample/generate.py "$prefix"
cmp "$prefix/households.csv" data/sample/households.csv
cmp "$prefix/children.csv" data/sample/children.csv
echo "data/sample: regenerated identically"

if [ -d bindings/python/tests ]; then
  echo "== Python binding (pytest) =="
  SOCIND_LIBRARY="$PWD/build-ci/libsocind.so" PYTHONPATH="$PWD/bindings/python" \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider bindings/python/tests
  echo "== Python binding installed with pip (no network, no build isolation) =="
  /usr/bin/python3 -m pip install -q --no-build-isolation --no-deps --target "$prefix/py" \
    bindings/python 2>/dev/null
  rm -rf bindings/python/build bindings/python/*.egg-info
  (cd "$prefix" && SOCIND_LIBRARY="$libdir/libsocind.so" PYTHONPATH="$prefix/py" \
    /usr/bin/python3 -c 'import socind; print("installed socind", socind.version(), "imports and runs:", socind.mean([1.0, 2.0]).value)')
fi
echo "all tests passed"
