# SPDX-License-Identifier: GPL-3.0-or-later
"""The socind command end to end: a household CSV of N rows (default 2
million) with a stratified PSU design, `socind poverty` for FGT0 + number of
poor with SEs and a breakdown, timed as a process; next to it the same
estimates through the library alone (Python binding, data already in
memory), so the difference is reading and parsing the file. Also the same
file as Stata .dta (written by pandas).
Usage: PYTHONPATH=bindings/python /usr/bin/python3 bench/bench_cli.py [rows] [socind]

Streaming: bench/bench_cli.py --stream [rows] [socind] writes a CSV of rows
(default 5*10^7) in its temporary directory with a small C writer, runs
`socind poverty` over it (FGT0, FGT1, FGT2 with SEs, overall and by 25
districts: every estimate streams) with --threads 1 and with every core, and
prints each run's wall time, CPU time and peak memory (the child's
ru_maxrss); --in-memory also runs the in-memory path (SOCIND_STREAM=0) for
comparison. The file is deleted after.

--stream-rank [rows] [socind] [--in-memory]: the same CSV (default 5*10^7
rows) through rank-based estimates, each run on its own: the median with its
SE (two readings of the file), the median by the 25 districts (two), the
quintile share ratio S80/S20 (two), FGT0 with its SE against 60 % of the
median (a relative line, two readings), the median income of the poor and
the relative median gap with their SEs by the 25 districts (two), FGT0's
poverty profile by district against 60 % of the median (two), the Gini
with its SE (1 + one a 2^24 rows: four readings at 5*10^7 rows); streamed
on every core and (--in-memory) in memory; each run prints the readings the
command made. (SOCIND_STREAM_ROWS=1 is set for any state that would keep
its rows; none does now.) SOCIND_BENCH_ONLY=TEXT runs only the estimates
whose name holds TEXT.
--stream-nutrition [children] [socind] [--in-memory]: a CSV of children
(default 10^7: 25 a cluster, 40 clusters a stratum, 10 regions, some beyond
1826 days and some weights missing, so anthro's exclusions apply) through
`socind nutrition`'s prevalence table overall and by region, streamed on
every core and (--in-memory) in memory."""

import os
import subprocess
import sys
import tempfile
import time

MODES = ("--stream", "--stream-rank", "--stream-nutrition")
if len(sys.argv) > 1 and sys.argv[1] in MODES:
    MODE = sys.argv[1]
    WRITER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <stdint.h>
/* rows: stratum,psu,district,weight,exp_pc — 200 rows a PSU, 40 PSUs a
   stratum, 25 districts; weights 50..450, log-normal incomes (splitmix64) */
static uint64_t s = 11;
static double u01(void) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}
int main(int argc, char **argv) {
    long long n = atoll(argv[1]);
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("stratum,psu,district,weight,exp_pc\n", stdout);
    for (long long i = 0; i < n; i++) {
        long long psu = i / 200;
        double u1 = u01(), u2 = u01();
        double z = sqrt(-2 * log(u1 + 1e-300)) * cos(6.283185307179586 * u2);
        long long inc = llround(exp(13.7 + 0.55 * z) / 100) * 100;
        long long wc = (long long)(5000 + 40000 * u01());
        printf("%lld,%lld,%lld,%lld.%02lld,%lld\n", psu / 40, psu, (psu / 400) % 25, wc / 100,
               wc % 100, inc);
    }
    return 0;
}
"""
    KIDS_WRITER = r"""
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <stdint.h>
/* children: stratum,cluster,region,sw,sex,age_days,weight,lenhei,measure,oedema —
   25 children a cluster, 40 clusters a stratum, 10 regions; ages 0..1900
   days (some beyond anthro's 1826), weight and length around WHO's medians
   with noise, lying under 2 years, 1 % oedema, 0.5 % of weights missing */
