# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.prevalence(calibration=...): anthro's design calibrated before
the table (socind/nutrition.h). On the reference children: the stunting
row equals socind.proportion on the same calibrated Design, a
post-stratification by area leaves the by-area prevalences and scales
their weighted counts, a calibration to the sample's own total changes
nothing, and bad arguments are refused."""
import os

import numpy as np
import pandas as pd
import pytest

import socind
from socind import InputError

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference", "growth")


@pytest.fixture(scope="module")
def kids():
    return pd.read_csv(os.path.join(REF, "inputs.csv"), keep_default_na=False,
                       na_values=["NA"])


def _table(inp, **kw):
    sex = inp.sex.map(lambda v: None if pd.isna(v) else int(v)).tolist()
    measure = inp.measure.map(lambda v: None if pd.isna(v) else v).tolist()
    with pytest.warns(socind.DataWarning):
        return socind.prevalence(sex, age_days=inp.age_days, weight_kg=inp.weight,
                                 lenhei_cm=inp.lenhei, measure=measure,
                                 oedema=inp.oedema.tolist(), sw=inp.sw, strata=inp.strata,
                                 cluster=inp.cluster, by=inp.typeres.rename("area"), **kw)


def _kept(inp):
    """the children the table keeps: up to 1826 days (a missing age stays)"""
    return ~(inp.age_days.round() > 1826).to_numpy()


def _area_totals(inp, f_rural=1.08, f_urban=0.93):
    w = inp.sw.fillna(0.0).where(_kept(inp), 0.0)
    return {"Rural": float(w[inp.typeres == "Rural"].sum()) * f_rural,
            "Urban": float(w[inp.typeres == "Urban"].sum()) * f_urban}


def _row(t, group, ind="HA", stat="< -2"):
    return t[(t.group == group) & (t.indicator == ind) & (t.statistic == stat)].iloc[0]


def test_stunting_equals_proportion_on_the_calibrated_design(kids):
    tot = _area_totals(kids)
    t = _table(kids, calibration={"method": "poststratify",
                                  "margins": [(kids.typeres, tot)]})
    k = _kept(kids)
    kk = kids[k]
    d = socind.Design(kk.sw.fillna(0.0), strata=kk.strata, psu=kk.cluster,
                      lonely_psu="adjust", nest=True)
    _, c = socind.calibrate(d, "poststratify", margins=[(kk.typeres, tot)])
    sex = kids.sex.map(lambda v: None if pd.isna(v) else int(v)).tolist()
    measure = kids.measure.map(lambda v: None if pd.isna(v) else v).tolist()
    z = socind.zscores(sex, age_days=kids.age_days, weight_kg=kids.weight,
                       lenhei_cm=kids.lenhei, measure=measure, oedema=kids.oedema.tolist())
    zl = np.where(z["flen"] == 1, np.nan, z["zlen"])
    zl = zl[k]
    y = np.where(np.isnan(zl), np.nan, (zl < -2).astype(float))
    e = socind.proportion(y, c)
    got = _row(t, "All")
    assert got.estimate == pytest.approx(e.value, rel=1e-12)
    assert got.se == pytest.approx(e.se, rel=1e-12)
    m = socind.mean(zl, c)
    got = _row(t, "All", stat="mean")
    assert got.estimate == pytest.approx(m.value, rel=1e-12)
    assert got.se == pytest.approx(m.se, rel=1e-12)


def test_poststratification_by_area(kids):
    t0 = _table(kids)
    t = _table(kids, calibration={"method": "poststratify",
                                  "margins": [(kids.typeres, _area_totals(kids))]})
    for area, f in (("Rural", 1.08), ("Urban", 0.93)):
        a, b = _row(t, f"area: {area}"), _row(t0, f"area: {area}")
        assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
        assert a.n_weighted == pytest.approx(f * b.n_weighted, rel=1e-12)
    assert abs(_row(t, "All").se / _row(t0, "All").se - 1) > 1e-3


def test_own_total_changes_nothing(kids):
    t0 = _table(kids)
    one = np.zeros(len(kids), dtype=int)
    total = float(kids.sw.fillna(0.0)[_kept(kids)].sum())
    t = _table(kids, calibration={"method": "poststratify", "margins": [(one, {0: total})]})
    for col in ("group", "indicator", "statistic", "n_unweighted", "flagged", "n_missing",
                "status"):
        assert (t[col].astype(str) == t0[col].astype(str)).all(), col
    ok = t0.status == 0
    assert ok.sum() > 100
    np.testing.assert_allclose(t.estimate[ok], t0.estimate[ok], rtol=1e-12)
    np.testing.assert_allclose(t.se[ok], t0.se[ok], rtol=1e-9, atol=1e-15)


def test_bad_calibration(kids):
    with pytest.raises(InputError, match="unknown argument"):
        _table(kids, calibration={"method": "poststratify", "cells": []})
    with pytest.raises(InputError, match="values; sex has"):
        _table(kids, calibration={"method": "poststratify", "margins": [([0, 1], {0: 1.0})]})
    with pytest.raises(InputError, match="must be a dict"):
        _table(kids, calibration=[1])
