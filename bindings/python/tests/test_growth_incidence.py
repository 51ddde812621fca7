# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.growth_incidence: the curve and the summaries against slow
computations through quantile, mean, lorenz and fgt, the zero-growth
identity, percentiles and lines, and the inputs it refuses."""
import math

import numpy as np
import pandas as pd
import pytest

import socind


def _rounds(seed=7, n=600):
    rng = np.random.default_rng(seed)
    y1 = rng.lognormal(6.0, 0.7, size=n)
    y2 = 1.08 * y1 * rng.uniform(0.85, 1.2, size=n) + 40.0
    w1 = rng.uniform(50, 150, size=n)
    w2 = rng.uniform(50, 150, size=n)
    strata = np.repeat(np.arange(5), n // 5)
    psu = np.arange(n) // 12
    d1 = socind.Design(w1, strata=strata, psu=psu)
    d2 = socind.Design(w2, strata=strata, psu=psu)
    return y1, y2, d1, d2


def test_curve_and_summaries():
    y1, y2, d1, d2 = _rounds()
    line, r = 300.0, 1.05
    out = socind.growth_incidence(y1, y2, line, design1=d1, design2=d2, price_ratio=r)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["group", "indicator", "p", "value", "se", "ci_low", "ci_high",
                                 "df", "n", "weight_sum", "status"]
    assert out.group.isna().all()
    curve = out[out.indicator == "gic"]
    assert len(curve) == 99
    assert curve.p.tolist() == pytest.approx([k / 100 for k in range(1, 100)])
    g = []
    for p, v in zip(curve.p, curve.value):
        q1 = socind.quantile(y1, p, design=d1).value
        q2 = socind.quantile(y2, p, design=d2).value
        g.append(q2 / (r * q1) - 1)
        assert v == pytest.approx(g[-1], rel=1e-15, abs=1e-16)
    assert (curve.status == 0).all() and (curve.se > 0).all()
    assert (curve.df == d1.df + d2.df).all()
    s = out[out.indicator != "gic"].set_index("indicator")
    assert list(s.index) == ["mean_growth", "mean_poor_growth", "pro_poor_growth", "headcount"]
    m1 = socind.mean(y1, design=d1).value
    m2 = socind.mean(y2, design=d2).value
    assert s.loc["mean_growth", "value"] == pytest.approx(m2 / (r * m1) - 1, rel=1e-13)
    h = socind.fgt(y1, line, design=d1)
    assert s.loc["headcount", "value"] == pytest.approx(h.value, rel=1e-15)
    assert s.loc["headcount", "se"] == pytest.approx(h.se, rel=1e-12)
    H = h.value
    K = sum(1 for k in range(1, 100) if k / 100 <= H)
    assert s.loc["pro_poor_growth", "value"] == pytest.approx(np.mean(g[:K]), rel=1e-13)
    poor_mean1 = socind.mean(np.where(y1 < line, y1, np.nan), design=d1).value
    poor_mean2 = m2 * socind.lorenz(y2, H, design=d2).value / H
    assert s.loc["mean_poor_growth", "value"] == pytest.approx(
        poor_mean2 / (r * poor_mean1) - 1, rel=1e-12)
    for k in s.index:
        assert s.loc[k, "status"] == 0 and s.loc[k, "se"] > 0
        if k != "headcount":  # symmetric intervals
            assert s.loc[k, "ci_high"] - s.loc[k, "value"] == pytest.approx(
                s.loc[k, "value"] - s.loc[k, "ci_low"], rel=1e-12)


def test_zero_growth_and_percentiles():
    y1, _, d1, _ = _rounds(3)
    out = socind.growth_incidence(y1, 1.3 * y1, 300.0, design1=d1, design2=d1, price_ratio=1.3,
                                  percentiles=[0.9, 0.1, 0.5])
    curve = out[out.indicator == "gic"]
    assert curve.p.tolist() == [0.9, 0.1, 0.5]
    assert np.abs(curve.value).max() <= 4e-16
    assert abs(out.set_index("indicator").loc["pro_poor_growth", "value"]) <= 1e-15
    # a single percentile as a number; pandas input
    one = socind.growth_incidence(pd.Series(y1), pd.Series(1.3 * y1), 300.0, design1=d1,
                                  design2=d1, price_ratio=1.3, percentiles=0.5, ci="normal")
    assert (one.indicator == "gic").sum() == 1


def test_lines():
    y1, y2, d1, d2 = _rounds(11)
    for line in (socind.relative_line(0.6), socind.relative_line(0.5, of="mean"),
                 np.full(len(y1), 280.0)):
        out = socind.growth_incidence(y1, y2, line, design1=d1, design2=d2)
        h = socind.fgt(y1, line, design=d1)
        s = out.set_index("indicator")
        assert s.loc["headcount", "value"] == pytest.approx(h.value, rel=1e-15)
        assert s.loc["headcount", "se"] == pytest.approx(h.se, rel=1e-9)
    # H1 below 1 %: no rate of pro-poor growth
    out = socind.growth_incidence(y1, y2, float(np.min(y1)) * 1.0001, design1=d1, design2=d2)
    s = out.set_index("indicator")
    assert math.isnan(s.loc["pro_poor_growth", "value"])
    assert s.loc["pro_poor_growth", "status"] == socind.SOCIND_ERR_DATA


def test_domains():
    y1, y2, d1, d2 = _rounds(13)
    rng = np.random.default_rng(1)
    b1 = rng.choice(["north", "south", "west"], size=len(y1))
    b2 = rng.choice(["north", "south", "east"], size=len(y2))  # "east" only in round 2
    out = socind.growth_incidence(y1, y2, 300.0, design1=d1, design2=d2, percentiles=[0.25, 0.5],
                                  by1=b1, by2=b2)
    assert out.group.iloc[:6].isna().all()
    assert [g for g in out.group.iloc[6:].unique()] == ["east", "north", "south", "west"]
    for label in ("north", "south"):
        alone = socind.growth_incidence(np.where(b1 == label, y1, np.nan),
                                        np.where(b2 == label, y2, np.nan), 300.0, design1=d1,
                                        design2=d2, percentiles=[0.25, 0.5])
        mine = out[out.group == label].reset_index(drop=True)
        assert np.allclose(mine.value, alone.value, rtol=1e-15, atol=0, equal_nan=True)
        assert np.allclose(mine.se, alone.se, rtol=1e-13, atol=0, equal_nan=True)
    for label in ("east", "west"):  # rows in one round only
        rows = out[out.group == label]
        h1 = (rows.indicator == "headcount") & (label == "west")  # round 1's alone: given
        assert (rows[~h1].status == socind.SOCIND_ERR_EMPTY_DOMAIN).all()
        if label == "west":
            alone = socind.fgt(np.where(b1 == label, y1, np.nan), 300.0, 0, d1)
            assert rows[h1].status.iloc[0] == socind.SOCIND_OK
            assert rows[h1].value.iloc[0] == pytest.approx(alone.value, rel=1e-14)
            assert rows[h1].se.iloc[0] == pytest.approx(alone.se, rel=1e-9)
    with pytest.raises(socind.InputError):
        socind.growth_incidence(y1, y2, 300.0, design1=d1, design2=d2, by1=b1)


def test_refusals():
    y1, y2, d1, d2 = _rounds(5)
    with pytest.raises(socind.InputError):
        socind.growth_incidence(y1, y2, 300.0, design1=d1, design2=d2, price_ratio=0.0)
    with pytest.raises(socind.InputError):
        socind.growth_incidence(y1, y2, 300.0, design1=d1, design2=d2, price_ratio=-2)
    with pytest.raises(socind.InputError):
        socind.growth_incidence(y1, y2, 300.0, design1=d1, design2=d2, percentiles=[0.5, 1.5])
    with pytest.raises(socind.InputError):
        socind.growth_incidence(y1, y2, 300.0, design1=d1, design2=d2, percentiles=[])
    with pytest.raises(socind.InputError):
        socind.growth_incidence(y1[:10], y2, 300.0, design1=d1, design2=d2)
    with pytest.raises(socind.InputError):
        socind.growth_incidence(y1, y2, -1.0, design1=d1, design2=d2)
    bad = y2.copy()
    bad[4] = np.inf
    with pytest.raises(socind.SocindError) as e:
        socind.growth_incidence(y1, bad, 300.0, design1=d1, design2=d2)
    assert e.value.row == 4 and "round 2" in str(e.value)
    with pytest.raises(socind.EmptyError):
        socind.growth_incidence(y1, np.full(len(y2), np.nan), 300.0, design1=d1, design2=d2)


def test_header_macros_are_named_in_the_module():
    import os
    import re
    import importlib
    mod = importlib.import_module("socind.growth_incidence")
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    text = open(os.path.join(root, "include", "socind", "growth_incidence.h"),
                encoding="utf-8").read()
    macros = {m.group(1): int(m.group(2)) for m in
              re.finditer(r"^#define\s+(SOCIND_GIC_\w+)\s+(-?\d+)", text, re.M)}
    assert len(macros) == 6
    for name, value in macros.items():
        assert getattr(mod, name) == value, name
