# SPDX-License-Identifier: GPL-3.0-or-later
"""socind from Python: social indicators with design-based standard errors.

Every function takes array-likes (NumPy arrays, pandas Series, lists), passes
contiguous float64/int32/int64 buffers to the C library without copying when
they already are, and returns an :class:`Estimate` — or, with ``by=``, a
pandas DataFrame indexed by group label with an overall row ``"all"``.

The boundary policy (README, "Python"):
 - values are compared, never cast first: a float stratum 1.2 is not 1, an
   int64 sex code 2**32 + 1 is not 1; complex numbers, and text where numbers
   are expected, are refused (InputTypeError, also a TypeError, naming the
   argument, with the row as ``.row``);
 - pandas objects are never aligned by index, nor paired by position when
   their indexes differ: every Series or DataFrame of one call (a Design's
   columns included) must carry the same index, else InputError naming both
   arguments; arrays and lists have no index and are taken by position;
 - missing values are NaN, None and pandas' ``pd.NA``; every estimate says
   how many rows missing values took out of it (``n_missing``);
 - a call that fails — in the library or before any C call — raises a
   :class:`SocindError` subclass carrying the C status (``.status``) and the
   0-based row the failure names (``.row``); a
   figure that is NaN or infinite comes with a non-zero ``status`` and a
   readable ``reason`` (DataFrames: a ``status`` column);
 - invalid sex/measure/oedema codes (anthro's codes, compared exactly: see
   :func:`zscores`) raise :class:`InputError` naming the rows, unless
   ``invalid="missing"``; ``sex_codes=`` & co. recode;
 - ``prevalence()`` applies anthro's rules for rows without cluster, stratum
   or weight and says so in anthro's words (:class:`DataWarning`).
"""

from __future__ import annotations

import ctypes
import sys
import warnings
from dataclasses import dataclass
from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _convert as _cv
from . import _lib
from ._lib import lib

__all__ = [
    "Design", "Estimate", "SocindError", "DesignError", "InputError", "InputTypeError",
    "EmptyError", "ComputeError", "DataWarning",
    "version", "total", "mean", "ratio", "proportion", "relative_line", "fgt", "poor_count",
    "poverty_gap_total", "mean_shortfall", "watts", "poverty_line", "ppp_line", "gini", "ge",
    "atkinson", "quantile", "share_ratio", "lorenz", "zscores", "prevalence",
    "variance", "critical_value", "difference", "fgt_decomposition", "watts_decomposition",
    "poverty_profile", "ge_decomposition", "zscores_child", "growth_quality", "round2",
]

# ---------------------------------------------------------------- errors

from ._errors import (SOCIND_ERR_ARG, SOCIND_ERR_CODE, SOCIND_ERR_DATA,  # noqa: E402
                      SOCIND_ERR_EMPTY, SOCIND_ERR_RANGE, ComputeError, DataWarning,
                      DesignError, EmptyError, InputError, InputTypeError, SocindError)

_CLASS = {1: InputError, 2: EmptyError, 3: DesignError, 4: DesignError, 5: DesignError,
          6: DesignError, 7: DesignError, 8: InputError, 9: ComputeError, 10: InputError,
          11: InputError, 12: EmptyError, 13: ComputeError, 14: InputError, 15: InputError,
          16: InputError, 17: InputError, 18: ComputeError}


def _reason(status: int) -> str:
    return "" if status == 0 else lib.socind_strerror(status).decode()


def _check(status: int, rows: Optional[np.ndarray] = None) -> None:
    """Raises the status's exception with the library's detail and row.
    ``rows`` maps the rows the library saw to the caller's rows when the
    binding passed a subset."""
    if status == 0:
        return
    detail = lib.socind_last_error_detail().decode()
    row = int(lib.socind_last_error_row())
    text = _reason(status) + (": " + detail if detail else "")
    if row < 0:
        row = None
    elif rows is not None:
        mine = int(rows[row])
        if mine != row:
            text += f" (the library's row {row} is row {mine} of the input)"
        row = mine
    raise _CLASS.get(status, SocindError)(status, text, row)


def _warn(message: str) -> None:
    """warnings.warn pointing at the caller's line (the first frame outside socind)."""
    f, level = sys._getframe(0), 1
    while f is not None and f.f_globals.get("__name__", "").partition(".")[0] == "socind":
        f, level = f.f_back, level + 1
    warnings.warn(message, DataWarning, stacklevel=level)


def version() -> str:
    """The C library's release version."""
    return lib.socind_version().decode()


# ---------------------------------------------------------------- arrays

_f64 = _cv.f64


def _ptr(a: Optional[np.ndarray], ctype):
    return None if a is None else a.ctypes.data_as(ctypes.POINTER(ctype))


# ---------------------------------------------------------------- design

_LONELY = {"fail": 0, "remove": 1, "adjust": 2, "average": 3, "certainty": 4}


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
        w = _f64(weight, None, "weight")
        n = w.shape[0]
        s = self._ids(strata, n, "strata")
        p = self._ids(psu, n, "psu")
        f = None if fpc is None else _f64(fpc, n, "fpc")
        if lonely_psu not in _LONELY:
            raise InputError(SOCIND_ERR_ARG, f"lonely_psu must be one of {sorted(_LONELY)}, "
                             f"not {lonely_psu!r}")
        opts = _lib.DesignOptions_t()
        lib.socind_design_options_init(ctypes.byref(opts))
        opts.lonely_psu = _LONELY[lonely_psu]
        opts.nest = 1 if nest else 0
        handle = ctypes.c_void_p()
        st = lib.socind_design_new(n, _ptr(w, ctypes.c_double), _ptr(s, ctypes.c_int64),
                                   _ptr(p, ctypes.c_int64), _ptr(f, ctypes.c_double),
                                   ctypes.byref(opts), ctypes.byref(handle))
        if st != 0:
            try:
                _check(st)
            except SocindError as e:
                # ids given as labels: say which labels the named row carries
                if e.row is not None and self._labels:
                    shown = ", ".join(f"{k} = {lab[int(v[e.row])]!r}"
                                      for k, (lab, v) in self._labels.items())
                    e.args = (e.args[0] + f" (row {e.row}: {shown})",)
                raise
        self._owner = _Handle(handle)
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


def _rows_text(bad: np.ndarray, values: Optional[np.ndarray] = None, limit: int = 20) -> str:
    """'rows 3, 7 and 12' (0-based), the first `limit`, then 'and N more'."""
    shown = []
    for i in bad[:limit]:
        i = int(i)
        shown.append(f"{i} ({values[i]!r})" if values is not None else str(i))
    text = ("row " if len(bad) == 1 else "rows ") + ", ".join(shown)
    if len(bad) > limit:
        text += f" and {len(bad) - limit} more"
    return text


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Estimate:
    """One estimate: value, standard error, confidence interval, degrees of
    freedom, rows used (n) and their weight sum; ``status`` (0, or the
    SOCIND_ERR_* code saying why a figure is NaN or infinite) with its
    ``reason`` in words; ``n_missing``: the rows of the estimate's domain that
    missing values took out (with ``exclude_nonpositive``, also values <= 0)."""
    value: float
    se: float
    ci_low: float
    ci_high: float
    df: float
    n: int
    weight_sum: float
    status: int = 0
    reason: str = ""
    n_missing: int = 0

    @staticmethod
    def _from(e: "_lib.Estimate_t", rows: Optional[int] = None) -> "Estimate":
        n = int(e.n)
        return Estimate(e.value, e.se, e.ci_low, e.ci_high, e.df, n, e.weight_sum,
                        int(e.status), _reason(int(e.status)),
                        0 if rows is None else max(int(rows) - n, 0))


