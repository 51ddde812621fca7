# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/state.h: partial states — an estimate built chunk by chunk,
merged with other states of the same estimate, and finished into the
figures the in-memory function gives (socind.fgt, socind.mean …).

A :class:`State` holds per-PSU sums, never rows: chunks can come from a
file read piece by piece, from threads or from other processes. A state
pickles (and ``to_bytes()``) as the library's portable byte format
(docs/state-format.md), so Dask, multiprocessing or another machine can
carry it and merge it anywhere::

    s = socind.State("fgt", line=150.0, alpha=0, strata=True, psu=True)
    for chunk in chunks:
        s.add(weight=chunk.w, y=chunk.income, strata=chunk.stratum, psu=chunk.psu,
              first_row=chunk.first_row)
    s.finish()                   # as socind.fgt(income, 150.0, 0, design)
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any, NamedTuple, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import (ESTIMATE_P, OPTIONS_P, SOCIND_DOMAIN_RULE_AUTO, SOCIND_DOMAIN_RULE_FULL,
                      SOCIND_DOMAIN_RULE_SUBSET, Estimate, Estimate_t, _check, _given,
                      _nonpositive, _options, _reason, _scalar)
from ._errors import ERROR_CLASS, ComputeError, InputError, InputTypeError, SocindError
from ._lib import HANDLE, HANDLE_P, I32_OUT, lib
from .design import _LONELY, _same_index
from .inequality import _GEDEC
from .poverty import (_FGTDEC, _PROFILE, _SEN, _SST, _WATTSDEC, SOCIND_LINE_ABSOLUTE,
                      SOCIND_LINE_PER_ROW,
                      SOCIND_LINE_RELATIVE_MEAN, SOCIND_LINE_RELATIVE_QUANTILE, relative_line)
from .status import SOCIND_ERR_ARG, SOCIND_ERR_DATA, SOCIND_ERR_NOMEM, SOCIND_OK

# The estimates (socind_state_spec.estimator), each as the in-memory function named.
SOCIND_STATE_TOTAL = 1
SOCIND_STATE_MEAN = 2
SOCIND_STATE_RATIO = 3
SOCIND_STATE_PROPORTION = 4
SOCIND_STATE_FGT = 5
SOCIND_STATE_POOR_COUNT = 6
SOCIND_STATE_POVERTY_GAP_TOTAL = 7
SOCIND_STATE_MEAN_SHORTFALL = 8
SOCIND_STATE_WATTS = 9
SOCIND_STATE_FGT_DECOMPOSITION = 10
SOCIND_STATE_WATTS_DECOMPOSITION = 11
SOCIND_STATE_GE = 12
SOCIND_STATE_ATKINSON = 13
SOCIND_STATE_GE_DECOMPOSITION = 14
SOCIND_STATE_POVERTY_PROFILE = 15
SOCIND_STATE_QUANTILE = 16
SOCIND_STATE_POVERTY_LINE = 17
SOCIND_STATE_GINI = 18
SOCIND_STATE_SHARE_RATIO = 19
SOCIND_STATE_LORENZ = 20
SOCIND_STATE_PREVALENCE_WHO2006 = 21
SOCIND_STATE_PREVALENCE_WHO2007 = 22
SOCIND_STATE_SEN = 23
SOCIND_STATE_SST = 24
SOCIND_STATE_POOR_MEDIAN = 25
SOCIND_STATE_RELATIVE_MEDIAN_GAP = 26
SOCIND_STATE_PROPORTION_LIKELIHOOD = 27
SOCIND_STATE_ESTIMATOR_COUNT = 28
SOCIND_STATE_GINI_ROWS = 16777216  # rows a Gini state keeps at most a pass


class StateSpec_t(ctypes.Structure):
    """socind_state_spec."""
    _c_name = "socind_state_spec"
    _fields_ = [("size", ctypes.c_size_t), ("estimator", ctypes.c_int32),
                ("n_groups", ctypes.c_int32), ("has_strata", ctypes.c_int32),
                ("has_psu", ctypes.c_int32), ("has_fpc", ctypes.c_int32),
                ("lonely_psu", ctypes.c_int32), ("nest", ctypes.c_int32),
                ("nonpositive", ctypes.c_int32), ("line_type", ctypes.c_int32),
                ("inclusive", ctypes.c_int32), ("line", ctypes.c_double),
                ("alpha", ctypes.c_double), ("p", ctypes.c_double), ("p2", ctypes.c_double)]


class Chunk_t(ctypes.Structure):
    """socind_chunk."""
    _c_name = "socind_chunk"
    _fields_ = [("size", ctypes.c_size_t), ("n", ctypes.c_size_t),
                ("first_row", ctypes.c_int64),
                ("weight", ctypes.POINTER(ctypes.c_double)),
                ("strata", ctypes.POINTER(ctypes.c_int64)),
                ("psu", ctypes.POINTER(ctypes.c_int64)),
                ("fpc", ctypes.POINTER(ctypes.c_double)),
                ("group", ctypes.POINTER(ctypes.c_int32)),
                ("y", ctypes.POINTER(ctypes.c_double)),
                ("y2", ctypes.POINTER(ctypes.c_double))]


