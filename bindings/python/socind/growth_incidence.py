# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/growth_incidence.h: the growth incidence curve between two survey
rounds (Ravallion & Chen 2003) with its summaries, each with a design-based
SE, the rounds being independent samples."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import ESTIMATE_P, OPTIONS_P, Estimate, Estimate_t, _check, _options, _scalar
from ._errors import InputError
from ._lib import HANDLE, OPT_F64, OPT_I32, F64, lib
from .design import Design, _y_design
from .poverty import PovertyLine_t, _line
from .status import SOCIND_ERR_ARG

SOCIND_GIC_DEFAULT_POINTS = 99
SOCIND_GIC_COUNT = 4
SOCIND_GIC_MEAN = 0
SOCIND_GIC_MEAN_POOR = 1
SOCIND_GIC_PRO_POOR = 2
SOCIND_GIC_HEADCOUNT = 3

_lib.declare({
    "socind_growth_incidence": (ctypes.c_int32, [
        HANDLE, F64, OPT_I32, HANDLE, F64, OPT_I32, ctypes.c_int32, ctypes.c_double, OPT_F64,
        ctypes.c_size_t,
        ctypes.POINTER(PovertyLine_t), OPTIONS_P, ESTIMATE_P, ESTIMATE_P]),
})

# the summaries' names, in the C order
_SUMMARY = {SOCIND_GIC_MEAN: "mean_growth", SOCIND_GIC_MEAN_POOR: "mean_poor_growth",
            SOCIND_GIC_PRO_POOR: "pro_poor_growth", SOCIND_GIC_HEADCOUNT: "headcount"}


def growth_incidence(y1: Any, y2: Any, line: Any, design1: Optional[Design] = None,
                     design2: Optional[Design] = None, price_ratio: float = 1.0,
                     percentiles: Any = None, by1: Any = None, by2: Any = None,
                     inclusive: bool = False, level: float = 0.95, ci: Optional[str] = None,
                     prop_ci: Optional[str] = None):
    """The growth incidence curve g(p) = Q2(p)/(r·Q1(p)) − 1 between round 1
    (``y1`` with ``design1``) and round 2 (``y2`` with ``design2``), two
    independent samples (a design of each; None is a simple random sample
    of the column's length), with ``price_ratio`` r = CPI(round 2)/CPI(round
    1). ``percentiles``: fractions in (0, 1) (default 0.01 … 0.99).
    ``line``: round 1's poverty line (a number, per-row lines of round 1 or
    :class:`socind.relative_line`, as :func:`socind.fgt` takes it), which
    gives H1, round 1's headcount.

    Returns a pandas DataFrame, one row per estimate: ``group``, ``indicator`` "gic"
    (one row per percentile ``p``), then "mean_growth" (μ2/(r·μ1) − 1),
    "mean_poor_growth" (the growth rate of the mean income of the poorest H1
    of each round), "pro_poor_growth" (Ravallion–Chen's rate: the mean of
    g(k/100) over k/100 <= H1, NaN when H1 < 1 %) and "headcount" (H1), with
    columns value, se, ci_low, ci_high, df, n, weight_sum and status. Each
    SE is the linearization's, V1 + V2 on df1 + df2 (socind/
    growth_incidence.h); intervals are symmetric (``ci``: "t", the default,
    or "normal") except H1's, which follows ``prop_ci`` as fgt's.

    ``by1``, ``by2``: a domain label per row of each round (given together;
    the same label is the same domain in both rounds, missing = no domain).
    The whole-sample rows come first (``group`` None), then each domain's,
    labels in sorted order; a domain without rows in a round has NaN
    figures and status SOCIND_ERR_EMPTY_DOMAIN."""
    import pandas as pd
    y1v, d1 = _y_design(y1, design1, "y1", others=[("line", line), ("by1", by1)])
    y2v, d2 = _y_design(y2, design2, "y2", others=[("by2", by2)])
    r = _scalar(price_ratio, "price_ratio")
    if percentiles is None:
        pv, npv = None, SOCIND_GIC_DEFAULT_POINTS
        pts = [(k + 1) / 100.0 for k in range(SOCIND_GIC_DEFAULT_POINTS)]
    else:
        pv = _cv.f64(percentiles if np.ndim(percentiles) else [percentiles], None,
                     "percentiles")
        if pv.ndim != 1 or pv.shape[0] == 0:
            raise InputError(SOCIND_ERR_ARG, "percentiles must be a non-empty list of "
                             "fractions in (0, 1)")
        npv = pv.shape[0]
        pts = [float(v) for v in pv]
    if (by1 is None) != (by2 is None):
        raise InputError(SOCIND_ERR_ARG, "by1 and by2 go together: give a domain column for "
                         "both rounds, or neither")
    L, keep = _line(line, d1.n, inclusive)
    opts = _options(level, ci, prop_ci)
    npp = 0 if pv is None else npv

    def call(g1, g2, G):
        curve = (Estimate_t * (npv * G))()
        summary = (Estimate_t * (SOCIND_GIC_COUNT * G))()
        _check(lib.socind_growth_incidence(d1._h, y1v, g1, d2._h, y2v, g2, ctypes.c_int32(G),
                                           ctypes.c_double(r), pv, ctypes.c_size_t(npp),
                                           ctypes.byref(L), ctypes.byref(opts), curve, summary))
        return curve, summary

    rows = []

    def add(curve, summary, g, label):
        for i in range(npv):
            rows.append(_row(label, "gic", pts[i], Estimate._from(curve[g * npv + i])))
        for k in range(SOCIND_GIC_COUNT):
            rows.append(_row(label, _SUMMARY[k], np.nan,
                             Estimate._from(summary[g * SOCIND_GIC_COUNT + k])))

    curve, summary = call(None, None, 1)
    add(curve, summary, 0, None)
    if by1 is not None:
        g1, g2, labels = _joint_codes(by1, by2, d1.n, d2.n)
        if labels:
            curve, summary = call(g1, g2, len(labels))
            for g, label in enumerate(labels):
                add(curve, summary, g, label)
    del keep
    return pd.DataFrame(rows)


def _joint_codes(by1: Any, by2: Any, n1: int, n2: int):
    """Codes of the two rounds' domain labels over their union (sorted),
    −1 for a missing label."""
    codes, labels = _cv.factorize(_cv.rounds_labels(by1, by2, n1, n2, "by1", "by2"), None,
                                  "by1 and by2")
    codes = codes.astype(np.int32)
    return (np.ascontiguousarray(codes[:n1]), np.ascontiguousarray(codes[n1:]), labels)


def _row(group: Any, indicator: str, p: float, e: Estimate) -> dict:
    return dict(group=group, indicator=indicator, p=p, value=e.value, se=e.se, ci_low=e.ci_low,
                ci_high=e.ci_high, df=e.df, n=e.n, weight_sum=e.weight_sum, status=e.status)
