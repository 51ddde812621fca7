# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/replicate.h: replicate-weight designs (ReplicateDesign).

A ReplicateDesign is a Design: every estimator of the package takes it, and
computes its SE from the replicates (svrVar, as R survey's svrepdesign):
θ̂ on the full sample, θ_r on each replicate's weights through the same C
code, v = scale·Σ rscale_r (θ_r − c)². ``quantile`` keeps Woodruff's
interval with the share's replicate SE; ``quantile_linearized`` gives the
replicate quantiles' SE (survey's interval.type = "quantile")."""

from __future__ import annotations

import ctypes
import math
from typing import Any, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import _check, _given, _scalar
from ._errors import DesignError, InputError
from ._lib import F64, F64_OUT, HANDLE, HANDLE_P, I32_OUT, OPT_F64, lib
from .design import Design, _Handle, _same_index
from .status import SOCIND_ERR_ARG, SOCIND_ERR_WEIGHT, SOCIND_OK

SOCIND_REP_OTHER = 0
SOCIND_REP_JK1 = 1
SOCIND_REP_JKN = 2
SOCIND_REP_BRR = 3
SOCIND_REP_FAY = 4
SOCIND_REP_BOOTSTRAP = 5
SOCIND_REP_SUBBOOTSTRAP = 6
SOCIND_REP_WEIGHTS = 0
SOCIND_REP_FACTORS = 1

TYPES = {"other": SOCIND_REP_OTHER, "jk1": SOCIND_REP_JK1, "jkn": SOCIND_REP_JKN,
         "brr": SOCIND_REP_BRR, "fay": SOCIND_REP_FAY, "bootstrap": SOCIND_REP_BOOTSTRAP,
         "subbootstrap": SOCIND_REP_SUBBOOTSTRAP}
_NAMES = {v: k for k, v in TYPES.items()}


class ReplicateOptions_t(ctypes.Structure):
    """socind_replicate_options."""
    _c_name = "socind_replicate_options"
    _fields_ = [("size", ctypes.c_size_t), ("type", ctypes.c_int32), ("mse", ctypes.c_int32),
                ("scale", ctypes.c_double), ("fay_rho", ctypes.c_double),
                ("degf", ctypes.c_double), ("replicates", ctypes.c_int32),
                ("reserved", ctypes.c_int32), ("seed", ctypes.c_uint64)]


_i32, _sz, _f = ctypes.c_int32, ctypes.c_size_t, ctypes.c_double
_OPTS_P = ctypes.POINTER(ReplicateOptions_t)
_lib.declare({
    "socind_replicate_options_init": (_i32, [_OPTS_P]),
    "socind_design_replicate_new": (_i32, [HANDLE, _sz, ctypes.c_void_p, _i32, OPT_F64, _OPTS_P,
                                           HANDLE_P]),
    "socind_design_replicate_make": (_i32, [HANDLE, _OPTS_P, HANDLE_P]),
    "socind_design_nreplicates": (_sz, [HANDLE]),
    "socind_design_replicate_info": (_i32, [HANDLE, I32_OUT, F64_OUT, I32_OUT, F64_OUT]),
    "socind_design_rscales": (_i32, [HANDLE, F64_OUT, _sz]),
    "socind_design_replicate_column": (_i32, [HANDLE, _sz, _lib.optional_array(np.float64, True),
                                              _lib.optional_array(np.float64, True)]),
    "socind_replicate_variance": (_i32, [HANDLE, F64, _f, F64_OUT]),
})


def _type_code(type: str) -> int:
    t = str(type).lower()
    if t not in TYPES:
        raise InputError(SOCIND_ERR_ARG, f"type must be one of {sorted(TYPES)}, not {type!r}")
    return TYPES[t]


def _options(type: str, mse: bool, scale, fay_rho, degf, replicates=50, seed=20250321):
    o = ReplicateOptions_t()
    _check(lib.socind_replicate_options_init(ctypes.byref(o)))
    o.type = _type_code(type)
    o.mse = _cv.flag(mse, "mse")
    o.scale = math.nan if scale is None else _given(scale, "scale")
    o.fay_rho = math.nan if fay_rho is None else _given(fay_rho, "fay_rho")
    o.degf = math.nan if degf is None else _given(degf, "degf")
    o.replicates = _cv.integer(replicates, "replicates", *_cv.INT32)
    o.seed = _cv.integer(seed, "seed", *_cv.UINT64)
    return o


def _matrix(vals: Any, n: int, name: str) -> np.ndarray:
    """An (n, R) matrix of replicate weights or factors, column-major
    float64, each column read by the binding's converter (_convert.f64:
    text, complex numbers, dates refused naming the column and the row;
    NaN, None and pd.NA missing). A DataFrame's columns, a 2-D array's or
    nested lists' columns, or one 1-D column."""
    if _cv.is_pandas(vals) and hasattr(vals, "columns"):  # a DataFrame
        cols = [(f"{name}[{c!r}]", vals.iloc[:, j]) for j, c in enumerate(vals.columns)]
        shape = vals.shape
    else:
        a = vals if isinstance(vals, np.ndarray) or _cv.is_pandas(vals) else \
            np.asarray(vals, dtype=object if isinstance(vals, (list, tuple)) else None)
        if isinstance(a, np.ndarray) and a.ndim == 2:
            cols = [(f"{name}[:, {j}]", a[:, j]) for j in range(a.shape[1])]
            shape = a.shape
        else:
            cols = [(name, vals)]
            shape = np.shape(vals)
    if len(shape) not in (1, 2) or shape[0] != n:
        raise InputError(SOCIND_ERR_ARG, f"{name} must be an (n, R) array with n = {n} rows; "
                         f"got shape {shape}")
    out = np.empty((n, len(cols)), dtype=np.float64, order="F")
    for j, (nm, c) in enumerate(cols):
        out[:, j] = _cv.f64(c, n, nm, bools=f"replicate {name}")
    with np.errstate(invalid="ignore"):
        bad = ~((out >= 0.0) & (out <= np.finfo(np.float64).max))
    if bad.any():
        # the first in the library's order (replicate by replicate), named
        # as the caller's column and 0-based row, as every message here
        j = int(np.flatnonzero(bad.any(axis=0))[0])
        i = int(np.flatnonzero(bad[:, j])[0])
        what = name[:-1] if name.endswith("s") else name
        raise DesignError(SOCIND_ERR_WEIGHT, f"{cols[j][0]}: row {i} is {out[i, j]!r}; "
                          f"replicate {name} must be finite and >= 0 (replicate {j}'s {what}; "
                          "rows and replicates count from 0)", i)
    return out