_i32, _sz = ctypes.c_int32, ctypes.c_size_t
_SZ_P = ctypes.POINTER(_sz)
_lib.declare({
    "socind_state_spec_init": (_i32, [ctypes.POINTER(StateSpec_t)]),
    "socind_chunk_init": (_i32, [ctypes.POINTER(Chunk_t)]),
    "socind_state_new": (_i32, [ctypes.POINTER(StateSpec_t), HANDLE_P]),
    "socind_state_free": (None, [HANDLE]),
    "socind_state_add": (_i32, [HANDLE, ctypes.POINTER(Chunk_t)]),
    "socind_state_merge": (_i32, [HANDLE, HANDLE]),
    "socind_state_set_groups": (_i32, [HANDLE, _i32]),
    "socind_state_info": (_i32, [HANDLE, _SZ_P, _SZ_P, _SZ_P, _SZ_P]),
    "socind_state_finish": (_i32, [HANDLE, OPTIONS_P, ESTIMATE_P, _sz]),
    "socind_state_passes": (_i32, [HANDLE, I32_OUT, I32_OUT]),
    "socind_state_next_pass": (_i32, [HANDLE, HANDLE_P]),
    "socind_state_to_bytes": (_i32, [HANDLE, ctypes.c_void_p, _sz, _SZ_P]),
    "socind_state_from_bytes": (_i32, [ctypes.c_char_p, _sz, HANDLE_P]),
    # the prevalence table's state (C only so far: see C_ONLY)
    "socind_state_add_growth": (_i32, [HANDLE, ctypes.POINTER(Chunk_t), ctypes.c_void_p]),
    "socind_state_add_growth2007": (_i32, [HANDLE, ctypes.POINTER(Chunk_t), ctypes.c_void_p]),
    "socind_state_finish_table": (_i32, [HANDLE, OPTIONS_P, HANDLE_P]),
})


@dataclass(frozen=True)
class _Kind:
    """What the binding knows of an estimate: its C code, the keyword of its
    parameter (socind_state_spec.alpha) and that parameter's default as the
    in-memory function has it, whether it takes a poverty line, the
    nonpositive policy and prop_ci, what y2 holds, the names of its parts
    (None: one estimate per domain), and whether its groups are a partition
    it needs (``partition``; ``whole``: one set of parts for the partition,
    not per group)."""
    code: int
    param: Optional[str] = None
    default: Optional[float] = None
    poverty: bool = False
    nonpositive: bool = False
    prop: bool = False  # its figure is a proportion (prop_ci applies)
    y2: Optional[str] = None
    parts: Optional[tuple] = None
    partition: bool = False
    whole: bool = False
    field: str = "alpha"  # the spec field the parameter goes to ("alpha" or "p")
    param2: Optional[str] = None  # a second parameter (socind_state_spec.p2)
    default2: Optional[float] = None
    field2: str = "p2"  # the spec field the second parameter goes to
    own_line: bool = False  # convey's own line: fraction × a quantile (the parameters)


# One line per estimate a state takes (the name is the in-memory function's).
ESTIMATORS = {
    "total": _Kind(SOCIND_STATE_TOTAL),
    "mean": _Kind(SOCIND_STATE_MEAN),
    "ratio": _Kind(SOCIND_STATE_RATIO, y2="the denominator"),
    "proportion": _Kind(SOCIND_STATE_PROPORTION, prop=True),
    # two passes (the domain's mean weight, then R's glm fit): every prop_ci,
    # "likelihood" too
    "proportion_likelihood": _Kind(SOCIND_STATE_PROPORTION_LIKELIHOOD, prop=True),
    "fgt": _Kind(SOCIND_STATE_FGT, "alpha", 0.0, poverty=True, prop=True),
    "poor_count": _Kind(SOCIND_STATE_POOR_COUNT, poverty=True),
    "poverty_gap_total": _Kind(SOCIND_STATE_POVERTY_GAP_TOTAL, poverty=True),
    "mean_shortfall": _Kind(SOCIND_STATE_MEAN_SHORTFALL, poverty=True),
    "watts": _Kind(SOCIND_STATE_WATTS, poverty=True, nonpositive=True),
    "fgt_decomposition": _Kind(SOCIND_STATE_FGT_DECOMPOSITION, "alpha", 2.0, poverty=True,
                               parts=tuple(_FGTDEC)),
    "watts_decomposition": _Kind(SOCIND_STATE_WATTS_DECOMPOSITION, poverty=True,
                                 nonpositive=True, parts=tuple(_WATTSDEC)),
    "ge": _Kind(SOCIND_STATE_GE, "theta", 1.0, nonpositive=True),
    "atkinson": _Kind(SOCIND_STATE_ATKINSON, "epsilon", 1.0, nonpositive=True),
    "ge_decomposition": _Kind(SOCIND_STATE_GE_DECOMPOSITION, "theta", 1.0, nonpositive=True,
                              parts=tuple(_GEDEC[k] for k in sorted(_GEDEC)), partition=True,
                              whole=True),
    "poverty_profile": _Kind(SOCIND_STATE_POVERTY_PROFILE, "alpha", 0.0, poverty=True,
                             parts=tuple(_PROFILE), partition=True),
    # rank-based: several passes (State.passes, State.next_pass)
    "quantile": _Kind(SOCIND_STATE_QUANTILE, "p", 0.5, field="p"),
    "poverty_line": _Kind(SOCIND_STATE_POVERTY_LINE, poverty=True),
    "gini": _Kind(SOCIND_STATE_GINI),
    "share_ratio": _Kind(SOCIND_STATE_SHARE_RATIO, "alpha1", 0.2, field="p", param2="alpha2",
                         default2=0.8),
    "lorenz": _Kind(SOCIND_STATE_LORENZ, "p", None, field="p"),
    # an absolute or per-row line only (a relative one: InputError, as socind.sen)
    "sen": _Kind(SOCIND_STATE_SEN, poverty=True, parts=tuple(_SEN)),
    "sst": _Kind(SOCIND_STATE_SST, poverty=True, parts=tuple(_SST)),
    # against convey's own line, fraction × the whole sample's quantile
    # (poor: y <= it), as socind.poor_median and socind.relative_median_gap
    "poor_median": _Kind(SOCIND_STATE_POOR_MEDIAN, "fraction", 0.6, field="line",
                         param2="quantile", default2=0.5, field2="p", own_line=True),
    "relative_median_gap": _Kind(SOCIND_STATE_RELATIVE_MEDIAN_GAP, "fraction", 0.6,
                                 field="line", param2="quantile", default2=0.5, field2="p",
                                 own_line=True),
}
# Codes of state.h the binding does not build yet: the prevalence table's
# states (socind_state_add_growth, socind_state_finish_table) are C only;
# socind.prevalence computes the table in memory, on socind.set_threads()
# threads.
C_ONLY = {SOCIND_STATE_PREVALENCE_WHO2006: "prevalence_who2006",
          SOCIND_STATE_PREVALENCE_WHO2007: "prevalence_who2007"}
