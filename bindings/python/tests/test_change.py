# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.growth_redistribution and socind.sectoral_decomposition
(socind/change.h): the identities, the point estimates against socind.fgt
on rescaled incomes, P1 as socind.fgt's (SE included), by= domains against
each domain alone, the line kinds (number, per-row with lines2,
relative_line) and the refusals. Round 1 is the reference households file,
round 2 a different sample drawn from it with grown, redistributed and
inflated incomes."""

import os

import numpy as np
import pandas as pd
import pytest

import socind

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
REF = os.path.join(ROOT, "tests", "reference", "poverty")
RATIO = 1.12
LINE = 650000.0


@pytest.fixture(scope="module")
def rounds():
    h = pd.read_csv(os.path.join(REF, "households.csv"))
    k = np.arange(len(h))
    r2 = h[k % 3 != 0].copy()
    kk = np.arange(len(h))[k % 3 != 0]
    g = 1.06 * (1 + 0.08 * np.tanh((r2.cons_pc - 900000) / 400000)) * (1 + 0.1 * np.sin(0.7 * kk))
    r2["y"] = r2.cons_pc * g * RATIO
    r2["w"] = r2.w_person * 1.5
    r2["line"] = r2.line_region * RATIO
    r2["sector"] = np.where(kk % 7 == 1, 2, r2.subdistrict % 3)
    h["sector"] = h.subdistrict % 3
    d1 = socind.Design(h.w_person.to_numpy(), strata=h.stratum.to_numpy(), psu=h.psu.to_numpy())
    d2 = socind.Design(r2.w.to_numpy(), strata=r2.stratum.to_numpy(), psu=r2.psu.to_numpy())
    return h, r2.reset_index(drop=True), d1, d2


def _gr(rounds, line, alpha, **kw):
    h, r2, d1, d2 = rounds
    return socind.growth_redistribution(h.cons_pc, r2.y, line, alpha=alpha, design1=d1,
                                        design2=d2, price_ratio=RATIO, **kw)


@pytest.mark.parametrize("alpha", [0, 1, 2])
def test_identities_and_slow(rounds, alpha):
    h, r2, d1, d2 = rounds
    e = _gr(rounds, LINE, alpha)
    assert list(e) == socind.change.GR_NAMES
    dP = e["change"].value
    assert abs(e["shapley_growth"].value + e["shapley_redistribution"].value - dP) < 1e-15
    assert abs(e["dr_growth"].value + e["dr_redistribution"].value + e["dr_residual"].value
               - dP) < 1e-15
    mu1 = np.average(h.cons_pc, weights=h.w_person)
    mu2 = np.average(r2.y, weights=r2.w) / RATIO
    assert e["mean_base"].value == pytest.approx(mu1, rel=1e-13)
    assert e["mean_compare"].value == pytest.approx(mu2, rel=1e-13)
    p11 = socind.fgt(h.cons_pc, LINE, alpha, design=d1)
    p21 = socind.fgt(h.cons_pc * mu2 / mu1, LINE, alpha, design=d1).value
    p12 = socind.fgt(r2.y / RATIO * mu1 / mu2, LINE, alpha, design=d2).value
    p22 = socind.fgt(r2.y, LINE * RATIO, alpha, design=d2).value
    assert e["fgt_base"].value == pytest.approx(p11.value, rel=1e-12)
    assert e["fgt_base"].se == pytest.approx(p11.se, rel=1e-9)
    assert e["fgt_compare"].value == pytest.approx(p22, rel=1e-12)
    assert e["dr_growth"].value == pytest.approx(p21 - p11.value, abs=1e-12)
    assert e["dr_redistribution"].value == pytest.approx(p12 - p11.value, abs=1e-12)
    assert e["shapley_growth"].value == pytest.approx(
        0.5 * ((p21 - p11.value) + (p22 - p12)), abs=1e-12)
    for est in e.values():
        assert est.status == 0 and est.se > 0 and est.ci_low < est.value < est.ci_high


def test_line_kinds(rounds):
    h, r2, d1, d2 = rounds
    rel = _gr(rounds, socind.relative_line(0.6), 0)
    assert rel["fgt_base"].value == pytest.approx(
        socind.fgt(h.cons_pc, socind.relative_line(0.6), 0, design=d1).value, rel=1e-12)
    assert rel["fgt_base"].se == pytest.approx(
        socind.fgt(h.cons_pc, socind.relative_line(0.6), 0, design=d1).se, rel=1e-9)
    per = _gr(rounds, h.line_region.to_numpy(), 1, lines2=r2.line.to_numpy())
    assert per["fgt_compare"].value == pytest.approx(
        socind.fgt(r2.y, r2.line.to_numpy(), 1, design=d2).value, rel=1e-12)
    mean_line = _gr(rounds, socind.relative_line(0.5, of="mean"), 2)
    assert abs(mean_line["shapley_growth"].value + mean_line["shapley_redistribution"].value
               - mean_line["change"].value) < 1e-15


def test_by(rounds):
    h, r2, d1, d2 = rounds
    t = _gr(rounds, LINE, 1, by1=h.urban, by2=r2.urban)
    assert isinstance(t, pd.DataFrame)
    assert t.loc[("all", "change"), "value"] == pytest.approx(_gr(rounds, LINE, 1)["change"].value)
    for u in (0, 1):
        alone = socind.growth_redistribution(
            h.cons_pc.where(h.urban == u), r2.y.where(r2.urban == u), LINE, alpha=1, design1=d1,
            design2=d2, price_ratio=RATIO)
        for name, est in alone.items():
            assert t.loc[(u, name), "value"] == pytest.approx(est.value, rel=1e-12)
            assert t.loc[(u, name), "se"] == pytest.approx(est.se, rel=1e-10)


def test_sectoral(rounds):
    h, r2, d1, d2 = rounds
    t = socind.sectoral_decomposition(h.cons_pc, r2.y, LINE, h.sector, r2.sector, alpha=0,
                                      design1=d1, design2=d2, price_ratio=RATIO)
    tot = t.loc["all", "value"]
    assert abs(tot["within"] + tot["shift"] + tot["interaction"] - tot["change"]) < 1e-15
    sec = t.drop(index="all", level=0)
    for name in ("within", "shift", "interaction"):
        assert sec.xs(name, level=1)["value"].sum() == pytest.approx(tot[name], abs=1e-15)
    assert sec.xs("share_base", level=1)["value"].sum() == pytest.approx(1.0)
    g1 = socind.fgt(h.cons_pc, LINE, 0, design=d1, by=h.sector)
    for s in (0, 1, 2):
        assert t.loc[(s, "fgt_base"), "value"] == pytest.approx(g1.loc[s, "value"], rel=1e-12)
        assert t.loc[(s, "fgt_base"), "se"] == pytest.approx(g1.loc[s, "se"], rel=1e-9)
    assert (t["status"] == 0).all() and (t["se"] > 0).all()


def test_refusals(rounds):
    h, r2, d1, d2 = rounds
    with pytest.raises(socind.InputError):
        _gr(rounds, LINE, 0, by1=h.urban)
    with pytest.raises(socind.InputError):
        _gr(rounds, h.line_region.to_numpy(), 0)  # per-row lines without lines2
    with pytest.raises(socind.InputError):
        _gr(rounds, LINE, 0, lines2=r2.line.to_numpy())
    with pytest.raises(socind.SocindError) as ex:
        socind.growth_redistribution(h.cons_pc, r2.y, LINE, design1=d1, design2=d2,
                                     price_ratio=0.0)
    assert ex.value.status == socind.SOCIND_ERR_ARG
    with pytest.raises(socind.SocindError):
        socind.growth_redistribution(h.cons_pc, r2.y, LINE, alpha=-1, design1=d1, design2=d2)
    y = r2.y.to_numpy().copy()
    y[5] = np.inf
    with pytest.raises(socind.SocindError) as ex:
        socind.growth_redistribution(h.cons_pc, y, LINE, design1=d1, design2=d2)
    assert ex.value.status == socind.SOCIND_ERR_DATA
    with pytest.raises(socind.SocindError):  # y1's length is not design1's
        socind.growth_redistribution(h.cons_pc[:10], r2.y, LINE, design1=d1, design2=d2)


def test_header_macros_are_named_in_the_module():
    import re
    text = open(os.path.join(ROOT, "include", "socind", "change.h"), encoding="utf-8").read()
    macros = {k: int(v) for k, v in re.findall(r"#define\s+(SOCIND_\w+)\s+(\d+)", text)}
    assert len(macros) == 3 + 10 + 6 + 7  # three COUNTs and the parts' indexes
    for k, v in macros.items():
        assert getattr(socind.change, k) == v, k
    assert len(socind.change.GR_NAMES) == socind.change.SOCIND_GR_COUNT
    assert len(socind.change.RH_NAMES) == socind.change.SOCIND_RH_COUNT
    assert len(socind.change.RH_SECTOR_NAMES) == socind.change.SOCIND_RH_SECTOR_COUNT


def test_names_are_the_commands(rounds):
    """The parts carry `socind change`'s row names (GR_ROWS, RH_ROWS in
    cli/change.c), not round numbers."""
    src = open(os.path.join(ROOT, "cli", "change.c"), encoding="utf-8").read()
    for nm in socind.change.GR_NAMES:
        assert f'= "{nm}"' in src, nm
    for nm in socind.change.RH_NAMES + socind.change.RH_SECTOR_NAMES:
        assert f'"sectoral:{nm}"' in src, nm
    e = _gr(rounds, LINE, 1)
    assert set(e) == set(socind.change.GR_NAMES)
    assert "fgt1" not in e and "mean1" not in e


def test_all_missing_labels(rounds):
    h, r2, d1, d2 = rounds
    none1 = np.full(len(h), None, dtype=object)
    none2 = np.full(len(r2), None, dtype=object)
    with pytest.raises(socind.EmptyError, match="by1 and by2 have no label"):
        _gr(rounds, LINE, 0, by1=none1, by2=none2)
    with pytest.raises(socind.EmptyError, match="sector1 and sector2 have no label.*no sector"):
        socind.sectoral_decomposition(h.cons_pc, r2.y, LINE, none1, none2, design1=d1,
                                      design2=d2, price_ratio=RATIO)
