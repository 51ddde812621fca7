# SPDX-License-Identifier: GPL-3.0-or-later
"""--where COND (the estimate restricted to the rows meeting every condition,
the whole design kept: R's subset() of a design) against the library's
estimate by domain; --where against --subset (which drops rows before the
design is built); bad conditions; and --domain-rule on a design with a
single-PSU stratum."""
import io
import math
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

REF = ROOT / "tests" / "reference"
HH = str(REF / "poverty" / "households.csv")
KIDS = str(REF / "growth" / "inputs.csv")
DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]


def table(*args):
    p = run(*args)
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                       float_precision="round_trip", dtype={"parameter": str, "group": str})


def close(a, b, rel=1e-12):
    return abs(a - b) <= rel * abs(b)


@pytest.fixture(scope="module")
def hh():
    return pd.read_csv(HH)


@pytest.fixture(scope="module")
def design(hh):
    return socind.Design(hh.w_person.values, strata=hh.stratum.values, psu=hh.psu.values)


def domain(mask):
    return pd.Series(np.where(mask, "in", None))


# every condition must hold: rows with urban = 1, prov != 33 and cons_pc >= 600000
WHERE = ["--where", "urban=1", "--where", "prov!=33", "--where", "cons_pc>=600000"]


def where_mask(hh):
    return (hh.urban == 1) & (hh.prov != 33) & (hh.cons_pc >= 600000)


def test_where_equals_the_library_by_domain(hh, design):
    m = where_mask(hh)
    assert 0 < m.sum() < len(hh)
    y = hh.cons_pc.values
    got = table("poverty", HH, *DESIGN, "--line", "700000", "--indicators", "fgt0,fgt1,watts,poor",
                *WHERE).set_index("indicator")
    assert list(got.group.unique()) == ["all"]
    want = {"fgt0": socind.fgt(y, 700000, 0, design=design, by=domain(m)),
            "fgt1": socind.fgt(y, 700000, 1, design=design, by=domain(m)),
            "watts": socind.watts(y, 700000, design=design, by=domain(m)),
            "poor": socind.poor_count(y, 700000, design=design, by=domain(m))}
    for ind, w in want.items():
        assert close(got.loc[ind, "estimate"], w.loc["in", "value"]), ind
        assert close(got.loc[ind, "se"], w.loc["in", "se"]), ind
        assert got.loc[ind, "n"] == w.loc["in", "n"]
        assert got.loc[ind, "df"] == 267  # the whole design's
    # a relative line stays the whole sample's (convey's full design)
    got = table("poverty", HH, *DESIGN, "--relative", "0.6:median", "--indicators", "fgt0",
                *WHERE)  # not --inclusive: poor means y < z, as the library's default
    w = socind.fgt(y, socind.relative_line(0.6), 0, design=design, by=domain(m))
    assert close(got.estimate[0], w.loc["in", "value"])
    assert close(got.se[0], w.loc["in", "se"])


def test_where_with_by_and_inequality(hh, design):
    m = where_mask(hh)
    y = hh.cons_pc.values
    got = table("inequality", HH, *DESIGN, "--indicators", "gini,mean", "--by", "district",
                *WHERE)
    # the districts only rows outside --where have are not groups
    assert set(got.group) - {"all"} == {f"district: {d}" for d in sorted(hh.district[m].unique())}
    by = pd.Series(np.where(m, hh.district.astype(str), None))
    for ind, fn in (("gini", socind.gini), ("mean", socind.mean)):
        w = fn(y, design=design, by=by)
        g = got[got.indicator == ind].set_index("group")
        for d in hh.district[m].unique():
            assert close(g.loc[f"district: {d}", "estimate"], w.loc[str(d), "value"])
            assert close(g.loc[f"district: {d}", "se"], w.loc[str(d), "se"])


