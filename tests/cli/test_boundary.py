# SPDX-License-Identifier: GPL-3.0-or-later
"""The command's boundary policy (docs/boundary.md; README, "Trust at the
boundary"): nothing is misread silently, missing values are counted aloud,
invalid codes stop the run (or are taken as missing on request), anthro's
rules for messy design columns, library errors in the command's words, and
outputs that never destroy data.
Each test runs the built command (SOCIND_CLI) and checks exact figures or
the exact refusal and exit code. docs/boundary.md is the policy these tests
make executable; the later sections cover design ids (values, not labels;
ids as written), the one number rule of --decimal-comma, the statuses of
estimates without a figure, that every hint names an option the command
takes, growth's record ids, encodings read two ways, and the code tables.
Every test runs against the merged reader and library: none waits on
another branch."""
import io
import json
import math
import os
import pathlib
import re
import stat
import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest
from cli_env import CLI, run
from test_cli import DOMAINS, GROWTH, HH, KIDS, KIDS_5TO19, REF, compare_prevalence, table

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
MISSING_IN = REF / "growth" / "missing_design_inputs.csv"
MISSING_EXPECTED = REF / "growth" / "missing_design_expected.csv"

DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]
KID_COLS = ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight", "--lenhei-cm",
            "lenhei", "--measure", "measure", "--oedema", "oedema"]
BY4 = [x for d in DOMAINS for x in ("--by", d)]

def report(*args, expect=0):
    """socind report in English, from the repository root (its default files
    are data/sample/); a file other than the sample is titled "Test"; a
    children's file alone goes with the bundled households, named (another
    file's --children alone is refused)."""
    args = list(args)
    if "--lang" not in args:
        args += ["--lang", "en"]
    if "--children" in args and "--households" not in args:
        args += ["--households", SAMPLE / "households.csv"]
    if "--title" not in args and ("--households" in args or "--children" in args):
        args += ["--title", "Test"]
    return run("report", *args, expect=expect, cwd=ROOT)


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(p)


def csv_out(p):
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                       dtype={"parameter": str, "group": str}, float_precision="round_trip")


# ---------------------------------------------------------------- 1. nothing misread silently


@pytest.mark.parametrize("args, message", [
    (["--line", "100", "--line", "545000"],
     '--line is given twice ("100" and "545000"); it takes one value'),
    (["--line", "100", "--weight", "a", "--weight", "b"],
     '--weight is given twice ("a" and "b"); it takes one value'),
    (["--line", "100", "--indicators", "fgt0", "--indicators=fgt1"],
     '--indicators is given twice ("fgt0" and "fgt1"); it takes one value'),
    (["--line", "100", "--output", "a.csv", "--output", "b.csv"],
     '--output is given twice ("a.csv" and "b.csv"); it takes one value'),
])
def test_single_valued_option_given_twice(args, message):
    p = run("poverty", HH, "--income", "cons_pc", *args, expect=2)
    assert message in p.stderr, p.stderr
    assert p.stdout == ""


def test_subset_repeated_keeps_rows_where_all_hold(tmp_path):
    df = pd.read_csv(HH)
    both = tmp_path / "both.csv"
    df[(df.prov == 33) & (df.urban == 1)].to_csv(both, index=False)
    args = [*DESIGN, "--line", "500000", "--indicators", "fgt0,poor"]
    got = table("poverty", HH, "--subset", "prov=33", "--subset", "urban=1", *args)
    want = table("poverty", both, *args)
    pd.testing.assert_frame_equal(got, want)
    assert list(got["n"]) == [int(((df.prov == 33) & (df.urban == 1)).sum())] * 2
    # not the last condition alone (the old behaviour)
    last = table("poverty", HH, "--subset", "urban=1", *args)
    assert last["n"].iloc[0] != got["n"].iloc[0]
    p = run("poverty", HH, "--subset", "prov=33", "--subset", "urban=7", *args, expect=1)
    assert f'{HH}: no row has prov = "33" and urban = "7" (--subset)' in p.stderr


def test_by_still_repeats():
    got = table("poverty", HH, *DESIGN, "--line", "500000", "--indicators", "fgt0",
                "--by", "urban", "--by", "prov")
    assert list(got["group"]) == ["all", "urban: 0", "urban: 1", "prov: 32", "prov: 33", "prov: 35"]


@pytest.mark.parametrize("command, args, message", [
    ("poverty", ["--line", "545.000"],
     '--line: "545.000" reads as '),
    ("poverty", ["--relative", "1.500:median"], '--relative: "1.500" reads as '),
    ("poverty", ["--line", "1", "--indicators", "fgt:2.000"],
     'indicator "fgt:2.000": "2.000" reads as '),
    ("inequality", ["--indicators", "ge:2.000"],
     'indicator "ge:2.000": "2.000" reads as '),
])
def test_decimal_comma_number_options_read_two_ways_are_refused(command, args, message):
    p = run(command, HH, "--income", "cons_pc", "--decimal-comma", *args, expect=2)
    assert message in p.stderr, p.stderr
    assert "(with --decimal-comma, \".\" separates thousands) or as" in p.stderr
    assert "(a decimal point); write " in p.stderr
    # without --decimal-comma the same value is read one way
    if command == "poverty":
        run(command, HH, "--income", "cons_pc", *args)


def test_decimal_comma_refusal_writes_numbers_plainly():
    p = run("poverty", HH, "--income", "cons_pc", "--decimal-comma", "--line", "545.000",
            expect=2)
    assert ('--line: "545.000" reads as 545000 (with --decimal-comma, "." separates thousands) '
            'or as 545 (a decimal point); write 545000 or 545') in p.stderr


def test_decimal_comma_number_options_read_one_way(tmp_path):
    values = ["100000", "200000", "545.000,5", "900000", "1.000.000"]
    path = write(tmp_path, "dc.csv", "y;w\n" + "".join(f"{v};1\n" for v in values))
    point = write(tmp_path, "pt.csv",
                  "y,w\n" + "".join(f"{v},1\n" for v in (100000, 200000, 545000.5, 900000,
                                                          1000000)))
    dc = ["--income", "y", "--weight", "w", "--decimal-comma", "--indicators", "fgt0"]
    for line, share in (("545000", 0.4), ("545000,5", 0.4), ("545001", 0.6), ("545.001,5", 0.6)):
        got = table("poverty", path, *dc, "--line", line, "--level", "0,9")
        assert got["estimate"].iloc[0] == share, line
    # "0.6" has no reading with a decimal comma: the decimal point's
    got = table("poverty", path, "--income", "y", "--weight", "w", "--decimal-comma",
                "--relative", "0.6:median", "--indicators", "line,fgt0")
    want = table("poverty", point, "--income", "y", "--weight", "w", "--relative", "0.6:median",
                 "--indicators", "line,fgt0")
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("value, readings, point", [
    ("12.345", ("12345", "12.3450"), "12.345"),
    ("1.500", ("1500", "1.5"), "1.5"),
    ("1.234e20", ("1.2340e+23", "1.2340e+20"), "1.234e20"),
])
@pytest.mark.parametrize("option", ["--line", "--alpha"])
def test_decimal_comma_refusal_names_spellings_that_read_one_way(tmp_path, value, readings,
                                                                 point, option):
    """A number that reads two ways under --decimal-comma is refused naming
    a spelling of each reading; "12.345" was told to write 12345 or 12.345,
    the refused text again. Each spelling named reads one way, alone
    (--line) and as a list's item (--alpha of simulate)."""
    dc = tmp_path / "hh.csv"
    pd.read_csv(HH, float_precision="round_trip").to_csv(
        dc, sep=";", decimal=",", index=False, float_format="%.17g")

    def args(path, v):
        if option == "--line":
            return ("poverty", path, *DESIGN, "--indicators", "fgt0,fgt1", "--line", v)
        return ("simulate", path, *DESIGN, "--line", "500000", "--amount", "10000", "--alpha", v)

    p = run(*args(dc, value), "--decimal-comma", expect=2)
    assert f"(a decimal point); write {readings[0]} or {readings[1]}" in p.stderr, p.stderr
    assert value not in readings
    for spelled in readings:
        want = run(*args(HH, spelled)).stdout
        assert run(*args(dc, spelled), "--decimal-comma").stdout == want, spelled
    assert run(*args(dc, readings[1]), "--decimal-comma").stdout == run(*args(HH, point)).stdout


# ---------------------------------------------------------------- 2. missing values


def test_missing_income_is_counted_aloud(tmp_path):
    path = write(tmp_path, "m.csv", "y,w,g\n1,1,a\n,1,a\nNA,2,b\n30,1,\n40,1,b\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "35", "--by", "g",
            "--indicators", "fgt0")
    assert ('socind poverty: 2 rows have no value in column "y" (--income); they are left out '
            'of every estimate') in p.stderr
    assert ('socind poverty: 1 row has no value in column "g" (--by); it is left out of the '
            '"g: ..." rows of that breakdown and kept in "all"') in p.stderr
    got = csv_out(p)
    assert list(got["group"]) == ["all", "g: a", "g: b"]
    assert list(got["n"]) == [3, 1, 1]
    assert list(got["estimate"]) == [2 / 3, 1.0, 0.0]
    p = run("inequality", path, "--income", "y", "--weight", "w", "--indicators", "mean")
    assert ('socind inequality: 2 rows have no value in column "y" (--income); they are left out '
            'of every estimate') in p.stderr
    assert csv_out(p)["estimate"].iloc[0] == (1 + 30 + 40) / 3


def test_missing_line_per_row_is_counted(tmp_path):
    path = write(tmp_path, "l.csv", "y,w,z\n1,1,10\n2,1,\n30,1,10\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line-col", "z",
            "--indicators", "fgt0")
    assert ('socind poverty: 1 row has no value in column "z" (--line-col); it is left out of '
            'every estimate') in p.stderr
    assert csv_out(p)["n"].iloc[0] == 2


def test_no_missing_value_no_note(tmp_path):
    path = write(tmp_path, "ok.csv", "y,w\n1,1\n2,1\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "10")
    assert p.stderr == ""


def test_missing_weight_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, "w.csv", "y,w\n1,1\n2,\n")
    p = run("inequality", path, "--income", "y", "--weight", "w", expect=1)
    assert (f'{path}: line 3: the sampling weight (column "w") is missing; weights (--weight) '
            'must be present and >= 0') in p.stderr
    # the weight column read by another option too (--income first): --weight is named
    path = write(tmp_path, "n.csv", "y,w\n1,1\n2,-1\n")
    p = run("poverty", path, "--income", "w", "--weight", "w", "--line", "2", expect=1)
    assert (f'{path}: line 3: the sampling weight (column "w") is negative; weights (--weight) '
            'must be present and >= 0') in p.stderr
    path = write(tmp_path, "z.csv", "y,w\n1,0\n2,0\n")
    for cols in (["--income", "w", "--weight", "w"], ["--weight", "w", "--income", "w"]):
        p = run("poverty", path, *cols, "--line", "2", expect=1)
        assert p.stderr == (f'socind: {path}: every sampling weight in column "w" (--weight) '
                            'is 0: no row counts\n')


def test_missing_fpc_is_an_error_naming_the_line(tmp_path):
    path = write(tmp_path, "f.csv", "y,w,f\n1,1,10\n2,1,\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "5", "--fpc", "f",
            expect=1)
    assert f'{path}: line 3: column "f" (--fpc) is empty; every row needs one' in p.stderr


def test_nan_and_dot_are_missing_by_default(tmp_path):
    path = write(tmp_path, "m.csv", "y,w\n1,1\nNaN,1\n.,1\n40,1\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "35")
    assert ('socind poverty: 2 rows have no value in column "y" (--income); they are left out '
            'of every estimate') in p.stderr
    assert csv_out(p)["n"].iloc[0] == 2


def test_na_values_option(tmp_path):
    path = write(tmp_path, "m.csv", "y,w\n1,1\n-99,1\n,1\n40,1\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "35",
            "--na-values", ",NA,-99", "--indicators", "fgt0")
    assert ('socind poverty: 2 rows have no value in column "y" (--income); they are left out '
            'of every estimate') in p.stderr
    assert list(csv_out(p)["n"]) == [2]
    # without an empty entry, an empty cell is no longer missing: refused
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "35",
            "--na-values", "-99", expect=1)
    assert ":4:1:" in p.stderr


def test_na_values_under_decimal_comma(tmp_path):
    """Under --decimal-comma "," is also the decimal separator: --na-values
    "-99,5" was split into "-99" and "5", so the row of 5 was taken out as
    missing and the code -99,5 averaged in (mean -9.83 instead of 25). A ","
    between digits without a ";" is now refused naming both spellings; with
    a ";" the spellings are separated by ";" alone."""
    path = write(tmp_path, "m.csv", "y;w\n-99,5;1\n5;1\n30;1\n40;1\n")
    base = ["inequality", path, "--income", "y", "--decimal-comma", "--indicators", "mean"]
    for value, two, one in (("-99,5", "-99;5", "-99,5;"), ("NA,-99,5", "NA;-99;5", "NA;-99,5")):
        p = run(*base, "--na-values", value, expect=2)
        assert (f'--na-values "{value}": with --decimal-comma "," is also the decimal '
                'separator, so "-99,5" may be one spelling or two') in p.stderr, p.stderr
        assert f'write --na-values "{two}" (every "," a separator) or "{one}"' in p.stderr
        # both spellings the message names are read: the code -99,5 missing,
        # or the codes -99 and 5
        assert csv_out(run(*base, "--na-values", one))["estimate"].iloc[0] == 25
        got = csv_out(run(*base, "--na-values", two))["estimate"].iloc[0]
        assert math.isclose(got, (-99.5 + 30 + 40) / 3, rel_tol=1e-12)
    # no "," between digits: split at "," as without --decimal-comma
    p = run(*base, "--na-values", "NA,5")
    assert csv_out(p)["n"].iloc[0] == 3 and "1 row has no value" in p.stderr