_BY_CODE = {k.code: name for name, k in ESTIMATORS.items()}
_RULES = {None: SOCIND_DOMAIN_RULE_AUTO, "auto": SOCIND_DOMAIN_RULE_AUTO,
          "subset": SOCIND_DOMAIN_RULE_SUBSET, "full": SOCIND_DOMAIN_RULE_FULL}
_LONELY_NAME = {v: k for k, v in _LONELY.items()}


class StateInfo(NamedTuple):
    """``count``: the estimates finishing gives (parts × domains); ``npsu``,
    ``ncells``: the PSUs and (PSU, domain) cells held; ``nbytes``: the size
    of ``to_bytes()``."""
    count: int
    npsu: int
    ncells: int
    nbytes: int


class _StateHandle:
    """Owns one socind_state*."""
    __slots__ = ("h",)

    def __init__(self, h: ctypes.c_void_p):
        self.h = h

    def __del__(self):
        h, self.h = getattr(self, "h", None), None
        if h and lib is not None:
            lib.socind_state_free(h)


_flag = _cv.flag


class _RowCounts:
    """The rows added to a state, for ``n_missing``: all of them and, with
    domains, those of each domain a chunk touched — only those (a state may
    have 2**31 − 1 domains; a count for each would be 16 GiB). ``keys``:
    the sorted codes of the touched domains, ``counts`` their rows."""
    __slots__ = ("n_groups", "total", "keys", "counts")

    def __init__(self, n_groups: int, total: int = 0, keys=None, counts=None):
        self.n_groups = int(n_groups)
        self.total = int(total)
        self.keys = np.zeros(0, np.int64) if keys is None else np.asarray(keys, np.int64)
        self.counts = np.zeros(0, np.int64) if counts is None else np.asarray(counts, np.int64)

    def add(self, n: int, g: Optional[np.ndarray]) -> None:
        """n rows, with their domain codes g (−1: none; the library checked
        them) when the state has domains."""
        self.total += n
        if g is None:
            return
        g = g[g >= 0]
        if g.shape[0] == 0:
            return
        if self.n_groups <= 4 * g.shape[0]:
            c = np.bincount(g, minlength=self.n_groups)
            u = np.flatnonzero(c)
            k = c[u]
        else:  # many domains beside the chunk's rows: only its own
            u, k = np.unique(g, return_counts=True)
        self._join(u.astype(np.int64), k.astype(np.int64))

    def _join(self, u: np.ndarray, k: np.ndarray) -> None:
        if self.keys.shape[0] == 0:
            self.keys, self.counts = u, k
            return
        keys, inv = np.unique(np.concatenate([self.keys, u]), return_inverse=True)
        self.counts = np.bincount(inv, weights=np.concatenate([self.counts, k]),
                                  minlength=keys.shape[0]).astype(np.int64)
        self.keys = keys

    def merged(self, other: "_RowCounts") -> "_RowCounts":
        out = _RowCounts(max(self.n_groups, other.n_groups), self.total + other.total,
                         self.keys, self.counts)
        out._join(other.keys, other.counts)
        return out

    def empty(self) -> "_RowCounts":
        return _RowCounts(self.n_groups)

    def domain(self, j: int) -> int:
        """Rows added to domain j (all rows when the state has none)."""
        if self.n_groups == 0:
            return self.total
        i = int(np.searchsorted(self.keys, j))
        return int(self.counts[i]) if i < self.keys.shape[0] and self.keys[i] == j else 0

    def dense(self) -> np.ndarray:
        """Rows added to each domain 0 … n_groups − 1."""
        out = np.zeros(self.n_groups, np.int64)
        out[self.keys] = self.counts
        return out

    def pickled(self) -> tuple:
        return (self.n_groups, self.total, self.keys.tolist(), self.counts.tolist())

    @classmethod
    def unpickled(cls, v: Any, n_groups: int) -> Optional["_RowCounts"]:
        """From pickled(), or from the list of earlier versions (one count a
        domain, then all rows); None when v does not fit the state."""
        try:
            if isinstance(v, tuple) and len(v) == 4:
                r = cls(v[0], v[1], v[2], v[3])
                ok = r.n_groups == n_groups and r.keys.shape == r.counts.shape and \
                    (r.keys.shape[0] == 0 or (r.keys[0] >= 0 and r.keys[-1] < n_groups))
                return r if ok else None
            a = np.asarray(v, dtype=np.int64)
            if a.shape != (max(1, n_groups) + 1,):
                return None
            if n_groups == 0:
                return cls(0, int(a[-1]))
            u = np.flatnonzero(a[:-1])
            return cls(n_groups, int(a[-1]), u, a[u])
        except (TypeError, ValueError, OverflowError):
            return None


