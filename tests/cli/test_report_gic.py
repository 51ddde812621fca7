# SPDX-License-Identifier: GPL-3.0-or-later
"""socind report --compare FILE: the growth incidence curve from FILE's round
to the brief's latest, against socind gic on the same rows, CPIs and line;
the chart in the HTML page; the files and CPIs it refuses."""
import io
import pathlib
import subprocess

import pandas as pd
import pytest
from cli_env import CLI, run as _run

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "households.csv"
CPI = {"2023": 118.9, "2024": 121.6}  # the brief's defaults


def run(*args, expect=0):
    """The command from the repository's root: the brief reads the bundled
    sample by its relative path, data/sample/households.csv."""
    return _run(*args, expect=expect, cwd=ROOT)


def _round_file(tmp_path, year, label=None):
    lines = SAMPLE.read_text().splitlines()
    out = [lines[0]] + [(label + ln[4:] if label else ln) for ln in lines[1:]
                        if ln.startswith(year + ",")]
    path = tmp_path / f"households_{label or year}.csv"
    path.write_text("\n".join(out) + "\n")
    return str(path)


def _fmt(v):
    s = f"{100 * v:+.1f}%"
    return s.replace("-", "−")


def test_brief_draws_the_curve_of_socind_gic(tmp_path):
    base = _round_file(tmp_path, "2023")
    html = tmp_path / "brief.html"
    md = run("report", "--compare", base, "--lang", "en", "--html", str(html)).stdout
    assert "### Who gained: growth incidence 2023–2024" in md
    ratio = CPI["2024"] / CPI["2023"]
    p = run("gic", base, str(SAMPLE), "--compare-subset", "year=2024", "--income", "exp_pc",
            "--weight", "weight_person", "--strata", "stratum", "--psu", "psu",
            "--line-col", "poverty_line", "--price-ratio", repr(ratio))
    g = pd.read_csv(io.StringIO(p.stdout), dtype={"parameter": str})
    for d in range(10, 100, 10):
        row = g[(g.indicator == "gic") & (g.parameter == f"{d / 100:.2f}")].iloc[0]
        cell = f"| {d} | {_fmt(row.estimate)} ({_fmt(row.ci_low)[:-1]} to {_fmt(row.ci_high)[:-1]}) |"
        assert cell in md, cell
    mean = g[g.indicator == "mean_growth"].iloc[0]
    assert f"changed by {_fmt(mean.estimate)}" in md
    ppg = g[g.indicator == "pro_poor_growth"].iloc[0]
    assert f"was {_fmt(ppg.estimate)}" in md
    page = html.read_text()
    assert "Real income growth by percentile 2023–2024" in page
    assert page.count('class="gic"') == 1 and page.count('class="band"') == 1
    # Indonesian by default
    md_id = run("report", "--compare", base).stdout
    assert "insiden pertumbuhan 2023–2024" in md_id


def test_refusals(tmp_path):
    latest = _round_file(tmp_path, "2024")
    p = run("report", "--compare", latest, expect=2)
    assert "earlier round" in p.stderr
    # a later round than the brief's latest (2024): refused, whatever its CPI
    later = _round_file(tmp_path, "2023", label="2025")
    p = run("report", "--compare", later, "--compare-cpi", "130", "--lang", "en", expect=2)
    assert "earlier round" in p.stderr and "From 2025 to 2024" not in p.stdout
    other = _round_file(tmp_path, "2023", label="2019")
    p = run("report", "--compare", other, expect=2)
    assert "--compare-cpi" in p.stderr
    md = run("report", "--compare", other, "--compare-cpi", "104.5", "--lang", "en").stdout
    assert "growth incidence 2019–2024" in md and "CPI ratio 1.1636" in md
    p = run("report", "--compare", other, "--compare-cpi", "0", expect=2)
    assert "--compare-cpi must be > 0" in p.stderr
    p = run("report", "--compare", str(tmp_path / "nope.csv"), expect=1)


def test_refuses_a_later_round(tmp_path):
    # the brief's latest round is 2024: a 2025 file is no base round
    later = _round_file(tmp_path, "2023", label="2025")
    p = run("report", "--compare", later, "--compare-cpi", "130", expect=2)
    assert "after the brief's latest round (2024)" in p.stderr and "earlier round" in p.stderr
    assert p.stdout == ""
    # the brief's numeric order, not the text's: round 999 is before 2024
    early = _round_file(tmp_path, "2023", label="999")
    md = run("report", "--compare", early, "--compare-cpi", "50", "--lang", "en").stdout
    assert "growth incidence 999–2024" in md


