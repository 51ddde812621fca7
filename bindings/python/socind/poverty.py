# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/poverty.h: poverty lines, FGT measures, the poor, gaps, Watts,
the FGT and Watts decompositions, the subgroup profile, the Sen and
Sen-Shorrocks-Thon indices, richness measures, PPP lines, and convey's
median of the poor and relative median poverty gap."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import (ESTIMATE_P, OPTIONS_P, Estimate, Estimate_t, _check, _nonpositive,
                      _options, _scalar, _warn_left_out)
from ._errors import InputError
from ._groups import _Groups
from ._lib import F64, HANDLE, OPT_I32, lib
from .design import Design, Result, _call, _estimate, _y_design
from .status import SOCIND_ERR_ARG, SOCIND_OK

# socind_poverty_line.type
SOCIND_LINE_ABSOLUTE = 0
SOCIND_LINE_PER_ROW = 1
SOCIND_LINE_RELATIVE_QUANTILE = 2
SOCIND_LINE_RELATIVE_MEAN = 3

# Parts of the multi-output estimators: part k of group g is out[g·COUNT + k].
SOCIND_FGTDEC_COUNT = 5
SOCIND_FGTDEC_P0 = 0
SOCIND_FGTDEC_P1 = 1
SOCIND_FGTDEC_PALPHA = 2
SOCIND_FGTDEC_IGR = 3
SOCIND_FGTDEC_GE = 4

SOCIND_WATTSDEC_COUNT = 4
SOCIND_WATTSDEC_WATTS = 0
SOCIND_WATTSDEC_P0 = 1
SOCIND_WATTSDEC_GAP_RATIO = 2
SOCIND_WATTSDEC_THEIL_POOR = 3

SOCIND_SEN_COUNT = 4
SOCIND_SEN_INDEX = 0
SOCIND_SEN_HEADCOUNT = 1
SOCIND_SEN_GAP = 2
SOCIND_SEN_GINI_POOR = 3

SOCIND_SST_COUNT = 4
SOCIND_SST_INDEX = 0
SOCIND_SST_HEADCOUNT = 1
SOCIND_SST_GAP = 2
SOCIND_SST_GINI_GAPS = 3

SOCIND_PROFILE_COUNT = 4
SOCIND_PROFILE_SHARE = 0
SOCIND_PROFILE_FGT = 1
SOCIND_PROFILE_CONTRIBUTION = 2
SOCIND_PROFILE_CONTRIBUTION_SHARE = 3

# socind_richness's type
SOCIND_RICH_CHA = 0
SOCIND_RICH_FGTT1 = 1
SOCIND_RICH_FGTT2 = 2


class PovertyLine_t(ctypes.Structure):
    """socind_poverty_line."""
    _c_name = "socind_poverty_line"
    _fields_ = [("size", ctypes.c_size_t), ("type", ctypes.c_int32),
                ("inclusive", ctypes.c_int32), ("value", ctypes.c_double),
                ("quantile", ctypes.c_double), ("lines", ctypes.POINTER(ctypes.c_double))]


_i32, _f64t = ctypes.c_int32, ctypes.c_double
_lib.declare({
    "socind_poor_median": (_i32, [HANDLE, F64, _f64t, _f64t, OPT_I32, _i32, OPTIONS_P,
                                  ESTIMATE_P]),
    "socind_relative_median_gap": (_i32, [HANDLE, F64, _f64t, _f64t, OPT_I32, _i32, OPTIONS_P,
                                          ESTIMATE_P]),
})
_L = ctypes.POINTER(PovertyLine_t)
# (design, y, line, [parameter,] group, n_groups, opts, out)
_PLAIN = (_i32, [HANDLE, F64, _L, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P])
_WITH_DOUBLE = (_i32, [HANDLE, F64, _L, _f64t, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P])
_WITH_POLICY = (_i32, [HANDLE, F64, _L, _i32, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P])

