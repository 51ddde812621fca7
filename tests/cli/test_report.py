# SPDX-License-Identifier: GPL-3.0-or-later
"""`socind report` on the bundled sample: every figure of the brief equals the
library's own result for the same data (computed here through the Python
binding and formatted the same way), and the HTML page is well-formed and
self-contained. SOCIND_CLI names the command, SOCIND_LIBRARY the library."""
import os
import pathlib
import re
import sys
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bindings" / "python"))
os.environ.setdefault("SOCIND_LIBRARY", str(ROOT / "build" / "libsocind.so"))
import socind  # noqa: E402

import cli_env  # noqa: E402

SAMPLE = ROOT / "data" / "sample"


def run(*args, expect=0, cwd=ROOT):
    return cli_env.run(*args, expect=expect, cwd=cwd)


# ---------------------------------------------------------------- formatting as the brief does


def thousands(v):
    s = f"{abs(v):,.0f}"
    return ("-" if v < 0 and s != "0" else "") + s


def pct_ci(e):
    """an Estimate, or a row of a prevalence/by table"""
    v = e["estimate"] if isinstance(e, pd.Series) and "estimate" in e else (
        e["value"] if isinstance(e, pd.Series) else e.value)
    return f"{100 * v:.1f}% ({100 * e.ci_low:.1f}–{100 * e.ci_high:.1f})"


def pct2_ci(e):
    return f"{100 * e.value:.2f} ({100 * e.ci_low:.2f}–{100 * e.ci_high:.2f})"


def count_ci(e):
    return f"{thousands(e.value)} ({thousands(e.ci_low)}–{thousands(e.ci_high)})"


def md_tables(md):
    """heading → rows (lists of cells) of the first table under it."""
    out, heading, rows = {}, None, None
    for line in md.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            rows = None
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            if rows is None:
                rows = out.setdefault(heading, [])
            elif not set("".join(cells)) <= set("-:| "):
                rows.append(cells)
    return out


# ---------------------------------------------------------------- expected figures


@pytest.fixture(scope="module")
def brief(tmp_path_factory):
    html = tmp_path_factory.mktemp("brief") / "brief.html"
    md = run("report", "--html", html).stdout
    return md, html.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def households():
    return pd.read_csv(SAMPLE / "households.csv")


def year_figures(d):
    des = socind.Design(weight=d.weight_person, strata=d.stratum, psu=d.psu)
    y, line = d.exp_pc.to_numpy(), d.poverty_line.to_numpy()
    return dict(p0=socind.fgt(y, line, 0, design=des), poor=socind.poor_count(y, line, design=des),
                p1=socind.fgt(y, line, 1, design=des), p2=socind.fgt(y, line, 2, design=des),
                gini=socind.gini(y, design=des),
                by=socind.fgt(y, line, 0, design=des, by=d.kecamatan).drop("all").rename_axis("group"),
                line=line[0])


def test_poverty_table(brief, households):
    md, _ = brief
    rows = md_tables(md)["Poverty"]
    years = sorted(households.year.unique())
    assert [r[0] for r in rows] == [str(y) for y in years]
    for r, year in zip(rows, years):
        f = year_figures(households[households.year == year])
        g = f["gini"]
        assert r[1:] == [thousands(f["line"]), pct_ci(f["p0"]), count_ci(f["poor"]),
                         pct2_ci(f["p1"]), pct2_ci(f["p2"]),
                         f"{g.value:.3f} ({g.ci_low:.3f}–{g.ci_high:.3f})"]


def test_change_between_years(brief, households):
    md, _ = brief
    a = year_figures(households[households.year == 2023])
    b = year_figures(households[households.year == 2024])
    d = {k: socind.difference(a[k], b[k]) for k in ("p0", "poor", "p1", "p2")}
    p0 = d["p0"]
    assert (f"Change 2023 → 2024: poverty rate {100 * p0.value:+.1f} percentage points "
            f"(95% CI {100 * p0.ci_low:+.1f} to {100 * p0.ci_high:+.1f})") in md
    assert (f"Number of poor {thousands(d['poor'].value)} (95% CI {thousands(d['poor'].ci_low)} "
            f"to {thousands(d['poor'].ci_high)})") in md
    for k in ("p1", "p2"):
        e = d[k]
        assert (f"{k.upper()} {100 * e.value:+.2f} ({100 * e.ci_low:+.2f} to "
                f"{100 * e.ci_high:+.2f})") in md
    # the independent-samples difference is the pooled design's contrast
    assert p0.df == a["p0"].df + b["p0"].df
    assert abs(p0.se ** 2 - a["p0"].se ** 2 - b["p0"].se ** 2) < 1e-15


def test_rate_by_subdistrict_ordered(brief, households):
    md, _ = brief
    rows = md_tables(md)["Poverty rate by sub-district, 2024 (highest first)"]
    by = year_figures(households[households.year == 2024])["by"]
    by = by.reset_index().sort_values(["value", "group"], ascending=[False, True])
    assert [r[0] for r in rows] == list(by["group"])
    for r, (_, e) in zip(rows, by.iterrows()):
        assert r[1] == pct_ci(e) and r[2] == str(e["n"])


NUT = [("HA", "< -2"), ("WH", "< -2"), ("WA", "< -2"), ("WH", "> +2")]


