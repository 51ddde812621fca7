# SPDX-License-Identifier: GPL-3.0-or-later
"""The proportion intervals (prop_ci): R's svyciprop methods, by hand."""
import math

import numpy as np
import pytest

import socind
from socind import _common


def _t(df, level=0.95):
    return socind.critical_value(level, df)


def _expit(x):
    return 1.0 / (1.0 + math.exp(-x))


P, SE, DF, N = 0.12, 0.03, 20.0, 150


def test_mean_and_wald_are_symmetric():
    q = _t(DF)
    for m in ("mean", "wald"):
        lo, hi = socind.proportion_interval(P, SE, DF, N, m)
        assert lo == pytest.approx(P - q * SE, rel=1e-14)
        assert hi == pytest.approx(P + q * SE, rel=1e-14)


def test_xlogit_and_logit():
    q = _t(DF)
    eta, h = math.log(P / (1 - P)), q * SE / (P * (1 - P))
    for m in ("xlogit", "logit"):
        lo, hi = socind.proportion_interval(P, SE, DF, N, m)
        assert lo == pytest.approx(_expit(eta - h), rel=1e-13)
        assert hi == pytest.approx(_expit(eta + h), rel=1e-13)


def test_asin_clamps_the_angle():
    p, se, df = 0.035, 0.027, 1.0  # asin √p − h < 0: R's lower end folds back
    q = _t(df)
    eta, h = math.asin(math.sqrt(p)), q * se / (2 * math.sqrt(p * (1 - p)))
    lo, hi = socind.proportion_interval(p, se, df, 40, "asin")
    assert eta - h < 0
    assert math.sin(eta - h) ** 2 > p  # R's folded limit would miss p̂
    assert lo == 0.0  # clamped at 0: R's fold-back is an artefact not copied
    assert hi == pytest.approx(math.sin(eta + h) ** 2, rel=1e-13)


def _ibeta(x, a, b, nodes=400):
    # I_x(a, b) = ∫ t^a (1 − t)^(b−1) d(log t)/B(a, b) over t < x, by
    # Gauss–Legendre in u = log t on [log x − 60/a, log x] (the integrand
    # is analytic there and below e^−60 of its peak outside)
    lb = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    hi = math.log(x)
    lo = hi - 60.0 / a
    g, w = np.polynomial.legendre.leggauss(nodes)
    u = 0.5 * (hi - lo) * g + 0.5 * (hi + lo)
    f = np.exp(a * u + (b - 1) * np.log1p(-np.exp(u)) - lb)
    return float(0.5 * (hi - lo) * np.dot(w, f))


def test_beta_is_korn_graubard():
    lo, hi = socind.proportion_interval(P, SE, DF, N, "beta")
    r = _t(N - 1) / _t(DF)
    neff = P * (1 - P) / SE ** 2 * r * r
    # the limits are the beta quantiles: check the incomplete beta there
    assert _ibeta(lo, neff * P, neff * (1 - P) + 1) == pytest.approx(0.025, rel=1e-9)
    assert _ibeta(1 - hi, neff * (1 - P), neff * P + 1) == pytest.approx(0.025, rel=1e-9)
    assert lo < P < hi


def test_likelihood_is_near_the_logit_interval():
    lo, hi = socind.proportion_interval(P, SE, DF, N, "likelihood")
    llo, lhi = socind.proportion_interval(P, SE, DF, N, "logit")
    assert lo < P < hi
    assert lo == pytest.approx(llo, rel=0.05) and hi == pytest.approx(lhi, rel=0.05)


@pytest.mark.parametrize("m", ["asin", "beta", "xlogit", "likelihood"])
def test_na_where_r_gives_na(m):
    with pytest.raises(socind.InputError) as e:
        socind.proportion_interval(0.0, 0.0, DF, N, m)
    assert e.value.status == 17  # SOCIND_ERR_RANGE
    # mean at p = 0 is [0, 0], as R
    assert socind.proportion_interval(0.0, 0.0, DF, N, "mean") == (0.0, 0.0)


def test_every_name_and_bad_names():
    assert set(_common._PROP_CI) == {"logit", "wald", "likelihood", "asin", "beta", "mean",
                                     "xlogit"}
    assert len(_common._PROP_CI) == _common.SOCIND_PROP_CI_COUNT
    with pytest.raises(socind.InputError, match="prop_ci must be one of"):
        socind.proportion_interval(P, SE, DF, N, "wilson")


def test_proportion_takes_every_method():
    rng = np.random.default_rng(3)
    n = 200
    x = (rng.random(n) < 0.2).astype(float)
    d = socind.Design(weight=np.ones(n), strata=np.repeat([1, 2], n // 2),
                      psu=np.arange(n) // 5)
    for m in _common._PROP_CI:
        e = socind.proportion(x, d, prop_ci=m)
        lo, hi = socind.proportion_interval(e.value, e.se, e.df, e.n, m)
        if m == "likelihood":
            # proportion() profiles around R's glm fit (svyglm's IRLS stop,
            # its sandwich SE), as survey does; proportion_interval() around
            # the exact fit: what that shift of the profile's grid does to the
            # spline and linear inversion (1.2e-5 here, up to 5e-4 in the
            # reference's small domains)
            assert (e.ci_low, e.ci_high) == pytest.approx((lo, hi), rel=1e-3)
            assert (e.ci_low, e.ci_high) != (lo, hi)
        else:
            assert (e.ci_low, e.ci_high) == (lo, hi)
