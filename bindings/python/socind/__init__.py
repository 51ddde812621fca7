# SPDX-License-Identifier: GPL-3.0-or-later
"""socind from Python: social indicators with design-based standard errors.

Every function takes array-likes (NumPy arrays, pandas Series, lists), passes
contiguous float64/int32/int64 buffers to the C library without copying when
they already are, and returns an :class:`Estimate` — or, with ``by=``, a
pandas DataFrame indexed by group label. Non-zero C statuses raise
:class:`SocindError` subclasses carrying the library's message.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from typing import Any, Optional, Sequence, Union

import numpy as np

from . import _lib
from ._lib import lib

__all__ = [
    "Design", "Estimate", "SocindError", "DesignError", "InputError", "EmptyError",
    "version", "total", "mean", "ratio", "proportion", "relative_line", "fgt", "poor_count",
    "poverty_gap_total", "mean_shortfall", "watts", "poverty_line", "ppp_line", "gini", "ge",
    "atkinson", "quantile", "share_ratio", "lorenz", "zscores", "prevalence",
    "variance", "critical_value", "fgt_decomposition", "watts_decomposition",
    "poverty_profile", "ge_decomposition", "zscores_child", "growth_quality", "round2",
]

# ---------------------------------------------------------------- errors


class SocindError(Exception):
    """A socind call failed; ``status`` is the C status code."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


class DesignError(SocindError):
    """The survey design is invalid (weights, fpc, nesting, lonely PSU)."""


class InputError(SocindError):
    """An argument or a data value is invalid."""


class EmptyError(SocindError):
    """No usable observation."""


_DESIGN_STATUSES = {3, 4, 5, 6, 7}
_EMPTY_STATUSES = {2}


def _check(status: int) -> None:
    if status == 0:
        return
    msg = lib.socind_strerror(status).decode()
    detail = lib.socind_last_error_detail().decode()
    text = msg + (": " + detail if detail else "")
    cls = DesignError if status in _DESIGN_STATUSES else EmptyError if status in _EMPTY_STATUSES \
        else InputError
    raise cls(status, text)


def version() -> str:
    """The C library's release version."""
    return lib.socind_version().decode()


# ---------------------------------------------------------------- arrays


def _f64(x: Any, n: Optional[int], name: str) -> np.ndarray:
    a = np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if n is not None and a.shape[0] != n:
        raise ValueError(f"{name} has {a.shape[0]} values, the design has {n} rows")
    return a


def _int(x: Any, n: Optional[int], name: str, dtype) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype.kind == "f":
        if np.isnan(a).any():
            raise ValueError(f"{name} has missing values")
    a = np.ascontiguousarray(a.astype(dtype, copy=False))
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    if n is not None and a.shape[0] != n:
        raise ValueError(f"{name} has {a.shape[0]} values, expected {n}")
    return a


def _ptr(a: Optional[np.ndarray], ctype):
    return None if a is None else a.ctypes.data_as(ctypes.POINTER(ctype))


# ---------------------------------------------------------------- design

_LONELY = {"fail": 0, "remove": 1, "adjust": 2, "average": 3, "certainty": 4}


