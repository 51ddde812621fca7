# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/targeting.h: targeting performance of a programme from a
recipient indicator — coverage of the poor, the exclusion and inclusion
error rates, leakage to the non-poor, the share of benefits reaching each
welfare group and the Coady-Grosh-Hoddinott indicator, each with its
design-based SE and interval, overall and by domain."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import ESTIMATE_P, OPTIONS_P, Estimate, Estimate_t, _check, _options, _scalar
from ._errors import InputError
from ._groups import _frame, _Groups
from ._lib import F64, HANDLE, OPT_I32, lib
from .design import Design, _y_design
from .poverty import PovertyLine_t, _line
from .status import SOCIND_ERR_CODE

# the parts of each domain: part k of group g is out[g·COUNT(K) + k]
SOCIND_TARGETING_MAX_RANKS = 20
SOCIND_TARGETING_COVERAGE = 0
SOCIND_TARGETING_EXCLUSION = 1
SOCIND_TARGETING_LEAKAGE = 2
SOCIND_TARGETING_INCLUSION = 3
SOCIND_TARGETING_CGH = 4
SOCIND_TARGETING_SHARE = 5


def SOCIND_TARGETING_COUNT(k: int) -> int:
    """The estimates per domain with k welfare groups."""
    return 5 + k


class TargetingOptions_t(ctypes.Structure):
    """socind_targeting_options."""
    _c_name = "socind_targeting_options"
    _fields_ = [("size", ctypes.c_size_t), ("cgh_share", ctypes.c_double),
                ("n_ranks", ctypes.c_int32), ("reserved", ctypes.c_int32)]


_i32 = ctypes.c_int32
_OPT_F64 = _lib.optional_array(np.float64)
_lib.declare({
    "socind_targeting_options_init": (_i32, [ctypes.POINTER(TargetingOptions_t)]),
    "socind_targeting": (_i32, [HANDLE, F64, ctypes.POINTER(PovertyLine_t), F64, _OPT_F64,
                                OPT_I32, OPT_I32, _i32, ctypes.POINTER(TargetingOptions_t),
                                OPTIONS_P, ESTIMATE_P]),
})


def _names(k: int) -> list:
    fixed = {SOCIND_TARGETING_COVERAGE: "coverage", SOCIND_TARGETING_EXCLUSION: "exclusion",
             SOCIND_TARGETING_LEAKAGE: "leakage", SOCIND_TARGETING_INCLUSION: "inclusion",
             SOCIND_TARGETING_CGH: "cgh"}
    return [fixed[i] for i in range(SOCIND_TARGETING_SHARE)] + \
        [f"share_{g}" for g in range(1, k + 1)]


def _rows(idx: np.ndarray) -> str:
    shown = ", ".join(str(int(i)) for i in idx[:20])
    return shown + (f" and {idx.size - 20} more" if idx.size > 20 else "")


def _ranking(ranking: Any, n: int, k: int) -> np.ndarray:
    """Welfare-group codes as int32: only a missing value is −1 (unranked);
    a value that is not a whole number in 1 .. k is refused naming every such
    row (a −1 in the data too: give a missing value for "unranked"), and so
    are codes that do not fill the k groups (the highest code below k, or a
    group without a row), naming both readings."""
    r = _cv.f64(ranking, n, "ranking")
    ok = ~np.isnan(r)
    bad = ok & (r != np.floor(r))
    if bad.any():
        rows = np.flatnonzero(bad)
        raise InputError(SOCIND_ERR_CODE, f"ranking: rows {_rows(rows)} are not whole numbers "
                         f"(row {int(rows[0])}: {r[rows[0]]!r}; welfare groups are 1 .. n_ranks)",
                         int(rows[0]))
    valid = isinstance(k, (int, np.integer)) and not isinstance(k, bool) and \
        2 <= k <= SOCIND_TARGETING_MAX_RANKS
    if valid:
        bad = ok & ((r < 1) | (r > k))
        if bad.any():
            rows = np.flatnonzero(bad)
            raise InputError(SOCIND_ERR_CODE, f"ranking: rows {_rows(rows)} hold codes outside "
                             f"1 .. {k} (row {int(rows[0])}: {r[rows[0]]:g}); a missing value "
                             "(NaN, None, pd.NA) marks an unranked row, not -1", int(rows[0]))
        codes = r[ok]
        if codes.size:
            top = int(codes.max())
            if top < k:
                raise InputError(SOCIND_ERR_CODE, f"ranking: codes 1 .. {top} but n_ranks = {k}: "
                                 f"groups {top + 1} .. {k} have no row. Codes 1 .. {top}: use "
                                 f"n_ranks={top}? Or, if the ranking has {k} groups, groups "
                                 f"{top + 1} .. {k} are missing from the data and cgh and the "
                                 "shares cannot be read")
            present = np.zeros(k + 1, dtype=bool)
            present[codes.astype(np.int64)] = True
            gaps = np.flatnonzero(~present[1:]) + 1
            if gaps.size:
                raise InputError(SOCIND_ERR_CODE, f"ranking: no row in group {int(gaps[0])} of "
                                 f"1 .. {k}: the codes do not fill n_ranks={k} groups (a ranking "
                                 "with fewer groups, numbered otherwise? or a group missing "
                                 "from the data)")
    out = np.where(ok, r, -1.0)
    out = np.clip(out, -2.0, 2.0**31 - 1)  # codes far out of range stay out of range
    return np.ascontiguousarray(out.astype(np.int32))