def _blank_round(path, line_no):
    """The file with the round cell of data line line_no (1 = the first
    row after the header) left empty."""
    lines = pathlib.Path(path).read_text().splitlines()
    cells = lines[line_no].split(",")
    cells[0] = ""
    lines[line_no] = ",".join(cells)
    pathlib.Path(path).write_text("\n".join(lines) + "\n")


def test_refuses_rows_without_their_round(tmp_path):
    base = _round_file(tmp_path, "2023")
    _blank_round(base, 7)
    p = run("report", "--compare", base, expect=1)
    assert "the survey round (column \"year\") is missing" in p.stderr
    assert "line 8" in p.stderr and "households_2023.csv" in p.stderr
    # a round column without any round: refused at its first row, not taken
    # as one round
    lines = pathlib.Path(base).read_text().splitlines()
    empty = tmp_path / "empty_rounds.csv"
    empty.write_text("\n".join([lines[0]] + ["," + ln.split(",", 1)[1] for ln in lines[1:]])
                     + "\n")
    p = run("report", "--compare", str(empty), "--compare-cpi", "100", expect=1)
    assert "is missing" in p.stderr and "line 2" in p.stderr


def test_compare_cpi_options(tmp_path):
    # --compare-cpi without --compare: a usage error, not ignored
    p = run("report", "--compare-cpi", "104.5", expect=2)
    assert "--compare-cpi needs --compare" in p.stderr
    # the base round's CPI from --cpi ROUND=VALUE,... when it names it
    other = _round_file(tmp_path, "2023", label="2019")
    md = run("report", "--compare", other, "--cpi", "2019=104.5,2023=118.9,2024=121.6",
             "--lang", "en").stdout
    assert "growth incidence 2019–2024" in md and "CPI ratio 1.1636" in md
    # --compare-cpi overrides it
    md2 = run("report", "--compare", other, "--cpi", "2019=104.5,2023=118.9,2024=121.6",
              "--compare-cpi", "121.6", "--lang", "en").stdout
    assert "CPI ratio 1.0000" in md2
    # a --cpi list without the base round still asks for --compare-cpi
    p = run("report", "--compare", other, "--cpi", "2023=118.9,2024=121.6", expect=2)
    assert "--compare-cpi" in p.stderr


def _gic(base, ratio):
    """socind gic on the same rows: base file to the sample's 2024"""
    p = run("gic", base, str(SAMPLE), "--compare-subset", "year=2024", "--income", "exp_pc",
            "--weight", "weight_person", "--strata", "stratum", "--psu", "psu",
            "--line-col", "poverty_line", "--price-ratio", repr(ratio))
    return pd.read_csv(io.StringIO(p.stdout), dtype={"parameter": str})


def _with_incomes(tmp_path, value):
    h = pd.read_csv(SAMPLE)
    h = h[h.year == 2023].assign(exp_pc=value)
    path = tmp_path / f"base_{value}.csv"
    h.to_csv(path, index=False)
    return str(path)


def test_growth_without_interval_is_shown_and_said(tmp_path):
    """a base round of equal incomes: socind gic gives each percentile's
    growth without its SE (no density); the brief shows the values with
    "(–)" for the interval and says why on stderr"""
    base = _with_incomes(tmp_path, 500000)
    p = run("report", "--compare", base, "--lang", "en")
    g = _gic(base, CPI["2024"] / CPI["2023"])
    for d in range(10, 100, 10):
        row = g[(g.indicator == "gic") & (g.parameter == f"{d / 100:.2f}")].iloc[0]
        assert f"| {d} | {_fmt(row.estimate)} (–) |" in p.stdout
    ppg = g[g.indicator == "pro_poor_growth"].iloc[0]
    assert f"was {_fmt(ppg.estimate)} (–)." in p.stdout
    assert ("socind report: real income growth by percentile, 2023 to 2024: 99 estimates "
            "(percentile 1, percentile 2, percentile 3, ...) have no standard error or interval "
            "(shown as –): a data value is invalid for this estimator") in p.stderr
    assert ("socind report: rate of pro-poor growth: 1 estimate (2023 to 2024) has no standard "
            "error or interval (shown as –)") in p.stderr
    assert ("socind report: growth incidence 2023 to 2024: every income of a round is equal, so "
            "the income density at a percentile cannot be estimated") in p.stderr
    # the bundled sample's own curve: every figure given, nothing said but
    # the PSUs --compare's round shares (test_shared_psus_are_said) and
    # those the brief's own two rounds share (test_report.py)
    q = run("report", "--compare", _round_file(tmp_path, "2023"))
    said = q.stderr.splitlines()
    assert len(said) == 2 and all("(stratum, PSU) ids" in ln for ln in said)
    assert sum("ids of the brief's latest round" in ln for ln in said) == 1


