# SPDX-License-Identifier: GPL-3.0-or-later
"""convey's quantile-based measures on a replicate design by domain, against
R (tests/reference/convey_random: svyiqalpha, svyisq and svyrmir on a JK1
design whose replicates leave a domain with a single row)."""
import os

import numpy as np
import pandas as pd
import pytest

import socind

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference",
                   "convey_random")


@pytest.fixture(scope="module")
def data():
    d = pd.read_csv(os.path.join(REF, "inputs.csv"))
    base = socind.Design(d.w.values, psu=d.psu.values)
    return d, socind.ReplicateDesign.make(base, "jk1")


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(os.path.join(REF, "expected.csv"))


def expect(expected, statistic, domain):
    m = expected[(expected.statistic == statistic) & (expected.domain == domain)]
    assert len(m) == 1, (statistic, domain)
    return m.iloc[0]


def close(a, b, rel=1e-10):
    assert abs(a - b) <= rel * abs(b), (a, b)


@pytest.mark.parametrize("alpha", [0.3, 0.5])
@pytest.mark.parametrize("domain", [0, 1])
def test_iqalpha_replicate_domain(data, expected, alpha, domain):
    # domain 1: the replicate that deletes PSU 2 keeps one row, whose
    # quantile is defined though no density is: it counts in the SE
    d, rdes = data
    got = socind.quantile_linearized(d.y.values, alpha, rdes, by=d.dom.values).loc[domain]
    e = expect(expected, f"iqalpha_{alpha}", domain)
    assert got.status == 0
    close(got.value, e.estimate)
    close(got.se, e.se)


def test_rmir_replicate_domain(data, expected):
    d, rdes = data
    got = socind.median_income_ratio(d.y.values, d.age.values, 65.0, rdes, by=d.dom.values)
    g = got.loc[(0, "rmir")]
    e = expect(expected, "rmir", 0)
    assert g.status == 0
    close(g.value, e.estimate)
    close(g.se, e.se)


@pytest.mark.parametrize("statistic,alpha,upper", [("isq_0.3", 0.3, False),
                                                   ("isq_upper_0.8", 0.8, True)])
@pytest.mark.parametrize("domain", [0, 1, 2])
def test_isq_replicate_domain(data, expected, statistic, alpha, upper, domain):
    # domain 2 lies in PSU 3: the replicate that deletes it leaves the
    # domain no row, and its income total there is 0 (a total's, as
    # socind_total's and svyisq's replicates), not a replicate left out
    d, rdes = data
    got = socind.quantile_income_total(d.y.values, alpha, upper, rdes,
                                       by=d.dom.values).loc[domain]
    e = expect(expected, statistic, domain)
    assert got.status == 0
    assert abs(got.value - e.estimate) <= 1e-10 * abs(e.estimate)
    assert abs(got.se - e.se) <= 1e-10 * abs(e.se)


@pytest.mark.parametrize("domain", [0, 1])
def test_share_ratio_replicate_domain(data, expected, domain):
    # domain 1's replicate that deletes PSU 2 keeps one row: no density,
    # but its S80/S20 (0) is defined and counts in the replicate SE
    d, rdes = data
    got = socind.share_ratio(d.y.values, 0.2, 0.8, rdes, by=d.dom.values).loc[domain]
    e = expect(expected, "qsr", domain)
    assert got.status == 0
    close(got.value, e.estimate)
    close(got.se, e.se)


@pytest.mark.parametrize("statistic", ["poormed", "rmpg"])
def test_poor_median_replicate(statistic):
    # the JK1 replicate that deletes PSU 2 leaves one poor row, of income
    # 0: its median of the poor is 0 (svypoormed's replicates take it as it
    # comes), not a replicate left out of the SE
    d = pd.read_csv(os.path.join(REF, "inputs_poor.csv"))
    e = pd.read_csv(os.path.join(REF, "expected_poor.csv"))
    e = e[e.statistic == statistic].iloc[0]
    rdes = socind.ReplicateDesign.make(socind.Design(d.w.values, psu=d.psu.values), "jk1")
    fn = socind.poor_median if statistic == "poormed" else socind.relative_median_gap
    got = fn(d.y.values, 0.6, 0.5, rdes)
    assert got.status == 0
    close(got.value, e.estimate)
    close(got.se, e.se)


@pytest.fixture(scope="module")
def equal():
    d = pd.read_csv(os.path.join(REF, "inputs_equal.csv"))
    rdes = socind.ReplicateDesign.make(socind.Design(d.w.values, psu=d.psu.values), "jk1")
    return d, rdes, pd.read_csv(os.path.join(REF, "expected_equal.csv"))