class Design:
    """A survey design built once and reused by every estimate.

    ``weight``: sampling weights (finite, >= 0). ``strata``, ``psu``: ids of
    any integer values (PSU ids may restart in each stratum with
    ``nest=True``). ``fpc``: per row, the population number of PSUs of the
    stratum, or the sampling fraction when every value is <= 1.
    ``lonely_psu``: "fail", "remove", "adjust", "average" or "certainty"."""

    def __init__(self, weight: Any, strata: Any = None, psu: Any = None, fpc: Any = None,
                 lonely_psu: str = "fail", nest: bool = False):
        w = _f64(weight, None, "weight")
        n = w.shape[0]
        s = None if strata is None else _int(strata, n, "strata", np.int64)
        p = None if psu is None else _int(psu, n, "psu", np.int64)
        f = None if fpc is None else _f64(fpc, n, "fpc")
        if lonely_psu not in _LONELY:
            raise ValueError(f"lonely_psu must be one of {sorted(_LONELY)}")
        opts = _lib.DesignOptions_t()
        lib.socind_design_options_init(ctypes.byref(opts))
        opts.lonely_psu = _LONELY[lonely_psu]
        opts.nest = 1 if nest else 0
        handle = ctypes.c_void_p()
        _check(lib.socind_design_new(n, _ptr(w, ctypes.c_double), _ptr(s, ctypes.c_int64),
                                     _ptr(p, ctypes.c_int64), _ptr(f, ctypes.c_double),
                                     ctypes.byref(opts), ctypes.byref(handle)))
        self._h = handle
        self.n = n

    def __del__(self):
        h = getattr(self, "_h", None)
        if h:
            lib.socind_design_free(h)
            self._h = None

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


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Estimate:
    """One estimate: value, standard error, confidence interval, degrees of
    freedom, rows used (n) and their weight sum."""
    value: float
    se: float
    ci_low: float
    ci_high: float
    df: float
    n: int
    weight_sum: float

    @staticmethod
    def _from(e: "_lib.Estimate_t") -> "Estimate":
        return Estimate(e.value, e.se, e.ci_low, e.ci_high, e.df, int(e.n), e.weight_sum)


def _options(level: float, ci: Optional[str]):
    o = _lib.Options_t()
    lib.socind_options_init(ctypes.byref(o))
    o.level = level
    if ci == "normal":
        o.ci_dist = 1
    elif ci == "wald":
        o.prop_ci = 1
    elif ci not in (None, "t", "logit"):
        raise ValueError("ci must be 't', 'normal', 'logit' or 'wald'")
    return o


def _by(by: Any, n: int):
    """Group codes for ``by`` (labels of any type; missing → −1)."""
    if by is None:
        return None, None
    import pandas as pd
    s = pd.Series(np.asarray(by) if not isinstance(by, pd.Series) else by.to_numpy())
    if s.shape[0] != n:
        raise ValueError(f"by has {s.shape[0]} values, the design has {n} rows")
    codes, labels = pd.factorize(s, sort=True)
    return np.ascontiguousarray(codes.astype(np.int32)), list(labels)


def _result(out, labels, per_group: int = 1, names: Optional[Sequence[str]] = None):
    if labels is None:
        if per_group == 1:
            return Estimate._from(out[0])
        return {names[i]: Estimate._from(out[i]) for i in range(per_group)}
    import pandas as pd
    rows = []
    for j, lab in enumerate(labels):
        for i in range(per_group):
            e = Estimate._from(out[j * per_group + i])
            row = dict(group=lab, value=e.value, se=e.se, ci_low=e.ci_low, ci_high=e.ci_high,
                       df=e.df, n=e.n, weight_sum=e.weight_sum)
            if per_group > 1:
                row["statistic"] = names[i]
            rows.append(row)
    df = pd.DataFrame(rows)
    return df.set_index(["group", "statistic"] if per_group > 1 else "group")


def _design_or_srs(design: Optional[Design], n: int) -> Design:
    return design if design is not None else Design(np.ones(n))


def _call(fn, design, y, by, level, ci, *args, per_group=1, names=None, extra=()):
    yv = _f64(y, None, "y")
    d = _design_or_srs(design, yv.shape[0])
    if yv.shape[0] != d.n:
        raise ValueError(f"y has {yv.shape[0]} values, the design has {d.n} rows")
    codes, labels = _by(by, d.n)
    G = len(labels) if labels is not None else 1
    out = (_lib.Estimate_t * (G * per_group))()
    opts = _options(level, ci)
    _check(fn(d._h, _ptr(yv, ctypes.c_double), *extra, *args, _ptr(codes, ctypes.c_int32),
              max(G, 1), ctypes.byref(opts), out))
    return _result(out, labels, per_group, names)


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
               ci: Optional[str] = None) -> Result:
    """Proportion of a 0/1 variable with the logit interval (R's svyciprop)."""
    return _call(lib.socind_proportion, design, x, by, level, ci)


