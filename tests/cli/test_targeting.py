# SPDX-License-Identifier: GPL-3.0-or-later
"""socind targeting: the tidy table against socind_targeting's figures
(through the Python binding on the same file), the identities, --by,
--subset, --where, the line options, and the refusals (each with its
message and exit code). SOCIND_CLI names the command (ctest sets it)."""
import io
import pathlib
import sys

import numpy as np
import pandas as pd
import pytest
from cli_env import run

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
import socind  # noqa: E402
HH = ROOT / "tests" / "reference" / "poverty" / "households.csv"
DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]


def table(*args):
    p = run(*args)
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                       float_precision="round_trip", dtype={"parameter": str, "group": str})


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The reference households with a programme: recipients more likely
    below the region's line, an amount, a noisy registry decile (one row
    unranked, one recipient value missing), and a survey year."""
    df = pd.read_csv(HH)
    rng = np.random.default_rng(19)
    poor = df["cons_pc"] < df["line_region"]
    df["pkh"] = (rng.uniform(size=len(df)) < np.where(poor, 0.55, 0.15)).astype(float)
    df["amount"] = np.where(df["pkh"] == 1, rng.uniform(1e5, 4e5, size=len(df)).round(), 0.0)
    noisy = df["cons_pc"] * rng.uniform(0.6, 1.4, size=len(df))
    df["decile"] = (1 + (10 * noisy.rank(method="first") - 1) // len(df)).astype("Int64")
    df.loc[40, "decile"] = pd.NA
    df.loc[11, "pkh"] = np.nan
    df["year"] = np.where(np.arange(len(df)) % 7 == 0, 2023, 2024)
    path = tmp_path_factory.mktemp("targeting") / "programme.csv"
    df.to_csv(path, index=False)
    return df, str(path)


def test_table_shape_and_identities(data):
    df, path = data
    t = table("targeting", path, *DESIGN, "--line", "500000", "--recipient", "pkh",
              "--benefit", "amount", "--ranking", "decile", "--by", "urban")
    assert list(t.columns) == ["indicator", "parameter", "group", "estimate", "se", "ci_low",
                               "ci_high", "df", "n", "weight_sum"]
    for g in ["all", "urban: 0", "urban: 1"]:
        x = t[t["group"] == g]
        part = {k: v for k, v in x.groupby("indicator", sort=False)}
        cov, exc = part["coverage"], part["exclusion"]
        assert len(cov) == 1
        assert cov["estimate"].iloc[0] + exc["estimate"].iloc[0] == pytest.approx(1.0, rel=1e-15)
        shares = part["benefit_share"]
        assert list(shares["parameter"]) == [str(k) for k in range(1, 11)]
        assert shares["estimate"].sum() == pytest.approx(1.0, rel=1e-14)
        assert (shares["se"] > 0).all()
        cgh = part["cgh"].iloc[0]
        assert cgh["parameter"] == "0.4"
        # with a ranking: over the estimated population share of deciles 1-4
        ranked = df["decile"].notna()
        s_low = (df["w_person"][ranked] * (df["decile"][ranked] <= 4)).sum() / \
            df["w_person"][ranked].sum()
        assert cgh["estimate"] == pytest.approx(shares["estimate"].iloc[:4].sum() / s_low,
                                                rel=1e-13)
    # coverage against the ratio of weighted totals, by hand
    ok = df["pkh"].notna()
    w, P, R = df["w_person"][ok], (df["cons_pc"] < 500000)[ok], df["pkh"][ok]
    a = t[(t["indicator"] == "coverage") & (t["group"] == "all")].iloc[0]
    assert a["estimate"] == pytest.approx((w * R * P).sum() / (w * P).sum(), rel=1e-13)
    assert a["n"] == len(df) - 1
    assert a["df"] == df["psu"].nunique() - df["stratum"].nunique()


def test_matches_the_library_through_the_binding(data):
    df, path = data
    t = table("targeting", path, *DESIGN, "--line-col", "line_region", "--recipient", "pkh",
              "--ranks", "5", "--cgh-share", "0.2", "--by", "urban")
    d = socind.Design(df["w_person"].to_numpy(float), strata=df["stratum"].to_numpy(),
                      psu=df["psu"].to_numpy())
    r = socind.targeting(df["cons_pc"].to_numpy(float), df["line_region"].to_numpy(float),
                         df["pkh"].to_numpy(float), n_ranks=5, cgh_share=0.2, design=d)
    x = t[t["group"] == "all"]
    for _, row in x.iterrows():
        key = row["indicator"] if row["indicator"] != "benefit_share" else \
            f"share_{row['parameter']}"
        e = r[key]
        assert row["estimate"] == pytest.approx(e.value, rel=1e-15, abs=1e-300)
        assert row["se"] == pytest.approx(e.se, rel=1e-15, abs=1e-300)
    # and each domain's rows (urban: 0 and urban: 1) against by=
    tab = socind.targeting(df["cons_pc"].to_numpy(float), df["line_region"].to_numpy(float),
                           df["pkh"].to_numpy(float), n_ranks=5, cgh_share=0.2, design=d,
                           by=df["urban"].to_numpy())
    checked = 0
    for u in (0, 1):
        x = t[t["group"] == f"urban: {u}"]
        assert len(x) == 5 + 5
        for _, row in x.iterrows():
            key = row["indicator"] if row["indicator"] != "benefit_share" else \
                f"share_{row['parameter']}"
            e = tab.loc[(u, key)]
            assert row["estimate"] == pytest.approx(e["value"], rel=1e-15, abs=1e-300)
            assert row["se"] == pytest.approx(e["se"], rel=1e-15, abs=1e-300)
            assert row["n"] == e["n"]
            checked += 1
    assert checked == 20


def test_subset_where_and_relative_line(data):
    df, path = data
    base = DESIGN + ["--recipient", "pkh", "--ranking", "decile"]
    a = table("targeting", path, *base, "--relative", "0.6:median", "--subset", "year=2024")
    sub = df[df["year"] == 2024]
    p2 = pathlib.Path(path).with_name("y2024.csv")
    sub.to_csv(p2, index=False)
    b = table("targeting", str(p2), *base, "--relative", "0.6:median")
    pd.testing.assert_frame_equal(a, b)
    # --where keeps the other rows in the design: same values as the breakdown
    w = table("targeting", path, *base, "--line", "500000", "--where", "urban=1")
    by = table("targeting", path, *base, "--line", "500000", "--by", "urban")
    u1 = by[by["group"] == "urban: 1"].reset_index(drop=True)
    assert np.allclose(w["estimate"].to_numpy(), u1["estimate"].to_numpy(), rtol=1e-14,
                       equal_nan=True)


def test_estimated_deciles_and_json(data):
    df, path = data
    t = table("targeting", path, *DESIGN, "--line", "500000", "--recipient", "pkh")
    sh = t[t["indicator"] == "benefit_share"]
    assert len(sh) == 10 and sh["estimate"].sum() == pytest.approx(1.0, rel=1e-14)
    # a share of recipients: the logit interval, inside (0, 1)
    assert ((sh["ci_low"] > 0) & (sh["ci_high"] < 1)).all()
    j = run("targeting", path, *DESIGN, "--line", "500000", "--recipient", "pkh",
            "--format", "json").stdout
    assert '"benefit_share"' in j


def test_cgh_with_incomes_tied_at_the_cut(tmp_path):
    """Estimated quintiles, f = 0.2 and 30 % of the incomes 0: q_0.2 = 0, and
    the group y <= q_0.2 holds about 30 % of the people, so cgh divides by
    that share: a programme reaching everyone is neutral (cgh 1, SE 0), and
    one paying the zero-income rows alone has cgh 1/share."""
    rng = np.random.default_rng(5)
    n = 60
    y = np.where(np.arange(n) % 10 < 3, 0.0, rng.uniform(0.2, 3.2, n))
    w = rng.uniform(0.5, 3.0, n)
    zero = (y == 0).astype(float)
    path = tmp_path / "ties.csv"
    pd.DataFrame({"y": y, "w": w, "all": 1.0, "zero": zero}).to_csv(path, index=False)
    share = w[y == 0].sum() / w.sum()
    assert share > 0.25
    for rec, expect in [("all", 1.0), ("zero", 1.0 / share)]:
        t = table("targeting", str(path), "--income", "y", "--weight", "w", "--line", "1",
                  "--recipient", rec, "--ranks", "5", "--cgh-share", "0.2")
        c = t[t["indicator"] == "cgh"].iloc[0]
        assert c["estimate"] == pytest.approx(expect, rel=1e-14)
        if rec == "all":
            assert abs(c["se"]) < 1e-12


def test_refusals(data, tmp_path):
    df, path = data
    base = ["targeting", path, *DESIGN]
    p = run(*base, "--line", "500000", expect=2)
    assert "--recipient" in p.stderr
    p = run(*base, "--recipient", "pkh", expect=2)
    assert "exactly one of --line" in p.stderr
    p = run(*base, "--recipient", "pkh", "--line", "500000", "--relative", "0.6:median",
            expect=2)
    assert "exactly one of --line" in p.stderr
    p = run(*base, "--recipient", "pkh", "--line", "500000", "--ranks", "1", expect=2)
    assert "--ranks must be a whole number from 2 to 20" in p.stderr
    p = run(*base, "--recipient", "pkh", "--line", "500000", "--cgh-share", "1.5", expect=2)
    assert "--cgh-share must be in (0, 1)" in p.stderr
    # a ranking of 10 groups cannot give the bottom 25 %: a usage error
    p = run(*base, "--recipient", "pkh", "--line", "500000", "--ranking", "decile",
            "--cgh-share", "0.25", expect=2)
    assert "whole number of groups: 0.25 x 10 = 2.5" in p.stderr
    # recipient values other than 0/1: every line listed, the column named
    bad = df.copy()
    bad.loc[5, "pkh"] = 2
    bad.loc[9, "pkh"] = -1
    f = tmp_path / "bad.csv"
    bad.to_csv(f, index=False)
    p = run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--line", "500000", expect=1)
    assert 'line 7: column "pkh" (--recipient): 2 is not 0, 1' in p.stderr
    assert 'line 11: column "pkh" (--recipient): -1 is not 0, 1' in p.stderr
    assert 'column "pkh" (--recipient) holds 2 values' in p.stderr
    assert "index" not in p.stderr and "recipient[" not in p.stderr
    bad = df.copy()
    bad.loc[8, "amount"] = -5
    bad.loc[8, "pkh"] = 1
    bad.to_csv(f, index=False)
    p = run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--benefit", "amount",
            "--line", "500000", expect=1)
    assert "line 10" in p.stderr
    bad = df.copy()
    bad["decile"] = bad["decile"].astype(float)
    bad.loc[3, "decile"] = 11
    bad.to_csv(f, index=False)
    p = run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--ranking", "decile",
            "--line", "500000", expect=1)
    assert 'line 5: column "decile" (--ranking): 11 is not a welfare group 1..10' in p.stderr
    bad.loc[3, "decile"] = 2.5
    bad.loc[6, "decile"] = 0
    bad.to_csv(f, index=False)
    p = run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--ranking", "decile",
            "--line", "500000", expect=1)
    assert 'line 5: column "decile" (--ranking): 2.5 is not' in p.stderr
    assert 'line 8: column "decile" (--ranking): 0 is not' in p.stderr
    # −1 in the file is not "unranked" (only a missing value is)
    bad.loc[3, "decile"] = 3
    bad.loc[6, "decile"] = -1
    bad.to_csv(f, index=False)
    p = run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--ranking", "decile",
            "--line", "500000", expect=1)
    assert 'line 8: column "decile" (--ranking): -1 is not a welfare group' in p.stderr
    assert "holds 1 value that is not" in p.stderr
    # quintile codes with the default --ranks 10: both readings named
    bad = df.copy()
    bad["decile"] = (bad["decile"] + 1) // 2
    bad.to_csv(f, index=False)
    p = run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--ranking", "decile",
            "--line", "500000", expect=1)
    assert "holds codes 1..5 but --ranks is 10 (the default)" in p.stderr
    assert "use --ranks 5?" in p.stderr and "groups 6..10 are missing" in p.stderr
    run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--ranking", "decile",
        "--line", "500000", "--ranks", "5", "--cgh-share", "0.2")
    # a group without a row
    bad = df.copy()
    bad.loc[bad["decile"] == 3, "decile"] = 4
    bad.to_csv(f, index=False)
    p = run("targeting", str(f), *DESIGN, "--recipient", "pkh", "--ranking", "decile",
            "--line", "500000", expect=1)
    assert "no row in group 3 of 1..10" in p.stderr


def test_help_names_the_command():
    p = run("help")
    assert "targeting" in p.stdout
    p = run("help", "targeting")
    assert "--recipient" in p.stdout and "--cgh-share" in p.stdout


def test_figures_without_a_denominator_or_a_density_say_why(data, tmp_path):
    """No poor at the line: coverage and exclusion are empty and stderr says
    there is no poor person (not only "a data value is invalid"); every
    income equal with estimated welfare groups: the rates against the line
    stand, the shares and CGH keep their values without SE, said so (the
    run had stopped, exit 1); benefits whose sum overflows: overflow."""
    df, path = data
    p = run("targeting", path, *DESIGN, "--line", "5", "--recipient", "pkh")
    assert "coverage: 1 estimate (all) has no estimate" in p.stderr
    assert "no poor person in the group" in p.stderr
    flat = df.copy()
    flat["cons_pc"] = 500000.0
    fp = tmp_path / "flat.csv"
    flat.to_csv(fp, index=False)
    p = run("targeting", fp, *DESIGN, "--line", "600000", "--recipient", "pkh")
    t = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                    dtype={"parameter": str})
    cov = t[t.indicator == "coverage"].iloc[0]
    known = flat[flat.pkh.notna()]  # (a missing recipient value: the row left out)
    assert cov.se > 0 and cov.estimate == pytest.approx(known.eval("w_person * pkh").sum()
                                                        / known.w_person.sum(), rel=1e-12)
    shares = t[t.indicator == "benefit_share"]
    assert shares.estimate.notna().all() and shares.se.isna().all()
    assert shares.estimate.sum() == pytest.approx(1.0, rel=1e-12)
    assert "benefit_share: 10 estimates (all) have no standard error" in p.stderr
    assert "every income equal" in p.stderr
    big = df.copy()
    big["amount"] = np.where(big.pkh == 1, 1e308, 0.0)
    bp = tmp_path / "big.csv"
    big.to_csv(bp, index=False)
    p = run("targeting", bp, *DESIGN, "--line", "600000", "--recipient", "pkh",
            "--benefit", "amount")
    assert "benefit_share: 10 estimates (all) have no estimate" in p.stderr
    assert "overflow" in p.stderr


@pytest.mark.parametrize("cells,said", [
    (["10", "", "10", "", "20"], 'have no value in column "ben" (--benefit); none is a '
     "recipient's (a non-recipient's row needs no amount)"),
    (["", "", "10", "5", "20"], "; 1 of them is a recipient's, left out of benefit_share and "
     "cgh (a non-recipient's row needs no amount)"),
    (["", "1", "10", "5", "20"], "1 row has no value in column \"ben\" (--benefit); it is a "
     "recipient's: left out of benefit_share and cgh"),
    (["", "", "", "5", "20"], "; 2 of them are recipients', left out of benefit_share and cgh"),
])
def test_missing_benefit_note_counts_the_recipients(tmp_path, cells, said):
    """The note on empty --benefit cells says how many are recipients' (the
    rows the figures leave out): it said every empty cell was, where a
    non-recipient's row needs no amount."""
    rec = ["1", "0", "1", "0", "1"]
    p = tmp_path / "t.csv"
    p.write_text("id,y,rec,w,ben\n" + "".join(
        f"{i + 1},{y},{r},{w},{b}\n"
        for i, (y, r, w, b) in enumerate(zip([50, 80, 120, 200, 90], rec, [1, 2, 1, 3, 1], cells))))
    err = run("targeting", p, "--income", "y", "--line", "100", "--recipient", "rec", "--weight",
              "w", "--ranks", "2", "--benefit", "ben").stderr
    assert said in err
    k = sum(c == "" for c in cells)
    assert f"{k} row{'s have' if k > 1 else ' has'} no value in column \"ben\"" in err
