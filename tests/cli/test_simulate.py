# SPDX-License-Identifier: GPL-3.0-or-later
"""socind simulate: the figures equal the library's (socind.simulate_transfer
through the binding) for the same transfer and selection rule; --select
(every condition holds, --where's syntax), --select-poorest, --amount-by
with --amounts, --by and --where; the usage errors and data errors."""
import io
import os
import pathlib
import sys

import numpy as np
import pandas as pd
import pytest
from cli_env import run

ROOT = pathlib.Path(__file__).resolve().parents[2]
os.environ.setdefault("SOCIND_LIBRARY", str(ROOT / "build" / "libsocind.so"))
sys.path.insert(0, str(ROOT / "bindings" / "python"))
import socind  # noqa: E402

HH = str(ROOT / "tests" / "reference" / "poverty" / "households.csv")
DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]
HOUSEHOLD = ["--amount", "300000", "--per", "household", "--household-size", "hhsize"]
COLUMNS = ["indicator", "parameter", "group", "estimate", "se", "ci_low", "ci_high", "df", "n",
           "weight_sum"]


def table(*args):
    p = run(*args)
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                       float_precision="round_trip", dtype={"parameter": str, "group": str})


@pytest.fixture(scope="module")
def hh():
    return pd.read_csv(HH)


@pytest.fixture(scope="module")
def design(hh):
    return socind.Design(hh.w_person.values, strata=hh.stratum.values, psu=hh.psu.values)


def row(t, ind, par, group="all"):
    r = t[(t.indicator == ind) & (t.parameter == par) & (t.group == group)]
    assert len(r) == 1, (ind, par, group)
    return r.iloc[0]


def same(a, b, rel):
    return a == b if rel == 0 else a == pytest.approx(b, rel=rel, abs=0)


def check_against(t, lib, group="all", rel=0.0):
    """Every row of the command's table against the binding's dict (the
    same library: equal, or within rel where a build's optimization may
    move the last bits of the kernel density)."""
    for a in ("0", "1", "2"):
        for p in ("before", "after", "change"):
            e = lib[f"fgt{a}_{p}"]
            r = row(t, f"fgt{a}", p, group)
            assert same(r.estimate, e.value, rel) and same(r.se, e.se, rel)
            assert same(r.ci_low, e.ci_low, rel) and same(r.ci_high, e.ci_high, rel)
        e = lib[f"fgt{a}_per_unit"]
        assert same(row(t, f"fgt{a}_reduction", "per_billion", group).estimate, e.value, rel)
    for ind in ("gini", "poor"):
        for p in ("before", "after", "change"):
            e = lib[f"{ind}_{p}"]
            assert same(row(t, ind, p, group).estimate, e.value, rel)
            assert same(row(t, ind, p, group).se, e.se, rel)
    assert same(row(t, "cost", "total", group).estimate, lib["cost"].value, rel)
    assert same(row(t, "lifted", "per_billion", group).estimate, lib["lifted_per_unit"].value,
                rel)


def test_household_transfer_with_a_rule(hh, design):
    t = table("simulate", HH, *DESIGN, "--line-col", "line_region", *HOUSEHOLD,
              "--select", "cons_pc<600000", "--select", "urban=0")
    assert list(t.columns) == COLUMNS
    sel = (hh.cons_pc < 600000) & (hh.urban == 0)
    lib = socind.simulate_transfer(hh.cons_pc.values, hh.line_region.values, 300000,
                                   design=design, per="household", household_size=hh.hhsize,
                                   select=sel.values)
    check_against(t, lib)
    # the change's paired SE is below that of two independent samples
    b, a, c = (row(t, "fgt0", p) for p in ("before", "after", "change"))
    assert c.se < np.hypot(b.se, a.se)
    # the cost: every selected household's weight × the amount
    assert row(t, "cost", "total").estimate == pytest.approx(
        (hh.w_hh[sel] * 300000).sum(), rel=1e-6)


def test_select_poorest_is_a_fixed_rule(hh, design):
    p = run("simulate", HH, *DESIGN, "--line", "519750", "--amount", "50000",
            "--select-poorest", "0.1")
    t = pd.read_csv(io.StringIO(p.stdout), float_precision="round_trip",
                    dtype={"parameter": str, "group": str})
    assert "weighted 0.1-quantile" in p.stderr
    q = socind.quantile(hh.cons_pc.values, 0.1, design=design).value
    lib = socind.simulate_transfer(hh.cons_pc.values, 519750.0, 50000, design=design,
                                   select=(hh.cons_pc <= q).values)
    check_against(t, lib)


