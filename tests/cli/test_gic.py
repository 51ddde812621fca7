# SPDX-License-Identifier: GPL-3.0-or-later
"""socind gic BASE_FILE COMPARE_FILE: the growth incidence curve against the
command's own quantiles, means and headcount (socind inequality, socind
poverty) on the bundled sample's two rounds, the zero-growth identity, the
line options, and the command lines it refuses."""
import io
import json
import math
import pathlib

import pandas as pd
import pytest
from cli_env import run

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "data" / "sample" / "households.csv")
HH = str(ROOT / "tests" / "reference" / "poverty" / "households.csv")
DESIGN = ["--weight", "weight_person", "--strata", "stratum", "--psu", "psu"]
ROUNDS = ["--base-subset", "year=2023", "--compare-subset", "year=2024"]
COLUMNS = ["indicator", "parameter", "group", "estimate", "se", "ci_low", "ci_high", "df", "n",
           "weight_sum"]


def table(*args, expect=0):
    p = run(*args, expect=expect)
    return pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                       float_precision="round_trip", dtype={"parameter": str, "group": str})


def one(df, indicator, parameter=None):
    rows = df[df.indicator == indicator]
    if parameter is not None:
        rows = rows[rows.parameter == parameter]
    assert len(rows) == 1, (indicator, parameter, df)
    return rows.iloc[0]


def test_against_the_commands_own_estimates():
    r = 1.03
    g = table("gic", SAMPLE, SAMPLE, *ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "545000",
              "--price-ratio", str(r), "--percentiles", "0.1,0.5,0.9")
    assert list(g.columns) == COLUMNS
    assert g.indicator.tolist() == ["gic"] * 3 + ["mean_growth", "mean_poor_growth",
                                                  "pro_poor_growth", "headcount"]
    q = {}
    for k, year in enumerate(("2023", "2024")):
        q[k] = table("inequality", SAMPLE, "--subset", f"year={year}", "--income", "exp_pc",
                     *DESIGN, "--indicators", "quantile:0.1,quantile:0.5,quantile:0.9,mean")
    for p in ("0.1", "0.5", "0.9"):
        expected = (one(q[1], f"quantile:{p}").estimate /
                    (r * one(q[0], f"quantile:{p}").estimate) - 1)
        row = one(g, "gic", p)
        assert row.estimate == pytest.approx(expected, rel=1e-14, abs=1e-16)
        assert row.se > 0 and row.ci_low < row.estimate < row.ci_high
        assert row.df == one(q[0], "mean").df + one(q[1], "mean").df
        assert row.n == one(q[0], "mean").n + one(q[1], "mean").n
    m = one(q[1], "mean").estimate / (r * one(q[0], "mean").estimate) - 1
    assert one(g, "mean_growth").estimate == pytest.approx(m, rel=1e-13)
    h = table("poverty", SAMPLE, "--subset", "year=2023", "--income", "exp_pc", *DESIGN,
              "--line", "545000", "--indicators", "fgt0")
    H = one(h, "fgt0").estimate
    assert one(g, "headcount").estimate == pytest.approx(H, rel=1e-15)
    assert one(g, "headcount").se == pytest.approx(one(h, "fgt0").se, rel=1e-12)
    assert one(g, "headcount").ci_low == pytest.approx(one(h, "fgt0").ci_low, rel=1e-12)
    K = sum(1 for k in range(1, 100) if k / 100 <= H)
    assert one(g, "pro_poor_growth").parameter == f"p<={K / 100:.2f}"


def test_default_grid_and_pro_poor_rate():
    g = table("gic", SAMPLE, SAMPLE, *ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "545000")
    curve = g[g.indicator == "gic"]
    assert curve.parameter.tolist() == [f"{k / 100:.2f}" for k in range(1, 100)]
    H = one(g, "headcount").estimate
    K = sum(1 for k in range(1, 100) if k / 100 <= H)
    assert one(g, "pro_poor_growth").estimate == pytest.approx(curve.estimate[:K].mean(),
                                                               rel=1e-12)
    # JSON carries the same figures
    p = run("gic", SAMPLE, SAMPLE, *ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "545000",
            "--format", "json")
    rows = json.loads(p.stdout)
    rows = rows["estimates"] if isinstance(rows, dict) else rows
    assert len(rows) == 99 + 4


