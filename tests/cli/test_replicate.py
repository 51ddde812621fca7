# SPDX-License-Identifier: GPL-3.0-or-later
"""The command's replicate weights (--repweights, --rep-factors/--rep-key,
--rep-type, --rep-scale, --rep-rscales, --fay-rho, --mse, --rep-make)
against section C of the wave-2 reference set (R survey 4.5's replicate
designs), and their refusals."""
import csv
import io
import math
import pathlib

import pandas as pd
import pytest
from cli_env import QUICK, run

ROOT = pathlib.Path(__file__).resolve().parents[2]
W2 = ROOT / "tests" / "reference" / "wave2"
HH = str(W2 / "households.csv")
REL = 1e-8
SCHEMES = {  # scheme: (--rep-type, strata, psu)
    "JKn": ("jkn", "stratum", "psu"), "JK1": ("jk1", None, "psu"),
    "BRR": ("brr", "vstratum", "vpsu"), "Fay": ("fay", "vstratum", "vpsu"),
    "bootstrap": ("bootstrap", "vstratum", "psu"),
    "subbootstrap": ("subbootstrap", "vstratum", "psu"),
}


def table(*args):
    p = run(*args)
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                       float_precision="round_trip", dtype={"parameter": str, "group": str})


def close(a, e, rel=REL):
    return abs(a - e) <= rel * abs(e)


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(W2 / "expected.csv", dtype={"subgroup": str}, float_precision="round_trip")


@pytest.fixture(scope="module")
def repdesigns():
    return {r["scheme"]: r for r in csv.DictReader(open(W2 / "repdesigns.csv"))}


@pytest.fixture(scope="module")
def rscale_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("rscales")
    rows = list(csv.DictReader(open(W2 / "rscales.csv")))
    out = {}
    for s in SCHEMES:
        p = d / f"{s}.csv"
        p.write_text("rscale\n" + "".join(r["rscale"] + "\n" for r in rows if r["scheme"] == s))
        out[s] = str(p)
    return out


def design_args(scheme):
    _, strata, psu = SCHEMES[scheme]
    a = ["--income", "cons_pc", "--weight", "w_person", "--psu", psu]
    return a + (["--strata", strata, "--nest"] if strata else [])


def factor_args(scheme, repdesigns, rscale_files):
    t = SCHEMES[scheme][0]
    a = ["--rep-factors", str(W2 / f"repweights_{scheme}.csv"), "--rep-key", "psu",
         "--rep-type", t, "--rep-scale", repdesigns[scheme]["scale"],
         "--rep-rscales", rscale_files[scheme]]
    if t == "fay":
        a += ["--fay-rho", repdesigns[scheme]["fay_rho"]]
    return a


def results(rep, scheme, mse=False):
    """The command's rows for section C's indicators: normal intervals for
    all but the medians (t on degf)."""
    base = [HH, *design_args(scheme), *rep, *(["--mse"] if mse else [])]
    got = []
    for ci in ("normal", "t"):
        got.append(table("inequality", *base, "--ci", ci, "--by", "urban",
                         "--indicators", "mean,total,gini,median,iqalpha:0.5").assign(ci=ci))
        got.append(table("poverty", *base, "--ci", ci, "--prop-ci", "wald", "--by", "urban",
                         "--line", "520000", "--inclusive",
                         "--indicators", "fgt0,fgt1,fgt2").assign(ci=ci))
    return pd.concat(got)


def check(got, expected, scheme, mse):
    rows = expected[(expected["design"] == scheme)
                    & expected["parameters"].str.endswith("mse=TRUE" if mse else "mse=FALSE")]
    checked = 0
    for _, r in rows.iterrows():
        ind, stat, par = r["indicator"], r["statistic"], r["parameters"]
        if ind == "headcount_ratio":
            ind = "fgt0"  # the same figures (svymean of the indicator)
        elif ind == "fgt":
            ind = stat
        elif ind == "median":
            ind = "median" if "interval.type=mean" in par else "iqalpha:0.5"
        ci = "normal" if r["ci_method"] == "normal" else "t"
        group = "all" if r["subgroup"] == "all" else r["subgroup"].replace("=", ": ")
        hit = got[(got["indicator"] == ind) & (got["group"] == group) & (got["ci"] == ci)]
        assert len(hit) == 1, (scheme, ind, group)
        g = hit.iloc[0]
        for col in ("estimate", "se", "ci_low", "ci_high"):
            assert close(g[col], r[col]), (scheme, ind, group, col, g[col], r[col])
        assert g["df"] == r["df"]
        checked += 1
    return checked


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_rep_factors_match_the_reference(scheme, expected, repdesigns, rscale_files):
    rep = factor_args(scheme, repdesigns, rscale_files)
    n = check(results(rep, scheme), expected, scheme, False)
    if scheme == "JKn":
        n += check(results(rep, scheme, mse=True), expected, scheme, True)
    assert n == (26 if scheme == "JKn" else 13)


