# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/change.h: why poverty changed between two survey rounds — the
growth–redistribution decomposition (Datt & Ravallion 1992, and its Shapley
form, Shorrocks 2013) and the sectoral decomposition (Ravallion & Huppi
1991) of the change in FGT(α), each component with a design-based SE.

The two rounds must be independent samples (no PSU in both: the SEs ignore
any covariance between them), each with its own :class:`Design`;
round 2's incomes are in round 2's prices and ``price_ratio`` (round 2's
prices over round 1's, e.g. CPI_2/CPI_1) takes them to round 1's. The line
is round 1's (a number, per-row lines with ``lines2`` for round 2's rows in
round 2's prices, or :class:`relative_line` estimated on round 1), carried
to round 2 in real terms: the decompositions hold the line fixed in real
terms, so ``lines2`` must be round 1's lines carried to round 2's rows (each
row's round-1 line times ``price_ratio``). Round 2's own published lines,
if they changed in real terms, put that change into the redistribution
parts, the residual and the Shapley growth (see socind/change.h)."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import (ESTIMATE_P, OPTIONS_P, Estimate, Estimate_t, _check, _options, _scalar)
from ._errors import EmptyError, InputError
from ._groups import _Groups
from ._lib import F64, HANDLE, OPT_I32, lib
from .design import Design, _y_design
from .poverty import SOCIND_LINE_PER_ROW, PovertyLine_t, _line
from .status import SOCIND_ERR_ARG, SOCIND_ERR_EMPTY

SOCIND_GR_COUNT = 10
SOCIND_GR_FGT1 = 0
SOCIND_GR_FGT2 = 1
SOCIND_GR_CHANGE = 2
SOCIND_GR_DR_GROWTH = 3
SOCIND_GR_DR_REDISTRIBUTION = 4
SOCIND_GR_DR_RESIDUAL = 5
SOCIND_GR_SHAPLEY_GROWTH = 6
SOCIND_GR_SHAPLEY_REDISTRIBUTION = 7
SOCIND_GR_MEAN1 = 8
SOCIND_GR_MEAN2 = 9

SOCIND_RH_COUNT = 6
SOCIND_RH_FGT1 = 0
SOCIND_RH_FGT2 = 1
SOCIND_RH_CHANGE = 2
SOCIND_RH_WITHIN = 3
SOCIND_RH_SHIFT = 4
SOCIND_RH_INTERACTION = 5

SOCIND_RH_SECTOR_COUNT = 7
SOCIND_RH_SECTOR_FGT1 = 0
SOCIND_RH_SECTOR_FGT2 = 1
SOCIND_RH_SECTOR_SHARE1 = 2
SOCIND_RH_SECTOR_SHARE2 = 3
SOCIND_RH_SECTOR_WITHIN = 4
SOCIND_RH_SECTOR_SHIFT = 5
SOCIND_RH_SECTOR_INTERACTION = 6

# the parts' names, in the C order: the rows of `socind change` (base =
# round 1, compare = round 2)
GR_NAMES = ["fgt_base", "fgt_compare", "change", "dr_growth", "dr_redistribution",
            "dr_residual", "shapley_growth", "shapley_redistribution", "mean_base",
            "mean_compare"]
RH_NAMES = ["fgt_base", "fgt_compare", "change", "within", "shift", "interaction"]
RH_SECTOR_NAMES = ["fgt_base", "fgt_compare", "share_base", "share_compare", "within", "shift",
                   "interaction"]

_i32, _f64t = ctypes.c_int32, ctypes.c_double
_L = ctypes.POINTER(PovertyLine_t)
_lib.declare({
    "socind_growth_redistribution": (_i32, [HANDLE, F64, OPT_I32, HANDLE, F64, OPT_I32, _i32, _L,
                                            _lib.optional_array(np.float64), _f64t, _f64t,
                                            OPTIONS_P, ESTIMATE_P]),
    "socind_sectoral_decomposition": (_i32, [HANDLE, F64, OPT_I32, HANDLE, F64, OPT_I32, _i32, _L,
                                             _lib.optional_array(np.float64), _f64t, _f64t,
                                             OPTIONS_P, ESTIMATE_P, ESTIMATE_P]),
})


def _rounds(y1, y2, line, design1, design2, lines2, inclusive, price_ratio, alpha, groups1,
            groups2):
    """Both rounds' incomes and designs, the line, round 2's per-row lines;
    ``groups1``, ``groups2``: (name, column) of each round's domain or
    sector labels, whose indexes are checked with their round's."""
    y1v, d1 = _y_design(y1, design1, name="y1", others=[("line", line), groups1])
    y2v, d2 = _y_design(y2, design2, name="y2", others=[("lines2", lines2), groups2])
    L, keep = _line(line, d1.n, inclusive)
    l2 = None
    if lines2 is not None:
        if L.type != SOCIND_LINE_PER_ROW:
            raise InputError(SOCIND_ERR_ARG, "lines2 (round 2's per-row lines) goes with "
                             "per-row lines for round 1 (line= an array)")
        l2 = _cv.f64(lines2, d2.n, "lines2")
    elif L.type == SOCIND_LINE_PER_ROW:
        raise InputError(SOCIND_ERR_ARG, "per-row lines for round 1 need lines2, round 2's "
                         "lines (one per round-2 row, in round 2's prices)")
    r = _scalar(price_ratio, "price_ratio")
    a = _scalar(alpha, "alpha")
    return y1v, d1, y2v, d2, L, keep, l2, r, a


def _joint_codes(by1, by2, n1: int, n2: int, name: str):
    """One coding of both rounds' labels: (codes1, codes2, groups)."""
    ab = _cv.rounds_labels(by1, by2, n1, n2, name + "1", name + "2")
    try:
        groups = _Groups(ab, n1 + n2)
    except EmptyError:
        what = "sector" if name == "sector" else "group"
        raise EmptyError(SOCIND_ERR_EMPTY, f"{name}1 and {name}2 have no label: every value of "
                         f"both is missing, so there is no {what} to decompose by") from None
    codes = groups.codes
    return (np.ascontiguousarray(codes[:n1]), np.ascontiguousarray(codes[n1:]), groups)


def _frame(rows: list, index: list, names: list):
    import pandas as pd
    df = pd.DataFrame([dict(value=e.value, se=e.se, ci_low=e.ci_low, ci_high=e.ci_high,
                            df=e.df, n=e.n, weight_sum=e.weight_sum, status=e.status)
                       for e in rows])
    df.index = pd.MultiIndex.from_tuples(index, names=names)
    return df


def growth_redistribution(y1: Any, y2: Any, line: Any, alpha: float = 0,
                          design1: Optional[Design] = None, design2: Optional[Design] = None,
                          price_ratio: float = 1.0, lines2: Any = None, by1: Any = None,
                          by2: Any = None, inclusive: bool = False, level: float = 0.95,
                          ci: Optional[str] = None, prop_ci: Optional[str] = None):
    """The change in FGT(α) between round 1 (``y1``, ``design1``) and round 2
    (``y2``, ``design2``) split into growth and redistribution: Datt and
    Ravallion's (``dr_growth``, ``dr_redistribution``, ``dr_residual``) and
    the Shapley value (``shapley_growth`` + ``shapley_redistribution`` =
    ``change``), with ``fgt_base``, ``fgt_compare``, ``change``, and the
    means ``mean_base``, ``mean_compare`` (round 2's in round 1's prices) —
    the names of `socind change`'s rows. ``line``: a number (round 1's
    prices), per-row lines for round 1 with ``lines2`` for round 2 (round 1's
    lines carried to round 2's rows, in round 2's prices), or
    :class:`relative_line` (estimated on round 1, its error in every SE). Returns a dict of :class:`Estimate`; with ``by1`` and
    ``by2`` (each round's domain labels, the same labels in both), a
    DataFrame indexed by (domain, statistic), the overall rows "all"
    first. ``prop_ci`` is the interval of fgt_base and fgt_compare at α = 0."""
    y1v, d1, y2v, d2, L, keep, l2, r, a = _rounds(y1, y2, line, design1, design2, lines2,
                                                   inclusive, price_ratio, alpha, ("by1", by1),
                                                   ("by2", by2))
    opts = _options(level, ci, prop_ci)
    C = SOCIND_GR_COUNT
    out = (Estimate_t * C)()
    _check(lib.socind_growth_redistribution(d1._h, y1v, None, d2._h, y2v, None, 0,
                                            ctypes.byref(L), l2, r, a, ctypes.byref(opts), out))
    overall = [Estimate._from(out[k]) for k in range(C)]
    if by1 is None and by2 is None:
        del keep
        return dict(zip(GR_NAMES, overall))
    if by1 is None or by2 is None:
        raise InputError(SOCIND_ERR_ARG, "give both by1 and by2 (each round's domains), or "
                         "neither")
    c1, c2, groups = _joint_codes(by1, by2, d1.n, d2.n, "by")
    G = groups.G
    gout = (Estimate_t * (C * G))()
    _check(lib.socind_growth_redistribution(d1._h, y1v, c1, d2._h, y2v, c2, G, ctypes.byref(L),
                                            l2, r, a, ctypes.byref(opts), gout))
    del keep
    rows, index = list(overall), [("all", nm) for nm in GR_NAMES]
    for g in range(G):
        for k in range(C):
            rows.append(Estimate._from(gout[g * C + k]))
            index.append((groups.labels[g], GR_NAMES[k]))
    return _frame(rows, index, ["group", "statistic"])


def sectoral_decomposition(y1: Any, y2: Any, line: Any, sector1: Any, sector2: Any,
                           alpha: float = 0, design1: Optional[Design] = None,
                           design2: Optional[Design] = None, price_ratio: float = 1.0,
                           lines2: Any = None, inclusive: bool = False, level: float = 0.95,
                           ci: Optional[str] = None, prop_ci: Optional[str] = None):
    """Ravallion and Huppi's decomposition of the change in FGT(α) by sector
    (``sector1``, ``sector2``: each round's sector labels, the same labels
    in both; a missing label leaves the row out): ΔP = Σ s_k1·ΔP_k (within)
    + Σ P_k1·Δs_k (shift) + Σ ΔP_k·Δs_k (interaction). Returns a DataFrame
    indexed by (sector, statistic): the totals under "all" (fgt_base,
    fgt_compare, change, within, shift, interaction), then each sector's
    fgt_base, fgt_compare, share_base, share_compare and its within, shift
    and interaction contributions (`socind change --sector`'s names). The
    line as for :func:`growth_redistribution`."""
    y1v, d1, y2v, d2, L, keep, l2, r, a = _rounds(y1, y2, line, design1, design2, lines2,
                                                   inclusive, price_ratio, alpha,
                                                   ("sector1", sector1), ("sector2", sector2))
    opts = _options(level, ci, prop_ci)
    c1, c2, groups = _joint_codes(sector1, sector2, d1.n, d2.n, "sector")
    G = groups.G
    tot = (Estimate_t * SOCIND_RH_COUNT)()
    sec = (Estimate_t * (SOCIND_RH_SECTOR_COUNT * G))()
    _check(lib.socind_sectoral_decomposition(d1._h, y1v, c1, d2._h, y2v, c2, G, ctypes.byref(L),
                                             l2, r, a, ctypes.byref(opts), tot, sec))
    del keep
    rows = [Estimate._from(tot[k]) for k in range(SOCIND_RH_COUNT)]
    index = [("all", nm) for nm in RH_NAMES]
    S = SOCIND_RH_SECTOR_COUNT
    for g in range(G):
        for k in range(S):
            rows.append(Estimate._from(sec[g * S + k]))
            index.append((groups.labels[g], RH_SECTOR_NAMES[k]))
    return _frame(rows, index, ["sector", "statistic"])