class State:
    """A partial state of one estimate: ``add()`` chunks of rows,
    ``merge()`` other states of the same estimate, ``finish()`` into what
    the in-memory function returns.

    ``estimator``: the name of the in-memory function — one of
    ``socind.state.ESTIMATORS``: "total", "mean", "ratio", "proportion",
    "proportion_likelihood" (two passes: a proportion whose ``finish()``
    also takes ``prop_ci="likelihood"``), "fgt", "poor_count",
    "poverty_gap_total", "mean_shortfall", "watts", "fgt_decomposition", "watts_decomposition", "ge", "atkinson",
    "ge_decomposition", "poverty_profile", "sen", "sst" and the rank-based
    "quantile", "poverty_line", "gini", "share_ratio", "lorenz",
    "poor_median", "relative_median_gap" (several passes: ``passes``,
    ``next_pass()``). Its parameter under the in-memory function's keyword
    and default: ``alpha`` (fgt 0, fgt_decomposition 2), ``theta`` (ge, 1),
    ``epsilon`` (atkinson, 1), ``p``, ``alpha1`` and ``alpha2``,
    ``fraction`` (0.6) and ``quantile`` (0.5) of poor_median's and
    relative_median_gap's own line (they take no ``line``). Poverty
    measures: ``line`` a number, ``"per_row"`` for one line per row given
    with each chunk as ``y2``, or a :class:`relative_line` (not for sen and
    sst); ``inclusive`` (poor if y <= line). ``exclude_nonpositive`` as the
    in-memory functions (watts, ge, atkinson).

    The design every chunk follows: ``strata``, ``psu``, ``fpc`` (True: the
    chunks carry that column), ``lonely_psu`` and ``nest`` as
    :class:`socind.Design`. ``n_groups``: 0 (one estimate), or the number
    of domains, each chunk carrying codes 0 … n_groups − 1 (−1: in none).
    A state whose tables (or whose finished estimates) do not fit in memory
    raises ComputeError (status SOCIND_ERR_NOMEM) naming n_groups.

    States of equal specs merge; ``to_bytes()`` / ``State.from_bytes()``
    and pickling carry a state as the library's portable bytes."""

    def __init__(self, estimator: str, *, line: Any = None, alpha: Optional[float] = None,
                 theta: Optional[float] = None, epsilon: Optional[float] = None,
                 p: Optional[float] = None, alpha1: Optional[float] = None,
                 alpha2: Optional[float] = None, fraction: Optional[float] = None,
                 quantile: Optional[float] = None, inclusive: bool = False,
                 exclude_nonpositive: bool = False, n_groups: int = 0,
                 strata: bool = False, psu: bool = False, fpc: bool = False,
                 lonely_psu: str = "fail", nest: bool = False):
        kind = ESTIMATORS.get(estimator) if isinstance(estimator, str) else None
        if kind is None:
            raise InputError(SOCIND_ERR_ARG, "estimator must be one of "
                             f"{', '.join(map(repr, ESTIMATORS))}, not {estimator!r}")
        sp = StateSpec_t()
        _check(lib.socind_state_spec_init(ctypes.byref(sp)))
        sp.estimator = kind.code
        given = {"alpha": alpha, "theta": theta, "epsilon": epsilon, "p": p, "alpha1": alpha1,
                 "alpha2": alpha2, "fraction": fraction, "quantile": quantile}
        for k, v in given.items():
            if v is not None and k not in (kind.param, kind.param2):
                takes = f"takes {kind.param}=" if kind.param else "takes no parameter"
                raise InputError(SOCIND_ERR_ARG, f"State({estimator!r}) {takes}, not {k}=")
        # (the caller's name of a spec field, the field, a value it takes, the
        # value given): a spec the library refuses names the caller's argument
        probes = []
        if kind.param is not None:
            v = given[kind.param]
            if v is None and kind.default is None:
                raise InputError(SOCIND_ERR_ARG, f"State({estimator!r}) needs {kind.param}=")
            setattr(sp, kind.field, _scalar(kind.default if v is None else v, kind.param))
            if v is not None:
                probes.append((kind.param, kind.field,
                               0.5 if kind.default is None else kind.default, v))
        if kind.param2 is not None:
            v = given[kind.param2]
            # a relative quantile line's p reads NaN as 0.5: a NaN is refused, as in memory
            read = _given if kind.own_line else _scalar
            setattr(sp, kind.field2, read(kind.default2 if v is None else v, kind.param2))
            if v is not None:
                probes.append((kind.param2, kind.field2, kind.default2, v))
        if kind.own_line:
            sp.line_type = SOCIND_LINE_RELATIVE_QUANTILE
        if kind.poverty:
            if line is None:
                raise InputError(SOCIND_ERR_ARG, f"State({estimator!r}) needs line= (a number, "
                                 "or 'per_row' for lines given with each chunk as y2)")
            if isinstance(line, str) and line == "per_row":
                sp.line_type = SOCIND_LINE_PER_ROW
            elif isinstance(line, relative_line):
                sp.line_type = (SOCIND_LINE_RELATIVE_MEAN if line.of == "mean"
                                else SOCIND_LINE_RELATIVE_QUANTILE)
                sp.line = float(line.fraction)
                probes.append(("line's fraction", "line", 0.6, line.fraction))
                if line.of != "mean":
                    # the spec's p reads NaN as 0.5: a NaN quantile is refused, as in memory
                    sp.p = _given(line.quantile, "line's quantile", "of='median'")
                    probes.append(("line's quantile", "p", 0.5, line.quantile))
            elif np.ndim(line) == 0 and not isinstance(line, (str, bytes)):
                sp.line_type = SOCIND_LINE_ABSOLUTE
                sp.line = _scalar(line, "line")
                probes.append(("line", "line", 1.0, line))
            else:
                raise InputError(SOCIND_ERR_ARG, "line must be a number or 'per_row' (per-row "
                                 "lines come with each chunk as y2)")
            sp.inclusive = _flag(inclusive, "inclusive")
        elif line is not None or inclusive:
            raise InputError(SOCIND_ERR_ARG, f"State({estimator!r}) takes no poverty line")
        if exclude_nonpositive and not kind.nonpositive:
            raise InputError(SOCIND_ERR_ARG, f"State({estimator!r}) takes no "
                             "exclude_nonpositive")
        sp.nonpositive = _nonpositive(_flag(exclude_nonpositive, "exclude_nonpositive"))
        if isinstance(n_groups, (bool, np.bool_)) or not isinstance(n_groups, (int, np.integer)):
            raise InputTypeError(SOCIND_ERR_ARG, f"n_groups must be an integer, not {n_groups!r}")
        if not 0 <= int(n_groups) <= np.iinfo(np.int32).max:
            raise InputError(SOCIND_ERR_ARG, f"n_groups must be in [0, 2**31 - 1], not "
                             f"{n_groups}")
        sp.n_groups = int(n_groups)
        sp.has_strata = _flag(strata, "strata")
        sp.has_psu = _flag(psu, "psu")
        sp.has_fpc = _flag(fpc, "fpc")
        if lonely_psu not in _LONELY:
            raise InputError(SOCIND_ERR_ARG, f"lonely_psu must be one of {sorted(_LONELY)}, "
                             f"not {lonely_psu!r}")
        sp.lonely_psu = _LONELY[lonely_psu]
        sp.nest = _flag(nest, "nest")
        h = HANDLE()
        st = lib.socind_state_new(ctypes.byref(sp), ctypes.byref(h))
        if st != SOCIND_OK:
            _spec_refused(st, sp, probes)
        self._init(h, sp, _RowCounts(sp.n_groups), [])

    def _init(self, h, sp: StateSpec_t, rows: Optional[_RowCounts], spans: Optional[list]):
        self._owner = _StateHandle(h)
        self._spec = sp
        self._kind = ESTIMATORS[_BY_CODE[sp.estimator]]
        self.estimator = _BY_CODE[sp.estimator]
        # rows added per domain (all rows without domains), then all rows
        # added, for n_missing; None when unknown (a state read from bytes)
        self._rows = rows
        # the row numbers the state holds: sorted, disjoint [first, end)
        # ranges; None when unknown (a state read from bytes)
        self._spans = spans

    @property
    def _h(self):
        return self._owner.h

    # ------------------------------------------------------------ adding

    def add(self, weight: Any, y: Any, y2: Any = None, strata: Any = None, psu: Any = None,
            fpc: Any = None, group: Any = None, first_row: Optional[int] = None) -> "State":
        """Adds a chunk of rows: their ``weight``, the estimate's variable
        ``y`` (the income, the 0/1 variable, the ratio's numerator; NaN
        missing), ``y2`` (the ratio's denominator, or the per-row poverty
        lines), and the columns the spec asked for: ``strata`` and ``psu``
        ids (integers: they must mean the same in every chunk), ``fpc``,
        ``group`` (codes 0 … n_groups − 1, −1 in no domain). ``first_row``:
        the number of the chunk's first row in the whole data — errors name
        rows by it, and without PSU ids it identifies each row's PSU, so
        chunks must number their rows distinctly. By default the chunk's
        rows are numbered on after the rows the state holds (0 for a new
        state), so consecutive ``add()`` calls on one state number their
        rows as one file would; give ``first_row`` for chunks added to
        separate states that will be merged. Without PSU ids, a chunk whose
        numbers overlap rows the state holds is refused (InputError: its
        rows would join other rows' PSUs), and so is a default
        ``first_row`` on a state read from bytes (it does not know its
        rows). A chunk is added whole or not at all. Pandas columns follow
        the same-index rule (one index, or InputError naming both
        arguments). Returns the state."""
        _same_index(("weight", weight), ("y", y), ("y2", y2), ("strata", strata), ("psu", psu),
                    ("fpc", fpc), ("group", group))
        w = _cv.f64(weight, None, "weight", bools="weights")
        n = w.shape[0]
        yv = _cv.f64(y, n, "y")
        sp, kind = self._spec, self._kind
        wants_y2 = kind.y2 is not None or (kind.poverty and sp.line_type == SOCIND_LINE_PER_ROW)
        if (y2 is not None) != wants_y2:
            what = (kind.y2 if kind.y2 else "the per-row poverty lines") if wants_y2 else None
            raise InputError(SOCIND_ERR_ARG, f"State({self.estimator!r}): y2 " +
                             (f"(= {what}) is required" if wants_y2 else "is not used"))
        arrays = {"y2": None if y2 is None else _cv.f64(y2, n, "y2")}
        for name, x, want in (("strata", strata, sp.has_strata), ("psu", psu, sp.has_psu),
                              ("fpc", fpc, sp.has_fpc), ("group", group, sp.n_groups > 0)):
            if (x is not None) != bool(want):
                flag = "n_groups" if name == "group" else name
                raise InputError(SOCIND_ERR_ARG, f"{name} is " + (
                    f"required: the state was made with {flag}=" if want else
                    f"given and the state does not use it (State(..., {flag}=...))"))
            if x is None:
                arrays[name] = None
            elif name == "fpc":
                arrays[name] = _cv.f64(x, n, name, bools="population sizes or fractions")
            elif name == "group":
                arrays[name] = _group_codes(x, n)
            else:
                arrays[name] = _chunk_ids(x, n, name)
        if first_row is None:
            if self._spans is not None:
                first_row = self._spans[-1][1] if self._spans else 0
            elif sp.has_psu:
                first_row = 0  # rows named from 0, as before states knew their rows
            else:
                raise InputError(SOCIND_ERR_ARG, "first_row is required: this state was read "
                                 "from bytes and does not know which rows it holds, and without "
                                 "PSU ids each row's number is its PSU (give the number of the "
                                 "chunk's first row in the whole data)")
        if isinstance(first_row, (bool, np.bool_)) or \
                not isinstance(first_row, (int, np.integer)):
            raise InputTypeError(SOCIND_ERR_ARG, f"first_row must be an integer, not "
                                 f"{first_row!r}")
        if not 0 <= int(first_row) < 2 ** 62:
            raise InputError(SOCIND_ERR_ARG, f"first_row must be in [0, 2**62), not "
                             f"{first_row}")
        spans = self._spans
        if spans is not None and n > 0:
            spans = _union(spans, [(int(first_row), int(first_row) + n)],
                           None if sp.has_psu else lambda a, b: (
                               f"first_row={int(first_row)}: the chunk's rows {int(first_row)} "
                               f"… {int(first_row) + n - 1} overlap the rows {a} … {b} this "
                               "state holds already; without PSU ids each row is its own PSU by "
                               "its number, so every chunk's rows need numbers of their own "
                               "(first_row: the chunk's first row in the whole data)"))
        c = Chunk_t()
        _check(lib.socind_chunk_init(ctypes.byref(c)))
        c.n, c.first_row = n, int(first_row)
        c.weight = _lib.pointer(w, ctypes.c_double)
        c.y = _lib.pointer(yv, ctypes.c_double)
        c.y2 = _lib.pointer(arrays["y2"], ctypes.c_double)
        c.strata = _lib.pointer(arrays["strata"], ctypes.c_int64)
        c.psu = _lib.pointer(arrays["psu"], ctypes.c_int64)
        c.fpc = _lib.pointer(arrays["fpc"], ctypes.c_double)
        c.group = _lib.pointer(arrays["group"], ctypes.c_int32)
        try:
            _check(lib.socind_state_add(self._h, ctypes.byref(c)))
        except SocindError as e:
            # a missing weight or fpc (NaN, None, pd.NA: NaN by now) is said
            # as missing, as Design says it (the rows are named from
            # first_row)
            i = None if e.row is None else e.row - int(first_row)
            for name, v in (("weight", w), ("fpc", arrays["fpc"])):
                if v is not None and i is not None and 0 <= i < n and np.isnan(v[i]):
                    e.args = (e.args[0].replace(f"{name}[{e.row}] is nan",
                                                f"{name}[{e.row}] is missing (NaN, None or "
                                                "pd.NA)"),)
            raise
        self._spans = spans
        if self._rows is not None:
            self._rows.add(n, arrays["group"])
        del arrays, w, yv  # alive until C has read them
        return self

    def merge(self, other: "State") -> "State":
        """Adds other's sums into this state (other is unchanged). States of
        different specs raise InputError (SOCIND_ERR_MISMATCH); a PSU in two
        strata, or with two fpc values, a DesignError. Returns the state."""
        if not isinstance(other, State):
            raise InputTypeError(SOCIND_ERR_ARG, f"merge takes a socind.State, not "
                                 f"{type(other).__name__}")
        spans = None
        if self._spans is not None and other._spans is not None:
            mine = self._spec.has_psu or other._spec.has_psu or bytes(self._spec) != \
                bytes(other._spec)  # (specs that differ: the library refuses them)
            spans = _union(self._spans, other._spans, None if mine else lambda a, b: (
                f"the states both hold rows numbered {a} … {b}: without PSU ids each row is "
                "its own PSU by its number, so merging would join rows of different chunks "
                "into one PSU; number each chunk's rows distinctly (State.add's first_row: "
                "the chunk's first row in the whole data)"))
        _check(lib.socind_state_merge(self._h, other._h))
        self._spans = spans
        if self._rows is not None and other._rows is not None:
            self._rows = self._rows.merged(other._rows)
        else:
            self._rows = None
        return self

    def set_groups(self, n_groups: int) -> "State":
        """Raises the state's number of domains to ``n_groups`` (a reader
        that learns labels as it goes); codes already added keep their
        meaning. Only states made with domains; never fewer. Returns the
        state."""
        if isinstance(n_groups, (bool, np.bool_)) or not isinstance(n_groups, (int, np.integer)):
            raise InputTypeError(SOCIND_ERR_ARG, f"n_groups must be an integer, not {n_groups!r}")
        if not 0 <= int(n_groups) <= np.iinfo(np.int32).max:
            raise InputError(SOCIND_ERR_ARG, f"n_groups must be in [0, 2**31 - 1], not "
                             f"{n_groups}")
        old = self._spec.n_groups
        _check(lib.socind_state_set_groups(self._h, int(n_groups)))
        self._spec.n_groups = int(n_groups)
        if self._rows is not None and int(n_groups) > old:
            self._rows.n_groups = int(n_groups)
        return self

    # ------------------------------------------------------------ finishing

    def finish(self, level: float = 0.95, ci: Optional[str] = None,
               prop_ci: Optional[str] = None, domain_rule: Optional[str] = None):
        """The estimates, as the in-memory function over every row added
        would give them: an Estimate (a dict of Estimates by part for the
        decompositions), or with ``n_groups`` a DataFrame of one row per
        domain code (× part), the columns of a ``by=`` table. ``prop_ci``
        for proportions and FGT(0) ("likelihood" for "proportion_likelihood"
        only: its second pass makes R's glm fit); ``domain_rule``: "auto" (the estimator's own), "subset" or
        "full". ``n_missing`` counts the rows added that the estimate did
        not use; it is 0 for a state read from bytes (their rows are not
        known)."""
        kind = self._kind
        if prop_ci is not None and not (kind.prop and (kind.code != SOCIND_STATE_FGT or
                                                       self._spec.alpha == 0.0)):
            raise InputError(SOCIND_ERR_ARG, f"prop_ci applies to proportions (proportion, fgt "
                             f"with alpha=0), not to this {self.estimator!r} state")
        if domain_rule not in _RULES:
            raise InputError(SOCIND_ERR_ARG, "domain_rule must be 'auto', 'subset' or 'full', "
                             f"not {domain_rule!r}")
        opts = _options(level, ci, prop_ci)
        opts.domain_rule = _RULES[domain_rule]
        info = self.info
        out = self._buffer(lambda: (Estimate_t * info.count)(),
                           f"the {info.count} estimates it gives")
        _check(lib.socind_state_finish(self._h, ctypes.byref(opts), out, info.count))
        parts = kind.parts
        per = len(parts) if parts else 1
        rows = self._rows
        if self._spec.n_groups == 0 or kind.whole:
            r = None if rows is None else rows.total
            if parts is None:
                return Estimate._from(out[0], r)
            return {parts[i]: Estimate._from(out[i], r) for i in range(per)}
        return self._buffer(lambda: _domain_frame(out, self._spec.n_groups, per, parts,
                                                  None if rows is None else rows.dense()),
                            "the table of its estimates")

    def _buffer(self, make, what: str):
        """make() (a ctypes array), or ComputeError (SOCIND_ERR_NOMEM) naming
        n_groups when memory runs out for it, as the library's own
        allocations are refused."""
        try:
            return make()
        except (MemoryError, OverflowError):
            raise ComputeError(SOCIND_ERR_NOMEM, f"out of memory: n_groups = "
                               f"{self._spec.n_groups}: no memory for {what}") from None

    @property
    def info(self) -> StateInfo:
        """(count, npsu, ncells, nbytes): see :class:`StateInfo`."""
        v = [_sz() for _ in range(4)]
        _check(lib.socind_state_info(self._h, *[ctypes.byref(x) for x in v]))
        return StateInfo(*[int(x.value) for x in v])

    @property
    def passes(self) -> tuple:
        """(this state's pass, the passes its estimate takes), 1-based: 1
        for most estimates; 2 for a proportion's likelihood state and the
        poverty estimates against a relative mean line; 2 for quantiles,
        share ratios and Lorenz ordinates, or 3 where the merged state of
        pass 2 says so (a limit outside the rows it kept, a kernel series
        that could leave a digit out, a point past its bucket: ask the
        merged state); 3 for a relative quantile line and every poverty
        estimate against one; 5 for the median of the poor and the relative
        median gap; 2 or more for the Gini (its plan)."""
        p, q = np.zeros(1, dtype=np.int32), np.zeros(1, dtype=np.int32)
        _check(lib.socind_state_passes(self._h, p, q))
        return int(p[0]), int(q[0])

    def next_pass(self) -> "State":
        """An empty state of the next pass, carrying what this merged state
        of the current pass learned: add every chunk to it again. InputError
        when this is the estimate's last pass."""
        h = HANDLE()
        _check(lib.socind_state_next_pass(self._h, ctypes.byref(h)))
        s = State.__new__(State)
        # (its own copy of the spec: set_groups on this state must not reach it)
        s._init(h, StateSpec_t.from_buffer_copy(self._spec),
                None if self._rows is None else self._rows.empty(), [])
        return s

    # ------------------------------------------------------------ bytes

    def to_bytes(self) -> bytes:
        """The state in the library's portable byte format
        (docs/state-format.md: little-endian, versioned, CRC-32)."""
        n = _sz()
        _check(lib.socind_state_to_bytes(self._h, None, 0, ctypes.byref(n)))
        buf = self._buffer(lambda: ctypes.create_string_buffer(n.value),
                           f"its {n.value} bytes")
        _check(lib.socind_state_to_bytes(self._h, buf, n.value, ctypes.byref(n)))
        return buf.raw[:n.value]

    @classmethod
    def from_bytes(cls, data: Any) -> "State":
        """A state from its bytes (bytes, bytearray, memoryview). Bytes that
        are damaged, truncated, of another format version or not a state
        raise InputError with status SOCIND_ERR_FORMAT."""
        return cls._read(data, None)

    @classmethod
    def _read(cls, data: Any, rows: Optional[list], spans: Optional[list] = None,
              spec: Optional[bytes] = None) -> "State":
        if isinstance(data, memoryview):
            data = data.tobytes()
        if not isinstance(data, (bytes, bytearray)):
            raise InputTypeError(SOCIND_ERR_ARG, f"from_bytes takes bytes, not "
                                 f"{type(data).__name__}")
        data = bytes(data)
        h = HANDLE()
        _check(lib.socind_state_from_bytes(data, len(data), ctypes.byref(h)))
        s = cls.__new__(cls)
        sp = _spec_of(data, spec)
        r = None if rows is None else _RowCounts.unpickled(rows, sp.n_groups)
        s._init(h, sp, r, None if spans is None else [(int(a), int(b)) for a, b in spans])
        return s

    def __reduce__(self):
        rows = None if self._rows is None else self._rows.pickled()
        return (_unpickle, (self.to_bytes(), rows, self._spans, bytes(self._spec)))

    def __copy__(self) -> "State":
        return State._read(self.to_bytes(), None if self._rows is None else self._rows.pickled(),
                           self._spans, bytes(self._spec))

    def __deepcopy__(self, memo) -> "State":
        return self.__copy__()

    def __repr__(self) -> str:
        i = self.info
        p, q = self.passes
        return (f"<socind.State {self.estimator}: {i.npsu} PSUs, {i.ncells} cells, "
                f"{i.nbytes} bytes, pass {p} of {q}>")