def test_where_differs_from_subset(tmp_path):
    # stratum 1 has three PSUs; --where/--subset keep rows of two of them:
    # --subset leaves a design with n_h = 2, --where keeps n_h = 3
    rows = ["y,w,s,p,keep"]
    vals = [(10, 1, 1, 1, 1), (14, 2, 1, 1, 1), (9, 1, 1, 2, 1), (30, 1, 1, 2, 1),
            (12, 3, 1, 3, 0), (25, 1, 1, 3, 0), (7, 2, 2, 4, 1), (11, 1, 2, 4, 1),
            (16, 1, 2, 5, 1), (8, 2, 2, 5, 1)]
    rows += [",".join(map(str, v)) for v in vals]
    f = tmp_path / "d.csv"
    f.write_text("\n".join(rows) + "\n")
    d = ["--income", "y", "--weight", "w", "--strata", "s", "--psu", "p", "--indicators", "mean"]
    wh = table("inequality", f, *d, "--where", "keep=1")
    su = table("inequality", f, *d, "--subset", "keep=1")
    assert close(wh.estimate[0], su.estimate[0])
    assert not close(wh.se[0], su.se[0], 1e-6)
    assert wh.df[0] == 3 and su.df[0] == 2
    # --where against the library by domain on the whole design
    t = pd.read_csv(f)
    des = socind.Design(t.w.values, strata=t.s.values, psu=t.p.values)
    w = socind.mean(t.y.values.astype(float), design=des, by=domain(t.keep == 1))
    assert close(wh.se[0], w.loc["in", "se"])
    # a missing value meets no condition, != included
    f2 = tmp_path / "m.csv"
    f2.write_text("\n".join(rows[:1] + [r if i != 3 else r[:-1] for i, r in
                                        enumerate(rows[1:], 1)]) + "\n")
    p = run("inequality", f2, *d, "--where", "keep!=0")
    assert "1 row has no value in column \"keep\"" in p.stderr
    assert ("1 row has no value in column \"keep\" (--where); it does not meet --where keep!=0 "
            "and is outside every estimate (it stays in the design)\n") in p.stderr, p.stderr
    got = pd.read_csv(io.StringIO(p.stdout))
    assert got.n[0] == 7  # the 8 rows with keep = 1 but the one without a value


def test_where_in_nutrition_equals_its_domain_rows():
    g = ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight", "--lenhei-cm",
         "lenhei", "--measure", "measure", "--oedema", "oedema", "--weight", "sw", "--strata",
         "strata", "--psu", "cluster"]
    wh = table("nutrition", KIDS, *g, "--where", "typeres=Urban")
    by = table("nutrition", KIDS, *g, "--by", "typeres")
    a = wh[wh.group == "All"].set_index("indicator")
    b = by[by.group == "typeres: Urban"].set_index("indicator")
    assert len(a) > 10 and list(a.index) == list(b.index)
    for ind in a.index:
        for col in ("estimate", "se", "n"):
            x, y = a.loc[ind, col], b.loc[ind, col]
            assert (math.isnan(x) and math.isnan(y)) or close(x, y, 1e-10), (ind, col)


@pytest.mark.parametrize("cond,message", [
    ("=3", "--where must be COL=V, COL!=V, COL<V, COL<=V, COL>V or COL>=V"),
    ("urban", "--where must be COL=V"),
    ("urban!3", "--where must be COL=V"),
    ("cons_pc<abc", "--where cons_pc<abc: < compares numbers: \"abc\" is not a number"),
    # an operator followed by another reads two ways: refused
    ("cons_pc>>3", "--where must be COL=V"),
    ("urban==1", "--where must be COL=V"),
    ("urban=>1", "--where must be COL=V"),
    ("urban<>1", "--where must be COL=V"),
])
def test_bad_conditions(cond, message):
    p = run("inequality", HH, *DESIGN, "--where", cond, expect=2)
    assert message in p.stderr


def test_where_refusals():
    p = run("inequality", HH, *DESIGN, "--where", "nosuch=1", expect=1)
    assert "no column \"nosuch\" (named by --where)" in p.stderr
    p = run("inequality", HH, *DESIGN, "--where", "urban=7", expect=1)
    assert "no row meets --where urban=7" in p.stderr
    p = run("poverty", HH, *DESIGN, "--line", "5", "--subset", "urban<3", expect=2)
    assert "--subset must be COL=VALUE" in p.stderr
    p = run("poverty", HH, *DESIGN, "--line", "5", "--decompose-by", "urban", "--where",
            "prov=33", expect=2)
    assert "does not combine with --where" in p.stderr


# ---------------------------------------------------------------- --domain-rule