_lib.declare({
    "socind_poverty_line_init": (_i32, [_L]),
    "socind_fgt": _WITH_DOUBLE,
    "socind_poor_count": _PLAIN,
    "socind_poverty_gap_total": _PLAIN,
    "socind_mean_shortfall": _PLAIN,
    "socind_watts": _WITH_POLICY,
    "socind_poverty_line_estimate": (_i32, [HANDLE, F64, _L, OPTIONS_P, ESTIMATE_P]),
    "socind_fgt_decomposition": _WITH_DOUBLE,
    "socind_watts_decomposition": _WITH_POLICY,
    "socind_poverty_profile": _WITH_DOUBLE,
    "socind_sen": _PLAIN,
    "socind_sst": _PLAIN,
    "socind_ppp_line": (_i32, [_f64t, _f64t, _f64t, _f64t, _f64t, ctypes.POINTER(_f64t)]),
    "socind_richness": (_i32, [HANDLE, F64, _L, _i32, _f64t, OPT_I32, _i32, OPTIONS_P,
                               ESTIMATE_P]),
})

_f64 = _cv.f64


def _part_names(count: int, parts: dict) -> list:
    """The names of a multi-output estimator's parts in the C order: parts
    maps each index macro's value to its name."""
    assert sorted(parts) == list(range(count))
    return [parts[k] for k in range(count)]


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


def _line(line: Any, n: int, inclusive: bool):
    L = PovertyLine_t()
    _check(lib.socind_poverty_line_init(ctypes.byref(L)))
    L.inclusive = _cv.flag(inclusive, "inclusive")
    keep = None
    if isinstance(line, relative_line):  # checked when it was made
        L.type = (SOCIND_LINE_RELATIVE_QUANTILE if line.of in ("median", "quantile")
                  else SOCIND_LINE_RELATIVE_MEAN)
        L.value = line.fraction
        if line.quantile is not None:
            L.quantile = line.quantile
    elif np.ndim(line) == 0 and not isinstance(line, (str, bytes)):
        L.type = SOCIND_LINE_ABSOLUTE
        L.value = _scalar(line, "line")
    else:
        keep = _f64(line, n, "line")
        L.type = SOCIND_LINE_PER_ROW
        L.lines = _lib.pointer(keep, ctypes.c_double)
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
    (``prop_ci="logit"``, the default), Wald's (``prop_ci="wald"``) or one of
    R's svyciprop methods ("likelihood", "asin", "beta", "mean", "xlogit"); other
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
                    ctypes.c_int32(_nonpositive(exclude_nonpositive)))


def poverty_line(y: Any, line: Any, design: Optional[Design] = None, inclusive: bool = False,
                 level: float = 0.95, ci: Optional[str] = None) -> Estimate:
    """The line itself with its SE (a relative line is estimated)."""
    yv, d = _y_design(y, design, others=[("line", line)])
    L, keep = _line(line, d.n, inclusive)
    out = Estimate_t()
    opts = _options(level, ci)
    _check(lib.socind_poverty_line_estimate(d._h, yv, ctypes.byref(L),
                                            ctypes.byref(opts), ctypes.byref(out)))
    del keep
    return Estimate._from(out, d.n if out.n else None)


_RICH_TYPES = {"Cha": SOCIND_RICH_CHA, "FGTT1": SOCIND_RICH_FGTT1, "FGTT2": SOCIND_RICH_FGTT2}


def richness(y: Any, threshold: Any, type: str = "Cha", g: float = 1.0,
             design: Optional[Design] = None, by: Any = None, level: float = 0.95,
             ci: Optional[str] = None) -> Result:
    """Richness above ``threshold`` (R's convey ``svyrich``): the weighted
    mean of h(y; t) with h = 0 for y <= t and, for y > t, ``type="Cha"``
    (Chakravarty) 1 − (t/y)^g, g > 0; ``"FGTT1"`` (1 − t/y)^g, 0 <= g <= 1
    (g = 0: the share above t); ``"FGTT2"`` (y/t − 1)^g, g > 1. "Rich" is
    y > t strictly. ``threshold``: a number (convey's ``type_thresh="abs"``)
    or :class:`relative_line` estimated on the whole sample —
    ``relative_line(1.5)`` is convey's default 1.5 × the median ("relq"),
    ``relative_line(1.5, of="mean")`` its "relm" — whose estimation error
    enters the SE (there is no density term). By domain the variance is the
    full design's with zeros outside the domain, as convey computes it. To
    restrict the estimate to some rows while keeping the design (R's
    ``subset()``), give the others NaN incomes. g outside its type's range
    raises :class:`InputError` (SOCIND_ERR_ARG)."""
    if type not in _RICH_TYPES:
        raise InputError(SOCIND_ERR_ARG, f"richness: type must be 'Cha', 'FGTT1' or 'FGTT2', "
                         f"not {type!r}")
    if not isinstance(threshold, relative_line) and np.ndim(threshold) != 0:
        raise InputError(SOCIND_ERR_ARG, "richness: threshold is a number or a relative_line "
                         "(a threshold per row is not offered)")
    return _poverty(lib.socind_richness, y, threshold, design, by, False, level, ci,
                    ctypes.c_int32(_RICH_TYPES[type]), ctypes.c_double(_scalar(g, "g")))