def test_zero_growth(tmp_path):
    # a copy of the file as the compare round, price ratio 1: every growth
    # rate is 0, and the shared (stratum, PSU) ids are said on stderr (the
    # SEs take the rounds as independent samples, which they are not)
    copy = tmp_path / "copy.csv"
    copy.write_bytes(pathlib.Path(HH).read_bytes())
    p = run("gic", HH, str(copy), "--income", "cons_pc", "--weight", "w_person", "--strata",
            "stratum", "--psu", "psu", "--line", "500000")
    assert "not independent samples" in p.stderr
    g = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                    dtype={"parameter": str})
    for ind in ("gic", "mean_growth", "mean_poor_growth", "pro_poor_growth"):
        assert (g[g.indicator == ind].estimate == 0).all()


def test_rounds_must_be_two_samples(tmp_path):
    """The same file twice needs both subsets, and different ones; shared
    (stratum, PSU) ids are counted on stderr, as socind change does."""
    d = ["--income", "exp_pc", *DESIGN, "--line", "560000", "--percentiles", "0.5"]
    p = run("gic", SAMPLE, SAMPLE, *d, expect=2)
    assert "the same file" in p.stderr and "--base-subset" in p.stderr
    p = run("gic", SAMPLE, SAMPLE, "--base-subset", "year=2023", *d, expect=2)
    assert "the same file" in p.stderr
    # a link to it is the same file
    link = tmp_path / "link.csv"
    link.symlink_to(SAMPLE)
    p = run("gic", SAMPLE, str(link), *d, expect=2)
    assert "the same file" in p.stderr
    p = run("gic", SAMPLE, SAMPLE, "--base-subset", "year=2023", "--compare-subset", "year=2023",
            *d, expect=2)
    assert "select the same rows" in p.stderr
    p = run("gic", SAMPLE, SAMPLE, *ROUNDS, *d)
    assert "warning: 165 of round 2's 192 (stratum, PSU) ids are also round 1's (of 183)" \
        in p.stderr


def test_lines():
    base = ["gic", SAMPLE, SAMPLE, *ROUNDS, "--income", "exp_pc", *DESIGN, "--percentiles", "0.5"]
    for line in (["--relative", "0.6:median"], ["--relative", "0.5:mean"],
                 ["--line-col", "poverty_line"], ["--line", "560000", "--inclusive"]):
        g = table(*base, *line)
        h = table("poverty", SAMPLE, "--subset", "year=2023", "--income", "exp_pc", *DESIGN,
                  *line, "--indicators", "fgt0")
        assert one(g, "headcount").estimate == pytest.approx(one(h, "fgt0").estimate, rel=1e-15)
        assert one(g, "headcount").se == pytest.approx(one(h, "fgt0").se, rel=1e-9)
    # a line below every income: H1 = 0, the poor's rates are empty and said so
    p = run(*base, "--line", "1")
    assert "mean_poor_growth" in p.stderr and "pro_poor_growth" in p.stderr
    assert "no poor in the base round at this line, H1 = 0" in p.stderr
    g = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                    dtype={"parameter": str})
    assert math.isnan(one(g, "pro_poor_growth").estimate)
    assert one(g, "headcount").estimate == 0