def test_a_by_column_given_twice_is_refused(tmp_path):
    """--by g --by g printed every "g: ..." row twice (and the note on its
    missing values twice), so that a table summed by group counted them
    twice"""
    path = write(tmp_path, "g.csv", "y,g\n10,a\n20,b\n30,a\n40,b\n")
    for cmd in (["inequality", path, "--income", "y", "--indicators", "mean"],
                ["poverty", path, "--income", "y", "--line", "25", "--indicators", "fgt0"]):
        p = run(*cmd, "--by", "g", "--by", "g", expect=2)
        assert '--by "g" is given twice; give each column once' in p.stderr, p.stderr
        assert p.stdout == ""
        # one --by gives each group once
        assert list(csv_out(run(*cmd, "--by", "g"))["group"]) == ["all", "g: a", "g: b"]


# ---------------------------------------------------------------- 3. invalid codes, recoding


def kids_file(tmp_path, name="kids.csv", edit=None):
    df = pd.read_csv(KIDS)
    if edit:
        df = edit(df)
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path, df


def test_invalid_codes_stop_the_run_naming_every_line(tmp_path):
    def edit(df):
        df["sex"] = df["sex"].astype("object")
        df.loc[df.index[:25], "sex"] = "3"
        df.loc[df.index[30], "measure"] = "x"
        return df
    path, df = kids_file(tmp_path, edit=edit)
    p = run("growth", path, *KID_COLS, expect=1)
    lines = [f'{path}: line {i + 2}: column "sex" (--sex): "3" is not a code WHO\'s anthro '
             f'accepts (1, 2, m, f, M, F, or a missing value)' for i in range(25)]
    for line in lines[:20]:
        assert line in p.stderr
    assert lines[20] not in p.stderr
    assert f'{path}: and 5 more lines with such a code in column "sex"' in p.stderr
    assert (f'{path}: line 32: column "measure" (--measure): "x" is not a code WHO\'s anthro '
            'accepts (l, h, L, H, or a missing value)') in p.stderr
    assert (f"{path}: 26 values WHO's anthro does not accept; map the file's codes with "
            "--sex-codes, --measure-codes (e.g. --sex-codes L=1,P=2), or take them as missing "
            "with --invalid-codes missing") in p.stderr
    assert p.stdout == ""
    # the same policy in nutrition and report
    p = run("nutrition", path, *KID_COLS, expect=1)
    assert lines[0] in p.stderr


def test_invalid_codes_as_missing(tmp_path):
    def edit(df):
        df["sex"] = df["sex"].astype("object")
        df.loc[df.index[:3], "sex"] = ["3", "X", "3"]
        df.loc[df.index[5], "oedema"] = "maybe"
        return df
    path, df = kids_file(tmp_path, edit=edit)
    p = run("growth", path, *KID_COLS, "--id", "id", "--invalid-codes", "missing")
    assert ('socind growth: 3 rows have a code in column "sex" (--sex) that WHO\'s anthro does '
            'not accept ("3", "X"); they are taken as missing (--invalid-codes missing)'
            ) in p.stderr
    assert ('socind growth: 1 row has a code in column "oedema" (--oedema) that WHO\'s anthro '
            'does not accept ("maybe"); it is taken as missing (--invalid-codes missing)'
            ) in p.stderr
    got = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""])
    assert got["reason"].iloc[0].startswith('sex code "3" not accepted (taken as missing)')
    assert got["reason"].iloc[1].startswith('sex code "X" not accepted (taken as missing)')
    assert got["reason"].iloc[5].startswith('oedema code "maybe" not accepted (taken as no oedema)')
    assert got.loc[:2, "zlen"].isna().all() and got.loc[:2, "zwei"].isna().all()
    # the same rows with the code missing give the same z-scores
    df2 = pd.read_csv(KIDS)
    df2.loc[df2.index[:3], "sex"] = np.nan
    df2.loc[df2.index[5], "oedema"] = np.nan
    df2.to_csv(tmp_path / "na.csv", index=False)
    want = pd.read_csv(io.StringIO(run("growth", tmp_path / "na.csv", *KID_COLS, "--id",
                                       "id").stdout), keep_default_na=False, na_values=[""])
    z = [c for c in got.columns if c[0] in "zf"]
    pd.testing.assert_frame_equal(got[z], want[z])
    prev = table("nutrition", path, *KID_COLS, "--invalid-codes", "missing")
    want = table("nutrition", tmp_path / "na.csv", *KID_COLS)
    pd.testing.assert_frame_equal(prev, want)


def test_code_recoding(tmp_path):
    def edit(df):
        df["sex"] = df["sex"].map({1: "L", 2: "P"})
        df["measure"] = df["measure"].map({"l": "B", "L": "B", "h": "D", "H": "D"})
        df["oedema"] = df["oedema"].map({"n": "tidak", "y": "ya"})
        return df
    path, _ = kids_file(tmp_path, edit=edit)
    recode = ["--sex-codes", "L=1,P=2", "--measure-codes", "B=l,D=h", "--oedema-codes",
              "tidak=n,ya=y"]
    got = run("growth", path, *KID_COLS, "--id", "id", *recode).stdout
    want = run("growth", KIDS, *KID_COLS, "--id", "id").stdout
    assert got == want
    got = table("nutrition", path, *KID_COLS, *recode, "--weight", "sw", "--strata", "strata",
                "--psu", "cluster")
    want = table("nutrition", KIDS, *KID_COLS, "--weight", "sw", "--strata", "strata",
                 "--psu", "cluster")
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("args, message", [
    (["--sex-codes", "L=3"],
     '--sex-codes: "L=3": "3" is not a sex code WHO\'s anthro accepts (1, 2, m, f, M, F)'),
    (["--measure-codes", "B=x"],
     '--measure-codes: "B=x": "x" is not a measure code WHO\'s anthro accepts (l, h, L, H)'),
    (["--oedema-codes", "ya=maybe"],
     '--oedema-codes: "ya=maybe": "maybe" is not a oedema code WHO\'s anthro accepts'),
    (["--sex-codes", "L1,P=2"], '--sex-codes must be FILE_VALUE=CODE,... (e.g. --sex-codes '
                                'L=1,P=2), not "L1,P=2"'),
    (["--sex-codes", "L=1,L=2"], '--sex-codes: "L" is recoded twice'),
    (["--invalid-codes", "ignore"], "--invalid-codes must be error or missing"),
])
def test_recode_values_outside_the_codes_are_usage_errors(args, message):
    for command in ("growth", "nutrition"):
        p = run(command, KIDS, *KID_COLS, *args, expect=2)
        assert message in p.stderr, p.stderr
    p = report(*args, expect=2)
    assert message in p.stderr


# ---------------------------------------------------------------- 4. nutrition: anthro's rules

WARN_AGE = ("socind nutrition: warning: 20 rows will be excluded for the prevalence computation "
            "due to missing age or age > 1826 days ")
WARN_DESIGN = ("socind nutrition: warning: 37 rows will be excluded for the prevalence "
               "computation due to missing cluster and strata.")
WARN_SW = ("socind nutrition: warning: 17 rows had missing sampling weights and they will be "
           "set to 0. Doing this excludes them in the prevalence calculation.")


def check_missing_design(path):
    p = run("nutrition", path, *KID_COLS, "--weight", "sw", "--strata", "strata", "--psu",
            "cluster", *BY4, "--percent")
    err = p.stderr
    # anthro's warnings, its words, its order, its counts
    assert WARN_AGE in err and WARN_DESIGN in err and WARN_SW in err, err
    assert err.index(WARN_AGE) < err.index(WARN_DESIGN) < err.index(WARN_SW)
    assert ('socind nutrition: rows without a value: 25 in column "cluster" (--psu), 12 in '
            'column "strata" (--strata)') in err
    assert ('socind nutrition: 52 rows have no value in column "weight" (--weight-kg); they '
            'are left out of the indicators that use it') in err
    want = pd.read_csv(MISSING_EXPECTED, float_precision="round_trip")
    compare_prevalence(csv_out(p), want, 1e-6)
    return csv_out(p)


def test_nutrition_missing_design_inputs_match_anthro_with_na_only(tmp_path):
    """The reference file with its ".", "NaN" spellings written as NA (readable
    before the reader's change): anthro's table and warnings."""
    text = MISSING_IN.read_text()
    text = re.sub(r"(?<=,)(\.|NaN)(?=,|\n)", "NA", text)
    path = write(tmp_path, "na_only.csv", text)
    got = check_missing_design(path)
    all_ha2 = got[(got.group == "All") & (got.indicator == "HA_2")].iloc[0]
    assert all_ha2["n"] == 1951


def test_nutrition_missing_design_inputs_match_anthro():
    check_missing_design(MISSING_IN)


def test_nutrition_singular_warnings(tmp_path):
    def edit(df):
        df.loc[df.index[3], "cluster"] = np.nan
        df.loc[df.index[7], "sw"] = np.nan
        return df
    path, df = kids_file(tmp_path, edit=edit)
    p = run("nutrition", path, *KID_COLS, "--weight", "sw", "--strata", "strata", "--psu",
            "cluster")
    assert ("socind nutrition: warning: 1 row will be excluded for the prevalence computation "
            "due to missing cluster and strata.") in p.stderr
    assert ("socind nutrition: warning: 1 row had missing sampling weights and they will be set "
            "to 0. Doing this excludes them in the prevalence calculation.") in p.stderr
    # the same as leaving the row out and giving the weight 0
    df2 = df.drop(index=df.index[3]).copy()
    df2.loc[df.index[7], "sw"] = 0
    df2.to_csv(tmp_path / "by_hand.csv", index=False)
    want = table("nutrition", tmp_path / "by_hand.csv", *KID_COLS, "--weight", "sw", "--strata",
                 "strata", "--psu", "cluster")
    pd.testing.assert_frame_equal(csv_out(p), want)


def test_nutrition_who2007_age_warning():
    df = pd.read_csv(KIDS_5TO19)
    out = int((~df.age_months.between(60, 228)).sum())  # NaN included
    assert out > 0
    p = run("nutrition", KIDS_5TO19, "--reference", "who2007", "--sex", "sex", "--age-months",
            "age_months", "--lenhei-cm", "height", "--weight-kg", "weight", "--oedema", "oedema",
            "--weight", "sw", "--strata", "strata", "--psu", "cluster")
    assert (f"socind nutrition: warning: {out} row(s) with age NA or age < 60 months or > 228 "
            "months were excluded from the computation.") in p.stderr


# ---------------------------------------------------------------- 5. growth: --keep, reason


def test_growth_keep_columns_after_the_id():
    p = run("growth", KIDS, *GROWTH, "--keep", "typeres,gregion", "--keep", "sw")
    got = pd.read_csv(io.StringIO(p.stdout), dtype=str, keep_default_na=False)
    assert list(got.columns[:5]) == ["id", "typeres", "gregion", "sw", "zlen"]
    assert list(got.columns[-1:]) == ["reason"]
    src = pd.read_csv(KIDS, dtype=str, keep_default_na=False)
    for c in ("typeres", "gregion", "sw"):
        assert list(got[c]) == [v if v != "NA" else "" for v in src[c]]
    p = run("growth", KIDS, *GROWTH, "--keep", "zlen", expect=2)
    assert '--keep zlen: the output already has a column "zlen"' in p.stderr


def test_growth_reason_in_words(tmp_path):
    path = write(tmp_path, "r.csv",
                 "id,sex,age,w,l,m\n"
                 "1,,2000,12,90,h\n"      # sex missing, beyond 1856 days
                 "2,1,100,6,60,h\n"       # standing under 9 months
                 "3,2,,9,72,l\n"          # age missing
                 "4,1,300,8,70,l\n")      # nothing to report
    p = run("growth", path, "--id", "id", "--sex", "sex", "--age-days", "age", "--weight-kg",
            "w", "--lenhei-cm", "l", "--measure", "m")
    got = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""])
    assert list(got["reason"].fillna("")) == ["sex missing; age beyond the reference",
                                              "standing height under 9 months", "age missing", ""]
    assert ('socind growth: 1 row has no value in column "sex" (--sex); its z-scores are empty'
            in p.stderr)


def test_growth_negative_length_blanks_every_length_based_z(tmp_path):
    path = write(tmp_path, "neg.csv", "id,sex,age,w,l,m\n1,1,100,6,-70,l\n2,1,100,6,60,l\n")
    p = run("growth", path, "--id", "id", "--sex", "sex", "--age-days", "age", "--weight-kg",
            "w", "--lenhei-cm", "l", "--measure", "m")
    got = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""])
    r = got.iloc[0]
    for z in ("zlen", "zwfl", "zbmi"):
        assert math.isnan(r[z]) and math.isnan(r["f" + z[1:]]), z
    assert not math.isnan(r["zwei"])  # weight-for-age needs no length
    assert r["reason"] == "negative measurement"
    assert not got.iloc[1][["zlen", "zwfl", "zbmi"]].isna().any()


def test_growth_zero_measurement_says_why(tmp_path):
    """A measurement of 0 is missing to the age-based z-scores, as in anthro,
    and the reason says so (it had been empty)."""
    path = write(tmp_path, "zero.csv", "sex,age,w,l,m\n1,400,9,0,l\n1,400,0,75,l\n1,400,9,75,l\n")
    p = run("growth", path, "--sex", "sex", "--age-days", "age", "--weight-kg", "w",
            "--lenhei-cm", "l", "--measure", "m")
    got = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""])
    # (not "taken as missing": the weight-for-length z-score is computed)
    assert list(got["reason"].fillna("")) == \
        ["measurement 0 (missing to the age-based z-scores)"] * 2 + [""]
    assert math.isnan(got["zlen"][0]) and math.isnan(got["zwei"][1])
    assert not math.isnan(got["zwfl"][1])  # weight-for-length is computed, as anthro does
    # 2007: a height of 0 keeps its (flagged) z-score, as anthroplus; no BMI
    path = write(tmp_path, "zero7.csv", "sex,age,w,h\n1,4000,30,0\n1,4000,30,130\n")
    p = run("growth", path, "--sex", "sex", "--age-days", "age", "--weight-kg", "w",
            "--lenhei-cm", "h", "--reference", "who2007")
    got = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""])
    assert list(got["reason"].fillna("")) == ["height 0 (no BMI)", ""]
    assert got["zhfa"][0] < -6 and got["fhfa"][0] == 1 and math.isnan(got["zbfa"][0])


