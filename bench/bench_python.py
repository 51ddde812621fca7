# SPDX-License-Identifier: GPL-3.0-or-later
"""The Python binding's overhead: FGT0 with its SE and height-for-age
z-scores for 10 million rows through socind (the Pythonic layer) against the
same C functions called directly through ctypes with prepared buffers, in the
same run; and the time of one call on tiny inputs.
Usage: PYTHONPATH=bindings/python /usr/bin/python3 bench/bench_python.py [rows]"""

import ctypes
import sys
import time

import numpy as np

import socind
from socind import _lib

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
rng = np.random.default_rng(5)
w = rng.uniform(50, 450, n)
y = np.exp(rng.normal(13.7, 0.55, n))
psu = np.arange(n, dtype=np.int64) // 1000
strata = psu // 50
d = socind.Design(w, strata=strata, psu=psu)


def best(f, reps=5):
    t = 1e300
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        t = min(t, time.perf_counter() - t0)
    return t


lib = _lib.lib
L = _lib.PovertyLine_t()
lib.socind_poverty_line_init(ctypes.byref(L))
L.value = 500000.0
out = _lib.Estimate_t()
yp = y.ctypes.data_as(_lib.c_double_p)
t_c = best(lambda: lib.socind_fgt(d._h, yp, ctypes.byref(L), 0.0, None, 1, None, ctypes.byref(out)), 11)
t_py = best(lambda: socind.fgt(y, 500000, design=d), 11)
print(f"FGT0 + SE, {n} rows: C {t_c:.4f} s, Python {t_py:.4f} s, "
      f"overhead {100 * (t_py - t_c) / t_c:.1f}% (goal < 5%)")

sex = rng.integers(1, 3, n).astype(np.int32)
age = np.floor(rng.uniform(0, 1826, n))
lh = 49.5 + 7.9 * np.sqrt(age / 30.4375) + rng.normal(-1, 3, n)
gi = _lib.GrowthInput_t()
lib.socind_growth_input_init(ctypes.byref(gi))
gi.sex = sex.ctypes.data_as(_lib.c_int32_p)
gi.age = age.ctypes.data_as(_lib.c_double_p)
gi.lenhei = lh.ctypes.data_as(_lib.c_double_p)
go = _lib.GrowthOutput_t()
lib.socind_growth_output_init(ctypes.byref(go))


def c_haz():
    # what a C caller does: allocate the outputs it asks for (here the ones the
    # Pythonic call fills for these inputs) and call
    bufs = [np.empty(n), np.empty(n, dtype=np.int32), np.empty(n, dtype=np.int32),
            np.empty(n, dtype=np.int32), np.empty(n), np.empty(n, dtype=np.int32)]
    go.clenhei = bufs[0].ctypes.data_as(_lib.c_double_p)
    go.cmeasure = bufs[1].ctypes.data_as(_lib.c_int32_p)
    go.c9mo_flag = bufs[2].ctypes.data_as(_lib.c_int32_p)
    go.reason = bufs[3].ctypes.data_as(_lib.c_int32_p)
    go.zlen = bufs[4].ctypes.data_as(_lib.c_double_p)
    go.flen = bufs[5].ctypes.data_as(_lib.c_int32_p)
    lib.socind_growth_who2006(n, ctypes.byref(gi), 0, ctypes.byref(go))


t_c = best(c_haz, 3)
t_py = best(lambda: socind.zscores(sex, age_days=age, lenhei_cm=lh), 3)
print(f"HAZ, {n} children: C {t_c:.4f} s, Python {t_py:.4f} s, "
      f"overhead {100 * (t_py - t_c) / t_c:.1f}% (goal < 5%)")

small = socind.Design([1.0, 2.0, 3.0])
calls = 20000
t0 = time.perf_counter()
for _ in range(calls):
    socind.fgt([100.0, 200.0, 300.0], 250.0, design=small)
per = (time.perf_counter() - t0) / calls
print(f"one FGT0 call on 3 rows: {per * 1e6:.1f} µs (goal < 20 µs)")
