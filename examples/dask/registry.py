#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A registry on Dask: poverty by district and a stunting table from
partitioned CSV files, without ever holding the rows in one process.

1. Writes a synthetic registry into DIR: persons/part-*.csv (each person's
   household consumption per capita, district, stratum, enumeration area,
   weight) and children/part-*.csv (the under-fives' sex, age, weight,
   length or height, measure and oedema).
2. Starts a distributed.LocalCluster (2 worker processes by default) and
   reads both with dask.dataframe.read_csv.
3. Prints national and per-district FGT0, FGT1 and FGT2 with standard
   errors (one pass over the files for the three), then WHO's stunting,
   wasting and underweight table by district.

Usage:
    /usr/bin/python3 examples/dask/registry.py [--dir DIR] [--persons N]
        [--partitions P] [--workers W] [--keep]
with PYTHONPATH=bindings/python (and SOCIND_LIBRARY=<build>/libsocind.so
when socind is not installed)."""

import argparse
import os
import shutil
import tempfile
import warnings

import numpy as np
import pandas as pd

LINE = 550000.0  # rupiah per person per month
DISTRICTS = 12


def write_registry(root: str, persons: int, parts: int) -> None:
    """Household-level sampling of a synthetic regency: 20 persons an
    enumeration area (the PSU), 10 areas a stratum, districts of strata."""
    rng = np.random.default_rng(20261202)
    os.makedirs(os.path.join(root, "persons"))
    os.makedirs(os.path.join(root, "children"))
    first = 0
    for k in range(parts):
        n = persons * (k + 1) // parts - persons * k // parts
        idx = np.arange(first, first + n)
        first += n
        area = idx // 20
        stratum = area // 10
        district = 3201 + stratum % DISTRICTS
        level = 0.15 * np.sin(district.astype(float))  # districts differ
        cons = np.round(np.exp(rng.normal(np.log(800000.0) + level, 0.55, n)), -2)
        pd.DataFrame({"person_id": idx, "district": district, "stratum": stratum,
                      "ea": area, "weight": np.round(rng.uniform(80, 160, n), 2),
                      "cons_pc": cons}).to_csv(
            os.path.join(root, "persons", f"part-{k:03d}.csv"), index=False)
        kids = idx[rng.random(n) < 0.1]  # about one person in ten is under five
        m = kids.size
        age = rng.integers(0, 1826, m)
        sex = rng.integers(1, 3, m)
        # length/height and weight around WHO's medians for age (read off the
        # standards at a few ages), shifted down so that about one child in
        # five is stunted, as in many Indonesian districts
        ages = [0, 91, 182, 365, 730, 1095, 1461, 1826]
        med_len = np.interp(age, ages, [49.5, 60.8, 66.8, 74.9, 86.8, 95.6, 102.9, 109.6])
        med_wt = np.interp(age, ages, [3.3, 6.1, 7.6, 9.3, 11.9, 14.0, 16.1, 18.2])
        lenhei = np.round(med_len * (1.0 + rng.normal(-0.030, 0.037, m)), 1)
        wt = np.round(med_wt * (1.0 + rng.normal(-0.06, 0.11, m)), 2)
        pd.DataFrame({"child_id": kids, "district": 3201 + (kids // 200) % DISTRICTS,
                      "stratum": kids // 200, "ea": kids // 20, "sex": sex,
                      "age_days": age, "weight": np.maximum(wt, 1.5), "lenhei": lenhei,
                      "measure": np.where(age < 731, "l", "h"), "oedema": "n",
                      "sw": 120.0}).to_csv(
            os.path.join(root, "children", f"part-{k:03d}.csv"), index=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default=None, help="where to write the files (default: a "
                    "temporary directory, removed afterwards)")
    ap.add_argument("--persons", type=int, default=400000)
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the files")
    a = ap.parse_args()
    import dask.dataframe as dd
    import distributed
    import socind.dask as sd

    root = a.dir or tempfile.mkdtemp(prefix="socind-registry-")
    if a.dir and os.path.exists(root):
        raise SystemExit(f"{root} exists; give a new directory")
    try:
        write_registry(root, a.persons, a.partitions)
        print(f"registry: {a.persons:,} persons in {a.partitions} CSV files under {root}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cluster = distributed.LocalCluster(n_workers=a.workers, threads_per_worker=1,
                                               processes=True, dashboard_address=None,
                                               silence_logs=50)
            client = distributed.Client(cluster)
        try:
            persons = dd.read_csv(os.path.join(root, "persons", "part-*.csv"))
            fgt = sd.fgt(persons, "cons_pc", LINE, [0, 1, 2], weight="weight",
                         strata="stratum", psu="ea", by="district")
            table = pd.concat({f"FGT{k}": v[["value", "se"]] for k, v in fgt.items()}, axis=1)
            pd.set_option("display.width", 120)
            print(f"\nPoverty against {LINE:,.0f} rupiah a month (FGT0: headcount, FGT1: gap, "
                  "FGT2: severity), with standard errors:")
            print(table.round(4).to_string())

            children = dd.read_csv(os.path.join(root, "children", "part-*.csv"),
                                   dtype={"measure": object, "oedema": object})
            prev = sd.prevalence(children, "sex", age_days="age_days", weight_kg="weight",
                                 lenhei_cm="lenhei", measure="measure", oedema="oedema",
                                 sw="sw", strata="stratum", cluster="ea", by="district")
            stunting = prev[(prev.indicator == "HA") & (prev.statistic == "< -2") &
                            (prev.group.eq("All") | prev.group.str.startswith("district: "))]
            print("\nStunting (height-for-age below −2 SD), by district:")
            print(stunting[["group", "estimate", "se", "ci_low", "ci_high", "n_unweighted"]]
                  .round(4).to_string(index=False))
        finally:
            client.close()
            cluster.close()
    finally:
        if not (a.keep or a.dir):
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
