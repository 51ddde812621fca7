# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.ReplicateDesign against section C of the wave-2 reference set (R
survey 4.5's replicate designs) and the replicates socind makes."""

import csv
import os

import numpy as np
import pytest

import socind
from socind import ReplicateDesign

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference", "wave2")


def _csv(name):
    with open(os.path.join(REF, name), newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def hh():
    rows = _csv("households.csv")
    cols = {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}
    return cols


def _factors(hh, scheme):
    rows = _csv(f"repweights_{scheme}.csv")
    by_psu = {int(r["psu"]): [float(r[c]) for c in r if c != "psu"] for r in rows}
    return np.array([by_psu[int(p)] for p in hh["psu"]])


def _rscales(scheme):
    return np.array([float(r["rscale"]) for r in _csv("rscales.csv") if r["scheme"] == scheme])


def _expected(scheme, indicator, statistic, subgroup="all", extra=""):
    for r in _csv("expected.csv"):
        if (r["design"] == scheme and r["indicator"] == indicator and r["statistic"] == statistic
                and r["subgroup"] == subgroup and "mse=FALSE" in r["parameters"]
                and extra in r["parameters"]):
            return r
    raise KeyError((scheme, indicator, statistic))


def _close(a, e, rel=1e-8):
    assert abs(a - float(e)) <= rel * abs(float(e)), (a, e)


def test_jkn_from_files(hh):
    base = socind.Design(hh["w_person"], strata=hh["stratum"], psu=hh["psu"], nest=True)
    d = ReplicateDesign(base, factors=_factors(hh, "JKn"), type="jkn", rscales=_rscales("JKn"))
    assert isinstance(d, socind.Design)
    assert d.replicates == 249 and d.df == 231 and d.type == "jkn" and not d.mse
    for fn, ind, stat in ((socind.mean, "mean", "mean"), (socind.total, "total", "total"),
                          (socind.gini, "gini", "gini")):
        e = fn(hh["cons_pc"], d, ci="normal")
        r = _expected("JKn", ind, stat)
        _close(e.value, r["estimate"])
        _close(e.se, r["se"])
        _close(e.ci_low, r["ci_low"])
    e = socind.quantile(hh["cons_pc"], 0.5, d)
    r = _expected("JKn", "median", "quantile", extra="interval.type=mean")
    _close(e.se, r["se"])
    _close(e.ci_high, r["ci_high"])
    e = socind.quantile_linearized(hh["cons_pc"], 0.5, d)
    r = _expected("JKn", "median", "quantile", extra="interval.type=quantile")
    _close(e.se, r["se"])
    by = socind.mean(hh["cons_pc"], d, by=hh["urban"].astype(int), ci="normal")
    r = _expected("JKn", "mean", "mean", subgroup="urban=1")
    _close(by.se[1], r["se"])


def test_brr_made_equals_file(hh):
    base = socind.Design(hh["w_person"], strata=hh["vstratum"], psu=hh["vpsu"], nest=True)
    d = ReplicateDesign.make(base, "brr")
    f = _factors(hh, "BRR")
    assert d.replicates == f.shape[1] == 20
    for r in range(20):
        assert np.array_equal(d.replicate_factors(r), f[:, r])
    # the same replicates given as weights
    w = np.column_stack([d.replicate_weights(r) for r in range(20)])
    d2 = ReplicateDesign(base, weights=w, type="brr")
    e1 = socind.fgt(hh["cons_pc"], 520000, design=d, alpha=1)
    e2 = socind.fgt(hh["cons_pc"], 520000, design=d2, alpha=1)
    assert e1.se == pytest.approx(e2.se, rel=1e-12)


def test_bootstrap_seed(hh):
    base = socind.Design(hh["w_person"], strata=hh["vstratum"], psu=hh["psu"], nest=True)
    a = ReplicateDesign.make(base, "bootstrap", replicates=20, seed=7)
    b = ReplicateDesign.make(base, "bootstrap", replicates=20, seed=7)
    c = ReplicateDesign.make(base, "subbootstrap", replicates=20, seed=8)
    assert np.array_equal(a.replicate_factors(3), b.replicate_factors(3))
    assert c.scale == pytest.approx(1 / 19)
    assert socind.watts(hh["cons_pc"], 520000, design=a).se > 0


def test_refusals(hh):
    base = socind.Design(hh["w_person"], strata=hh["stratum"], psu=hh["psu"], nest=True)
    f = np.ones((base.n, 3))
    f[5, 1] = -1.0
    with pytest.raises(socind.SocindError) as ei:
        ReplicateDesign(base, factors=f)
    assert ei.value.row == 5
    with pytest.raises(socind.InputError):
        ReplicateDesign(base, factors=np.ones((base.n, 3)), rscales=[1.0, 1.0])
    with pytest.raises(socind.SocindError):
        ReplicateDesign.make(base, "brr")
    with pytest.raises(socind.InputError):
        ReplicateDesign.make(base, "nonsense")
    # Fay's replicates without their rho took rho 0 (BRR's scale): refused
    with pytest.raises(socind.SocindError, match="need fay_rho"):
        ReplicateDesign(base, factors=np.ones((base.n, 3)), type="fay")
    rd = ReplicateDesign(base, factors=np.ones((base.n, 3)), type="fay", fay_rho=0.3)
    assert rd is not None


@pytest.mark.parametrize("kind", ["factors", "weights"])
def test_bad_replicate_value_names_the_column_and_row_from_0(kind):
    # the message said "replicate factor 2 (column 2) of row 2" for F[2, 1]:
    # a 1-based replicate and column beside a 0-based row. Rows, columns and
    # replicates are now 0-based, as .row and every other message of the
    # binding, and the column is named as the caller gave it
    import pandas as pd
    base = socind.Design(np.ones(4))
    F = np.ones((4, 3))
    F[2, 1] = -1.0
    F[3, 2] = np.nan  # a later replicate: the first bad one is named
    with pytest.raises(socind.DesignError) as e:
        ReplicateDesign(base, **{kind: F})
    assert e.value.row == 2 and e.value.status == socind.SOCIND_ERR_WEIGHT
    msg = str(e.value)
    assert msg.startswith(f"{kind}[:, 1]: row 2 is -1.0")
    assert "rows and replicates count from 0" in msg and "column 2" not in msg
    with pytest.raises(socind.DesignError, match=r"^factors\['r2'\]: row 2 is -1\.0") as e:
        ReplicateDesign(base, factors=pd.DataFrame(F, columns=["r1", "r2", "r3"]))
    assert e.value.row == 2


def test_proportion_intervals_take_the_replicates_logit_se():
    """svyciprop's logit and likelihood intervals on a replicate design
    take the SE of logit p̂ from the replicates' own logit p̂_r (svrVar of
    svyglm's refits), not the delta method's se/(p̂(1 − p̂)): the limits
    were up to 3.5e-2 off R's (survey_random/repciprop.R). A replicate
    whose p̂_r is 0 makes that variance infinite: limits 0 and 1, where R's
    refit stops near them."""
    import pandas as pd
    ref = os.path.join(REF, "..", "survey_random")
    d = pd.read_csv(os.path.join(ref, "repciprop_data.csv"))
    ex = pd.read_csv(os.path.join(ref, "repciprop_expected.csv"), float_precision="round_trip")
    y = (d.bin == 1).astype(float).to_numpy()
    types = {"JK1": "jk1", "JKn": "jkn", "BRR": "brr", "Fay": "fay", "bootstrap": "bootstrap"}
    seen_01 = 0
    for x in ex.itertuples():
        f = pd.read_csv(os.path.join(ref, f"repciprop_factors_{x.case}.csv"),
                        float_precision="round_trip").set_index("psu")
        kw = {"type": types[x.type], "scale": x.scale, "mse": bool(x.mse)}
        if kw["type"] in ("jkn", "other"):
            kw["rscales"] = np.array([float(v) for v in x.rscales.split(";")])
        if x.type == "Fay":  # the library's own Fay scale from rho (R's 1/(R(1 - 0.3)^2))
            kw = {"type": "fay", "fay_rho": 0.3, "mse": bool(x.mse)}
        rd = ReplicateDesign(socind.Design(d.w), factors=f.loc[d.psu].to_numpy(), **kw)
        by = None if x.dom == 0 else d.dom.to_numpy()
        e = socind.proportion(y, rd, by=by, prop_ci=x.method)
        e = e if by is None else e.loc[x.dom]
        assert e.status == 0 and e.df == x.df, x
        assert e.value == pytest.approx(x.p, rel=1e-12) and e.se == pytest.approx(x.se, rel=1e-12)
        dom = d.dom.to_numpy() == x.dom if x.dom else np.ones(len(d), bool)
        wr = d.w.to_numpy()[:, None] * f.loc[d.psu].to_numpy()
        pr = (wr[dom] * y[dom, None]).sum(0) / wr[dom].sum(0)
        if np.any(pr == 0.0):
            # R: limits near 0 and 1 (an NA for BRR's likelihood)
            seen_01 += 1
            assert (e.ci_low, e.ci_high) == (0.0, 1.0), x
            assert np.isnan(x.lower) or (x.lower < 1e-4 and x.upper > 0.97), x
            continue
        tol = 1e-6 if x.dom == 3 else 1e-8
        assert e.ci_low == pytest.approx(x.lower, rel=tol, abs=0), x
        assert e.ci_high == pytest.approx(x.upper, rel=tol, abs=0), x
    assert seen_01 == 4

