# SPDX-License-Identifier: GPL-3.0-or-later
"""Tests of the Python binding against the same reference files as the C
tests, plus conversions, non-contiguous arrays, length checks and errors."""

import os
import warnings

import numpy as np
import pandas as pd
import pytest

import socind

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference")


@pytest.fixture(scope="module")
def hh():
    return pd.read_csv(os.path.join(REF, "poverty", "households.csv"))


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(os.path.join(REF, "poverty", "expected.csv"))


def row(expected, **kw):
    m = expected
    for k, v in kw.items():
        m = m[m[k] == v]
    assert len(m) == 1, kw
    return m.iloc[0]


def close(a, b, rel=1e-8, floor=1e-10):
    assert abs(a - b) <= max(rel * abs(b), floor), (a, b)


def test_reference_poverty_and_inequality(hh, expected):
    d = socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu)
    assert d.df == 267
    e = socind.mean(hh.cons_pc, d, ci="normal")
    r = row(expected, indicator="mean", design="wr", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se), close(e.ci_low, r.ci_low)
    e = socind.fgt(hh.cons_pc, 500000, alpha=2, design=d, inclusive=True)
    r = row(expected, indicator="fgt", statistic="fgt2", design="wr", subgroup="all",
            parameters="g=2;type_thresh=abs;abs_thresh=500000")
    close(e.value, r.estimate), close(e.se, r.se)
    e = socind.fgt(hh.cons_pc, socind.relative_line(0.6, "median"), design=d, inclusive=True)
    r = row(expected, indicator="arpr", design="wr")
    close(e.value, r.estimate), close(e.se, r.se)
    e = socind.gini(hh.cons_pc, d)
    r = row(expected, indicator="gini", design="wr", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se)
    fpc = socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu, fpc=hh.fpc_psu)
    e = socind.quantile(hh.cons_pc, 0.5, fpc)
    r = row(expected, indicator="median", design="fpc")
    close(e.value, r.estimate), close(e.se, r.se)


def test_by_returns_a_dataframe(hh, expected):
    d = socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu)
    labels = np.where(hh.urban == 1, "urban", "rural")
    t = socind.fgt(hh.cons_pc, 500000, design=d, by=labels, inclusive=True, prop_ci="wald")
    assert list(t.index) == ["all", "rural", "urban"]  # the overall row first
    assert t.index.name == "by"
    r = row(expected, indicator="fgt", statistic="fgt0", design="wr", subgroup="urban=1",
            parameters="g=0;type_thresh=abs;abs_thresh=500000")
    close(t.loc["urban", "value"], r.estimate), close(t.loc["urban", "se"], r.se)


def test_zscores_match_anthro():
    inp = pd.read_csv(os.path.join(REF, "growth", "inputs.csv"), keep_default_na=False,
                      na_values=["NA"])
    exp = pd.read_csv(os.path.join(REF, "growth", "zscores_expected.csv"))
    sex = inp.sex.map(lambda v: None if pd.isna(v) else int(v)).tolist()
    measure = inp.measure.map(lambda v: None if pd.isna(v) else v).tolist()
    z = socind.zscores(sex, age_days=inp.age_days, weight_kg=inp.weight, lenhei_cm=inp.lenhei,
                       measure=measure, oedema=inp.oedema.tolist(), headc_cm=inp.headc,
                       armc_cm=inp.armc, triskin_mm=inp.triskin, subskin_mm=inp.subskin)
    for name in ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"):
        want = exp[name].to_numpy()
        got = z[name]
        assert np.array_equal(np.isnan(got), np.isnan(want)), name
        assert np.array_equal(got[~np.isnan(got)], want[~np.isnan(want)]), name
    fl = exp.flen.fillna(-1).astype(int).to_numpy()
    assert np.array_equal(z["flen"], fl)