def _options(level: float, ci: Optional[str], prop_ci: Optional[str] = None):
    """The C options: ``ci`` ("t", the default, or "normal": the critical
    value's distribution) and ``prop_ci`` ("logit", the default, or "wald":
    the interval of a proportion), independent of each other as the
    command's --ci and --prop-ci. Only the functions whose figure is a
    proportion take prop_ci (their callers check that)."""
    o = _lib.Options_t()
    lib.socind_options_init(ctypes.byref(o))
    o.level = _scalar(level, "level")
    if ci not in (None, "t", "normal"):
        hint = (f"; {ci!r} is an interval for proportions: pass prop_ci={ci!r} (proportion, "
                "fgt with alpha=0)" if ci in ("wald", "logit") else "")
        raise InputError(SOCIND_ERR_ARG, f"ci must be 't' or 'normal', not {ci!r}{hint}")
    if prop_ci not in (None, "logit", "wald"):
        raise InputError(SOCIND_ERR_ARG, f"prop_ci must be 'logit' or 'wald', not {prop_ci!r}")
    o.ci_dist = 1 if ci == "normal" else 0
    o.prop_ci = 1 if prop_ci == "wald" else 0
    return o


class _Groups:
    """The domains of ``by=``: one or several columns, crossed. ``codes``
    (int32, −1 = a missing label in some column), ``G`` groups (the observed
    combinations, sorted), ``labels`` (a label, or a tuple per group),
    ``names`` (one per column), ``rows`` (rows per group), ``missing`` (rows
    with no group)."""

    def __init__(self, by: Any, n: int, required: bool = False):
        cols, names = _by_columns(by)
        per = [_cv.factorize(c, n, nm) for c, nm in zip(cols, names)]
        self._per = per
        # the overall row is "all" (("all", "all") when crossed): a group may
        # not carry that label, nor a crossed one "all" in any column, or
        # t.loc["all"] would return more than the overall row
        for (c, lab), nm in zip(per, names):
            if "all" in lab:
                r = int(np.flatnonzero(c == lab.index("all"))[0])
                raise InputError(SOCIND_ERR_DATA, f"{nm}: the label 'all' (row {r}) is the "
                                 "label of the overall row; rename it", r)
        if len(per) == 1:
            codes, labels = per[0]
            self.labels = labels
        else:
            codes, first = _cross([c for c, _ in per])
            # each group's labels: those of its first row, column by column
            self.labels = [tuple(lab[int(c[r])] for c, lab in per) for r in first.tolist()]
        self.names = names
        self.G = len(self.labels)
        if self.G == 0:
            raise EmptyError(SOCIND_ERR_EMPTY, "by: every value is missing, so there is no "
                             "group to estimate")
        if self.G > np.iinfo(np.int32).max:
            raise InputError(SOCIND_ERR_RANGE, "by has more groups than the library takes "
                             "(2**31 - 1)")
        self.codes = np.ascontiguousarray(codes, dtype=np.int32)
        valid = self.codes >= 0
        self.rows = np.bincount(self.codes[valid], minlength=self.G)
        self.missing = int(n - valid.sum())

    def index(self, with_overall: bool = True):
        """pandas index of the groups, the overall row ("all") first."""
        import pandas as pd
        labels = list(self.labels)
        if len(self.names) == 1:
            if with_overall:
                labels = ["all"] + labels
            return pd.Index(labels, name=self.names[0], dtype=object if with_overall else None)
        if with_overall:
            labels = [("all",) * len(self.names)] + labels
        return pd.MultiIndex.from_tuples(labels, names=self.names)

    def prevalence_labels(self) -> list:
        """The prevalence table's label of each group, as the command labels
        its domain rows: "COLUMN: value", or for crossed columns "A + B: a.b"
        (anthro's interaction labels, as in "Age + sex: 12-23 mo.Female").
        A value of a crossed column may not contain the separator ".", so
        that each label reads one way."""
        if len(self.names) > 1:
            for (c, lab), nm in zip(self._per, self.names):
                for j, v in enumerate(lab):
                    if "." in str(v):
                        r = int(np.flatnonzero(c == j)[0])
                        raise InputError(
                            SOCIND_ERR_DATA, f"{nm}: the prevalence table labels crossed "
                            f"columns '{' + '.join(self.names)}: "
                            f"{'.'.join('value' for _ in self.names)}', so a value may not "
                            f"contain '.': {v!r} (row {r}) would read two ways; combine the "
                            "columns into one (its rows are labelled 'COLUMN: value') or "
                            "rename the value", r)
            head = " + ".join(self.names)
            return [f"{head}: " + ".".join(str(p) for p in lab) for lab in self.labels]
        return [f"{self.names[0]}: {v}" for v in self.labels]

    def first_row(self, g: int) -> int:
        return int(np.flatnonzero(self.codes == g)[0])


def _cross(codes: Sequence[np.ndarray]):
    """Crosses per-column codes (−1 missing, each in sorted label order) into
    one code per row for the observed combinations, numbered in lexicographic
    order of the columns' codes (−1 where any column is missing), and the
    first row of each combination. The crossing is renumbered after each
    column, so the running code stays below the number of rows and never
    overflows, however many labels the columns have."""
    miss = np.zeros(codes[0].shape[0], dtype=bool)
    for c in codes:
        miss |= c < 0
    keep = np.flatnonzero(~miss)
    run = np.zeros(keep.shape[0], dtype=np.int64)
    for c in codes:
        sub = c[keep].astype(np.int64)
        # run < rows and sub < labels <= rows: the product stays below 2**62
        _, run = np.unique(run * (int(sub.max(initial=0)) + 1) + sub, return_inverse=True)
        run = run.reshape(-1).astype(np.int64)
    out = np.full(codes[0].shape[0], -1, dtype=np.int64)
    out[keep] = run
    G = int(run.max(initial=-1)) + 1
    first = np.full(G, -1, dtype=np.int64)
    first[run[::-1]] = keep[::-1]  # the last write wins: each combination's first row
    return out, first


def _by_columns(by: Any):
    """(columns, names) of ``by=``: a DataFrame, a dict name → column, a list
    or tuple of columns, or one column (array, Series, list of labels)."""
    if _cv.is_pandas(by) and type(by).__name__ == "DataFrame":
        cols = [by.iloc[:, j] for j in range(by.shape[1])]
        names = [str(c) for c in by.columns]
    elif isinstance(by, dict):
        cols, names = list(by.values()), [str(k) for k in by]
    elif isinstance(by, (list, tuple)) and len(by) > 0 and \
            all(_is_column(c) for c in by):
        cols = list(by)
        names = []
        for j, c in enumerate(by):
            nm = getattr(c, "name", None) if _cv.is_pandas(c) else None
            names.append(str(nm) if nm is not None else ("by" if j == 0 else f"by{j + 1}"))
    else:
        cols = [by]
        nm = getattr(by, "name", None) if _cv.is_pandas(by) else None
        names = [str(nm) if nm is not None else "by"]
    if not cols:
        raise InputError(SOCIND_ERR_ARG, "by has no column")
    if len(set(names)) != len(names):
        raise InputError(SOCIND_ERR_ARG, f"by: two columns have the same name ({names}); name "
                         "them apart (a DataFrame or a dict)")
    return cols, names


def _is_column(c: Any) -> bool:
    """A per-row column (not a single label)."""
    if isinstance(c, (str, bytes)):
        return False
    return isinstance(c, (np.ndarray, list, tuple)) or _cv.is_pandas(c) and np.ndim(c) == 1


def _frame(overall, grouped, groups: _Groups, nrows: int, per_group: int = 1,
           names: Optional[Sequence[str]] = None):
    """The DataFrame of a by= call: the overall row, then one row per group
    (× statistic)."""
    import pandas as pd
    rows = []
    idx = []
    labels = [None] + list(range(groups.G))
    base = groups.index(with_overall=True)
    for j, g in enumerate(labels):
        for i in range(per_group):
            if g is None:
                e = Estimate._from(overall[i], nrows)
            else:
                e = Estimate._from(grouped[g * per_group + i], groups.rows[g])
            rows.append(dict(value=e.value, se=e.se, ci_low=e.ci_low, ci_high=e.ci_high,
                             df=e.df, n=e.n, n_missing=e.n_missing, weight_sum=e.weight_sum,
                             status=e.status))
            key = base[j] if len(groups.names) == 1 else tuple(base[j])
            idx.append((key, names[i]) if per_group > 1 else key)
    df = pd.DataFrame(rows)
    if per_group > 1:
        if len(groups.names) == 1:
            df.index = pd.MultiIndex.from_tuples(idx, names=[groups.names[0], "statistic"])
        else:
            df.index = pd.MultiIndex.from_tuples([k + (s,) for k, s in idx],
                                                 names=groups.names + ["statistic"])
    elif len(groups.names) == 1:
        df.index = pd.Index(idx, name=groups.names[0], dtype=object)
    else:
        df.index = pd.MultiIndex.from_tuples(idx, names=groups.names)
    df.attrs["by_missing"] = groups.missing
    return df