def test_select_poorest_over_where(hh, design):
    """--select-poorest's quantile is that of the rows --where keeps."""
    p = run("simulate", HH, *DESIGN, "--line", "519750", "--amount", "50000",
            "--select-poorest", "0.1", "--where", "urban=1")
    t = pd.read_csv(io.StringIO(p.stdout), float_precision="round_trip",
                    dtype={"parameter": str, "group": str})
    assert "over the rows --where keeps" in p.stderr
    u = hh[hh.urban == 1]
    # the weighted quantile's value depends on the rows and weights only
    qv = socind.quantile(u.cons_pc.values, 0.1, design=socind.Design(u.w_person.values)).value
    q_all = socind.quantile(hh.cons_pc.values, 0.1, design=design).value
    assert qv != q_all
    assert f"{qv:.17g}" in p.stderr
    lib = socind.simulate_transfer(hh.cons_pc.values, 519750.0, 50000, design=design,
                                   select=(hh.cons_pc <= qv).values,
                                   by=pd.Series(np.where(hh.urban == 1, "in", None)))
    check_against(t, {k: _est(lib.loc[("in", k)]) for k in _keys(lib)})


def test_amount_by_group_by_and_where(hh, design):
    t = table("simulate", HH, *DESIGN, "--line", "519750", "--amount-by", "urban",
              "--amounts", "0=200000,1=100000", "--select", "cons_pc<700000",
              "--by", "urban", "--where", "prov!=33", "--alpha", "0,1,2")
    sel = (hh.cons_pc < 700000).values
    dom = np.where(hh.prov != 33, "in", None)
    lib = socind.simulate_transfer(hh.cons_pc.values, 519750.0, design=design,
                                   amount_by=hh.urban, amounts={0: 200000.0, 1: 100000.0},
                                   select=sel, by=pd.Series(dom))
    check_against(t, {k: _est(lib.loc[("in", k)]) for k in _keys(lib)})
    lib_u = socind.simulate_transfer(hh.cons_pc.values, 519750.0, design=design,
                                     amount_by=hh.urban, amounts={0: 200000.0, 1: 100000.0},
                                     select=sel, by=pd.Series(np.where(hh.prov != 33,
                                                                       hh.urban, None)))
    for g in (0, 1):
        check_against(t, {k: _est(lib_u.loc[(g, k)]) for k in _keys(lib_u)}, f"urban: {g}")


class _est:
    def __init__(self, r):
        self.value, self.se, self.ci_low, self.ci_high = r.value, r.se, r.ci_low, r.ci_high


def _keys(df):
    return list(dict.fromkeys(df.index.get_level_values(-1)))


def test_relative_line(hh, design):
    t = table("simulate", HH, *DESIGN, "--relative", "0.5:mean", "--amount", "100000",
              "--select", "cons_pc<700000")
    lib = socind.simulate_transfer(hh.cons_pc.values, socind.relative_line(0.5, of="mean"),
                                   100000, design=design, select=(hh.cons_pc < 700000).values)
    check_against(t, lib, rel=1e-12)


def test_zero_amount_changes_nothing():
    t = table("simulate", HH, *DESIGN, "--line", "519750", "--amount", "0")
    for ind in ("fgt0", "fgt1", "fgt2", "gini", "poor"):
        assert row(t, ind, "before").estimate == row(t, ind, "after").estimate
        assert row(t, ind, "change").estimate == 0 and row(t, ind, "change").se == 0
    assert row(t, "cost", "total").estimate == 0
    assert np.isnan(row(t, "lifted", "per_billion").estimate)


def test_cost_unit():
    t = table("simulate", HH, *DESIGN, "--line", "519750", "--amount", "1000",
              "--cost-unit", "1e6")
    u = table("simulate", HH, *DESIGN, "--line", "519750", "--amount", "1000")
    assert row(t, "lifted", "per_1e+06").estimate == pytest.approx(
        row(u, "lifted", "per_billion").estimate / 1000, rel=1e-14)


def test_levy_per_billion_figures_are_negative(hh, design):
    """A negative amount (a levy): the cost is negative and poverty rises,
    so the reductions and people lifted per billion come out negative
    (divided by the cost's size), as the library's."""
    t = table("simulate", HH, *DESIGN, "--line", "519750", "--amount", "-300000",
              "--per", "household", "--household-size", "hhsize")
    assert row(t, "cost", "total").estimate < 0
    assert row(t, "poor", "change").estimate > 0
    assert row(t, "lifted", "per_billion").estimate < 0
    for a in ("0", "1", "2"):
        assert row(t, f"fgt{a}", "change").estimate > 0
        assert row(t, f"fgt{a}_reduction", "per_billion").estimate < 0
    lib = socind.simulate_transfer(hh.cons_pc.values, 519750, -300000, design=design,
                                   per="household", household_size=hh.hhsize.values)
    check_against(t, lib)