@pytest.mark.parametrize("scheme", ["JKn", "JK1", "BRR", "Fay"])
def test_rep_make_matches_the_reference(scheme, expected):
    t = SCHEMES[scheme][0]
    assert check(results(["--rep-make", t], scheme), expected, scheme, False) == 13


def brr_weights_file(path, prefix, **extra):
    """The households with R's BRR replicate weights (w_person × factor) as
    columns PREFIX1, PREFIX2, ..., and any EXTRA columns after them."""
    hh = pd.read_csv(HH, float_precision="round_trip")
    f = pd.read_csv(W2 / "repweights_BRR.csv", float_precision="round_trip").set_index("psu")
    fac = f.loc[hh["psu"]].to_numpy()
    for r in range(fac.shape[1]):
        hh[f"{prefix}{r + 1}"] = hh["w_person"].to_numpy() * fac[:, r]
    for name, value in extra.items():
        hh[name] = value
    hh.to_csv(path, index=False, float_format="%.17g")
    return path


def brr_prefix_results(path, prefix):
    """inequality and poverty by urban, normal and t intervals, with the
    replicate weights read by --repweights PREFIX."""
    base = [str(path), *design_args("BRR"), "--repweights", prefix, "--rep-type", "brr"]
    return pd.concat([table("inequality", *base, "--ci", ci, "--by", "urban",
                            "--indicators", "mean,total,gini,median,iqalpha:0.5").assign(ci=ci)
                      for ci in ("normal", "t")]
                     + [table("poverty", *base, "--ci", ci, "--prop-ci", "wald", "--by", "urban",
                              "--line", "520000", "--inclusive",
                              "--indicators", "fgt0,fgt1,fgt2").assign(ci=ci)
                        for ci in ("normal", "t")])


def test_repweights_prefix_matches_the_factors(tmp_path, expected):
    """--repweights PREFIX: the BRR replicate weights w_person × factor as
    columns of the data file, after other columns that do not start with
    the prefix."""
    # (rep_note does not start with "repw": not a replicate)
    path = brr_weights_file(tmp_path / "hh_repw.csv", "repw", rep_note=1.0)
    assert check(brr_prefix_results(path, "repw"), expected, "BRR", False) == 13


def test_repweights_prefix_leaves_out_the_weight_column(tmp_path, expected):
    """Replicate weights named after the full-sample weight (w_person1 ..
    beside w_person, as public-use files name them): --repweights w_person
    took the --weight column itself as a first replicate, and the SEs came
    out wrong with no word (R + 1 replicates, one a copy of the full
    sample). The --weight column is not a replicate; a column another
    option reads (here the income) is refused."""
    path = brr_weights_file(tmp_path / "hh_wrep.csv", "w_person")
    assert check(brr_prefix_results(path, "w_person"), expected, "BRR", False) == 13
    err = fails("inequality", str(path), *design_args("BRR"), "--repweights", "c",
                "--rep-type", "brr", code=2)
    assert 'column "cons_pc" starts with the prefix but is --income\'s column' in err