def ppp_line(daily_line: float, ppp_factor: float, cpi_survey: float, cpi_base: float,
             days_per_period: float) -> float:
    """Converts a daily international-dollar line to local currency per period."""
    out = ctypes.c_double()
    args = [_scalar(v, k) for v, k in ((daily_line, "daily_line"), (ppp_factor, "ppp_factor"),
                                       (cpi_survey, "cpi_survey"), (cpi_base, "cpi_base"),
                                       (days_per_period, "days_per_period"))]
    _check(lib.socind_ppp_line(*args, ctypes.byref(out)))
    return out.value


_FGTDEC = _part_names(SOCIND_FGTDEC_COUNT, {
    SOCIND_FGTDEC_P0: "fgt0", SOCIND_FGTDEC_P1: "fgt1", SOCIND_FGTDEC_PALPHA: "fgt_alpha",
    SOCIND_FGTDEC_IGR: "igr", SOCIND_FGTDEC_GE: "ge"})
_WATTSDEC = _part_names(SOCIND_WATTSDEC_COUNT, {
    SOCIND_WATTSDEC_WATTS: "watts", SOCIND_WATTSDEC_P0: "fgt0",
    SOCIND_WATTSDEC_GAP_RATIO: "gap_ratio", SOCIND_WATTSDEC_THEIL_POOR: "theil_poor"})
_PROFILE = _part_names(SOCIND_PROFILE_COUNT, {
    SOCIND_PROFILE_SHARE: "share", SOCIND_PROFILE_FGT: "fgt",
    SOCIND_PROFILE_CONTRIBUTION: "contribution",
    SOCIND_PROFILE_CONTRIBUTION_SHARE: "contribution_share"})


def fgt_decomposition(y: Any, line: Any, alpha: float = 2.0, design: Optional[Design] = None,
                      by: Any = None, inclusive: bool = False, level: float = 0.95,
                      ci: Optional[str] = None):
    """P_α = P0 · IGR^α · [1 + (α² − α) GE_α(poor)] (convey's svyfgtdec): a
    dict of five estimates, or a DataFrame with ``by``."""
    return _poverty(lib.socind_fgt_decomposition, y, line, design, by, inclusive, level, ci,
                    ctypes.c_double(_scalar(alpha, "alpha")), per_group=SOCIND_FGTDEC_COUNT,
                    names=_FGTDEC)


def watts_decomposition(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
                        inclusive: bool = False, exclude_nonpositive: bool = False,
                        level: float = 0.95, ci: Optional[str] = None):
    """W = P0 · (W_pgr + L_poor) (convey's svywattsdec)."""
    return _poverty(lib.socind_watts_decomposition, y, line, design, by, inclusive, level, ci,
                    ctypes.c_int32(_nonpositive(exclude_nonpositive)),
                    per_group=SOCIND_WATTSDEC_COUNT, names=_WATTSDEC)


_SEN = _part_names(SOCIND_SEN_COUNT, {
    SOCIND_SEN_INDEX: "index", SOCIND_SEN_HEADCOUNT: "headcount", SOCIND_SEN_GAP: "gap",
    SOCIND_SEN_GINI_POOR: "gini_poor"})
_SST = _part_names(SOCIND_SST_COUNT, {
    SOCIND_SST_INDEX: "index", SOCIND_SST_HEADCOUNT: "headcount", SOCIND_SST_GAP: "gap",
    SOCIND_SST_GINI_GAPS: "gini_gaps"})


def sen(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
        inclusive: bool = False, level: float = 0.95, ci: Optional[str] = None):
    """The Sen (1976) index, Sen = P0 · (I + (1 − I) · G_p) (DASP's isen,
    convey's development svysen), with its components: a dict of estimates
    ``index``, ``headcount`` (P0), ``gap`` (I, the mean poverty gap ratio of
    the poor) and ``gini_poor`` (G_p, convey's Gini of the poor's incomes
    over the line), or a DataFrame with ``by``. ``line``: a number or one
    line per row; a :class:`relative_line` is refused (InputError)."""
    return _poverty(lib.socind_sen, y, line, design, by, inclusive, level, ci,
                    per_group=SOCIND_SEN_COUNT, names=_SEN)