def test_growth_negative_age_and_age_beyond_60_months(tmp_path):
    """anthro_zscores refuses a negative age for the whole call: age_to_days
    calls round_up, which stops unless every unrounded age is >= 0 (anthro
    R/utils.R, round_up). It gives no z-score, weight-for-length/height
    included, for such a child; here the row keeps its place with every
    z-score and flag empty. An age of -0 is 0; -0.3 days is negative (the
    check is on the age before rounding). From 60 months (1826.25 days) on,
    every z-score and flag is NA in anthro, zwfl too: each indicator keeps
    its z only where age_in_months < 60 (R/z-score-helper.R,
    anthro_zscore_adjusted; R/z-score-weight-for-lenhei.R), 1856 days being
    a second, looser limit."""
    zs = ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"]
    rows = [("neg5", "-5", "9", "75", "l"), ("neg03", "-0.3", "3.3", "50", "l"),
            ("negzero", "-0", "3.3", "50", "l"), ("zero", "0", "3.3", "50", "l"),
            ("d1826.2", "1826.2", "18", "110", "h"), ("d1826.3", "1826.3", "18", "110", "h"),
            ("d1857", "1857", "18", "110", "l"), ("d1900", "1900", "18", "110", "h")]
    path = write(tmp_path, "ages.csv", "id,sex,age,w,l,m,hc,ac,ts,ss\n" + "".join(
        f"{i},1,{a},{w},{lh},{m},45,15,8,7\n" for i, a, w, lh, m in rows))
    p = run("growth", path, "--id", "id", "--sex", "sex", "--age-days", "age", "--weight-kg",
            "w", "--lenhei-cm", "l", "--measure", "m", "--headc-cm", "hc", "--armc-cm", "ac",
            "--triskin-mm", "ts", "--subskin-mm", "ss")
    got = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                      dtype={"id": str}).set_index("id")
    for i in ("neg5", "neg03", "d1826.3", "d1857", "d1900"):
        for z in zs:
            assert math.isnan(got.at[i, z]) and math.isnan(got.at[i, "f" + z[1:]]), (i, z)
    for i in ("neg5", "neg03"):
        assert got.at[i, "reason"] == "age negative"
    for i in ("d1826.3", "d1857", "d1900"):
        assert got.at[i, "reason"] == "age beyond the reference"
    # -0 is age 0: the same z-scores as 0 (arm circumference and skinfolds
    # start at 91 days), and before 60 months every z-score is computed
    for z in ("zlen", "zwei", "zwfl", "zbmi", "zhc"):
        assert not math.isnan(got.at["zero", z]), z
        assert got.at["negzero", z] == got.at["zero", z], z
    assert not got.loc["d1826.2", zs].isna().any()


def test_binary_through_a_pipe_is_named():
    """A .sav or .dta file piped to standard input cannot be recognised
    before it is read (a pipe is read once), so it reaches the CSV reader;
    its NUL bytes are then named for what they are, with the way that works
    (a file name, or a redirection), and other binary input keeps the
    general message."""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    cases = [(b"$FL2" + b"\0" * 60 + b"\n", "an SPSS .sav file coming through a pipe"),
             (bytes([114, 2, 1, 0]) + b"\0" * 60 + b"\n", "a Stata .dta file coming through a pipe"),
             (b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>"
              + bytes([5, 0]) + b"</K><N>" + bytes([2, 0, 0, 0]) + b"\0" * 40 + b"\n",
              "a Stata .dta file coming through a pipe"),
             # (a Stata 117 header whose K ends the first line before any NUL)
             (b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>\n\0"
              + b"\0" * 40, "a Stata .dta file coming through a pipe"),
             (b"y,w\n1,1\n2,\0x1\n", "a NUL byte: this is not a text (CSV) file")]
    for data, words in cases:
        p = subprocess.run([CLI, "poverty", "-", "--income", "y", "--weight", "w", "--line", "1"],
                           input=data, capture_output=True, env=env)
        assert p.returncode == 1, p.stderr
        assert words in p.stderr.decode(), p.stderr


def test_endless_nul_bytes_are_refused_at_once():
    """A line of NUL bytes that never ends (/dev/zero on standard input) is
    refused at its first buffer: the reader does not wait for a line end
    holding the bytes (it grew without bound)."""
    for args in (["-"], ["/dev/zero"]):
        with open("/dev/zero", "rb") as zero:
            p = subprocess.run([CLI, "poverty", *args, "--income", "y", "--line", "1"],
                               stdin=zero, capture_output=True, timeout=120)
        assert p.returncode == 1, p.stderr
        assert b":1: a NUL byte: this is not a text (CSV) file" in p.stderr
    # the side files and --repweights' header are not read whole either
    hh = str(HH)
    design = ["--income", "cons_pc", "--weight", "w_person", "--line", "500000"]
    for args, words in (
            (["--poststratify", "/dev/zero"], "/dev/zero: a NUL byte: not a CSV file "
             "(--poststratify)"),
            (["--rep-factors", "/dev/zero", "--rep-key", "psu", "--rep-type", "jk1"],
             "/dev/zero: no line end in its first 16 MiB, and NUL bytes: not a CSV file's "
             "header (--rep-factors)")):
        p = subprocess.run([CLI, "poverty", hh, *design, *args], capture_output=True,
                           timeout=120)
        assert p.returncode == 1 and words.encode() in p.stderr, p.stderr
    p = subprocess.run([CLI, "poverty", "/dev/zero", "--income", "y", "--line", "1",
                        "--repweights", "rw", "--rep-type", "jk1"], capture_output=True,
                       timeout=120)
    assert p.returncode == 1 and b"(--repweights)" in p.stderr, p.stderr


def test_stata_named_otherwise_is_read_as_stata(tmp_path):
    """A Stata file is read as Stata whatever its name or however it is
    redirected, the formats before 117 (no "<stata_dta>" header) too."""
    df = pd.DataFrame({"y": [100.0, 200.0, 300.0, 400.0], "w": [1.0, 2.0, 1.0, 2.0]})
    want = run("poverty", write(tmp_path, "d.csv", df.to_csv(index=False)), "--income", "y",
               "--weight", "w", "--line", "250").stdout
    for version in (114, 118):
        path = tmp_path / f"v{version}.csv"
        df.to_stata(path, write_index=False, version=version)
        assert run("poverty", path, "--income", "y", "--weight", "w", "--line", "250").stdout == want
        with open(path, "rb") as f:
            p = subprocess.run([CLI, "poverty", "-", "--income", "y", "--weight", "w", "--line",
                                "250"], stdin=f, capture_output=True, text=True)
        assert p.returncode == 0 and p.stdout == want, p.stderr


# ---------------------------------------------------------------- 6. errors in the command's words


def test_unknown_options_and_commands_suggest():
    p = run("poverty", HH, "-income", "cons_pc", "--line", "1", expect=2)
    assert "socind poverty: unknown option -income (did you mean --income?)" in p.stderr
    assert "one input file" not in p.stderr
    p = run("poverty", HH, "--incme", "cons_pc", expect=2)
    assert "unknown option --incme (did you mean --income?)" in p.stderr
    p = run("poverty", HH, "--INCOME", "cons_pc", expect=2)
    assert "unknown option --INCOME (did you mean --income?)" in p.stderr
    p = run("nutrition", KIDS, "--percnt", expect=2)
    assert "unknown option --percnt (did you mean --percent?)" in p.stderr
    p = run("poverty", HH, "--zzzzzz", expect=2)
    assert "unknown option --zzzzzz\n" in p.stderr
    p = run("povrty", HH, expect=2)
    assert 'socind: unknown command "povrty" (did you mean "poverty"?)' in p.stderr
    p = run("help", "nutriton", expect=2)
    assert 'no command "nutriton" (did you mean "nutrition"?)' in p.stderr
    # "--" ends the options: a file may start with a dash
    p = run("poverty", "--income", "y", "--line", "1", "--", "-nofile.csv", expect=1)
    assert "-nofile.csv: cannot open" in p.stderr


def test_unknown_column_suggests():
    p = run("poverty", HH, "--income", "cons_PC", "--line", "1", expect=1)
    assert 'did you mean "cons_pc"?' in p.stderr


def test_lonely_psu_names_the_flag_and_the_label(tmp_path):
    path = write(tmp_path, "lonely.csv", "y,w,s,p\n1,1,Kota,1\n2,1,Kota,2\n3,1,Kab,3\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "10", "--strata", "s",
            "--psu", "p", expect=3)
    assert (f'{path}: stratum "Kab" (column "s", --strata; line 4 is in it) has only one PSU, '
            'so its variance cannot be estimated; choose what to do with such strata: '
            '--lonely-psu remove|adjust|average|certainty') in p.stderr


def test_nesting_says_add_nest(tmp_path):
    path = write(tmp_path, "nest.csv",
                 "y,w,s,p\n1,1,3204,1\n2,1,3204,2\n3,1,3205,1\n4,1,3205,2\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "10", "--strata", "s",
            "--psu", "p", expect=1)
    assert (f'{path}: line 4: PSU "1" (column "p", --psu) is in stratum "3205" here and in '
            'stratum "3204" on line 2 (column "s", --strata); PSU ids must be unique across '
            'strata — if they restart in every stratum, add --nest') in p.stderr
    assert "nest = 1" not in p.stderr
    run("poverty", path, "--income", "y", "--weight", "w", "--line", "10", "--strata", "s",
        "--psu", "p", "--nest")


def test_nonpositive_says_the_flag(tmp_path):
    path = write(tmp_path, "z.csv", "y,w\n100,1\n50,1\n-3,2\n")
    p = run("inequality", path, "--income", "y", "--weight", "w", "--indicators", "theil",
            expect=1)
    assert (f'{path}: line 4: column "y" (--income) is -3; generalized entropy (theil) needs '
            'incomes > 0 — to leave such rows out of it, add --nonpositive exclude') in p.stderr
    p = run("inequality", path, "--income", "y", "--weight", "w", "--indicators", "atkinson:1",
            expect=1)
    assert "the Atkinson index needs incomes > 0" in p.stderr
    assert "y[" not in p.stderr


def test_negative_sampling_weight_in_nutrition_names_the_line(tmp_path):
    def edit(df):
        df.loc[df.index[10], "sw"] = -5
        return df
    path, _ = kids_file(tmp_path, edit=edit)
    p = run("nutrition", path, *KID_COLS, "--weight", "sw", expect=1)
    assert (f'{path}: line 12: the sampling weight (column "sw") is -5; weights (--weight) must '
            'be finite and >= 0') in p.stderr
    assert "sw[" not in p.stderr


def test_fpc_errors_name_the_column_and_stratum_label(tmp_path):
    path = write(tmp_path, "f.csv", "y,w,s,p,f\n1,1,A,1,5\n2,1,A,2,6\n3,1,B,3,2\n4,1,B,4,2\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "10", "--strata", "s",
            "--psu", "p", "--fpc", "f", expect=1)
    assert p.stderr == (
        f'socind: {path}: line 3: column "f" (--fpc) is 6 here and 5 on line 2, in the same '
        'stratum "A" (column "s", --strata); it must be the same for every row of a stratum\n')
    path = write(tmp_path, "g.csv", "y,w,s,p,f\n1,1,A,1,5\n2,1,A,2,5\n3,1,B,3,1\n4,1,B,4,1\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "10", "--strata", "s",
            "--psu", "p", "--fpc", "f", expect=1)
    assert p.stderr == (
        f'socind: {path}: stratum "B" (column "s", --strata; line 4 is in it): column "f" '
        '(--fpc) gives 1 PSUs in the population, fewer than the 2 PSUs of the sample\n')
    path = write(tmp_path, "h.csv", "y,w,s,p,f\n1,1,A,1,5\n2,1,A,2,5\n3,1,B,3,-2\n4,1,B,4,-2\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "10", "--strata", "s",
            "--psu", "p", "--fpc", "f", expect=1)
    assert p.stderr == (
        f'socind: {path}: line 4: column "f" (--fpc) is -2; it must be finite and > 0 (the '
        "stratum's number of PSUs, or its sampling fraction)\n")


def sample_households(tmp_path, edit):
    df = pd.read_csv(SAMPLE / "households.csv")
    df = edit(df)
    path = tmp_path / "h.csv"
    df.to_csv(path, index=False)
    return path, df


def test_report_library_error_names_the_line_of_the_year(tmp_path):
    """2024's rows are a subset of the file: the library's row is a row of
    that subset, and the message must name that row's line."""
    state = {}

    def edit(df):
        rows = df.index[df.year == 2024]
        state["row"] = rows[5]
        df.loc[rows[5], "poverty_line"] = 0
        return df
    path, _ = sample_households(tmp_path, edit)
    line = state["row"] + 2
    p = report("--households", path, expect=1)
    assert (f'{path}: line {line}: poverty: column "poverty_line" (--line-col) is 0; a poverty '
            'line must be finite and > 0') in p.stderr, p.stderr


def test_report_lonely_psu_names_a_line_of_that_year(tmp_path):
    state = {}

    def edit(df):
        s = df[df.year == 2024].stratum.iloc[0]
        mask = (df.year == 2024) & (df.stratum == s)
        df.loc[mask, "psu"] = df.loc[mask, "psu"].iloc[0]
        state["stratum"] = s
        state["line"] = int(df.index[mask][0]) + 2
        return df
    path, _ = sample_households(tmp_path, edit)
    p = report("--households", path, expect=3)
    assert (f'{path}: stratum "{state["stratum"]}" (column "stratum", --strata; line '
            f'{state["line"]} is in it) has only one PSU') in p.stderr, p.stderr
    report("--households", path, "--lonely-psu", "adjust")


# ---------------------------------------------------------------- 7. report


