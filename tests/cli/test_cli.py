# SPDX-License-Identifier: GPL-3.0-or-later
"""The socind command against the reference results (tests/reference/) at the
C tests' tolerances, and on malformed input (each gets its message and exit
code). SOCIND_CLI names the command to test (ctest sets it)."""
import io
import json
import math
import os
import pathlib
import subprocess

import numpy as np
import pandas as pd
import pytest
from cli_env import run

ROOT = pathlib.Path(__file__).resolve().parents[2]
REF = ROOT / "tests" / "reference"
HH = str(REF / "poverty" / "households.csv")
KIDS = str(REF / "growth" / "inputs.csv")
KIDS_5TO19 = str(REF / "growth" / "inputs_5to19.csv")

REL = 1e-8
SE_FLOOR = 1e-10


def table(*args):
    p = run(*args)
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""], float_precision="round_trip",
                       dtype={"parameter": str, "group": str})


def close(actual, expected, rel=REL, floor=0.0):
    if isinstance(expected, float) and math.isnan(expected):
        return math.isnan(actual)
    return abs(actual - expected) <= max(rel * abs(expected), floor)


# ---------------------------------------------------------------- poverty + inequality

DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]
LINES = {
    "abs": ["--line", "500000", "--inclusive"],
    "abs_strict": ["--line", "500000"],
    "relq": ["--relative", "0.6:median", "--inclusive"],
    "relm": ["--relative", "0.6:mean", "--inclusive"],
    "perrow": ["--line-col", "line_region", "--inclusive"],
}
POVERTY_IND = "fgt0,fgt1,fgt2,poor,gap,shortfall,watts,fgtdec:2,wattsdec"
QUANTILES = [f"{p / 10:g}" for p in range(1, 10)]
INEQ_IND = ",".join(["mean", "population", "median", "gini", "ge:2", "theil", "mld",
                     "atkinson:0.5", "atkinson:1", "atkinson:2", "qsr", "palma",
                     "gedec:0", "gedec:1", "gedec:2", "zenga"]
                    + [f"quantile:{q}" for q in QUANTILES] + [f"lorenz:{q}" for q in QUANTILES])


def param(params, key):
    for part in str(params).split(";"):
        if part.startswith(key + "="):
            return part[len(key) + 1:]
    return None


def line_key(params):
    params = str(params)
    if "strict" in params:
        return "abs_strict"
    tt = param(params, "type_thresh")
    if tt in ("relq", "relm"):
        return tt
    if "line=line_region" in params:
        return "perrow"
    return "abs"


FGTDEC = {"fgt0": "fgt0", "fgt1": "fgt1", "fgt2": "fgt2", "igr": "igr"}
WATTSDEC = {"watts": "watts", "fgt0": "fgt0", "watts pov. gap ratio": "gap_ratio",
            "theil(poor)": "theil_poor"}
GEI = {"ge2": "ge:2", "mld": "mld", "theil": "theil"}
UNSUPPORTED = set()  # every indicator of the poverty set is in socind


def cli_key(row):
    """(call, indicator, group) of the CLI row that must equal an expected row."""
    ind, stat, par = row["indicator"], row["statistic"], row["parameters"]
    sub = row["subgroup"]
    group = "all" if sub == "all" else sub.replace("=", ": ")
    lk = line_key(par)
    if ind == "fgt":
        return lk, "fgt" + param(par, "g"), group
    if ind == "arpr":
        return "relq", "fgt0", group
    simple = {"headcount_ratio": "fgt0", "total_poor": "poor", "total_poverty_gap": "gap",
              "mean_shortfall_poor": "shortfall", "watts": "watts"}
    if ind in simple:
        return lk, simple[ind], group
    if ind == "arpt":
        return "relq", "line", group
    if ind == "relm_line":
        return "relm", "line", group
    if ind == "fgtdec":
        return lk, "fgtdec:2:" + FGTDEC.get(stat, "ge"), group
    if ind == "poormed":
        return "own", "poormed", group
    if ind == "wattsdec":
        return lk, "wattsdec:" + WATTSDEC[stat], group
    woodruff = "woodruff" in str(row["ci_method"])
    call = "ineq_t" if woodruff else "ineq"
    if ind == "mean":
        return call, "mean", group
    if ind == "population":
        return call, "population", group
    if ind == "median":
        return call, "median", group
    if ind == "quantile":
        return call, "quantile:" + param(par, "p"), group
    if ind == "gini":
        return call, "gini", group
    if ind == "zenga":
        return call, "zenga", group
    if ind == "gei":
        return call, GEI[stat], group
    if ind == "atkinson":
        return call, "atkinson:" + param(par, "epsilon"), group
    if ind == "geidec":
        return call, f"gedec:{param(par, 'epsilon')}:{stat}", "decomposed by urban"
    if ind == "qsr":
        return call, "qsr" if stat == "s80_s20" else "palma", group
    if ind == "lorenz":
        return call, "lorenz:" + stat[2:-1], group
    raise KeyError(f"unmapped reference row {ind} {stat} {par}")


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(REF / "poverty" / "expected.csv", dtype={"subgroup": str},
                       float_precision="round_trip")