def _spec_refused(st: int, sp: StateSpec_t, probes: list) -> None:
    """Raises the library's refusal of a spec. Where one argument the caller
    gave is the cause (the spec with a value of the field the library takes
    in its place is accepted), the message names that argument as the
    caller wrote it, then quotes the library's detail (which names the
    spec's field)."""
    detail = lib.socind_last_error_detail().decode()
    cls = ERROR_CLASS.get(st, SocindError)
    if st == SOCIND_ERR_NOMEM:  # the state's tables of domains, the usual cause
        raise cls(st, f"{_reason(st)}: no memory for a state of n_groups = {sp.n_groups} "
                  "domains" + (f" (the library's detail: \"{detail}\")" if detail else ""))
    for name, field, good, v in probes:
        t = StateSpec_t.from_buffer_copy(sp)
        setattr(t, field, good)
        h = HANDLE()
        if lib.socind_state_new(ctypes.byref(t), ctypes.byref(h)) == SOCIND_OK:
            lib.socind_state_free(h)
            raise cls(st, f"{_reason(st)}: {name} = {v!r} (the library's detail: \"{detail}\")")
        if h:
            lib.socind_state_free(h)
    raise cls(st, _reason(st) + (": " + detail if detail else ""))


def _unpickle(data: bytes, rows, spans=None, spec=None) -> State:
    return State._read(data, rows, spans, spec)


