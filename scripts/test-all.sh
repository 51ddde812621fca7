#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs every test of socind from the repository root:
#   1. check the formatting of the tracked C sources (clang-format
#      --dry-run -Werror, the repository's .clang-format);
#   2. build with -Wall -Wextra -Werror and run the cmocka suite (ctest);
#   3. build again under AddressSanitizer + UndefinedBehaviorSanitizer (-O1)
#      with gcov line coverage, run the suite again (the command's slowest
#      matrices with fewer cases, SOCIND_CLI_QUICK; the command's streaming
#      matrix, test_cli_stream, left out for CI's time: it runs in step 2,
#      and the partial states it drives run under the sanitizers in the C
#      suites and the fuzz replays) and print lib/'s coverage (a per-file
#      table, then one summary line);
#   4. install into a temporary prefix, check that only socind_* symbols are
#      exported and that the installed libraries hold no test switch (their
#      only thread-local symbols are the error detail's), check the ABI
#      against abi/libsocind.abi (scripts/abi-check.sh, docs/abi.md), and
#      build and run the example against the installed package with
#      pkg-config and with CMake's find_package;
#   5. run the installed socind command on the installed sample;
#   6. check the bundled sample against its generator;
#   7. run the Python binding's pytest suite (when the binding is present);
#   8. build the library and the tests with clang (-Werror) and run ctest
#      (the command's pytest suites left out: they run in steps 2 and 3);
#   9. build the library and the programs of the ctest entries labelled
#      "threads" under ThreadSanitizer and run them (test_threads, 8
#      threads sharing one design, the partial states' and the estimators'
#      thread paths; in the files built with tests/test_split.h only their
#      tests that start threads — every build checks each test against its
#      listing);
#  10. run each libFuzzer harness of tests/fuzz for FUZZ_SECONDS (default
#      5; 0 skips) with clang (bench/fuzz.sh: ASan + UBSan, executions and
#      coverage per harness); skipped, saying so, without clang.
# The builds of steps 3, 8 and 9 are only tested, never installed: they
# compile the library once, test switches in (-DSOCIND_ONE_LIBRARY=ON).
# The command's own tests (tests/cli, pytest) run inside ctest, in the -Werror
# and ASan builds;
# so do the fuzz harnesses' corpus replays (fuzz_replay_*) in every build.
# Each stage prints its time; the whole run must stay under 20 minutes on
# 2 cores (CI's limit).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
t_start=$(date +%s)
t_stage=$t_start
stage_time() {
  local now
  now=$(date +%s)
  echo "-- $1: $((now - t_stage)) s"
  t_stage=$now
}

echo "== formatting of the tracked C sources (clang-format --dry-run -Werror) =="
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z '*.c' '*.h' | xargs -0 clang-format --dry-run -Werror
  echo "formatted: $(git ls-files '*.c' '*.h' | wc -l) files"
else
  find lib include cli tests bench examples tools -name '*.[ch]' -print0 |
    xargs -0 clang-format --dry-run -Werror
  echo "formatted: the C sources (not a git checkout)"
fi
stage_time "formatting"

echo "== build (-Werror) and test =="
cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCIND_WERROR=ON >/dev/null
cmake --build build-ci -j"$jobs"
ctest --test-dir build-ci --output-on-failure -j"$jobs"
stage_time "build (-Werror) and test"

echo "== build under ASan + UBSan with line coverage, test, coverage of lib/ =="
# -O1: a third of -O0's time under the sanitizers, asserts kept (Debug).
# gcov's counters in single (not atomic) updates: ASan turns each atomic
# update into a call, 10x slower; a race between threads can only lose a
# count (and make gcov print a branch's count below 0, which gcovr is told
# to pass over), never hide a line that ran.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-O1 -g" \
      -DSOCIND_WERROR=ON -DSOCIND_SANITIZE=ON -DSOCIND_COVERAGE=ON -DSOCIND_COVERAGE_UPDATE=single \
      -DSOCIND_ONE_LIBRARY=ON -DSOCIND_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$jobs"
find build-asan -name '*.gcda' -delete  # no counts from an earlier run
# Each process writes its counts at exit, the command's tests start it
# thousands of times: on a file system in memory (/dev/shm, GCOV_PREFIX)
# that takes 6 ms a process, 19 ms in the build directory on ext4; the
# counts are copied back for gcovr
gcov_dir=""
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  gcov_dir=$(mktemp -d /dev/shm/socind-gcov.XXXXXX)
  trap 'rm -rf "$gcov_dir"' EXIT
fi
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  env ${gcov_dir:+GCOV_PREFIX="$gcov_dir"} ctest --test-dir build-asan --output-on-failure -j"$jobs" \
  -E '^test_cli_stream$'
if [ -n "$gcov_dir" ]; then
  # each count file sits under the prefix at its object's absolute path
  (cd "$gcov_dir" && find . -name '*.gcda' -print0 | xargs -0 -r cp --parents -t /)
  rm -rf "$gcov_dir"
fi
gcovr --root . --filter 'lib/' --object-directory build-asan --gcov-ignore-parse-errors \
      --txt build-asan/coverage.txt --print-summary >build-asan/coverage-summary.txt \
      2>build-asan/gcovr.log || { cat build-asan/gcovr.log; exit 1; }