@pytest.fixture(scope="module")
def cli_results():
    out = {}
    for des in ("wr", "fpc"):
        base = [HH, *DESIGN, "--by", "subdistrict", "--by", "urban", "--ci", "normal", "--prop-ci", "wald"]
        if des == "fpc":
            base += ["--fpc", "fpc_psu"]
        for key, line in LINES.items():
            ind = POVERTY_IND + ("" if key == "perrow" else ",line")
            out[des, key] = table("poverty", *base, *line, "--indicators", ind)
        out[des, "own"] = table("poverty", *base, "--indicators", "poormed,rmpg")
        out[des, "ineq"] = table("inequality", *base, "--indicators", INEQ_IND,
                                 "--decompose-by", "urban")
        base_t = [b for b in base if b not in ("--ci", "normal")]
        out[des, "ineq_t"] = table("inequality", *base_t, "--indicators",
                                   "median," + ",".join(f"quantile:{q}" for q in QUANTILES))
    return out


def test_poverty_and_inequality_match_the_reference(expected, cli_results):
    checked = skipped = 0
    for _, row in expected.iterrows():
        if row["indicator"] in UNSUPPORTED:
            skipped += 1
            continue
        call, ind, group = cli_key(row)
        got = cli_results[row["design"], call]
        hit = got[(got["indicator"] == ind) & (got["group"] == group)]
        assert len(hit) == 1, f"{ind} {group} ({call}): {len(hit)} rows"
        g = hit.iloc[0]
        what = f"{row['indicator']} {row['statistic']} {row['parameters']} {row['design']} {group}"
        assert close(g["estimate"], row["estimate"]), what
        assert close(g["se"], row["se"], floor=SE_FLOOR), what
        assert close(g["ci_low"], row["ci_low"], floor=SE_FLOOR), what
        assert close(g["ci_high"], row["ci_high"], floor=SE_FLOOR), what
        assert g["df"] == row["df"], what
        checked += 1
    assert skipped == 0
    assert checked == len(expected) - skipped


def test_jdiv_jdivdec_zenga_match_the_wave2_reference():
    """jdiv, jdivdec (--decompose-by) and zenga on the wave-2 households
    (section B, design wr): overall, by urban and by sub-district."""
    exp = pd.read_csv(REF / "wave2" / "expected.csv", dtype={"subgroup": str},
                      float_precision="round_trip")
    exp = exp[exp["indicator"].isin(["jdiv", "jdivdec", "zenga"]) & (exp["design"] == "wr")]
    hh2 = str(REF / "wave2" / "households.csv")
    base = [hh2, *DESIGN, "--ci", "normal"]
    got = {"": table("inequality", *base, "--by", "urban", "--by", "subdistrict",
                     "--indicators", "jdiv,zenga")}
    for col in ("urban", "prov"):
        got[col] = table("inequality", *base, "--indicators", "jdivdec", "--decompose-by", col)
    checked = 0
    for _, row in exp.iterrows():
        if row["indicator"] == "jdivdec":
            col = row["parameters"].split("=")[1]
            t, ind, group = got[col], f"jdivdec:{row['statistic']}", f"decomposed by {col}"
        else:
            sub = row["subgroup"]
            t, ind = got[""], row["indicator"]
            group = "all" if sub == "all" else sub.replace("=", ": ")
        hit = t[(t["indicator"] == ind) & (t["group"] == group)]
        assert len(hit) == 1, f"{ind} {group}"
        g = hit.iloc[0]
        zero = row["se"] < 1e-12 * abs(row["estimate"])
        assert close(g["estimate"], row["estimate"]), (ind, group)
        assert close(g["se"], row["se"], floor=1e-12 * abs(row["estimate"]) if zero else 0.0)
        assert close(g["ci_low"], row["ci_low"]) and close(g["ci_high"], row["ci_high"])
        checked += 1
    assert checked == 43 + 6 + 43


def test_jdivdec_needs_decompose_by():
    p = run("inequality", HH, *DESIGN, "--indicators", "jdivdec", expect=2)
    assert "jdivdec needs --decompose-by COL" in p.stderr


def test_json_equals_csv():
    args = ["poverty", HH, *DESIGN, "--line", "500000", "--indicators", "fgt0,fgt2,watts",
            "--by", "urban"]
    csv = table(*args)
    js = json.loads(run(*args, "--format", "json").stdout)
    assert len(js) == len(csv)
    for j, (_, c) in zip(js, csv.iterrows()):
        assert j["indicator"] == c["indicator"] and j["group"] == c["group"]
        assert j["estimate"] == c["estimate"] and j["se"] == c["se"] and j["n"] == c["n"]


def test_repeated_by_and_profile():
    got = table("poverty", HH, *DESIGN, "--line", "500000", "--indicators", "fgt0",
                "--by", "urban", "--by", "prov", "--decompose-by", "prov")
    groups = list(got[got["indicator"] == "fgt0"]["group"])
    assert groups == ["all", "urban: 0", "urban: 1", "prov: 32", "prov: 33", "prov: 35"]
    shares = got[got["indicator"] == "profile:fgt0:contribution_share"]["estimate"]
    assert len(shares) == 3 and abs(shares.sum() - 1) < 1e-12
    contrib = got[got["indicator"] == "profile:fgt0:contribution"]["estimate"].sum()
    assert close(contrib, got[(got["indicator"] == "fgt0") & (got["group"] == "all")]
                 ["estimate"].iloc[0], 1e-12)


def test_parameters_are_written_back_as_given():
    got = table("inequality", HH, *DESIGN, "--indicators", "ge:2,ge:2.0,share_ratio:0.2:0.8,qsr")
    assert list(got["indicator"]) == ["ge:2", "ge:2.0", "share_ratio:0.2:0.8", "qsr"]
    assert list(got["parameter"].fillna("")) == ["2", "2.0", "0.2:0.8", ""]
    assert got["estimate"].iloc[0] == got["estimate"].iloc[1]
    assert got["estimate"].iloc[2] == got["estimate"].iloc[3]