def _union(a: list, b: list, refuse) -> list:
    """The union of two lists of sorted, disjoint [first, end) row ranges,
    adjacent ranges joined. ``refuse``: None, or a function of the first
    overlapping rows (first, last) giving the message of the InputError
    that overlapping ranges raise."""
    out: list = []
    for lo, hi in sorted(a + b):
        if out and lo < out[-1][1]:
            if refuse is not None:
                raise InputError(SOCIND_ERR_ARG, refuse(lo, min(hi, out[-1][1]) - 1))
            out[-1] = (out[-1][0], max(hi, out[-1][1]))
        elif out and lo == out[-1][1]:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _spec_of(data: bytes, spec: Optional[bytes] = None) -> StateSpec_t:
    """The spec in a state's bytes (read by the library already: valid).
    Its header holds every field but p and p2 (NaN here); ``spec``, the
    bytes of the spec of the state the bytes were written from (a pickle, a
    copy), gives them: merge compares whole specs before it refuses rows
    numbered twice, and a spec without them would pass for another's."""
    if spec is not None and len(spec) == ctypes.sizeof(StateSpec_t):
        return StateSpec_t.from_buffer_copy(spec)
    sp = StateSpec_t()
    _check(lib.socind_state_spec_init(ctypes.byref(sp)))
    v = np.frombuffer(data, dtype="<i4", count=10, offset=16)
    (sp.estimator, sp.n_groups, sp.has_strata, sp.has_psu, sp.has_fpc, sp.lonely_psu, sp.nest,
     sp.nonpositive, sp.line_type, sp.inclusive) = (int(x) for x in v)
    sp.line, sp.alpha = (float(x) for x in np.frombuffer(data, dtype="<f8", count=2, offset=56))
    return sp