@pytest.mark.parametrize("args,message", [
    (["--line", "519750"], "--amount X, or --amount-by"),
    (["--line", "519750", "--amount", "1", "--amount-by", "urban", "--amounts", "0=1"],
     "one of them"),
    (["--line", "519750", "--amount-by", "urban"], "go together"),
    (["--amount", "1"], "exactly one of --line"),
    (["--relative", "0.6:mode", "--amount", "1"], "F:median or F:mean"),
    (["--line", "1", "--relative", "0.6:median", "--amount", "1"], "exactly one of"),
    (["--line", "519750", "--amount", "1", "--per", "household"], "--household-size"),
    (["--line", "519750", "--amount", "1", "--per", "family"], "person or household"),
    (["--line", "519750", "--amount", "1", "--household-size", "hhsize"], "--per household"),
    (["--line", "519750", "--amount", "1", "--select", "decile"], "--select must be"),
    (["--line", "519750", "--amount", "1", "--alpha", "0,-1"], "not >= 0"),
    (["--line", "519750", "--amount", "1", "--alpha", "0,1,2,3,4,5,6"], "at most 6"),
    (["--line", "519750", "--amount", "1", "--select-poorest", "1.5"], "(0, 1)"),
    (["--line", "519750", "--amount", "1", "--cost-unit", "0"], "> 0"),
    (["--line", "519750", "--amount", "1", "--cost-unit", "1e-320"], "at least 2.22507e-308"),
    (["--line", "519750", "--amount-by", "urban", "--amounts", "0"], "GROUP=AMOUNT"),
    (["--line", "519750", "--amount-by", "urban", "--amounts", "0=1,0=2"], "twice"),
    (["--line", "519750", "--amount-by", "urban", "--amounts", "0=1,,1=2"], "empty item"),
    (["--line", "519750", "--amount-by", "urban", "--amounts", ",0=1,1=2"], "empty item"),
    (["--line", "519750", "--amount-by", "urban", "--amounts", "0=1,1=2,"], "empty item"),
    (["--line", "519750", "--amount-by", "urban", "--amounts", "0=1, ,1=2"], "empty item"),
    (["--line", "519750", "--amount-by", "urban", "--amounts", "0=1, =2"], "no group name"),
    (["--line", "519750", "--amount", "1", "--alpha", "0,,1"], "empty item"),
    (["--line", "519750", "--amount", "1", "--alpha", "0,1,0.0"],
     '--alpha lists 0.0 twice (as "0" and "0.0")'),
])
def test_usage_errors(args, message):
    p = run("simulate", HH, *DESIGN, *args, expect=2)
    assert message in p.stderr


def test_data_errors(tmp_path):
    p = run("simulate", HH, *DESIGN, "--line", "519750", "--amount-by", "urban",
            "--amounts", "0=1,7=2", expect=1)
    assert "no row" in p.stderr and '"7"' in p.stderr
    # a selected household without a size: the line is named
    hh = pd.read_csv(HH)
    hh.loc[4, "hhsize"] = 0
    f = tmp_path / "hh.csv"
    hh.to_csv(f, index=False)
    p = run("simulate", f, *DESIGN, "--line", "519750", "--amount", "1", "--per", "household",
            "--household-size", "hhsize", expect=1)
    assert "line 6" in p.stderr
    # a selected household whose size is missing: named with the count and
    # the way out (it had been the library's "household_size[3] is nan")
    hh = pd.read_csv(HH)
    hh.loc[[4, 9], "hhsize"] = np.nan
    hh.to_csv(f, index=False)
    p = run("simulate", f, *DESIGN, "--line", "519750", "--amount", "1", "--per", "household",
            "--household-size", "hhsize", expect=1)
    assert '2 selected rows have no value in column "hhsize" (--household-size), ' \
        "the first at line 6" in p.stderr
    assert "--where" in p.stderr and "nan" not in p.stderr
    # not selected, its size is not needed
    p = run("simulate", f, *DESIGN, "--line", "519750", "--amount", "1", "--per", "household",
            "--household-size", "hhsize", "--select", "hh_id!=%d" % hh.hh_id[4],
            "--select", "hh_id!=%d" % hh.hh_id[9])
    # one row missing a --select value: said in the singular
    hh = pd.read_csv(HH)
    hh["pkh"] = 1.0
    hh.loc[3, "pkh"] = np.nan
    hh.to_csv(f, index=False)
    # (the cells read "1.0": --select pkh=1 is refused naming that text)
    p = run("simulate", f, *DESIGN, "--line", "519750", "--amount", "1", "--select", "pkh=1",
            expect=1)
    assert "write --select pkh=1.0" in p.stderr
    p = run("simulate", f, *DESIGN, "--line", "519750", "--amount", "1", "--select", "pkh=1.0")
    assert 'it does not meet --select pkh=1.0: no transfer for it' in p.stderr


def test_help():
    p = run("help", "simulate")
    assert "--select COND" in p.stdout and "--amount-by" in p.stdout
    assert "simulate" in run("help").stdout


def test_per_cost_figures_without_a_cost_say_why():
    """A reduction or "lifted" per unit of cost has no figure where the
    transfer costs nothing (an amount of 0, or no row selected in a group);
    stderr says so, not only that "a data value is invalid"."""
    for extra, group in ((["--amount", "0"], "(all)"),
                         (["--amount", "1000", "--select", "urban=1", "--by", "urban"],
                          "(urban: 0)")):
        p = run("simulate", HH, *DESIGN, "--line", "519750", *extra)
        for ind in ("fgt0_reduction", "fgt1_reduction", "fgt2_reduction", "lifted"):
            line = [s for s in p.stderr.splitlines() if s.startswith(f"socind simulate: {ind}:")]
            assert len(line) == 1, p.stderr
            assert group in line[0] and "the transfer costs nothing here" in line[0], line[0]