def test_prevalence_matches_anthro():
    inp = pd.read_csv(os.path.join(REF, "growth", "inputs.csv"), keep_default_na=False,
                      na_values=["NA"])
    exp = pd.read_csv(os.path.join(REF, "growth", "prevalence_expected.csv"))
    sex = inp.sex.map(lambda v: None if pd.isna(v) else int(v)).tolist()
    measure = inp.measure.map(lambda v: None if pd.isna(v) else v).tolist()
    with pytest.warns(socind.DataWarning, match="20 rows will be excluded"):
        t = socind.prevalence(sex, age_days=inp.age_days, weight_kg=inp.weight,
                              lenhei_cm=inp.lenhei, measure=measure, oedema=inp.oedema.tolist(),
                              sw=inp.sw, strata=inp.strata, cluster=inp.cluster)
    got = t[(t.group == "All") & (t.indicator == "HA") & (t.statistic == "< -2")].iloc[0]
    want = exp[(exp.group == "All") & (exp.anthro_stem == "HA_2")].iloc[0]
    close(100 * got.estimate, want.estimate), close(100 * got.se, want.se)
    close(100 * got.ci_low, want.ci_low, rel=1e-6)
    assert got.n_unweighted == want.n_unweighted


def test_prevalence_negative_age_is_said_and_counts_nowhere():
    """A child with a negative age is left out of every indicator, with a
    warning (anthro refuses such a file); with oedema it does not count as
    below −3 either (it did: 1 of 3 severely wasted and underweight)."""
    kw = dict(sex=[1, 1, 2, 1, 2], age_days=[-5, 400, 400, -5, 500], weight_kg=[9] * 5,
              lenhei_cm=[75] * 5, measure=["l"] * 5)
    with pytest.warns(socind.DataWarning, match=r"2 rows have an age below 0 \(WHO's anthro "
                      r"refuses a file with one\): left out of every indicator"):
        t = socind.prevalence(oedema=["y", "n", "n", "n", "n"], **kw)
    with pytest.warns(socind.DataWarning, match="2 rows have an age below 0"):
        t0 = socind.prevalence(oedema=["n"] * 5, **kw)
    for ind in ("WA", "WH"):
        a = t[(t.group == "All") & (t.indicator == ind) & (t.statistic == "< -3")].iloc[0]
        b = t0[(t0.group == "All") & (t0.indicator == ind) & (t0.statistic == "< -3")].iloc[0]
        assert a.estimate == b.estimate == 0 and a.n_unweighted == b.n_unweighted == 3


def _children_in_months():
    """The sample children with their ages in months (at most 60)."""
    k = pd.read_csv(os.path.join(os.path.dirname(__file__), "..", "..", "..", "data", "sample",
                                 "children.csv"))
    k["age_m"] = (k.age_days / 30.4375).round(1)
    return k[k.age_m <= 60].reset_index(drop=True)


MONTHS_REFUSAL = ("508 of the 555 children measured have an age of at most 60 in age_days, yet "
                  "are 65 cm or longer or weigh 7.5 kg or more, which no child under two months "
                  "does: these ages look like months — give the column as age_months")


def test_ages_in_months_given_as_days_are_refused_as_the_command_refuses_them():
    """Ages 0-60 in months given as age_days were taken as days: mean zlen
    16.5, 524 of 555 children flagged, stunting 0.030 where it is about
    0.17, without a word; `socind growth` refuses the same file (exit 2,
    "these ages look like months", 508 of 555: the same counts)."""
    k = _children_in_months()
    cols = dict(weight_kg=k.weight, lenhei_cm=k.lenhei, measure=k.measure)
    with pytest.raises(socind.InputError) as e:
        socind.zscores(k.sex, age_days=k.age_m, **cols)
    assert str(e.value) == MONTHS_REFUSAL and e.value.status == socind.SOCIND_ERR_ARG
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # refused before anthro's warnings
        with pytest.raises(socind.InputError) as e:
            socind.prevalence(k.sex, age_days=k.age_m, sw=k.sw, strata=k.strata,
                              cluster=k.cluster, **cols)
    assert str(e.value) == MONTHS_REFUSAL
    # as age_months: the z-scores of the ages in days, within the months' rounding
    z = socind.zscores(k.sex, age_months=k.age_m, **cols)
    zd = socind.zscores(k.sex, age_days=k.age_days, **cols)
    assert abs(np.nanmean(z["zlen"]) - np.nanmean(zd["zlen"])) < 0.01
    assert np.nanmean(z["zlen"]) == pytest.approx(-0.934, abs=0.01)
    t = socind.prevalence(k.sex, age_months=k.age_m, sw=k.sw, strata=k.strata,
                          cluster=k.cluster, **cols)
    stunting = t[(t.group == "All") & (t.indicator == "HA") & (t.statistic == "< -2")]
    assert float(stunting.estimate.iloc[0]) == pytest.approx(0.17, abs=0.01)


