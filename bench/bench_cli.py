# SPDX-License-Identifier: GPL-3.0-or-later
"""The socind command end to end: a household CSV of N rows (default 2
million) with a stratified PSU design, `socind poverty` for FGT0 + number of
poor with SEs and a breakdown, timed as a process; next to it the same
estimates through the library alone (Python binding, data already in
memory), so the difference is reading and parsing the file. Also the same
file as Stata .dta (written by pandas).
Usage: PYTHONPATH=bindings/python /usr/bin/python3 bench/bench_cli.py [rows] [socind]"""

import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

import socind

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
cli = sys.argv[2] if len(sys.argv) > 2 else os.path.join("build", "cli", "socind")
rng = np.random.default_rng(11)
psu = np.arange(n, dtype=np.int64) // 200
df = pd.DataFrame({
    "stratum": psu // 40,
    "psu": psu,
    "district": (psu // 400) % 25,
    "weight": np.round(rng.uniform(50, 450, n), 2),
    "exp_pc": np.round(np.exp(rng.normal(13.7, 0.55, n)), -2),
})
args = ["--income", "exp_pc", "--weight", "weight", "--strata", "stratum", "--psu", "psu",
        "--line", "520000", "--indicators", "fgt0,poor", "--by", "district"]


def best(f, reps=3):
    t = 1e300
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


with tempfile.TemporaryDirectory() as tmp:
    csv = os.path.join(tmp, "households.csv")
    dta = os.path.join(tmp, "households.dta")
    df.to_csv(csv, index=False)
    df.to_stata(dta, write_index=False, version=118)
    mb = os.path.getsize(csv) / 1e6
    t_csv = best(lambda: subprocess.run([cli, "poverty", csv, *args], check=True,
                                        stdout=subprocess.DEVNULL))
    t_dta = best(lambda: subprocess.run([cli, "poverty", dta, *args], check=True,
                                        stdout=subprocess.DEVNULL))

d = socind.Design(df.weight.to_numpy(), strata=df.stratum.to_numpy(), psu=df.psu.to_numpy())
y = df.exp_pc.to_numpy()


def library():
    socind.fgt(y, 520000.0, 0, design=d)
    socind.poor_count(y, 520000.0, design=d)
    socind.fgt(y, 520000.0, 0, design=d, by=df.district)
    socind.poor_count(y, 520000.0, design=d, by=df.district)


t_lib = best(library)
t_design = best(lambda: socind.Design(df.weight.to_numpy(), strata=df.stratum.to_numpy(),
                                      psu=df.psu.to_numpy()))
print(f"bench_cli: {n} rows, {n // 200} PSUs, {n // 8000} strata, 25 districts")
print(f"socind poverty, CSV ({mb:.0f} MB)   {t_csv:7.3f} s  {n / t_csv / 1e6:6.2f} Mrows/s  "
      f"{mb / t_csv:6.1f} MB/s")
print(f"socind poverty, Stata .dta        {t_dta:7.3f} s  {n / t_dta / 1e6:6.2f} Mrows/s")
print(f"library only (design + estimates) {t_design + t_lib:7.3f} s  "
      f"(share of the CSV run: {(t_design + t_lib) / t_csv:.2f})")