def test_growth_without_value_is_said(tmp_path):
    """a base round whose incomes are all 0: no growth rate; every "–" of
    the section named on stderr with its reason"""
    base = _with_incomes(tmp_path, 0)
    p = run("report", "--compare", base, "--lang", "en")
    for d in range(10, 100, 10):
        assert f"| {d} | – |" in p.stdout
    assert "changed by –." in p.stdout and "was –." in p.stdout
    for what in ["growth of the mean income", "growth of the mean income of the poor",
                 "rate of pro-poor growth"]:
        assert (f"socind report: {what}: 1 estimate (2023 to 2024) has no estimate (shown as –): "
                "a data value is invalid for this estimator") in p.stderr
    assert ("socind report: real income growth by percentile, 2023 to 2024: 99 estimates "
            "(percentile 1, percentile 2, percentile 3, ...) have no estimate (shown as –)"
            ) in p.stderr
    assert ("the base round's income is 0 or less at 99 of the 99 percentiles and on average: "
            "no growth rate from it") in p.stderr


def test_cpi_ratio_is_never_printed_as_zero(tmp_path):
    """a CPI ratio far below 1 keeps its significant digits; growth rates
    whose percent leaves the doubles are said (overflow); the page's chart
    gets an axis of a few ticks however wide the curve"""
    base = _with_incomes(tmp_path, 500000)
    md = run("report", "--compare", base, "--compare-cpi", "2000", "--lang", "en").stdout
    assert "(CPI ratio 0.06080)" in md
    p = run("report", "--compare", base, "--compare-cpi", "1e308", "--lang", "en")
    assert "(CPI ratio 1.2160 × 10⁻³⁰⁶)" in p.stdout and "0.0000" not in p.stdout
    assert ("have no estimate (shown as –): a result is not a finite number, or leaves the "
            "double range (overflow or underflow)") in p.stderr
    p = run("report", "--compare", base, "--compare-cpi", "1e308", "--lang", "id")
    assert "(rasio IHK 1,2160 × 10⁻³⁰⁶)" in p.stdout
    html = tmp_path / "b.html"
    subprocess.run([CLI, "report", "--compare", base, "--compare-cpi", "1e200", "--html",
                    str(html)], cwd=ROOT, capture_output=True, timeout=60, check=True)
    page = html.read_text()
    assert page.count('class="gic"') == 1
    # (the growth axis's labels are the page's only end-anchored ticks)
    assert 2 <= page.count('class="tick" style="text-anchor:end"') <= 21


@pytest.mark.parametrize("cpi", [["--compare-cpi", "1e-308"], ["--compare-cpi", "4.9e-324"],
                                 ["--cpi", "2019=1e300,2023=118.9,2024=1e-300"]])
def test_cpi_ratio_beyond_the_doubles_is_a_usage_error(tmp_path, cpi):
    """CPIs so far apart that their ratio is infinite or 0: a usage error
    naming them (exit 2), not the library's refusal of an argument (exit 3)"""
    base = _round_file(tmp_path, "2023", "2019")
    p = run("report", "--compare", base, *cpi, expect=2)
    assert "give a price ratio of" in p.stderr and "which is no finite number > 0: give both " \
        "CPIs on one base" in p.stderr, p.stderr
    assert p.stdout == ""