def test_report_title_only_for_the_bundled_sample(tmp_path):
    """the sample's regency heads only the bundled sample's brief (its files
    by default or by any path to them); another file's brief is of "the
    survey's area" (said on stderr) unless --title names it; --title wins"""
    h = tmp_path / "h.csv"
    h.write_bytes((SAMPLE / "households.csv").read_bytes())
    for lang, area in [("id", "Wilayah survei"), ("en", "Survey area")]:
        p = run("report", "--households", h, "--lang", lang, cwd=ROOT)
        assert p.stdout.startswith(f"# {area} — ")
        assert "Musi Banyuasin" not in p.stdout
        assert (f'socind report: the heading names the area "{area}" (no --title); give '
                '--title "Kabupaten ..." to name the area the files cover') in p.stderr
    md = report("--households", h, "--children", SAMPLE / "children.csv", "--title",
                "Kabupaten X").stdout
    assert md.startswith("# Kabupaten X — poverty, inequality and child nutrition\n")
    assert "Musi Banyuasin" not in md
    assert report().stdout.startswith("# Musi Banyuasin — poverty")
    assert run("report", cwd=ROOT).stdout.startswith("# Musi Banyuasin — kemiskinan")
    # the sample's own files, named: its regency, marked as synthetic,
    # nothing on stderr but the (stratum, PSU) ids its rounds share
    for args in [["--households", "data/sample/households.csv"],
                 ["--households", SAMPLE / "households.csv", "--children",
                  "data/sample/../sample/children.csv"]]:
        p = run("report", *args, "--lang", "en", cwd=ROOT)
        assert p.stdout.startswith("# Musi Banyuasin — poverty"), args
        assert "Synthetic sample data" in p.stdout
        said = p.stderr.splitlines()
        assert len(said) == 1 and "(stratum, PSU) ids of survey round 2024" in said[0]
        assert run("report", *args, "--title", "Kabupaten X", cwd=ROOT).stdout.startswith(
            "# Kabupaten X — kemiskinan")
    # one file of the sample, the other not: the survey's area
    c = tmp_path / "c.csv"
    c.write_bytes((SAMPLE / "children.csv").read_bytes())
    p = run("report", "--households", SAMPLE / "households.csv", "--children", c, "--lang", "en",
            cwd=ROOT)
    assert p.stdout.startswith("# Survey area — poverty")


def strip_files(md):
    """the brief without the lines naming its files and its title"""
    md = re.sub(r"^- (Households|Children|Rumah tangga|Anak): .*$", "", md, flags=re.M)
    return re.sub(r"^# .* — ", "# ", md, flags=re.M)


def test_report_age_months(tmp_path):
    kids = pd.read_csv(SAMPLE / "children.csv")
    kids["age_m"] = kids.age_days / 30.4375
    kids = kids.drop(columns="age_days")
    kids.to_csv(tmp_path / "c.csv", index=False)
    got = report("--children", tmp_path / "c.csv", "--age-months", "age_m",
              "--title", "Musi Banyuasin").stdout
    assert strip_files(got) == strip_files(report().stdout)
    p = report("--age-days", "a", "--age-months", "b", expect=2)
    assert "give --age-days or --age-months, not both" in p.stderr


def test_months_given_as_days_are_refused(tmp_path):
    kids = pd.read_csv(SAMPLE / "children.csv")
    kids["age_days"] = (kids.age_days / 30.4375).round()
    kids.to_csv(tmp_path / "c.csv", index=False)
    p = report("--children", tmp_path / "c.csv", expect=2)
    assert re.search(r"\d+ of the \d+ children measured have an age of at most 60 in column "
                     r'"age_days" \(--age-days\), yet', p.stderr), p.stderr
    assert "these ages look like months — give the column as --age-months age_days" in p.stderr
    p = run("nutrition", tmp_path / "c.csv", *KID_COLS, expect=2)
    assert "give the column as --age-months age_days" in p.stderr
    # one age above 60 (a typo; or months rounded up to 61) no longer turns
    # the rule off: it counts the children young and big (before, the file
    # was taken as days, stunting about a tenth of its value, exit 0)
    for bad in (999, 61):
        typo = kids.copy()
        typo.loc[typo.index[0], "age_days"] = bad
        typo.to_csv(tmp_path / "typo.csv", index=False)
        for cmd in ("nutrition", "growth"):
            p = run(cmd, tmp_path / "typo.csv", *KID_COLS, expect=2)
            assert "these ages look like months" in p.stderr, (cmd, p.stderr)
    # newborns measured as newborns are not refused
    young = kids.copy()
    young["age_days"] = young.index % 60
    young["lenhei"] = 50 + (young.index % 10)
    young["weight"] = 3.5
    young.to_csv(tmp_path / "young.csv", index=False)
    run("nutrition", tmp_path / "young.csv", *KID_COLS)


def test_report_warns_when_many_z_scores_are_flagged(tmp_path):
    sys.path.insert(0, str(ROOT / "bindings" / "python"))
    os.environ.setdefault("SOCIND_LIBRARY", str(ROOT / "build" / "libsocind.so"))
    import socind
    kids = pd.read_csv(SAMPLE / "children.csv")
    kids.loc[kids.index % 10 == 0, "lenhei"] += 45  # implausible heights: flagged HAZ
    kids.to_csv(tmp_path / "c.csv", index=False)
    q = socind.growth_quality(kids.sex, kids.age_days, kids.weight, kids.lenhei, kids.measure,
                              kids.oedema)
    with_z = q["n"] - q["missing"]["HA"]
    share = 100 * q["flagged"]["HA"] / with_z
    assert share > 5
    text = (f"{share:.1f}% of the height-for-age z-scores ({q['flagged']['HA']} of {with_z}) are "
            "flagged as implausible by WHO's limits and left out of the prevalences; more than "
            "5% points to errors in the ages (months given as days?) or the measurements — "
            "check them before using these figures.")
    html = tmp_path / "b.html"
    p = report("--children", tmp_path / "c.csv", "--html", html)
    assert f"socind report: warning: {text}" in p.stderr
    assert f"**Warning:** {text}" in p.stdout
    assert '<p class="warning"><strong>Warning:</strong> ' in html.read_text()
    # the sample itself gives no warning
    assert "Warning" not in report().stdout


def test_report_recoding_and_invalid_codes(tmp_path):
    kids = pd.read_csv(SAMPLE / "children.csv")
    kids["sex"] = kids.sex.map({1: "L", 2: "P"})
    kids.to_csv(tmp_path / "c.csv", index=False)
    got = report("--children", tmp_path / "c.csv", "--sex-codes", "L=1,P=2",
              "--title", "Musi Banyuasin").stdout
    assert strip_files(got) == strip_files(report().stdout)
    p = report("--children", tmp_path / "c.csv", expect=1)
    assert f'{tmp_path / "c.csv"}: line 2: column "sex" (--sex): "P" is not a code' in p.stderr
    p = report("--children", tmp_path / "c.csv", "--invalid-codes", "missing")
    assert ('socind report: ' + str(len(kids)) + ' rows have a code in column "sex" (--sex) that '
            'WHO\'s anthro does not accept ("P", "L"); they are taken as missing') in p.stderr


def test_report_na_values_and_encoding(tmp_path):
    hh = pd.read_csv(SAMPLE / "households.csv")
    hh.loc[hh.index[:4], "exp_pc"] = -1
    hh["kecamatan"] = hh.kecamatan.replace({"Sekayu": "Sékayu"})
    (tmp_path / "h.csv").write_bytes(hh.to_csv(index=False).encode("cp1252"))
    p = report("--households", tmp_path / "h.csv", "--na-values", ",NA,-1",
            "--encoding", "windows-1252")
    assert ('socind report: 4 rows have no value in column "exp_pc" (--income); they are left '
            'out of every estimate') in p.stderr
    assert "Sékayu" in p.stdout


# ---------------------------------------------------------------- 8. encodings


def test_encoding_option_values():
    p = run("poverty", HH, "--income", "cons_pc", "--line", "1", "--encoding", "latin-2",
            expect=2)
    assert '--encoding must be utf-8 or windows-1252, not "latin-2"' in p.stderr
    p = run("poverty", HH, "--income", "cons_pc", "--line", "1", "--encoding", "utf8")
    assert p.returncode == 0


