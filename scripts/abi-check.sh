#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The ABI check: the installed libsocind.so against the committed baseline
# abi/libsocind.abi (docs/abi.md says when and how it may change).
#
#   bash scripts/abi-check.sh [PREFIX]           check
#   bash scripts/abi-check.sh --update [PREFIX]  rewrite the baseline (on purpose)
#
# PREFIX is an installed socind built with debug information (the test
# command's RelWithDebInfo build-ci installed); without it, build-ci is
# configured, built and installed into a temporary prefix first.
# The check: abidw (libabigail) describes the library — its exported
# functions and variables and the types they reach in the public headers —
# and abidiff compares that with the baseline; any difference (a function
# added, removed or changed, a struct's size or a field's offset, the
# SONAME) is printed and fails the check. Then tests/abi/struct_layout.c,
# compiled against the installed headers, must print every public struct
# and field of that description at the same offsets (tests/abi/check_layout.py).
set -euo pipefail
cd "$(dirname "$0")/.."
baseline=abi/libsocind.abi
update=0
if [ "${1:-}" = "--update" ]; then
  update=1
  shift
fi
for tool in abidw abidiff; do
  command -v "$tool" >/dev/null || { echo "abi-check: $tool not found (Debian: abigail-tools; scripts/install-deps.sh)"; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=${1:-}
if [ -z "$prefix" ]; then
  cmake -S . -B build-ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSOCIND_WERROR=ON >/dev/null
  cmake --build build-ci -j"$(nproc 2>/dev/null || echo 2)" >/dev/null  # the install needs every installed target
  prefix=$tmp/prefix
  cmake --install build-ci --prefix "$prefix" >/dev/null
fi
lib=$(find "$prefix" -name 'libsocind.so.[0-9]*' -type f | head -1)
[ -n "$lib" ] || { echo "abi-check: no libsocind.so.N under $prefix"; exit 1; }
incdir=$(dirname "$(find "$prefix" -path '*/include/socind/socind.h' | head -1)")
if ! readelf -S "$lib" | grep -q '\.debug_info'; then
  echo "abi-check: $lib has no debug information; build it RelWithDebInfo (or Debug)"
  exit 1
fi

# the description: public types only, no paths or line numbers (each
# translation unit keeps its file's name), type ids that do not move when
# an unrelated type is added
abidw --no-corpus-path --no-comp-dir-path --no-show-locs --type-id-style hash \
      --headers-dir "$incdir" --drop-private-types "$lib" |
  sed -E "s#(<abi-instr [^>]*path=')[^']*/([^/']+')#\1\2#" >"$tmp/current.abi"
/usr/bin/python3 - "$tmp/current.abi" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
funcs = [s.get("name") for s in root.iter("elf-symbol") if s.get("type") == "func-type"]
est = [c for c in root.iter("class-decl") if c.get("name") == "socind_estimate" and c.get("size-in-bits")]
if not funcs or not est:
    sys.exit("abi-check: abidw's description lacks the functions or socind_estimate's layout")
PY

if [ "$update" = 1 ]; then
  mkdir -p abi
  cp "$tmp/current.abi" "$baseline"
  echo "abi-check: wrote $baseline from $lib ($(grep -c "<elf-symbol " "$baseline") symbols); commit it"
  exit 0
fi
[ -f "$baseline" ] || { echo "abi-check: no $baseline; make one with: bash scripts/abi-check.sh --update"; exit 1; }
/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$baseline" ||
  { echo "abi-check: $baseline is not well-formed XML"; exit 1; }

status=0
abidiff --no-show-locs "$baseline" "$tmp/current.abi" >"$tmp/abidiff.txt" 2>&1 || status=$?
if [ "$status" != 0 ]; then
  cat "$tmp/abidiff.txt"
  echo "abi-check: the ABI of $lib differs from $baseline (abidiff status $status)."
  echo "abi-check: if the change is intended, follow docs/abi.md (is it compatible? the SONAME?)"
  echo "abi-check: and regenerate the baseline: bash scripts/abi-check.sh --update"
  exit 1
fi
echo "abi-check: $(basename "$lib"): no ABI difference from $baseline ($(grep -c "<elf-symbol " "$baseline") symbols)"

cc -std=c11 -Wall -Wextra -Werror -I"$(dirname "$incdir")" tests/abi/struct_layout.c -o "$tmp/struct_layout"
"$tmp/struct_layout" >"$tmp/layout.json"
/usr/bin/python3 tests/abi/check_layout.py "$tmp/current.abi" "$tmp/layout.json"