def lonely_file(tmp_path):
    # strata 1 (3 PSUs), 2 (2 PSUs), 3 (1 PSU: lonely), 4 (2 PSUs); domain
    # "a" has rows in strata 1, 2 and 3 only
    vals = [(1, 1, "a"), (1, 2, "b"), (1, 3, "a"), (2, 4, "a"), (2, 5, "a"), (3, 6, "a"),
            (4, 7, "b"), (4, 8, "b")]
    rows = ["y,w,s,p,dom"]
    for i, (s, p, dom) in enumerate(vals):
        for k in range(2):
            rows.append(f"{100 + 37 * ((3 * i + 5 * k) % 7)},{1 + (i + k) % 3},{s},{p},{dom}")
    f = tmp_path / "lonely.csv"
    f.write_text("\n".join(rows) + "\n")
    return f


def test_domain_rule(tmp_path):
    f = lonely_file(tmp_path)
    d = ["--income", "y", "--weight", "w", "--strata", "s", "--psu", "p", "--lonely-psu",
         "average", "--by", "dom"]

    def se(cmd, ind, rule, extra=()):
        t = table(cmd, f, *d, "--indicators", ind, "--domain-rule", rule, *extra)
        return t.set_index("group").se["dom: a"]
    # average: SUBSET multiplies by 3/2 (three strata present, one lonely),
    # FULL by 4/3 (four strata, one lonely)
    ratio = math.sqrt((4 / 3) / (3 / 2))
    for cmd, ind, extra, auto in (("inequality", "mean", (), "subset"),
                                  ("inequality", "gini", (), "subset"),
                                  ("poverty", "fgt0", ("--line", "200"), "full"),
                                  ("poverty", "poor", ("--line", "200"), "subset")):
        s, fu, au = (se(cmd, ind, r, extra) for r in ("subset", "full", "auto"))
        assert close(fu / s, ratio, 1e-12), (cmd, ind)
        assert au == (s if auto == "subset" else fu), (cmd, ind)
    p = run("inequality", f, *d, "--domain-rule", "svyby", expect=2)
    assert "--domain-rule must be auto, subset or full" in p.stderr


def test_labelled_column_compared_with_a_code(tmp_path):
    """A .dta/.sav column with value labels is compared as its categories'
    text (the labels): a condition naming a code that no category reads as
    (urban!=1 where 1 is labelled "urban") matched no row with = and every
    row with != (the whole sample, silently); it is refused naming the
    label to write. The label itself works, in --where and --select."""
    import subprocess
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    line = ["--line", "500000", "--indicators", "fgt0"]
    for ext in ("dta", "sav"):
        path = tmp_path / f"h.{ext}"
        subprocess.run([make_sav, HH, path, "urban"], check=True)
        for cond, label in (("urban!=1", "urban!=urban"), ("urban=0", "urban=rural")):
            p = run("poverty", path, *DESIGN, *line, "--where", cond, expect=1)
            assert f"write --where {label}" in p.stderr and p.stdout == ""
        by_label = run("poverty", path, *DESIGN, *line, "--where", "urban!=urban").stdout
        assert by_label == run("poverty", HH, *DESIGN, *line, "--where", "urban!=1").stdout
        p = run("simulate", path, *DESIGN, "--line", "500000", "--amount", "1000",
                "--select", "urban=1", expect=1)
        assert "write --select urban=urban" in p.stderr
        assert run("simulate", path, *DESIGN, "--line", "500000", "--amount", "1000",
                   "--select", "urban=urban").stdout == \
            run("simulate", HH, *DESIGN, "--line", "500000", "--amount", "1000",
                "--select", "urban=1").stdout