def test_zero_incomes_in_the_base_round_are_named(tmp_path):
    """30 % of the base round's incomes are 0: its quantiles up to 0.3 are 0,
    so g(p) is undefined there (the point at 0.1, and pro_poor_growth, the
    mean of g over p <= H1 with H1 about 0.4) — the messages say so, not
    "H1 = 0"."""
    import numpy as np
    rng = np.random.default_rng(11)
    n = 80
    for name, zeros in (("r1.csv", True), ("r2.csv", False)):
        y = rng.uniform(0.3, 2.0, n)
        if zeros:
            y[np.arange(n) % 10 < 3] = 0.0
        pd.DataFrame({"y": y, "w": rng.uniform(0.5, 2.0, n)}).to_csv(tmp_path / name,
                                                                    index=False)
    p = run("gic", str(tmp_path / "r1.csv"), str(tmp_path / "r2.csv"), "--income", "y",
            "--weight", "w", "--line", "0.8", "--percentiles", "0.1,0.5")
    g = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                    dtype={"parameter": str})
    assert one(g, "headcount").estimate > 0.3
    assert math.isnan(one(g, "pro_poor_growth").estimate)
    assert math.isnan(one(g, "gic", "0.1").estimate)
    assert not math.isnan(one(g, "gic", "0.5").estimate)
    lines = {ln.split(":")[1].strip(): ln for ln in p.stderr.splitlines() if ln.count(":") >= 2}
    assert "base round's income at this percentile is 0 or below" in lines["gic"]
    assert "base round's income at one of those percentiles is 0 or below" in \
        lines["pro_poor_growth"]


@pytest.mark.parametrize("extra,message", [
    ([], "two input files"),
    ([SAMPLE], "got 3"),
])
def test_files(extra, message):
    args = ["gic", SAMPLE, *extra, "--income", "exp_pc", "--line", "1"]
    if extra:
        args = ["gic", SAMPLE, SAMPLE, *extra, "--income", "exp_pc", "--line", "1"]
    p = run(*args, expect=2)
    assert message in p.stderr


@pytest.mark.parametrize("opts,message", [
    (["--line", "5"], "--income COL is required"),
    (["--income", "exp_pc"], "give exactly one of --line"),
    (["--income", "exp_pc", "--line", "5", "--relative", "0.6:median"], "exactly one"),
    (["--income", "exp_pc", "--line", "5", "--price-ratio", "0"], "--price-ratio must be > 0"),
    (["--income", "exp_pc", "--line", "5", "--price-ratio", "-1.2"], "--price-ratio"),
    (["--income", "exp_pc", "--line", "5", "--percentiles", "10,50"], "not a fraction"),
    (["--income", "exp_pc", "--line", "5", "--percentiles", " "],
     '--percentiles " ": the list is empty'),
    (["--income", "exp_pc", "--line", "5", "--percentiles", ","], "item 1 of 2 is empty"),
    (["--income", "exp_pc", "--line", "5", "--percentiles", "0.5,.50"],
     '--percentiles lists .50 twice (as "0.5" and ".50")'),
    (["--income", "exp_pc", "--line", "5", "--relative-line", "x"], "unknown option"),
    (["--income", "exp_pc", "--line", "5", "--rep-make", "jk1"], "replicate weights"),
    (["--income", "exp_pc", "--line", "5", "--line", "6"], "given twice"),
    (["--income", "exp_pc", "--relative", "0.6"], "F:median or F:mean"),
])
def test_usage_errors(opts, message):
    p = run("gic", SAMPLE, SAMPLE, *ROUNDS, *opts, expect=2)
    assert message in p.stderr


def test_data_errors(tmp_path):
    # a column missing from the compare file
    other = tmp_path / "other.csv"
    other.write_text("y,w\n1,1\n2,1\n")
    p = run("gic", SAMPLE, str(other), "--income", "exp_pc", "--line", "5", expect=1)
    assert "exp_pc" in p.stderr
    # an infinite income in the compare file names its line there
    bad = tmp_path / "bad.csv"
    bad.write_text("y\n1\n2\ninf\n4\n")
    good = tmp_path / "good.csv"
    good.write_text("y\n1\n2\n3\n4\n")
    p = run("gic", str(good), str(bad), "--income", "y", "--line", "2.5", expect=1)
    assert "bad.csv" in p.stderr