@pytest.mark.parametrize("age, length, weight", [
    ([10, 300, 610, np.nan], [52, 70, 78, 85], [4, 8, 10, 12]),  # big children are older
    ([10, 30, 50, 59], [55, 58, 70, 52], [4, 5, 8, 4]),         # 1 big of 4 measured
    ([10, 30, 50, 59], [55, 58, 70, 72], [4, 5, 8, 9]),         # 2 of 4: not most
    ([10, 30, 500, 999], [70, 70, 70, 70], [8, 8, 8, 8]),       # 2 of 4 young and big
    ([10, 30, 50, 59], [np.nan] * 4, [np.nan] * 4),              # nobody measured
])
def test_ages_in_days_the_months_rule_leaves(age, length, weight):
    """The command's rule takes ages as months only when more than half the
    children measured are at most 60 days old yet 65 cm or longer or weigh
    7.5 kg or more."""
    z = socind.zscores([1, 2, 1, 2], age_days=age, lenhei_cm=length, weight_kg=weight)
    assert z["zlen"].shape == (4,)
    ref = [socind.zscores_child(s, a, w, h)["zlen"] if a == a else np.nan
           for s, a, w, h in zip([1, 2, 1, 2], age, weight, length)]
    np.testing.assert_allclose(z["zlen"], ref, equal_nan=True)


def test_one_age_above_60_does_not_switch_the_months_rule_off():
    """Ages in months with one typo (999) or rounded up to 61 (days/30.4375
    rounded: 10 of the reference children) were taken as days as soon as
    one age passed 60: stunting 0.020 for 0.230, without a word. The rule
    counts the children who are young and big, so such files are refused
    as the rest of the file says."""
    k = _children_in_months()
    cols = dict(weight_kg=k.weight, lenhei_cm=k.lenhei, measure=k.measure)
    big = (k.lenhei >= 65) | (k.weight >= 7.5)
    i = int(np.flatnonzero(big)[0])  # a child who counted: 507 of 555 left
    for bad in (999.0, 61.0):
        age = k.age_m.copy()
        age.iloc[i] = bad
        with pytest.raises(socind.InputError, match="^507 of the 555 children measured have an "
                           "age of at most 60 in age_days"):
            socind.zscores(k.sex, age_days=age, **cols)
        with pytest.raises(socind.InputError, match="these ages look like months"):
            socind.prevalence(k.sex, age_days=age, sw=k.sw, strata=k.strata,
                              cluster=k.cluster, **cols)


def test_ages_in_days_most_children_big_refused():
    """3 of 4 measured children big (65 cm, 7.5 kg: the limits count), ages at
    most 60 (a missing age is no age): refused, naming the counts."""
    with pytest.raises(socind.InputError,
                       match="^3 of the 4 children measured have an age of at most 60"):
        socind.zscores([1, 2, 1, 2, 1], age_days=[10, 30, 50, 60, np.nan],
                       lenhei_cm=[65, 58, np.nan, 72, 80], weight_kg=[np.nan, 5, 7.5, 9, 10])