def _design_or_srs(design: Optional[Design], n: int) -> Design:
    if design is None:
        return Design(np.ones(n))
    if not isinstance(design, Design):
        raise InputTypeError(SOCIND_ERR_ARG, f"design must be a socind.Design, not "
                             f"{type(design).__name__}")
    return design


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


def _estimate(fn, d: Design, yv: np.ndarray, by, level, ci, args=(), extra=(), per_group=1,
              names=None, prop_ci=None):
    """One call without groups (the overall estimate) and, with ``by``, one
    with them; every output buffer holds what C writes (per_group × groups)."""
    opts = _options(level, ci, prop_ci)
    groups = None if by is None else _Groups(by, d.n)
    yp = _ptr(yv, ctypes.c_double)
    out = (_lib.Estimate_t * per_group)()
    _check(fn(d._h, yp, *extra, *args, None, 1, ctypes.byref(opts), out))
    if groups is None:
        if per_group == 1:
            return Estimate._from(out[0], d.n)
        return {names[i]: Estimate._from(out[i], d.n) for i in range(per_group)}
    gout = (_lib.Estimate_t * (groups.G * per_group))()
    _check(fn(d._h, yp, *extra, *args, _ptr(groups.codes, ctypes.c_int32), groups.G,
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
    (``prop_ci="wald"``); q from Student's t on the design's df (``ci="t"``,
    the default) or the normal (``ci="normal"``), whichever interval."""
    return _call(lib.socind_proportion, design, x, by, level, ci, prop_ci=prop_ci)


def ratio(numerator: Any, denominator: Any, design: Optional[Design] = None, by: Any = None,
          level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Ratio of totals Σ w·a / Σ w·b (R's svyratio); a row is used when both
    values are present."""
    a, d = _y_design(numerator, design, "numerator",
                     [("denominator", denominator), ("by", by)])
    b = _f64(denominator, d.n, "denominator")
    return _estimate(lib.socind_ratio, d, a, by, level, ci, extra=(_ptr(b, ctypes.c_double),))


# ---------------------------------------------------------------- poverty


@dataclass(frozen=True)
class relative_line:
    """A relative poverty line: ``fraction`` × the weighted median
    (``of="median"``), the weighted ``quantile`` (``of="quantile",
    quantile=p``) or the weighted mean (``of="mean"``) of the whole sample.

    Each kind takes only what it uses: the median is the 0.5 quantile (a
    ``quantile`` other than 0.5 is refused; ``quantile`` reads 0.5),
    ``"quantile"`` needs ``quantile=``, and ``"mean"`` takes none
    (``quantile`` is None). Refusals raise :class:`InputError`."""
    fraction: float
    of: str = "median"
    quantile: Optional[float] = None

    def __post_init__(self):
        fraction = _scalar(self.fraction, "relative_line.fraction")
        q = self.quantile
        if q is not None:
            q = _scalar(q, "relative_line.quantile")
        if self.of == "median":
            if q is not None and q != 0.5:
                raise InputError(SOCIND_ERR_ARG, f"relative_line: of='median' is the 0.5 "
                                 f"quantile, not quantile={q!r}; for another quantile write "
                                 f"of='quantile', quantile={q!r}")
            q = 0.5
        elif self.of == "quantile":
            if q is None:
                raise InputError(SOCIND_ERR_ARG, "relative_line: of='quantile' needs "
                                 "quantile= (e.g. quantile=0.5 for the median)")
        elif self.of == "mean":
            if q is not None:
                raise InputError(SOCIND_ERR_ARG, f"relative_line: of='mean' takes no quantile "
                                 f"(got quantile={q!r}); for a quantile line write "
                                 "of='quantile'")
        else:
            raise InputError(SOCIND_ERR_ARG, "relative_line: of must be 'median', 'quantile' "
                             f"or 'mean', not {self.of!r}")
        object.__setattr__(self, "fraction", fraction)
        object.__setattr__(self, "quantile", q)


def _scalar(v: Any, name: str) -> float:
    """A real number argument (not complex, not text)."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v.item()
    if isinstance(v, (bool, np.bool_)) or not (_cv._is_number(v) or
                                               isinstance(v, (np.integer, np.floating))):
        raise InputTypeError(SOCIND_ERR_ARG, f"{name} must be a real number, not "
                             f"{type(v).__name__} ({v!r})")
    return float(v)


def _line(line: Any, n: int, inclusive: bool):
    L = _lib.PovertyLine_t()
    lib.socind_poverty_line_init(ctypes.byref(L))
    L.inclusive = 1 if inclusive else 0
    keep = None
    if isinstance(line, relative_line):  # checked when it was made
        L.type = 2 if line.of in ("median", "quantile") else 3
        L.value = line.fraction
        if line.quantile is not None:
            L.quantile = line.quantile
    elif np.ndim(line) == 0 and not isinstance(line, (str, bytes)):
        L.type = 0
        L.value = _scalar(line, "line")
    else:
        keep = _f64(line, n, "line")
        L.type = 1
        L.lines = _ptr(keep, ctypes.c_double)
    return L, keep


def _poverty(fn, y, line, design, by, inclusive, level, ci, *args, per_group=1, names=None,
             prop_ci=None):
    yv, d = _y_design(y, design, others=[("line", line), ("by", by)])
    L, keep = _line(line, d.n, inclusive)
    res = _estimate(fn, d, yv, by, level, ci, args, (ctypes.byref(L),), per_group, names,
                    prop_ci)
    del keep
    return res


def fgt(y: Any, line: Any, alpha: float = 0, design: Optional[Design] = None, by: Any = None,
        inclusive: bool = False, level: float = 0.95, ci: Optional[str] = None,
        prop_ci: Optional[str] = None) -> Result:
    """FGT(α): α = 0 poverty rate, 1 poverty gap index, 2 severity. ``line``:
    a number, an array of per-row lines, or :class:`relative_line`. The
    poverty rate (α = 0) is a proportion: its interval is the logit one
    (``prop_ci="logit"``, the default) or Wald's (``prop_ci="wald"``); other
    α have a symmetric interval and take no prop_ci. ``ci``: "t" (default)
    or "normal"."""
    a = _scalar(alpha, "alpha")
    if prop_ci is not None and a != 0:
        raise InputError(SOCIND_ERR_ARG, f"prop_ci applies to the poverty rate (alpha=0), "
                         f"whose figure is a proportion; FGT({a:g}) has a symmetric interval "
                         "(leave prop_ci out)")
    return _poverty(lib.socind_fgt, y, line, design, by, inclusive, level, ci,
                    ctypes.c_double(a), prop_ci=prop_ci)


def poor_count(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
               inclusive: bool = False, level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Number of poor people (a population total)."""
    return _poverty(lib.socind_poor_count, y, line, design, by, inclusive, level, ci)


def poverty_gap_total(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
                      inclusive: bool = False, level: float = 0.95,
                      ci: Optional[str] = None) -> Result:
    """Total poverty gap Σ w (z − y) over the poor, in currency."""
    return _poverty(lib.socind_poverty_gap_total, y, line, design, by, inclusive, level, ci)


def mean_shortfall(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
                   inclusive: bool = False, level: float = 0.95,
                   ci: Optional[str] = None) -> Result:
    """Mean shortfall of the poor, in currency."""
    return _poverty(lib.socind_mean_shortfall, y, line, design, by, inclusive, level, ci)


def watts(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
          inclusive: bool = False, exclude_nonpositive: bool = False, level: float = 0.95,
          ci: Optional[str] = None) -> Result:
    """Watts index (incomes must be > 0 unless ``exclude_nonpositive``)."""
    return _poverty(lib.socind_watts, y, line, design, by, inclusive, level, ci,
                    ctypes.c_int32(1 if exclude_nonpositive else 0))


def poverty_line(y: Any, line: Any, design: Optional[Design] = None, inclusive: bool = False,
                 level: float = 0.95, ci: Optional[str] = None) -> Estimate:
    """The line itself with its SE (a relative line is estimated)."""
    yv, d = _y_design(y, design, others=[("line", line)])
    L, keep = _line(line, d.n, inclusive)
    out = _lib.Estimate_t()
    opts = _options(level, ci)
    _check(lib.socind_poverty_line_estimate(d._h, _ptr(yv, ctypes.c_double), ctypes.byref(L),
                                            ctypes.byref(opts), ctypes.byref(out)))
    del keep
    return Estimate._from(out, d.n if out.n else None)


def ppp_line(daily_line: float, ppp_factor: float, cpi_survey: float, cpi_base: float,
             days_per_period: float) -> float:
    """Converts a daily international-dollar line to local currency per period."""
    out = ctypes.c_double()
    args = [_scalar(v, k) for v, k in ((daily_line, "daily_line"), (ppp_factor, "ppp_factor"),
                                       (cpi_survey, "cpi_survey"), (cpi_base, "cpi_base"),
                                       (days_per_period, "days_per_period"))]
    _check(lib.socind_ppp_line(*args, ctypes.byref(out)))
    return out.value


# ---------------------------------------------------------------- inequality


def gini(y: Any, design: Optional[Design] = None, by: Any = None, level: float = 0.95,
         ci: Optional[str] = None) -> Result:
    """Gini coefficient (convey's formula) with its linearized SE."""
    return _call(lib.socind_gini, design, y, by, level, ci)


def ge(y: Any, theta: float = 1.0, design: Optional[Design] = None, by: Any = None,
       exclude_nonpositive: bool = False, level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Generalized entropy GE(θ): θ = 0 MLD, θ = 1 Theil."""
    return _call(lib.socind_ge, design, y, by, level, ci, ctypes.c_double(_scalar(theta, "theta")),
                 ctypes.c_int32(1 if exclude_nonpositive else 0))


def atkinson(y: Any, epsilon: float = 1.0, design: Optional[Design] = None, by: Any = None,
             exclude_nonpositive: bool = False, level: float = 0.95,
             ci: Optional[str] = None) -> Result:
    """Atkinson index A(ε), ε > 0."""
    return _call(lib.socind_atkinson, design, y, by, level, ci,
                 ctypes.c_double(_scalar(epsilon, "epsilon")),
                 ctypes.c_int32(1 if exclude_nonpositive else 0))


def quantile(y: Any, p: float = 0.5, design: Optional[Design] = None, by: Any = None,
             level: float = 0.95) -> Result:
    """Weighted p-quantile with Woodruff's interval (R's svyquantile)."""
    return _call(lib.socind_quantile, design, y, by, level, None, ctypes.c_double(_scalar(p, "p")))


def share_ratio(y: Any, alpha1: float = 0.2, alpha2: float = 0.8,
                design: Optional[Design] = None, by: Any = None, level: float = 0.95,
                ci: Optional[str] = None) -> Result:
    """Income share ratio: S80/S20 by default; (0.4, 0.9) is the Palma ratio."""
    return _call(lib.socind_share_ratio, design, y, by, level, ci,
                 ctypes.c_double(_scalar(alpha1, "alpha1")),
                 ctypes.c_double(_scalar(alpha2, "alpha2")))


def lorenz(y: Any, p: float, design: Optional[Design] = None, by: Any = None,
           level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Lorenz ordinate L(p)."""
    return _call(lib.socind_lorenz, design, y, by, level, ci, ctypes.c_double(_scalar(p, "p")))


# ---------------------------------------------------------------- growth

_INVALID = ("error", "missing")


def _growth_codes(x: Any, n: Optional[int], table: "_cv.CodeTable", recode: Optional[dict],
                  invalid: str, arg: str) -> Optional[np.ndarray]:
    """sex/measure/oedema → C codes (−1 missing). Invalid codes raise
    InputError naming the rows (up to 20, then "and N more"), or with
    invalid="missing" become missing with a DataWarning giving the count."""
    if x is None:
        return None
    if invalid not in _INVALID:
        raise InputError(SOCIND_ERR_ARG, f"invalid must be 'error' or 'missing', not "
                         f"{invalid!r}")
    rec = table.recode_map(recode, arg)
    out, values = _cv.codes(x, n, table, rec)
    bad = np.flatnonzero(out == -9)
    if bad.size:
        if invalid == "error":
            raise InputError(
                SOCIND_ERR_CODE,
                f"{table.name}: {bad.size} value{'s are' if bad.size > 1 else ' is'} not "
                f"{table.article} {table.name} code ({table.accepted}; missing: NaN, None or "
                f"pd.NA) at {_rows_text(bad, values)} (0-based rows); recode them with "
                f"{arg}={{...}} "
                "or pass invalid='missing'", int(bad[0]), bad)
        _warn(f"{bad.size} invalid {table.name} code{'s' if bad.size > 1 else ''} "
              f"(not {table.accepted}) treated as missing")
        out[bad] = -1  # a fresh array: only the no-copy path returns the caller's
    return np.ascontiguousarray(out, dtype=np.int32)


def _sex(sex: Any, invalid: str, sex_codes: Optional[dict]) -> np.ndarray:
    return _growth_codes(sex, None, _cv.SEX, sex_codes, invalid, "sex_codes")


def _rounding(rounding: str) -> int:
    if rounding not in ("who", "none"):
        raise InputError(SOCIND_ERR_ARG, f"rounding must be 'who' or 'none', not {rounding!r}")
    return 0 if rounding == "who" else 1


def _reference(reference: str) -> None:
    if reference not in ("who2006", "who2007"):
        raise InputError(SOCIND_ERR_ARG, f"reference must be 'who2006' or 'who2007', not "
                         f"{reference!r}")


def _refuse_unused(what: str, **given: Any) -> None:
    """Arguments a reference does not read are refused, never ignored:
    ``given`` maps each such argument's name to its value (None = not given)."""
    for arg, val in given.items():
        if val is not None:
            raise InputError(SOCIND_ERR_ARG, f"{arg} does not apply to {what}; leave it out")


def _refuse_lone_recodes(**pairs: tuple) -> None:
    """A recoding map without its column (measure_codes without measure …)."""
    for arg, (codes, column, name) in pairs.items():
        if codes is not None and column is None:
            raise InputError(SOCIND_ERR_ARG, f"{arg} is given but {name} is not: there is "
                             "nothing to recode")


def _one_age(age_days: Any, age_months: Any) -> None:
    if age_days is not None and age_months is not None:
        raise InputError(SOCIND_ERR_ARG, "give age_days or age_months, not both")


def zscores(sex: Any, age_days: Any = None, age_months: Any = None, weight_kg: Any = None,
            lenhei_cm: Any = None, measure: Any = None, oedema: Any = None,
            headc_cm: Any = None, armc_cm: Any = None, triskin_mm: Any = None,
            subskin_mm: Any = None, reference: str = "who2006", rounding: str = "who",
            invalid: str = "error", sex_codes: Optional[dict] = None,
            measure_codes: Optional[dict] = None, oedema_codes: Optional[dict] = None) -> dict:
    """WHO z-scores and flags: ``reference="who2006"`` (0–5 y: zlen, zwei,
    zwfl, zbmi, zhc, zac, zts, zss and flags flen … fss, with clenhei, cbmi,
    cmeasure, c9mo_flag, reason) or ``"who2007"`` (5–19 y, age in months:
    zhfa, zwfa, zbfa, fhfa, fwfa, fbfa, cbmi, reason). Flags are 1/0 and −1
    where the z-score is missing.

    Codes as WHO's anthro reads them (and the ``socind`` command) — sex: 1/m/M
    male, 2/f/F female; measure: l/L length, h/H height (numbers are not
    measure codes); oedema: y/Y or 1 yes, n/N or 2 no (0 is not a code). These
    are anthro's codes, not the C API's SOCIND_* values. A number is a code
    only when it equals the code exactly: 1, 1.0, "1.0", "1e0" and " 1 " are
    1; 1.0000000000000002, "١", "１" and b"1" are not. Text is compared
    stripped, case as shown; bools are never codes. An invalid code raises
    InputError naming the rows; ``invalid="missing"``
    makes them missing with a DataWarning. ``sex_codes={"L": 1, "P": 2}``,
    ``measure_codes={"B": "l", "T": "h"}``, ``oedema_codes={"ya": "y",
    "tidak": "n"}`` recode values first; their keys may be any value (read
    as values are: ``measure_codes={1: "l", 2: "h"}``, ``oedema_codes={0:
    "n"}``), their meanings are codes (oedema also True/False).

    Nothing given is ignored: an argument the reference does not read
    (who2007: age_days, measure, measure_codes, headc_cm, armc_cm, triskin_mm,
    subskin_mm), age_days together with age_months, and a recoding map
    without its column raise InputError naming the argument."""
    rnd = _rounding(rounding)
    _reference(reference)
    if reference == "who2007":
        _refuse_unused("reference='who2007' (5-19 years: sex, age_months, lenhei_cm, "
                       "weight_kg, oedema)", age_days=age_days, measure=measure,
                       measure_codes=measure_codes, headc_cm=headc_cm, armc_cm=armc_cm,
                       triskin_mm=triskin_mm, subskin_mm=subskin_mm)
    _one_age(age_days, age_months)
    _refuse_lone_recodes(measure_codes=(measure_codes, measure, "measure"),
                         oedema_codes=(oedema_codes, oedema, "oedema"))
    _same_index(("sex", sex), ("age_days", age_days), ("age_months", age_months),
                ("weight_kg", weight_kg), ("lenhei_cm", lenhei_cm), ("measure", measure),
                ("oedema", oedema), ("headc_cm", headc_cm), ("armc_cm", armc_cm),
                ("triskin_mm", triskin_mm), ("subskin_mm", subskin_mm))
    sx = _sex(sex, invalid, sex_codes)
    n = sx.shape[0]
    D, I = ctypes.c_double, ctypes.c_int32
    if reference == "who2007":
        if age_months is None:
            raise InputError(SOCIND_ERR_ARG, "reference='who2007' needs age_months")
        age = _f64(age_months, n, "age_months")
        h = None if lenhei_cm is None else _f64(lenhei_cm, n, "lenhei_cm")
        w = None if weight_kg is None else _f64(weight_kg, n, "weight_kg")
        oe = _growth_codes(oedema, n, _cv.OEDEMA, oedema_codes, invalid, "oedema_codes")
        out = {k: np.empty(n) for k in ("zhfa", "zwfa", "zbfa", "cbmi")}
        out.update({k: np.empty(n, dtype=np.int32) for k in ("fhfa", "fwfa", "fbfa", "reason")})
        _check(lib.socind_growth_who2007(n, _ptr(sx, I), _ptr(age, D), _ptr(h, D), _ptr(w, D),
                                         _ptr(oe, I), rnd, _ptr(out["cbmi"], D),
                                         _ptr(out["zhfa"], D), _ptr(out["zwfa"], D),
                                         _ptr(out["zbfa"], D), _ptr(out["fhfa"], I),
                                         _ptr(out["fwfa"], I), _ptr(out["fbfa"], I),
                                         _ptr(out["reason"], I)))
        return out
    gi = _lib.GrowthInput_t()
    lib.socind_growth_input_init(ctypes.byref(gi))
    keep = {}
    if age_days is not None:
        keep["age"] = _f64(age_days, n, "age_days")
    elif age_months is not None:
        keep["age"] = _f64(age_months, n, "age_months")
        gi.age_in_months = 1
    for name, val, arg in (("weight", weight_kg, "weight_kg"), ("lenhei", lenhei_cm, "lenhei_cm"),
                           ("headc", headc_cm, "headc_cm"), ("armc", armc_cm, "armc_cm"),
                           ("triskin", triskin_mm, "triskin_mm"),
                           ("subskin", subskin_mm, "subskin_mm")):
        if val is not None:
            keep[name] = _f64(val, n, arg)
    keep["sex"] = sx
    m = _growth_codes(measure, n, _cv.MEASURE, measure_codes, invalid, "measure_codes")
    o = _growth_codes(oedema, n, _cv.OEDEMA, oedema_codes, invalid, "oedema_codes")
    gi.sex = _ptr(sx, I)
    if m is not None:
        keep["measure"] = m
        gi.measure = _ptr(m, I)
    if o is not None:
        keep["oedema"] = o
        gi.oedema = _ptr(o, I)
    for name in ("age", "weight", "lenhei", "headc", "armc", "triskin", "subskin"):
        if name in keep:
            setattr(gi, name, _ptr(keep[name], D))
    go = _lib.GrowthOutput_t()
    lib.socind_growth_output_init(ctypes.byref(go))
    # only the indicators whose measurements were given are computed; the
    # others share one read-only NaN (z) or −1 (flag) array
    has = {k: k in keep for k in ("weight", "lenhei", "headc", "armc", "triskin", "subskin")}
    needs = {"zlen": has["lenhei"], "zwei": has["weight"],
             "zwfl": has["weight"] and has["lenhei"], "zbmi": has["weight"] and has["lenhei"],
             "zhc": has["headc"], "zac": has["armc"], "zts": has["triskin"],
             "zss": has["subskin"]}
    nan = np.broadcast_to(np.float64(np.nan), (n,))  # read-only, no memory
    minus = np.broadcast_to(np.int32(-1), (n,))
    out = {}
    for name in ("clenhei", "cbmi"):
        if name == "cbmi" and not needs["zbmi"]:
            out[name] = nan
            continue
        out[name] = np.empty(n)
        setattr(go, name, _ptr(out[name], D))
    for name in ("cmeasure", "c9mo_flag", "reason"):
        out[name] = np.empty(n, dtype=np.int32)
        setattr(go, name, _ptr(out[name], I))
    for zname, needed in needs.items():
        fname = "f" + zname[1:]
        if not needed:
            out[zname], out[fname] = nan, minus
            continue
        out[zname] = np.empty(n)
        out[fname] = np.empty(n, dtype=np.int32)
        setattr(go, zname, _ptr(out[zname], D))
        setattr(go, fname, _ptr(out[fname], I))
    _check(lib.socind_growth_who2006(n, ctypes.byref(gi), rnd, ctypes.byref(go)))
    return out


_IND = ["HA", "WA", "BMI", "WH", "HA_2_WH_2", "HA_2_WH2"]
_STAT = ["< -3", "< -2", "< -1", "> +1", "> +2", "> +3", "mean", "prevalence"]


def _rows_word(k: int) -> str:
    return f"{k} row" if k == 1 else f"{k} rows"


def _round_half_up(x: np.ndarray) -> np.ndarray:
    """anthro's round_up: < .5 down, >= .5 up."""
    f = np.floor(x)
    return f + ((x - f) >= 0.5)


def prevalence(sex: Any, age_days: Any = None, weight_kg: Any = None, lenhei_cm: Any = None,
               measure: Any = None, oedema: Any = None, sw: Any = None, strata: Any = None,
               cluster: Any = None, by: Any = None, age_months: Any = None,
               height_cm: Any = None, reference: str = "who2006", level: float = 0.95,
               invalid: str = "error", sex_codes: Optional[dict] = None,
               measure_codes: Optional[dict] = None, oedema_codes: Optional[dict] = None):
    """WHO's prevalence table (anthro_prevalence; ``reference="who2007"``:
    anthroplus_prevalence with ``age_months`` and ``height_cm``) as a pandas
    DataFrame: one row per group, indicator and statistic, prevalences as
    proportions (0–1), with SE, CI, SD of the z-score, counts, flagged,
    ``n_missing`` (children of the group whose z-score is missing) and the
    estimate's ``status``.

    anthro's rules for messy data, with its warnings (DataWarning) in its
    words and order: children older than 1826 days leave ("… due to missing
    age or age > 1826 days"; anthroplus: outside 60–228 months or missing);
    with ``strata``/``cluster`` given, rows missing either leave ("… due to
    missing cluster and strata."); a missing sampling weight counts as 0
    ("… had missing sampling weights …"). Strata and clusters may be labels
    (text, categoricals). ``by``: one column, or several crossed; domain rows
    are labelled as the command labels them, "COLUMN: value" (the column's
    name, or "by" for an unnamed one), and crossed columns "A + B: a.b" (as
    anthro labels interactions: "Age + sex: 12-23 mo.Female"). So that each
    label reads one way, a value of a crossed column may not contain ".",
    and a label equal to one of the table's own ("Sex: Male" from a column
    named "Sex") is refused (InputError naming the row). Codes, ``invalid`` and
    the ``*_codes`` recodings as :func:`zscores`. The length or height is
    ``lenhei_cm`` for who2006 (``height_cm`` is refused there) and
    ``height_cm`` (or ``lenhei_cm``) for who2007, which refuses age_days,
    measure and measure_codes."""
    import pandas as pd
    _reference(reference)
    if reference == "who2007":
        _refuse_unused("reference='who2007' (5-19 years: sex, age_months, height_cm, "
                       "weight_kg, oedema)", age_days=age_days, measure=measure,
                       measure_codes=measure_codes)
    else:
        _refuse_unused("reference='who2006' (0-5 years: the length or height is lenhei_cm)",
                       height_cm=height_cm)
    _one_age(age_days, age_months)
    _refuse_lone_recodes(measure_codes=(measure_codes, measure, "measure"),
                         oedema_codes=(oedema_codes, oedema, "oedema"))
    _same_index(("sex", sex), ("age_days", age_days), ("age_months", age_months),
                ("weight_kg", weight_kg), ("lenhei_cm", lenhei_cm), ("height_cm", height_cm),
                ("measure", measure), ("oedema", oedema), ("sw", sw), ("strata", strata),
                ("cluster", cluster), ("by", by))
    sx = _sex(sex, invalid, sex_codes)
    n = sx.shape[0]
    D, I, J = ctypes.c_double, ctypes.c_int32, ctypes.c_int64
    # ---- the columns, checked and converted (nothing passed to C yet)
    cols = {"sex": sx}
    if reference == "who2007":
        if age_months is None:
            raise InputError(SOCIND_ERR_ARG, "reference='who2007' needs age_months")
        cols["age"] = _f64(age_months, n, "age_months")
        if height_cm is not None and lenhei_cm is not None:
            raise InputError(SOCIND_ERR_ARG, "give height_cm or lenhei_cm, not both")
        hv = height_cm if height_cm is not None else lenhei_cm
        if hv is not None:
            cols["height"] = _f64(hv, n, "height_cm")
        if weight_kg is not None:
            cols["weight"] = _f64(weight_kg, n, "weight_kg")
        o = _growth_codes(oedema, n, _cv.OEDEMA, oedema_codes, invalid, "oedema_codes")
        if o is not None:
            cols["oedema"] = o
        a = cols["age"]
        aged_out = ~((a >= 60.0) & (a <= 228.0))
        k = int(aged_out.sum())
        if k:
            _warn(f"{k} row(s) with age NA or age < 60 months or > 228 months were excluded "
                  "from the computation.")
    else:
        in_months = age_days is None and age_months is not None
        if age_days is not None or age_months is not None:
            cols["age"] = _f64(age_days if not in_months else age_months, n,
                               "age_months" if in_months else "age_days")
        for name, val, arg in (("weight", weight_kg, "weight_kg"), ("lenhei", lenhei_cm,
                                                                    "lenhei_cm")):
            if val is not None:
                cols[name] = _f64(val, n, arg)
        for name, val, table, rec in (("measure", measure, _cv.MEASURE, measure_codes),
                                      ("oedema", oedema, _cv.OEDEMA, oedema_codes)):
            arr = _growth_codes(val, n, table, rec, invalid, name + "_codes")
            if arr is not None:
                cols[name] = arr
        # anthro: rows older than 1826 days (rounded) leave first; its warning
        # says "missing age or" but counts only the older ones (missing ages stay)
        if "age" in cols:
            a = cols["age"]
            with np.errstate(invalid="ignore"):
                days = _round_half_up(a * 30.4375 if in_months else a)
                aged_out = (a >= 0) & (days > 1826)
        else:
            aged_out = np.zeros(n, dtype=bool)
        k = int(aged_out.sum())
        if k:
            _warn(f"{_rows_word(k)} will be excluded for the prevalence computation due to "
                  "missing age or age > 1826 days ")
    # ---- design ids: rows without a cluster or stratum leave (anthro)
    idmiss = np.zeros(n, dtype=bool)
    for name, val in (("strata", strata), ("cluster", cluster)):
        if val is None:
            continue
        v, miss, labels = _cv.ids(val, n, name)
        cols[name] = v
        if miss is not None:
            idmiss |= miss
    k = int((idmiss & ~aged_out).sum())
    if k:
        _warn(f"{_rows_word(k)} will be excluded for the prevalence computation due to "
              "missing cluster and strata.")
    # ---- a missing sampling weight counts as 0 (anthro)
    if sw is not None:
        w = _f64(sw, n, "sw")
        wmiss = np.isnan(w)
        k = int((wmiss & ~idmiss & ~aged_out).sum())
        if k:
            _warn(f"{_rows_word(k)} had missing sampling weights and they will be set to 0. "
                  "Doing this excludes them in the prevalence calculation.")
        cols["sw"] = np.where(wmiss, 0.0, w) if wmiss.any() else w
    groups = None if by is None else _Groups(by, n)
    labels = []
    if groups is not None:
        cols["group"] = groups.codes
        labels = groups.prevalence_labels()
        taken = _standard_group_labels()
        for j, lab in enumerate(labels):
            if lab in taken:
                r = groups.first_row(j)
                raise InputError(SOCIND_ERR_DATA, f"by: the group of row {r} would be labelled "
                                 f"{lab!r}, the label of one of anthro's own rows; rename the "
                                 "column", r)
    # ---- the rows the library sees
    rowmap = None
    if idmiss.any():
        rowmap = np.flatnonzero(~idmiss)
        cols = {k: np.ascontiguousarray(v[rowmap]) for k, v in cols.items()}
        if rowmap.size == 0:
            raise EmptyError(SOCIND_ERR_EMPTY, "every row lacks a cluster or a stratum")
    m = cols["sex"].shape[0]
    opts = _options(level, None)
    handle = ctypes.c_void_p()
    G = groups.G if groups is not None else 0
    g = cols.get
    if reference == "who2007":
        st = lib.socind_prevalence_who2007(m, _ptr(g("sex"), I), _ptr(g("age"), D),
                                           _ptr(g("height"), D), _ptr(g("weight"), D),
                                           _ptr(g("oedema"), I), _ptr(g("sw"), D),
                                           _ptr(g("strata"), J), _ptr(g("cluster"), J),
                                           _ptr(g("group"), I), G, ctypes.byref(opts),
                                           ctypes.byref(handle))
    else:
        gi = _lib.GrowthInput_t()
        lib.socind_growth_input_init(ctypes.byref(gi))
        gi.sex = _ptr(g("sex"), I)
        gi.age_in_months = 1 if in_months else 0
        for name in ("age", "weight", "lenhei"):
            if name in cols:
                setattr(gi, name, _ptr(cols[name], D))
        for name in ("measure", "oedema"):
            if name in cols:
                setattr(gi, name, _ptr(cols[name], I))
        st = lib.socind_prevalence_who2006(m, ctypes.byref(gi), _ptr(g("sw"), D),
                                           _ptr(g("strata"), J), _ptr(g("cluster"), J),
                                           _ptr(g("group"), I), G, ctypes.byref(opts),
                                           ctypes.byref(handle))
    _check(st, rowmap)
    sizes = _prevalence_group_sizes(reference, cols, 1 if reference == "who2006" and in_months
                                    else 0, G)
    try:
        rows = []
        r = _lib.PrevalenceRow_t()
        buf = ctypes.create_string_buffer(128)
        for i in range(lib.socind_prevalence_table_nrows(handle)):
            _check(lib.socind_prevalence_table_row(handle, i, ctypes.byref(r)))
            if r.group_kind == 4:
                group = labels[r.group_level]
            else:
                _check(lib.socind_prevalence_group_label(r.group_kind, r.group_level, buf, 128))
                group = buf.value.decode()
            e = r.est
            size = sizes.get((r.group_kind, r.group_level), 0)
            rows.append(dict(group=group, indicator=_IND[r.indicator], statistic=_STAT[r.statistic],
                             estimate=e.value, se=e.se, ci_low=e.ci_low, ci_high=e.ci_high,
                             stdev=r.stdev, n_weighted=r.pop_weighted,
                             n_unweighted=r.pop_unweighted, flagged=r.flagged,
                             n_missing=max(size - r.pop_unweighted - r.flagged, 0),
                             status=int(e.status)))
    finally:
        lib.socind_prevalence_table_free(handle)
    return pd.DataFrame(rows)


def _standard_group_labels() -> set:
    """Every label the library gives the prevalence table's own rows (All,
    age groups, sex, age + sex; anthroplus's age groups)."""
    out = set()
    buf = ctypes.create_string_buffer(128)
    for kind in (0, 1, 2, 3, 5, 6, 7):  # every SOCIND_GROUP_* but DOMAIN (4)
        for level in range(32):
            if lib.socind_prevalence_group_label(kind, level, buf, 128) == 0:
                out.add(buf.value.decode())
    return out


def _prevalence_group_sizes(reference: str, cols: dict, in_months: int, G: int) -> dict:
    """Children per (group kind, level) of the table, as the library groups
    them: the denominators of ``n_missing``.

    Why this exists: the library's prevalence rows report the children used
    (pop_unweighted) and flagged, but not how many children each group has,
    so the binding counts them itself with the library's own rules (anthro's
    age groups from the age in days or months, the sex codes, the caller's
    domains) to say how many rows missing values took out of each group.
    If the library ever reports group sizes, read them instead and drop
    this function."""
    sex = cols["sex"]
    male = np.where(sex == 1, 1, np.where(sex == 2, 0, -1))
    a = cols.get("age")
    out = {}

    def count(kind, codes, levels, level_of=None):
        ok = codes >= 0
        c = np.bincount(codes[ok], minlength=levels)
        for lv in range(levels):
            out[(kind, level_of(lv) if level_of else lv)] = int(c[lv])

    if reference == "who2007":
        keep = (a >= 60.0) & (a <= 228.0)
        a, male = a[keep], male[keep]
        out[(0, 0)] = int(keep.sum())
        count(2, male, 2, lambda lv: 2 if lv == 0 else 1)
        count(5, np.where(a >= 228.0, 14, ((a - 60.0) // 12.0)).astype(np.int64), 15)
        ag2 = np.where(a < 120.0, 0, np.where(a < 180.0, 1, 2))
        count(6, ag2, 3)
        count(7, np.where(male < 0, -1, 2 * ag2 + male), 6)
    else:
        if a is None:
            a = np.full(sex.shape[0], np.nan)
        with np.errstate(invalid="ignore"):
            ok = a >= 0
            days = np.where(ok, _round_half_up(a * 30.4375 if in_months else a), np.nan)
            months = np.where(ok, a if in_months else a / 30.4375, np.nan)
            keep = ~(days > 1826.0)
        months, male = months[keep], male[keep]
        out[(0, 0)] = int(keep.sum())
        with np.errstate(invalid="ignore"):
            ag = np.where(np.isnan(months) | (months < 0) | ~(months < 60), -1,
                          np.where(months < 6, 0, np.where(months < 12, 1,
                                                           1 + np.floor(np.nan_to_num(months)
                                                                        / 12.0))))
        ag = ag.astype(np.int64)
        count(1, ag, 6)
        count(2, male, 2, lambda lv: 2 if lv == 0 else 1)
        count(3, np.where((ag < 0) | (male < 0), -1, 2 * ag + male), 12)
    if G:
        grp = cols["group"][keep]
        count(4, grp.astype(np.int64), G)
    return out


# ---------------------------------------------------------------- the rest of the C API


def variance(u: Any, design: Design, by: Any = None):
    """The design variance of the total Σ w·u (the variance engine itself);
    with ``by``, a pandas Series by group (the overall row "all" first)."""
    if not isinstance(design, Design):
        raise InputTypeError(SOCIND_ERR_ARG, f"design must be a socind.Design, not "
                             f"{type(design).__name__}")
    _same_index(("u", u), ("by", by), ("design", design))
    uv = _f64(u, design.n, "u")
    one = (ctypes.c_double * 1)()
    _check(lib.socind_variance(design._h, _ptr(uv, ctypes.c_double), None, 1, one))
    if by is None:
        return one[0]
    import pandas as pd
    groups = _Groups(by, design.n)
    out = (ctypes.c_double * groups.G)()
    _check(lib.socind_variance(design._h, _ptr(uv, ctypes.c_double),
                               _ptr(groups.codes, ctypes.c_int32), groups.G, out))
    return pd.Series([one[0]] + list(out), index=groups.index(), name="variance")


def critical_value(level: float = 0.95, df: float = float("inf"),
                   dist: str = "t") -> float:
    """Two-sided critical value: Student t with ``df`` degrees of freedom or
    the normal (``dist="normal"``)."""
    if dist not in ("t", "normal"):
        raise InputError(SOCIND_ERR_ARG, f"dist must be 't' or 'normal', not {dist!r}")
    out = ctypes.c_double()
    _check(lib.socind_critical_value(_scalar(level, "level"), 1 if dist == "normal" else 0,
                                     _scalar(df, "df"), ctypes.byref(out)))
    return out.value


def difference(a: Estimate, b: Estimate, level: float = 0.95, ci: Optional[str] = None) -> Estimate:
    """Change b − a between estimates from independent samples (two survey
    rounds drawn separately): se = sqrt(se_a² + se_b²), df = df_a + df_b."""
    def raw(e: Estimate) -> "_lib.Estimate_t":
        r = _lib.Estimate_t()
        r.value, r.se, r.ci_low, r.ci_high = e.value, e.se, e.ci_low, e.ci_high
        r.df, r.n, r.weight_sum, r.deff = e.df, e.n, e.weight_sum, float("nan")
        r.status = e.status
        return r
    out = _lib.Estimate_t()
    o = _options(level, ci)
    _check(lib.socind_difference(ctypes.byref(raw(a)), ctypes.byref(raw(b)), ctypes.byref(o),
                                 ctypes.byref(out)))
    e = Estimate._from(out)
    return Estimate(e.value, e.se, e.ci_low, e.ci_high, e.df, e.n, e.weight_sum, e.status,
                    e.reason, a.n_missing + b.n_missing)


_FGTDEC = ["fgt0", "fgt1", "fgt_alpha", "igr", "ge"]
_WATTSDEC = ["watts", "fgt0", "gap_ratio", "theil_poor"]


def fgt_decomposition(y: Any, line: Any, alpha: float = 2.0, design: Optional[Design] = None,
                      by: Any = None, inclusive: bool = False, level: float = 0.95,
                      ci: Optional[str] = None):
    """P_α = P0 · IGR^α · [1 + (α² − α) GE_α(poor)] (convey's svyfgtdec): a
    dict of five estimates, or a DataFrame with ``by``."""
    return _poverty(lib.socind_fgt_decomposition, y, line, design, by, inclusive, level, ci,
                    ctypes.c_double(_scalar(alpha, "alpha")), per_group=5, names=_FGTDEC)


def watts_decomposition(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
                        inclusive: bool = False, exclude_nonpositive: bool = False,
                        level: float = 0.95, ci: Optional[str] = None):
    """W = P0 · (W_pgr + L_poor) (convey's svywattsdec)."""
    return _poverty(lib.socind_watts_decomposition, y, line, design, by, inclusive, level, ci,
                    ctypes.c_int32(1 if exclude_nonpositive else 0), per_group=4,
                    names=_WATTSDEC)


def poverty_profile(y: Any, line: Any, by: Any, alpha: float = 0, design: Optional[Design] = None,
                    inclusive: bool = False, level: float = 0.95, ci: Optional[str] = None):
    """Each group's population share, P_α, contribution to the total P_α and
    that contribution's share, with SEs: a DataFrame indexed by group, the
    overall row "all" first (share 1, the total P_α)."""
    import pandas as pd
    yv, d = _y_design(y, design, others=[("line", line), ("by", by)])
    L, keep = _line(line, d.n, inclusive)
    groups = _Groups(by, d.n)
    a = _scalar(alpha, "alpha")
    opts = _options(level, ci)
    yp = _ptr(yv, ctypes.c_double)
    zero = np.zeros(d.n, dtype=np.int32)  # every row in one group: the overall row
    one = [(_lib.Estimate_t * 1)() for _ in range(4)]
    _check(lib.socind_poverty_profile(d._h, yp, ctypes.byref(L), a, _ptr(zero, ctypes.c_int32),
                                      1, ctypes.byref(opts), *one))
    G = groups.G
    outs = [(_lib.Estimate_t * G)() for _ in range(4)]
    _check(lib.socind_poverty_profile(d._h, yp, ctypes.byref(L), a,
                                      _ptr(groups.codes, ctypes.c_int32), G, ctypes.byref(opts),
                                      *outs))
    cols = {}
    for name, o1, arr in zip(("share", "fgt", "contribution", "contribution_share"), one, outs):
        cols[name] = [o1[0].value] + [arr[j].value for j in range(G)]
        cols[name + "_se"] = [o1[0].se] + [arr[j].se for j in range(G)]
    fg = [one[1][0]] + [outs[1][j] for j in range(G)]
    cols["n"] = [int(e.n) for e in fg]
    cols["n_missing"] = [max(int(r) - int(e.n), 0) for r, e in zip([d.n] + list(groups.rows), fg)]
    cols["status"] = [_profile_status(one if j < 0 else outs, max(j, 0)) for j in range(-1, G)]
    del keep
    df = pd.DataFrame(cols, index=groups.index())
    df.attrs["by_missing"] = groups.missing
    return df


def _profile_status(arrays, j: int) -> int:
    """The first non-zero status of a profile row's four estimates."""
    for arr in arrays:
        if arr[j].status:
            return int(arr[j].status)
    return 0


def ge_decomposition(y: Any, by: Any, theta: float = 1.0, design: Optional[Design] = None,
                     exclude_nonpositive: bool = False, level: float = 0.95,
                     ci: Optional[str] = None) -> dict:
    """GE(θ) = within + between groups (convey's svygeidec): a dict of three
    estimates, ``total``, ``within`` and ``between``. Rows whose ``by`` value
    is missing are left out of all three (the total is GE over the rows with
    a group, so that total = within + between), and each estimate's
    ``n_missing`` counts them with the rows whose y is missing (or, with
    ``exclude_nonpositive``, <= 0)."""
    yv, d = _y_design(y, design, others=[("by", by)])
    groups = _Groups(by, d.n)
    out = (_lib.Estimate_t * 3)()
    opts = _options(level, ci)
    _check(lib.socind_ge_decomposition(d._h, _ptr(yv, ctypes.c_double),
                                       _scalar(theta, "theta"), 1 if exclude_nonpositive else 0,
                                       _ptr(groups.codes, ctypes.c_int32), groups.G,
                                       ctypes.byref(opts), out))
    # every row counts: one whose by value is missing leaves all three figures
    return {k: Estimate._from(out[i], d.n) for i, k in enumerate(("total", "within", "between"))}


_ZNAMES = ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"]


def zscores_child(sex: Any, age_days: float, weight_kg: float = float("nan"),
                  lenhei_cm: float = float("nan"), measure: Any = None, oedema: Any = None,
                  headc_cm: float = float("nan"), armc_cm: float = float("nan"),
                  triskin_mm: float = float("nan"), subskin_mm: float = float("nan"),
                  rounding: str = "who") -> dict:
    """One child's WHO 2006 z-scores and flags (a dict). Codes as
    :func:`zscores`; an invalid one raises InputError."""
    z = (ctypes.c_double * 8)()
    f = (ctypes.c_int32 * 8)()
    r = ctypes.c_int32()
    rnd = _rounding(rounding)

    def code(v, table):
        if v is None:
            return -1
        return int(_growth_codes(np.array([v], dtype=object), 1, table, None, "error",
                                 table.name + "_codes")[0])

    nums = [_scalar(v, k) if not _cv.is_missing(v) else float("nan")
            for v, k in ((age_days, "age_days"), (weight_kg, "weight_kg"),
                         (lenhei_cm, "lenhei_cm"), (headc_cm, "headc_cm"), (armc_cm, "armc_cm"),
                         (triskin_mm, "triskin_mm"), (subskin_mm, "subskin_mm"))]
    _check(lib.socind_growth_who2006_child(code(sex, _cv.SEX), nums[0], nums[1], nums[2],
                                           code(measure, _cv.MEASURE), code(oedema, _cv.OEDEMA),
                                           nums[3], nums[4], nums[5], nums[6],
                                           rnd, z, f,
                                           ctypes.byref(r)))
    out = {n: z[i] for i, n in enumerate(_ZNAMES)}
    out.update({"f" + n[1:]: f[i] for i, n in enumerate(_ZNAMES)})
    out["reason"] = r.value
    return out


def growth_quality(sex: Any, age_days: Any = None, weight_kg: Any = None, lenhei_cm: Any = None,
                   measure: Any = None, oedema: Any = None, age_months: Any = None,
                   invalid: str = "error", sex_codes: Optional[dict] = None,
                   measure_codes: Optional[dict] = None,
                   oedema_codes: Optional[dict] = None) -> dict:
    """The data-quality summary: missing and flagged values per indicator
    (HA, WA, BMI, WH), SD of each z-score, digit preference. Codes as
    :func:`zscores`."""
    _one_age(age_days, age_months)
    _refuse_lone_recodes(measure_codes=(measure_codes, measure, "measure"),
                         oedema_codes=(oedema_codes, oedema, "oedema"))
    _same_index(("sex", sex), ("age_days", age_days), ("age_months", age_months),
                ("weight_kg", weight_kg), ("lenhei_cm", lenhei_cm), ("measure", measure),
                ("oedema", oedema))
    sx = _sex(sex, invalid, sex_codes)
    n = sx.shape[0]
    gi = _lib.GrowthInput_t()
    lib.socind_growth_input_init(ctypes.byref(gi))
    keep = [sx]
    gi.sex = _ptr(sx, ctypes.c_int32)
    age = age_days if age_days is not None else age_months
    if age is not None:
        a = _f64(age, n, "age_days" if age_days is not None else "age_months")
        keep.append(a)
        gi.age = _ptr(a, ctypes.c_double)
        gi.age_in_months = 0 if age_days is not None else 1
    for name, val, arg in (("weight", weight_kg, "weight_kg"), ("lenhei", lenhei_cm, "lenhei_cm")):
        if val is not None:
            arr = _f64(val, n, arg)
            keep.append(arr)
            setattr(gi, name, _ptr(arr, ctypes.c_double))
    for name, val, table, rec in (("measure", measure, _cv.MEASURE, measure_codes),
                                  ("oedema", oedema, _cv.OEDEMA, oedema_codes)):
        arr = _growth_codes(val, n, table, rec, invalid, name + "_codes")
        if arr is not None:
            keep.append(arr)
            setattr(gi, name, _ptr(arr, ctypes.c_int32))
    q = _lib.GrowthQuality_t()
    q.size = ctypes.sizeof(q)
    _check(lib.socind_growth_quality_who2006(n, ctypes.byref(gi), ctypes.byref(q)))
    ind = ["HA", "WA", "BMI", "WH"]
    return {"n": q.n, "missing": dict(zip(ind, list(q.missing))),
            "flagged": dict(zip(ind, list(q.flagged))), "sd": dict(zip(ind, list(q.sd))),
            "oedema": q.oedema, "sex_missing": q.sex_missing, "age_missing": q.age_missing,
            "lenhei_heaping": q.lenhei_heaping, "weight_heaping": q.weight_heaping,
            "age_heaping": q.age_heaping}


def round2(x: float) -> float:
    """R's round(x, 2), as WHO's software rounds z-scores."""
    return lib.socind_round2(_scalar(x, "x"))