@pytest.fixture(scope="module")
def table():
    k = pd.read_csv(SAMPLE / "children.csv")
    t = socind.prevalence(k.sex, k.age_days, k.weight, k.lenhei, k.measure, k.oedema, sw=k.sw,
                          strata=k.strata, cluster=k.cluster, by=k.kecamatan)
    return k, t


def cells(t, group):
    out = []
    for ind, stat in NUT:
        r = t[(t.group == group) & (t.indicator == ind) & (t.statistic == stat)].iloc[0]
        out.append(pct_ci(r))
    n = t[(t.group == group) & (t.indicator == "HA") & (t.statistic == "< -2")].iloc[0]
    return out, str(n["n_unweighted"])


def test_nutrition_overall(brief, table):
    md, _ = brief
    _, t = table
    rows = md_tables(md)["Child nutrition (under five, WHO 2006 growth standards)"]
    assert [r[0] for r in rows] == ["Stunting", "Wasting", "Underweight", "Overweight"]
    for r, (ind, stat) in zip(rows, NUT):
        e = t[(t.group == "All") & (t.indicator == ind) & (t.statistic == stat)].iloc[0]
        assert r[2:] == [pct_ci(e), str(e["n_unweighted"])]


def test_nutrition_by_subdistrict_and_age(brief, table):
    md, _ = brief
    k, t = table
    tabs = md_tables(md)
    rows = tabs["By sub-district (highest stunting first)"]
    areas = sorted(k.kecamatan.unique())
    stunting = {a: t[(t.group == f"kecamatan: {a}") & (t.indicator == "HA") & (t.statistic == "< -2")]
                .iloc[0]["estimate"] for a in areas}
    assert [r[0] for r in rows] == sorted(areas, key=lambda a: (-stunting[a], a))
    for r in rows:
        c, n = cells(t, f"kecamatan: {r[0]}")
        assert r[1:] == c + [n]
    rows = tabs["By age group"]
    groups = ["00-05", "06-11", "12-23", "24-35", "36-47", "48-59"]
    assert len(rows) == 6
    for r, g in zip(rows, groups):
        c, n = cells(t, f"Age group: {g} mo")
        assert r[1:] == c + [n]


def test_data_quality(brief, table):
    md, _ = brief
    k, _ = table
    q = socind.growth_quality(k.sex, k.age_days, k.weight, k.lenhei, k.measure, k.oedema)
    names = {"HA": "height-for-age", "WA": "weight-for-age", "BMI": "BMI-for-age",
             "WH": "weight-for-height"}
    for ind, name in names.items():
        assert (f"- {name}: {q['missing'][ind]} of {q['n']} children without a z-score "
                f"(missing or out-of-range measurements), {q['flagged'][ind]} flagged as "
                f"implausible by WHO's limits and left out; SD of the z-scores "
                f"{q['sd'][ind]:.2f}") in md
    assert f"SD of height-for-age z: {q['sd']['HA']:.2f}" in md
    assert f"Oedema: {q['oedema']} children" in md


def test_html_is_well_formed_and_self_contained(brief):
    md, html = brief
    assert html.startswith("<!DOCTYPE html>")
    root = ET.fromstring(html)  # polyglot markup: parses as XML
    svg = "{http://www.w3.org/2000/svg}"
    assert len(list(root.iter(svg + "svg"))) == 3  # two bar charts, the HAZ histogram
    for el in root.iter():
        for attr in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
            assert attr not in el.attrib, (el.tag, attr)
        assert el.tag not in ("script", "link", "img", "iframe", "object")
    assert "url(" not in html and "@import" not in html
    # whiskers: one per sub-district with an estimate, in both bar charts
    figures = list(root.iter("figure"))
    assert len(figures) == 3
    # the HTML tables carry the same cells as the Markdown tables
    md_cells = [c for rows in md_tables(md).values() for r in rows for c in r]
    html_cells = ["".join(td.itertext()) for td in root.iter("td")]
    assert html_cells == md_cells


def test_named_files_and_columns(tmp_path):
    hh = pd.read_csv(SAMPLE / "households.csv").rename(columns={"exp_pc": "pce", "year": "tahun"})
    kids = pd.read_csv(SAMPLE / "children.csv").rename(columns={"lenhei": "tb", "sex": "jk"})
    hh.to_csv(tmp_path / "h.csv", index=False)
    kids.to_csv(tmp_path / "c.csv", index=False)
    got = run("report", "--households", tmp_path / "h.csv", "--children", tmp_path / "c.csv",
              "--income", "pce", "--year", "tahun", "--lenhei-cm", "tb", "--sex", "jk",
              "--title", "Musi Banyuasin", cwd=tmp_path).stdout
    want = run("report").stdout
    strip = re.compile(r"^Households: .*$", re.M)
    assert strip.sub("", got) == strip.sub("", want)


def test_errors_leave_no_html(tmp_path):
    html = tmp_path / "brief.html"
    p = run("report", "--children", tmp_path / "none.csv", "--html", html, expect=1)
    assert "none.csv: cannot open" in p.stderr
    assert not html.exists()
    p = run("report", "--income", "nope", expect=1)
    assert "no column \"nope\" (named by --income)" in p.stderr