def test_subdistrict_without_earlier_round_is_said(tmp_path):
    """a sub-district of the latest round without households in the round
    before has no change ("–"), said on stderr with the one that vanished"""
    h = pd.read_csv(SAMPLE)
    h.loc[(h.year == 2024) & (h.kecamatan == "Lais"), "kecamatan"] = "New24"
    path = tmp_path / "h.csv"
    h.to_csv(path, index=False)
    p = run("report", "--households", str(path), "--children",
            str(ROOT / "data" / "sample" / "children.csv"), "--title", "T", "--lang", "en")
    row = [ln for ln in p.stdout.splitlines() if ln.startswith("| New24 |")][0].split(" | ")
    assert row[3] == "–" and row[6] == "–"
    assert ("socind report: change since 2023 by sub-district: 1 sub-district of 2024 (New24) "
            "has no change of the poverty and extreme poverty rates (shown as –): it has no "
            "household in 2023; 1 sub-district of 2023 (Lais) has no household in 2024 "
            "(renamed?)") in p.stderr


def test_a_round_without_incomes_is_named(tmp_path):
    """the curve cannot be drawn from a round without incomes: refused,
    naming the round and the column (the brief's own round and --compare's)"""
    h = pd.read_csv(SAMPLE)
    base = tmp_path / "base.csv"
    h[h.year == 2023].assign(exp_pc=float("nan")).to_csv(base, index=False)
    p = run("report", "--compare", str(base), expect=3)
    assert (f'{base}: every income of survey round 2023 (column "year") in column "exp_pc" '
            "(--income) is missing: the growth incidence curve (--compare) cannot be drawn "
            "from it") in p.stderr
    # the brief's latest round without incomes
    hh = tmp_path / "h.csv"
    h.assign(exp_pc=h.exp_pc.where(h.year == 2023)).to_csv(hh, index=False)
    p = run("report", "--households", str(hh), "--title", "T", "--compare",
            _round_file(tmp_path, "2023"), expect=3)
    assert (f'{hh}: every income of survey round 2024 (column "year") in column "exp_pc" '
            "(--income) is missing") in p.stderr


def test_a_compare_round_of_zero_weights_is_named(tmp_path):
    """--compare's round whose weights are all 0 (the file's others not) is
    said as the round's, as the brief's own rounds are, not as every weight
    of the file"""
    h = pd.read_csv(SAMPLE)
    base = tmp_path / "base.csv"
    a = h[h.year == 2023]
    pd.concat([a.assign(year=2022), a.assign(weight_person=0)]).to_csv(base, index=False)
    p = run("report", "--compare", str(base), expect=1)
    assert (f'{base}: every sampling weight of survey round 2023 (column "year") in column '
            '"weight_person" (--weight) is 0: no household of the round counts (--compare)'
            ) in p.stderr
    assert "every sampling weight in column" not in p.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
def test_negative_incomes_of_the_compare_round_are_said(tmp_path, lang):
    """--compare's round's incomes below 0 (weight > 0) are counted as given,
    never silently: named as that round's on stderr and at the top of the
    brief, as the brief's own rounds' are"""
    h = pd.read_csv(SAMPLE)
    a = h[h.year == 2023].copy()
    a.loc[a.index[:4], "exp_pc"] *= -1
    a.loc[a.index[3], "weight_person"] = 0  # counts nowhere: not counted
    base = tmp_path / "base.csv"
    a.to_csv(base, index=False)
    html = tmp_path / "b.html"
    p = run("report", "--compare", str(base), "--lang", lang, "--html", str(html))
    assert (f'warning: 3 households of survey round 2023 (column "year") of --compare {base} '
            'have an income below 0 in column "exp_pc" (--income); the growth incidence curve '
            "counts them as given") in p.stderr
    want = ("3 households of survey round 2023 (--compare) have an income (spending per person) "
            "below 0; the growth incidence curve counts them as given" if lang == "en" else
            "3 rumah tangga pada putaran survei 2023 (--compare) memiliki pengeluaran per kapita "
            "di bawah 0; kurva insiden pertumbuhan menghitungnya apa adanya")
    tag = "Warning:" if lang == "en" else "Peringatan:"
    assert f"**{tag}** {want}" in p.stdout
    assert p.stdout.index(want) < p.stdout.index("## ")
    assert f'<p class="warning"><strong>{tag}</strong> {want}' in html.read_text()
    # the brief's own rounds have none: no warning of theirs
    assert p.stderr.count("below 0") == 1
    # a file without a round column: named by its path
    one = tmp_path / "one.csv"
    a.drop(columns="year").to_csv(one, index=False)
    p = run("report", "--compare", str(one), "--compare-cpi", "118.9", "--lang", "en")
    assert f"warning: 3 households of --compare {one} have an income below 0" in p.stderr
    assert "**Warning:** 3 households of the earlier survey (--compare) have an income" in p.stdout
    # none below 0: no warning
    p = run("report", "--compare", _round_file(tmp_path, "2023"), "--lang", "en")
    assert "below 0" not in p.stdout + p.stderr


