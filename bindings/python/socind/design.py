# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/design.h: the survey design (Design), the variance engine, and the
estimators design.h declares: totals, means, ratios and proportions.

Also the estimator frame the other modules share: the analysis variable
and its design (_y_design), the pandas index rule (_same_index), and the
overall and by-group calls of an estimator (_estimate, _call)."""

from __future__ import annotations

import ctypes
from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import ESTIMATE_P, OPTIONS_P, Estimate, Estimate_t, _check, _options, _rows_text
from ._errors import InputError, InputTypeError, SocindError
from ._groups import _frame, _Groups, _is_column
from ._lib import F64, F64_OUT, HANDLE, HANDLE_P, OPT_F64, OPT_I32, OPT_I64, lib
from .status import SOCIND_ERR_ARG, SOCIND_ERR_DATA, SOCIND_OK

# Strata with a single PSU (socind_design_options.lonely_psu).
SOCIND_LONELY_FAIL = 0
SOCIND_LONELY_REMOVE = 1
SOCIND_LONELY_ADJUST = 2
SOCIND_LONELY_AVERAGE = 3
SOCIND_LONELY_CERTAINTY = 4


class DesignOptions_t(ctypes.Structure):
    """socind_design_options."""
    _c_name = "socind_design_options"
    _fields_ = [("size", ctypes.c_size_t), ("lonely_psu", ctypes.c_int32),
                ("nest", ctypes.c_int32), ("threads", ctypes.c_int32)]


_i32, _sz = ctypes.c_int32, ctypes.c_size_t
# an estimator of design.h: (design, x, group, n_groups, opts, out)
_ESTIMATOR = (_i32, [HANDLE, F64, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P])

_lib.declare({
    "socind_design_options_init": (_i32, [ctypes.POINTER(DesignOptions_t)]),
    "socind_design_new": (_i32, [_sz, F64, OPT_I64, OPT_I64, OPT_F64,
                                 ctypes.POINTER(DesignOptions_t), HANDLE_P]),
    "socind_design_free": (None, [HANDLE]),
    "socind_design_nrows": (_sz, [HANDLE]),
    "socind_design_nstrata": (_sz, [HANDLE]),
    "socind_design_npsu": (_sz, [HANDLE]),
    "socind_design_df": (ctypes.c_double, [HANDLE]),
    "socind_variance": (_i32, [HANDLE, F64, OPT_I32, _i32, F64_OUT]),
    "socind_total": _ESTIMATOR,
    "socind_mean": _ESTIMATOR,
    "socind_ratio": (_i32, [HANDLE, F64, F64, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_proportion": _ESTIMATOR,
})

_f64 = _cv.f64

_LONELY = {"fail": SOCIND_LONELY_FAIL, "remove": SOCIND_LONELY_REMOVE,
           "adjust": SOCIND_LONELY_ADJUST, "average": SOCIND_LONELY_AVERAGE,
           "certainty": SOCIND_LONELY_CERTAINTY}


def _new_design(n: int, w: np.ndarray, strata: Optional[np.ndarray], psu: Optional[np.ndarray],
                fpc: Optional[np.ndarray], lonely_psu: int, nest: bool):
    """socind_design_new: (status, handle or None)."""
    opts = DesignOptions_t()
    _check(lib.socind_design_options_init(ctypes.byref(opts)))
    opts.lonely_psu = lonely_psu
    opts.nest = nest
    handle = HANDLE()
    st = lib.socind_design_new(n, w, strata, psu, fpc, ctypes.byref(opts), ctypes.byref(handle))
    return st, (_Handle(handle) if st == SOCIND_OK else None)


class _Handle:
    """Owns one socind_design*; freed once, when the last Design sharing it goes."""
    __slots__ = ("h",)

    def __init__(self, h: ctypes.c_void_p):
        self.h = h

    def __del__(self):
        h, self.h = getattr(self, "h", None), None
        if h and lib is not None:
            lib.socind_design_free(h)

    def __reduce__(self):
        raise TypeError("a socind design handle cannot be pickled")


class Design:
    """A survey design built once and reused by every estimate.

    ``weight``: sampling weights (finite, >= 0). ``strata``, ``psu``: ids —
    integers keep their value, whole floats (3204.0) become that integer, any
    other ids (1.2, text, pandas categoricals) are labels numbered in sorted
    order; missing ids are refused (InputError naming the row). PSU ids may
    restart in each stratum with ``nest=True``. ``fpc``: per row, the
    population number of PSUs of the stratum, or the sampling fraction when
    every value is <= 1. ``lonely_psu``: "fail", "remove", "adjust",
    "average" or "certainty".

    A design is immutable: ``copy.copy`` and ``copy.deepcopy`` return it
    (copies would share one C handle anyway); pickling is refused with a
    TypeError (rebuild the design from its columns instead)."""

    def __init__(self, weight: Any, strata: Any = None, psu: Any = None, fpc: Any = None,
                 lonely_psu: str = "fail", nest: bool = False):
        self._labels = {}
        self._index = _same_index(("weight", weight), ("strata", strata), ("psu", psu),
                                  ("fpc", fpc))
        w = _f64(weight, None, "weight", bools="weights")
        n = w.shape[0]
        s = self._ids(strata, n, "strata")
        p = self._ids(psu, n, "psu")
        f = None if fpc is None else _f64(fpc, n, "fpc",
                                          bools="population sizes or fractions")
        nest = _cv.flag(nest, "nest")
        if lonely_psu not in _LONELY:
            raise InputError(SOCIND_ERR_ARG, f"lonely_psu must be one of {sorted(_LONELY)}, "
                             f"not {lonely_psu!r}")
        st, owner = _new_design(n, w, s, p, f, _LONELY[lonely_psu], nest)
        if st != SOCIND_OK:
            try:
                _check(st)
            except SocindError as e:
                # a missing weight or fpc (NaN, None, pd.NA: NaN by now) is said
                # as missing
                for name, v in (("weight", w), ("fpc", f)):
                    if v is not None and e.row is not None and 0 <= e.row < n and \
                            np.isnan(v[e.row]):
                        e.args = (e.args[0].replace(f"{name}[{e.row}] is nan",
                                                    f"{name}[{e.row}] is missing (NaN, None "
                                                    "or pd.NA)"),)
                # ids given as labels: say which labels the named row carries
                if e.row is not None and self._labels:
                    shown = ", ".join(f"{k} = {_cv.shown(lab[int(v[e.row])])}"
                                      for k, (lab, v) in self._labels.items())
                    e.args = (e.args[0] + f" (row {e.row}: {shown})",)
                raise
        self._owner = owner
        self.n = n

    def _ids(self, x: Any, n: int, name: str) -> Optional[np.ndarray]:
        if x is None:
            return None
        v, miss, labels = _cv.ids(x, n, name)
        if miss is not None:
            bad = np.flatnonzero(miss)
            raise InputError(SOCIND_ERR_DATA, f"{name} is missing at {_rows_text(bad)}: every "
                             "row of a design needs its ids (leave such rows out, or give them "
                             "an id of their own)", int(bad[0]), bad)
        if labels is not None:
            self._labels[name] = (labels, v)
        return v

    @property
    def _h(self) -> ctypes.c_void_p:
        return self._owner.h

    def __copy__(self) -> "Design":
        return self

    def __deepcopy__(self, memo) -> "Design":
        return self

    def __reduce_ex__(self, protocol):
        raise TypeError("socind.Design cannot be pickled: it holds a C handle; pickle its "
                        "columns (weight, strata, psu, fpc) and build the design again")

    def __repr__(self) -> str:
        return f"<socind.Design: {self.n} rows, {self.nstrata} strata, {self.npsu} PSUs>"

    @property
    def df(self) -> float:
        """Degrees of freedom: PSUs − strata (rows with a non-zero weight)."""
        return lib.socind_design_df(self._h)

    @property
    def nstrata(self) -> int:
        """Number of strata."""
        return lib.socind_design_nstrata(self._h)

    @property
    def npsu(self) -> int:
        """Number of PSUs (every row is one when no PSU ids were given)."""
        return lib.socind_design_npsu(self._h)


def _indexes(name: str, x: Any):
    """(argument name, pandas index) of each pandas object an argument holds:
    a Design its columns', ``by`` each of its columns'."""
    if isinstance(x, Design):
        if x._index is not None:
            yield f"design ({x._index[0]})", x._index[1]
        return
    if name == "by" and x is not None:
        if isinstance(x, dict):
            for k, c in x.items():
                idx = _cv.index_of(c)
                if idx is not None:
                    yield f"by[{k!r}]", idx
            return
        if isinstance(x, (list, tuple)) and len(x) > 0 and all(_is_column(c) for c in x):
            for j, c in enumerate(x):
                idx = _cv.index_of(c)
                if idx is not None:
                    yield f"by[{j}]", idx
            return
    idx = _cv.index_of(x)
    if idx is not None:
        yield name, idx


def _same_index(*pairs) -> Optional[tuple]:
    """The boundary's rule for pandas objects: every Series or DataFrame that
    one call receives (``pairs`` of argument name and value, a Design's
    columns included) carries the same index — the same labels in the same
    order. socind pairs rows by position and never aligns them by index, so
    objects whose indexes differ raise InputError naming both arguments.
    Arrays and lists have no index and are taken by position. Returns the
    first (name, index), or None."""
    first = None
    for name, x in pairs:
        for nm, idx in _indexes(name, x):
            if first is None:
                first = (nm, idx)
                continue
            ref = first[1]
            if idx is ref or len(idx) != len(ref) or idx.equals(ref):
                continue  # (a length mismatch is reported as one)
            raise InputError(
                SOCIND_ERR_ARG,
                f"{first[0]} and {nm} are pandas objects with different indexes "
                f"({_show_index(ref)} and {_show_index(idx)}): socind pairs rows by position "
                "and never aligns them by index; give them the same index (the same rows in "
                "the same order: .loc[...], .reindex(...)), or pass .to_numpy() to pair "
                "rows by position")
    return first


def _show_index(idx) -> str:
    head = ", ".join(repr(v) for v in idx[:3].tolist())
    return f"[{head}{', …' if len(idx) > 3 else ''}]"


def _y_design(y: Any, design: Optional[Design], name: str = "y", others: Sequence = ()):
    """The analysis variable as float64 and its design (a simple random sample
    of y's length when none is given), their lengths checked against each
    other before any pointer reaches C, and the indexes of every pandas
    argument (``others``: more (name, value) pairs) against each other."""
    _same_index((name, y), *others, ("design", design))
    yv = _f64(y, None, name)
    d = _design_or_srs(design, yv.shape[0])
    _cv.check_length(yv, d.n, name)
    return yv, d


def _design_or_srs(design: Optional[Design], n: int) -> Design:
    if design is None:
        return Design(np.ones(n))
    if not isinstance(design, Design):
        raise InputTypeError(SOCIND_ERR_ARG, f"design must be a socind.Design, not "
                             f"{type(design).__name__}")
    return design


def _estimate(fn, d: Design, yv: np.ndarray, by, level, ci, args=(), extra=(), per_group=1,
              names=None, prop_ci=None):
    """One call without groups (the overall estimate) and, with ``by``, one
    with them; every output buffer holds what C writes (per_group × groups)."""
    opts = _options(level, ci, prop_ci)
    groups = None if by is None else _Groups(by, d.n)
    out = (Estimate_t * per_group)()
    _check(fn(d._h, yv, *extra, *args, None, 1, ctypes.byref(opts), out))
    if groups is None:
        if per_group == 1:
            return Estimate._from(out[0], d.n)
        return {names[i]: Estimate._from(out[i], d.n) for i in range(per_group)}
    gout = (Estimate_t * (groups.G * per_group))()
    _check(fn(d._h, yv, *extra, *args, groups.codes, groups.G,
              ctypes.byref(opts), gout))
    return _frame(out, gout, groups, d.n, per_group, names)


def _call(fn, design, y, by, level, ci, *args, per_group=1, names=None, extra=(),
          prop_ci=None):
    yv, d = _y_design(y, design, others=[("by", by)])
    return _estimate(fn, d, yv, by, level, ci, args, extra, per_group, names, prop_ci)


Result = Union[Estimate, Any]


def total(x: Any, design: Optional[Design] = None, by: Any = None, level: float = 0.95,
          ci: Optional[str] = None) -> Result:
    """Population total Σ w·x (R's svytotal)."""
    return _call(lib.socind_total, design, x, by, level, ci)


def mean(x: Any, design: Optional[Design] = None, by: Any = None, level: float = 0.95,
         ci: Optional[str] = None) -> Result:
    """Weighted mean (R's svymean)."""
    return _call(lib.socind_mean, design, x, by, level, ci)


def proportion(x: Any, design: Optional[Design] = None, by: Any = None, level: float = 0.95,
               ci: Optional[str] = None, prop_ci: Optional[str] = None) -> Result:
    """Proportion of a 0/1 variable: the logit interval (R's svyciprop,
    ``prop_ci="logit"``, the default) or the symmetric Wald interval p ∓ q·se
    (``prop_ci="wald"``), or R's other svyciprop methods ("likelihood",
    "asin", "beta" = Korn–Graubard, "mean", "xlogit"); q from Student's t on
    the estimate's df (``ci="t"``, the default) or the normal
    (``ci="normal"``), whichever interval. As svyciprop on the domain's
    design: with ``by=``, each group's df is the domain's (PSUs minus strata
    among its rows of non-zero weight), and "likelihood" is built on R's glm
    fit (glm's IRLS stop, svyglm's sandwich SE), as survey's profile is;
    "logit" stays on the exact fit (design.h)."""
    return _call(lib.socind_proportion, design, x, by, level, ci, prop_ci=prop_ci)


def ratio(numerator: Any, denominator: Any, design: Optional[Design] = None, by: Any = None,
          level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Ratio of totals Σ w·a / Σ w·b (R's svyratio); a row is used when both
    values are present."""
    a, d = _y_design(numerator, design, "numerator",
                     [("denominator", denominator), ("by", by)])
    b = _f64(denominator, d.n, "denominator")
    return _estimate(lib.socind_ratio, d, a, by, level, ci, extra=(b,))


def variance(u: Any, design: Design, by: Any = None):
    """The design variance of the total Σ w·u (the variance engine itself);
    with ``by``, a pandas Series by group (the overall row "all" first)."""
    if not isinstance(design, Design):
        raise InputTypeError(SOCIND_ERR_ARG, f"design must be a socind.Design, not "
                             f"{type(design).__name__}")
    _same_index(("u", u), ("by", by), ("design", design))
    uv = _f64(u, design.n, "u")
    one = np.empty(1)
    _check(lib.socind_variance(design._h, uv, None, 1, one))
    if by is None:
        return float(one[0])
    import pandas as pd
    groups = _Groups(by, design.n)
    out = np.empty(groups.G)
    _check(lib.socind_variance(design._h, uv, groups.codes, groups.G, out))
    return pd.Series([float(one[0])] + out.tolist(), index=groups.index(), name="variance")
