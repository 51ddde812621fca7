# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.sen and socind.sst: the five-row case worked by hand in
tests/test_sen.c, the identities with their components and with fgt and
gini, by= and the lines they refuse."""
import numpy as np
import pytest

import socind


def test_hand_worked():
    # y = 2, 4, 6, 12, 15, z = 10: P0 = 0.6, I = 0.6, G_p = 2/9, G_g = 22/45
    y = [2.0, 4.0, 6.0, 12.0, 15.0]
    s = socind.sen(y, 10.0)
    assert list(s) == ["index", "headcount", "gap", "gini_poor"]
    assert s["index"].value == pytest.approx(31 / 75, rel=1e-14)
    assert s["headcount"].value == pytest.approx(0.6, rel=1e-15)
    assert s["headcount"].se == pytest.approx(0.06 ** 0.5, rel=1e-14)
    assert s["gap"].value == pytest.approx(0.6, rel=1e-14)
    assert s["gap"].se == pytest.approx((1 / 90) ** 0.5, rel=1e-13)
    assert s["gini_poor"].value == pytest.approx(2 / 9, rel=1e-14)
    t = socind.sst(y, 10.0)
    assert list(t) == ["index", "headcount", "gap", "gini_gaps"]
    assert t["index"].value == pytest.approx(0.536, rel=1e-14)
    assert t["gini_gaps"].value == pytest.approx(22 / 45, rel=1e-14)


def test_identities_and_by():
    rng = np.random.default_rng(20)
    n = 400
    y = rng.lognormal(4.5, 0.8, size=n)
    w = rng.uniform(50, 250, size=n)
    strata = np.repeat(np.arange(4), n // 4)
    psu = np.arange(n) // 10
    g = rng.integers(0, 3, size=n)
    lines = rng.choice([70.0, 90.0, 110.0], size=n)
    d = socind.Design(w, strata=strata, psu=psu)
    for line in (90.0, lines):
        s = socind.sen(y, line, design=d)
        t = socind.sst(y, line, design=d)
        p0, gap = s["headcount"].value, s["gap"].value
        assert s["index"].value == pytest.approx(p0 * (gap + (1 - gap) * s["gini_poor"].value),
                                                 rel=1e-14)
        assert t["index"].value == pytest.approx(p0 * gap * (1 + t["gini_gaps"].value),
                                                 rel=1e-14)
        f0 = socind.fgt(y, line, alpha=0, design=d)
        f1 = socind.fgt(y, line, alpha=1, design=d)
        assert p0 == pytest.approx(f0.value, rel=1e-15)
        assert s["headcount"].se == pytest.approx(f0.se, rel=1e-12)
        assert gap == pytest.approx(f1.value / f0.value, rel=1e-13)
        z = np.broadcast_to(line, y.shape)
        gaps = np.where(y < z, 1 - y / z, 0.0)
        gg = socind.gini(gaps, design=d)
        assert t["gini_gaps"].value == pytest.approx(gg.value, rel=1e-13)
        assert t["gini_gaps"].se == pytest.approx(gg.se, rel=1e-11)
        tab = socind.sst(y, line, design=d, by=g)
        for k in range(3):
            for part in ("index", "headcount", "gap", "gini_gaps"):
                e = tab.loc[(k, part)]
                assert np.isfinite(e["value"]) and e["se"] > 0


def test_relative_lines_are_refused():
    y = [2.0, 4.0, 6.0, 12.0, 15.0]
    for fn in (socind.sen, socind.sst):
        with pytest.raises(socind.InputError):
            fn(y, socind.relative_line(0.6))
        with pytest.raises(socind.InputError):
            fn(y, -1.0)


def test_no_poor():
    s = socind.sen([12.0, 15.0, 20.0], 10.0)
    assert s["index"].value == 0 and s["index"].se == 0
    assert np.isnan(s["gap"].value) and s["gap"].status == socind.SOCIND_ERR_DATA