@pytest.mark.parametrize("stream", ["1", "0"])
def test_number_written_otherwise_than_the_cells(tmp_path, monkeypatch, stream):
    """COL=V and COL!=V compare text: with cells "1" and "0", urban!=1.0 kept
    every row (silently) and urban=1.0 said only that no row meets it. A
    number that no cell is written as but some cell reads as is refused
    naming the cells' text, streamed or in memory; a value some cell is
    written as keeps the text comparison."""
    monkeypatch.setenv("SOCIND_STREAM", stream)
    line = ["--line", "500000", "--indicators", "fgt0"]
    for cond, text in (("urban!=1.0", "urban!=1"), ("urban=1.0", "urban=1"),
                       ("urban=01", "urban=1"), ("urban!=1e0", "urban!=1"),
                       ("urban=+1", "urban=1"), ("urban= 0.0 ", "urban=0")):
        p = run("poverty", HH, *DESIGN, *line, "--where", cond, expect=1)
        assert f'no cell is "{cond.split("=")[1].strip()}"' in p.stderr, p.stderr
        assert f"write --where {text}" in p.stderr and p.stdout == ""
    p = run("simulate", HH, *DESIGN, "--line", "500000", "--amount", "1000",
            "--select", "urban=1.0", expect=1)
    assert "write --select urban=1" in p.stderr
    # not a number, or a number no cell reads as: the text comparison's answer
    assert "no row meets --where urban=2.0" in run("poverty", HH, *DESIGN, *line, "--where",
                                                   "urban=2.0", expect=1).stderr
    # cells written two ways: each is its own text; a third spelling is refused,
    # naming one and counting the other
    hh = pd.read_csv(HH)
    u = hh["urban"].astype(str)
    u[(hh["urban"] == 1) & (hh.index % 2 == 0)] = "1.0"
    path = tmp_path / "two.csv"
    hh.assign(urban=u).to_csv(path, index=False)
    kept = run("poverty", path, *DESIGN, *line, "--where", "urban!=1.0").stdout
    assert kept != run("poverty", path, *DESIGN, *line, "--where", "urban!=1").stdout
    p = run("poverty", path, *DESIGN, *line, "--where", "urban!=01", expect=1)
    assert "(and 1 other spelling of that number, each a category of its own)" in p.stderr


@pytest.mark.parametrize("stream", ["1", "0"])
def test_subset_value_written_otherwise_than_the_cells(tmp_path, monkeypatch, stream):
    """--subset COL=VALUE compares text as --where's = does: urban=1.0 on
    cells "1" said only that no row has urban = "1.0". It is refused naming
    the cells' text (or a .dta/.sav code's value label) and the option as
    typed, --base-subset and --compare-subset included; the text itself
    selects the rows."""
    monkeypatch.setenv("SOCIND_STREAM", stream)
    line = ["--line", "500000", "--indicators", "fgt0"]
    for cond, text in (("urban=1.0", "urban=1"), ("urban=01", "urban=1"),
                       ("urban= 0.0 ", "urban=0"), ("prov=32.0", "prov=32")):
        p = run("poverty", HH, *DESIGN, *line, "--subset", cond, expect=1)
        assert f'no cell is "{cond.split("=")[1].strip()}"' in p.stderr, p.stderr
        assert f"write --subset {text}" in p.stderr and p.stdout == ""
    # the second --subset checked against the whole file, not the rows the
    # first keeps
    p = run("poverty", HH, *DESIGN, *line, "--subset", "urban=1", "--subset", "prov=32.0",
            expect=1)
    assert "write --subset prov=32" in p.stderr
    # not a number, or a number no cell reads as: the old answer
    p = run("poverty", HH, *DESIGN, *line, "--subset", "urban=2.0", expect=1)
    assert 'no row has urban = "2.0" (--subset)' in p.stderr
    two = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu",
           "--line", "500000"]
    p = run("change", HH, HH, *two, "--base-subset", "urban=1.0", "--compare-subset", "urban=0",
            expect=1)
    assert "write --base-subset urban=1" in p.stderr and p.stdout == ""
    p = run("gic", HH, HH, *two, "--base-subset", "urban=1", "--compare-subset", "urban=0.0",
            expect=1)
    assert "write --compare-subset urban=0" in p.stderr and p.stdout == ""
    p = run("gic", HH, HH, *two, "--base-subset", "urban=1", "--compare-subset", "urban=7",
            expect=1)
    assert 'no row has urban = "7" (--compare-subset)' in p.stderr
    import subprocess
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    for ext in ("dta", "sav"):
        path = tmp_path / f"h.{ext}"
        subprocess.run([make_sav, HH, path, "urban"], check=True)
        for cond, label in (("urban=1", "urban=urban"), ("urban=0", "urban=rural")):
            p = run("poverty", path, *DESIGN, *line, "--subset", cond, expect=1)
            assert "its value label" in p.stderr
            assert f"write --subset {label}" in p.stderr and p.stdout == ""
        assert run("poverty", path, *DESIGN, *line, "--subset", "urban=urban").stdout == \
            run("poverty", HH, *DESIGN, *line, "--subset", "urban=1").stdout