class ReplicateDesign(Design):
    """A design with replicate weights, usable wherever a Design is taken.

    ``ReplicateDesign(base, weights=W)`` or ``ReplicateDesign(base,
    factors=F)``: W or F an (n, R) array (one column per replicate; factors
    multiply base's weights). ``type``: "other", "jk1", "jkn", "brr", "fay",
    "bootstrap" or "subbootstrap" (sets the default ``scale``); ``rscales``
    (R values; JKn needs them), ``mse``, ``fay_rho`` ("fay" needs it, or a
    ``scale``), ``degf`` (default: the
    replicate matrix's rank − 1; by domain, quantiles and proportions take
    the rank − 1 on the domain's rows, as R's svyby hands svyquantile and
    svyciprop ``rd[domain, ]``). ``ReplicateDesign.make(base, type, ...)``
    makes them from base's strata and PSUs as R survey's as.svrepdesign does
    (the bootstraps with GSL's mt19937 and ``seed``)."""

    def __init__(self, base: Design, weights: Any = None, factors: Any = None,
                 type: str = "other", rscales: Any = None, scale: Optional[float] = None,
                 mse: bool = False, fay_rho: Optional[float] = None,
                 degf: Optional[float] = None):
        if not isinstance(base, Design):
            raise InputError(SOCIND_ERR_ARG, "base must be a socind.Design")
        if (weights is None) == (factors is None):
            raise InputError(SOCIND_ERR_ARG, "give exactly one of weights and factors")
        vals = weights if weights is not None else factors
        kind = SOCIND_REP_WEIGHTS if weights is not None else SOCIND_REP_FACTORS
        name = "weights" if kind == SOCIND_REP_WEIGHTS else "factors"
        _same_index(("base", base), (name, vals))
        a = _matrix(vals, base.n, name)
        R = a.shape[1]
        rs = None
        if rscales is not None:
            rs = _cv.f64(rscales, None, "rscales", bools="scales")
            if rs.shape[0] != R:
                raise InputError(SOCIND_ERR_ARG, f"rscales has {rs.shape[0]} values; the design "
                                 f"has {R} replicates")
        o = _options(type, mse, scale, fay_rho, degf)
        h = HANDLE()
        st = lib.socind_design_replicate_new(base._h, R, a.ctypes.data_as(ctypes.c_void_p), kind,
                                             rs, ctypes.byref(o), ctypes.byref(h))
        _check(st)
        self._adopt(base, h)

    @classmethod
    def make(cls, base: Design, type: str, replicates: int = 50, seed: int = 20250321,
             fay_rho: Optional[float] = None, mse: bool = False, scale: Optional[float] = None,
             degf: Optional[float] = None) -> "ReplicateDesign":
        """Replicates made from base's strata and PSUs (replicate.h's
        socind_design_replicate_make): "jk1", "jkn", "brr", "fay" (every
        stratum with exactly 2 PSUs), "bootstrap", "subbootstrap"."""
        if not isinstance(base, Design):
            raise InputError(SOCIND_ERR_ARG, "base must be a socind.Design")
        o = _options(type, mse, scale, fay_rho, degf, replicates, seed)
        h = HANDLE()
        _check(lib.socind_design_replicate_make(base._h, ctypes.byref(o), ctypes.byref(h)))
        self = cls.__new__(cls)
        self._adopt(base, h)
        return self

    def _adopt(self, base: Design, h) -> None:
        self._labels = dict(base._labels)
        self._index = base._index
        self._owner = _Handle(h)
        self.n = base.n

    def __repr__(self) -> str:
        return (f"<socind.ReplicateDesign: {self.n} rows, {self.replicates} {self.type} "
                f"replicates, df {self.df:g}>")

    def _info(self):
        t, m = np.zeros(1, np.int32), np.zeros(1, np.int32)
        s, d = np.zeros(1), np.zeros(1)
        _check(lib.socind_design_replicate_info(self._h, t, s, m, d))
        return int(t[0]), float(s[0]), int(m[0]), float(d[0])

    @property
    def replicates(self) -> int:
        """Number of replicates R."""
        return lib.socind_design_nreplicates(self._h)

    @property
    def type(self) -> str:
        return _NAMES[self._info()[0]]

    @property
    def scale(self) -> float:
        return self._info()[1]

    @property
    def mse(self) -> bool:
        return bool(self._info()[2])

    @property
    def df(self) -> float:
        """degf: the rank of the replicate weights − 1 (or the degf given)."""
        return self._info()[3]

    @property
    def rscales(self) -> np.ndarray:
        out = np.empty(self.replicates)
        _check(lib.socind_design_rscales(self._h, out, out.shape[0]))
        return out

    def replicate_weights(self, r: int) -> np.ndarray:
        """Replicate r's (0-based) weight of every row."""
        out = np.empty(self.n)
        _check(lib.socind_design_replicate_column(self._h, _cv.integer(r, "r", *_cv.UINT64),
                                                  out, None))
        return out

    def replicate_factors(self, r: int) -> np.ndarray:
        """Replicate r's factor of every row (weights over the full-sample
        weight when weights were given; NaN where that is 0)."""
        out = np.empty(self.n)
        _check(lib.socind_design_replicate_column(self._h, _cv.integer(r, "r", *_cv.UINT64),
                                                  None, out))
        return out

    def variance(self, theta: Any, theta_hat: float) -> float:
        """svrVar of the caller's replicate estimates (R values)."""
        t = _cv.f64(theta, None, "theta")
        if t.shape[0] != self.replicates:
            raise InputError(SOCIND_ERR_ARG, f"theta has {t.shape[0]} values; the design has "
                             f"{self.replicates} replicates")
        v = np.zeros(1)
        _check(lib.socind_replicate_variance(self._h, t, _scalar(theta_hat, "theta_hat"), v))
        return float(v[0])
