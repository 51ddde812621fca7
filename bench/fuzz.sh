#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the libFuzzer harnesses of tests/fuzz for a while and prints, per
# harness, the executions, executions per second and libFuzzer's coverage
# (cov: edges reached, ft: features) — from the repository root:
#
#   bash bench/fuzz.sh [SECONDS] [HARNESS...]      (default: 60 s, all)
#   bash bench/fuzz.sh 600 estimators              ten minutes, one harness
#   FUZZ_MERGE=1 bash bench/fuzz.sh 3600           keep what was found: the
#                                                  inputs that reach new
#                                                  edges join tests/fuzz/
#                                                  corpus/<name>/
#
# Harnesses: estimators, csv, readstat, partial_state. Each starts from its committed corpus
# (tests/fuzz/corpus/<name>/, read only: new inputs go to a scratch corpus
# under the build directory unless FUZZ_MERGE=1). Up to $(nproc) harnesses
# run at once (FUZZ_JOBS to change). Builds build-fuzz/ with clang
# (-DSOCIND_FUZZ=ON: libFuzzer + ASan + UBSan) first; FUZZ_BUILD_DIR names
# another. A crash, leak, timeout (10 s an input) or broken contract stops
# that harness; its input is kept as build-fuzz/fuzz-artifacts/<name>/crash-*
# (replay it: build-fuzz/tests/fuzz/fuzz_<name> FILE) and the script exits 1.
# scripts/test-all.sh runs it for a short time on every test run.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(estimators csv readstat partial_state)
build=${FUZZ_BUILD_DIR:-build-fuzz}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}

command -v clang >/dev/null || { echo "fuzz.sh: clang is needed (Debian: clang libclang-rt-14-dev)"; exit 1; }
CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCIND_FUZZ=ON \
  -DSOCIND_BUILD_BENCH=OFF >/dev/null
targets=()
for h in "${harnesses[@]}"; do targets+=("fuzz_$h"); done
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >/dev/null

max_len() {
  case $1 in
    estimators) echo 2048 ;;
    csv) echo 4096 ;;
    *) echo 8192 ;;
  esac
}

work="$build/fuzz-work"
rm -rf "$work"
mkdir -p "$work"
run_one() {
  local h=$1 out="$work/$1" art="$build/fuzz-artifacts/$1"
  mkdir -p "$out/corpus" "$art"
  rm -f "$art"/*
  # libFuzzer + ASan/LSan/UBSan: the first directory gets the new inputs
  "$build/tests/fuzz/fuzz_$h" -max_total_time="$secs" -timeout=10 -max_len="$(max_len "$h")" \
    -print_final_stats=1 -artifact_prefix="$art/" "$out/corpus" "tests/fuzz/corpus/$h" \
    >"$out/log" 2>&1
}

pids=()
names=()
for h in "${harnesses[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do sleep 1; done
  run_one "$h" &
  pids+=($!)
  names+=("$h")
done
status=0
for i in "${!pids[@]}"; do
  h=${names[$i]}
  rc=0
  wait "${pids[$i]}" || rc=$?
  log="$work/$h/log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p' <<<"$last")
  printf 'fuzz_%-11s %5s s  %9s execs  %6s execs/s  cov: %-5s ft: %-6s corpus %s (+%s)' \
    "$h" "$secs" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${added:-0}"
  if [ "$rc" -ne 0 ]; then
    status=1
    echo "  FAILED (exit $rc)"
    grep -E 'contract violated|ERROR: |runtime error|SUMMARY' "$log" | head -5 | sed 's/^/    /'
    for f in "$build/fuzz-artifacts/$h"/*; do [ -e "$f" ] && echo "    reproducer: $f"; done
    echo "    full log: $log"
  else
    echo "  ok"
  fi
  if [ "${FUZZ_MERGE:-0}" = 1 ] && [ "$rc" -eq 0 ]; then
    # what adds edge coverage (hit counts and comparisons aside, to keep the
    # corpus small) joins the committed corpus; nothing already there goes
    local_before=$(ls "tests/fuzz/corpus/$h" | wc -l)
    "$build/tests/fuzz/fuzz_$h" -merge=1 -use_counters=0 -use_cmp=0 -max_len="$(max_len "$h")" \
      "tests/fuzz/corpus/$h" "$work/$h/corpus" >"$work/$h/merge.log" 2>&1
    echo "    merged: tests/fuzz/corpus/$h $local_before -> $(ls "tests/fuzz/corpus/$h" | wc -l)" \
         "inputs, $(( $(cat "tests/fuzz/corpus/$h"/* | wc -c) / 1024 )) KB"
  fi
done
exit $status
