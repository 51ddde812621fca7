# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.simulate_transfer and socind.transfer_amounts on the poverty
reference households: a zero transfer changes nothing, the figures equal
fgt/gini/poor_count/total on y + t, by= gives each group's, the arguments
the binding refuses, and Transfer_t's layout against the C struct."""
import ctypes
import json
import os
import subprocess

import numpy as np
import pandas as pd
import pytest

import socind
from socind import simulate

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference")


@pytest.fixture(scope="module")
def hh():
    h = pd.read_csv(os.path.join(REF, "poverty", "households.csv"))
    d = socind.Design(h.w_person.to_numpy(), strata=h.stratum.to_numpy(), psu=h.psu.to_numpy())
    return h, d


def _args(h):
    y = h.cons_pc.to_numpy(float)
    z = h.line_region.to_numpy(float)
    return y, z, (y < 1.2 * z)


def test_zero_transfer_changes_nothing(hh):
    h, d = hh
    y, z, sel = _args(h)
    r = socind.simulate_transfer(y, z, 0.0, design=d, per="household",
                                 household_size=h.hhsize, select=sel)
    for a in ("fgt0", "fgt1", "fgt2"):
        assert r[f"{a}_before"] == r[f"{a}_after"]
        assert r[f"{a}_change"].value == 0.0 and r[f"{a}_change"].se == 0.0
        assert np.isnan(r[f"{a}_per_unit"].value)
        assert r[f"{a}_per_unit"].status == socind.SOCIND_ERR_DATA
    assert r["gini_before"] == r["gini_after"]
    assert r["gini_change"].value == 0.0 and r["gini_change"].se == 0.0
    assert r["cost"].value == 0.0


def test_figures_against_the_estimators(hh):
    h, d = hh
    y, z, sel = _args(h)
    t = np.where(sel, 300000.0 / h.hhsize.to_numpy(float), 0.0)
    assert np.array_equal(socind.transfer_amounts(300000.0, design=d, per="household",
                                                  household_size=h.hhsize, select=sel), t)
    r = socind.simulate_transfer(y, z, 300000.0, design=d, per="household",
                                 household_size=h.hhsize, select=sel, alpha=[0, 2])
    assert list(r)[:8] == ["gini_before", "gini_after", "gini_change", "poor_before",
                           "poor_after", "poor_change", "cost", "lifted_per_unit"]
    assert "fgt1_before" not in r
    y2 = y + t
    for a in (0, 2):
        b, af = socind.fgt(y, z, a, design=d), socind.fgt(y2, z, a, design=d)
        assert r[f"fgt{a}_before"].value == b.value and r[f"fgt{a}_before"].se == b.se
        assert r[f"fgt{a}_after"].value == af.value and r[f"fgt{a}_after"].se == af.se
        assert r[f"fgt{a}_change"].value == af.value - b.value
        assert 0 < r[f"fgt{a}_change"].se < np.hypot(b.se, af.se)
    cost = socind.total(t, design=d)
    assert r["cost"].value == cost.value and r["cost"].se == cost.se
    # the cost is Σ over selected households of w_hh × amount
    assert r["cost"].value == pytest.approx((h.w_hh[sel] * 300000.0).sum(), rel=1e-6)
    assert r["fgt0_per_unit"].value == pytest.approx(
        -r["fgt0_change"].value / (cost.value / 1e9), rel=1e-14)
    g = socind.gini(y2, design=d)
    assert r["gini_after"].value == g.value
    pc = socind.poor_count(y2, z, design=d)
    assert r["poor_after"].value == pc.value
    assert r["lifted_per_unit"].value == pytest.approx(
        -(pc.value - r["poor_before"].value) / (cost.value / 1e9), rel=1e-14)


def test_by_and_amounts_by_group(hh):
    h, d = hh
    y, z, sel = _args(h)
    sector = np.where(h.urban == 1, "urban", "rural")
    r = socind.simulate_transfer(y, z, design=d, amount_by=sector,
                                 amounts={"rural": 150000.0}, select=sel, by=h.urban,
                                 alpha=1, cost_unit=1e6)
    t = np.where(sel & (sector == "rural"), 150000.0, 0.0)
    assert r.loc[("all", "cost"), "value"] == socind.total(t, design=d).value
    # urban households get nothing: no change there
    assert r.loc[(1, "fgt1_change"), "value"] == 0.0
    assert r.loc[(1, "cost"), "value"] == 0.0
    f0 = socind.fgt(y, z, 1, design=d, by=h.urban)
    f1 = socind.fgt(y + t, z, 1, design=d, by=h.urban)
    assert r.loc[(0, "fgt1_change"), "value"] == f1.loc[0, "value"] - f0.loc[0, "value"]
    c0 = socind.total(t, design=d, by=h.urban).loc[0, "value"]
    assert r.loc[(0, "fgt1_per_unit"), "value"] == pytest.approx(
        -r.loc[(0, "fgt1_change"), "value"] / (c0 / 1e6), rel=1e-14)


