# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.targeting: the six-row case worked by hand in tests/test_targeting.c,
the identities, the values and SEs against socind.ratio on indicator
columns, by=, a pandas ranking with missing values, and the refusals."""
import importlib

import numpy as np
import pytest

import socind
from socind import InputError

tg = importlib.import_module("socind.targeting")


def test_hand_worked():
    y = [2.0, 4.0, 6.0, 12.0, 15.0, 20.0]
    rec = [1, 0, 1, 1, 0, 0]
    r = socind.targeting(y, 10.0, rec, ranking=[1, 1, 2, 2, 3, 3], n_ranks=3, cgh_share=1 / 3)
    assert list(r) == ["coverage", "exclusion", "leakage", "inclusion", "cgh", "share_1",
                       "share_2", "share_3"]
    assert r["coverage"].value == pytest.approx(2 / 3, rel=1e-15)
    assert r["coverage"].se == pytest.approx((6 / 5 * 6 / 81) ** 0.5, rel=1e-14)
    assert r["exclusion"].value == pytest.approx(1 / 3, rel=1e-15)
    assert r["leakage"].value == pytest.approx(1 / 3, rel=1e-15)
    assert r["inclusion"].value == pytest.approx(1 / 3, rel=1e-15)
    assert r["cgh"].value == pytest.approx(1.0, rel=1e-15)
    assert r["share_2"].value == pytest.approx(2 / 3, rel=1e-15)
    b = socind.targeting(y, 10.0, rec, benefit=[1, 5, 1, 2, 0, 0], ranking=[1, 1, 2, 2, 3, 3],
                         n_ranks=3, cgh_share=1 / 3)
    assert b["share_1"].value == pytest.approx(0.25, rel=1e-15)
    assert b["cgh"].value == pytest.approx(0.75, rel=1e-14)


def _sample(seed=3, n=1200):
    rng = np.random.default_rng(seed)
    y = rng.lognormal(12.5, 0.7, size=n)
    w = rng.uniform(50, 250, size=n)
    strata = np.repeat(np.arange(6), n // 6)
    psu = np.arange(n) // 10
    poor = y < 2.0e5
    rec = (rng.uniform(size=n) < np.where(poor, 0.6, 0.15)).astype(float)
    ben = np.where(rec == 1, rng.uniform(1e5, 4e5, size=n), 0.0)
    noisy = y * rng.uniform(0.6, 1.4, size=n)
    rank = 1 + (10 * np.argsort(np.argsort(noisy))) // n
    g = rng.integers(0, 3, size=n)
    d = socind.Design(w, strata=strata, psu=psu)
    return y, rec, ben, rank, g, d


def test_against_ratio_and_identities():
    y, rec, ben, rank, g, d = _sample()
    z = 2.0e5
    r = socind.targeting(y, z, rec, benefit=ben, ranking=rank, design=d, prop_ci="wald")
    P = (y < z).astype(float)
    cov = socind.ratio(rec * P, P, design=d)
    assert r["coverage"].value == pytest.approx(cov.value, rel=1e-14)
    assert r["coverage"].se == pytest.approx(cov.se, rel=1e-12)
    assert r["coverage"].value + r["exclusion"].value == pytest.approx(1.0, rel=1e-15)
    leak = socind.ratio(rec * (1 - P), rec, design=d)
    assert r["leakage"].value == pytest.approx(leak.value, rel=1e-14)
    assert r["leakage"].se == pytest.approx(leak.se, rel=1e-12)
    inc = socind.ratio(rec * (1 - P), 1 - P, design=d)
    assert r["inclusion"].se == pytest.approx(inc.se, rel=1e-12)
    shares = [r[f"share_{k}"].value for k in range(1, 11)]
    assert sum(shares) == pytest.approx(1.0, rel=1e-14)
    s3 = socind.ratio(np.where(rank == 3, ben, 0.0), ben, design=d)
    assert r["share_3"].value == pytest.approx(s3.value, rel=1e-14)
    assert r["share_3"].se == pytest.approx(s3.se, rel=1e-12)
    # with a ranking, over ŝ: the weighted share of deciles 1-4 (every row ranked)
    s_low = socind.ratio((rank <= 4).astype(float), np.ones(len(y)), design=d).value
    assert r["cgh"].value == pytest.approx(sum(shares[:4]) / s_low, rel=1e-13)


def test_estimated_deciles_and_relative_line():
    y, rec, ben, rank, g, d = _sample()
    for line in (2.0e5, socind.relative_line(0.6), socind.relative_line(0.5, of="mean")):
        r = socind.targeting(y, line, rec, benefit=ben, design=d)
        assert sum(r[f"share_{k}"].value for k in range(1, 11)) == pytest.approx(1.0, rel=1e-14)
        for e in r.values():
            assert e.status == socind.SOCIND_OK and e.se > 0
    # the deciles' cuts are socind.quantile's
    q = [socind.quantile(y, k / 10, design=d).value for k in range(1, 10)]
    dec = 1 + np.searchsorted(np.asarray(q), y, side="left")
    a = socind.targeting(y, 2.0e5, rec, benefit=ben, design=d)
    b = socind.targeting(y, 2.0e5, rec, benefit=ben, ranking=dec, design=d)
    for k in a:
        if k != "cgh":
            assert a[k].value == b[k].value
    # CGH: both over ŝ, the weighted share of deciles 1-4 (f up to the row at
    # the cut): the estimated cuts' whole sample and the ranking's ranked rows
    # are the same rows here
    s_low = socind.ratio((dec <= 4).astype(float), np.ones(len(y)), design=d).value
    assert s_low != 0.4
    assert a["cgh"].value == pytest.approx(b["cgh"].value, rel=1e-14)
    assert a["coverage"].se == b["coverage"].se
    assert a["share_1"].se != b["share_1"].se


def test_by_and_pandas():
    pd = pytest.importorskip("pandas")
    y, rec, ben, rank, g, d = _sample()
    rk = pd.Series(rank, dtype="Int64")
    rk[5] = pd.NA  # unranked: out of the shares only
    tab = socind.targeting(y, 2.0e5, rec, benefit=ben, ranking=rk, design=d,
                           by=pd.Series(g, name="region"))
    assert tab.index.names == ["region", "statistic"]
    assert list(tab.index.get_level_values(0).unique()) == ["all", 0, 1, 2]
    for key in ["all", 0, 1, 2]:
        sh = sum(tab.loc[(key, f"share_{k}"), "value"] for k in range(1, 11))
        assert sh == pytest.approx(1.0, rel=1e-14)
        assert tab.loc[(key, "coverage"), "value"] + tab.loc[(key, "exclusion"), "value"] == \
            pytest.approx(1.0, rel=1e-15)
    one = socind.targeting(y, 2.0e5, rec, benefit=ben, ranking=rk, design=d)
    assert tab.loc[("all", "cgh"), "value"] == one["cgh"].value
    assert tab.loc[("all", "share_1"), "n"] == len(y) - 1
    assert tab.loc[("all", "coverage"), "n"] == len(y)


def test_refusals():
    y = [2.0, 4.0, 6.0, 12.0, 15.0, 20.0]
    with pytest.raises(InputError) as e:
        socind.targeting(y, 10.0, [1, 0, 2, 1, 0, 0])
    assert e.value.status == socind.SOCIND_ERR_DATA and e.value.row == 2
    with pytest.raises(InputError) as e:
        socind.targeting(y, 10.0, [1, 0, 1, 1, 0, 0], benefit=[1, 1, -3, 1, 1, 1])
    assert e.value.status == socind.SOCIND_ERR_DATA and e.value.row == 2
    with pytest.raises(socind.SocindError) as e:
        socind.targeting(y, 10.0, [1, 0, 1, 1, 0, 0], ranking=[1, 2, 3, 11, 1, 1])
    assert e.value.status == socind.SOCIND_ERR_CODE and e.value.row == 3
    with pytest.raises(InputError) as e:
        socind.targeting(y, 10.0, [1, 0, 1, 1, 0, 0], ranking=[1, 2, 3, 1.5, 1, 1])
    assert e.value.status == socind.SOCIND_ERR_CODE
    with pytest.raises(InputError):
        socind.targeting(y, 10.0, [1, 0, 1, 1, 0, 0], n_ranks=1)
    with pytest.raises(InputError):
        socind.targeting(y, 10.0, [1, 0, 1, 1, 0, 0], cgh_share=1.5)
    with pytest.raises(InputError):  # 0.25 of 10 groups is not whole
        socind.targeting(y, 10.0, [1, 0, 1, 1, 0, 0], ranking=[1, 2, 3, 4, 5, 6],
                         cgh_share=0.25)
    with pytest.raises(InputError):
        socind.targeting(y, 10.0, [1, 0, 1])
    # only a missing value is unranked: -1 and 0 are refused, every row named
    rec = [1, 0, 1, 1, 0, 0]
    with pytest.raises(InputError) as e:
        socind.targeting(y, 10.0, rec, ranking=[1, -1, 2, 0, 3, 3], n_ranks=3, cgh_share=1 / 3)
    assert e.value.status == socind.SOCIND_ERR_CODE and e.value.row == 1
    assert "rows 1, 3 hold codes outside 1 .. 3" in str(e.value) and "not -1" in str(e.value)
    r = socind.targeting(y, 10.0, rec, ranking=[1, None, 2, np.nan, 3, 3], n_ranks=3,
                         cgh_share=1 / 3)
    assert r["share_1"].n == 4
    # quintile codes with the default n_ranks = 10: both readings named
    with pytest.raises(InputError) as e:
        socind.targeting(y, 10.0, rec, ranking=[1, 2, 3, 4, 5, 5])
    assert "codes 1 .. 5 but n_ranks = 10" in str(e.value)
    assert "use n_ranks=5?" in str(e.value) and "groups 6 .. 10 are missing" in str(e.value)
    with pytest.raises(InputError) as e:  # a group without a row
        socind.targeting(y, 10.0, rec, ranking=[1, 1, 3, 3, 4, 4], n_ranks=4, cgh_share=0.5)
    assert "no row in group 2 of 1 .. 4" in str(e.value)


def test_missing_benefit_and_cgh_share():
    """A recipient's missing benefit stays in the four rates; CGH with a
    ranking is over the estimated share of groups 1 .. m."""
    y = [2.0, 4.0, 6.0, 12.0, 15.0, 20.0]
    rec = [1, 0, 1, 1, 0, 0]
    r = socind.targeting(y, 10.0, rec, benefit=[1, 0, 1, np.nan, 0, 0],
                         ranking=[1, 1, 2, 2, 3, 3], n_ranks=3, cgh_share=1 / 3)
    assert r["leakage"].value == pytest.approx(1 / 3, rel=1e-15) and r["leakage"].n == 6
    assert r["share_1"].value == pytest.approx(0.5, rel=1e-15) and r["share_1"].n == 5
    # groups 1 .. 2 of 4 hold 3 of 6 people with weights 1: ŝ = 0.5; with
    # weights 1, 1, 1, 3, 1, 1 ŝ = 3/8
    w = np.array([1, 1, 1, 3, 1, 1.0])
    d = socind.Design(w)
    r = socind.targeting(y, 10.0, rec, ranking=[1, 2, 1, 3, 4, 4], n_ranks=4, cgh_share=0.5,
                         design=d)
    low = r["share_1"].value + r["share_2"].value
    assert r["cgh"].value == pytest.approx(low / (3 / 8), rel=1e-14)


def test_constants_match_the_header():
    import os
    import re
    root = os.path.join(os.path.dirname(__file__), "..", "..", "..")
    text = open(os.path.join(root, "include", "socind", "targeting.h"), encoding="utf-8").read()
    found = dict(re.findall(r"#define\s+(SOCIND_TARGETING_[A-Z_]+)\s+(\d+)", text))
    assert found
    for name, value in found.items():
        assert getattr(tg, name) == int(value), name
    assert tg.SOCIND_TARGETING_COUNT(10) == 15
