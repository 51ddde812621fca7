# SPDX-License-Identifier: GPL-3.0-or-later
"""socind change BASE_FILE COMPARE_FILE: the tidy rows of the
growth-redistribution and sectoral decompositions, their identities, P1 and
P2 as socind poverty gives them on each file, the line options, --by,
--sector, and the usage errors."""
import io
import json

import numpy as np
import pandas as pd
import pytest

from cli_env import ROOT, run

HH = ROOT / "tests" / "reference" / "poverty" / "households.csv"
RATIO = 1.12
DESIGN = ["--weight", "w_person", "--strata", "stratum", "--psu", "psu"]


@pytest.fixture(scope="module")
def round2(tmp_path_factory):
    h = pd.read_csv(HH)
    k = np.arange(len(h))
    r2 = h[k % 3 != 0].copy()
    kk = k[k % 3 != 0]
    g = 1.06 * (1 + 0.08 * np.tanh((r2.cons_pc - 900000) / 400000)) * (1 + 0.1 * np.sin(0.7 * kk))
    r2["cons_pc"] = r2.cons_pc * g * RATIO
    r2["line_region"] = r2.line_region * RATIO
    r2["sector"] = np.where(kk % 7 == 1, 2, r2.subdistrict % 3)
    h["sector"] = h.subdistrict % 3
    d = tmp_path_factory.mktemp("change")
    base, comp = d / "base.csv", d / "compare.csv"
    h.to_csv(base, index=False)
    r2.to_csv(comp, index=False)
    return base, comp


def change(base, comp, *extra, expect=0):
    return run("change", base, comp, "--income", "cons_pc", *DESIGN, *extra, expect=expect)


def table(p):
    t = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                    dtype={"parameter": str})
    t["parameter"] = t.parameter.fillna("")
    return t


def row(t, ind, par="0", group="all"):
    r = t[(t.indicator == ind) & (t.parameter == par) & (t.group == group)]
    assert len(r) == 1, (ind, par, group)
    return r.iloc[0]


def test_rows_and_identities(round2):
    base, comp = round2
    t = table(change(base, comp, "--line", "650000", "--price-ratio", str(RATIO),
                     "--alpha", "0,1,2"))
    assert list(t.columns) == ["indicator", "parameter", "group", "estimate", "se", "ci_low",
                               "ci_high", "df", "n", "weight_sum"]
    assert len(t) == 30
    for a in ("0", "1", "2"):
        e = {i: row(t, i, a) for i in ("change", "dr_growth", "dr_redistribution", "dr_residual",
                                       "shapley_growth", "shapley_redistribution")}
        dP = e["change"].estimate
        assert abs(e["shapley_growth"].estimate + e["shapley_redistribution"].estimate - dP) < 1e-15
        assert abs(e["dr_growth"].estimate + e["dr_redistribution"].estimate
                   + e["dr_residual"].estimate - dP) < 1e-15
    # P1 and P2 as socind poverty gives them on each file
    p1 = table(run("poverty", base, "--income", "cons_pc", *DESIGN, "--line", "650000"))
    p2 = table(run("poverty", comp, "--income", "cons_pc", *DESIGN, "--line",
                   str(650000 * RATIO)))
    for a in ("0", "1", "2"):
        b = row(p1, f"fgt{a}", "")
        c = row(p2, f"fgt{a}", "")
        assert row(t, "fgt_base", a).estimate == pytest.approx(b.estimate, rel=1e-12)
        assert row(t, "fgt_base", a).se == pytest.approx(b.se, rel=1e-9)
        assert row(t, "fgt_compare", a).estimate == pytest.approx(c.estimate, rel=1e-12)
        assert row(t, "fgt_compare", a).se == pytest.approx(c.se, rel=1e-9)
    ch = row(t, "change", "1")
    assert ch.df == row(t, "fgt_base", "1").df + row(t, "fgt_compare", "1").df
    assert ch.n == row(t, "fgt_base", "1").n + row(t, "fgt_compare", "1").n