static uint64_t s = 7;
static double u01(void) {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}
static double norm(void) {
    double u1 = u01(), u2 = u01();
    return sqrt(-2 * log(u1 + 1e-300)) * cos(6.283185307179586 * u2);
}
int main(int argc, char **argv) {
    long long n = atoll(argv[1]);
    static char buf[1 << 20];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    fputs("stratum,cluster,region,sw,sex,age_days,weight,lenhei,measure,oedema\n", stdout);
    for (long long i = 0; i < n; i++) {
        long long cl = i / 25;
        int sex = 1 + (u01() < 0.49);
        int age = (int)(u01() * 1900);
        double mo = age / 30.4375;
        double len = (mo < 24 ? 50 + 25 * log1p(mo / 3.0) * 0.95 : 86 + 0.62 * (mo - 24)) +
                     3.5 * norm();
        double wt = 3.3 + 9.2 * (1 - exp(-mo / 9.0)) + 0.16 * mo * (mo > 12) + 1.3 * norm();
        if (wt < 1.5) wt = 1.5;
        printf("%lld,%lld,%lld,%.2f,%d,%d,", cl / 40, cl, (cl / 40) % 10,
               50 + 450 * u01(), sex, age);
        if (u01() < 0.005) fputs("", stdout); else printf("%.1f", wt);
        printf(",%.1f,%c,%c\n", len, age < 731 ? 'l' : 'h', u01() < 0.01 ? 'y' : 'n');
    }
    return 0;
}
"""
    rest = [a for a in sys.argv[2:] if a != "--in-memory"]
    in_memory = "--in-memory" in sys.argv
    default_n = 10_000_000 if MODE == "--stream-nutrition" else 50_000_000
    n = int(float(rest[0])) if rest else default_n
    cli = rest[1] if len(rest) > 1 else os.path.join("build", "cli", "socind")
    design = ["--weight", "weight", "--strata", "stratum", "--psu", "psu"]
    if MODE == "--stream":
        # (name, command, arguments): every core and --threads 1
        jobs = [("FGT0/1/2 + SE, overall and by district", "poverty",
                 ["--income", "exp_pc", *design, "--line", "520000",
                  "--indicators", "fgt0,fgt1,fgt2", "--by", "district"])]
        threads = (["--threads", "1"], [])
    elif MODE == "--stream-rank":
        jobs = [("median + SE", "inequality",
                 ["--income", "exp_pc", *design, "--indicators", "median"]),
                ("median + SE by district", "inequality",
                 ["--income", "exp_pc", *design, "--indicators", "median",
                  "--by", "district"]),
                ("S80/S20 + SE", "inequality",
                 ["--income", "exp_pc", *design, "--indicators", "qsr"]),
                ("FGT0 + SE at 60 % of the median", "poverty",
                 ["--income", "exp_pc", *design, "--relative", "0.6:median",
                  "--indicators", "fgt0"]),
                ("median of the poor + RMPG by district", "poverty",
                 ["--income", "exp_pc", *design, "--indicators", "poormed,rmpg",
                  "--by", "district"]),
                ("profile FGT0 at 60 % of the median by district", "poverty",
                 ["--income", "exp_pc", *design, "--relative", "0.6:median",
                  "--decompose-by", "district", "--indicators", "fgt0"]),
                ("Gini + SE", "inequality",
                 ["--income", "exp_pc", *design, "--indicators", "gini"])]
        threads = ([],)
    else:
        jobs = [("prevalence table, overall and by region", "nutrition",
                 ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight",
                  "--lenhei-cm", "lenhei", "--measure", "measure", "--oedema", "oedema",
                  "--weight", "sw", "--strata", "stratum", "--psu", "cluster",
                  "--by", "region"])]
        threads = ([],)

    def largest_difference(a, b):
        # over the numbers of two outputs' cells (text cells must be equal)
        worst = 0.0
        for la, lb in zip(a.decode().splitlines(), b.decode().splitlines()):
            for u, v in zip(la.split(","), lb.split(",")):
                if u == v:
                    continue
                try:
                    fu, fv = float(u), float(v)
                except ValueError:
                    return float("inf")
                worst = max(worst, abs(fu - fv) / max(abs(fv), 1e-300))
        return worst

    def run(name, cmd, path, args, env):
        e = dict(os.environ, **env)
        t0 = time.perf_counter()
        p = subprocess.Popen([cli, cmd, path, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=e)
        out = p.stdout.read()
        err = p.stderr.read()
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        if status != 0:
            sys.exit(f"{name}: exit {status}: {err.decode()}")
        said = [l for l in err.decode().splitlines() if " streamed " in l or "into memory" in l]
        cpu = ru.ru_utime + ru.ru_stime
        print(f"  {name:26s} {wall:7.1f} s wall  {cpu:7.1f} s CPU  "
              f"{ru.ru_maxrss / 1024:8.0f} MB peak  {n / wall / 1e6:5.2f} Mrows/s"
              + (f"  ({said[0].split(': ', 1)[1]})" if said else ""), flush=True)
        return out

    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "gen.c"), os.path.join(tmp, "gen")
        data = os.path.join(tmp, "children.csv" if MODE == "--stream-nutrition"
                            else "households.csv")
        with open(src, "w") as f:
            f.write(KIDS_WRITER if MODE == "--stream-nutrition" else WRITER)
        subprocess.run(["cc", "-O2", "-o", exe, src, "-lm"], check=True)
        t0 = time.perf_counter()
        with open(data, "wb") as f:
            subprocess.run([exe, str(n)], stdout=f, check=True)
        gen = time.perf_counter() - t0
        gb = os.path.getsize(data) / 1e9
        if MODE == "--stream-nutrition":
            print(f"bench_cli {MODE}: {n} children ({gb:.2f} GB CSV, written in {gen:.1f} s), "
                  f"{n // 25} clusters, {n // 1000} strata, 10 regions")
        else:
            print(f"bench_cli {MODE}: {n} rows ({gb:.2f} GB CSV, written in {gen:.1f} s), "
                  f"{n // 200} PSUs, {n // 8000} strata, 25 districts")
        only = os.environ.get("SOCIND_BENCH_ONLY", "")
        for name, cmd, args in jobs:
            if only not in name:
                continue
            print(f"{name}:")
            outs = []
            for extra in threads:
                label = "streamed, " + ("--threads 1" if extra else "every core")
                # SOCIND_STREAM_ROWS=1: a state that keeps its rows would
                # stream too (none does now)
                outs.append(run(label, cmd, data, args + extra,
                                {"SOCIND_STREAM": "verbose", "SOCIND_STREAM_ROWS": "1"}))
            if len(outs) > 1:
                print("  same output for 1 thread and every core:", outs[0] == outs[1])
            if in_memory:
                mem = run("in memory", cmd, data, args, {"SOCIND_STREAM": "0"})
                print("  same rows as in memory:", len(mem.splitlines()) == len(outs[0].splitlines()),
                      " same output:", mem == outs[0],
                      " largest relative difference: %.2g" % largest_difference(mem, outs[0]))
        with os.popen("uptime") as u:
            print("load:", u.read().strip().split("load average:")[-1].strip())
    sys.exit(0)

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
