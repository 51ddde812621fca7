# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/inequality.h: Gini, generalized entropy, Atkinson, quantiles,
share ratios, Lorenz ordinates, the GE decomposition, the J-divergence and
its decomposition, the Zenga index, the gender pay gap, and convey's
quantile-based measures (the α-quantile with its linearized SE, the income
total below or above it, the relative median income ratio)."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

from . import _convert as _cv
from . import _lib
from ._common import (ESTIMATE_P, OPTIONS_P, Estimate, Estimate_t, _check, _nonpositive,
                      _options, _scalar)
from ._groups import _Groups
from ._lib import F64, HANDLE, I32, OPT_I32, lib
from .design import Design, Result, _call, _estimate, _f64, _y_design

# Parts of the GE decomposition: out[k].
SOCIND_GEDEC_COUNT = 3
SOCIND_GEDEC_TOTAL = 0
SOCIND_GEDEC_WITHIN = 1
SOCIND_GEDEC_BETWEEN = 2
# Parts of the J-divergence decomposition: out[k].
SOCIND_JDIVDEC_COUNT = 3
SOCIND_JDIVDEC_TOTAL = 0
SOCIND_JDIVDEC_WITHIN = 1
SOCIND_JDIVDEC_BETWEEN = 2

# Parts of the relative median income ratio: out[g·COUNT + k].
SOCIND_RMIR_DEFAULT_AGE_LIMIT = 65.0
SOCIND_RMIR_COUNT = 3
SOCIND_RMIR_RATIO = 0
SOCIND_RMIR_MED_OLD = 1
SOCIND_RMIR_MED_YOUNG = 2