# ---------------------------------------------------------------- input formats


def test_semicolon_decimal_comma_bom_quotes_and_na(tmp_path):
    df = pd.read_csv(HH)
    plain = table("poverty", HH, *DESIGN, "--line", "500000", "--indicators", "fgt0,fgt1,poor",
                  "--by", "subdistrict")
    # the same data as an Indonesian spreadsheet saves it: ';', decimal comma
    # with thousands dots, a BOM, quoted fields, an extra text column with ';'
    # and quotes inside, NA in an unused column
    lines = []
    cols = list(df.columns) + ["note"]
    lines.append(";".join(f'"{c}"' if c == "cons_pc" else c for c in cols))
    for i, r in df.iterrows():
        cells = []
        for c in df.columns:
            v = r[c]
            if c in ("w_person", "w_hh"):
                s = f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
                cells.append(f'"{s}"' if i % 2 else s)
            else:
                cells.append(f"{v:.15g}")
        cells.append('"a ""quoted""; note"' if i % 3 == 0 else "NA")
        lines.append(";".join(cells))
    path = tmp_path / "spreadsheet.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    got = table("poverty", path, *DESIGN, "--line", "500000", "--indicators", "fgt0,fgt1,poor",
                "--by", "subdistrict", "--decimal-comma")
    pd.testing.assert_frame_equal(got, plain)


def test_subset_equals_a_filtered_file(tmp_path):
    df = pd.read_csv(HH)
    df[df.prov == 33].to_csv(tmp_path / "prov33.csv", index=False)
    args = [*DESIGN, "--line", "500000", "--indicators", "fgt0,watts",
            "--by", "urban"]
    got = table("poverty", HH, "--subset", "prov=33", *args)
    want = table("poverty", tmp_path / "prov33.csv", *args)
    pd.testing.assert_frame_equal(got, want)
    p = run("poverty", HH, "--subset", "prov=99", *args, expect=1)
    assert "no row has prov = \"99\" (--subset)" in p.stderr


def test_stata_file_with_value_labels(tmp_path):
    df = pd.read_csv(HH)
    plain = table("poverty", HH, *DESIGN, "--line", "500000", "--indicators", "fgt0,watts",
                  "--by", "urban")
    d = df.copy()
    d["urban"] = pd.Categorical.from_codes(d["urban"], ["rural", "urban"])
    path = tmp_path / "households.dta"
    d.to_stata(path, write_index=False, version=118)
    got = table("poverty", path, *DESIGN, "--line", "500000", "--indicators", "fgt0,watts",
                "--by", "urban")
    assert list(got["group"]) == ["all", "urban: rural", "urban: urban"] * 2
    for col in ("estimate", "se", "ci_low", "ci_high", "n", "weight_sum"):
        np.testing.assert_allclose(got[col], plain[col], rtol=1e-14)


def test_spss_file_with_value_labels(tmp_path):
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    path = tmp_path / "households.sav"
    subprocess.run([make_sav, HH, path, "urban"], check=True)
    args = ["--line", "500000", "--indicators", "fgt0,poor,watts", "--by", "urban"]
    plain = table("poverty", HH, *DESIGN, *args)
    got = table("poverty", path, *DESIGN, *args)
    assert list(got["group"]) == ["all", "urban: rural", "urban: urban"] * 3
    for col in ("estimate", "se", "ci_low", "ci_high", "n", "weight_sum"):
        np.testing.assert_array_equal(got[col], plain[col])
    p = run("poverty", path, *DESIGN[:6], "--line", "1", "--by", "note", "--psu", "nope", expect=1)
    assert "no variable \"nope\" (named by --psu)" in p.stderr


# ---------------------------------------------------------------- growth + nutrition

GROWTH = ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight", "--lenhei-cm",
          "lenhei", "--measure", "measure", "--oedema", "oedema", "--headc-cm", "headc",
          "--armc-cm", "armc", "--triskin-mm", "triskin", "--subskin-mm", "subskin", "--id", "id"]
Z2006 = ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"]


def test_growth_who2006_matches_anthro():
    want = pd.read_csv(REF / "growth" / "zscores_expected.csv", float_precision="round_trip")
    got = pd.read_csv(io.StringIO(run("growth", KIDS, *GROWTH).stdout), float_precision="round_trip")
    assert list(got.columns) == ["id"] + [x for z in Z2006 for x in (z, "f" + z[1:])] + ["reason"]
    assert list(got["id"]) == list(want["id"])
    full = pd.read_csv(io.StringIO(run("growth", KIDS, *GROWTH, "--rounding", "none").stdout), float_precision="round_trip")
    for z in Z2006:
        f = "f" + z[1:]
        np.testing.assert_array_equal(got[z].to_numpy(), want[z].to_numpy(), err_msg=z)
        np.testing.assert_array_equal(got[f].to_numpy(), want[f].to_numpy(), err_msg=f)
        # full precision: bit-identical to anthro's unrounded z
        np.testing.assert_array_equal(full[z].to_numpy(), want[z + "_unrounded"].to_numpy(),
                                      err_msg=z)