def test_conversions_and_errors():
    w = [1, 2, 3, 4]
    d = socind.Design(w)
    a = socind.mean([1, 2, 3, 4], d)
    b = socind.mean(np.array([1, 2, 3, 4], dtype=np.int16), d)  # converted to float64
    assert a == b
    big = np.arange(8, dtype=np.float64)
    c = socind.mean(big[::2] + 1, d)  # non-contiguous view
    assert c.value == pytest.approx(socind.mean([1, 3, 5, 7], d).value)
    with pytest.raises(ValueError):
        socind.mean([1, 2, 3], d)  # length mismatch, before any C call
    with pytest.raises(socind.DesignError) as e:
        socind.Design([1, -1, 1])
    assert "weight[1]" in str(e.value)
    with pytest.raises(socind.InputError):
        socind.fgt([1, 2, 3, 4], -5, design=d)
    with pytest.raises(socind.EmptyError):
        socind.mean([np.nan] * 4, d)
    # NaN handling matches C: the row leaves the estimate
    e = socind.mean([1, np.nan, 3, 4], d)
    assert e.n == 3
    assert e.value == pytest.approx((1 + 9 + 16) / 8)
    assert socind.ppp_line(3.0, 5000, 100, 100, 30) == pytest.approx(450000)
    assert socind.version().count(".") == 2


def test_every_c_function_has_a_face(hh, expected):
    """Each remaining public C function is reachable and agrees with C/R."""
    d = socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu)
    dec = socind.fgt_decomposition(hh.cons_pc, 500000, 2, design=d, inclusive=True)
    r = row(expected, indicator="fgtdec", statistic="igr", design="wr",
            parameters="g=2;type_thresh=abs;abs_thresh=500000")
    close(dec["igr"].value, r.estimate), close(dec["igr"].se, r.se)
    w = socind.watts_decomposition(hh.cons_pc, 500000, design=d, inclusive=True)
    r = row(expected, indicator="wattsdec", statistic="theil(poor)", design="wr")
    close(w["theil_poor"].value, r.estimate), close(w["theil_poor"].se, r.se)
    g = socind.ge_decomposition(hh.cons_pc, hh.urban, 1.0, design=d)
    r = row(expected, indicator="geidec", statistic="within", design="wr",
            parameters="epsilon=1;subgroup=urban")
    close(g["within"].value, r.estimate), close(g["within"].se, r.se)
    prof = socind.poverty_profile(hh.cons_pc, 500000, hh.urban, design=d)
    assert prof.loc["all", "share"] == pytest.approx(1.0)
    assert prof.share.iloc[1:].sum() == pytest.approx(1.0)
    assert prof.contribution_share.iloc[1:].sum() == pytest.approx(1.0)
    assert prof.contribution.iloc[1:].sum() == pytest.approx(prof.loc["all", "fgt"])
    u = (hh.cons_pc - hh.cons_pc.mean()).to_numpy()
    assert socind.variance(u, d) > 0
    assert socind.critical_value(0.95, 77) == pytest.approx(1.9912543953883843, rel=1e-12)
    a = socind.fgt(hh.cons_pc[hh.urban == 0], 500000, design=socind.Design(
        hh.w_person[hh.urban == 0], strata=hh.stratum[hh.urban == 0], psu=hh.psu[hh.urban == 0]))
    b = socind.fgt(hh.cons_pc[hh.urban == 1], 500000, design=socind.Design(
        hh.w_person[hh.urban == 1], strata=hh.stratum[hh.urban == 1], psu=hh.psu[hh.urban == 1]))
    diff = socind.difference(a, b)
    assert diff.value == b.value - a.value and diff.df == a.df + b.df
    assert diff.se == pytest.approx((a.se ** 2 + b.se ** 2) ** 0.5, rel=1e-15)
    assert socind.round2(0.125) == 0.12
    c = socind.zscores_child(2, 400, weight_kg=8.1, lenhei_cm=71.5, measure="l", oedema="n")
    z = socind.zscores([2], age_days=[400], weight_kg=[8.1], lenhei_cm=[71.5], measure=["l"],
                       oedema=["n"])
    assert c["zlen"] == z["zlen"][0] and c["fwfl"] == z["fwfl"][0]
    kids = pd.read_csv(os.path.join(REF, "growth", "inputs.csv"), keep_default_na=False,
                       na_values=["NA"])
    sex = kids.sex.map(lambda v: None if pd.isna(v) else int(v)).tolist()
    q = socind.growth_quality(sex, age_days=kids.age_days, weight_kg=kids.weight,
                              lenhei_cm=kids.lenhei,
                              measure=kids.measure.map(lambda v: None if pd.isna(v) else v).tolist(),
                              oedema=kids.oedema.tolist())
    assert q["flagged"] == {"HA": 9, "WA": 12, "BMI": 20, "WH": 18}
    assert socind.poverty_line(hh.cons_pc, socind.relative_line(0.6, "mean"), d).value == \
        pytest.approx(row(expected, indicator="relm_line", design="wr").estimate, rel=1e-12)


