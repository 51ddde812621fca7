# SPDX-License-Identifier: GPL-3.0-or-later
"""socind report --compare FILE: the growth incidence curve from FILE's round
to the brief's latest, against socind gic on the same rows, CPIs and line;
the chart in the HTML page; the files and CPIs it refuses."""
import io
import pathlib

import pandas as pd
import pytest
from cli_env import run as _run

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