def test_growth_who2007_matches_anthroplus():
    want = pd.read_csv(REF / "growth" / "zscores_5to19_expected.csv", float_precision="round_trip")
    args = ["growth", KIDS_5TO19, "--reference", "who2007", "--sex", "sex", "--age-months",
            "age_months", "--lenhei-cm", "height", "--weight-kg", "weight", "--oedema", "oedema",
            "--id", "id"]
    got = pd.read_csv(io.StringIO(run(*args).stdout), float_precision="round_trip")
    full = pd.read_csv(io.StringIO(run(*args, "--rounding", "none").stdout), float_precision="round_trip")
    assert list(got.columns) == ["id", "zhfa", "fhfa", "zwfa", "fwfa", "zbfa", "fbfa", "reason"]
    for z in ("zhfa", "zwfa", "zbfa"):
        f = "f" + z[1:]
        np.testing.assert_array_equal(got[z].to_numpy(), want[z].to_numpy(), err_msg=z)
        np.testing.assert_array_equal(got[f].to_numpy(), want[f].to_numpy(), err_msg=f)
        np.testing.assert_array_equal(full[z].to_numpy(), want[z + "_unrounded"].to_numpy())


DOMAINS = {"typeres": ("Area", {}), "gregion": ("Geographical region", {}),
           "mothered": ("Maternal education", {}),
           "wealthq": ("Wealth quintile", {"1": "Q1: Poorest", "2": "Q2", "3": "Q3", "4": "Q4",
                                           "5": "Q5: Richest"})}


def anthro_group(g):
    col, _, value = g.partition(": ")
    if col in DOMAINS:
        prefix, relabel = DOMAINS[col]
        return f"{prefix}: {relabel.get(value, value)}"
    return g


@pytest.mark.parametrize("variant", ["", "_swonly", "_nodesign"])
def test_nutrition_who2006_matches_anthro(variant):
    design = {"": ["--weight", "sw", "--strata", "strata", "--psu", "cluster"],
              "_swonly": ["--weight", "sw"], "_nodesign": []}[variant]
    want = pd.read_csv(REF / "growth" / f"prevalence_expected{variant}.csv",
                       float_precision="round_trip")
    by = [x for d in DOMAINS for x in ("--by", d)]
    got = table("nutrition", KIDS, *GROWTH, *design, *by, "--percent")
    compare_prevalence(got, want, 1e-6 if variant != "_nodesign" else 1e-8)


@pytest.mark.parametrize("variant", ["", "_swonly", "_nodesign"])
def test_nutrition_who2007_matches_anthroplus(variant):
    design = {"": ["--weight", "sw", "--strata", "strata", "--psu", "cluster"],
              "_swonly": ["--weight", "sw"], "_nodesign": []}[variant]
    want = pd.read_csv(REF / "growth" / f"prevalence_5to19_expected{variant}.csv",
                       float_precision="round_trip")
    got = table("nutrition", KIDS_5TO19, "--reference", "who2007", "--sex", "sex",
                "--age-months", "age_months", "--lenhei-cm", "height", "--weight-kg", "weight",
                "--oedema", "oedema", *design, "--percent")
    compare_prevalence(got, want, 1e-6 if variant != "_nodesign" else 1e-8)


def compare_prevalence(got, want, ci_rel):
    got = got.assign(g=got["group"].map(anthro_group))
    sd = got[got["indicator"].str.endswith("_sd")]
    est = got[~got["indicator"].str.endswith("_sd")]
    index = {(r.g, r.indicator): r for r in est.itertuples()}
    sds = {(r.g, r.indicator[:-3]): r.estimate for r in sd.itertuples()}
    compared = 0
    for r in want.itertuples():
        if r.group.endswith(": NA"):
            continue
        g = index.get((r.group, r.anthro_stem))
        assert g is not None, (r.group, r.anthro_stem)
        what = f"{r.group} {r.anthro_stem}"
        if math.isnan(r.estimate):
            assert math.isnan(g.estimate), what
        else:
            assert close(g.estimate, r.estimate, 1e-8, 1e-12), what
            assert close(g.se, r.se, 1e-8, 1e-12), what
            assert close(g.ci_low, r.ci_low, ci_rel, 1e-9), what
            assert close(g.ci_high, r.ci_high, ci_rel, 1e-9), what
        if not math.isnan(r.n_unweighted):  # anthro gives no counts for the combined ones
            assert g.n == r.n_unweighted, what
            assert close(g.weight_sum, r.n_weighted, 1e-12, 1e-9), what
        if r.stat_type == "zscore_mean" and not math.isnan(r.stdev):
            assert close(sds[(r.group, r.anthro_stem)], r.stdev, 1e-8, 1e-12), what
        compared += 1
    assert compared > 500


def test_nutrition_indicator_filter_and_proportions():
    got = table("nutrition", KIDS, *GROWTH, "--weight", "sw", "--strata", "strata", "--psu",
                "cluster", "--indicators", "HA_2,WH_2,HA_sd")
    assert set(got["indicator"]) == {"HA_2", "WH_2", "HA_sd"}
    assert got[got["indicator"] == "HA_2"]["estimate"].between(0, 1).all()


# ---------------------------------------------------------------- errors


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_bytes(text.encode() if isinstance(text, str) else text)
    return str(p)


POV = ["--income", "y", "--weight", "w", "--line", "10"]