def test_examples_run():
    import subprocess
    import sys
    here = os.path.join(os.path.dirname(__file__), "..", "examples")
    for ex in ("poverty_by_subdistrict.py", "stunting_prevalence.py"):
        res = subprocess.run([sys.executable, os.path.join(here, ex)], capture_output=True,
                             text=True, env=dict(os.environ), check=True)
        assert "Musi Banyuasin" in res.stdout or "stunting" in res.stdout


def test_prototypes_cover_the_headers():
    """Every SOCIND_API function of the public headers is declared."""
    import glob
    import re
    from socind import _lib
    names = set()
    for h in glob.glob(os.path.join(os.path.dirname(__file__), "..", "..", "..", "include",
                                    "socind", "*.h")):
        names |= set(re.findall(r"SOCIND_API\s+[^;(]*?\b(socind_\w+)\s*\(", open(h).read()))
    assert len(names) > 40
    assert names <= set(_lib.PROTOTYPES), sorted(names - set(_lib.PROTOTYPES))


def test_jdiv_jdivdec_zenga_match_the_wave2_reference():
    """jdiv, jdiv_decomposition and zenga against a few wave-2 rows (convey
    1.0.1, design wr), overall and by urban; Atkinson and GE at ε = 1.5/−1."""
    hh2 = pd.read_csv(os.path.join(REF, "wave2", "households.csv"))
    ex = pd.read_csv(os.path.join(REF, "wave2", "expected.csv"), float_precision="round_trip")
    d = socind.Design(hh2.w_person, strata=hh2.stratum, psu=hh2.psu)
    e = socind.jdiv(hh2.cons_pc, d)
    r = row(ex, indicator="jdiv", design="wr", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se)
    by = socind.jdiv(hh2.cons_pc, d, by=hh2.urban)
    r = row(ex, indicator="jdiv", design="wr", subgroup="urban=1")
    close(by.loc[1, "value"], r.estimate), close(by.loc[1, "se"], r.se)
    e = socind.zenga(hh2.cons_pc, d, ci="normal")
    r = row(ex, indicator="zenga", design="wr", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se), close(e.ci_low, r.ci_low)
    by = socind.zenga(hh2.cons_pc, d, by=hh2.urban)
    r = row(ex, indicator="zenga", design="wr", subgroup="urban=0")
    close(by.loc[0, "value"], r.estimate), close(by.loc[0, "se"], r.se)
    dec = socind.jdiv_decomposition(hh2.cons_pc, hh2.prov, design=d)
    for part in ("total", "within", "between"):
        r = row(ex, indicator="jdivdec", statistic=part, parameters="subgroup=prov")
        close(dec[part].value, r.estimate), close(dec[part].se, r.se)
    e = socind.atkinson(hh2.cons_pc, 1.5, d)
    r = row(ex, indicator="atkinson", parameters="epsilon=1.5", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se)
    e = socind.ge(hh2.cons_pc, -1.0, d)
    r = row(ex, indicator="gei", parameters="epsilon=-1", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se)
    # a negative income: refused, or left out
    y = hh2.cons_pc.to_numpy().copy()
    y[3] = -1.0
    with pytest.raises(socind.SocindError):
        socind.zenga(y, d)
    assert np.isfinite(socind.zenga(y, d, exclude_nonpositive=True).value)