def targeting(y: Any, line: Any, recipient: Any, benefit: Any = None, ranking: Any = None,
              n_ranks: int = 10, cgh_share: float = 0.4, design: Optional[Design] = None,
              by: Any = None, inclusive: bool = False, level: float = 0.95,
              ci: Optional[str] = None, prop_ci: Optional[str] = None):
    """Targeting performance of a programme (targeting.h): ``coverage``
    P(recipient | poor), ``exclusion`` = 1 − coverage, ``leakage`` (the share
    of recipients who are not poor), ``inclusion`` P(recipient | non-poor),
    ``cgh`` (Coady-Grosh-Hoddinott: the share of benefits reaching the
    poorest ``cgh_share`` of the population over that group's estimated
    population share — ``cgh_share`` but for ties at the cut; with a
    ranking, over the estimated population share of groups 1 .. m,
    m = cgh_share·n_ranks) and
    ``share_1`` .. ``share_K`` (the share of benefits reaching each welfare
    group, poorest first; they sum to 1).

    ``y``: per-capita income; ``line``: a number, per-row lines or
    :class:`socind.relative_line`; ``recipient``: 0/1 per row (NaN: the row
    leaves the estimates); ``benefit``: the amount per row (read for
    recipients; NaN for a recipient: out of the shares and CGH only), or
    None for shares of recipients; ``ranking``: welfare-group codes
    1 .. ``n_ranks`` (a registry's deciles; missing = unranked: the row
    leaves the shares and CGH only; every group 1 .. ``n_ranks`` must have a
    row, and -1 or 0 is refused), or None for the ``n_ranks`` quantile
    groups of y estimated from the survey (their cut points' variability
    enters the shares' SEs). The four rates (and the shares without a benefit
    column) are proportions: ``prop_ci`` chooses their interval.

    Returns a dict of :class:`Estimate` by part name, or with ``by`` a
    DataFrame indexed by (group, statistic) whose first rows are the overall
    ones ("all")."""
    yv, d = _y_design(y, design, others=[("line", line), ("recipient", recipient),
                                         ("benefit", benefit), ("ranking", ranking),
                                         ("by", by)])
    rv = _cv.f64(recipient, d.n, "recipient")
    bv = None if benefit is None else _cv.f64(benefit, d.n, "benefit")
    kv = None if ranking is None else _ranking(ranking, d.n, n_ranks)
    T = TargetingOptions_t()
    _check(lib.socind_targeting_options_init(ctypes.byref(T)))
    T.n_ranks = _cv.integer(n_ranks, "n_ranks", *_cv.INT32)  # never wrapped
    T.cgh_share = _scalar(cgh_share, "cgh_share")
    L, keep = _line(line, d.n, inclusive)
    opts = _options(level, ci, prop_ci)
    per = SOCIND_TARGETING_COUNT(T.n_ranks)
    names = _names(T.n_ranks) if per > 0 else []
    out = (Estimate_t * max(per, 1))()
    _check(lib.socind_targeting(d._h, yv, ctypes.byref(L), rv, bv, kv, None, 1, ctypes.byref(T),
                                ctypes.byref(opts), out))
    if by is None:
        del keep
        return {names[i]: Estimate._from(out[i], d.n) for i in range(per)}
    groups = _Groups(by, d.n)
    gout = (Estimate_t * (groups.G * per))()
    _check(lib.socind_targeting(d._h, yv, ctypes.byref(L), rv, bv, kv, groups.codes, groups.G,
                                ctypes.byref(T), ctypes.byref(opts), gout))
    del keep
    return _frame(out, gout, groups, d.n, per, names)