@pytest.mark.parametrize("content, code, message", [
    ("y,w\n1,1\n2,1\n3,x\n", 1, ":4:2: column \"w\" (--weight): \"x\" is not a number"),
    ("y,w\n1,1\n2,1\n1,5;0\n", 1, ":4:2: column \"w\" (--weight): \"5;0\" is not a number"),
    ("y,w\n1,1\n2,1,7\n", 1, ":3: 3 fields, but the header has 2"),
    ("y,w\n1,1\n2\n", 1, ":3: 1 fields, but the header has 2"),
    ("y,w\n1,1\n\"2,1\n", 1, "a quoted field is not closed"),
    ("y,w\n1,1\n2\"x\",1\n", 1, ":3:1: malformed CSV"),
    ("", 1, "empty file"),
    ("y,w\n", 1, "no data rows"),
    ("y,v\n1,1\n", 1, "no column \"w\" (named by --weight); the header has: y, v"),
    ("y,w,w\n1,1,1\n", 1, "appears twice"),
    ("y,w\n1,1\n2,-1\n", 1, "line 3: the sampling weight (column \"w\") is negative"),
    ("y,w\n1,1\n2,NA\n", 1, "line 3: the sampling weight (column \"w\") is missing"),
    ("y,w\n1,1\n2,1e400\n", 1, "\"1e400\" is not a number"),
    ("y,w\n1,1\nnan,1\n", 1, "\"nan\" is not a number"),
])
def test_malformed_csv(tmp_path, content, code, message):
    path = write(tmp_path, "bad.csv", content)
    out = tmp_path / "out.csv"
    p = run("poverty", path, *POV, "--output", out, expect=code)
    assert message in p.stderr, p.stderr
    assert path in p.stderr
    assert p.stdout == ""
    assert not out.exists()
    assert not list(tmp_path.glob("out.csv.tmp*"))


def test_decimal_comma_hint(tmp_path):
    path = write(tmp_path, "comma.csv", "y;w\n1,5;1\n")
    p = run("poverty", path, *POV, expect=1)
    assert "see --decimal-comma" in p.stderr


def test_non_numeric_income_on_a_late_line(tmp_path):
    rows = ["y,w"] + [f"{i},1" for i in range(1, 5041)] + ["abc,1"] + ["5,1"] * 10
    path = write(tmp_path, "late.csv", "\n".join(rows) + "\n")
    p = run("poverty", path, *POV, expect=1)
    assert f"{path}:5042:1: column \"y\" (--income): \"abc\" is not a number" in p.stderr


def test_failed_run_keeps_the_previous_output(tmp_path):
    good = write(tmp_path, "good.csv", "y,w\n1,1\n20,1\n")
    bad = write(tmp_path, "bad.csv", "y,w\n1,1\n20,x\n")
    out = tmp_path / "out.csv"
    run("poverty", good, *POV, "--output", out)
    before = out.read_text()
    assert before.startswith("indicator,parameter,group,")
    run("poverty", bad, *POV, "--output", out, expect=1)
    assert out.read_text() == before


@pytest.mark.parametrize("args, message", [
    (["--indicators", "fgt0,foo"], "unknown indicator \"foo\""),
    (["--indicators", "fgt:x"], "\"x\" is not a number"),
    (["--indicators", "fgt"], "takes 1 parameter"),
    (["--bogus"], "unknown option --bogus"),
    (["--line"], "--line needs a value"),
    (["--format", "xml"], "--format must be csv or json"),
    (["--lonely-psu", "maybe"], "--lonely-psu must be"),
])
def test_usage_errors(args, message):
    p = run("poverty", HH, "--income", "cons_pc", "--line", "500000", *args, expect=2)
    assert message in p.stderr, p.stderr
    assert "socind help poverty" in p.stderr


def test_line_options_are_exclusive():
    p = run("poverty", HH, "--income", "cons_pc", "--line", "1", "--relative", "0.6:median",
            expect=2)
    assert "exactly one of" in p.stderr


def test_lonely_psu(tmp_path):
    path = write(tmp_path, "lonely.csv", "y,w,s,p\n1,1,1,1\n2,1,1,2\n3,1,2,3\n")
    args = ["poverty", path, *POV, "--strata", "s", "--psu", "p"]
    p = run(*args, expect=3)
    assert "one PSU" in p.stderr or "lonely" in p.stderr.lower()
    run(*args, "--lonely-psu", "adjust")


def test_library_errors_name_the_line(tmp_path):
    path = write(tmp_path, "zero.csv", "y,w\n100,1\n0,1\n50,2\n")
    p = run("poverty", path, "--income", "y", "--weight", "w", "--line", "80", "--indicators",
            "watts", expect=1)
    assert (f"{path}: line 3: column \"y\" (--income) is 0; the Watts index needs incomes > 0 — "
            "to leave such rows out of it, add --nonpositive exclude") in p.stderr
    got = table("poverty", path, "--income", "y", "--weight", "w", "--line", "80",
                "--indicators", "watts", "--nonpositive", "exclude")
    assert list(got["n"]) == [2]


def test_bad_growth_codes(tmp_path):
    path = write(tmp_path, "kids.csv", "sex,age,w\n1,100,5\nm,200,6\n3,300,7\n")
    p = run("growth", path, "--sex", "sex", "--age-days", "age", "--weight-kg", "w", expect=1)
    assert "line 4: column \"sex\" (--sex): \"3\" is not a code WHO's anthro accepts" in p.stderr


def test_missing_file():
    p = run("poverty", "/nonexistent/file.csv", *POV, expect=1)
    assert "/nonexistent/file.csv: cannot open" in p.stderr