def ratio(numerator: Any, denominator: Any, design: Optional[Design] = None, by: Any = None,
          level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Ratio of totals Σ w·a / Σ w·b (R's svyratio)."""
    b = _f64(denominator, None, "denominator")
    return _call(lib.socind_ratio, design, numerator, by, level, ci,
                 extra=(_ptr(b, ctypes.c_double),))


# ---------------------------------------------------------------- poverty


@dataclass(frozen=True)
class relative_line:
    """A relative poverty line: ``fraction`` × the weighted median
    (``of="median"``, or any ``quantile=``) or mean of the whole sample."""
    fraction: float
    of: str = "median"
    quantile: float = 0.5


def _line(line: Any, n: int, inclusive: bool):
    L = _lib.PovertyLine_t()
    lib.socind_poverty_line_init(ctypes.byref(L))
    L.inclusive = 1 if inclusive else 0
    keep = None
    if isinstance(line, relative_line):
        L.type = 2 if line.of == "median" or line.of == "quantile" else 3
        if line.of not in ("median", "quantile", "mean"):
            raise ValueError("relative_line.of must be 'median', 'quantile' or 'mean'")
        L.value = line.fraction
        L.quantile = line.quantile
    elif np.ndim(line) == 0:
        L.type = 0
        L.value = float(line)
    else:
        keep = _f64(line, n, "line")
        L.type = 1
        L.lines = _ptr(keep, ctypes.c_double)
    return L, keep


def _poverty(fn, y, line, design, by, inclusive, level, ci, *args, per_group=1, names=None):
    yv = _f64(y, None, "y")
    d = _design_or_srs(design, yv.shape[0])
    L, keep = _line(line, d.n, inclusive)
    res = _call(fn, d, yv, by, level, ci, *args, per_group=per_group, names=names,
                extra=(ctypes.byref(L),))
    del keep
    return res


def fgt(y: Any, line: Any, alpha: float = 0, design: Optional[Design] = None, by: Any = None,
        inclusive: bool = False, level: float = 0.95, ci: Optional[str] = None) -> Result:
    """FGT(α): α = 0 poverty rate, 1 poverty gap index, 2 severity. ``line``:
    a number, an array of per-row lines, or :class:`relative_line`."""
    return _poverty(lib.socind_fgt, y, line, design, by, inclusive, level, ci,
                    ctypes.c_double(alpha))


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
    yv = _f64(y, None, "y")
    d = _design_or_srs(design, yv.shape[0])
    L, keep = _line(line, d.n, inclusive)
    out = _lib.Estimate_t()
    opts = _options(level, ci)
    _check(lib.socind_poverty_line_estimate(d._h, _ptr(yv, ctypes.c_double), ctypes.byref(L),
                                            ctypes.byref(opts), ctypes.byref(out)))
    return Estimate._from(out)


def ppp_line(daily_line: float, ppp_factor: float, cpi_survey: float, cpi_base: float,
             days_per_period: float) -> float:
    """Converts a daily international-dollar line to local currency per period."""
    out = ctypes.c_double()
    _check(lib.socind_ppp_line(daily_line, ppp_factor, cpi_survey, cpi_base, days_per_period,
                               ctypes.byref(out)))
    return out.value


# ---------------------------------------------------------------- inequality


def gini(y: Any, design: Optional[Design] = None, by: Any = None, level: float = 0.95,
         ci: Optional[str] = None) -> Result:
    """Gini coefficient (convey's formula) with its linearized SE."""
    return _call(lib.socind_gini, design, y, by, level, ci)


def ge(y: Any, theta: float = 1.0, design: Optional[Design] = None, by: Any = None,
       exclude_nonpositive: bool = False, level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Generalized entropy GE(θ): θ = 0 MLD, θ = 1 Theil."""
    return _call(lib.socind_ge, design, y, by, level, ci, ctypes.c_double(theta),
                 ctypes.c_int32(1 if exclude_nonpositive else 0))


def atkinson(y: Any, epsilon: float = 1.0, design: Optional[Design] = None, by: Any = None,
             exclude_nonpositive: bool = False, level: float = 0.95,
             ci: Optional[str] = None) -> Result:
    """Atkinson index A(ε), ε > 0."""
    return _call(lib.socind_atkinson, design, y, by, level, ci, ctypes.c_double(epsilon),
                 ctypes.c_int32(1 if exclude_nonpositive else 0))


def quantile(y: Any, p: float = 0.5, design: Optional[Design] = None, by: Any = None,
             level: float = 0.95) -> Result:
    """Weighted p-quantile with Woodruff's interval (R's svyquantile)."""
    return _call(lib.socind_quantile, design, y, by, level, None, ctypes.c_double(p))


def share_ratio(y: Any, alpha1: float = 0.2, alpha2: float = 0.8,
                design: Optional[Design] = None, by: Any = None, level: float = 0.95,
                ci: Optional[str] = None) -> Result:
    """Income share ratio: S80/S20 by default; (0.4, 0.9) is the Palma ratio."""
    return _call(lib.socind_share_ratio, design, y, by, level, ci, ctypes.c_double(alpha1),
                 ctypes.c_double(alpha2))


def lorenz(y: Any, p: float, design: Optional[Design] = None, by: Any = None,
           level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Lorenz ordinate L(p)."""
    return _call(lib.socind_lorenz, design, y, by, level, ci, ctypes.c_double(p))


# ---------------------------------------------------------------- growth

_SEX = {1: 1, 2: 2, "1": 1, "2": 2, "m": 1, "f": 2, "M": 1, "F": 2}
_MEASURE = {"l": 1, "h": 2, "L": 1, "H": 2, 1: 1, 2: 2}
_OEDEMA = {"n": 0, "y": 1, "N": 0, "Y": 1, "1": 1, "2": 0, 0: 0, 1: 1}


def _codes(x: Any, n: int, table: dict, name: str) -> Optional[np.ndarray]:
    """Categorical codes for C, vectorized: missing → −1, unknown → −9 (the
    C library then reports the row's reason bit)."""
    if x is None:
        return None
    a = np.asarray(x)
    if a.ndim != 1 or a.shape[0] != n:
        raise ValueError(f"{name} has {a.shape[0] if a.ndim else 1} values, expected {n}")
    ints = {k: v for k, v in table.items() if isinstance(k, int)}
    if a.dtype.kind in "iu" and all(k == v for k, v in ints.items()):
        # the C codes themselves (anything else is reported per row by C)
        return np.ascontiguousarray(a, dtype=np.int32)
    if a.dtype.kind in "iub":
        out = np.full(n, -9, dtype=np.int32)
        for key, code in ints.items():
            out[a == key] = code
        return out
    if a.dtype.kind == "f":
        out = np.full(n, -9, dtype=np.int32)
        out[np.isnan(a)] = -1
        for key, code in ints.items():
            out[a == key] = code
        return out
    import pandas as pd
    codes, uniques = pd.factorize(pd.Series(a, dtype=object))
    lut = []
    for u in uniques:
        if isinstance(u, str):
            lut.append(table.get(u.strip(), -9))
        elif isinstance(u, (int, np.integer)) or (isinstance(u, float) and u.is_integer()):
            lut.append(table.get(int(u), -9))
        else:
            lut.append(-9)
    lut.append(-1)  # factorize's −1 (None, NaN) is missing
    return np.asarray(lut, dtype=np.int32)[codes]


def zscores(sex: Any, age_days: Any = None, age_months: Any = None, weight_kg: Any = None,
            lenhei_cm: Any = None, measure: Any = None, oedema: Any = None,
            headc_cm: Any = None, armc_cm: Any = None, triskin_mm: Any = None,
            subskin_mm: Any = None, reference: str = "who2006", rounding: str = "who") -> dict:
    """WHO z-scores and flags: ``reference="who2006"`` (0–5 y: zlen, zwei,
    zwfl, zbmi, zhc, zac, zts, zss and flags flen … fss, with clenhei, cbmi,
    cmeasure, c9mo_flag, reason) or ``"who2007"`` (5–19 y, age in months:
    zhfa, zwfa, zbfa, fhfa, fwfa, fbfa, cbmi, reason). Flags are 1/0 and −1
    where the z-score is missing."""
    rnd = {"who": 0, "none": 1}.get(rounding)
    if rnd is None:
        raise ValueError("rounding must be 'who' or 'none'")
    sx = _codes(sex, len(sex), _SEX, "sex")
    n = sx.shape[0]
    if reference == "who2007":
        age = _f64(age_months, n, "age_months")
        h = None if lenhei_cm is None else _f64(lenhei_cm, n, "lenhei_cm")
        w = None if weight_kg is None else _f64(weight_kg, n, "weight_kg")
        oe = _codes(oedema, n, _OEDEMA, "oedema")
        out = {k: np.empty(n) for k in ("zhfa", "zwfa", "zbfa", "cbmi")}
        out.update({k: np.empty(n, dtype=np.int32) for k in ("fhfa", "fwfa", "fbfa", "reason")})
        D, I = ctypes.c_double, ctypes.c_int32
        _check(lib.socind_growth_who2007(n, _ptr(sx, I), _ptr(age, D), _ptr(h, D), _ptr(w, D),
                                         _ptr(oe, I), rnd, _ptr(out["cbmi"], D),
                                         _ptr(out["zhfa"], D), _ptr(out["zwfa"], D),
                                         _ptr(out["zbfa"], D), _ptr(out["fhfa"], I),
                                         _ptr(out["fwfa"], I), _ptr(out["fbfa"], I),
                                         _ptr(out["reason"], I)))
        return out
    if reference != "who2006":
        raise ValueError("reference must be 'who2006' or 'who2007'")
    gi = _lib.GrowthInput_t()
    lib.socind_growth_input_init(ctypes.byref(gi))
    keep = {}
    if age_days is not None:
        keep["age"] = _f64(age_days, n, "age_days")
    elif age_months is not None:
        keep["age"] = _f64(age_months, n, "age_months")
        gi.age_in_months = 1
    for name, val in (("weight", weight_kg), ("lenhei", lenhei_cm), ("headc", headc_cm),
                      ("armc", armc_cm), ("triskin", triskin_mm), ("subskin", subskin_mm)):
        if val is not None:
            keep[name] = _f64(val, n, name)
    keep["sex"] = sx
    m = _codes(measure, n, _MEASURE, "measure")
    o = _codes(oedema, n, _OEDEMA, "oedema")
    gi.sex = _ptr(sx, ctypes.c_int32)
    if m is not None:
        keep["measure"] = m
        gi.measure = _ptr(m, ctypes.c_int32)
    if o is not None:
        keep["oedema"] = o
        gi.oedema = _ptr(o, ctypes.c_int32)
    for name in ("age", "weight", "lenhei", "headc", "armc", "triskin", "subskin"):
        if name in keep:
            setattr(gi, name, _ptr(keep[name], ctypes.c_double))
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
        setattr(go, name, _ptr(out[name], ctypes.c_double))
    for name in ("cmeasure", "c9mo_flag", "reason"):
        out[name] = np.empty(n, dtype=np.int32)
        setattr(go, name, _ptr(out[name], ctypes.c_int32))
    for zname, needed in needs.items():
        fname = "f" + zname[1:]
        if not needed:
            out[zname], out[fname] = nan, minus
            continue
        out[zname] = np.empty(n)
        out[fname] = np.empty(n, dtype=np.int32)
        setattr(go, zname, _ptr(out[zname], ctypes.c_double))
        setattr(go, fname, _ptr(out[fname], ctypes.c_int32))
    _check(lib.socind_growth_who2006(n, ctypes.byref(gi), rnd, ctypes.byref(go)))
    return out


_IND = ["HA", "WA", "BMI", "WH", "HA_2_WH_2", "HA_2_WH2"]
_STAT = ["< -3", "< -2", "< -1", "> +1", "> +2", "> +3", "mean", "prevalence"]


def prevalence(sex: Any, age_days: Any = None, weight_kg: Any = None, lenhei_cm: Any = None,
               measure: Any = None, oedema: Any = None, sw: Any = None, strata: Any = None,
               cluster: Any = None, by: Any = None, age_months: Any = None,
               height_cm: Any = None, reference: str = "who2006", level: float = 0.95):
    """WHO's prevalence table (anthro_prevalence; ``reference="who2007"``:
    anthroplus_prevalence with ``age_months`` and ``height_cm``) as a pandas
    DataFrame: one row per group, indicator and statistic, prevalences as
    proportions (0–1), with SE, CI, SD of the z-score, counts and flagged."""
    import pandas as pd
    sx = _codes(sex, len(sex), _SEX, "sex")
    n = sx.shape[0]
    w = None if sw is None else _f64(sw, n, "sw")
    st = None if strata is None else _int(strata, n, "strata", np.int64)
    cl = None if cluster is None else _int(cluster, n, "cluster", np.int64)
    codes, labels = _by(by, n)
    opts = _options(level, None)
    handle = ctypes.c_void_p()
    D, I, J = ctypes.c_double, ctypes.c_int32, ctypes.c_int64
    G = len(labels) if labels is not None else 0
    if reference == "who2007":
        age = _f64(age_months, n, "age_months")
        h = None if height_cm is None else _f64(height_cm, n, "height_cm")
        wt = None if weight_kg is None else _f64(weight_kg, n, "weight_kg")
        oe = _codes(oedema, n, _OEDEMA, "oedema")
        _check(lib.socind_prevalence_who2007(n, _ptr(sx, I), _ptr(age, D), _ptr(h, D),
                                             _ptr(wt, D), _ptr(oe, I), _ptr(w, D), _ptr(st, J),
                                             _ptr(cl, J), _ptr(codes, I), G, ctypes.byref(opts),
                                             ctypes.byref(handle)))
    else:
        gi = _lib.GrowthInput_t()
        lib.socind_growth_input_init(ctypes.byref(gi))
        keep = [sx]
        gi.sex = _ptr(sx, I)
        if age_days is not None:
            a = _f64(age_days, n, "age_days")
        else:
            a = _f64(age_months, n, "age_months")
            gi.age_in_months = 1
        keep.append(a)
        gi.age = _ptr(a, D)
        for name, val in (("weight", weight_kg), ("lenhei", lenhei_cm)):
            if val is not None:
                arr = _f64(val, n, name)
                keep.append(arr)
                setattr(gi, name, _ptr(arr, D))
        for name, val, table in (("measure", measure, _MEASURE), ("oedema", oedema, _OEDEMA)):
            arr = _codes(val, n, table, name)
            if arr is not None:
                keep.append(arr)
                setattr(gi, name, _ptr(arr, I))
        _check(lib.socind_prevalence_who2006(n, ctypes.byref(gi), _ptr(w, D), _ptr(st, J),
                                             _ptr(cl, J), _ptr(codes, I), G, ctypes.byref(opts),
                                             ctypes.byref(handle)))
    try:
        rows = []
        r = _lib.PrevalenceRow_t()
        buf = ctypes.create_string_buffer(128)
        for i in range(lib.socind_prevalence_table_nrows(handle)):
            _check(lib.socind_prevalence_table_row(handle, i, ctypes.byref(r)))
            if r.group_kind == 4:
                group = labels[r.group_level]
            else:
                lib.socind_prevalence_group_label(r.group_kind, r.group_level, buf, 128)
                group = buf.value.decode()
            e = r.est
            rows.append(dict(group=group, indicator=_IND[r.indicator], statistic=_STAT[r.statistic],
                             estimate=e.value, se=e.se, ci_low=e.ci_low, ci_high=e.ci_high,
                             stdev=r.stdev, n_weighted=r.pop_weighted,
                             n_unweighted=r.pop_unweighted, flagged=r.flagged))
    finally:
        lib.socind_prevalence_table_free(handle)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- the rest of the C API


def variance(u: Any, design: Design, by: Any = None):
    """The design variance of the total Σ w·u (the variance engine itself);
    with ``by``, a pandas Series by group."""
    uv = _f64(u, design.n, "u")
    codes, labels = _by(by, design.n)
    G = len(labels) if labels is not None else 1
    out = (ctypes.c_double * G)()
    _check(lib.socind_variance(design._h, _ptr(uv, ctypes.c_double), _ptr(codes, ctypes.c_int32),
                               G, out))
    if labels is None:
        return out[0]
    import pandas as pd
    return pd.Series(list(out), index=labels, name="variance")


def critical_value(level: float = 0.95, df: float = float("inf"),
                   dist: str = "t") -> float:
    """Two-sided critical value: Student t with ``df`` degrees of freedom or
    the normal (``dist="normal"``)."""
    out = ctypes.c_double()
    _check(lib.socind_critical_value(level, 1 if dist == "normal" else 0, df, ctypes.byref(out)))
    return out.value


def difference(a: Estimate, b: Estimate, level: float = 0.95, ci: Optional[str] = None) -> Estimate:
    """Change b − a between estimates from independent samples (two survey
    rounds drawn separately): se = sqrt(se_a² + se_b²), df = df_a + df_b."""
    def raw(e: Estimate) -> "_lib.Estimate_t":
        r = _lib.Estimate_t()
        r.value, r.se, r.ci_low, r.ci_high = e.value, e.se, e.ci_low, e.ci_high
        r.df, r.n, r.weight_sum, r.deff = e.df, e.n, e.weight_sum, float("nan")
        return r
    out = _lib.Estimate_t()
    o = _options(level, ci)
    _check(lib.socind_difference(ctypes.byref(raw(a)), ctypes.byref(raw(b)), ctypes.byref(o),
                                 ctypes.byref(out)))
    return Estimate._from(out)


_FGTDEC = ["fgt0", "fgt1", "fgt_alpha", "igr", "ge"]
_WATTSDEC = ["watts", "fgt0", "gap_ratio", "theil_poor"]


def fgt_decomposition(y: Any, line: Any, alpha: float = 2.0, design: Optional[Design] = None,
                      by: Any = None, inclusive: bool = False, level: float = 0.95,
                      ci: Optional[str] = None):
    """P_α = P0 · IGR^α · [1 + (α² − α) GE_α(poor)] (convey's svyfgtdec): a
    dict of five estimates, or a DataFrame with ``by``."""
    return _poverty(lib.socind_fgt_decomposition, y, line, design, by, inclusive, level, ci,
                    ctypes.c_double(alpha), per_group=5, names=_FGTDEC)


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
    that contribution's share, with SEs: a DataFrame indexed by group."""
    import pandas as pd
    yv = _f64(y, None, "y")
    d = _design_or_srs(design, yv.shape[0])
    L, keep = _line(line, d.n, inclusive)
    codes, labels = _by(by, d.n)
    G = len(labels)
    outs = [(_lib.Estimate_t * G)() for _ in range(4)]
    opts = _options(level, ci)
    _check(lib.socind_poverty_profile(d._h, _ptr(yv, ctypes.c_double), ctypes.byref(L), alpha,
                                      _ptr(codes, ctypes.c_int32), G, ctypes.byref(opts), *outs))
    cols = {}
    for name, arr in zip(("share", "fgt", "contribution", "contribution_share"), outs):
        cols[name] = [arr[j].value for j in range(G)]
        cols[name + "_se"] = [arr[j].se for j in range(G)]
    del keep
    return pd.DataFrame(cols, index=pd.Index(labels, name="group"))


def ge_decomposition(y: Any, by: Any, theta: float = 1.0, design: Optional[Design] = None,
                     exclude_nonpositive: bool = False, level: float = 0.95,
                     ci: Optional[str] = None) -> dict:
    """GE(θ) = within + between groups (convey's svygeidec): a dict."""
    yv = _f64(y, None, "y")
    d = _design_or_srs(design, yv.shape[0])
    codes, labels = _by(by, d.n)
    out = (_lib.Estimate_t * 3)()
    opts = _options(level, ci)
    _check(lib.socind_ge_decomposition(d._h, _ptr(yv, ctypes.c_double), theta,
                                       1 if exclude_nonpositive else 0,
                                       _ptr(codes, ctypes.c_int32), len(labels),
                                       ctypes.byref(opts), out))
    return {k: Estimate._from(out[i]) for i, k in enumerate(("total", "within", "between"))}


_ZNAMES = ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"]


def zscores_child(sex: int, age_days: float, weight_kg: float = float("nan"),
                  lenhei_cm: float = float("nan"), measure: Any = None, oedema: Any = None,
                  headc_cm: float = float("nan"), armc_cm: float = float("nan"),
                  triskin_mm: float = float("nan"), subskin_mm: float = float("nan"),
                  rounding: str = "who") -> dict:
    """One child's WHO 2006 z-scores and flags (a dict)."""
    z = (ctypes.c_double * 8)()
    f = (ctypes.c_int32 * 8)()
    r = ctypes.c_int32()
    m = -1 if measure is None else _MEASURE.get(measure, -9)
    o = -1 if oedema is None else _OEDEMA.get(oedema, -9)
    _check(lib.socind_growth_who2006_child(_SEX.get(sex, -9), age_days, weight_kg, lenhei_cm, m,
                                           o, headc_cm, armc_cm, triskin_mm, subskin_mm,
                                           {"who": 0, "none": 1}[rounding], z, f,
                                           ctypes.byref(r)))
    out = {n: z[i] for i, n in enumerate(_ZNAMES)}
    out.update({"f" + n[1:]: f[i] for i, n in enumerate(_ZNAMES)})
    out["reason"] = r.value
    return out


def growth_quality(sex: Any, age_days: Any = None, weight_kg: Any = None, lenhei_cm: Any = None,
                   measure: Any = None, oedema: Any = None, age_months: Any = None) -> dict:
    """The data-quality summary: missing and flagged values per indicator
    (HA, WA, BMI, WH), SD of each z-score, digit preference."""
    sx = _codes(sex, len(sex), _SEX, "sex")
    n = sx.shape[0]
    gi = _lib.GrowthInput_t()
    lib.socind_growth_input_init(ctypes.byref(gi))
    keep = [sx]
    gi.sex = _ptr(sx, ctypes.c_int32)
    age = age_days if age_days is not None else age_months
    if age is not None:
        a = _f64(age, n, "age")
        keep.append(a)
        gi.age = _ptr(a, ctypes.c_double)
        gi.age_in_months = 0 if age_days is not None else 1
    for name, val in (("weight", weight_kg), ("lenhei", lenhei_cm)):
        if val is not None:
            arr = _f64(val, n, name)
            keep.append(arr)
            setattr(gi, name, _ptr(arr, ctypes.c_double))
    for name, val, table in (("measure", measure, _MEASURE), ("oedema", oedema, _OEDEMA)):
        arr = _codes(val, n, table, name)
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
    return lib.socind_round2(x)