@pytest.mark.parametrize("statistic", ["fgt0", "fgt1", "fgt2", "watts", "arpt"])
def test_relative_line_equal_replicate(equal, statistic):
    # the replicate that deletes PSU 3 keeps only incomes of 100: its line
    # (0.6 x its median) is 60 though it has no income density; it is the
    # replicate that moves the poverty measures (SE 0.163 of FGT0 with it,
    # 0.022 without)
    d, rdes, e = equal
    line = socind.relative_line(0.6, of="median")
    for domain in sorted(e[e.statistic == statistic].domain):
        by = None if domain < 0 else d.dom.values
        if statistic == "watts":
            got = socind.watts(d.y.values, line, rdes, by=by, inclusive=True)
        elif statistic == "arpt":
            got = socind.poverty_line(d.y.values, line, rdes, inclusive=True)
        else:
            got = socind.fgt(d.y.values, line, int(statistic[3]), rdes, by=by, inclusive=True)
        g = got if by is None else got.loc[domain]
        x = expect(e, statistic, domain)
        assert g.status == 0, (statistic, domain, g.status)
        close(g.value, x.estimate)
        if x.se == 0:
            assert g.se == 0
        else:
            close(g.se, x.se)


def test_fgt_decomposition_replicate_line(data):
    # convey's svyfgtdec keeps the full sample's relative line in every
    # replicate (poverty.h): its figures are socind's against that line
    # given as an absolute one; against the relative line socind estimates
    # it in each replicate, as svyfgt does (P0's SE is svyfgt's)
    d, rdes = data
    e = pd.read_csv(os.path.join(REF, "expected_fgtdec.csv")).set_index("statistic")
    rel = socind.relative_line(0.6, of="median")
    line = socind.poverty_line(d.y.values, rel, rdes, inclusive=True).value
    fixed = socind.fgt_decomposition(d.y.values, line, 2.0, rdes, inclusive=True)
    for r_name, name in [("fgt2", "fgt_alpha"), ("fgt0", "fgt0"), ("fgt1", "fgt1"),
                         ("igr", "igr"), ("gei", "ge")]:
        x = e.loc[f"fgtdec_{r_name}"]
        assert fixed[name].status == 0
        close(fixed[name].value, x.estimate)
        close(fixed[name].se, x.se)
    moving = socind.fgt_decomposition(d.y.values, rel, 2.0, rdes, inclusive=True)
    close(moving["fgt0"].value, e.loc["fgt0"].estimate)
    close(moving["fgt0"].se, e.loc["fgt0"].se)
    assert abs(moving["fgt0"].se - fixed["fgt0"].se) > 0.05


@pytest.fixture(scope="module")
def empty():
    return pd.read_csv(os.path.join(REF, "expected_empty.csv"))


def test_jdiv_decomposition_empty_subgroup_replicate(data, empty):
    # the replicate that deletes PSU 3 leaves subgroup 2 no row: it adds
    # nothing to that replicate's between (inequality.h), and the replicate
    # counts in all three SEs — the total's is svyjdiv's. convey's between
    # there is 0·log(0/0) = NaN and svrVar drops the replicate from all
    # three: its figures are socind's on the design without that replicate
    d, rdes = data
    got = socind.jdiv_decomposition(d.y.values, d.dom.values, rdes)
    for part in ("total", "within", "between"):
        x = expect(empty, f"jdivdec_kept_{part}", -1)
        assert got[part].status == 0 and got[part].replicates_left_out == 0
        close(got[part].value, x.estimate)
        close(got[part].se, x.se)
    close(got["total"].se, expect(empty, "jdiv", -1).se)
    psus = [p for p in sorted(set(d.psu)) if p != 3]
    factors = np.array([[0.0 if p == q else 4 / 3 for q in psus] for p in d.psu])
    base = socind.Design(d.w.values, psu=d.psu.values)
    without = socind.ReplicateDesign(base, factors=factors, type="other", scale=3 / 4,
                                     rscales=np.ones(len(psus)))
    dropped = socind.jdiv_decomposition(d.y.values, d.dom.values, without)
    for part in ("total", "within", "between"):
        x = expect(empty, f"jdivdec_{part}", -1)
        close(dropped[part].value, x.estimate)
        close(dropped[part].se, x.se)
        assert abs(got[part].se - x.se) > 3e-5