def test_truncated_stata_and_spss_files(tmp_path):
    df = pd.read_csv(HH)
    dta = tmp_path / "h.dta"
    df.to_stata(dta, write_index=False, version=118)
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    sav = tmp_path / "h.sav"
    subprocess.run([make_sav, HH, sav, "urban"], check=True)
    for path, kind in ((dta, "Stata"), (sav, "SPSS")):
        data = path.read_bytes()
        for cut in (len(data) // 2, 100):
            bad = tmp_path / f"cut{cut}{path.suffix}"
            bad.write_bytes(data[:cut])
            p = run("poverty", bad, *DESIGN, "--line", "500000", expect=1)
            assert f"{bad}: not a readable {kind} file" in p.stderr, p.stderr


def test_not_a_stata_file(tmp_path):
    path = write(tmp_path, "fake.dta", "y,w\n1,1\n")
    p = run("poverty", path, *POV, expect=1)
    assert "not a readable Stata file" in p.stderr


def test_help_and_version():
    assert run("--version").stdout.startswith("socind ")
    for c in ("poverty", "inequality", "growth", "nutrition", "report"):
        assert "usage: socind " + c in run("help", c).stdout
    assert run("help", "nope", expect=2).stderr.startswith("socind help: no command")
    assert "commands:" in run("help").stdout
    run(expect=2)


@pytest.mark.parametrize("line", ["abs", "abs_strict", "perrow"])
def test_sen_and_sst_rows_and_identities(line):
    got = table("poverty", HH, *DESIGN, *LINES[line], "--indicators", "sen,sst,fgt0,fgt1",
                "--by", "urban")
    rows = {(r.indicator, r.group): r for r in got.itertuples()}
    names = list(dict.fromkeys(got["indicator"]))
    assert names == ["sen:index", "sen:headcount", "sen:gap", "sen:gini_poor", "sst:index",
                     "sst:headcount", "sst:gap", "sst:gini_gaps", "fgt0", "fgt1"]
    for g in ["all", "urban: 0", "urban: 1"]:
        e = {k: rows[(k, g)].estimate for k in names}
        p0, gap = e["sen:headcount"], e["sen:gap"]
        assert close(e["sen:index"], p0 * (gap + (1 - gap) * e["sen:gini_poor"]), 1e-14)
        assert close(e["sst:index"], p0 * gap * (1 + e["sst:gini_gaps"]), 1e-14)
        assert close(p0, e["fgt0"], 1e-15) and close(e["sst:headcount"], p0, 0)
        assert close(gap, e["fgt1"] / e["fgt0"], 1e-13)
        assert close(rows[("sen:headcount", g)].se, rows[("fgt0", g)].se, 1e-12)
        for k in names:
            assert rows[(k, g)].se > 0


def test_sen_and_sst_refuse_a_relative_line():
    for ind in ["sen", "sst"]:
        p = run("poverty", HH, *DESIGN, *LINES["relq"], "--indicators", ind, expect=3)
        assert "absolute or per-row line" in p.stderr, p.stderr


# ---------------------------------------------------------------- richness and the gender pay gap

WAVE2 = REF / "wave2"
RICH_THRESH = {"relq": ["--rich-relative", "1.5:median"], "relm": ["--rich-relative", "1.5:mean"],
               "abs": ["--rich-line", "1560000"]}


@pytest.fixture(scope="module")
def wave2_expected():
    return pd.read_csv(WAVE2 / "expected.csv", dtype={"subgroup": str}, float_precision="round_trip")


def test_rich_matches_the_reference(wave2_expected):
    """Every rich row of wave 2 (section B), in socind poverty and socind inequality alike."""
    rows = wave2_expected[wave2_expected["indicator"] == "rich"]
    hh = str(WAVE2 / "households.csv")
    base = [hh, *DESIGN, "--by", "urban", "--by", "subdistrict", "--ci", "normal"]
    got = {}
    for tt, opt in RICH_THRESH.items():
        inds = sorted({"rich:" + s.replace("-", ":") for s in rows["statistic"]})
        got[tt] = table("poverty", *base, *opt, "--indicators", ",".join(inds))
        again = table("inequality", *base, *opt, "--indicators", ",".join(inds))
        pd.testing.assert_frame_equal(got[tt], again)
    checked = 0
    for _, row in rows.iterrows():
        tt = param(row["parameters"], "type_thresh")
        ind = "rich:" + row["statistic"].replace("-", ":")
        sub = row["subgroup"]
        group = "all" if sub == "all" else sub.replace("=", ": ")
        hit = got[tt][(got[tt]["indicator"] == ind) & (got[tt]["group"] == group)]
        assert len(hit) == 1, (ind, group, tt)
        g = hit.iloc[0]
        what = f"{ind} {tt} {group}"
        assert close(g["estimate"], row["estimate"]), what
        assert close(g["se"], row["se"], floor=1e-12), what
        assert close(g["ci_low"], row["ci_low"], floor=1e-12), what
        assert close(g["ci_high"], row["ci_high"], floor=1e-12), what
        checked += 1
    assert checked == 62
    # the indicator's own line equals --rich-line
    own = table("poverty", hh, *DESIGN, "--indicators", "rich:FGTT2:2:1560000", "--ci", "normal")
    ref = got["abs"][(got["abs"]["indicator"] == "rich:FGTT2:2") & (got["abs"]["group"] == "all")]
    assert own["estimate"][0] == ref["estimate"].iloc[0] and own["se"][0] == ref["se"].iloc[0]
    assert own["parameter"][0] == "FGTT2:2:1560000"


def earners_file(tmp_path, sex=None):
    p = pd.read_csv(WAVE2 / "persons.csv")
    p["earnings"] = p["earnings"].where(p["earnings"] > 0)  # the others stay in the design
    if sex is not None:
        p["sex"] = sex(p["sex"])
    path = tmp_path / "earners.csv"
    p.to_csv(path, index=False)
    return str(path)


def test_gpg_matches_the_reference(wave2_expected, tmp_path):
    rows = wave2_expected[(wave2_expected["design"] == "wr_persons") &
                          wave2_expected["indicator"].isin(["gpg", "mean"])]
    path = earners_file(tmp_path)
    base = [path, "--income", "earnings", "--weight", "w_person", "--strata", "stratum", "--psu",
            "psu", "--ci", "normal", "--sex", "sex"]
    got = table("inequality", *base, "--indicators", "gpg,mean", "--by", "urban", "--by", "prov",
                "--by", "sex")
    checked = 0
    for _, row in rows.iterrows():
        sub = row["subgroup"].split(";")
        group = "all" if len(sub) == 1 else sub[1].replace("sexf=female", "sex: 2") \
            .replace("sexf=male", "sex: 1").replace("=", ": ")
        hit = got[(got["indicator"] == row["indicator"]) & (got["group"] == group)]
        assert len(hit) == 1, (row["indicator"], group)
        g = hit.iloc[0]
        assert close(g["estimate"], row["estimate"]), (row["indicator"], group)
        assert close(g["se"], row["se"]), (row["indicator"], group)
        checked += 1
    assert checked == 9
    # letters and recoded codes read as the numbers do
    letters = earners_file(tmp_path, lambda s: s.map({1: "L", 2: "P"}))
    again = table("inequality", letters, *base[1:], "--indicators", "gpg", "--sex-codes", "L=1,P=2")
    assert again["estimate"][0] == got[(got["indicator"] == "gpg") & (got["group"] == "all")][
        "estimate"].iloc[0]


def test_gpg_and_rich_refusals(tmp_path):
    path = earners_file(tmp_path, lambda s: s.where(s.index != 4, 3))
    base = [path, "--income", "earnings", "--weight", "w_person", "--strata", "stratum", "--psu",
            "psu"]
    p = run("inequality", *base, "--indicators", "gpg", "--sex", "sex", expect=1)
    assert 'line 6: column "sex" (--sex): "3" is not a code socind accepts' in p.stderr, p.stderr
    p = run("inequality", *base, "--indicators", "gpg", "--sex", "sex", "--invalid-codes", "missing")
    assert "1 row has a code" in p.stderr
    p = run("inequality", *base, "--indicators", "gpg", expect=2)
    assert "gpg needs --sex COL" in p.stderr
    p = run("inequality", *base, "--indicators", "gini", "--sex", "sex", expect=2)
    assert "lists no gpg" in p.stderr
    hh = str(WAVE2 / "households.csv")
    for args, message in [
        (["--indicators", "rich:Cha:1"], "rich:TYPE:G needs a threshold"),
        (["--indicators", "rich:cha:1", "--rich-line", "1"], "did you mean Cha?"),
        (["--indicators", "rich:Cha", "--rich-line", "1"], "takes TYPE and G"),
        (["--indicators", "rich:FGTT1:2", "--rich-line", "1"], "FGTT1 richness needs G in [0, 1]"),
        (["--indicators", "rich:Cha:1", "--rich-line", "1", "--rich-relative", "1.5:median"],
         "not both"),
        (["--indicators", "fgt0", "--line", "1", "--rich-line", "1"], "lists none"),
        (["--indicators", "rich:Cha:1", "--rich-relative", "1.5:mode"], "F:median or F:mean"),
    ]:
        p = run("poverty", hh, "--income", "cons_pc", "--weight", "w_person", *args, expect=2)
        assert message in p.stderr, (args, p.stderr)
# ---------------------------------------------------------------- proportion intervals



@pytest.mark.parametrize("method", ["logit", "likelihood", "asin", "beta", "mean", "xlogit"])
def test_prop_ci_methods_match_svyciprop(method):
    """The poverty rate at 520,000 (inclusive), overall, against R's
    svyciprop row of section E (df 231, the design's). logit's row is R's
    IRLS fit (1e-6); likelihood's limits follow that fit (README, section
    E), so they are only checked to exist here (test_reference_ciprop)."""
    ex = pd.read_csv(WAVE2 / "expected.csv", float_precision="round_trip")
    row = ex[(ex.indicator == "ciprop") & (ex.statistic == method) & (ex.subgroup == "all")
             & ex.parameters.str.contains("indicator=poor")].iloc[0]
    t = table("poverty", WAVE2 / "households.csv", *DESIGN, "--line", "520000", "--inclusive",
              "--indicators", "fgt0", "--prop-ci", method)
    r = t.iloc[0]
    irls = method in ("logit", "likelihood")
    assert close(r["estimate"], row["estimate"], 1e-6 if irls else 1e-9)
    assert close(r["se"], row["se"], 1e-9)
    if method == "likelihood":
        assert r["ci_low"] < r["estimate"] < r["ci_high"]
        return
    assert close(r["ci_low"], row["ci_low"], 1e-6 if irls else 1e-9)
    assert close(r["ci_high"], row["ci_high"], 1e-6 if irls else 1e-9)


def test_prop_ci_unknown_method_is_a_usage_error():
    p = run("poverty", WAVE2 / "households.csv", *DESIGN, "--line", "520000", "--indicators",
            "fgt0", "--prop-ci", "wilson", expect=2)
    assert "--prop-ci must be" in p.stderr


# ---------------------------------------------------------------- convey's quantile-based measures

W2 = REF / "wave2"
W2_DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu",
             "--ci", "normal"]


