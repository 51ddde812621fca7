# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/calibrate.h: calibrated weights (post-stratification, raking,
linear / raking / logit calibration) and calibrated designs, whose SEs use
the calibration's residuals as R's survey does (postStratify, rake,
calibrate)."""

from __future__ import annotations

import ctypes
import math
import re
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import _check, _given, _rows_text, _scalar
from ._errors import InputError, InputTypeError, SocindError
from ._lib import F64_OUT, HANDLE, HANDLE_P, I32_OUT, lib
from .design import Design, _Handle, _same_index
from .status import SOCIND_ERR_ARG, SOCIND_ERR_DATA, SOCIND_OK

SOCIND_CAL_POSTSTRATIFY = 0
SOCIND_CAL_RAKE = 1
SOCIND_CAL_LINEAR = 2
SOCIND_CAL_RAKING = 3
SOCIND_CAL_LOGIT = 4

_METHODS = {"poststratify": SOCIND_CAL_POSTSTRATIFY, "rake": SOCIND_CAL_RAKE,
            "linear": SOCIND_CAL_LINEAR, "raking": SOCIND_CAL_RAKING,
            "logit": SOCIND_CAL_LOGIT}

_P_I32 = ctypes.POINTER(ctypes.c_int32)
_P_F64 = ctypes.POINTER(ctypes.c_double)


class Calibration_t(ctypes.Structure):
    """socind_calibration."""
    _c_name = "socind_calibration"
    _fields_ = [("size", ctypes.c_size_t), ("method", ctypes.c_int32),
                ("n_margins", ctypes.c_int32), ("codes", _P_I32), ("levels", _P_I32),
                ("margin_totals", _P_F64), ("n_numeric", ctypes.c_int32),
                ("intercept", ctypes.c_int32), ("x", _P_F64), ("x_totals", _P_F64),
                ("intercept_total", ctypes.c_double), ("lower", ctypes.c_double),
                ("upper", ctypes.c_double), ("max_iter", ctypes.c_int32),
                ("reserved", ctypes.c_int32), ("epsilon", ctypes.c_double)]


_i32 = ctypes.c_int32
_lib.declare({
    "socind_calibration_init": (_i32, [ctypes.POINTER(Calibration_t)]),
    "socind_calibrate": (_i32, [HANDLE, ctypes.POINTER(Calibration_t), F64_OUT, I32_OUT,
                                HANDLE_P]),
    "socind_design_calibrated": (_i32, [HANDLE]),
})


def _ptr(a: np.ndarray, t):
    return a.ctypes.data_as(t)


def _margin_pairs(margins: Any) -> list:
    """margins as a list of (column, {level: total}) pairs, or
    InputTypeError naming what is malformed."""
    if margins is None:
        return []
    if not isinstance(margins, (list, tuple)):
        raise InputTypeError(SOCIND_ERR_ARG, "margins must be a list of (column, {level: "
                             f"population total}}) pairs, not {type(margins).__name__}")
    out = []
    for i, m in enumerate(margins):
        if not isinstance(m, (list, tuple)) or len(m) != 2:
            what = type(m).__name__ + (f" of {len(m)} values" if isinstance(m, (list, tuple))
                                       else "")
            raise InputTypeError(SOCIND_ERR_ARG, f"margins[{i}] must be a pair (column, "
                                 f"{{level: population total}}), not {what}")
        if not isinstance(m[1], Mapping):
            raise InputTypeError(SOCIND_ERR_ARG, f"margins[{i}]: the totals must be a dict "
                                 f"{{level: population total}}, not {type(m[1]).__name__}")
        out.append((m[0], m[1]))
    return out


def _numeric_pairs(numeric: Any) -> list:
    """numeric as a list of (name, (column, total)), or InputTypeError."""
    if numeric is None:
        return []
    if not isinstance(numeric, Mapping):
        raise InputTypeError(SOCIND_ERR_ARG, "numeric must be a dict {name: (column, "
                             f"population total)}}, not {type(numeric).__name__}")
    out = []
    for name, v in numeric.items():
        if not isinstance(v, (list, tuple)) or len(v) != 2:
            raise InputTypeError(SOCIND_ERR_ARG, f"numeric[{name!r}] must be a pair (column, "
                                 f"population total), not {type(v).__name__}")
        out.append((name, (v[0], v[1])))
    return out


def calibrate(design: Design, method: str = "linear", *,
              margins: Optional[Sequence[Tuple[Any, Dict[Any, float]]]] = None,
              numeric: Optional[Dict[str, Tuple[Any, float]]] = None,
              intercept: Optional[float] = None,
              bounds: Optional[Tuple[float, float]] = None,
              max_iter: Optional[int] = None, epsilon: Optional[float] = None
              ) -> Tuple[np.ndarray, Design]:
    """Calibrated weights and the calibrated design (socind_calibrate).

    ``method``: "poststratify" (one margin: the cells), "rake" (IPF over
    the margins, survey's convergence rule), or calibrate's "linear",
    "raking", "logit" (``bounds=(L, U)``, L < 1 < U). ``margins``: a list
    of ``(column, {level: population total})``; a column's values are
    labels (any hashable). For post-stratification and rake every level
    present needs a total; for calibrate, the levels given are the
    targets (an indicator each; one is dropped where a full margin sums to
    the intercept). A level with a positive total and no sampled row is
    refused, naming its label; one whose total is 0 is met as it is.
    Levels are read as ``by=`` labels are (numbers and text not mixed;
    pandas categoricals, nullable dtypes); a missing value (NaN, None,
    ``pd.NA``) is no level: it is refused naming the rows, as the command
    refuses an empty calibration cell. Totals, ``intercept``, ``bounds``
    and ``epsilon`` are real numbers (text refused); ``max_iter`` an
    integer >= 1 (None: the method's default, 1000 sweeps for rake and 100
    Newton steps for raking and logit). Pandas columns carry the design's index (the same-index rule).
    ``numeric``: ``{name: (column, population total)}``; ``intercept``: the
    population size (calibrate).

    Returns ``(weights, design)``: the calibrated weights (a float64 array)
    and a Design that remembers the calibration — pass it to any estimator
    and its SE uses the calibration's residuals (socind/calibrate.h).
    Raises InputError for bad targets (SOCIND_ERR_TARGETS, with the margin
    and level named) and ComputeError when raking or logit do not converge
    (SOCIND_ERR_CONVERGENCE, with the iterations)."""
    if not isinstance(design, Design):
        raise InputError(SOCIND_ERR_ARG, "design must be a socind.Design")
    if method not in _METHODS:
        raise InputError(SOCIND_ERR_ARG, f"method must be one of {sorted(_METHODS)}, "
                         f"not {method!r}")
    n = design.n
    margins = _margin_pairs(margins)
    numeric = _numeric_pairs(numeric)
    _same_index(("design", design), *[(f"margins[{i}]", col) for i, (col, _) in
                                      enumerate(margins)],
                *[(f"numeric[{name!r}]", col) for name, (col, _) in numeric])
    spec = Calibration_t()
    _check(lib.socind_calibration_init(ctypes.byref(spec)))
    spec.method = _METHODS[method]
    keep = []  # arrays the struct points into
    level_labels = []  # each margin's levels: the labels the C codes number
    if margins:
        codes = np.empty(len(margins) * n, dtype=np.int32)
        levels = np.empty(len(margins), dtype=np.int32)
        totals = []
        for i, (col, tot) in enumerate(margins):
            arg = f"margins[{i}]"
            local, labels = _cv.factorize(col, n, arg)
            miss = np.flatnonzero(local < 0)
            if miss.size:
                raise InputError(SOCIND_ERR_DATA, f"{arg} is missing at {_rows_text(miss)}: "
                                 "calibration needs a level on every row, as the command's "
                                 "--poststratify, --rake and --calibrate do (give such rows a "
                                 "level of their own)",
                                 int(miss[0]), miss)
            given = {}
            for key, t in tot.items():
                if _cv.is_missing(key):
                    raise InputError(SOCIND_ERR_ARG, f"{arg}: the level {key!r} is a missing "
                                     "value (missing values are no level)")
                given[key] = _given(t, f"{arg}: the total of level {key!r}",
                                    "leave the level out of the dict (linear and logit "
                                    "calibration: no target for it)")
            labs = list(given)
            present = [v for v in labels if v not in given]
            if present and spec.method <= SOCIND_CAL_RAKE:
                raise InputError(SOCIND_ERR_ARG, f"{arg}: level {present[0]!r} is in the "
                                 "data but has no population total")
            labs += present
            pos = {v: j for j, v in enumerate(labs)}
            lut = np.array([pos[v] for v in labels], dtype=np.int32)
            codes[i * n:(i + 1) * n] = lut[local]
            levels[i] = len(labs)
            level_labels.append(labs)
            totals += [given.get(v, math.nan) for v in labs]
        tot_a = np.asarray(totals, dtype=np.float64)
        keep += [codes, levels, tot_a]
        spec.n_margins = len(margins)
        spec.codes, spec.levels = _ptr(codes, _P_I32), _ptr(levels, _P_I32)
        spec.margin_totals = _ptr(tot_a, _P_F64)
    if numeric:
        x = np.empty(len(numeric) * n, dtype=np.float64)
        xt = np.empty(len(numeric), dtype=np.float64)
        for j, (name, (col, t)) in enumerate(numeric):
            x[j * n:(j + 1) * n] = _cv.f64(col, n, f"numeric[{name!r}]")
            xt[j] = _scalar(t, f"numeric[{name!r}]: the total")
        keep += [x, xt]
        spec.n_numeric = len(numeric)
        spec.x, spec.x_totals = _ptr(x, _P_F64), _ptr(xt, _P_F64)
    if intercept is not None:
        spec.intercept, spec.intercept_total = 1, _scalar(intercept, "intercept")
    if bounds is not None:
        if isinstance(bounds, (str, bytes, dict)) or not isinstance(bounds, Sequence) or \
                len(bounds) != 2:
            raise InputTypeError(SOCIND_ERR_ARG, f"bounds must be a pair (lower, upper), not "
                                 f"{bounds!r}")
        spec.lower = _scalar(bounds[0], "bounds[0] (lower)")
        spec.upper = _scalar(bounds[1], "bounds[1] (upper)")
    if max_iter is not None:
        spec.max_iter = _cv.integer(max_iter, "max_iter", *_cv.INT32)
        if spec.max_iter == 0:  # the C field's 0 is the method's default
            raise InputError(SOCIND_ERR_ARG, "max_iter must be >= 1, not 0 (None: the "
                             "method's default)")
    if epsilon is not None:
        spec.epsilon = _given(epsilon, "epsilon")
        if spec.epsilon == 0:  # the C field's 0 is the method's default
            raise InputError(SOCIND_ERR_ARG, "epsilon must be > 0, not 0 (None: the method's "
                             "default)")
    w = np.empty(n, dtype=np.float64)
    iters = np.zeros(1, dtype=np.int32)
    handle = HANDLE()
    st = lib.socind_calibrate(design._h, ctypes.byref(spec), w, iters, ctypes.byref(handle))
    try:
        _check(st)
    except SocindError as e:
        # the C library numbers a margin's levels: say the caller's labels
        def label(m):
            i, lv = int(m.group(1)), int(m.group(2))
            if i < len(level_labels) and lv < len(level_labels[i]):
                return f"margins[{i}], level {_cv.shown(level_labels[i][lv])}"
            return m.group(0)
        if e.args and isinstance(e.args[0], str):
            e.args = (re.sub(r"margin (\d+), level (\d+)", label, e.args[0]),) + e.args[1:]
        raise
    out = Design.__new__(Design)
    out._labels = dict(design._labels)
    out._index = design._index
    out._owner = _Handle(handle)
    out.n = n
    out.iterations = int(iters[0])
    return w, out


def is_calibrated(design: Design) -> bool:
    """True when the design was made by calibrate()."""
    if not isinstance(design, Design):
        raise InputTypeError(SOCIND_ERR_ARG, f"design must be a socind.Design, not "
                             f"{type(design).__name__}")
    return bool(lib.socind_design_calibrated(design._h))