def test_a_compare_round_without_poverty_lines(tmp_path):
    """--compare's round without a national line: no headcount, no growth of
    the poor (–, said as that, not as incomes at 0 or below); the curve and
    the mean's growth still. Some rows without one: said, and left out of
    the headcount only (socind gic's figures on the same rows)"""
    h = pd.read_csv(SAMPLE)
    a = h[h.year == 2023]
    base = tmp_path / "base.csv"
    a.assign(poverty_line=float("nan")).to_csv(base, index=False)
    p = run("report", "--compare", str(base), "--lang", "en")
    assert (f'survey round 2023 (column "year") of --compare {base}: no household with an income '
            'has a poverty line in column "poverty_line" (--line-col; 1830 rows): the share '
            "below the national line, the growth of the poor's mean income and the rate of "
            "pro-poor growth are not available (shown as –)") in p.stderr
    assert "0 or less" not in p.stderr and "invalid for this estimator" not in p.stderr
    assert ("**Warning:** Survey round 2023 (--compare) has no household with a national poverty "
            "line") in p.stdout
    assert ("The poorest – of the people (the share of 2023 below the national line) saw their "
            "mean income change by –; the rate of pro-poor growth (Ravallion–Chen: the mean "
            "growth of the poor's percentiles) was –.") in p.stdout
    ref = run("report", "--compare", _round_file(tmp_path, "2023"), "--lang", "en").stdout
    mean = "the mean income per person changed by "
    assert p.stdout.split(mean)[1][:20] == ref.split(mean)[1][:20]
    # some rows without a line
    b = a.copy()
    b.loc[b.index[:10], "poverty_line"] = float("nan")
    b.to_csv(base, index=False)
    p = run("report", "--compare", str(base), "--lang", "en")
    assert (f'survey round 2023 (column "year") of --compare {base}: 10 households with an income '
            'have no poverty line in column "poverty_line" (--line-col): left out of the share '
            "below the national line") in p.stderr
    assert ("**Warning:** 10 households of survey round 2023 (--compare) with an income have no "
            "national poverty line") in p.stdout
    g = run("gic", str(base), str(SAMPLE), "--compare-subset", "year=2024", "--income", "exp_pc",
            "--weight", "weight_person", "--strata", "stratum", "--psu", "psu",
            "--line-col", "poverty_line", "--price-ratio", repr(CPI["2024"] / CPI["2023"]))
    g = pd.read_csv(io.StringIO(g.stdout), dtype={"parameter": str})
    h1 = g[g.indicator == "headcount"].iloc[0].estimate
    assert f"The poorest {100 * h1:.1f}% of the people" in p.stdout


def test_the_household_file_itself_is_refused(tmp_path):
    """--compare naming the brief's own household file (however spelled) is
    no earlier round: a file without a round column would be compared with
    its very rows as if an independent sample (growth 0 with an interval)"""
    h = pd.read_csv(SAMPLE)
    one = tmp_path / "one.csv"
    h[h.year == 2024].drop(columns="year").to_csv(one, index=False)
    for spelled in (str(one), f"{tmp_path}/./one.csv"):
        p = run("report", "--households", str(one), "--compare", spelled, "--cpi", "121.6",
                "--compare-cpi", "121.6", "--title", "T", expect=2)
        assert (f"--compare {spelled} is the household file itself (--households): the growth "
                "incidence curve needs the file of an earlier round") in p.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_brief_round_without_label_reads_in_words(tmp_path, lang):
    """a household file without a round column has no round label: the
    section names it in words, never "2023–" or "to ,\""""
    h = pd.read_csv(SAMPLE)
    one = tmp_path / "one.csv"
    h[h.year == 2024].drop(columns="year").to_csv(one, index=False)
    html = tmp_path / "b.html"
    md = run("report", "--households", str(one), "--compare", _round_file(tmp_path, "2023"),
             "--cpi", "121.6", "--compare-cpi", "118.9", "--title", "T", "--lang", lang,
             "--html", str(html)).stdout
    if lang == "en":
        assert "### Who gained: growth incidence 2023 to the latest survey\n" in md
        assert "From 2023 to the latest survey, in 2023 prices" in md
        assert "Real income growth by percentile 2023 to the latest survey" in html.read_text()
    else:
        assert "insiden pertumbuhan 2023 ke survei terakhir\n" in md
        assert "Dari 2023 ke survei terakhir, dalam harga 2023" in md
    assert "2023–" not in md and " to ," not in md and " ke ," not in md