def test_convey_quantile_measures_match_the_wave2_reference():
    """iqalpha:A, isq:A, isq_upper:A, rmir (--age), poormed and rmpg against
    every row of these indicators in the wave-2 reference (section B)."""
    ex = pd.read_csv(W2 / "expected.csv", dtype={"subgroup": str}, float_precision="round_trip")
    ex = ex[ex["indicator"].isin(["iqalpha", "isq", "poormed", "rmpg", "rmir"])]
    hh = str(W2 / "households.csv")
    by = ["--by", "urban", "--by", "subdistrict"]
    alphas = sorted({param(p, "alpha") for p in ex["parameters"] if param(p, "alpha")})
    ineq = ",".join([f"iqalpha:{a}" for a in alphas] + [f"isq:{a}" for a in alphas]
                    + [f"isq_upper:{a}" for a in alphas])
    got = pd.concat([
        table("inequality", hh, *W2_DESIGN, *by, "--indicators", ineq),
        table("poverty", hh, *W2_DESIGN, *by, "--indicators", "poormed,rmpg"),
        table("inequality", str(W2 / "persons.csv"), *W2_DESIGN, "--by", "urban", "--indicators",
              "rmir", "--age", "age", "--age-limit", "65"),
    ])
    checked = 0
    for _, row in ex.iterrows():
        ind, stat, par = row["indicator"], row["statistic"], row["parameters"]
        a = param(par, "alpha")
        name = {"iqalpha": f"iqalpha:{a}", "isq": f"{stat}:{a}", "poormed": "poormed",
                "rmpg": "rmpg"}.get(ind)
        if ind == "rmir":
            name = "rmir" if stat == "rmir" else f"rmir:{stat}"
        sub = row["subgroup"]
        group = "all" if sub == "all" else sub.replace("=", ": ")
        hit = got[(got["indicator"] == name) & (got["group"] == group)]
        assert len(hit) == 1, (name, group)
        g = hit.iloc[0]
        assert close(g["estimate"], row["estimate"]), (name, group)
        if not math.isnan(row["se"]):
            assert close(g["se"], row["se"]), (name, group)
            assert close(g["ci_low"], row["ci_low"]), (name, group)
        checked += 1
    assert checked == len(ex) == 106