def sst(y: Any, line: Any, design: Optional[Design] = None, by: Any = None,
        inclusive: bool = False, level: float = 0.95, ci: Optional[str] = None):
    """The Sen–Shorrocks–Thon index, SST = P0 · I · (1 + G_g) (Shorrocks 1995;
    DASP's isst, convey's development svysst), with its components: a dict of
    estimates ``index``, ``headcount`` (P0), ``gap`` (I, the mean poverty gap
    ratio of the poor) and ``gini_gaps`` (G_g, the Gini of every person's
    poverty gap, the non-poor's 0), or a DataFrame with ``by``. ``line``: a
    number or one line per row; a :class:`relative_line` is refused."""
    return _poverty(lib.socind_sst, y, line, design, by, inclusive, level, ci,
                    per_group=SOCIND_SST_COUNT, names=_SST)


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
    zero = np.zeros(d.n, dtype=np.int32)  # every row in one group: the overall row
    C = SOCIND_PROFILE_COUNT
    one = (Estimate_t * C)()
    _check(lib.socind_poverty_profile(d._h, yv, ctypes.byref(L), a, zero, 1, ctypes.byref(opts),
                                      one))
    G = groups.G
    outs = (Estimate_t * (C * G))()
    _check(lib.socind_poverty_profile(d._h, yv, ctypes.byref(L), a, groups.codes, G,
                                      ctypes.byref(opts), outs))

    def part(k: int) -> list:
        """Part k of the overall row, then of each group."""
        return [one[k]] + [outs[j * C + k] for j in range(G)]

    cols = {}
    for k, name in enumerate(_PROFILE):
        est = part(k)
        cols[name] = [e.value for e in est]
        cols[name + "_se"] = [e.se for e in est]
    fg = part(SOCIND_PROFILE_FGT)
    cols["n"] = [int(e.n) for e in fg]
    cols["n_missing"] = [max(int(r) - int(e.n), 0) for r, e in zip([d.n] + list(groups.rows), fg)]
    cols["status"] = [_profile_status(one, 0)] + [_profile_status(outs, j * C) for j in range(G)]
    _warn_left_out(max(int(e.replicates_left_out) for e in list(one) + list(outs)))
    del keep
    df = pd.DataFrame(cols, index=groups.index())
    df.attrs["by_missing"] = groups.missing
    return df


def _profile_status(out, first: int) -> int:
    """The first status other than SOCIND_OK of a profile row's parts
    out[first] … out[first + SOCIND_PROFILE_COUNT − 1], in the parts' order."""
    for k in range(SOCIND_PROFILE_COUNT):
        if out[first + k].status != SOCIND_OK:
            return int(out[first + k].status)
    return SOCIND_OK


def poor_median(y: Any, fraction: float = 0.6, quantile: float = 0.5,
                design: Optional[Design] = None, by: Any = None, level: float = 0.95,
                ci: Optional[str] = None) -> Result:
    """convey's svypoormed: the median income of the poor, the poor being the
    rows with y <= fraction × the whole sample's quantile (0.6 × the median:
    convey's line, always; it takes no other line), with its linearized SE
    (the line's own variability included; by domain, the full design's
    variance)."""
    return _call(lib.socind_poor_median, design, y, by, level, ci,
                 ctypes.c_double(_scalar(fraction, "fraction")),
                 ctypes.c_double(_scalar(quantile, "quantile")))


def relative_median_gap(y: Any, fraction: float = 0.6, quantile: float = 0.5,
                        design: Optional[Design] = None, by: Any = None, level: float = 0.95,
                        ci: Optional[str] = None) -> Result:
    """convey's svyrmpg: the relative median poverty gap (z − MEDP)/z against
    convey's line z = fraction × the whole sample's quantile (0.6 × the
    median), MEDP the median income of the poor (:func:`poor_median`)."""
    return _call(lib.socind_relative_median_gap, design, y, by, level, ci,
                 ctypes.c_double(_scalar(fraction, "fraction")),
                 ctypes.c_double(_scalar(quantile, "quantile")))