def test_nutrition_takes_replicates():
    kids = str(ROOT / "tests" / "reference" / "growth" / "inputs.csv")
    g = ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight", "--lenhei-cm",
         "lenhei", "--measure", "measure", "--oedema", "oedema", "--weight", "sw",
         "--strata", "strata", "--psu", "cluster"]
    lin = table("nutrition", kids, *g)
    rep = table("nutrition", kids, *g, "--rep-make", "bootstrap", "--replicates", "40",
                "--seed", "7")
    again = table("nutrition", kids, *g, "--rep-make", "bootstrap", "--replicates", "40",
                  "--seed", "7")
    # (the run without replicates may stream through partial states: the
    # same estimates within their rounding)
    for a, b in zip(rep["estimate"], lin["estimate"]):
        assert (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-12 * abs(b)
    assert list(rep["se"].fillna(-1)) == list(again["se"].fillna(-1))
    assert (rep["df"] <= 39).all()
    both = rep["se"].notna() & lin["se"].notna() & (lin["se"] > 0)
    assert both.sum() > 10
    ratio = (rep["se"][both] / lin["se"][both]).median()
    assert 0.5 < ratio < 2.0


# ---------------------------------------------------------------- refusals

def fails(*args, code=1):
    return run(*args, expect=code).stderr


BASE = ["inequality", HH, *design_args("JKn")]


def test_negative_replicate_weight_names_line_and_column(tmp_path):
    hh = pd.read_csv(HH, float_precision="round_trip")
    hh["rw1"] = hh["w_person"]
    hh["rw2"] = hh["w_person"]
    hh.loc[6, "rw2"] = -3.0
    p = tmp_path / "neg.csv"
    hh.to_csv(p, index=False, float_format="%.17g")
    err = fails("inequality", str(p), *design_args("JKn"), "--repweights", "rw")
    assert "line 8" in err and '"rw2"' in err and "negative" in err
    hh.loc[6, "rw2"] = float("nan")
    hh.to_csv(p, index=False, float_format="%.17g")
    err = fails("inequality", str(p), *design_args("JKn"), "--repweights", "rw")
    assert "line 8" in err and '"rw2"' in err and "missing" in err
    err = fails("inequality", str(p), *design_args("JKn"), "--repweights", "zz")
    assert 'no column\'s name starts with "zz"' in err


def test_factor_file_keys(tmp_path):
    src = (W2 / "repweights_BRR.csv").read_text().splitlines()
    # a key no data row has
    p = tmp_path / "extra.csv"
    p.write_text("\n".join(src + ["999999," + ",".join(["1"] * 20)]) + "\n")
    err = fails(*BASE, "--rep-factors", str(p), "--rep-key", "psu")
    assert 'key "999999" is in no row of the data' in err and "line 251" in err
    # a data key missing from the file
    p = tmp_path / "short.csv"
    p.write_text("\n".join(src[:1] + src[2:]) + "\n")
    err = fails(*BASE, "--rep-factors", str(p), "--rep-key", "psu")
    assert '"3101001"' in err and "is not a key of" in err
    # a row with a field too many
    p = tmp_path / "wide.csv"
    p.write_text("\n".join(src[:3] + [src[3] + ",2"] + src[4:]) + "\n")
    err = fails(*BASE, "--rep-factors", str(p), "--rep-key", "psu")
    assert "22 fields" in err or "fields" in err
    # a negative factor
    p = tmp_path / "neg.csv"
    p.write_text("\n".join(src[:2] + [src[2].replace(",2,", ",-2,", 1)] + src[3:]) + "\n")
    err = fails(*BASE, "--rep-factors", str(p), "--rep-key", "psu")
    assert "line 3" in err and "negative" in err
    # a key twice
    p = tmp_path / "dup.csv"
    p.write_text("\n".join(src + [src[1]]) + "\n")
    err = fails(*BASE, "--rep-factors", str(p), "--rep-key", "psu")
    assert "each key needs one row" in err


def test_wide_factor_file(tmp_path):
    """A factor file of thousands of columns is read in time linear in its
    cells (each field found its column by a scan of every column: 8,000
    columns took 40 s, 100,001 hours), and read right: BRR's 20 replicates
    written 150 times over with the scale 1/3000 give the 20 replicates'
    SE; a file of more than 100,000 replicates is refused from its header,
    before its rows are read."""
    src = [line.split(",") for line in (W2 / "repweights_BRR.csv").read_text().splitlines()]
    k = 150
    p = tmp_path / "wide.csv"
    p.write_text("".join(",".join([r[0]] + [f"{c}_{j}" if i == 0 else c
                                            for j in range(k) for c in r[1:]]) + "\n"
                         for i, r in enumerate(src)))
    args = ["poverty", HH, *design_args("BRR"), "--line", "520000", "--indicators", "fgt0,fgt2",
            "--ci", "normal", "--rep-key", "psu"]
    wide = table(*args, "--rep-factors", p, "--rep-scale", str(1 / (20 * k)))
    narrow = table(*args, "--rep-factors", W2 / "repweights_BRR.csv", "--rep-scale", "0.05")
    assert len(wide) == len(narrow) == 2
    for col in ("estimate", "se", "ci_low", "ci_high"):
        for a, b in zip(wide[col], narrow[col]):
            assert close(a, b, 1e-12), (col, a, b)
    big = tmp_path / "big.csv"
    big.write_text("psu," + ",".join(f"r{i}" for i in range(100001)) + "\n" +
                   "3101001," + ",".join(["1"] * 100001) + "\n")
    err = run(*args, "--rep-factors", big, expect=1, timeout=60).stderr
    assert "100001 replicate columns after the key column; at most 100000 replicates" in err


def test_rscales_length(tmp_path):
    p = tmp_path / "rs.csv"
    p.write_text("rscale\n" + "1\n" * 19)
    err = fails(*BASE, "--rep-factors", str(W2 / "repweights_BRR.csv"), "--rep-key", "psu",
                "--rep-rscales", str(p))
    assert "19 rows of rscale, but there are 20 replicates" in err


def test_rep_make_refusals():
    err = fails(*BASE, "--rep-make", "brr")
    assert "exactly 2" in err and "line" in err
    err = fails(*BASE, "--rep-make", "bootstrap", "--replicates", "0")
    assert "replicates is 0" in err
    err = fails(*BASE, "--rep-make", "bootstrap", "--replicates", "1000000")
    assert "replicates is 1000000" in err
    # a count that is no whole number: the message names the range (it said
    # only "must be a whole number", for 1e9 too)
    for r in ("1e9", "2.5", "-3", "many", "99999999999"):
        err = fails(*BASE, "--rep-make", "bootstrap", "--replicates", r, code=2)
        assert f'--replicates must be a whole number from 2 to 100000 (the bootstraps\' count), ' \
            f'not "{r}"' in err


def test_rep_make_names_the_stratum_by_its_label(tmp_path):
    """A stratum --rep-make cannot use was named by the design's internal
    number ("stratum 1" for the file's "South") and, for a lonely PSU,
    under the status "the lonely-PSU policy is 'fail'" although
    --lonely-psu remove was given. Now the file's label, its column and
    line, and that --lonely-psu does not make replicates."""
    p = tmp_path / "lab.csv"
    p.write_text("y,w,h,p\n100,1,North,a\n200,1,North,b\n300,1,South,c\n"
                 "400,1,East,d\n500,1,East,e\n")
    base = ["poverty", str(p), "--income", "y", "--weight", "w", "--strata", "h", "--psu", "p",
            "--line", "250", "--lonely-psu", "remove", "--rep-make"]
    for scheme in ("jkn", "subbootstrap", "brr", "fay"):
        err = fails(*base, scheme)
        assert 'stratum "South" (column "h", --strata; line 4 is in it)' in err, err
        assert "policy is 'fail'" not in err and "stratum 1 " not in err, err
    assert "has 1 PSU; BRR and Fay need exactly 2" in fails(*base, "brr")
    assert "--lonely-psu applies to the linearized variance" in fails(*base, "jkn")
    one = tmp_path / "one.csv"
    one.write_text("y,w,p\n100,1,a\n200,1,a\n")
    err = fails("poverty", str(one), "--income", "y", "--weight", "w", "--psu", "p", "--line",
                "250", "--lonely-psu", "remove", "--rep-make", "jk1")
    assert "the design has only one PSU; JK1 deletes one PSU" in err and "'fail'" not in err


def test_usage_errors():
    assert "needs --rep-factors" in fails(*BASE, "--rep-key", "psu", code=2)
    assert "needs --rep-key" in fails(*BASE, "--rep-factors", "x.csv", code=2)
    assert "give one of" in fails(*BASE, "--rep-make", "jkn", "--repweights", "r", code=2)
    assert "--fay-rho goes with" in fails(*BASE, "--rep-make", "brr", "--fay-rho", "0.5",
                                          code=2)
    assert "--rep-type must be" in fails(*BASE, "--rep-factors", str(W2 / "repweights_BRR.csv"),
                                         "--rep-key", "psu", "--rep-type", "xyz", code=2)
    assert "give --repweights, --rep-factors or --rep-make" in fails(*BASE, "--mse", code=2)
    assert "needs --rep-rscales" in fails(*BASE, "--rep-factors",
                                          str(W2 / "repweights_JKn.csv"), "--rep-key", "psu",
                                          "--rep-type", "jkn", code=2)


def test_seed_beyond_its_range_is_refused():
    """--seed past 2^64 - 1, or with a sign or blank before it, was read as
    2^64 - 1 (strtoull clamps, and negates "-1" after a blank): every such
    seed gave the same replicates, silently."""
    make = [*BASE, "--rep-make", "bootstrap", "--replicates", "20"]
    for seed in ("18446744073709551616", "99999999999999999999999", " -1", "+3", "-1"):
        assert "--seed must be a whole number from 0 to 18446744073709551615" in \
            fails(*make, "--seed", seed, code=2)
    top = table(*make, "--seed", "18446744073709551615")
    assert list(top["se"]) == list(table(*make, "--seed", "18446744073709551615")["se"])
    assert list(top["se"]) != list(table(*make, "--seed", "0")["se"])


def test_replicate_files_follow_decimal_comma(tmp_path, repdesigns, rscale_files):
    """Under --decimal-comma the factor and rscale files, separated by
    semicolons, have decimal commas as the data file has (they were read
    with a decimal point only: "1,0040322580645162" is not a number "with
    --decimal-comma ... see --decimal-comma"). Their numbers are read as
    the number options are: a file written with decimal points (separated
    by commas or tabs) reads as written, a value that reads two ways is
    refused. The figures are those of the files with decimal points (which
    test_rep_factors_match_the_reference checks against R)."""
    scheme = "JKn"
    dc = dict(sep=";", decimal=",", index=False, float_format="%.17g")
    pd.read_csv(HH, float_precision="round_trip").to_csv(tmp_path / "hh.csv", **dc)
    pd.read_csv(W2 / f"repweights_{scheme}.csv", float_precision="round_trip").to_csv(
        tmp_path / "f.csv", **dc)
    pd.read_csv(rscale_files[scheme], float_precision="round_trip").to_csv(
        tmp_path / "rs.csv", **dc)
    assert "," in (tmp_path / "rs.csv").read_text()
    ind = ["--indicators", "mean,gini"]
    want = table("inequality", HH, *design_args(scheme),
                 *factor_args(scheme, repdesigns, rscale_files), *ind)
    rep = ["--rep-key", "psu", "--rep-type", "jkn", "--rep-scale",
           repdesigns[scheme]["scale"].replace(".", ","), "--rep-rscales", tmp_path / "rs.csv"]
    pd.read_csv(W2 / f"repweights_{scheme}.csv", float_precision="round_trip").to_csv(
        tmp_path / "tab.csv", sep="\t", index=False, float_format="%.17g")
    for factors in (tmp_path / "f.csv", W2 / f"repweights_{scheme}.csv", tmp_path / "tab.csv"):
        got = table("inequality", tmp_path / "hh.csv", "--decimal-comma", *design_args(scheme),
                    "--rep-factors", factors, *rep, *ind)
        for col in ("estimate", "se", "ci_low", "ci_high"):
            assert all(close(g, w, 1e-12) for g, w in zip(got[col], want[col])), (factors, col)
    # --delimiter semicolon, the data file's, beside factor files separated
    # by commas or tabs (whose headers hold no ";"): each split by its own
    for factors in (W2 / f"repweights_{scheme}.csv", tmp_path / "tab.csv"):
        got = table("inequality", tmp_path / "hh.csv", "--decimal-comma", "--delimiter",
                    "semicolon", *design_args(scheme), "--rep-factors", factors, *rep, *ind)
        for col in ("estimate", "se", "ci_low", "ci_high"):
            assert all(close(g, w, 1e-12) for g, w in zip(got[col], want[col])), (factors, col)
    # "1.025" under --decimal-comma: 1025 or 1.025? refused naming both
    f = pd.read_csv(W2 / f"repweights_{scheme}.csv", dtype=str)
    f.loc[2, "rep1"] = "1.025"
    f.to_csv(tmp_path / "amb.csv", sep=";", index=False)
    p = run("inequality", tmp_path / "hh.csv", "--decimal-comma", *design_args(scheme),
            "--rep-factors", tmp_path / "amb.csv", *rep, *ind, expect=1)
    assert ('amb.csv: line 4: column "rep1" (--rep-factors): "1.025" reads as 1025 (with '
            '--decimal-comma, "." separates thousands) or as 1.025') in p.stderr, p.stderr


# ------------------------------------------- a replicate column another option reads

# Every option of the commands taking --repweights that reads a column of
# the data file: (command, the option's arguments with C for the column,
# the file's column whose copy C is). C's name starts with the replicate
# prefix "rw", beside the replicates rw1 .. rw20; whether an option's
# column is requested before or after the replicate columns are matched,
# the command refuses the prefix (exit 2) rather than reading C both as a
# replicate weight and as that option's column.
HH_OPTS = {  # each command's options beside the one a case tests
    "poverty": {"line": "520000"}, "inequality": {},
    "simulate": {"line": "520000", "amount": "10000"},
    "targeting": {"line": "520000", "recipient": "pkh"}}
HH_DESIGN = {"income": "cons_pc", "weight": "w_person", "strata": "vstratum", "psu": "vpsu"}
KID_OPTS = {"sex": "sex", "age-days": "age_days", "weight-kg": "weight", "lenhei-cm": "lenhei",
            "measure": "measure", "oedema": "oedema", "weight": "sw", "strata": "strata",
            "psu": "cluster"}


def make_case(frame, command, option, src, extra=None, drop=()):
    """The case's arguments: the command's options with OPTION's column C
    (as a value of its own, or as EXTRA gives it), without DROP's."""
    opts = dict(KID_OPTS) if frame == "kids" else {**HH_OPTS[command], **HH_DESIGN}
    for d in drop:
        del opts[d]
    if extra is None:
        if option in opts:
            opts[option], extra = "C", []
        else:
            extra = [f"--{option}", "C"]
    args = [x for k, v in opts.items() for x in (f"--{k}", v)]
    args += ["--nest"] if frame == "hh" else []
    return (frame, command, args + extra, option, src)


HH_CASES = []
for cmd in HH_OPTS:
    HH_CASES += [
        make_case("hh", cmd, "income", "cons_pc"),
        make_case("hh", cmd, "by", "urban"),
        make_case("hh", cmd, "where", "urban", ["--where", "C=1"]),
        make_case("hh", cmd, "where", "hhsize", ["--where", "C>1"]),
        make_case("hh", cmd, "subset", "urban", ["--subset", "C=1"]),
        make_case("hh", cmd, "strata", "vstratum"),
        make_case("hh", cmd, "psu", "vpsu"),
        make_case("hh", cmd, "fpc", "fpc_psu"),
    ]
    if cmd != "inequality":
        HH_CASES.append(make_case("hh", cmd, "line-col", "line_region", drop=["line"]))
HH_CASES += [
    make_case("hh", "poverty", "decompose-by", "prov"),
    make_case("hh", "inequality", "decompose-by", "prov",
              ["--indicators", "gedec:1", "--decompose-by", "C"]),
    make_case("hh", "inequality", "sex", "sexcol", ["--indicators", "gpg", "--sex", "C"]),
    make_case("hh", "inequality", "age", "agecol", ["--indicators", "rmir", "--age", "C"]),
    make_case("hh", "simulate", "household-size", "hhsize",
              ["--per", "household", "--household-size", "C"]),
    make_case("hh", "simulate", "amount-by", "urban", ["--amount-by", "C", "--amounts", "0=1,1=2"],
              drop=["amount"]),
    make_case("hh", "simulate", "select", "urban", ["--select", "C=1"]),
    make_case("hh", "simulate", "select", "hhsize", ["--select", "C<3"]),
    make_case("hh", "targeting", "recipient", "pkh"),
    make_case("hh", "targeting", "benefit", "ben"),
    make_case("hh", "targeting", "ranking", "decile",
              ["--ranking", "C", "--ranks", "10", "--cgh-share", "0.4"]),
]
KID_CASES = [make_case("kids", "nutrition", o, s) for o, s in (
    ("sex", "sex"), ("age-days", "age_days"), ("weight-kg", "weight"), ("lenhei-cm", "lenhei"),
    ("measure", "measure"), ("oedema", "oedema"), ("headc-cm", "headc"), ("armc-cm", "armc"),
    ("triskin-mm", "triskin"), ("subskin-mm", "subskin"), ("id", "id"), ("strata", "strata"),
    ("psu", "cluster"), ("by", "strata"))] + [
    make_case("kids", "nutrition", "where", "strata", ["--where", "C=6103"]),
    make_case("kids", "nutrition", "where", "strata", ["--where", "C>2000"]),
    make_case("kids", "nutrition", "subset", "strata", ["--subset", "C=6103"]),
    make_case("kids", "nutrition", "age-months", "agemo", ["--age-months", "C"],
              drop=["age-days"]),
]


@pytest.fixture(scope="module")
def rep_frames():
    """The households with the BRR replicate weights rw1 .. rw20 and the
    columns some options need (a sex coded 1/2, ages, recipients, benefits,
    deciles); the children with 20 bootstrap-like replicate weights rw1 ..
    rw20 (sw times a positive factor constant within the cluster)."""
    hh = pd.read_csv(HH, float_precision="round_trip")
    f = pd.read_csv(W2 / "repweights_BRR.csv", float_precision="round_trip").set_index("psu")
    fac = f.loc[hh["psu"]].to_numpy()
    for r in range(fac.shape[1]):
        hh[f"rw{r + 1}"] = hh["w_person"].to_numpy() * fac[:, r]
    i = pd.Series(range(len(hh)))
    hh["sexcol"] = 1 + i % 2
    hh["agecol"] = 20 + (i * 7) % 60
    hh["pkh"] = (hh["cons_pc"] < 520000).astype(int)
    hh["ben"] = 100.0 * hh["pkh"]
    hh["decile"] = 1 + (hh["cons_pc"].rank(method="first") * 10 // (len(hh) + 1)).astype(int)
    kids = pd.read_csv(ROOT / "tests" / "reference" / "growth" / "inputs.csv",
                       keep_default_na=False, na_values=["NA"])
    kids["agemo"] = kids["age_days"] / (365.25 / 12)
    clusters = sorted(kids["cluster"].unique())
    for r in range(20):
        fr = {c: 0.5 + ((c * 31 + r * 17) % 11) / 10 for c in clusters}
        kids[f"rw{r + 1}"] = kids["sw"] * kids["cluster"].map(fr)
    return {"hh": hh, "kids": kids}


def case_id(case):
    _, command, extra, option, _ = case
    return f"{command}-{option}-" + next(x for x in extra if x.startswith("C"))


@pytest.mark.parametrize("case", HH_CASES + KID_CASES, ids=case_id)
def test_repweights_prefix_refuses_every_other_options_column(case, rep_frames, tmp_path):
    """A column that another option reads, requested before or after the
    replicate columns are matched (--subset in every command, --by and
    --where in nutrition were requested after, and a prefix matching them
    was taken: the column read both as a replicate weight and as the
    option's, the SEs or the figures wrong without a word), is refused
    naming the option."""
    frame, command, extra, option, src = case
    rep = ["--repweights", "rw", "--rep-type", "brr" if frame == "hh" else "bootstrap"]

    def with_copy(name):
        df = rep_frames[frame].copy()
        df[name] = df[src]
        path = tmp_path / f"{name}.csv"
        df.to_csv(path, index=False, float_format="%.17g")
        return [command, str(path), *[name + x[1:] if x.startswith("C") else x for x in extra],
                *rep]

    # the same command with the copy's name outside the prefix runs (not
    # under the sanitizers, QUICK: a run with 20 replicates a case, 64 cases;
    # the refusals run there)
    if not QUICK:
        run(*with_copy(f"x_{src}"))
    name = f"rw_{src}"
    err = fails(*with_copy(name), code=2)
    assert f'--repweights rw: column "{name}" starts with the prefix but is --{option}\'s ' \
        'column; give a prefix that only the replicate weights\' names start with' in err, err


@pytest.mark.parametrize("command", ["poverty", "inequality", "simulate", "targeting",
                                     "nutrition"])
def test_calibration_column_matching_the_prefix_is_refused(command, rep_frames, tmp_path):
    """A calibration's columns (--poststratify here) are never read as
    replicate weights: a calibration and replicate weights are refused
    together (exit 2), whatever the prefix matches."""
    frame = "kids" if command == "nutrition" else "hh"
    df = rep_frames[frame].copy()
    src = "strata" if frame == "kids" else "urban"
    df["rw_cal"] = df[src]
    path = tmp_path / "data.csv"
    df.to_csv(path, index=False, float_format="%.17g")
    targets = tmp_path / "targets.csv"
    totals = df.groupby("rw_cal").size()
    targets.write_text("rw_cal,total\n" + "".join(f"{k},{10 * v}\n" for k, v in totals.items()))
    case = next(c for c in (HH_CASES + KID_CASES) if c[1] == command and c[3] == "by")
    args = [x for x in case[2] if x not in ("--by", "C")]
    err = fails(command, str(path), *args, "--poststratify", str(targets), "--repweights", "rw",
                "--rep-type", "brr" if frame == "hh" else "bootstrap", code=2)
    # (the prefix's conflict with --poststratify's column, or the
    # combination: either refusal, before any row is read)
    assert "a calibration and replicate weights cannot be combined" in err or \
        'column "rw_cal" starts with the prefix but is --poststratify\'s column' in err, err


def test_replicates_left_out_are_named():
    # by PSU on a JK1 design: the replicate that deletes a group's only PSU
    # has no estimate there and leaves its variance (svrVar's na.omit, with
    # R's warning); the overall row leaves none out
    data = ROOT / "tests" / "reference" / "convey_random" / "inputs.csv"
    p = run("inequality", data, "--income", "y", "--weight", "w", "--psu", "psu",
            "--rep-make", "jk1", "--by", "psu", "--indicators", "mean,zenga")
    warned = [ln for ln in p.stderr.splitlines() if "left out of the variance" in ln]
    assert len(warned) == 2, p.stderr
    for ind, ln in zip(("mean", "zenga"), warned):
        assert ln.startswith(f"socind inequality: warning: {ind}: 4 estimates (psu: 1, psu: 2, "
                             "psu: 3, ...): 1 replicate gave no estimate"), ln
    t = pd.read_csv(io.StringIO(p.stdout))
    assert (t[t.group != "all"].se == 0).all() and (t[t.group == "all"].se > 0).all()
    p = run("inequality", data, "--income", "y", "--weight", "w", "--psu", "psu",
            "--rep-make", "jk1", "--by", "dom", "--indicators", "mean")
    warned = [ln for ln in p.stderr.splitlines() if "left out of the variance" in ln]
    assert warned == ["socind inequality: warning: mean: 1 estimate (dom: 2): 1 replicate gave "
                      "no estimate (no row of the group in the replicate) and was left out of "
                      "the variance, as R's svrVar discards them"], p.stderr


def test_repweights_prefix_and_factor_files_after_excel_hint(tmp_path, expected):
    """Excel's first line "sep=;" names the delimiter in the data file; the
    --repweights reader of the data file's header took that line as the
    header ("no column's name starts with"), and a factor file starting so
    was read the same way. Both now read the next line as the header: the
    figures are those without the hint line."""
    path = brr_weights_file(tmp_path / "hh_repw.csv", "repw")
    hinted = tmp_path / "hh_repw_hint.csv"
    hinted.write_text("sep=,\n" + path.read_text())
    assert check(brr_prefix_results(hinted, "repw"), expected, "BRR", False) == 13
    factors = tmp_path / "f_hint.csv"
    factors.write_text("sep=;\n" + (W2 / "repweights_BRR.csv").read_text().replace(",", ";"))
    a = ["--rep-factors", str(factors), "--rep-key", "psu", "--rep-type", "brr"]
    plain = ["--rep-factors", str(W2 / "repweights_BRR.csv"), "--rep-key", "psu",
             "--rep-type", "brr"]
    args = ["inequality", HH, *design_args("BRR"), "--indicators", "mean,gini"]
    assert table(*args, *a).equals(table(*args, *plain))