def test_own_line_indicators_and_the_line_options():
    """poormed and rmpg use convey's own line: alone they need no line and
    refuse one; with other indicators the line serves those, with a note."""
    hh = str(W2 / "households.csv")
    base = ["poverty", hh, *W2_DESIGN]
    p = run(*base, "--indicators", "rmpg", "--line", "520000", expect=2)
    assert "rmpg uses convey's own line" in p.stderr
    p = run(*base, "--indicators", "poormed,rmpg", "--inclusive", expect=2)
    assert "--inclusive are used by no indicator here" in p.stderr
    alone = table(*base, "--indicators", "poormed")
    p = run(*base, "--indicators", "poormed,fgt0", "--relative", "0.5:median")
    assert "the line given serves the other indicators only" in p.stderr
    both = pd.read_csv(io.StringIO(p.stdout), float_precision="round_trip")
    assert both[both.indicator == "poormed"].estimate.iloc[0] == alone.estimate.iloc[0]
    p = run("inequality", hh, *W2_DESIGN, "--indicators", "rmir", expect=2)
    assert "rmir needs --age COL" in p.stderr
    p = run("inequality", hh, *W2_DESIGN, "--indicators", "gini", "--age-limit", "60", expect=2)
    assert "serve the indicator rmir only" in p.stderr


def test_wave2_uncalibrated_counterparts(wave2_expected):
    """Section B's household rows for mean, total, population and fgt0 (the
    uncalibrated counterparts of section D), through the command."""
    rows = wave2_expected[(wave2_expected["design"] == "wr") &
                          wave2_expected["indicator"].isin(["mean", "total", "population", "fgt"])]
    hh = str(WAVE2 / "households.csv")
    got = pd.concat([
        table("inequality", hh, *DESIGN, "--ci", "normal", "--indicators", "mean,total,population"),
        table("poverty", hh, *DESIGN, "--ci", "normal", "--prop-ci", "wald", "--line", "520000",
              "--inclusive", "--indicators", "fgt0")])
    got = got.set_index("indicator")
    assert len(rows) == 4
    for _, row in rows.iterrows():
        name = "fgt0" if row["indicator"] == "fgt" else row["indicator"]
        g = got.loc[name]
        for col, ref in (("estimate", "estimate"), ("se", "se"), ("ci_low", "ci_low"),
                         ("ci_high", "ci_high")):
            assert close(g[col], row[ref], 1e-8), (name, col, g[col], row[ref])


def test_options_no_indicator_uses_are_refused():
    hh = str(WAVE2 / "households.csv")
    p = run("poverty", hh, *DESIGN, "--indicators", "rich:Cha:1", "--rich-line", "1560000",
            "--line", "520000", expect=2)
    assert "used by no indicator here" in p.stderr
    p = run("inequality", hh, *DESIGN, "--indicators", "gini", "--sex-codes", "L=1,P=2",
            expect=2)
    assert "--sex-codes and --invalid-codes read gpg's --sex column" in p.stderr