def test_relative_line_held_fixed(hh):
    h, d = hh
    y, z, sel = _args(h)
    line = socind.relative_line(0.6)
    r0 = socind.simulate_transfer(y, line, 0.0, design=d, select=sel)
    lib = socind.fgt(y, line, 0, design=d)
    assert r0["fgt0_before"] == r0["fgt0_after"]
    assert r0["fgt0_before"].value == pytest.approx(lib.value, rel=1e-15)
    assert r0["fgt0_before"].se == pytest.approx(lib.se, rel=1e-12)
    assert r0["fgt0_change"].se == 0.0
    r = socind.simulate_transfer(y, line, 100000.0, design=d, select=sel)
    zl = socind.poverty_line(y, line, design=d).value
    assert r["fgt0_after"].value == socind.fgt(y + np.where(sel, 100000.0, 0), zl, 0,
                                               design=d).value
    assert r["fgt0_change"].se > 0


def test_refusals(hh):
    h, d = hh
    y, z, sel = _args(h)
    E = socind.InputError
    with pytest.raises(E, match="amount"):
        socind.simulate_transfer(y, z, design=d)
    with pytest.raises(E, match="household_size"):
        socind.simulate_transfer(y, z, 1.0, design=d, per="household")
    with pytest.raises(E, match="per"):
        socind.simulate_transfer(y, z, 1.0, design=d, per="family")
    with pytest.raises(E, match="groups no row"):
        socind.simulate_transfer(y, z, design=d, amount_by=h.urban, amounts={7: 1.0})
    with pytest.raises(E, match="selection flag"):
        socind.simulate_transfer(y, z, 1.0, design=d, select=np.where(sel, 2, 0))
    with pytest.raises(E, match="alpha"):
        socind.simulate_transfer(y, z, 1.0, design=d, alpha=[])
    with pytest.raises(socind.SocindError) as ex:
        socind.simulate_transfer(y, z, 1.0, design=d, alpha=[-1])
    assert ex.value.status == socind.SOCIND_ERR_ARG
    hs = h.hhsize.to_numpy(float).copy()
    hs[np.flatnonzero(sel)[0]] = 0.0
    with pytest.raises(socind.SocindError) as ex:
        socind.simulate_transfer(y, z, 1.0, design=d, per="household", household_size=hs,
                                 select=sel)
    assert ex.value.status == socind.SOCIND_ERR_DATA


def test_layout_matches_c():
    exe = os.environ.get("SOCIND_STRUCT_LAYOUT")
    if not exe:
        pytest.skip("SOCIND_STRUCT_LAYOUT not set")
    data = json.loads(subprocess.run([exe], capture_output=True, text=True,
                                     check=True).stdout)
    s = {x["name"]: x for x in data["structs"]}["socind_transfer"]
    T = simulate.Transfer_t
    assert ctypes.sizeof(T) == s["size"]
    assert [(f["name"], f["offset"], f["size"]) for f in s["fields"]] == \
        [(n, getattr(T, n).offset, getattr(T, n).size) for n, _ in T._fields_]


def test_alpha_given_twice_is_refused():
    """alpha=(0, 0.0, 1) computed FGT0 twice and returned one fgt0_* set
    (the names collide); so did two α that print alike."""
    y = [100.0, 200.0, 300.0, 400.0]
    with pytest.raises(socind.InputError, match="^alpha: 0 is given twice; give each α once$"):
        socind.simulate_transfer(y, 250, amount=50, alpha=(0, 0.0, 1))
    with pytest.raises(socind.InputError, match=r"^alpha: 0\.1234567 and 0\.1234568 both name "
                       r"fgt0\.123457_…"):
        socind.simulate_transfer(y, 250, amount=50, alpha=(0.1234567, 0.1234568))
    r = socind.simulate_transfer(y, 250, amount=50, alpha=(0, 1))
    assert r["fgt0_before"].value == 0.5 and r["fgt0_after"].value == 0.25
