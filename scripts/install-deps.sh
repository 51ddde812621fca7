#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs the Debian packages socind needs to build and test (as root, or
# through sudo when it is available). Installs nothing that is already there.
# clang and libclang-rt-14-dev (libFuzzer) build the fuzz harnesses and the
# clang stage; clang-format checks the formatting; gcovr reads the coverage
# build's counts; abigail-tools (abidw, abidiff) checks the ABI
# (scripts/test-all.sh, scripts/abi-check.sh); python3-dask and
# python3-distributed run socind.dask and its tests (a LocalCluster of worker
# processes: bindings/python/tests/test_dask.py); chromium renders the report's
# HTML in the command's browser test (tests/cli/test_report_browser.py).
set -euo pipefail
pkgs=(build-essential cmake pkg-config libgsl-dev libcmocka-dev libreadstat-dev libcsv-dev
      python3 python3-numpy python3-pandas python3-pytest python3-pip python3-setuptools
      python3-dask python3-distributed chromium
      clang libclang-rt-14-dev clang-format gcovr abigail-tools)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