def test_lines_by_and_sectors(round2):
    base, comp = round2
    rel = table(change(base, comp, "--relative", "0.6:median", "--price-ratio", str(RATIO),
                       "--alpha", "0"))
    p1 = table(run("poverty", base, "--income", "cons_pc", *DESIGN, "--relative", "0.6:median",
                   "--indicators", "fgt0"))
    assert row(rel, "fgt_base").estimate == pytest.approx(row(p1, "fgt0", "").estimate, rel=1e-12)
    assert row(rel, "fgt_base").se == pytest.approx(row(p1, "fgt0", "").se, rel=1e-9)
    per = table(change(base, comp, "--line-col", "line_region", "--price-ratio", str(RATIO),
                       "--alpha", "1", "--by", "urban", "--sector", "sector", "--format", "csv"))
    groups = set(per.group)
    assert {"all", "urban: 0", "urban: 1", "sector: 0", "sector: 1", "sector: 2"} <= groups
    tot = {k: row(per, f"sectoral:{k}", "1").estimate
           for k in ("change", "within", "shift", "interaction")}
    assert abs(tot["within"] + tot["shift"] + tot["interaction"] - tot["change"]) < 1e-15
    for k in ("within", "shift", "interaction"):
        s = sum(row(per, f"sectoral:{k}", "1", f"sector: {g}").estimate for g in range(3))
        assert s == pytest.approx(tot[k], abs=1e-15)
    shares = sum(row(per, "sectoral:share_base", "1", f"sector: {g}").estimate for g in range(3))
    assert shares == pytest.approx(1.0, rel=1e-14)
    js = json.loads(change(base, comp, "--line", "650000", "--alpha", "0",
                           "--format", "json").stdout)
    assert len(js) == 10


def test_groups_of_one_round_are_named(round2, tmp_path):
    """The base round coded urban 0/1 in a CSV file, the compare round an
    SPSS file whose value labels rural/urban replace the codes: no group is
    in both rounds, every --by and --sector part that reads both is empty,
    and stderr names the groups each round alone has and why (the text
    matches groups), not only that "a domain has no usable observation"."""
    import os
    import subprocess
    base, comp = round2
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    sav = tmp_path / "compare.sav"
    subprocess.run([make_sav, comp, sav, "urban"], check=True)
    p = change(base, sav, "--line", "650000", "--alpha", "0", "--by", "urban", "--sector",
               "urban")
    t = table(p)
    assert {"urban: 0", "urban: 1", "urban: rural", "urban: urban"} <= set(t.group)
    assert t[(t.group != "all") & (t.indicator == "change")].estimate.isna().all()
    for opt in ("--by", "--sector"):
        assert (f"{opt} urban: 2 groups only in the base round ({base}): urban: 0, urban: 1; "
                f"2 groups only in the compare round ({sav}): urban: rural, urban: urban"
                in p.stderr)
    assert "Groups are matched by their text" in p.stderr
    # the same groups in both rounds: nothing said
    q = change(base, comp, "--line", "650000", "--alpha", "0", "--by", "urban")
    assert "only in the" not in q.stderr


def test_usage_errors(round2):
    base, comp = round2
    p = run("change", base, "--income", "cons_pc", "--line", "1", expect=2)
    assert "two input files" in p.stderr
    p = run("change", base, comp, comp, "--income", "cons_pc", "--line", "1", expect=2)
    assert "two input files" in p.stderr
    # an unknown option's value is not taken for a third file: the option is named
    for opt in ("--bogus", "--threads"):
        p = run("change", base, comp, "--income", "cons_pc", "--line", "1", opt, "4", expect=2)
        assert f"socind change: unknown option {opt}" in p.stderr
        assert "two input files" not in p.stderr
    p = change(base, comp, expect=2)
    assert "exactly one of --line" in p.stderr
    p = change(base, comp, "--line", "650000", "--price-ratio", "0", expect=2)
    assert "--price-ratio" in p.stderr
    p = change(base, comp, "--line", "650000", "--alpha", "1,1.0", expect=2)
    assert '--alpha lists 1.0 twice (as "1" and "1.0")' in p.stderr
    p = change(base, comp, "--line", "650000", "--alpha", "-1", expect=2)
    assert "--alpha" in p.stderr
    p = change(base, comp, "--line", "650000", "--rake", "x.csv", expect=2)
    assert "--rake" in p.stderr
    p = run("change", base, comp, "--line", "650000", expect=2)
    assert "--income" in p.stderr
    h = run("help", "change")
    assert "usage: socind change BASE_FILE COMPARE_FILE" in h.stdout
    assert "--price-ratio" in h.stdout
    assert "change" in run("help").stdout