def test_by():
    base = ["gic", SAMPLE, SAMPLE, *ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "545000",
            "--percentiles", "0.25,0.5"]
    g = table(*base, "--by", "urban")
    assert g.group.unique().tolist() == ["all", "urban: 0", "urban: 1"]
    for u in ("0", "1"):
        # the domain's figures are those of its rows alone (the SEs keep the
        # whole design, so only the values are compared)
        alone = table("gic", SAMPLE, SAMPLE, "--base-subset", "year=2023", "--base-subset",
                      f"urban={u}", "--compare-subset", "year=2024", "--compare-subset",
                      f"urban={u}", "--income", "exp_pc", *DESIGN, "--line", "545000",
                      "--percentiles", "0.25,0.5", "--lonely-psu", "adjust")
        mine = g[g.group == f"urban: {u}"].reset_index(drop=True)
        assert mine.indicator.tolist() == alone.indicator.tolist()
        assert mine.estimate.to_numpy() == pytest.approx(alone.estimate.to_numpy(), rel=1e-15)
        assert (mine.se > 0).all()
    # a domain in one file only: its rows are empty, and stderr says why
    p = run("gic", SAMPLE, SAMPLE, "--base-subset", "year=2023", "--compare-subset", "year=2024",
            "--income", "exp_pc", "--line", "545000", "--percentiles", "0.5", "--by", "year")
    g = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                    dtype={"parameter": str, "group": str})
    assert set(g.group) == {"all", "year: 2023", "year: 2024"}
    h1 = (g.indicator == "headcount") & (g.group == "year: 2023")  # the base round's alone
    assert g[(g.group != "all") & ~h1].estimate.isna().all()
    assert g[h1].estimate.iloc[0] == g[(g.indicator == "headcount") & (g.group == "all")
                                       ].estimate.iloc[0]
    assert "year: 2023" in p.stderr or "empty" in p.stderr.lower()


def test_domain_of_one_round(tmp_path):
    """A domain only the base round has: the growth figures are empty
    (SOCIND_ERR_EMPTY_DOMAIN), H1 — a base-round figure — is given, equal to
    socind poverty's FGT0 of that domain in the base round, with its n and
    df; one only the compare round has: every figure empty."""
    h = pd.read_csv(SAMPLE)
    moved = (h.year == 2024) & (h.kecamatan == h.kecamatan.iloc[0])
    h.loc[moved, "kecamatan"] = "Baru"
    f = tmp_path / "h.csv"
    h.to_csv(f, index=False)
    old = h.kecamatan.iloc[0]
    g = table("gic", f, f, *ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "560000",
              "--percentiles", "0.5", "--by", "kecamatan")
    p = table("poverty", f, "--subset", "year=2023", "--income", "exp_pc", *DESIGN, "--line",
              "560000", "--by", "kecamatan", "--indicators", "fgt0")
    hg = g[(g.indicator == "headcount") & (g.group == f"kecamatan: {old}")].iloc[0]
    hp = p[p.group == f"kecamatan: {old}"].iloc[0]
    assert hg.estimate == pytest.approx(hp.estimate, rel=1e-14)
    assert hg.se == pytest.approx(hp.se, rel=1e-9)
    assert (hg.n, hg.df) == (hp.n, hp.df)
    e = run("gic", f, f, *ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "560000",
            "--percentiles", "0.5", "--by", "kecamatan").stderr
    assert (f"--by kecamatan: 1 group only in the base round ({f}): kecamatan: {old}; "
            f"1 group only in the compare round ({f}): kecamatan: Baru." in e)
    mg = g[(g.indicator == "mean_growth") & (g.group == f"kecamatan: {old}")].iloc[0]
    assert math.isnan(mg.estimate)
    new = g[g.group == "kecamatan: Baru"]
    assert new.estimate.isna().all()



@pytest.mark.parametrize("command", ["gic", "change"])
def test_one_input_read_once_named_twice(command, tmp_path):
    """Standard input or a FIFO named as both rounds gives its bytes once: the
    second round would read nothing (standard input) or wait forever for a
    writer (a FIFO). Both are refused before anything is read."""
    import os
    import threading
    d = [*ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "560000"]
    text = pathlib.Path(SAMPLE).read_text()
    for first, second in (("-", "-"), ("-", "/dev/stdin")):
        p = run(command, first, second, *d, input=text, timeout=60, expect=2)
        assert "standard input" in p.stderr and "read only once" in p.stderr
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def feed():
        try:
            with open(fifo, "w") as f:
                f.write(text)
        except BrokenPipeError:
            pass
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        p = run(command, fifo, fifo, *d, timeout=60, expect=2)
        assert "a pipe or a device" in p.stderr and "read only once" in p.stderr
    finally:
        # release the writer when the command did not open the FIFO
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        os.close(fd)
        writer.join(10)


