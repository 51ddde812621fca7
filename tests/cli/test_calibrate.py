# SPDX-License-Identifier: GPL-3.0-or-later
"""The command's calibration options (--poststratify, --rake, --calibrate
--cal-method [--cal-bounds], --calibrated-weights) against the wave-2
reference, section D (R survey 4.5 / convey 1.0.1): every cal_* row of
expected.csv through `socind inequality` and `socind poverty`, and the
calibrated weights of every household; and the usage and target errors."""
import csv
import io
import math
import pathlib
import re

import numpy as np
import pandas as pd
import pytest
from cli_env import run

ROOT = pathlib.Path(__file__).resolve().parents[2]
W2 = ROOT / "tests" / "reference" / "wave2"
DESIGN = ["--weight", "w_person", "--strata", "stratum", "--psu", "psu"]
METHODS = ["poststratify", "rake", "linear", "raking", "logit"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The households with a column inv_hh = 1/hhsize, and the three targets
    files written from calibration_targets.csv."""
    d = tmp_path_factory.mktemp("cal")
    hh = pd.read_csv(W2 / "households.csv")
    hh["inv_hh"] = 1.0 / hh.hhsize
    hh.to_csv(d / "hh.csv", index=False, float_format="%.17g")
    tg = pd.read_csv(W2 / "calibration_targets.csv", dtype=str, keep_default_na=False)
    with open(d / "cells.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["urban", "sizecl", "total"])
        for r in tg[tg.used_by == "postStratify"].itertuples():
            u, s = r.level.split(":")
            w.writerow([u, s, r.total])
    with open(d / "margins.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["variable", "level", "total"])
        for r in tg[tg.used_by == "rake"].itertuples():
            w.writerow([r.variable, r.level, r.total])
    term = {"(Intercept)": "(Intercept)", "factor(urban)1": "urban:1",
            "factor(sizecl)2": "sizecl:2", "factor(sizecl)3": "sizecl:3",
            "I(1/hhsize)": "inv_hh"}
    with open(d / "terms.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["term", "total"])
        for r in tg[tg.used_by == "calibrate"].itertuples():
            w.writerow([term[r.variable], r.total])
    return d


def cal_args(d, method):
    if method == "poststratify":
        return ["--poststratify", d / "cells.csv"]
    if method == "rake":
        return ["--rake", d / "margins.csv"]
    extra = ["--cal-bounds", "0.5,2"] if method == "logit" else []
    return ["--calibrate", d / "terms.csv", "--cal-method", method, *extra]


def table(*args):
    p = run(*args)
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                       float_precision="round_trip", dtype={"parameter": str, "group": str})


def check(got, est, se):
    assert abs(got.estimate - est) <= 1e-8 * abs(est), (got.estimate, est)
    assert abs(got.se - se) <= max(1e-8 * se, 1e-12 * abs(est)), (got.se, se)


@pytest.mark.parametrize("method", METHODS)
def test_expected_rows_and_weights(files, method, tmp_path):
    ex = pd.read_csv(W2 / "expected.csv", float_precision="round_trip")
    ex = ex[ex.design == f"cal_{method}"]
    wfile = tmp_path / "w.csv"
    ineq = table("inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN,
                 *cal_args(files, method), "--indicators", "mean,total,population",
                 "--by", "urban", "--ci", "normal", "--calibrated-weights", wfile)
    pov = table("poverty", files / "hh.csv", "--income", "cons_pc", *DESIGN,
                *cal_args(files, method), "--indicators", "fgt0", "--line", "520000",
                "--inclusive", "--ci", "normal", "--prop-ci", "mean")
    n = 0
    for r in ex.itertuples():
        group = "all" if r.subgroup == "all" else "urban: " + r.subgroup.split("=")[1]
        src = pov if r.indicator == "fgt" else ineq
        name = "fgt0" if r.indicator == "fgt" else r.indicator
        got = src[(src.indicator == name) & (src.group == group)]
        assert len(got) == 1, (name, group)
        check(got.iloc[0], r.estimate, r.se)
        n += 1
    assert n == 6
    ref = pd.read_csv(W2 / f"weights_{method}.csv", float_precision="round_trip")
    w = pd.read_csv(wfile, float_precision="round_trip")
    assert list(w.columns) == ["row", "weight", "calibrated_weight"]
    assert (w.row.to_numpy() == range(1, len(ref) + 1)).all()
    assert (w.weight.to_numpy() == ref.w_person.to_numpy()).all()
    assert max(abs(w.calibrated_weight / ref.w_cal - 1)) < 1e-12


def test_usage_errors(files):
    base = ["inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN]
    p = run(*base, "--rake", files / "margins.csv", "--poststratify", files / "cells.csv",
            expect=2)
    assert "give one calibration" in p.stderr
    p = run(*base, "--calibrate", files / "terms.csv", expect=2)
    assert "--cal-method" in p.stderr
    p = run(*base, "--calibrate", files / "terms.csv", "--cal-method", "logit", expect=2)
    assert "--cal-bounds" in p.stderr
    p = run(*base, "--calibrate", files / "terms.csv", "--cal-method", "linear",
            "--cal-bounds", "0.5,2", expect=2)
    assert "logit" in p.stderr
    p = run(*base, "--calibrate", files / "terms.csv", "--cal-method", "logit",
            "--cal-bounds", "1.5,2", expect=2)
    assert "L < 1 < U" in p.stderr
    p = run(*base, "--calibrated-weights", "x.csv", expect=2)
    assert "needs --poststratify" in p.stderr


def test_target_errors(files, tmp_path):
    base = ["inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN]
    bad = tmp_path / "bad.csv"
    # a category without a sampled row: the targets file's line is named
    bad.write_text("variable,level,total\nurban,0,503200\nurban,1,686200\nurban,7,5\n"
                   "sizecl,1,98300\nsizecl,2,503600\nsizecl,3,587500\n")
    p = run(*base, "--rake", bad, expect=1)
    assert "bad.csv:4" in p.stderr and "no sampled row" in p.stderr
    # margins whose grand totals differ: the library's status, exit 3
    bad.write_text("variable,level,total\nurban,0,503200\nurban,1,686200\n"
                   "sizecl,1,98300\nsizecl,2,503600\nsizecl,3,600000\n")
    p = run(*base, "--rake", bad, expect=3)
    assert "disagree" in p.stderr
    # a level of the data without a total
    bad.write_text("variable,level,total\nurban,0,503200\n")
    p = run(*base, "--rake", bad, expect=1)
    assert "has no total" in p.stderr
    # a negative count: a data error naming the line, as a total that is no
    # number (it was the library's refusal, exit 3, naming no line), for
    # every option; a numeric term's total may be negative
    for opt, text, total in (
            (["--poststratify"], "urban,sizecl,total\n0,1,1\n0,2,-4\n0,3,1\n1,1,1\n1,2,1\n1,3,1\n",
             "-4"),
            (["--rake"], "variable,level,total\nurban,0,503200\nurban,1,-686200\n", "-686200"),
            (["--calibrate", "--cal-method", "linear"],
             "term,total\n(Intercept),1189400\nurban:1,-2\n", "-2")):
        bad.write_text(text)
        p = run(*base, opt[0], bad, *opt[1:], expect=1)
        assert f'bad.csv:3: the total "{total}" is negative' in p.stderr and opt[0] in p.stderr
    bad.write_text("term,total\n(Intercept),1189400\ninv_hh,-2\n")
    p = run(*base, "--calibrate", bad, "--cal-method", "linear", expect=3)  # (not met)
    assert "is negative" not in p.stderr
    # a grouping column twice in the header (it said no sampled row has
    # urban = "2", reading the second urban's values)
    bad.write_text("urban,urban,total\n0,1,5\n")
    p = run(*base, "--poststratify", bad, expect=1)
    assert 'bad.csv:1: column "urban" appears twice in the header' in p.stderr
    # a total that is not a number
    bad.write_text("term,total\n(Intercept),lots\n")
    p = run(*base, "--calibrate", bad, "--cal-method", "linear", expect=1)
    assert "bad.csv:2" in p.stderr
    # an unknown column
    bad.write_text("term,total\nnosuch,5\n")
    p = run(*base, "--calibrate", bad, "--cal-method", "linear", expect=1)
    assert "nosuch" in p.stderr


def semicolon_copy(src, dst, totals):
    """src's rows separated by ";" with decimal commas (and "." between the
    thousands of the columns named in totals), as a spreadsheet set to
    Indonesian saves them."""
    with open(src, newline="") as f:
        rows = list(csv.reader(f))
    out = [rows[0]]
    tc = [i for i, h in enumerate(rows[0]) if h in totals]
    for r in rows[1:]:
        r = [c.replace(".", ",") for c in r]
        for i in tc:
            whole, _, frac = r[i].partition(",")
            r[i] = f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else ",0")
        out.append(r)
    with open(dst, "w", newline="") as f:
        csv.writer(f, delimiter=";").writerows(out)


@pytest.mark.parametrize("method", METHODS)
def test_targets_follow_delimiter_and_decimal_comma(files, method, tmp_path):
    """A semicolon-separated targets file with decimal commas, beside a data
    file so written, under --decimal-comma: the estimates of the comma files
    (which test_expected_rows_and_weights checks against R)."""
    semicolon_copy(files / "hh.csv", tmp_path / "hh.csv", ())
    for name in ("cells.csv", "margins.csv", "terms.csv"):
        semicolon_copy(files / name, tmp_path / name, ("total",))
    assert "1.189.400,0" in (tmp_path / "terms.csv").read_text()
    ind = ["--indicators", "mean,total,population"]
    want = table("inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN,
                 *cal_args(files, method), *ind)
    args = [tmp_path / "hh.csv", "--income", "cons_pc", *DESIGN, *ind, "--decimal-comma"]
    if method == "logit":
        args += ["--cal-bounds", "0,5;2"]
    cal = [a for a in cal_args(tmp_path, method) if a != "0.5,2" and a != "--cal-bounds"]
    for extra in ([], ["--delimiter", "semicolon"]):
        got = table("inequality", *args, *cal, *extra)
        assert list(got.indicator) == list(want.indicator)
        assert np.allclose(got.estimate, want.estimate, rtol=1e-12, atol=0)
        assert np.allclose(got.se, want.se, rtol=1e-12, atol=0)
    # a header without the delimiter given: the message says which split it
    (tmp_path / "one.csv").write_text("term\n(Intercept)\n")
    p = run("inequality", tmp_path / "hh.csv", "--income", "cons_pc", *DESIGN, "--decimal-comma",
            "--calibrate", tmp_path / "one.csv", "--cal-method", "linear", "--delimiter",
            "semicolon", expect=1)
    assert "at least two columns, separated by commas (detected" in p.stderr, p.stderr


@pytest.mark.parametrize("method", METHODS)
def test_comma_targets_beside_delimiter_semicolon(files, method, tmp_path):
    """The comma-separated targets files (the one format read before the
    targets followed --delimiter) beside a semicolon-separated data file
    read with --delimiter semicolon: the header holds no ";", so its own
    delimiter, the comma, splits it, and the estimates are the comma data
    file's. Forcing --delimiter's ";" on them read each header as one column
    and refused the run."""
    with open(files / "hh.csv", newline="") as f:
        rows = list(csv.reader(f))
    with open(tmp_path / "hh.csv", "w", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    ind = ["--indicators", "mean,total,population"]
    want = table("inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN,
                 *cal_args(files, method), *ind)
    got = table("inequality", tmp_path / "hh.csv", "--income", "cons_pc", *DESIGN,
                *cal_args(files, method), *ind, "--delimiter", "semicolon")
    assert list(got.indicator) == list(want.indicator)
    assert list(got.estimate) == list(want.estimate) and list(got.se) == list(want.se)


def test_targets_decimal_comma_two_readings(files, tmp_path):
    """Under --decimal-comma a total is read as the number options are: one
    that reads two ways is refused naming both; without it "." is the
    decimal point."""
    bad = tmp_path / "terms.csv"
    bad.write_text("term;total\n(Intercept);1.189\n")
    semicolon_copy(files / "hh.csv", tmp_path / "hh.csv", ())
    p = run("inequality", tmp_path / "hh.csv", "--income", "cons_pc", *DESIGN, "--decimal-comma",
            "--calibrate", bad, "--cal-method", "linear", expect=1)
    assert "terms.csv:2" in p.stderr and "1189" in p.stderr and "reads two ways" in p.stderr


def test_negative_linear_weights_are_named(files, tmp_path):
    """Linear calibration to these terms makes some weights negative (as R's
    calibrate(calfun = "linear") does: weights() < 0 for the row of line 5),
    which the Gini refuses. The message named the file's weight, 40.17, as
    the weight that must be >= 0; it now names the calibrated weight."""
    wfile = tmp_path / "w.csv"
    args = ["inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN,
            *cal_args(files, "linear")]
    run(*args, "--indicators", "mean", "--calibrated-weights", wfile)
    w = pd.read_csv(wfile)
    assert w.weight[w.row == 4].item() == 40.17 and w.calibrated_weight[w.row == 4].item() < 0
    p = run(*args, "--indicators", "gini", expect=1)
    assert "hh.csv: line 5: gini: the calibrated weight is negative (the sampling weight, " \
           'column "w_person", is 40.170000000000002)' in p.stderr, p.stderr
    assert "--cal-method logit --cal-bounds L,U" in p.stderr
    assert "weights (--weight) must be finite and >= 0" not in p.stderr


def test_targets_line_ends_and_encodings(tmp_path):
    """A targets file is read with the data file's line ends and encodings:
    CR line ends (a CR-only file read as one line: "no targets after the
    header"), Windows-1252 under --encoding windows-1252 (its levels never
    matched the data's, which are UTF-8 however the data file is written);
    bytes that are not UTF-8 without it, and UTF-16, are refused saying so.
    Every accepted spelling gives the figures of the plain UTF-8 file."""
    data = tmp_path / "d.csv"
    data.write_bytes("y,w,g\n10,1,Café\n20,1,b\n30,1,Café\n40,2,b\n".encode("cp1252"))
    plain = tmp_path / "t.csv"
    plain.write_text("g,total\nCafé,10\nb,20\n", encoding="utf-8")
    base = ["inequality", data, "--income", "y", "--weight", "w", "--indicators", "total",
            "--encoding", "windows-1252", "--poststratify"]
    want = table(*base, plain)
    # (post-stratified: the total is 10 · mean(Café) + 20 · mean(b))
    assert abs(want.estimate[0] - (10 * 20 + 20 * (20 + 2 * 40) / 3)) < 1e-9
    text = "g,total\nCafé,10\nb,20\n"
    for name, raw in (("cr.csv", text.replace("\n", "\r").encode()),
                      ("crlf.csv", ("\ufeff" + text.replace("\n", "\r\n")).encode()),
                      ("w1252.csv", text.encode("cp1252"))):
        (tmp_path / name).write_bytes(raw)
        got = table(*base, tmp_path / name)
        assert got.estimate[0] == want.estimate[0], name
    p = run(*base[:-3], "--poststratify", tmp_path / "w1252.csv", expect=1)
    assert ("w1252.csv:2: bytes that are not UTF-8 (--poststratify); if the file is in "
            "Windows-1252, give --encoding windows-1252") in p.stderr, p.stderr
    (tmp_path / "u16.csv").write_bytes(text.encode("utf-16"))
    p = run(*base, tmp_path / "u16.csv", expect=1)
    assert "u16.csv: this is UTF-16 or UTF-32 text" in p.stderr, p.stderr


# ---------------------------------------------------------------- nutrition
KIDS = ROOT / "tests" / "reference" / "growth" / "inputs.csv"
GROWTH = ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight", "--lenhei-cm",
          "lenhei", "--measure", "measure", "--oedema", "oedema", "--weight", "sw",
          "--strata", "strata", "--psu", "cluster", "--indicators", "HA_2,WH_2,WA_2,HA"]


def test_nutrition_calibrated(tmp_path):
    """`socind nutrition --poststratify`: the children the table keeps
    (anthro's exclusions first) are calibrated; a post-stratification by
    area scales each area's weights, so the by-area prevalences stay, their
    weighted counts scale and the overall SEs change; one cell with the
    sample's own total changes nothing; --rake and --calibrate run."""
    kids = pd.read_csv(KIDS, keep_default_na=False, na_values=["NA"])
    kept = ~(kids.age_days > 1826)
    w = kids.sw.fillna(0.0)[kept]
    f = {"Rural": 1.08, "Urban": 0.93}
    cells = tmp_path / "cells.csv"
    with open(cells, "w") as fh:
        fh.write("typeres,total\n")
        for a in ("Rural", "Urban"):
            fh.write(f"{a},{float(w[kids.typeres[kept] == a].sum()) * f[a]!r}\n")
    wfile = tmp_path / "w.csv"
    t0 = table("nutrition", KIDS, *GROWTH, "--by", "typeres")
    t = table("nutrition", KIDS, *GROWTH, "--by", "typeres", "--poststratify", cells,
              "--calibrated-weights", wfile)
    assert len(t) == len(t0)
    for a in ("Rural", "Urban"):
        x, y = t[t.group == f"typeres: {a}"], t0[t0.group == f"typeres: {a}"]
        assert len(x) > 0
        assert np.allclose(x.estimate, y.estimate, rtol=1e-12, atol=0)
        assert np.allclose(x.weight_sum, f[a] * y.weight_sum.to_numpy(), rtol=1e-12, atol=0)
    x, y = t[t.group == "All"], t0[t0.group == "All"]
    assert (abs(x.se.to_numpy() / y.se.to_numpy() - 1) > 1e-3).any()
    cw = pd.read_csv(wfile)
    assert len(cw) == int(kept.sum())
    ratio = cw.calibrated_weight / cw.weight
    area = kids.typeres[kept].to_numpy()
    ok = cw.weight.to_numpy() > 0
    assert np.allclose(ratio[ok & (area == "Rural")], ratio[ok & (area == "Rural")].iloc[0])
    # one cell, the sample's own total: the uncalibrated table
    one = tmp_path / "kids.csv"
    kids.assign(one="all").to_csv(one, index=False, na_rep="NA")
    own = tmp_path / "own.csv"
    own.write_text(f"one,total\nall,{float(w.sum())!r}\n")
    t1 = table("nutrition", one, *GROWTH, "--poststratify", own)
    t0 = table("nutrition", KIDS, *GROWTH)
    assert np.allclose(t1.estimate, t0.estimate, rtol=1e-12, atol=0, equal_nan=True)
    assert np.allclose(t1.se, t0.se, rtol=1e-9, atol=1e-15, equal_nan=True)
    # rake and linear calibration run (their figures: the library's tests)
    margins = tmp_path / "margins.csv"
    margins.write_text("variable,level,total\n" + "".join(
        f"typeres,{a},{float(w[kids.typeres[kept] == a].sum()) * f[a]!r}\n"
        for a in ("Rural", "Urban")))
    t2 = table("nutrition", KIDS, *GROWTH, "--rake", margins)
    assert np.allclose(t2.estimate, t.estimate[: len(t2)], rtol=1e-9, equal_nan=True)
    terms = tmp_path / "terms.csv"
    terms.write_text(f"term,total\n(Intercept),{float(w.sum()) * 1.02!r}\n"
                     f"typeres:Urban,{float(w[kids.typeres[kept] == 'Urban'].sum())!r}\n")
    t3 = table("nutrition", KIDS, *GROWTH, "--calibrate", terms, "--cal-method", "linear")
    assert len(t3) == len(t0) and (t3.se > 0).any()
    # a calibration with replicate weights: refused, as in the other commands
    p = run("nutrition", KIDS, *GROWTH, "--poststratify", cells, "--rep-make", "jkn", expect=2)
    assert "cannot be combined" in p.stderr




def test_poststratify_many_cells(tmp_path):
    """Three thousand cells of two label columns, listed in a shuffled order
    with labels that sort apart from their codes ("d10" before "d9", text
    beyond ASCII): each row's calibrated weight is its weight times its
    cell's total over the cell's weight sum (R's postStratify), computed
    here from the rows. A cell listed twice names both lines; a row's cell
    missing from the file names the row."""
    rng = np.random.default_rng(7)
    n, na, nb = 9000, 300, 10
    a = np.concatenate([np.repeat(np.arange(na), nb), rng.integers(0, na, n - na * nb)])
    b = np.concatenate([np.tile(np.arange(nb), na), rng.integers(0, nb, n - na * nb)])
    alab = np.array([f"d{k}" if k % 7 else f"désa {k}" for k in range(na)])
    blab = np.array([f"g{k}" for k in range(nb)])
    w = rng.uniform(1, 9, n)
    df = pd.DataFrame({"y": rng.gamma(2.0, 1000.0, n), "w": w, "psu": np.arange(n) // 10,
                       "a": alab[a], "b": blab[b]})
    df.to_csv(tmp_path / "d.csv", index=False, float_format="%.17g")
    cells = [(i, j) for i in range(na) for j in range(nb)]
    order = rng.permutation(len(cells))
    total = {c: 5.0 + 3.0 * c[0] + c[1] for c in cells}
    lines = ["a,b,total"] + [f"{alab[cells[k][0]]},{blab[cells[k][1]]},{total[cells[k]]}"
                             for k in order]
    (tmp_path / "cells.csv").write_text("\n".join(lines) + "\n")
    base = ["inequality", tmp_path / "d.csv", "--income", "y", "--weight", "w", "--psu", "psu",
            "--indicators", "mean"]
    out = tmp_path / "cw.csv"
    run(*base, "--poststratify", tmp_path / "cells.csv", "--calibrated-weights", out)
    got = pd.read_csv(out)
    wsum = {}
    for i, j, wi in zip(a, b, w):
        wsum[(i, j)] = wsum.get((i, j), 0.0) + wi
    want = np.array([wi * total[(i, j)] / wsum[(i, j)] for i, j, wi in zip(a, b, w)])
    assert len(got) == n
    assert max(abs(got.calibrated_weight / want - 1)) < 1e-12
    # a cell twice, 2,000 lines apart
    dup = lines[:2500] + [lines[500]] + lines[2500:]
    (tmp_path / "dup.csv").write_text("\n".join(dup) + "\n")
    p = run(*base, "--poststratify", tmp_path / "dup.csv", expect=1)
    assert "dup.csv:2501: the cell of line 501 again" in p.stderr
    # a row's cell without a line
    gone = lines[:1] + [ln for ln in lines[1:] if ln != f"{alab[a[0]]},{blab[b[0]]},"
                        f"{total[(a[0], b[0])]}"]
    assert len(gone) == len(lines) - 1
    (tmp_path / "gone.csv").write_text("\n".join(gone) + "\n")
    p = run(*base, "--poststratify", tmp_path / "gone.csv", expect=1)
    assert "its cell has no total in" in p.stderr and "line 2" in p.stderr


@pytest.mark.parametrize("method", METHODS)
def test_an_unsampled_level_of_total_zero_is_met(files, method, tmp_path):
    """A level no row has whose population total is 0 is met as it is
    (survey's postStratify leaves the cell out, its calibrate the column of
    zeros): the figures are those without that line. Before, the command
    refused it ("no sampled row has urban = "7"") where the library's
    post-stratification took it; a positive total there is still refused"""
    base = ["inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN, "--indicators",
            "mean"]  # (linear calibration makes weights negative here: no inequality)
    src = pathlib.Path(cal_args(files, method)[1]).read_text()
    extra = {"poststratify": "7,1,0\n", "rake": "urban,7,0\n",
             "linear": "urban:7,0\n", "raking": "urban:7,0\n", "logit": "urban:7,0\n"}[method]
    zero = tmp_path / "zero.csv"
    zero.write_text(src + extra)
    args = cal_args(files, method)
    want = table(*base, *args)
    got = table(*base, args[0], zero, *args[2:])
    pd.testing.assert_frame_equal(got, want)
    zero.write_text(src + extra.replace(",0\n", ",5\n"))
    p = run(*base, args[0], zero, *args[2:], expect=1)
    assert "zero.csv:" in p.stderr and 'no sampled row has urban = "7"' in p.stderr


@pytest.mark.parametrize("method", ["poststratify", "rake", "linear"])
def test_targets_file_with_excel_hint_and_dos_end_mark(files, method, tmp_path):
    """A targets file is read as the data file is: a first line "sep=X"
    names the delimiter (it was taken as the header: "3 fields, but the
    header has 2"), and a last line of DOS's end-of-file mark alone is no
    record (it was "1 fields, but the header has 3")"""
    base = ["inequality", files / "hh.csv", "--income", "cons_pc", *DESIGN, "--indicators",
            "mean"]
    args = cal_args(files, method)
    src = pathlib.Path(args[1]).read_text()
    want = table(*base, *args)
    for name, text in (("hint.csv", "sep=;\n" + src.replace(",", ";")),
                       ("z.csv", src + "\x1a\n"), ("hz.csv", "SEP=,\r\n" + src + "\x1a")):
        f = tmp_path / name
        f.write_bytes(text.encode())
        pd.testing.assert_frame_equal(table(*base, args[0], f, *args[2:]), want)
    f = tmp_path / "bar.csv"
    f.write_text("sep=|\n" + src.replace(",", "|"))
    p = run(*base, args[0], f, *args[2:], expect=1)
    assert f"{f}:1: the first line is Excel's hint of a delimiter the command does not read" \
        in p.stderr, p.stderr


@pytest.mark.parametrize("method", ["poststratify", "rake", "linear"])
def test_library_refusal_names_the_targets_line(files, method, tmp_path):
    """A category whose rows all have weight 0 (the command's own check
    sees rows, the library sees no sampled weight): the library's message
    named it "margin 1, level 0", its own numbering; the command names the
    targets file's line"""
    hh = pd.read_csv(files / "hh.csv")
    hh.loc[hh.sizecl == 1, "w_person"] = 0.0
    data = tmp_path / "hh0.csv"
    hh.to_csv(data, index=False, float_format="%.17g")
    args = cal_args(files, method)
    lines = pathlib.Path(args[1]).read_text().splitlines()
    key = {"poststratify": lambda s: s.split(",")[1] == "1",
           "rake": lambda s: s.startswith("sizecl,1,"),
           "linear": lambda s: s.startswith("sizecl:1,")}[method]
    hit = [i + 1 for i, s in enumerate(lines) if i and key(s)]
    p = run("inequality", data, "--income", "cons_pc", *DESIGN, "--indicators", "mean", *args,
            expect=3)
    assert "margin " not in p.stderr, p.stderr
    if hit:
        assert f"{args[1]}:{hit[0]}: calibration (--{args[0][2:]}): " in p.stderr, p.stderr
        assert "this line's category has a total of" in p.stderr
    else:  # (sizecl 1 is calibrate's reference level: X'WX singular, a line named)
        assert re.search(rf"{re.escape(str(args[1]))}:\d+: calibration \(--calibrate\): .*"
                         "this line's category depends on the columns before it", p.stderr)