def test_missing_column(round2):
    base, comp = round2
    p = run("change", base, comp, "--income", "cons_pc", *DESIGN, "--line", "650000", "--sector",
            "no_such_column", expect=1)
    assert "no_such_column" in p.stderr


def test_one_file_two_rounds():
    """--base-subset and --compare-subset: both rounds from the bundled
    sample's one file, each as socind poverty --subset reads it."""
    hh = ROOT / "data" / "sample" / "households.csv"
    d = ["--income", "exp_pc", "--weight", "weight_person", "--strata", "stratum", "--psu", "psu"]
    t = table(run("change", hh, hh, "--base-subset", "year=2023", "--compare-subset", "year=2024",
                  *d, "--line-col", "poverty_line", "--alpha", "0", "--price-ratio", "1.0367"))
    for year, ind in (("2023", "fgt_base"), ("2024", "fgt_compare")):
        p = table(run("poverty", hh, "--subset", f"year={year}", *d, "--line-col", "poverty_line",
                      "--indicators", "fgt0"))
        assert row(t, ind).estimate == pytest.approx(row(p, "fgt0", "").estimate, rel=1e-12)
        assert row(t, ind).se == pytest.approx(row(p, "fgt0", "").se, rel=1e-9)


def test_rounds_must_be_independent(round2, tmp_path):
    """The same file twice needs both subsets; shared (stratum, PSU) ids are
    counted on stderr; disjoint PSUs give no warning."""
    base, comp = round2
    hh = ROOT / "data" / "sample" / "households.csv"
    d = ["--income", "exp_pc", "--weight", "weight_person", "--strata", "stratum", "--psu", "psu",
         "--line", "560000", "--alpha", "0"]
    p = run("change", hh, hh, *d, expect=2)
    assert "the same file" in p.stderr and "--base-subset" in p.stderr
    p = run("change", hh, hh, "--base-subset", "year=2023", *d, expect=2)
    assert "the same file" in p.stderr
    p = run("change", hh, hh, "--base-subset", "year=2023", "--compare-subset", "year=2023", *d,
            expect=2)
    assert "select the same rows" in p.stderr
    p = run("change", hh, hh, "--base-subset", "year=2023", "--compare-subset", "year=2024", *d)
    assert "warning: 165 of round 2's 192 (stratum, PSU) ids are also round 1's (of 183)" \
        in p.stderr
    assert "not independent" in p.stderr
    # round 2 with PSU ids of its own: no warning
    r2 = pd.read_csv(comp)
    r2["psu"] = r2.psu + 10_000_000
    own = tmp_path / "compare_own_psus.csv"
    r2.to_csv(own, index=False)
    p = change(base, own, "--line", "650000", "--alpha", "1")
    assert "warning" not in p.stderr
    p = change(base, comp, "--line", "650000", "--alpha", "1")
    assert "(stratum, PSU) ids are also round 1's" in p.stderr


def test_refused_options_and_where(round2):
    base, comp = round2
    p = change(base, comp, "--line", "650000", "--domain-rule", "full", expect=2)
    assert "--domain-rule is not taken" in p.stderr and "FULL" in p.stderr
    p = change(base, comp, "--line", "650000", "--by", "urban", "--by", "sector", expect=2)
    assert "--by is given twice" in p.stderr and "one column" in p.stderr
    # --where: the rows outside leave every estimate, not the design — as
    # socind poverty --where gives P1 and P2 on each file
    t = table(change(base, comp, "--line", "650000", "--price-ratio", str(RATIO), "--alpha", "1",
                     "--where", "urban=1"))
    for f, ind, z in ((base, "fgt_base", 650000), (comp, "fgt_compare", 650000 * RATIO)):
        p = table(run("poverty", f, "--income", "cons_pc", *DESIGN, "--line", str(z),
                      "--where", "urban=1", "--indicators", "fgt1"))
        assert row(t, ind, "1").estimate == pytest.approx(row(p, "fgt1", "").estimate, rel=1e-12)
        assert row(t, ind, "1").se == pytest.approx(row(p, "fgt1", "").se, rel=1e-9)
        assert row(t, ind, "1").n == row(p, "fgt1", "").n


def test_help_states_the_contract():
    h = run("help", "change").stdout
    assert "independent samples" in h
    assert "held fixed in real terms" in h
    assert "--where" in h