def _chunk_ids(x: Any, n: int, name: str) -> np.ndarray:
    """Ids of a chunk: integers (or whole floats), the same in every chunk;
    labels would be numbered per chunk, so they are refused."""
    v, miss, labels = _cv.ids(x, n, name)
    if miss is not None:
        i = int(np.flatnonzero(miss)[0])
        raise InputError(SOCIND_ERR_DATA, f"{name} is missing at row {i} of the chunk: every "
                         "row needs its ids", i)
    if labels is not None:
        raise InputTypeError(SOCIND_ERR_ARG, f"{name}: a state takes integer ids (labels would "
                             "be numbered differently in each chunk); give each label its "
                             "integer once for all chunks (socind.codes)")
    return v


def _group_codes(x: Any, n: int) -> np.ndarray:
    """Domain codes as int32 (whole numbers; the library checks the range)."""
    a = _cv.raw(x, "group")
    _cv.check_length(a, n, "group")
    k = a.dtype.kind
    if k == "O" and not any(isinstance(v, (str, bytes, bool, np.bool_)) for v in a.tolist()):
        # numbers and missing values (pandas' Int64 with pd.NA, None): read as
        # floats, so a missing code is named as NaN is
        a, k = _cv.f64(a, n, "group"), "f"
    if k == "f":
        bad = ~np.isfinite(a) | (a != np.round(a))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            what = "missing" if np.isnan(a[i]) else float(a[i])
            raise InputError(SOCIND_ERR_DATA, f"group: row {i} is {what}, not a domain code "
                             "(whole numbers 0 … n_groups − 1; −1, not a missing value, for a "
                             "row in no domain)", i)
    elif k not in "iu":
        raise InputTypeError(SOCIND_ERR_ARG, "group takes integer codes (0 … n_groups − 1, −1 "
                             f"for none), not {a.dtype} values (socind.codes numbers labels)")
    lim = np.iinfo(np.int32)
    out = (a < lim.min) | (a > lim.max)
    if out.any():
        i = int(np.flatnonzero(out)[0])
        raise InputError(SOCIND_ERR_DATA, f"group: row {i} is {a[i]!r}, outside the codes", i)
    return _cv.c_array(a.astype(np.int32))


def _domain_frame(out, G: int, per: int, parts, rows):
    """The DataFrame of a state with domains: one row per domain code (×
    part), the columns of a by= table (no overall row: a state of domains
    holds none; a state without domains gives it). Built column by column
    from the library's estimates (a state may have millions of domains)."""
    import pandas as pd
    a = np.ctypeslib.as_array(out)
    n = a["n"].astype(np.int64)
    if rows is None:
        miss = np.zeros(G * per, np.int64)
    else:
        miss = np.maximum(np.repeat(np.asarray(rows, np.int64), per) - n, 0)
    cols = {k: a[k].astype(np.float64) for k in ("value", "se", "ci_low", "ci_high", "df")}
    cols.update(n=n, n_missing=miss, weight_sum=a["weight_sum"].astype(np.float64),
                status=a["status"].astype(np.int64))
    if parts:
        index = pd.MultiIndex.from_product([np.arange(G, dtype=np.int64), list(parts)],
                                           names=["group", "statistic"])
    else:
        index = pd.Index(np.arange(G, dtype=np.int64), name="group")
    return pd.DataFrame(cols, index=index)


__all__ = ["State", "StateInfo", "ESTIMATORS"]