@pytest.mark.parametrize("psu", [1, 2, 3, 4])
def test_zenga_domain_of_one_psu_replicate(data, empty, psu):
    # the domain of one PSU's rows has no row in the replicate that deletes
    # that PSU: socind leaves the replicate out (replicate.h, svrVar's
    # na.omit), the others keep its Zenga (scale-free), SE 0 as svrVar's;
    # convey's CalcZenga gives that replicate 1 (an empty sum) and counts it
    d, rdes = data
    with pytest.warns(socind.DataWarning, match="1 replicate gave no estimate .* left out of "
                      "the variance, as R's svrVar"):
        got = socind.zenga(d.y.values, rdes, by=d.psu.values).loc[psu]
    kept, convey = expect(empty, "zenga_kept", psu), expect(empty, "zenga", psu)
    assert got.status == 0
    close(got.value, kept.estimate)
    assert kept.se == 0 and abs(got.se) <= 1e-14 * got.value
    assert convey.se > 0.02


def test_replicates_left_out_counted(data):
    # a ratio whose denominator lives in PSU 3: the replicate that deletes
    # it gives 0/0 and leaves the variance, counted on the estimate, with
    # R's svrVar warning; its SE is svrVar's over the other three
    d, rdes = data
    z = np.where(d.psu.values == 3, d.y.values, 0.0)
    with pytest.warns(socind.DataWarning, match="^1 replicate gave no estimate"):
        got = socind.ratio(d.y.values, z, rdes)
    assert got.status == 0 and got.replicates_left_out == 1
    w = d.w.values
    theta = [np.sum(f * w * d.y.values) / np.sum(f * w * z)
             for f in [np.where(d.psu.values == p, 0.0, 4 / 3) for p in (1, 2, 4)]]
    close(got.se, np.sqrt(3 / 4 * np.sum((np.array(theta) - np.mean(theta)) ** 2)), 1e-12)
    assert socind.ratio(d.y.values, d.y.values + 1, rdes).replicates_left_out == 0


@pytest.mark.parametrize("statistic", ["poormed", "rmpg"])
def test_poor_median_domain_of_one_row_replicate(data, statistic):
    # a domain of one poor row: its poor median is the row's income though
    # no income density is defined; on a replicate design the SE comes from
    # the replicates (convey's svyby gives the value, its SE NA by anyNA:
    # the replicate deleting the row's PSU has none; svrVar without it is
    # the expected SE, from convey's own replicate lines)
    d, rdes = data
    e = pd.read_csv(os.path.join(REF, "expected_poormed_one.csv")).set_index("statistic")
    x = e.loc[statistic]
    one = (np.arange(len(d)) == x.row).astype(np.int32)
    fn = socind.poor_median if statistic == "poormed" else socind.relative_median_gap
    with pytest.warns(socind.DataWarning, match="^1 replicate gave no estimate"):
        got = fn(d.y.values, 0.6, 0.5, rdes, by=one).loc[1]
    assert got.status == 0
    close(got.value, x.estimate)
    if x.se_kept == 0:
        assert abs(got.se) <= 1e-14 * got.value
    else:
        close(got.se, x.se_kept)
    assert np.isnan(x.se_convey) and x.left_out == 1


def test_domain_of_one_row_linearized():
    # a domain of one row on the linearized design against a relative line:
    # its figures are convey's; where the domain's income density enters
    # the SE (FGT0, the median of the poor, the relative median gap) it has
    # no bandwidth: SE NaN with SOCIND_ERR_DATA, convey's NA (S80/S20 is 0:
    # no income above the upper quantile, its only row's). FGT1's SE
    # needs no density (poverty.h); convey's is NA by 0·NaN
    d = pd.read_csv(os.path.join(REF, "inputs.csv"))
    e = pd.read_csv(os.path.join(REF, "expected_one_row.csv")).set_index("statistic")
    one = (np.arange(len(d)) == e.loc["fgt0"].row).astype(np.int32)
    des = socind.Design(d.w.values, psu=d.psu.values)
    line = socind.relative_line(0.6, of="median")
    got = {"fgt0": socind.fgt(d.y.values, line, 0, des, by=one, inclusive=True).loc[1],
           "fgt1": socind.fgt(d.y.values, line, 1, des, by=one, inclusive=True).loc[1],
           "poormed": socind.poor_median(d.y.values, 0.6, 0.5, des, by=one).loc[1],
           "rmpg": socind.relative_median_gap(d.y.values, 0.6, 0.5, des, by=one).loc[1],
           "iqalpha": socind.quantile_linearized(d.y.values, 0.5, des, by=one).loc[1],
           "isq": socind.quantile_income_total(d.y.values, 0.2, False, des, by=one).loc[1],
           "qsr": socind.share_ratio(d.y.values, 0.2, 0.8, des, by=one).loc[1]}
    for s, g in got.items():
        x = e.loc[s]
        assert np.isnan(x.se), s
        close(g.value, x.estimate)
        if s == "fgt1":
            assert g.status == 0 and g.se > 0
        else:
            assert g.status == socind.SOCIND_ERR_DATA and np.isnan(g.se), (s, g.status)
    close(got["fgt0"].value, e.loc["arpr"].estimate)