cat build-asan/coverage.txt
lines=$(sed -n 's/^lines: *//p' build-asan/coverage-summary.txt)
echo "coverage of lib/: lines ${lines:?gcovr gave no line summary}"
stage_time "ASan + UBSan, coverage"

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
# no test switch in the installed libraries (lib/internal.h: compiled in
# only with SOCIND_TESTING): their only thread-local symbols are status.c's
for f in "$libdir/libsocind.so" "$libdir/libsocind.a"; do
  tls=$(readelf -sW "$f" | awk '$4 == "TLS" {print $8}' | sort -u | tr '\n' ' ')
  if [ "$tls" != "detail detail_row " ]; then
    echo "thread-local symbols of $(basename "$f"): ${tls}(expected: detail detail_row)"
    exit 1
  fi
done
echo "installed libraries: no test switch (thread-local: detail, detail_row)"
bash scripts/abi-check.sh "$prefix"
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
# socind.pc's rpath variable: the program finds the library with no
# LD_LIBRARY_PATH (README: "Finding libsocind at run time")
# shellcheck disable=SC2046
cc -std=c11 -Wall -Wextra -Werror examples/weighted_mean.c $(pkg-config --cflags --libs socind) \
  $(pkg-config --variable=rpath socind) -o "$prefix/weighted_mean_rpath"
env -u LD_LIBRARY_PATH "$prefix/weighted_mean_rpath" >/dev/null
echo "example weighted_mean.c: built with socind.pc's rpath and ran without LD_LIBRARY_PATH"
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
stage_time "install, symbols, examples"

echo "== the bundled sample is what its generator makes =="
/usr/bin/python3 data/sample/generate.py "$prefix"
cmp "$prefix/households.csv" data/sample/households.csv
cmp "$prefix/children.csv" data/sample/children.csv
echo "data/sample: regenerated identically"
stage_time "sample"

if [ -d bindings/python/tests ]; then
  echo "== Python binding (pytest) =="
  SOCIND_LIBRARY="$PWD/build-ci/libsocind.so" PYTHONPATH="$PWD/bindings/python" \
    SOCIND_STRUCT_LAYOUT="$PWD/build-ci/tests/struct_layout" \
    /usr/bin/python3 -m pytest -q -p no:cacheprovider bindings/python/tests
  echo "== Python binding installed with pip (no network, no build isolation) =="
  /usr/bin/python3 -m pip install -q --no-build-isolation --no-deps --target "$prefix/py" \
    bindings/python 2>/dev/null
  rm -rf bindings/python/build bindings/python/*.egg-info
  (cd "$prefix" && SOCIND_LIBRARY="$libdir/libsocind.so" PYTHONPATH="$prefix/py" \
    /usr/bin/python3 -c 'import socind; print("installed socind", socind.version(), "imports and runs:", socind.mean([1.0, 2.0]).value)')
  stage_time "Python binding"
fi

echo "== build with clang (-Werror) and test =="
if command -v clang >/dev/null; then
  CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCIND_WERROR=ON \
        -DSOCIND_ONE_LIBRARY=ON -DSOCIND_BUILD_BENCH=OFF >/dev/null
  cmake --build build-clang -j"$jobs"
  # the command's pytest suites run in the -Werror and ASan builds
  ctest --test-dir build-clang --output-on-failure -j"$jobs" -E '^test_cli(_stream)?$'

  stage_time "clang"
else
  echo "clang is not installed (scripts/install-deps.sh)"
  exit 1
fi

echo "== build under ThreadSanitizer and test =="
# GCC's TSan, so the AVX-512 paths run under it too; the command (one
# thread, and its pytest suite loads the library into Python) is left out
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCIND_WERROR=ON -DSOCIND_TSAN=ON \
      -DSOCIND_BUILD_CLI=OFF -DSOCIND_BUILD_BENCH=OFF -DSOCIND_ONE_LIBRARY=ON >/dev/null
# only the programs of the entries labelled "threads" (ctest lists them
# from the configured tree)
mapfile -t tsan_tests < <(ctest --test-dir build-tsan -N -L threads | sed -n 's/^ *Test *#[0-9]*: //p')
[ ${#tsan_tests[@]} -gt 0 ] || { echo "no ctest entry is labelled threads"; exit 1; }
cmake --build build-tsan -j"$jobs" --target "${tsan_tests[@]}"
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir build-tsan --output-on-failure -j"$jobs" -L threads
stage_time "ThreadSanitizer"

fuzz_seconds=${FUZZ_SECONDS:-5}
if [ "$fuzz_seconds" = 0 ]; then
  echo "== libFuzzer harnesses: skipped (FUZZ_SECONDS=0) =="
elif ! command -v clang >/dev/null; then
  echo "== libFuzzer harnesses: skipped, clang is not installed (scripts/install-deps.sh) =="
else
  echo "== libFuzzer harnesses, ${fuzz_seconds} s each (bench/fuzz.sh) =="
  bash bench/fuzz.sh "$fuzz_seconds"
  stage_time "fuzzing"
fi
echo "total: $(($(date +%s) - t_start)) s"
echo "all tests passed"