def _psu_ids(d):
    return set(zip(d.stratum.astype(str), d.psu.astype(str)))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_shared_psus_are_said(tmp_path, lang):
    """--compare's round sharing (stratum, PSU) ids with the brief's latest
    round is no independent sample, which the curve's SEs assume: counted as
    socind gic and socind change count them, said on stderr and at the top"""
    base = _round_file(tmp_path, "2023")
    h = pd.read_csv(SAMPLE)
    latest, earlier = _psu_ids(h[h.year == 2024]), _psu_ids(h[h.year == 2023])
    shared = len(latest & earlier)
    assert 0 < shared < len(latest)
    p = run("report", "--compare", base, "--lang", lang)
    assert (f"socind report: warning: {shared} of the {len(latest)} (stratum, PSU) ids of the "
            f"brief's latest round 2024 are also ids of survey round 2023 (column \"year\") of "
            f"--compare {base} (of {len(earlier)}): the rounds are not independent samples (a "
            "panel, revisited PSUs or a copy of the household file), and the SEs of the growth "
            "incidence curve, which assume they are, ignore their covariance") in p.stderr
    # the count of socind gic on the same rounds
    g = run("gic", base, str(SAMPLE), "--compare-subset", "year=2024", "--income", "exp_pc",
            "--weight", "weight_person", "--strata", "stratum", "--psu", "psu", "--line", "1")
    assert (f"{shared} of round 2's {len(latest)} (stratum, PSU) ids are also round 1's (of "
            f"{len(earlier)})") in g.stderr
    top = p.stdout.split("\n## ", 1)[0]
    if lang == "en":
        assert (f"**Warning:** {shared} of the {len(latest)} (stratum, PSU) ids of survey round "
                f"2024 are also ids of survey round 2023 (--compare, of {len(earlier)}): the two "
                "rounds are not independent samples") in top
        assert "they take the two rounds as independent samples, which they are not" in p.stdout
    else:
        assert (f"**Peringatan:** {shared} dari {len(latest)} id (strata, PSU) putaran survei "
                f"2024 juga merupakan id putaran survei 2023 (--compare, dari {len(earlier)}): "
                "kedua putaran bukan sampel yang saling bebas") in top
        assert "padahal tidak (keduanya berbagi PSU" in p.stdout


def test_a_copy_of_the_household_file_is_said(tmp_path):
    """a copy of the brief's own household file (one round, at another path)
    shares every PSU with it: said, where the same path is refused"""
    h = pd.read_csv(SAMPLE)
    one, copy = tmp_path / "one.csv", tmp_path / "copy.csv"
    h[h.year == 2024].drop(columns="year").to_csv(one, index=False)
    copy.write_bytes(one.read_bytes())
    n = len(_psu_ids(h[h.year == 2024]))
    p = run("report", "--households", str(one), "--compare", str(copy), "--cpi", "121.6",
            "--compare-cpi", "121.6", "--title", "T", "--lang", "en")
    assert (f"socind report: warning: {n} of the {n} (stratum, PSU) ids of the brief's latest "
            f"round are also ids of --compare {copy} (of {n}): the rounds are not independent "
            "samples") in p.stderr
    assert (f"**Warning:** {n} of the {n} (stratum, PSU) ids of the brief's survey are also ids "
            f"of the earlier survey (--compare, of {n})") in p.stdout


def test_psus_of_its_own_give_no_warning(tmp_path):
    """an earlier round with PSU ids of its own: no warning, and the section
    says the rounds are independent samples"""
    h = pd.read_csv(SAMPLE)
    own = tmp_path / "own.csv"
    h[h.year == 2023].assign(psu=lambda d: d.psu + 10_000_000).to_csv(own, index=False)
    p = run("report", "--compare", str(own), "--lang", "en")
    # (the brief's own two rounds share ids: said as theirs, test_report.py)
    assert "ids of the brief's latest round" not in p.stderr and "--compare, of" not in p.stdout
    assert "Intervals are 95%; the two rounds are independent samples." in p.stdout
