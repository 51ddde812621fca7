#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Registry scale on Dask: R person rows (default 2.7e8) in partitions
generated inside the workers (no file), FGT0/1/2 + SE against a fixed line
by 7,000 domains, on a distributed.LocalCluster of W worker processes
(default 2, one thread each) through socind.dask; then the same rows
through the single-process chunked path (socind.State, chunk by chunk, in
a process of its own). Prints the time of each and the peak memory of
every worker, of the client, and of the single process, and checks that
the two paths give the same figures (1e-12 relative).

The design: 35 rows a PSU, 15 PSUs a stratum, the domain of a row is its
stratum modulo 7,000; incomes lognormal (median 700,000, σ of the log
0.6), weights uniform in [50, 450]; the line 700,000. Rows of a partition are generated
from the partition's own seed, so both paths see the same rows.

Usage: /usr/bin/python3 bench/bench_dask.py [--rows R] [--partitions P]
       [--workers W] [--skip-single]
(PYTHONPATH=bindings/python and SOCIND_LIBRARY=<build>/libsocind.so as
for the binding's tests.)"""

import argparse
import os
import resource
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd

LINE = 700000.0
DOMAINS = 7000
ROWS_PER_PSU = 35
PSUS_PER_STRATUM = 15


def partition(k: int, rows: int, parts: int) -> pd.DataFrame:
    """Rows [k·rows/parts, (k+1)·rows/parts) of the registry."""
    lo, hi = k * rows // parts, (k + 1) * rows // parts
    rng = np.random.default_rng(20261202 + k)
    idx = np.arange(lo, hi, dtype=np.int64)
    psu = idx // ROWS_PER_PSU
    stratum = psu // PSUS_PER_STRATUM
    return pd.DataFrame({
        "y": np.exp(rng.normal(np.log(700000.0), 0.6, hi - lo)),
        "w": rng.uniform(50.0, 450.0, hi - lo),
        "stratum": stratum,
        "psu": psu,
        "dom": (stratum % DOMAINS).astype(np.int64),
    })


def peak_mb() -> float:
    """The process's peak resident memory (VmHWM: Linux resets it at exec,
    while getrusage's ru_maxrss keeps the pre-exec process's peak)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_dask(rows: int, parts: int, workers: int):
    import dask.dataframe as dd
    import distributed
    import socind.dask as sd
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                           processes=True, dashboard_address=None,
                                           silence_logs=50, memory_limit=0)
        client = distributed.Client(cluster)
    try:
        meta = partition(0, 0, 1)
        ddf = dd.from_map(partition, range(parts), rows=rows, parts=parts, meta=meta,
                          enforce_metadata=False)
        t = time.perf_counter()
        res = sd.fgt(ddf, "y", LINE, [0, 1, 2], weight="w", strata="stratum", psu="psu",
                     by="dom")
        elapsed = time.perf_counter() - t
        peaks = client.run(peak_mb)
    finally:
        client.close()
        cluster.close()
    return res, elapsed, peaks


SINGLE = r"""
import sys, time, numpy as np, socind
sys.path.insert(0, {here!r})
from bench_dask import partition, peak_mb, LINE, DOMAINS
rows, parts = {rows}, {parts}
states = [socind.State("fgt", line=LINE, alpha=a, n_groups=DOMAINS, strata=True, psu=True)
          for a in (0, 1, 2)]
t = time.perf_counter()
first = 0
for k in range(parts):
    df = partition(k, rows, parts)
    for s in states:
        s.add(df.w.to_numpy(), df.y.to_numpy(), strata=df.stratum.to_numpy(),
              psu=df.psu.to_numpy(), group=df.dom.to_numpy().astype(np.int32), first_row=first)
    first += len(df)
out = [s.finish() for s in states]
el = time.perf_counter() - t
np.save(sys.argv[1], np.array([[f.value.to_numpy(), f.se.to_numpy()] for f in out]))
print(el, peak_mb())
"""


def run_single(rows: int, parts: int, path: str):
    here = os.path.dirname(os.path.abspath(__file__))
    code = SINGLE.format(here=here, rows=rows, parts=parts)
    r = subprocess.run([sys.executable, "-c", code, path], check=True, capture_output=True,
                       text=True)
    el, pk = (float(x) for x in r.stdout.split())
    return el, pk, np.load(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=float, default=2.7e8)
    ap.add_argument("--partitions", type=int, default=0,
                    help="default: one per 2^20 rows")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-single", action="store_true")
    a = ap.parse_args()
    rows = int(a.rows)
    parts = a.partitions or max(1, -(-rows // (1 << 20)))
    print(f"registry: {rows:,} rows in {parts} partitions of about {rows // parts:,} rows "
          f"(35 rows a PSU: {rows // ROWS_PER_PSU:,} PSUs; {DOMAINS} domains), "
          f"generated in the workers")
    res, el, peaks = run_dask(rows, parts, a.workers)
    print(f"dask ({a.workers} worker processes, 1 thread each): FGT0/1/2 + SE by domain in "
          f"{el:.1f} s (two reads of every partition: labels, then the states)")
    for w, pk in sorted(peaks.items()):
        print(f"  peak memory of worker {w}: {pk:.0f} MB")
    print(f"  peak memory of the client: {peak_mb():.0f} MB")
    for alpha in (0, 1, 2):
        r = res[alpha].iloc[0]
        print(f"  overall FGT{alpha} = {r.value:.6f} (se {r.se:.3g})")
    if a.skip_single:
        return
    path = "/tmp/bench_dask_single.npy"
    el1, pk1, single = run_single(rows, parts, path)
    print(f"single process, chunked (socind.State, one partition at a time): {el1:.1f} s, "
          f"peak memory {pk1:.0f} MB")
    print(f"  dask / single-process time: {el / el1:.2f}")
    worst = 0.0
    for i, alpha in enumerate((0, 1, 2)):
        got = res[alpha].drop(index="all")
        for j, col in enumerate(("value", "se")):
            x, y = got[col].to_numpy(), single[i, j]
            worst = max(worst, float(np.max(np.abs(x - y) / np.maximum(np.abs(y), 1e-300))))
    print(f"  largest relative difference between the two paths (7,000 domains × 3 × value, "
          f"se): {worst:.2e}")
    os.remove(path)


if __name__ == "__main__":
    main()