def test_calibration_options_are_refused(tmp_path):
    """--poststratify, --rake and --calibrate are refused, as socind change
    refuses them: each round has its own design (a targets file read for the
    second round crashed the command)."""
    targets = tmp_path / "ps.csv"
    targets.write_text("urban,total\n0,900000\n1,500000\n")
    d = [*ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "560000", "--percentiles", "0.5"]
    for opt in (["--poststratify", targets], ["--rake", targets],
                ["--calibrate", targets, "--cal-method", "linear"]):
        p = run("gic", SAMPLE, SAMPLE, *d, *opt, expect=2)
        assert f"{opt[0]} is not taken here" in p.stderr and p.stdout == ""
    help_text = run("help", "gic").stdout
    assert "--poststratify, --rake, --calibrate (so neither --cal-method" in help_text


@pytest.mark.parametrize("command", ["gic", "change"])
def test_calibration_companions_alone_are_refused(tmp_path, command):
    """--cal-method, --cal-bounds and --calibrated-weights given alone were
    told to add --poststratify, --rake or --calibrate, which gic and change
    refuse: they are refused as not taken, as the calibrations are."""
    d = [*ROUNDS, "--income", "exp_pc", *DESIGN, "--line", "560000"]
    out = tmp_path / "cw.csv"
    for opt in (["--cal-method", "linear"], ["--cal-bounds", "0.5,2"],
                ["--calibrated-weights", out]):
        p = run(command, SAMPLE, SAMPLE, *d, *opt, expect=2)
        assert f"{opt[0]} is not taken here" in p.stderr, p.stderr
        assert "needs --poststratify" not in p.stderr and p.stdout == ""
        assert not out.exists()
    assert "so neither --cal-method, --cal-bounds" in run("help", command).stdout


def test_where_is_documented_where_it_is_taken():
    """The shared help names the commands that take --where: growth and gic
    refuse it, the others take it."""
    for command in ("growth", "gic"):
        assert "(all but growth and gic)" in run("help", command).stdout
        p = run(command, SAMPLE, "--where", "urban=1", expect=2)
        assert "unknown option --where" in p.stderr


def test_missing_line_and_by_values_are_said(tmp_path):
    """A --line-col or --by cell without a value takes the row out of H1 or
    out of that round's --by rows: stderr counts them per column and round,
    as every command does, and H1's n and weight_sum are socind poverty's
    FGT0 of the rows with a line."""
    h = pd.read_csv(SAMPLE)
    h["z"] = 560000.0
    base_rows = h.index[h.year == 2023]
    h.loc[base_rows[:7], "z"] = math.nan
    h["kec"] = h.kecamatan.astype(object)
    h.loc[h.index[h.year == 2024][:4], "kec"] = math.nan
    f = tmp_path / "h.csv"
    h.to_csv(f, index=False)
    p = run("gic", f, f, *ROUNDS, "--income", "exp_pc", *DESIGN, "--line-col", "z",
            "--percentiles", "0.5", "--by", "kec")
    assert ('7 rows have no value in column "z" (--line-col); they are left out of H1'
            in p.stderr)
    assert ('4 rows have no value in column "kec" (--by); they are left out of the compare '
            "round's rows" in p.stderr)
    assert "of the base round's rows" not in p.stderr
    g = pd.read_csv(io.StringIO(p.stdout), keep_default_na=False, na_values=[""],
                    dtype={"parameter": str, "group": str})
    pov = table("poverty", f, "--subset", "year=2023", "--income", "exp_pc", *DESIGN,
                "--line-col", "z", "--indicators", "fgt0")
    hg = g[(g.indicator == "headcount") & (g.group == "all")].iloc[0]
    assert hg.estimate == pytest.approx(pov.estimate.iloc[0], rel=1e-14)
    assert (hg.n, hg.weight_sum) == (pov.n.iloc[0], pytest.approx(pov.weight_sum.iloc[0],
                                                                   rel=1e-14))
    assert hg.n == (h.year == 2023).sum() - 7