def test_windows_1252_labels(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("y,w,g\n1,1,Séléka\n2,1,Muara\n".encode("cp1252"))
    got = table("poverty", path, "--income", "y", "--weight", "w", "--line", "5", "--by", "g",
                "--indicators", "fgt0", "--encoding", "windows-1252")
    assert list(got["group"]) == ["all", "g: Muara", "g: Séléka"]


# ---------------------------------------------------------------- 9. ids beyond int64


def test_psu_ids_beyond_int64_stay_distinct(tmp_path):
    rng = np.random.default_rng(7)
    y = rng.lognormal(13, 0.6, 40).round()
    big = [f"1000000000000000000{k}0" for k in range(10)]  # 21 digits, > 2^63
    df = pd.DataFrame({"y": y, "w": 1.0, "p": [big[i // 4] for i in range(40)]})
    df.to_csv(tmp_path / "big.csv", index=False)
    df.assign(p=[i // 4 for i in range(40)]).to_csv(tmp_path / "small.csv", index=False)
    args = ["--income", "y", "--weight", "w", "--psu", "p", "--line", "450000",
            "--indicators", "fgt0,fgt1"]
    got = table("poverty", tmp_path / "big.csv", *args)
    want = table("poverty", tmp_path / "small.csv", *args)
    pd.testing.assert_frame_equal(got, want)
    assert list(got["df"]) == [9, 9] and (got["se"] > 0).all()
    # strata too
    df.assign(s=df.p, p=range(40)).to_csv(tmp_path / "bigs.csv", index=False)
    got = table("poverty", tmp_path / "bigs.csv", "--income", "y", "--weight", "w", "--strata",
                "s", "--psu", "p", "--line", "450000")
    assert list(got["df"]) == [30] * 3


# ---------------------------------------------------------------- 10. --output never destroys data

POV = ["--income", "y", "--weight", "w", "--line", "10"]


@pytest.fixture
def small(tmp_path):
    return write(tmp_path, "in.csv", "y,w\n1,1\n20,1\n")


def test_output_onto_the_input_is_refused(tmp_path, small):
    before = pathlib.Path(small).read_bytes()
    for target in (small, str(tmp_path / "." / "in.csv")):
        p = run("poverty", small, *POV, "--output", target, expect=4)
        assert f"{target}: refusing to write over the input file {small}" in p.stderr
    link = tmp_path / "link.csv"
    link.symlink_to(small)
    p = run("poverty", small, *POV, "--output", link, expect=4)
    assert "refusing to write over the input file" in p.stderr
    p = run("poverty", link, *POV, "--output", small, expect=4)
    assert pathlib.Path(small).read_bytes() == before
    assert link.is_symlink()
    # also in report (--html) and growth
    p = report("--households", small, "--html", small, expect=4)
    assert pathlib.Path(small).read_bytes() == before
    kids = write(tmp_path, "k.csv", "sex,age\n1,100\n")
    p = run("growth", kids, "--sex", "sex", "--age-days", "age", "--output", kids, expect=4)
    assert pathlib.Path(kids).read_text() == "sex,age\n1,100\n"


def test_no_output_overwrites_an_option_file(tmp_path):
    """Every file the options read (calibration targets, replicate factors
    and scales, an earlier round) is an input that no output may replace,
    and --calibrated-weights is written as --output is: never over an
    input, never over a read-only file, replaced only when complete, and
    not onto the same file as the estimates."""
    data = write(tmp_path, "d.csv", "y,w,s,p,d\n100,1,1,1,a\n200,2,1,2,b\n300,1,2,3,a\n"
                 "400,2,2,4,b\n150,1,1,1,a\n250,1,2,4,b\n")
    ps = write(tmp_path, "ps.csv", "d,total\na,10\nb,20\n")
    rf = write(tmp_path, "rf.csv", "p,r1,r2,r3\n1,0.5,1.5,1\n2,1.5,0.5,1\n3,1,1,0.5\n4,1,1,1.5\n")
    rs = write(tmp_path, "rs.csv", "rscale\n0.5\n0.5\n0.5\n")
    files = {f: pathlib.Path(f).read_bytes() for f in (data, ps, rf, rs)}
    design = ["--income", "y", "--weight", "w", "--strata", "s", "--psu", "p", "--line", "220"]
    cal = [*design, "--poststratify", ps]
    # --calibrated-weights onto the data file, the targets, through "./"
    for target in (data, ps, str(tmp_path / "." / "d.csv")):
        p = run("poverty", data, *cal, "--calibrated-weights", target, expect=4)
        assert "refusing to write over the input file" in p.stderr
        assert "(--calibrated-weights)" in p.stderr
    # --output onto a calibration or replicate file
    for opt, f in (("--poststratify", ps), ("--rake", ps), ("--calibrate", ps)):
        p = run("poverty", data, *design, opt, f, "--output", f, expect=4)
        assert f"{f}: refusing to write over the input file {f}" in p.stderr
    rep = [*design, "--rep-factors", rf, "--rep-key", "p"]
    p = run("poverty", data, *rep, "--output", rf, expect=4)
    assert f"{rf}: refusing to write over the input file {rf}" in p.stderr
    p = run("poverty", data, *rep, "--rep-rscales", rs, "--output", rs, expect=4)
    assert f"{rs}: refusing to write over the input file {rs}" in p.stderr
    assert {f: pathlib.Path(f).read_bytes() for f in files} == files
    # the same file for both outputs, or both on standard output
    same = tmp_path / "same.csv"
    p = run("poverty", data, *cal, "--calibrated-weights", same, "--output",
            tmp_path / "." / "same.csv", expect=4)
    assert "--calibrated-weights and --output name the same file" in p.stderr
    assert not same.exists()
    p = run("poverty", data, *cal, "--calibrated-weights", "-", expect=4)
    assert "would both be written to standard output" in p.stderr
    # /dev/stdout is standard output too, and so is the file it is redirected to
    p = run("poverty", data, *cal, "--calibrated-weights", "/dev/stdout", expect=4)
    assert "would both be written to standard output" in p.stderr
    p = run("poverty", data, *cal, "--calibrated-weights", "-", "--output", "/dev/stdout",
            expect=4)
    assert "--calibrated-weights and --output name the same file" in p.stderr
    redirected = tmp_path / "r.csv"
    with open(redirected, "w") as f:
        p = subprocess.run([CLI, "poverty", data, *map(str, cal), "--calibrated-weights",
                            str(redirected)], stdout=f, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 4 and "would both be written to standard output" in p.stderr
    # a read-only file is not replaced
    read_only_refused(tmp_path, "poverty", data, *cal, "--calibrated-weights")
    # written: to a file, and to standard output beside --output
    cw = tmp_path / "cw.csv"
    run("poverty", data, *cal, "--calibrated-weights", cw, "--output", tmp_path / "o.csv")
    got = pd.read_csv(cw, float_precision="round_trip")
    assert list(got.columns) == ["row", "weight", "calibrated_weight"]
    assert got["row"].tolist() == [1, 2, 3, 4, 5, 6]
    # poststratified to a: 10 over weight 3, b: 20 over weight 6
    assert got["calibrated_weight"].tolist() == pytest.approx(
        [10 / 3, 8, 10 / 3, 8, 10 / 3, 4], rel=1e-15)
    assert not list(tmp_path.glob("cw.csv.tmp*"))
    p = run("poverty", data, *cal, "--calibrated-weights", "-", "--output", tmp_path / "o2.csv")
    assert pd.read_csv(io.StringIO(p.stdout), float_precision="round_trip").equals(got)
    # the brief: --html onto the earlier round it compares with
    earlier = tmp_path / "h2023.csv"
    earlier.write_bytes((SAMPLE / "households.csv").read_bytes())
    before = earlier.read_bytes()
    p = report("--households", SAMPLE / "households.csv", "--compare", earlier, "--html", earlier,
               expect=4)
    assert "refusing to write over the input file" in p.stderr
    assert earlier.read_bytes() == before


def read_only_refused(tmp_path, *args):
    """The command with args and a read-only file after them refuses it
    (exit 4) and leaves it as it was."""
    out = tmp_path / "ro.csv"
    out.write_text("keep me\n")
    out.chmod(0o444)
    p = run(*args, out, expect=4)
    assert f"{out}: cannot write: Permission denied" in p.stderr
    assert out.read_text() == "keep me\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o444
    return out


def test_read_only_output_is_refused(tmp_path, small):
    read_only_refused(tmp_path, "poverty", small, *POV, "--output")
    assert not list(tmp_path.glob("ro.csv.tmp*"))


def test_output_keeps_the_mode_of_the_file_it_replaces(tmp_path, small):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    out.chmod(0o640)
    run("poverty", small, *POV, "--output", out)
    assert out.read_text().startswith("indicator,")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


def test_output_through_a_symlink_writes_its_target(tmp_path, small):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "t.csv"
    target.write_text("old\n")
    link = tmp_path / "l.csv"
    link.symlink_to(pathlib.Path("real") / "t.csv")  # relative link
    run("poverty", small, *POV, "--output", link)
    assert link.is_symlink()
    assert target.read_text().startswith("indicator,")
    # a dangling link: its target is created
    dangling = tmp_path / "d.csv"
    dangling.symlink_to(tmp_path / "real" / "new.csv")
    run("poverty", small, *POV, "--output", dangling)
    assert dangling.is_symlink() and (tmp_path / "real" / "new.csv").read_text().startswith(
        "indicator,")


def test_output_to_dev_stdout_and_devices(tmp_path, small):
    p = run("poverty", small, *POV, "--output", "/dev/stdout")
    assert p.stdout.startswith("indicator,parameter,group,")
    assert not list(pathlib.Path("/dev").glob("stdout.tmp*"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text()))
    reader.start()
    run("poverty", small, *POV, "--output", fifo)
    reader.join(10)
    assert got and got[0].startswith("indicator,")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    if os.geteuid() == 0:  # a character device, as /dev/null is (root may write /dev)
        dev = tmp_path / "null"
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        run("poverty", small, *POV, "--output", dev)
        assert stat.S_ISCHR(dev.stat().st_mode)
        assert not list(tmp_path.glob("null.tmp*"))
    run("poverty", small, *POV, "--output", "/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_invalid_utf8_never_reaches_csv_or_json(tmp_path):
    path = write(tmp_path, "u.csv", b"y,w,g\n1,1,Caf\xe9\n2,1,ok\n")
    args = ["poverty", path, "--income", "y", "--weight", "w", "--line", "5", "--by", "g",
            "--indicators", "fgt0"]
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    for fmt in ("csv", "json"):
        p = subprocess.run([CLI, *args, "--format", fmt], capture_output=True, env=env)
        if p.returncode == 1:  # the reader refuses the file (its policy): nothing written
            assert p.stdout == b"" and b"UTF-8" in p.stderr
            continue
        assert p.returncode == 0
        text = p.stdout.decode("utf-8")  # strict: raises on invalid UTF-8
        if fmt == "json":
            assert [r["group"] for r in json.loads(text)] == ["all", "g: Caf\ufffd", "g: ok"]
        else:
            assert list(pd.read_csv(io.StringIO(text))["group"]) == ["all", "g: Caf\ufffd",
                                                                    "g: ok"]


# ---------------------------------------------------------------- 11. help


@pytest.mark.parametrize("command", ["poverty", "inequality", "growth", "nutrition", "report"])
def test_help_documents_the_policy(command):
    text = run("help", command).stdout
    for option in ("--na-values", "--encoding", "--decimal-comma"):
        assert option in text, (command, option)
    if command in ("growth", "nutrition", "report"):
        for option in ("--sex-codes", "--measure-codes", "--oedema-codes", "--invalid-codes"):
            assert option in text, (command, option)
    if command == "growth":
        assert "--keep COL" in text and "reason" in text
    if command == "report":
        assert "--age-months" in text
    main = run("help").stdout
    assert "may be given once" in main and "exit status: 0 ok, 1 bad data file" in main


# ---------------------------------------------------------------- 12. design ids are values


def labelled_design(tmp_path):
    df = pd.DataFrame({"y": np.arange(1.0, 11.0), "s": [1, 1, 1, 2, 2, 2, 3, 3, 3, 3],
                       "p": range(1, 11)})
    df.to_stata(tmp_path / "plain.dta", write_index=False, version=118)
    # two strata share a label: "Urban" is 1 and 3
    df.to_stata(tmp_path / "lab.dta", write_index=False, version=118,
                value_labels={"s": {1: "Urban", 2: "Rural", 3: "Urban"}})
    return tmp_path / "plain.dta", tmp_path / "lab.dta"


def test_value_labels_never_merge_strata_or_psus(tmp_path):
    plain, lab = labelled_design(tmp_path)
    args = ["--income", "y", "--strata", "s", "--psu", "p", "--indicators", "mean,gini"]
    want = table("inequality", plain, *args)
    got = table("inequality", lab, *args)
    pd.testing.assert_frame_equal(got, want)
    assert list(got["df"]) == [7, 7]
    # the PSUs' labels too: PSU 1 and 2 share a label
    df = pd.read_stata(plain)
    df.to_stata(tmp_path / "labp.dta", write_index=False, version=118,
                value_labels={"p": {1: "A", 2: "A"}})
    pd.testing.assert_frame_equal(table("inequality", tmp_path / "labp.dta", *args), want)
    # --by still reads the labels: two groups
    got = table("inequality", lab, *args, "--by", "s")
    assert list(got["group"]) == ["all", "s: Rural", "s: Urban"] * 2


def test_value_labels_shown_beside_the_ids_in_messages(tmp_path):
    df = pd.DataFrame({"y": np.arange(1.0, 8.0), "s": [1, 1, 2, 2, 3, 3, 3],
                       "p": [1, 2, 3, 4, 5, 5, 5]})
    path = tmp_path / "lonely.dta"
    df.to_stata(path, write_index=False, version=118,
                value_labels={"s": {1: "Urban", 2: "Rural", 3: "Urban"}})
    p = run("inequality", path, "--income", "y", "--strata", "s", "--psu", "p", "--indicators",
            "mean", expect=3)
    assert (f'{path}: stratum "3" (value label "Urban") (column "s", --strata; observation 5 is '
            'in it) has only one PSU') in p.stderr


def test_labelled_codes_say_their_value_and_how_to_recode(tmp_path):
    """A .dta sex column stored 1/2 with value labels "male"/"female" is read
    as its labels, which are no WHO code: the refusal names the stored
    value and the recode that reads it (--sex-codes male=1,...), and that
    recode gives the figures of the plain file."""
    df = pd.DataFrame({"sex": [1, 2, 1, 2, 9], "age": [400.0, 500.0, 600.0, 700.0, 800.0],
                       "wt": [9.0, 9.5, 10.0, 10.5, 11.0]})
    lab, plain = tmp_path / "lab.dta", tmp_path / "plain.dta"
    df.to_stata(lab, write_index=False, version=118,
                value_labels={"sex": {1: "male", 2: "female"}})
    df.to_stata(plain, write_index=False, version=118)
    cols = ["--sex", "sex", "--age-days", "age", "--weight-kg", "wt"]
    p = run("growth", lab, *cols, expect=1)
    assert (f'{lab}: observation 1: column "sex" (--sex): "male" is not a code WHO\'s anthro '
            'accepts (1, 2, m, f, M, F, or a missing value); the file\'s value 1 has the value '
            'label "male", which is what is read: recode the labels (--sex-codes '
            '"male=CODE,...", CODE one of the codes above)\n') in p.stderr, p.stderr
    # a value without a label is read as its own text: no word of a label
    assert (f'{lab}: observation 5: column "sex" (--sex): "9" is not a code WHO\'s anthro '
            'accepts (1, 2, m, f, M, F, or a missing value)\n') in p.stderr, p.stderr
    args = (*cols, "--invalid-codes", "missing")
    got = run("growth", lab, *args, "--sex-codes", "male=1,female=2").stdout
    assert got == run("growth", plain, *args).stdout


def test_empty_sd_cell_is_said(tmp_path):
    """A group of one child has a mean z-score but no SD: its empty X_sd
    cell is said on stderr with the reason, as every empty cell is."""
    path = write(tmp_path, "k.csv", "sex,age,weight,lenhei,measure,g\n1,400,9,75,l,a\n"
                 "2,400,8,75,l,b\n1,400,9.5,75,l,b\n")
    p = run("nutrition", path, "--sex", "sex", "--age-days", "age", "--weight-kg", "weight",
            "--lenhei-cm", "lenhei", "--measure", "measure", "--by", "g", "--indicators",
            "WA,WA_sd")
    assert ("WA_sd: 3 estimates (Sex: Female, Age + sex: 12-23 mo.Female, g: a) have no "
            "estimate") in p.stderr, p.stderr
    assert "(an SD needs two children or more with the z-score and a weight above 0)" \
        in p.stderr, p.stderr
    t = csv_out(p)
    assert t[(t.indicator == "WA") & (t.group == "g: a")].estimate.notna().all()
    # a design of df 0 (each stratum one cluster): the mean has no interval,
    # the SD needs none and is there
    path = write(tmp_path, "d.csv", "sex,age,weight,lenhei,measure,sw,st,cl\n"
                 "1,400,9,75,l,1,1,1\n2,500,8.5,74,l,1,1,1\n1,600,10,80,l,1,2,2\n"
                 "2,700,10.5,82,l,1,2,2\n")
    p = run("nutrition", path, "--sex", "sex", "--age-days", "age", "--weight-kg", "weight",
            "--lenhei-cm", "lenhei", "--measure", "measure", "--weight", "sw", "--strata", "st",
            "--psu", "cl", "--indicators", "HA,HA_sd")
    t = csv_out(p)
    mean = t[(t.indicator == "HA") & (t.group == "All")].iloc[0]
    sd = t[(t.indicator == "HA_sd") & (t.group == "All")].iloc[0]
    assert mean.df == 0 and np.isnan(mean.ci_low) and np.isfinite(mean.estimate)
    assert np.isfinite(sd.estimate) and sd.estimate > 0
    assert "HA_sd" not in p.stderr


def test_nutrition_and_report_strata_are_values(tmp_path):
    kids = pd.read_csv(KIDS).dropna(subset=["strata", "cluster"])
    kids["strata"] = kids["strata"].astype(int)
    kids["cluster"] = kids["cluster"].astype(int)
    strata = sorted(kids.strata.unique())
    assert len(strata) > 2
    kids.to_stata(tmp_path / "plain.dta", write_index=False, version=118)
    kids.to_stata(tmp_path / "lab.dta", write_index=False, version=118,
                  value_labels={"strata": {s: "one name" for s in strata}})
    args = [*KID_COLS, "--weight", "sw", "--strata", "strata", "--psu", "cluster",
            "--indicators", "HA_2,WH_2"]
    pd.testing.assert_frame_equal(table("nutrition", tmp_path / "lab.dta", *args),
                                  table("nutrition", tmp_path / "plain.dta", *args))
    hh = pd.read_csv(SAMPLE / "households.csv")
    hh.to_stata(tmp_path / "h.dta", write_index=False, version=118)
    hh.to_stata(tmp_path / "hl.dta", write_index=False, version=118,
                value_labels={"stratum": {s: "one name" for s in hh.stratum.unique()}})
    assert (strip_files(report("--households", tmp_path / "hl.dta").stdout)
            == strip_files(report("--households", tmp_path / "h.dta").stdout))


# ---------------------------------------------------------------- 13. one number rule


def test_decimal_comma_a_leading_zero_group_is_no_thousands(tmp_path):
    """"0.125" and "012.345" are no thousands groupings: cells and options
    follow one rule (the cells were read as 125 and 12345)."""
    path = write(tmp_path, "dc7.csv", "y;w\n-0.125;1\n012.345;1\n")
    p = run("inequality", path, "--decimal-comma", "--income", "y", "--indicators", "total",
            expect=1)
    assert (f'{path}:2:1: column "y" (--income): "-0.125" is not a number: with --decimal-comma '
            '"." separates thousands (groups of three digits after a first group that does not '
            'start with 0) and "," is the decimal point; write -0,125, or leave out '
            '--decimal-comma if "." is the decimal point') in p.stderr
    path = write(tmp_path, "dc7b.csv", "y;w\n1;1\n012.345;1\n")
    p = run("inequality", path, "--decimal-comma", "--income", "y", expect=1)
    assert f'{path}:3:1: column "y" (--income): "012.345" is not a number' in p.stderr
    path = write(tmp_path, "dc.csv", "y;w\n0,125;1\n1.250,5;1\n3;1\n")
    got = table("inequality", path, "--decimal-comma", "--income", "y", "--indicators",
                "total,quantile:0.500", "--level", "0.950")
    want = table("inequality", path, "--decimal-comma", "--income", "y", "--indicators",
                 "total,quantile:0.5", "--level", "0,95")
    assert got["estimate"].iloc[0] == 1253.625
    assert got["parameter"].iloc[1] == "0.500"
    for col in ("estimate", "se", "ci_low", "ci_high"):
        np.testing.assert_array_equal(got[col], want[col])


def test_delimiter_values(tmp_path):
    """--delimiter takes comma, semicolon or tab (or the character); a
    refusal names the value given, and "\\t" as typed (backslash, t) is
    pointed to "tab"; a tab character and "tab" read a tab-separated file"""
    path = write(tmp_path, "t.csv", "y\tw\n1\t1\n3\t1\n")
    for d in ("tab", "\t"):
        got = csv_out(run("inequality", path, "--income", "y", "--indicators", "mean",
                          "--delimiter", d))
        assert got["estimate"].iloc[0] == 2
    for d, shown, extra in (("\\t", "\\t", " (for a tab write --delimiter tab)"),
                            ("|", "|", ""), ("", "", ""), ('"', '"', "")):
        p = run("inequality", path, "--income", "y", "--delimiter", d, expect=2)
        assert (f'--delimiter must be comma, semicolon or tab, not "{shown}"{extra}\n'
                in p.stderr), p.stderr


def test_decimal_comma_refused_whenever_the_delimiter_is_a_comma(tmp_path):
    path = write(tmp_path, "c.csv", "y,w\n1.250,1\n2.500,1\n")
    p = run("inequality", path, "--decimal-comma", "--income", "y", "--indicators", "mean",
            expect=1)
    assert (f"{path}:1: the header's columns are separated by commas, and a comma cannot also be "
            "the decimal separator: --decimal-comma reads files separated by semicolons or tabs "
            '(leave out --decimal-comma if "." is the decimal point)') in p.stderr
    assert p.stdout == ""
    p = run("inequality", path, "--decimal-comma", "--delimiter", "comma", "--income", "y",
            expect=2)
    assert "--decimal-comma needs a semicolon or tab delimiter" in p.stderr
    # one column: no delimiter in the header, and a comma cannot be one
    path = write(tmp_path, "one.csv", "y\n1,5\n2,5\n")
    got = table("inequality", path, "--decimal-comma", "--income", "y", "--indicators", "mean")
    assert got["estimate"].iloc[0] == 2
    path = write(tmp_path, "tab.csv", "y\tw\n1,5\t1\n2,5\t1\n")
    got = table("inequality", path, "--decimal-comma", "--income", "y", "--indicators", "mean")
    assert got["estimate"].iloc[0] == 2


def test_a_delimiter_that_is_not_the_files_is_named(tmp_path):
    """--delimiter other than the file's: the header is read as one column.
    The message said 'no column "y"; the header has: y,w', a list that holds
    "y"; it now says which delimiter split it and which one the header holds."""
    base = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    for text, given, holds, word in (("y,w\n1,1\n", "semicolon", "commas", "comma"),
                                     ("y;w\n1;1\n", "tab", "semicolons", "semicolon"),
                                     ("y\tw\n1\t1\n", "comma", "tabs", "tab")):
        path = write(tmp_path, "d.csv", text)
        for env in ({}, {"SOCIND_STREAM": "verbose", "SOCIND_CHUNK_ROWS": "1"}):
            p = subprocess.run([CLI, "inequality", path, "--income", "y", "--indicators", "mean",
                                "--delimiter", given], capture_output=True, text=True,
                               env={**base, **env})
            assert p.returncode == 1, p.stderr
            assert (f'{path}:1: no column "y" (named by --income): split at --delimiter {given}, '
                    f"the header is one column") in p.stderr, p.stderr
            assert f"which holds {holds}: give --delimiter {word}" in p.stderr, p.stderr
    # a header of one column that holds no other delimiter keeps the list
    path = write(tmp_path, "one.csv", "x\n1\n")
    p = run("inequality", path, "--income", "y", "--delimiter", "semicolon", expect=1)
    assert 'no column "y" (named by --income); the header has: x' in p.stderr, p.stderr


# ---------------------------------------------------------------- 14. ids as written


@pytest.mark.parametrize("a, b", [("01", "1"), ("+1", "1"), ("-0", "0"), (" 007", "7")])
def test_ids_written_differently_are_different_ids(tmp_path, a, b):
    """"01" and "1" are two groups of --by, so they are two PSUs (and two
    strata): numeric ids only when every label is its integer's own text."""
    text = f"y,w,s,p\n1,1,1,{b}\n2,1,1,{a}\n3,1,1,2\n4,1,2,3\n5,1,2,4\n6,1,1,{b}\n"
    path = write(tmp_path, "ids.csv", text)
    got = table("inequality", path, "--income", "y", "--strata", "s", "--psu", "p",
                "--indicators", "mean")
    same = write(tmp_path, "same.csv", text.replace(f",{a}\n", ",9\n"))
    want = table("inequality", same, "--income", "y", "--strata", "s", "--psu", "p",
                 "--indicators", "mean")
    assert list(got["df"]) == [3]
    pd.testing.assert_frame_equal(got, want)
    by = table("inequality", path, "--income", "y", "--by", "p", "--indicators", "mean")
    assert len(by) == 1 + 5
    # strata likewise
    text = f"y,w,s,p\n1,1,{b},1\n2,1,{b},2\n3,1,{a},3\n4,1,{a},4\n"
    path = write(tmp_path, "st.csv", text)
    got = table("inequality", path, "--income", "y", "--strata", "s", "--psu", "p",
                "--indicators", "mean")
    assert list(got["df"]) == [2]


# ---------------------------------------------------------------- 15. no figure without a status


def test_an_estimate_without_an_interval_says_why(tmp_path):
    path = write(tmp_path, "dc6.csv", "y;w\n0,125;1\n0,5;1\n")
    p = run("inequality", path, "--decimal-comma", "--income", "y", "--indicators",
            "quantile:0.5")
    assert csv_out(p)[["estimate", "se", "ci_low"]].iloc[0].tolist()[0] == 0.125
    assert p.stderr == (
        "socind inequality: quantile:0.5: 1 estimate (all) has no standard error or interval "
        "(empty se, ci_low and ci_high cells): a value is outside the supported range (a "
        "confidence limit of the quantile falls outside the data, where R's svyquantile "
        "gives NA)\n")


def test_no_interval_without_degrees_of_freedom_names_the_flag(tmp_path):
    path = write(tmp_path, "df.csv", "y,w,s,p\n1,1,1,1\n2,1,1,1\n3,1,2,2\n4,1,2,2\n")
    args = ["--income", "y", "--strata", "s", "--psu", "p", "--lonely-psu", "certainty",
            "--indicators", "mean,gini"]
    p = run("inequality", path, *args)
    assert p.stderr == "".join(
        f"socind inequality: {ind}: 1 estimate (all) has no interval (empty ci_low and ci_high "
        "cells): degrees of freedom are not positive: no t-based interval; --ci normal gives "
        "normal intervals\n" for ind in ("mean", "gini"))
    assert run("inequality", path, *args, "--ci", "normal").stderr == ""
    p = run("inequality", path, "--income", "y", "--strata", "s", "--psu", "p", "--lonely-psu",
            "average", "--indicators", "mean")
    assert p.stderr == (
        "socind inequality: mean: 1 estimate (all) has no standard error or interval (empty se, "
        "ci_low and ci_high cells): a stratum has only one PSU (the lonely-PSU policy is "
        "'fail', or 'average' with every stratum lonely); here the policy is average and every stratum with rows has one PSU, so there "
        "is nothing to average: choose --lonely-psu remove, adjust or certainty\n")
    path = write(tmp_path, "zero.csv", "y,w\n0,1\n0,1\n")
    p = run("inequality", path, "--income", "y", "--indicators", "gini")
    assert p.stderr == (
        "socind inequality: gini: 1 estimate (all) has no estimate (empty estimate, se, ci_low "
        "and ci_high cells): a data value is invalid for this estimator (a Gini coefficient "
        "needs a total income above 0)\n")


def test_empty_domains_in_one_line(tmp_path):
    rows = ["y,w,g"] + [f"{v},1,{g}" for v, g in ((1, "a"), (2, "a"), (3, "b"), (4, "b"))]
    rows += [f"NA,1,{g}" for g in "cdef"]
    path = write(tmp_path, "e.csv", "\n".join(rows) + "\n")
    p = run("poverty", path, "--income", "y", "--line", "2.5", "--by", "g", "--indicators",
            "fgt0,poor")
    got = csv_out(p)
    assert got[got.group == "g: c"]["estimate"].isna().all()
    assert p.stderr == (
        'socind poverty: 4 rows have no value in column "y" (--income); they are left out of '
        "every estimate\n"
        "socind poverty: 8 estimates of 4 groups (g: c, g: d, g: e, ...) have no estimate "
        "(empty estimate, se, ci_low and ci_high cells): a domain has no usable observation\n")


def test_estimates_with_every_figure_say_nothing():
    p = run("inequality", HH, *DESIGN, "--indicators", "mean,gini,quantile:0.5", "--by", "urban")
    assert p.stderr == ""


def test_library_messages_are_built_from_the_status_and_the_row(tmp_path):
    """Nothing parses the library's detail text: what it alone knows is
    quoted verbatim after the command's own sentence."""
    path = write(tmp_path, "w0.csv", "y,w\n1,0\n2,0\n")
    p = run("inequality", path, "--income", "y", "--weight", "w", expect=1)
    assert p.stderr == (f'socind: {path}: every sampling weight in column "w" (--weight) is 0: '
                        "no row counts\n")
    path = write(tmp_path, "eq.csv", "y,w\n5,1\n5,1\n5,1\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--relative", "0.6:median",
            expect=1)
    assert p.stderr.startswith(f"socind: {path}: fgt0: a data value is invalid for this "
                               "estimator (the library's detail: \"")
    assert "y[" not in p.stderr and "row " not in p.stderr


# ---------------------------------------------------------------- 16. every hint can be followed


def hint_scenarios(tmp_path):
    """(command, args, exit) runs that print every kind of advice the
    commands give: library refusals, statuses, codes, ages, numbers, text."""
    w = lambda name, text: write(tmp_path, name, text)  # noqa: E731
    nest = w("nest.csv", "y,w,s,p\n1,1,3204,1\n2,1,3204,2\n3,1,3205,1\n4,1,3205,2\n")
    lonely = w("lonely.csv", "y,w,s,p\n1,1,A,1\n2,1,A,2\n3,1,B,3\n")
    zero = w("zero.csv", "y,w,s,p\n0,1,1,1\n5,1,1,2\n6,1,2,3\n7,1,2,4\n")
    df0 = w("df0.csv", "y,w,s,p\n1,1,1,1\n2,1,1,1\n3,1,2,2\n4,1,2,2\n")
    comma = w("comma.csv", 'y,w\n"1,5",1\n2,1\n')
    latin = w("latin.csv", b"y,w,g\n1,1,S\xe9\n2,1,x\n")
    ids = ["--strata", "s", "--psu", "p"]
    out = []
    for cmd in ("poverty", "inequality"):
        line = ["--line", "3"] if cmd == "poverty" else []
        ind = "watts" if cmd == "poverty" else "theil"
        out += [(cmd, [nest, "--income", "y", *line, *ids], 1),
                (cmd, [lonely, "--income", "y", *line, *ids], 3),
                (cmd, [lonely, "--income", "y", *line, "--psu", "w"], 3),
                (cmd, [zero, "--income", "y", *line, "--indicators", ind], 1),
                (cmd, [df0, "--income", "y", *line, *ids, "--lonely-psu", "certainty"], 0),
                (cmd, [df0, "--income", "y", *line, *ids, "--lonely-psu", "average"], 0),
                (cmd, [comma, "--income", "y", *line], 1),
                (cmd, [latin, "--income", "y", *line, "--by", "g"], 1)]
    kids = pd.read_csv(KIDS).dropna(subset=["strata", "cluster", "sex"])
    bad = kids.assign(sex=kids.sex.astype(int).astype(str).replace({"2": "P"}),
                      measure="x", oedema="t")
    bad.to_csv(tmp_path / "bad.csv", index=False)
    months = kids[kids.age_days <= 1826].assign(age_days=lambda d: (d.age_days / 30.4375).round())
    months.to_csv(tmp_path / "months.csv", index=False)
    one = kids.groupby("strata").head(3).copy()
    one["cluster"] = one["strata"]  # one cluster per stratum: df 0
    one.to_csv(tmp_path / "one.csv", index=False)
    for cmd in ("growth", "nutrition"):
        design = ["--weight", "sw", "--strata", "strata", "--psu", "cluster"] * (
            cmd == "nutrition")
        out += [(cmd, [tmp_path / "bad.csv", *KID_COLS, *design], 1),
                (cmd, [tmp_path / "months.csv", *KID_COLS, *design], 2),
                (cmd, [tmp_path / "one.csv", *KID_COLS, *design], 0),
                (cmd, [comma, "--sex", "w", "--age-days", "y"], 1),
                (cmd, [latin, "--sex", "g", "--age-days", "y"], 1)]
    hh = pd.read_csv(SAMPLE / "households.csv")
    hh.assign(psu=hh.psu % 1000).to_csv(tmp_path / "hnest.csv", index=False)
    s = hh[hh.year == 2024].stratum.iloc[0]
    mask = (hh.year == 2024) & (hh.stratum == s)
    hl = hh.copy()
    hl.loc[mask, "psu"] = hl.loc[mask, "psu"].iloc[0]
    hl.to_csv(tmp_path / "hlonely.csv", index=False)
    sk = pd.read_csv(SAMPLE / "children.csv")
    sk.assign(sex=sk.sex.replace({2: "P"})).to_csv(tmp_path / "rbad.csv", index=False)
    sk.assign(age_days=(sk.age_days / 30.4375).round()).to_csv(tmp_path / "rmonths.csv",
                                                              index=False)
    t = ["--title", "Test"]
    out += [("report", ["--households", tmp_path / "hnest.csv", *t], 1),
            ("report", ["--households", tmp_path / "hlonely.csv", *t], 3),
            ("report", ["--households", SAMPLE / "households.csv", "--children",
                        tmp_path / "rbad.csv", *t], 1),
            ("report", ["--households", SAMPLE / "households.csv", "--children",
                        tmp_path / "rmonths.csv", *t], 2),
            ("report", ["--households", tmp_path / "hcomma.csv", *t], 1),
            ("report", ["--households", tmp_path / "hlatin.csv", *t], 1)]
    hc = hh.astype({"exp_pc": str})
    hc.loc[hc.index[3], "exp_pc"] = "1,5"
    hc.to_csv(tmp_path / "hcomma.csv", index=False)
    (tmp_path / "hlatin.csv").write_bytes(
        hh.assign(kecamatan=hh.kecamatan.replace({"Sekayu": "Sékayu"})).to_csv(index=False)
        .encode("cp1252"))
    return out


def test_every_hint_names_an_option_the_command_takes(tmp_path):
    said = {}
    for cmd, args, code in hint_scenarios(tmp_path):
        p = run(cmd, *args, expect=code, cwd=ROOT)
        said.setdefault(cmd, set()).update(re.findall(r"--([a-z][a-z0-9-]*)", p.stderr))
    # the advice this test means to reach
    assert {"nest", "lonely-psu", "nonpositive", "ci", "decimal-comma",
            "encoding"} <= said["poverty"]
    assert {"sex-codes", "measure-codes", "oedema-codes", "invalid-codes",
            "age-months"} <= said["nutrition"]
    assert {"nest", "lonely-psu", "sex-codes", "age-months", "encoding"} <= said["report"]
    for cmd, options in said.items():
        helped = set(re.findall(r"--([a-z][a-z0-9-]*)", run("help", cmd).stdout))
        for o in options:
            assert o in helped, f"socind {cmd} advises --{o}, which its help does not list"
            p = subprocess.run([CLI, cmd, f"--{o}"], capture_output=True, text=True)
            assert "unknown option" not in p.stderr, (cmd, o)


def test_report_takes_nest(tmp_path):
    hh = pd.read_csv(SAMPLE / "households.csv")
    hh.to_csv(tmp_path / "h.csv", index=False)
    hh.assign(psu=hh.psu % 1000).to_csv(tmp_path / "hnest.csv", index=False)
    p = report("--households", tmp_path / "hnest.csv", expect=1)
    assert "PSU ids must be unique across strata — if they restart in every stratum, add --nest" \
        in p.stderr
    got = report("--households", tmp_path / "hnest.csv", "--nest").stdout
    assert strip_files(got) == strip_files(report("--households", tmp_path / "h.csv").stdout)


# ---------------------------------------------------------------- 17. growth ids


def test_growth_default_id_is_the_record_in_the_whole_file(tmp_path):
    path = write(tmp_path, "k.csv", "yr,sex,age,w,h\n2023,1,400,9,75\n2024,2,400,7,70\n"
                 '2023,1,400,9,75\n"2024",1,500,11,80\n')
    cols = ["--sex", "sex", "--age-days", "age", "--weight-kg", "w", "--lenhei-cm", "h"]
    whole = csv_out(run("growth", path, *cols))
    assert list(whole["id"]) == [1, 2, 3, 4]
    sub = csv_out(run("growth", path, *cols, "--subset", "yr=2024"))
    assert list(sub["id"]) == [2, 4]
    # joining back by id finds the same child
    want = whole.set_index("id").loc[[2, 4]].reset_index()
    pd.testing.assert_frame_equal(sub, want)
    # a cell over two lines is still one record
    path = write(tmp_path, "m.csv", 'yr,sex,age,w,h,note\n2023,1,400,9,75,"a\nb"\n'
                 "2024,2,400,7,70,x\n")
    got = csv_out(run("growth", path, *cols, "--subset", "yr=2024"))
    assert list(got["id"]) == [2]


# ---------------------------------------------------------------- 18. smaller refusals and hints


def test_windows_1252_on_a_utf8_file_is_refused_naming_both_readings(tmp_path):
    path = write(tmp_path, "u8.csv", "y,w,g\n1,1,Café\n2,1,x\n")
    p = run("inequality", path, "--income", "y", "--by", "g", "--encoding", "windows-1252",
            expect=1)
    assert p.stderr == (f'socind: {path}:2: the text is valid UTF-8 ("Café" as UTF-8), and '
                        '--encoding windows-1252 would read it as "CafÃ©": leave out --encoding '
                        "if the file is UTF-8, as its bytes say\n")
    got = table("inequality", path, "--income", "y", "--by", "g", "--indicators", "mean")
    assert "g: Café" in list(got["group"])


def test_gedec_says_which_rows_its_total_leaves_out(tmp_path):
    path = write(tmp_path, "gd.csv", "y,g\n1,a\n2,b\n3,\n4,a\n5,b\n")
    p = run("inequality", path, "--income", "y", "--indicators", "ge:2,gedec:2",
            "--decompose-by", "g")
    got = csv_out(p)
    assert got.set_index("indicator").loc["ge:2", "n"] == 5
    assert got.set_index("indicator").loc["gedec:2:total", "n"] == 4
    assert p.stderr == ('socind inequality: 1 row has no value in column "g" (--decompose-by); it '
                        "is left out of the total, within and between of gedec:2 (so its total "
                        "can differ from ge:2, which keeps it)\n")
    p = run("inequality", path, "--income", "y", "--indicators", "gedec:2,gedec:0",
            "--decompose-by", "g")
    assert ("it is left out of the total, within and between of gedec:2, gedec:0 (so each total "
            "can differ from ge:T, which keeps it)") in p.stderr
    p = run("poverty", path, "--income", "y", "--line", "3", "--decompose-by", "g")
    assert ("it is in none of the groups of the profile rows, whose shares and contributions "
            "then add up to less than the whole") in p.stderr


@pytest.mark.parametrize("args, message", [
    (["--decimal-comma", "--indicators", "quantile:0,5"],
     '--indicators: "quantile:0,5": "," separates indicators, so "5" would be an indicator of '
     'its own; write a parameter with a decimal point (quantile:0.5), also under '
     '--decimal-comma'),
    (["--indicators", "gini,atkinson:1,5"],
     '--indicators: "atkinson:1,5": "," separates indicators, so "5" would be an indicator of '
     'its own; write a parameter with a decimal point (atkinson:1.5), also under '
     '--decimal-comma'),
    (["--indicators", "gni"], 'unknown indicator "gni" (did you mean "gini"?); known: mean '),
    (["--indicators", "quantil:0.5"],
     'unknown indicator "quantil:0.5" (did you mean "quantile:0.5"?); known: '),
    (["--indicators", "zzz"], 'unknown indicator "zzz"; known: mean '),
])
def test_indicator_lists_explain_themselves(tmp_path, args, message):
    path = write(tmp_path, "y.csv", "y;w\n1;1\n2;1\n")
    p = run("inequality", path, "--income", "y", *args, expect=2)
    assert f"socind inequality: {message}" in p.stderr, p.stderr


def test_nutrition_indicator_did_you_mean():
    p = run("nutrition", KIDS, *KID_COLS, "--indicators", "HA_2,WH2_", expect=2)
    assert ('socind nutrition: unknown indicator "WH2_" (did you mean "WH_2"?); WHO\'s stems: '
            in p.stderr)


def test_output_directory_checked_before_the_input_is_read(tmp_path, small):
    out = tmp_path / "nodir" / "out.csv"
    # the input would fail (no such column): the output's directory is said first
    p = run("poverty", small, "--income", "nope", "--line", "1", "--output", out, expect=4)
    assert p.stderr == (f"socind: {out}: cannot write: No such file or directory (no file can be "
                        f"created in the directory {out.parent}, where the output is written "
                        "through a temporary file)\n")
    if os.geteuid() != 0:  # root writes in a read-only directory
        ro = tmp_path / "ro"
        ro.mkdir()
        (ro / "out.csv").write_text("keep\n")
        ro.chmod(0o555)
        try:
            p = run("poverty", small, *POV, "--output", ro / "out.csv", expect=4)
            assert "cannot write: Permission denied (no file can be created in the directory" \
                in p.stderr
        finally:
            ro.chmod(0o755)
    # the probe leaves nothing behind
    run("poverty", small, *POV, "--output", tmp_path / "ok.csv")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["in.csv", "ok.csv"]


@pytest.mark.parametrize("args,message", [
    (["poverty", "--income", "y", "--line", "0"], "--line must be > 0, got 0"),
    (["poverty", "--income", "y", "--line", "-5"], "--line must be > 0, got -5"),
    (["poverty", "--income", "y", "--relative", "0:median"],
     "--relative: the fraction F must be > 0, got 0"),
    (["poverty", "--income", "y", "--indicators", "rich:Cha:1", "--rich-line", "0"],
     "--rich-line must be > 0, got 0"),
    (["poverty", "--income", "y", "--indicators", "rich:Cha:1", "--rich-relative", "0:mean"],
     "--rich-relative: the fraction F must be > 0, got 0"),
    (["poverty", "--income", "y", "--line", "5", "--indicators", "fgt:-1"],
     'indicator "fgt:-1": alpha must be >= 0, got -1'),
    (["poverty", "--income", "y", "--line", "5", "--indicators", "fgtdec:1"],
     'indicator "fgtdec:1": alpha must be > 1, got 1'),
    (["inequality", "--income", "y", "--indicators", "quantile:0"],
     'indicator "quantile:0": p must be in (0, 1), got 0'),
    (["inequality", "--income", "y", "--indicators", "quantile:1"],
     'indicator "quantile:1": p must be in (0, 1), got 1'),
    (["inequality", "--income", "y", "--indicators", "lorenz:0"],
     'indicator "lorenz:0": p must be in (0, 1), got 0'),
    (["inequality", "--income", "y", "--indicators", "share_ratio:0.2:1"],
     'indicator "share_ratio:0.2:1": Y must be in (0, 1), got 1'),
    (["inequality", "--income", "y", "--indicators", "atkinson:0"],
     'indicator "atkinson:0": epsilon must be > 0, got 0'),
    (["inequality", "--income", "y", "--indicators", "iqalpha:1.5"],
     'indicator "iqalpha:1.5": alpha must be in (0, 1), got 1.5'),
    (["inequality", "--income", "y", "--indicators", "isq_upper:0"],
     'indicator "isq_upper:0": alpha must be in (0, 1), got 0'),
    (["inequality", "--income", "y", "--indicators", "rich:FGTT1:2", "--rich-line", "5"],
     'indicator "rich:FGTT1:2": FGTT1 richness needs G in [0, 1], got 2'),
    (["inequality", "--income", "y", "--indicators", "rich:FGTT2:1", "--rich-line", "5"],
     'indicator "rich:FGTT2:1": FGTT2 richness needs G > 1, got 1'),
    (["inequality", "--income", "y", "--indicators", "rich:Cha:1:0"],
     'indicator "rich:Cha:1:0": its line must be > 0, got 0'),
    (["targeting", "--income", "y", "--recipient", "r", "--line", "0"],
     "--line must be > 0, got 0"),
    (["simulate", "--income", "y", "--line", "0", "--amount", "1"], "--line must be > 0, got 0"),
])
def test_parameters_out_of_range_are_usage_errors_before_reading(tmp_path, args, message):
    """A line, a fraction or an indicator's parameter outside the range the
    library takes is a usage error (exit 2) said before the input is read
    (the input here does not exist), not the library's refusal (exit 3)
    after reading it all."""
    missing = str(tmp_path / "none.csv")
    p = run(args[0], missing, *args[1:], expect=2)
    assert f"socind {args[0]}: {message}\n" in p.stderr, p.stderr


def test_two_round_line_out_of_range_is_a_usage_error_before_reading(tmp_path):
    for cmd in ("change", "gic"):
        p = run(cmd, tmp_path / "a.csv", tmp_path / "b.csv", "--income", "y", "--line", "0",
                expect=2)
        assert f"socind {cmd}: --line must be > 0, got 0\n" in p.stderr, p.stderr


def test_empty_output_name_refused_before_the_input_is_read(tmp_path, small):
    """--output '' (and --calibrated-weights '', report --html '') is
    refused at once, naming the option, not after the run."""
    p = run("poverty", small, "--income", "nope", "--line", "1", "--output", "", expect=4)
    assert p.stderr == ("socind: an empty file name: name a file, or - for standard output "
                        "(--output)\n")
    targets = write(tmp_path, "t.csv", "variable,level,total\n_total,,2\n")
    p = run("poverty", small, *POV, "--poststratify", targets, "--calibrated-weights", "",
            expect=4)
    assert "an empty file name" in p.stderr and "(--calibrated-weights)" in p.stderr
    p = run("report", "--children", SAMPLE / "children.csv", "--title", "T", "--html", "",
            expect=4)
    assert p.stderr == ("socind: an empty file name: name a file, or - for standard output "
                        "(--html)\n")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["in.csv", "t.csv"]


def test_dash_is_standard_input(tmp_path, small):
    want = run("poverty", small, *POV).stdout
    p = subprocess.run([CLI, "poverty", "-", *POV], input=open(small).read(),
                       capture_output=True, text=True)
    assert p.returncode == 0 and p.stdout == want
    p = subprocess.run([CLI, "poverty", "-", *POV, "--output", "-"], input="y,w\n1,1\nx,1\n",
                       capture_output=True, text=True)
    assert p.returncode == 1
    assert p.stderr == ('socind: /dev/stdin:3:1: column "y" (--income): "x" is not a number\n')
    kids = (SAMPLE / "children.csv").read_text()
    p = subprocess.run([CLI, "report", "--households", SAMPLE / "households.csv", "--children",
                        "-", "--title", "T", "--lang", "en"],
                       input=kids, capture_output=True, text=True, cwd=ROOT)
    n = len(kids.splitlines()) - 1
    assert p.returncode == 0 and f"- Children: /dev/stdin ({n:,} rows)." in p.stdout
    p = run("report", "--children", "-", "--households", "-", expect=2)
    assert "standard input can be only one of them" in p.stderr


def test_writers_escape_text_and_replace_bytes_that_are_not_utf8(tmp_path):
    """One writer (out_text) behind CSV, JSON and the report's Markdown and
    HTML: escapes per format, U+FFFD for bytes that are not UTF-8."""
    label = 'a "q", b\tc\nd\x01e|<&>é'
    text = 'y,g\n1,"' + label.replace('"', '""') + '"\n2,x\n'
    path = write(tmp_path, "esc.csv", text)
    args = ["inequality", path, "--income", "y", "--by", "g", "--indicators", "mean"]
    got = json.loads(run(*args, "--format", "json").stdout)
    assert [r["group"] for r in got] == ["all", f"g: {label}", "g: x"]
    assert list(csv_out(run(*args))["group"]) == ["all", f"g: {label}", "g: x"]
    # the report writes file names and titles given as bytes
    hh = tmp_path / "h\xe9.csv".encode("latin-1").decode("utf-8", "surrogateescape")
    hh.write_bytes((SAMPLE / "households.csv").read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    html = tmp_path / "b.html"
    p = subprocess.run([os.fsencode(CLI), b"report", b"--households", os.fsencode(hh),
                        b"--title", b"Kab. <A|B> \xff", b"--html", os.fsencode(html),
                        b"--lang", b"en"],
                       capture_output=True, cwd=ROOT, env=env)
    assert p.returncode == 0, p.stderr
    md = p.stdout.decode("utf-8")  # strict
    assert md.startswith("# Kab. \\<A\\|B\\> \ufffd — poverty")  # (Markdown-escaped)
    n = len((SAMPLE / "households.csv").read_text().splitlines()) - 1
    assert f"h\ufffd.csv ({n:,} rows" in md
    page = html.read_bytes().decode("utf-8")
    assert "<h1>Kab. &lt;A|B&gt; \ufffd — poverty" in page


# ---------------------------------------------------------------- 19. code tables


@pytest.mark.parametrize("cell, sex", [
    ("1", 1), ("2", 2), ("m", 1), ("M", 1), ("f", 2), ("F", 2), ("1.0", 1), ("01", 1),
    ("+1", 1), ("1e0", 1), ("10e-1", 1), ("2.000", 2), ("1.0000000000000002", None),
    ("1.00000000000000001", None), ("0.99999999999999999", None), ("-1", None), ("3", None),
    ("male", None), ("L", None), ("1.5", None),
])
def test_sex_codes_are_exact(tmp_path, cell, sex):
    """A cell is a number code only when its decimal value is exactly the
    code (docs/boundary.md, "Code tables"): the binding follows the rule."""
    path = write(tmp_path, "s.csv", f'sex,age,w\n"{cell}",400,9\n1,400,9\n')
    args = ["growth", path, "--sex", "sex", "--age-days", "age", "--weight-kg", "w"]
    if sex is None:
        p = run(*args, expect=1)
        assert (f'{path}: line 2: column "sex" (--sex): "{cell}" is not a code WHO\'s anthro '
                "accepts (1, 2, m, f, M, F, or a missing value)") in p.stderr
        return
    got = csv_out(run(*args))
    want = csv_out(run("growth", write(tmp_path, "t.csv", f"sex,age,w\n{sex},400,9\n1,400,9\n"),
                       *args[2:]))
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("cell, accepted", [
    ("n", True), ("y", True), ("N", True), ("Y", True), ("1", True), ("2", True), ("1.0", True),
    ("2.0000000000000004", False), ("0", False), ("yes", False)])
def test_oedema_codes_are_exact(tmp_path, cell, accepted):
    path = write(tmp_path, "o.csv", f"sex,age,w,h,oed\n1,400,9,75,{cell}\n")
    args = ["growth", path, "--sex", "sex", "--age-days", "age", "--weight-kg", "w",
            "--lenhei-cm", "h", "--oedema", "oed"]
    if accepted:
        z = csv_out(run(*args))
        # 1 = yes: oedema blanks the weight-based z-scores
        assert math.isnan(z["zwei"].iloc[0]) == (cell in ("y", "Y", "1", "1.0"))
    else:
        p = run(*args, expect=1)
        assert "(n, y, N, Y, 1 = yes, 2 = no, or a missing value)" in p.stderr


def test_measure_codes_and_recoding_compare_exact_values(tmp_path):
    path = write(tmp_path, "m.csv", "sex,age,h,meas\n1,400,75,1.0\n2,400,70,2\n")
    args = ["growth", path, "--sex", "sex", "--age-days", "age", "--lenhei-cm", "h",
            "--measure", "meas"]
    p = run(*args, expect=1)
    assert '"1.0" is not a code WHO\'s anthro accepts (l, h, L, H, or a missing value)' in p.stderr
    run(*args, "--measure-codes", "1=l,2=h")  # 1.0 is the file's 1
    p = run(*args, "--measure-codes", "1.0000000000000002=l,2=h", expect=1)
    assert '"1.0" is not a code' in p.stderr


def test_report_names_figures_it_cannot_give(tmp_path):
    kids = pd.read_csv(SAMPLE / "children.csv")
    kids = kids[kids.age_days >= 183]  # no child of 0-5 months
    kids.to_csv(tmp_path / "c.csv", index=False)
    p = report("--children", tmp_path / "c.csv")
    assert ("socind report: 4 estimates of 1 group (0–5 months) have no estimate (shown as –): "
            "a domain has no usable observation\n" in p.stderr)
    assert "| 0–5 months | – | – | – | – | – | – | – | – | 0 |" in p.stdout
    assert "nan" not in p.stdout


@pytest.mark.parametrize("chunk", [None, "100"])
def test_negative_ages_are_said(tmp_path, monkeypatch, chunk):
    """anthro refuses a whole file with an age below 0 (round_up: every
    unrounded age >= 0); socind gives such a child no z-score and says how
    many there are, in memory and streamed: growth's z-scores of theirs are
    empty, nutrition leaves them out of every indicator (its figures those
    of the same children without an age or a measurement). -0 is 0."""
    if chunk:
        monkeypatch.setenv("SOCIND_CHUNK_ROWS", chunk)
    kids = pd.read_csv(KIDS)
    neg = kids.index[(kids.age_days < 1000) & kids.weight.notna() & kids.lenhei.notna()][:3]
    kids.loc[neg, "age_days"] = [-5, -0.3, -400]
    kids.loc[kids.index[kids.age_days == 0][:1], "age_days"] = -0.0
    path = write(tmp_path, "k.csv", kids.to_csv(index=False))
    design = ["--weight", "sw", "--strata", "strata", "--psu", "cluster"]
    p = run("nutrition", path, *KID_COLS, *design)
    assert ('socind nutrition: warning: 3 rows have an age below 0 in column "age_days" '
            "(WHO's anthro refuses a file with one): they are left out of every indicator"
            ) in p.stderr, p.stderr
    gone = kids.copy()
    gone.loc[neg, ["age_days", "weight", "lenhei", "headc", "armc", "triskin", "subskin"]] = None
    want = run("nutrition", write(tmp_path, "gone.csv", gone.to_csv(index=False)), *KID_COLS,
               *design)
    cols = ["indicator", "group", "estimate", "se", "ci_low", "ci_high"]
    assert csv_out(p)[cols].equals(csv_out(want)[cols])
    g = run("growth", path, *KID_COLS)
    assert ('socind growth: warning: 3 rows have an age below 0 in column "age_days" '
            "(WHO's anthro refuses a file with one): every z-score of theirs is empty (reason: "
            "age negative)") in g.stderr, g.stderr


# ---------------------------------------------------------------- comma lists: an empty item

HH_ROUNDS = [SAMPLE / "households.csv", SAMPLE / "households.csv", "--base-subset", "year=2023",
             "--compare-subset", "year=2024", "--income", "exp_pc", "--weight", "weight_person",
             "--strata", "stratum", "--psu", "psu"]


@pytest.mark.parametrize("args,option,value,where", [
    (["poverty", HH, *DESIGN, "--line", "500000"], "indicators", "fgt0,,fgt1",
     'item 2 of 3 is empty (two "," with nothing between)'),
    (["inequality", HH, *DESIGN], "indicators", "gini,", 'item 2 of 2 is empty (the list ends'),
    (["nutrition", KIDS, *KID_COLS], "indicators", ",HA_2", 'item 1 of 2 is empty (the list starts'),
    (["growth", KIDS, *GROWTH], "keep", "typeres, ,sw", "item 2 of 3 is empty"),
    (["gic", *HH_ROUNDS], "percentiles", "0.1,,0.5", "item 2 of 3 is empty"),
    (["change", *HH_ROUNDS, "--line", "545000"], "alpha", "0,1,", "item 3 of 3 is empty"),
    (["simulate", HH, *DESIGN, "--line", "500000", "--amount", "1"], "alpha", "0,,1",
     "item 2 of 3 is empty"),
    (["simulate", HH, *DESIGN, "--line", "500000", "--amount-by", "urban"], "amounts",
     "0=1,,1=2", "item 2 of 3 is empty"),
])
def test_empty_list_item_is_refused(args, option, value, where):
    """An empty item in a comma list (most likely a typo) was skipped by some
    options (--indicators, --percentiles, change's --alpha, growth's --keep)
    and refused by others; every one refuses it, naming the option and the
    item's position."""
    p = run(*args, f"--{option}", value, expect=2)
    assert f'--{option} "{value}": {where}' in p.stderr, p.stderr
    assert p.stdout == ""


EMPTY_LISTS = [
    (["poverty", HH, *DESIGN, "--line", "500000"], "indicators"),
    (["inequality", HH, *DESIGN], "indicators"),
    (["nutrition", KIDS, *KID_COLS], "indicators"),
    (["growth", KIDS, *GROWTH], "keep"),
    (["gic", *HH_ROUNDS], "percentiles"),
    (["change", *HH_ROUNDS, "--line", "545000"], "alpha"),
    (["simulate", HH, *DESIGN, "--line", "500000", "--amount", "1"], "alpha"),
    (["simulate", HH, *DESIGN, "--line", "500000", "--amount-by", "urban"], "amounts"),
]


@pytest.mark.parametrize("value", ["", " "])
@pytest.mark.parametrize("args,option", EMPTY_LISTS)
def test_empty_list_is_refused(args, option, value):
    """An empty list (growth --keep "", nutrition --indicators "") was taken
    as none: growth wrote no kept column and nutrition its default table,
    silently. Every list option refuses it with one message naming the
    option; the others' own messages were each different."""
    p = run(*args, f"--{option}", value, expect=2)
    assert f'--{option} "{value}": the list is empty; name at least one item' in p.stderr, \
        p.stderr
    assert p.stdout == ""


def test_empty_keep_after_a_keep_is_refused():
    """A later --keep "" is refused too (growth's --keep repeats)."""
    p = run("growth", KIDS, *GROWTH, "--keep", "typeres", "--keep", "", expect=2)
    assert '--keep "": the list is empty' in p.stderr and p.stdout == ""


def test_standard_output_redirected_onto_the_input_is_refused(tmp_path):
    """Standard output redirected onto the file the command reads (`>>
    FILE`, `1<> FILE`) without --output, or with --output -, would write the
    results into the data (appended, or over its header): refused with exit
    4 before anything is written, as --output /dev/stdout is; the brief's
    Markdown likewise"""
    data = tmp_path / "h.csv"
    data.write_bytes(pathlib.Path(HH).read_bytes())
    before = data.read_bytes()
    args = [CLI, "poverty", str(data), *DESIGN, "--line", "500000", "--indicators", "fgt0"]
    for extra in ([], ["--output", "-"]):
        for mode in ("ab", "r+b"):
            with open(data, mode) as f:
                p = subprocess.run(args + extra, stdout=f, stderr=subprocess.PIPE, text=True)
            assert p.returncode == 4, p.stderr
            assert (f"standard output is redirected to the input file {data} (the same file)"
                    in p.stderr), p.stderr
            assert data.read_bytes() == before
    # the brief's households, redirected onto
    hh = tmp_path / "households.csv"
    hh.write_bytes((SAMPLE / "households.csv").read_bytes())
    before = hh.read_bytes()
    with open(hh, "ab") as f:
        p = subprocess.run([CLI, "report", "--households", str(hh), "--title", "Test", "--lang",
                            "en"], stdout=f, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert p.returncode == 4 and "standard output is redirected to the input file" in p.stderr
    assert hh.read_bytes() == before
    # another file: written as before
    with open(tmp_path / "out.csv", "w") as f:
        p = subprocess.run(args, stdout=f, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 0, p.stderr
    assert pd.read_csv(tmp_path / "out.csv")["indicator"].tolist() == ["fgt0"]


def test_a_stopped_run_leaves_no_temporary_file(tmp_path):
    """SIGTERM, SIGINT or SIGHUP while the output is written through its
    temporary file: the temporary file is removed, the target keeps its
    contents, and the command ends by the signal. The children's file is
    made large enough that writing the z-scores takes a while; each signal
    is sent once the temporary file is there"""
    import signal
    import time
    src = pd.read_csv(KIDS)
    big = tmp_path / "kids.csv"
    pd.concat([src] * 100, ignore_index=True).assign(
        id=lambda d: range(len(d))).to_csv(big, index=False)
    target = tmp_path / "out.csv"
    target.write_text("old\n")
    caught = 0
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        p = subprocess.Popen([CLI, "growth", str(big), "--id", "id", *KID_COLS, "--output",
                              str(target)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        seen = False
        while p.poll() is None:
            if list(tmp_path.glob("out.csv.tmp-*")):
                p.send_signal(sig)
                seen = True
                break
            time.sleep(0.001)
        rc = p.wait(timeout=120)
        if not seen:  # done before the temporary file was seen: it is gone
            assert rc == 0
            target.write_text("old\n")
            continue
        caught += 1
        if rc == 0:  # the signal came after the rename: the output is whole
            assert target.read_text() != "old\n"
            target.write_text("old\n")
        else:
            assert rc == -sig
            assert target.read_text() == "old\n"
        assert not list(tmp_path.glob("out.csv.tmp-*"))
    assert caught > 0


def test_group_labels_in_messages_are_escaped(tmp_path):
    """A group's label quoted in a message on stderr has its control
    characters escaped (ESC, BEL, CR; C1 and bidi controls): a file's text
    reached the terminal raw and could clear it or reorder the message."""
    path = tmp_path / "esc.csv"
    path.write_bytes(b"y,w,g\n0,1,a\x1b[2J\x07b\xe2\x80\xae\n0,1,a\x1b[2J\x07b\xe2\x80\xae\n"
                     b"3,1,c\n4,1,c\n")
    p = run("inequality", path, "--income", "y", "--weight", "w", "--by", "g", "--indicators",
            "gini")
    assert "(g: a\\x1B[2J\\x07b\\u202E) has no estimate" in p.stderr, p.stderr
    assert "\x1b" not in p.stderr and "\x07" not in p.stderr and "\u202e" not in p.stderr