_i32, _f64t = ctypes.c_int32, ctypes.c_double
# (design, y, [parameters,] group, n_groups, opts, out)
_lib.declare({
    "socind_gini": (_i32, [HANDLE, F64, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_ge": (_i32, [HANDLE, F64, _f64t, _i32, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_atkinson": (_i32, [HANDLE, F64, _f64t, _i32, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_quantile": (_i32, [HANDLE, F64, _f64t, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_share_ratio": (_i32, [HANDLE, F64, _f64t, _f64t, OPT_I32, _i32, OPTIONS_P,
                                  ESTIMATE_P]),
    "socind_lorenz": (_i32, [HANDLE, F64, _f64t, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_gender_pay_gap": (_i32, [HANDLE, F64, I32, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_ge_decomposition": (_i32, [HANDLE, F64, _f64t, _i32, OPT_I32, _i32, OPTIONS_P,
                                       ESTIMATE_P]),
    "socind_jdiv": (_i32, [HANDLE, F64, _i32, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_jdiv_decomposition": (_i32, [HANDLE, F64, _i32, OPT_I32, _i32, OPTIONS_P,
                                         ESTIMATE_P]),
    "socind_zenga": (_i32, [HANDLE, F64, _i32, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
    "socind_quantile_linearized": (_i32, [HANDLE, F64, _f64t, OPT_I32, _i32, OPTIONS_P,
                                          ESTIMATE_P]),
    "socind_quantile_income_total": (_i32, [HANDLE, F64, _f64t, _i32, OPT_I32, _i32, OPTIONS_P,
                                            ESTIMATE_P]),
    "socind_median_income_ratio": (_i32, [HANDLE, F64, F64, _f64t, OPT_I32, _i32, OPTIONS_P,
                                          ESTIMATE_P]),
})

_RMIR = {SOCIND_RMIR_RATIO: "rmir", SOCIND_RMIR_MED_OLD: "med_old",
         SOCIND_RMIR_MED_YOUNG: "med_young"}

_GEDEC = {SOCIND_GEDEC_TOTAL: "total", SOCIND_GEDEC_WITHIN: "within",
          SOCIND_GEDEC_BETWEEN: "between"}
_JDIVDEC = {SOCIND_JDIVDEC_TOTAL: "total", SOCIND_JDIVDEC_WITHIN: "within",
            SOCIND_JDIVDEC_BETWEEN: "between"}


def gini(y: Any, design: Optional[Design] = None, by: Any = None, level: float = 0.95,
         ci: Optional[str] = None) -> Result:
    """Gini coefficient (convey's formula) with its linearized SE."""
    return _call(lib.socind_gini, design, y, by, level, ci)


def ge(y: Any, theta: float = 1.0, design: Optional[Design] = None, by: Any = None,
       exclude_nonpositive: bool = False, level: float = 0.95, ci: Optional[str] = None) -> Result:
    """Generalized entropy GE(θ): θ = 0 MLD, θ = 1 Theil."""
    return _call(lib.socind_ge, design, y, by, level, ci, ctypes.c_double(_scalar(theta, "theta")),
                 ctypes.c_int32(_nonpositive(exclude_nonpositive)))


def atkinson(y: Any, epsilon: float = 1.0, design: Optional[Design] = None, by: Any = None,
             exclude_nonpositive: bool = False, level: float = 0.95,
             ci: Optional[str] = None) -> Result:
    """Atkinson index A(ε), ε > 0."""
    return _call(lib.socind_atkinson, design, y, by, level, ci,
                 ctypes.c_double(_scalar(epsilon, "epsilon")),
                 ctypes.c_int32(_nonpositive(exclude_nonpositive)))


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
    out = (Estimate_t * SOCIND_GEDEC_COUNT)()
    opts = _options(level, ci)
    _check(lib.socind_ge_decomposition(d._h, yv, _scalar(theta, "theta"),
                                       _nonpositive(exclude_nonpositive), groups.codes, groups.G,
                                       ctypes.byref(opts), out))
    # every row counts: one whose by value is missing leaves all three figures
    return {_GEDEC[k]: Estimate._from(out[k], d.n) for k in range(SOCIND_GEDEC_COUNT)}


def jdiv(y: Any, design: Optional[Design] = None, by: Any = None,
         exclude_nonpositive: bool = False, level: float = 0.95,
         ci: Optional[str] = None) -> Result:
    """J-divergence (convey's svyjdiv): Σ w (y/μ − 1) log(y/μ) / N̂, the MLD
    plus the Theil index, with its linearized SE. Incomes must be > 0 (or
    ``exclude_nonpositive``)."""
    return _call(lib.socind_jdiv, design, y, by, level, ci,
                 ctypes.c_int32(_nonpositive(exclude_nonpositive)))


def jdiv_decomposition(y: Any, by: Any, design: Optional[Design] = None,
                       exclude_nonpositive: bool = False, level: float = 0.95,
                       ci: Optional[str] = None) -> dict:
    """The J-divergence = within + between groups (convey's svyjdivdec): a
    dict of three estimates, ``total``, ``within`` (Σ population share ×
    MLD + income share × Theil of each group) and ``between``. Rows whose
    ``by`` value is missing are left out of all three, as in
    :func:`ge_decomposition`."""
    yv, d = _y_design(y, design, others=[("by", by)])
    groups = _Groups(by, d.n)
    out = (Estimate_t * SOCIND_JDIVDEC_COUNT)()
    opts = _options(level, ci)
    _check(lib.socind_jdiv_decomposition(d._h, yv, _nonpositive(exclude_nonpositive),
                                         groups.codes, groups.G, ctypes.byref(opts), out))
    return {_JDIVDEC[k]: Estimate._from(out[k], d.n) for k in range(SOCIND_JDIVDEC_COUNT)}


def zenga(y: Any, design: Optional[Design] = None, by: Any = None,
          exclude_nonpositive: bool = False, level: float = 0.95,
          ci: Optional[str] = None) -> Result:
    """Zenga index (convey's svyzenga; Barabesi, Diana & Perri 2016) with its
    linearized SE. Incomes must be >= 0; ``exclude_nonpositive`` leaves
    negative ones out instead of refusing them."""
    return _call(lib.socind_zenga, design, y, by, level, ci,
                 ctypes.c_int32(_nonpositive(exclude_nonpositive)))


def gender_pay_gap(earnings: Any, sex: Any, design: Optional[Design] = None, by: Any = None,
                   level: float = 0.95, ci: Optional[str] = None, invalid: str = "error",
                   sex_codes: Optional[dict] = None) -> Result:
    """Gender pay gap 1 − mean(women's earnings)/mean(men's) among the rows
    given, with its linearized SE (R's convey ``svygpg``; a fraction, 0.16 =
    women earn 16 % less). ``sex``: 1/m/M male, 2/f/F female (BPS and WHO
    coding; ``sex_codes={"L": 1, "P": 2}`` maps others), missing NaN/None;
    other codes raise :class:`InputError` naming the rows, or with
    ``invalid="missing"`` become missing with a warning. Among earners only
    (the usual gap), give the others NaN earnings: they stay in the design
    (R's ``svygpg`` on ``subset(design, earnings > 0)``). By domain the
    variance is svyby's domain design's, as convey's."""
    from .growth import _growth_codes  # the one reading of sex codes
    from . import _convert as _cv
    yv, d = _y_design(earnings, design, "earnings", others=[("sex", sex), ("by", by)])
    sx = _growth_codes(sex, d.n, _cv.SEX, sex_codes, invalid, "sex_codes")
    return _estimate(lib.socind_gender_pay_gap, d, yv, by, level, ci, (), (sx,))


def quantile_linearized(y: Any, alpha: float = 0.5, design: Optional[Design] = None,
                        by: Any = None, level: float = 0.95, ci: Optional[str] = None) -> Result:
    """The α-quantile, 0 < α < 1, with convey's linearized (kernel density)
    SE and a symmetric interval (convey's svyiqalpha; :func:`quantile` is
    survey's svyquantile with Woodruff's interval). By domain, the variance
    is that of svyby's domain design."""
    return _call(lib.socind_quantile_linearized, design, y, by, level, ci,
                 ctypes.c_double(_scalar(alpha, "alpha")))


def quantile_income_total(y: Any, alpha: float, upper: bool = False,
                          design: Optional[Design] = None, by: Any = None, level: float = 0.95,
                          ci: Optional[str] = None) -> Result:
    """convey's svyisq: the TOTAL income Σ w·y of the rows at or below the
    α-quantile (a total in y's currency, not a share), or with ``upper=True``
    the total above it (Ŷ − that total), with its linearized SE."""
    return _call(lib.socind_quantile_income_total, design, y, by, level, ci,
                 ctypes.c_double(_scalar(alpha, "alpha")), ctypes.c_int32(_cv.flag(upper, "upper")))


def median_income_ratio(y: Any, age: Any, age_limit: float = SOCIND_RMIR_DEFAULT_AGE_LIMIT,
                        design: Optional[Design] = None, by: Any = None, level: float = 0.95,
                        ci: Optional[str] = None):
    """convey's svyrmir: the median income of persons aged >= ``age_limit``
    over that of persons younger, with its linearized SE: a dict of three
    estimates, ``rmir`` and the two medians ``med_old`` and ``med_young``
    (which R reports without an SE; socind gives them their linearized one),
    or a DataFrame with ``by``. A row with a missing age is left out."""
    yv, d = _y_design(y, design, others=[("age", age), ("by", by)])
    av = _f64(age, d.n, "age")
    return _estimate(lib.socind_median_income_ratio, d, yv, by, level, ci,
                     (ctypes.c_double(_scalar(age_limit, "age_limit")),), (av,),
                     SOCIND_RMIR_COUNT, _RMIR)
