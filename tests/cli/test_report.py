# SPDX-License-Identifier: GPL-3.0-or-later
"""`socind report`, the regency brief: every figure of it (levels, changes,
RSE, intervals, the sub-districts most in need, the lines) equals the
library's own result for the same data, computed here through the Python
binding and formatted as the brief formats it, in Indonesian and in English;
the HTML page is well-formed, self-contained, responsive and printable; the
brief runs on a file of one round, without oedema, with ages in months; the
bundled sample is of the regency's size. SOCIND_CLI names the command,
SOCIND_LIBRARY the library."""
import math
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
HH = SAMPLE / "households.csv"  # the bundled households, named (--children alone is refused)
LEVEL = 0.95
# the command's documented defaults (README, socind help report)
PPP_DAILY, PPP_FACTOR, CPI_BASE = 2.15, 4549.6, 100.0
CPI = {"2023": 118.9, "2024": 121.6}


def run(*args, expect=0, cwd=ROOT, input=None):
    return cli_env.run(*args, expect=expect, cwd=cwd, input=input)


# ---------------------------------------------------------------- the brief's formats


SUP = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def sci(v, lang):
    """1.0223 × 10⁴⁵ (en) / 1,0223 × 10⁴⁵ (id)"""
    m, e = f"{abs(v):.4e}".split("e")
    if lang == "id":
        m = m.replace(".", ",")
    return ("−" if v < 0 else "") + f"{m} × 10{str(int(e)).translate(SUP)}"


def num(v, dec, lang):
    """1,234.5 (en) / 1.234,5 (id); U+2212 for a minus; beyond 15 integer
    digits the scientific form"""
    if v is None or not math.isfinite(v):
        return "–"
    if len(f"{abs(v):.{dec}f}".split(".")[0]) > 15:
        return sci(v, lang)
    s = f"{abs(v):,.{dec}f}"
    negative = v < 0 and set(s) - set("0.,")
    if lang == "id":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return ("−" if negative else "") + s


def signed(v, dec, lang):
    t = num(v, dec, lang)
    if math.isfinite(v) and not t.startswith("−") and set(t) - set("0.,"):
        return "+" + t
    return t


class E:
    """an estimate as the brief sees it"""

    def __init__(self, value, se, lo, hi, n):
        self.value, self.se, self.lo, self.hi, self.n = value, se, lo, hi, n

    @classmethod
    def of(cls, e):
        return cls(e.value, e.se, e.ci_low, e.ci_high, e.n)

    @classmethod
    def row(cls, r, n="n"):
        v = r["estimate"] if "estimate" in r else r["value"]
        return cls(v, r["se"], r["ci_low"], r["ci_high"], int(r[n]))

    def zero_interval(self):
        """Clopper–Pearson on the rows for a proportion 0 or 1 in the sample"""
        if self.value in (0, 1) and self.n >= 1:
            tail = ((1 - LEVEL) / 2) ** (1.0 / self.n)
            self.lo, self.hi = (0.0, 1 - tail) if self.value == 0 else (tail, 1.0)
        return self


OK, CAUTION, SUPPRESS, ZERO, NOSE, NA = range(6)


def rel(e):
    if not math.isfinite(e.value):
        return NA
    if e.value == 0 or (e.se == 0 and math.isfinite(e.lo)):
        return ZERO
    if not math.isfinite(e.se):
        return NA
    if e.se == 0:  # no interval: no degrees of freedom, precision not assessable
        return NOSE
    r = e.se / abs(e.value)
    return OK if r <= 0.25 else CAUTION if r <= 0.5 else SUPPRESS


def rse(e, lang):
    if rel(e) in (NA, ZERO, NOSE):
        return "–"
    return num(100 * e.se / abs(e.value), 1, lang) + "%"


def est(e, scale, dec, unit, lang):
    c = rel(e)
    if c == NA:
        return "–"
    if c == SUPPRESS:
        return "‡"
    mark = " †" if c == CAUTION else ""
    v = num(scale * e.value, dec, lang)
    if not (math.isfinite(e.lo) and math.isfinite(e.hi)) or (c == ZERO and e.lo == e.hi):
        return f"{v}{unit} (–){mark}"
    lo, hi = num(scale * e.lo, dec, lang), num(scale * e.hi, dec, lang)
    dash = (" to " if lang == "en" else " s.d. ") if "−" in lo + hi else "–"
    return f"{v}{unit} ({lo}{dash}{hi}){mark}"


def change(d, scale, dec, lang):
    if not math.isfinite(d.value):
        return "–"
    to = "to" if lang == "en" else "s.d."
    return (f"{signed(scale * d.value, dec, lang)} ({signed(scale * d.ci_low, dec, lang)} {to} "
            f"{signed(scale * d.ci_high, dec, lang)})")


def sign(d):
    return -1 if d.ci_high < 0 else 1 if d.ci_low > 0 else 0


WORD = {"en": {-1: "significant fall", 1: "significant rise", 0: "not significant"},
        "id": {-1: "turun signifikan", 1: "naik signifikan", 0: "tidak signifikan"}}


def md_tables(md):
    """heading → rows (lists of cells) of the first table under it"""
    out, heading, rows = {}, None, None
    for line in md.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
            rows = None
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            if rows is None:
                rows = out.setdefault(heading, [])
                rows.append(cells)  # the header row first
            elif not set("".join(cells)) <= set("-:| "):
                rows.append(cells)
    return out


# ---------------------------------------------------------------- expected figures


@pytest.fixture(scope="module")
def briefs(tmp_path_factory):
    d = tmp_path_factory.mktemp("brief")
    out = {}
    for lang in ("id", "en"):
        html = d / f"brief_{lang}.html"
        args = ["report", "--html", html] + (["--lang", "en"] if lang == "en" else [])
        out[lang] = (run(*args).stdout, html.read_text(encoding="utf-8"))
    return out


@pytest.fixture(scope="module")
def households():
    return pd.read_csv(SAMPLE / "households.csv")


def figures(d, cpi):
    """one round's figures, through the binding"""
    des = socind.Design(weight=d.weight_person, strata=d.stratum, psu=d.psu)
    y, line = d.exp_pc.to_numpy(), d.poverty_line.to_numpy()
    ext = socind.ppp_line(PPP_DAILY, PPP_FACTOR, cpi, CPI_BASE, 365.0 / 12.0)
    f = dict(p0=socind.fgt(y, line, 0, design=des, prop_ci="beta"),
             poor=socind.poor_count(y, line, design=des),
             ext=socind.fgt(y, ext, 0, design=des, prop_ci="beta"),
             ext_poor=socind.poor_count(y, ext, design=des),
             p1=socind.fgt(y, line, 1, design=des), p2=socind.fgt(y, line, 2, design=des),
             gini=socind.gini(y, design=des))
    f = {k: E.of(v) for k, v in f.items()}
    f["p0"].zero_interval()
    f["ext"].zero_interval()
    by0 = socind.fgt(y, line, 0, design=des, by=d.kecamatan, prop_ci="beta").drop("all")
    by1 = socind.fgt(y, ext, 0, design=des, by=d.kecamatan, prop_ci="beta").drop("all")
    f["areas"] = {a: (E.row(by0.loc[a]).zero_interval(), E.row(by1.loc[a]).zero_interval())
                  for a in by0.index}
    f["line"], f["ext_line"] = line[0], ext
    f["n"], f["pop"] = len(d), d.weight_person.sum()
    return f


ORDER = ["p0", "poor", "ext", "ext_poor", "p1", "p2", "gini"]
SCALE = {"p0": (100, 1, "%"), "poor": (1, 0, ""), "ext": (100, 2, "%"), "ext_poor": (1, 0, ""),
         "p1": (100, 2, ""), "p2": (100, 2, ""), "gini": (1, 3, "")}


def no_deff(e):
    """a proportion with an SE of 0 (0 or 1 in the sample, or the same share
    in every PSU): no design effect, its interval Clopper–Pearson on n"""
    return math.isfinite(e.value) and e.se == 0 and math.isfinite(e.lo) and math.isfinite(e.hi)


class D:
    """socind.difference of two E; where either is a proportion without a
    design effect (mover=True), the interval is the MOVER
    one from the two rounds' own intervals (Newcombe 1998; Zou and
    Donner 2008)"""

    def __init__(self, a, b, mover=False):
        ea = socind.Estimate(value=a.value, se=a.se, ci_low=a.lo, ci_high=a.hi, df=a.df, n=a.n,
                             weight_sum=math.nan, status=0, reason="", n_missing=0,
                             deff=math.nan)
        eb = socind.Estimate(value=b.value, se=b.se, ci_low=b.lo, ci_high=b.hi, df=b.df, n=b.n,
                             weight_sum=math.nan, status=0, reason="", n_missing=0,
                             deff=math.nan)
        d = socind.difference(ea, eb)
        self.value, self.se, self.ci_low, self.ci_high = d.value, d.se, d.ci_low, d.ci_high
        if mover and (no_deff(a) or no_deff(b)):
            v = b.value - a.value
            self.ci_low = v - math.hypot(b.value - b.lo, a.hi - a.value)
            self.ci_high = v + math.hypot(b.hi - b.value, a.value - a.lo)


@pytest.fixture(scope="module")
def rounds(households):
    out = {}
    for year in sorted(households.year.unique()):
        d = households[households.year == year]
        des = socind.Design(weight=d.weight_person, strata=d.stratum, psu=d.psu)
        f = figures(d, CPI[str(year)])
        # the df each estimate carries, for the differences
        y, line = d.exp_pc.to_numpy(), d.poverty_line.to_numpy()
        df = socind.fgt(y, line, 0, design=des).df
        for k in ORDER:
            f[k].df = df
        by = socind.fgt(y, line, 0, design=des, by=d.kecamatan).drop("all")
        for a, (e0, e1) in f["areas"].items():
            e0.df = e1.df = by.loc[a, "df"] if "df" in by.columns else df
        out[str(year)] = f
    return out


def changes(rounds):
    a, b = rounds["2023"], rounds["2024"]
    return {k: D(a[k], b[k], mover=k in ("p0", "ext")) for k in ORDER}


# ---------------------------------------------------------------- the poverty table


@pytest.mark.parametrize("lang", ["id", "en"])
def test_poverty_table(briefs, rounds, lang):
    md, _ = briefs[lang]
    rows = md_tables(md)["Kemiskinan" if lang == "id" else "Poverty"]
    assert rows[0][1:] == ["2023", "RSE 2023", "2024", "RSE 2024",
                           ("Perubahan" if lang == "id" else "Change") + " 2023 → 2024",
                           "Signifikansi" if lang == "id" else "Significance"]
    body = rows[1:]
    a, b = rounds["2023"], rounds["2024"]
    assert body[0][1:] == [num(a["line"], 0, lang), "–", num(b["line"], 0, lang), "–", "–", "–"]
    assert body[1][1:] == [num(a["ext_line"], 0, lang), "–", num(b["ext_line"], 0, lang), "–",
                           "–", "–"]
    ch = changes(rounds)
    for r, k in zip(body[2:9], ORDER):
        s, dec, unit = SCALE[k]
        assert r[1:] == [est(a[k], s, dec, unit, lang), rse(a[k], lang),
                         est(b[k], s, dec, unit, lang), rse(b[k], lang),
                         change(ch[k], s, dec, lang), WORD[lang][sign(ch[k])]], k
    assert body[9][1:] == [num(a["n"], 0, lang), "–", num(b["n"], 0, lang), "–", "–", "–"]
    assert body[10][1:] == [num(a["pop"], 0, lang), "–", num(b["pop"], 0, lang), "–", "–", "–"]


def test_rse_convention_marks_and_suppresses(briefs, rounds):
    """BPS's convention as the brief applies it: the sample's extreme-poverty
    rate is "use with caution" (RSE 25–50%), some sub-district rates are
    suppressed (RSE > 50%) and zero cells keep an interval"""
    md, _ = briefs["id"]
    b = rounds["2024"]
    assert rel(b["ext"]) == CAUTION and est(b["ext"], 100, 2, "%", "id").endswith(" †")
    rows = md_tables(md)["Per kecamatan, 2024 (kemiskinan tertinggi di atas)"][1:]
    assert any(r[1] == "‡" for r in rows)
    zero = [r for r in rows if r[4].startswith("0,00% (0,00–")]
    assert zero and all(not r[4].endswith("0,00)") for r in zero)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rate_by_subdistrict(briefs, rounds, lang):
    md, _ = briefs[lang]
    head = ("Per kecamatan, 2024 (kemiskinan tertinggi di atas)" if lang == "id"
            else "By sub-district, 2024 (highest poverty rate first)")
    rows = md_tables(md)[head]
    assert rows[0][-1] == ("Ukuran sampel (rumah tangga)" if lang == "id"
                           else "Sample size (households)")
    a, b = rounds["2023"]["areas"], rounds["2024"]["areas"]
    order = sorted(b, key=lambda k: (-b[k][0].value, k))
    assert [r[0] for r in rows[1:]] == order
    for r in rows[1:]:
        e0, e1 = b[r[0]]
        cells = [est(e0, 100, 1, "%", lang), rse(e0, lang), None, est(e1, 100, 2, "%", lang),
                 rse(e1, lang), None, num(e0.n, 0, lang)]
        for k, (i, dec) in enumerate(((2, 1), (5, 2))):
            # (a rate 0 in both rounds' samples too: its MOVER interval,
            # never a bare 0)
            d = D(a[r[0]][k], b[r[0]][k], mover=True)
            mark = " *" if sign(d) != 0 else ""
            cells[i] = change(d, 100, dec, lang) + mark
        assert r[1:] == cells, r[0]
    # the bundled sample has such a rate: Sanga Desa's extreme poverty
    assert any(b[k][1].value == 0 and a[k][1].value == 0 for k in b if k in a)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ranking_has_the_tables_decimals(tmp_path, households, lang):
    """the sub-districts most in need of extreme poverty are ranked with the
    table's 2 decimals: a rate of 0.04% is not "0.0%" there"""
    h = households.copy()
    # Keluang's extreme poor: one household of weight 1 in each PSU
    kel = h[h.year.eq(2024) & h.kecamatan.eq("Keluang")]
    h.loc[kel.index[kel.exp_pc < 400000], "exp_pc"] = 400000
    h.loc[kel.index[~kel.psu.duplicated()], ["weight_person", "exp_pc"]] = [1, 1000]
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang).stdout
    head = ("By sub-district, 2024 (highest poverty rate first)" if lang == "en"
            else "Per kecamatan, 2024 (kemiskinan tertinggi di atas)")
    cells = {r[0]: r for r in md_tables(md)[head][1:]}
    what = "extreme poverty" if lang == "en" else "kemiskinan ekstrem"
    line = next(x for x in md.splitlines() if x.startswith("- ") and f"— {what}: " in x)
    ranked = re.findall(r"([A-Z][a-z ]+) \(([^%]+%)", line.split(": ", 1)[1])
    assert ranked and ranked[0][0] == "Keluang", line
    for name, shown in ranked:
        assert cells[name][4].startswith(shown + " "), (name, shown, cells[name][4])
    assert re.fullmatch(r"0[.,]0[1-9]%", ranked[0][1]), ranked


def test_figures_without_a_standard_error_are_not_ranked_as_zero(tmp_path, households):
    """a round of one PSU under --lonely-psu average has no SE for its
    sub-districts' rates (shown as –): the key message says that, not that
    no figure is above 0"""
    h = households[households.year.eq(2023) | households.psu.eq(
        households[households.year.eq(2024)].psu.iloc[0]) & households.year.eq(2024)]
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en",
             "--lonely-psu", "average").stdout
    rows = md_tables(md)["By sub-district, 2024 (highest poverty rate first)"][1:]
    assert rows and all(r[1] == "–" for r in rows)
    line = next(x for x in md.splitlines() if x.startswith("- Sub-districts most in need — poverty"))
    assert line.endswith(": no sub-district's figure has a standard error or interval to rank it "
                         "by (shown as –; the messages on stderr say why)"), line
    assert "above 0" not in line


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_subdistrict_without_a_national_line_is_named(tmp_path, households, lang):
    """a sub-district whose households have no national poverty line in the
    latest round is named as not ranked in the key message, and the note
    under the table says why its poverty rate is –"""
    h = households.copy()
    h.loc[h.year.eq(2024) & h.kecamatan.eq("Keluang"), "poverty_line"] = None
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang).stdout
    head = ("By sub-district, 2024 (highest poverty rate first)" if lang == "en"
            else "Per kecamatan, 2024 (kemiskinan tertinggi di atas)")
    cells = {r[0]: r for r in md_tables(md)[head][1:]}
    assert cells["Keluang"][1] == "–" and cells["Keluang"][4] != "–"
    need = "Sub-districts most in need —" if lang == "en" else "Kecamatan paling membutuhkan —"
    what = "poverty" if lang == "en" else "kemiskinan"
    line = next(x for x in md.splitlines() if x.startswith(f"- {need} {what}: "))
    assert line.endswith("; Keluang not ranked (no household with a national poverty line)"
                         if lang == "en" else
                         "; Keluang tidak diurutkan (tidak ada rumah tangga dengan garis "
                         "kemiskinan nasional)"), line
    ext = next(x for x in md.splitlines() if x.startswith(f"- {need} {what} ekstrem: "
                                                           if lang == "id" else
                                                           f"- {need} extreme {what}: "))
    assert "Keluang" not in ext.split(";", 1)[-1] or ";" not in ext
    note = ("Keluang: no household of survey round 2024 with an income has a national poverty "
            "line: its poverty rate is not available (shown as –), its extreme-poverty rate is "
            "kept." if lang == "en" else
            "Keluang: tidak ada rumah tangga pada putaran survei 2024 dengan data pengeluaran "
            "yang memiliki garis kemiskinan nasional: persentase penduduk miskinnya tidak "
            "tersedia (ditampilkan sebagai –), persentase penduduk miskin ekstremnya tetap "
            "diberikan.")
    assert note in md.splitlines()


@pytest.mark.parametrize("lonely", ["remove", "certainty"])
def test_an_se_of_zero_without_an_interval_is_not_reliability(tmp_path, households, lonely):
    """a round of one PSU under --lonely-psu remove or certainty gives its
    figures an SE of 0 without degrees of freedom, so without an interval:
    their RSE is "–" (its precision cannot be assessed), never "0.0%", and
    a note says so"""
    one = households[households.year.eq(2024)].psu.iloc[0]
    h = households[households.year.eq(2023) | (households.year.eq(2024) & households.psu.eq(one))]
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en",
             "--lonely-psu", lonely).stdout
    rows = md_tables(md)["Poverty"][1:]
    no_interval = [r for r in rows if r[3].endswith("(–)")]
    assert {r[0] for r in no_interval} >= {"Number of poor people", "Gini ratio"}
    for r in no_interval:
        assert r[4] == "–", r
    assert not any(c in ("0.0%", "0,0%") for r in rows for c in r)
    assert ("A figure with (–) for its interval and – for its RSE has a standard error of 0 that "
            "its sampling design gives without degrees of freedom") in md


def count_dec(v):
    """a count's decimals: whole from 1, else 3 significant digits"""
    v = abs(v)
    return 0 if v == 0 or v >= 1 else min(10, max(0, 2 - math.floor(math.log10(v))))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_weights_that_are_shares_give_counts_never_0(tmp_path, households, lang):
    """weights that sum to 1 in each round (shares, not expansion factors):
    stderr says they look like shares; the numbers of poor and the people
    represented below 1 keep 3 significant digits (never "0" or "0 (0–0)")"""
    h = households.copy()
    h["weight_person"] = h.weight_person / h.groupby("year").weight_person.transform("sum")
    h.to_csv(tmp_path / "h.csv", index=False)
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang)
    for year, n in h.year.value_counts().items():
        assert (f'socind report: warning: the sampling weights (column "weight_person", --weight) '
                f'of survey round {year} (column "year") sum to 1, less than its {n} households '
                f"sampled: they look like shares") in p.stderr
    rows = {r[0]: r for r in md_tables(p.stdout)["Kemiskinan" if lang == "id" else "Poverty"][1:]}
    poor = "Jumlah penduduk miskin (orang)" if lang == "id" else "Number of poor people"
    people = ("Penduduk yang diwakili (jumlah bobot)" if lang == "id"
              else "People represented (sum of the weights)")
    for i, year in ((1, 2023), (3, 2024)):
        f = figures(h[h.year == year], CPI[str(year)])
        dec = max(count_dec(figures(h[h.year == y], CPI[str(y)])["poor"].value)
                  for y in (2023, 2024))
        assert rows[poor][i] == est(f["poor"], 1, dec, "", lang)
        assert rows[people][i] == num(f["pop"], count_dec(f["pop"]), lang)
    about = "sekitar" if lang == "id" else "about"
    b = figures(h[h.year == 2024], CPI["2024"])
    assert f"{about} {num(b['poor'].value, count_dec(b['poor'].value), lang)} " in p.stdout
    assert f"{about} 0 " not in p.stdout and "0 (0–0)" not in p.stdout


def test_expansion_weights_say_nothing_of_shares(tmp_path, households):
    p = run("report", "--households", HH, "--title", "T")
    assert "look like shares" not in p.stderr


def test_a_change_with_an_se_of_zero_has_no_interval(tmp_path, households):
    """nobody poor in either round: P1, P2 and the number of poor are 0
    with an SE of 0 and no interval in both, and their change has none
    either (not "0.00 (0.00 to 0.00)"); the poverty rate's change keeps
    its MOVER interval"""
    households.assign(poverty_line=1).to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en").stdout
    rows = {r[0]: r for r in md_tables(md)["Poverty"][1:]}
    for name, zero in (("Number of poor people", "0"), ("Poverty gap index P1", "0.00"),
                       ("Poverty severity index P2", "0.00")):
        assert rows[name][1:] == [f"{zero} (–)", "–", f"{zero} (–)", "–", zero, "no interval"]
    assert " to " in rows["Poverty rate P0 (% of people below the national line)"][5]
    assert " to 0)" not in md and "0.00 to 0.00" not in md


# ---------------------------------------------------------------- key messages


def top3(areas, k, lang, dec=1):
    """the ranking, at the table's decimals (extreme poverty: 2)"""
    shown = [(a, e[k]) for a, e in areas.items()
             if rel(e[k]) in (OK, CAUTION, ZERO) and e[k].value > 0]
    shown.sort(key=lambda x: (-x[1].value, x[0]))
    return ", ".join(f"{a} ({num(100 * e.value, dec, lang)}%{' †' if rel(e) == CAUTION else ''})"
                     for a, e in shown[:3])


def change_sentence(d, since, lang):
    dec = 2 if abs(d.value) < 0.01 else 1
    word = ("down" if d.value < 0 else "up") if lang == "en" else (
        "turun" if d.value < 0 else "naik")
    pts = "percentage points since" if lang == "en" else "poin persen dibanding"
    interval = change(d, 100, dec, lang)
    interval = interval[interval.index("("):]
    verdict = {0: ("the change is not statistically significant (its interval includes zero)",
                   "perubahan ini tidak signifikan secara statistik (selangnya mencakup nol)"),
               1: ("statistically significant at the 5% level",
                   "signifikan secara statistik pada taraf 5%")}[sign(d) != 0][lang == "id"]
    amount = num(abs(100 * d.value), dec, lang)
    if not set(amount) - set("0.,"):  # rounds to 0: unchanged
        how = "unchanged since" if lang == "en" else "tidak berubah dibanding"
        return f"; {how} {since} {interval} — {verdict}."
    return f"; {word} {amount} {pts} {since} {interval} — {verdict}."


@pytest.mark.parametrize("lang", ["id", "en"])
def test_key_messages(briefs, rounds, table, lang):
    md, _ = briefs[lang]
    b = rounds["2024"]
    ch = changes(rounds)
    people = "people" if lang == "en" else "orang"
    about = "about" if lang == "en" else "sekitar"
    for k, name, what in (
            ("p0", ("Poverty:", "Kemiskinan:"),
             ("live below the national poverty line", "hidup di bawah garis kemiskinan nasional")),
            ("ext", ("Extreme poverty:", "Kemiskinan ekstrem:"),
             ("live on less than $2.15 a day (2017 PPP), the line of the national target to "
              "eliminate extreme poverty",
              "hidup dengan kurang dari $2,15 per hari (PPP 2017), garis target nasional "
              "penghapusan kemiskinan ekstrem"))):
        i = lang == "id"
        e = b[k]
        count = b["poor" if k == "p0" else "ext_poor"]
        item = (f"- {name[i]} {'in' if lang == 'en' else 'pada'} 2024, "
                f"{est(e, 100, 2 if e.value < 0.01 else 1, '%', lang)} "
                f"{'of people' if lang == 'en' else 'penduduk'} — {about} "
                f"{num(count.value, 0, lang)} {people} — {what[i]}"
                f"{change_sentence(ch[k], '2023', lang)}")
        assert item in md.splitlines(), item
    _, t = table
    stunting = E.row(t[(t.group == "All") & (t.indicator == "HA") & (t.statistic == "< -2")]
                     .iloc[0], "n_unweighted").zero_interval()
    assert f"- Stunting: {'in' if lang == 'en' else 'pada'} 2024, {est(stunting, 100, 1, '%', lang)} " in md
    need = "Sub-districts most in need —" if lang == "en" else "Kecamatan paling membutuhkan —"
    words = (("poverty", "extreme poverty") if lang == "en"
             else ("kemiskinan", "kemiskinan ekstrem"))
    none = ("no sub-district's figure is precise enough to rank" if lang == "en"
            else "tidak ada angka kecamatan yang cukup tepat untuk diurutkan")
    for k in (0, 1):
        want = top3(b["areas"], k, lang, 2 if k else 1) or none
        assert f"- {need} {words[k]}: {want}" in md.splitlines()
    kids = {a: (v,) for a, v in nut_areas(t).items()}
    assert f"- {need} stunting: {top3(kids, 0, lang)}" in md.splitlines()
    # the key messages come first, before any table
    assert md.index("Pesan utama" if lang == "id" else "Key messages") < md.index("|")
    # no file path in the first paragraphs
    assert "data/sample/households.csv" not in md[:md.index("## ")]


# ---------------------------------------------------------------- child nutrition

NUT = [("HA", "< -2"), ("WH", "< -2"), ("WA", "< -2"), ("WH", "> +2")]


@pytest.fixture(scope="module")
def table():
    k = pd.read_csv(SAMPLE / "children.csv")
    t = socind.prevalence(k.sex, k.age_days, k.weight, k.lenhei, k.measure, k.oedema, sw=k.sw,
                          strata=k.strata, cluster=k.cluster, by=k.kecamatan, prop_ci="beta")
    return k, t


def nut(t, group, ind, stat):
    r = t[(t.group == group) & (t.indicator == ind) & (t.statistic == stat)].iloc[0]
    return E.row(r, "n_unweighted").zero_interval()


def nut_areas(t):
    groups = [g for g in t.group.unique() if g.startswith("kecamatan: ")]
    return {g[len("kecamatan: "):]: nut(t, g, "HA", "< -2") for g in groups}


def nut_cells(t, group, lang):
    out = []
    for ind, stat in NUT:
        e = nut(t, group, ind, stat)
        out += [est(e, 100, 1, "%", lang), rse(e, lang)]
    return out + [num(nut(t, group, "HA", "< -2").n, 0, lang)]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_nutrition(briefs, table, lang):
    md, _ = briefs[lang]
    k, t = table
    tabs = md_tables(md)
    rows = tabs["Gizi anak balita (standar pertumbuhan WHO 2006)" if lang == "id"
                else "Child nutrition (children under five, WHO 2006 growth standards)"][1:]
    for r, (ind, stat) in zip(rows, NUT):
        e = nut(t, "All", ind, stat)
        assert r[2:] == [est(e, 100, 1, "%", lang), rse(e, lang), num(e.n, 0, lang)]
    rows = tabs["Per kecamatan (stunting tertinggi di atas)" if lang == "id"
                else "By sub-district (highest stunting first)"]
    # (the count is stunting's: the column says so, as the others' differ)
    assert rows[0][-1] == ("Ukuran sampel (anak, stunting)" if lang == "id"
                           else "Sample size (children, stunting)")
    stunting = nut_areas(t)
    assert [r[0] for r in rows[1:]] == sorted(stunting, key=lambda a: (-stunting[a].value, a))
    for r in rows[1:]:
        assert r[1:] == nut_cells(t, f"kecamatan: {r[0]}", lang), r[0]
    rows = tabs["Per kelompok umur" if lang == "id" else "By age group"][1:]
    groups = ["00-05", "06-11", "12-23", "24-35", "36-47", "48-59"]
    assert len(rows) == 6
    for r, g in zip(rows, groups):
        assert r[1:] == nut_cells(t, f"Age group: {g} mo", lang)


def test_data_quality(briefs, table):
    md, _ = briefs["en"]
    k, _ = table
    q = socind.growth_quality(k.sex, k.age_days, k.weight, k.lenhei, k.measure, k.oedema)
    names = {"HA": "height-for-age", "WA": "weight-for-age", "BMI": "BMI-for-age",
             "WH": "weight-for-height"}
    for ind, name in names.items():
        assert (f"- {name}: {q['missing'][ind]} of {q['n']} children without a z-score "
                f"(missing or out-of-range measurements), {q['flagged'][ind]} flagged as "
                f"implausible by WHO's limits and left out; SD of the z-scores "
                f"{num(q['sd'][ind], 2, 'en')}") in md
    assert f"SD of height-for-age z: {num(q['sd']['HA'], 2, 'en')}" in md
    assert f"Oedema: {q['oedema']} {'child' if q['oedema'] == 1 else 'children'};" in md
    md, _ = briefs["id"]
    assert (f"- tinggi menurut umur: {q['missing']['HA']} dari {q['n']} anak tanpa skor-z "
            f"(pengukuran kosong atau di luar rentang), {q['flagged']['HA']} ditandai tidak "
            f"wajar menurut batas WHO dan tidak dihitung; SD skor-z "
            f"{num(q['sd']['HA'], 2, 'id')}") in md


def test_intro_and_haz_mean(briefs, rounds, table, households):
    md, _ = briefs["id"]
    k, t = table
    assert (f"Ringkasan ini memakai survei rumah tangga 2023–2024 "
            f"({num(len(households), 0, 'id')} rumah tangga sampel, mewakili sekitar "
            f"{num(1000 * round(rounds['2024']['pop'] / 1000), 0, 'id')} penduduk pada 2024) dan "
            f"pengukuran {num(len(k), 0, 'id')} anak balita.") in md
    m = t[(t.group == "All") & (t.indicator == "HA") & (t.statistic == "mean")].iloc[0]
    assert (f"rata-rata {num(m.estimate, 2, 'id')} (SK 95% {num(m.ci_low, 2, 'id')} s.d. "
            f"{num(m.ci_high, 2, 'id')})") in md


@pytest.mark.parametrize("lang", ["id", "en"])
def test_sources_name_the_lines_parameters(briefs, rounds, lang):
    md, _ = briefs[lang]
    for year in ("2023", "2024"):
        f = rounds[year]
        assert (f"{num(PPP_DAILY, 2, lang)} × {num(PPP_FACTOR, 1, lang)} "
                f"{'rupiah per international dollar (PPP factor)' if lang == 'en' else 'rupiah per dolar internasional (faktor PPP)'}"
                f" × {'CPI' if lang == 'en' else 'IHK'} {num(CPI[year], 1, lang)} / "
                f"{num(CPI_BASE, 1, lang)} × 365/12 "
                f"{'days' if lang == 'en' else 'hari'} = {num(f['ext_line'], 0, lang)}") in md
    assert "Korn–Graubard" in md and "Clopper–Pearson" in md


def _psu_ids(d):
    """a round's distinct (stratum, PSU) ids, as the command reads them"""
    return set(zip(d.stratum.astype(str), d.psu.astype(str)))


def _sources(md, lang):
    """the Markdown brief's item of the figures' method (of its sources)"""
    section = md.split("## Sources and methods" if lang == "en" else "## Sumber dan metode")[1]
    return [ln for ln in section.splitlines() if "Korn–Graubard" in ln][0]


CHANGES_METHOD = {"en": "Changes: the two rounds as independent samples; a change from such a "
                        "proportion has the MOVER interval built on the two "
                        "rounds' own intervals (Newcombe 1998; Zou and Donner 2008), significant "
                        "only when it excludes zero.",
                  "id": "Perubahan: kedua putaran sebagai sampel yang saling bebas; perubahan "
                        "dari proporsi seperti itu memakai selang MOVER (metode Newcombe) "
                        "dari selang kedua putaran (Newcombe 1998; Zou dan Donner 2008), "
                        "signifikan hanya bila selang itu tidak mencakup nol."}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_shared_psus_of_the_rounds_are_said(briefs, households, lang):
    """the sample's two rounds share (stratum, PSU) ids: the changes' SEs
    take the rounds as independent samples, which they are not where an id
    names the same PSU in both; the ids are counted (as socind change
    counts them) and said on stderr and after the changes' method, in the
    Markdown and the page alike"""
    latest, earlier = (_psu_ids(households[households.year == y]) for y in (2024, 2023))
    shared = len(latest & earlier)
    assert 0 < shared < len(latest)
    p = run("report", "--lang", lang)
    assert [ln for ln in p.stderr.splitlines() if "(stratum, PSU)" in ln] == [
        f"socind report: warning: {shared} of the {len(latest)} (stratum, PSU) ids of survey "
        f"round 2024 are also ids of round 2023 (of {len(earlier)}): where an id names the same "
        "PSU in both rounds (a panel or revisited PSUs), the rounds are not independent samples, "
        "and the SEs of the changes 2023 to 2024 (overall and by sub-district), which assume "
        "they are, ignore their covariance"]
    # socind change counts the same ids
    c = run("change", SAMPLE / "households.csv", SAMPLE / "households.csv", "--base-subset",
            "year=2023", "--compare-subset", "year=2024", "--income", "exp_pc", "--weight",
            "weight_person", "--strata", "stratum", "--psu", "psu", "--line", "560000")
    assert (f"{shared} of round 2's {len(latest)} (stratum, PSU) ids are also round 1's (of "
            f"{len(earlier)})") in c.stderr
    n = [num(v, 0, lang) for v in (shared, len(latest), len(earlier))]
    note = (f"But {n[0]} of the {n[1]} (stratum, PSU) ids of survey round 2024 are also ids of "
            f"survey round 2023 (of {n[2]}): where an id names the same PSU in both rounds (a "
            "panel or revisited PSUs), the two rounds are not independent samples, and the "
            "intervals of the changes from 2023 to 2024, which assume they are, ignore their "
            "covariance."
            if lang == "en" else
            f"Namun {n[0]} dari {n[1]} id (strata, PSU) putaran survei 2024 juga merupakan id "
            f"putaran survei 2023 (dari {n[2]}): bila sebuah id menunjuk PSU yang sama pada "
            "kedua putaran (panel atau PSU yang dikunjungi ulang), kedua putaran bukan sampel "
            "yang saling bebas, dan selang kepercayaan perubahan dari 2023 ke 2024, yang "
            "menganggapnya saling bebas, mengabaikan kovariansnya.")
    for md in (p.stdout, briefs[lang][0]):
        assert _sources(md, lang).endswith(f"{CHANGES_METHOD[lang]} {note}")
        assert md.count("(stratum, PSU)" if lang == "en" else "(strata, PSU)") == 1
    items = ["".join(li.itertext()) for li in ET.fromstring(briefs[lang][1]).iter("li")]
    assert [t for t in items if "Korn–Graubard" in t][0].endswith(f"{CHANGES_METHOD[lang]} {note}")


def test_rounds_of_psus_of_their_own_say_nothing(tmp_path, households):
    """rounds without an id in common: nothing said, the changes' method as
    it was; a round before the last two is not counted (its change is not
    shown)"""
    h = households.assign(psu=households.psu.where(households.year == 2024,
                                                   households.psu + 10_000_000))
    h.to_csv(tmp_path / "own.csv", index=False)
    # 2022: 2024's rows again, every id of 2024 (no change of theirs shown)
    three = pd.concat([h[h.year == 2024].assign(year=2022), h])
    three.to_csv(tmp_path / "three.csv", index=False)
    for f, cpi in [("own.csv", []), ("three.csv", ["--cpi", "2022=115.2,2023=118.9,2024=121.6"])]:
        p = run("report", "--households", tmp_path / f, "--title", "T", "--lang", "en", *cpi)
        assert "(stratum, PSU)" not in p.stderr and "(stratum, PSU)" not in p.stdout
        assert _sources(p.stdout, "en").endswith(CHANGES_METHOD["en"])
    # 2022: the sample's 2023 again, every id of 2023: the last two rounds
    # (the sample's) are counted, not the first two
    three = pd.concat([households[households.year == 2023].assign(year=2022), households])
    three.to_csv(tmp_path / "three.csv", index=False)
    p = run("report", "--households", tmp_path / "three.csv", "--title", "T", "--lang", "en",
            "--cpi", "2022=115.2,2023=118.9,2024=121.6")
    latest, earlier = (_psu_ids(households[households.year == y]) for y in (2024, 2023))
    assert len(latest & earlier) < len(earlier)
    assert (f"warning: {len(latest & earlier)} of the {len(latest)} (stratum, PSU) ids of survey "
            f"round 2024 are also ids of round 2023 (of {len(earlier)})") in p.stderr
    assert "changes from 2023 to 2024" in _sources(p.stdout, "en")


# ---------------------------------------------------------------- the HTML page

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_html_is_well_formed_responsive_and_self_contained(briefs, lang):
    md, html = briefs[lang]
    assert html.startswith("<!DOCTYPE html>")
    root = ET.fromstring(html)  # polyglot markup: parses as XML
    assert root.get("lang") == lang
    svgs = list(root.iter(SVG + "svg"))
    assert len(svgs) == 4  # poverty, extreme poverty, stunting by sub-district; HAZ
    for s in svgs:
        assert "viewBox" in s.attrib and "width" not in s.attrib and "height" not in s.attrib
    for el in root.iter():
        for attr in ("src", "href", "{http://www.w3.org/1999/xlink}href"):
            assert attr not in el.attrib, (el.tag, attr)
        assert el.tag not in ("script", "link", "img", "iframe", "object")
    assert "url(" not in html and "@import" not in html
    assert "@media print" in html and "@page" in html
    # the bar charts: a value label per sub-district, the regency's reference line
    for s in svgs[:3]:
        labels = [t for t in s.iter(SVG + "text") if t.get("class") == "label"]
        values = [t for t in s.iter(SVG + "text") if t.get("class") == "value"]
        assert labels and len(values) == len(labels)
        assert len([x for x in s.iter(SVG + "line") if x.get("class") == "ref"]) == 1
    # the histogram has a y-axis with ticks
    assert len([t for t in svgs[3].iter(SVG + "text") if t.get("class") == "ytick"]) >= 4
    # every table sits in a frame that scrolls sideways and says so
    tables = list(root.iter("table"))
    frames = [d for d in root.iter("div") if d.get("class") == "scroll"]
    assert len(tables) == len(frames) == 5
    for f in frames:
        assert f.find("table") is not None and f.find("p").get("class") == "hint"
    # the HTML tables carry the same cells as the Markdown tables
    md_cells = [c for rows in md_tables(md).values() for r in rows[1:] for c in r]
    html_cells = ["".join(td.itertext()) for td in root.iter("td")]
    assert html_cells == md_cells


# ---------------------------------------------------------------- any survey file


def test_one_round_months_without_oedema(tmp_path, households):
    """a file without a round column is one round; ages in months; no oedema
    column: every child without oedema"""
    h = households[households.year == 2024].drop(columns="year")
    h.to_csv(tmp_path / "h.csv", index=False)
    k = pd.read_csv(SAMPLE / "children.csv")
    k = k.assign(umur=k.age_days / 30.4375).drop(columns=["age_days", "oedema"])
    k.to_csv(tmp_path / "c.csv", index=False)
    args = ["report", "--households", tmp_path / "h.csv", "--children", tmp_path / "c.csv",
            "--age-months", "umur", "--title", "Kabupaten Contoh"]
    p = run(*args, expect=2)
    assert "give --cpi VALUE" in p.stderr
    md = run(*args, "--cpi", "121.6").stdout
    assert md.startswith("# Kabupaten Contoh — kemiskinan")
    f = figures(h, 121.6)
    rows = md_tables(md)["Kemiskinan"]
    assert rows[0][1:] == ["Perkiraan (SK 95%)", "RSE"]
    for r, key in zip(rows[3:10], ORDER):
        s, dec, unit = SCALE[key]
        assert r[1:] == [est(f[key], s, dec, unit, "id"), rse(f[key], "id")]
    assert "Per kecamatan (kemiskinan tertinggi di atas)" in md
    assert "Edema: tidak tercatat dalam berkas" in md
    t = socind.prevalence(k.sex, None, k.weight, k.lenhei, k.measure, None, sw=k.sw,
                          strata=k.strata, cluster=k.cluster, age_months=k.umur, prop_ci="beta")
    e = nut(t, "All", "HA", "< -2")
    assert f"| {est(e, 100, 1, '%', 'id')} | {rse(e, 'id')} |" in md
    # a round column named but absent is an error, not one round
    p = run(*args, "--cpi", "121.6", "--year", "tahun", expect=1)
    assert 'no column "tahun" (named by --year)' in p.stderr


def test_children_of_several_rounds(tmp_path):
    """the brief's nutrition is the latest round's, said on stderr"""
    k = pd.read_csv(SAMPLE / "children.csv")
    old = k.assign(year=2023, lenhei=k.lenhei - 3)
    pd.concat([old, k]).to_csv(tmp_path / "c.csv", index=False)
    p = run("report", "--households", HH,
            "--children", tmp_path / "c.csv", "--title", "Musi Banyuasin")
    assert ('socind report: the children\'s file has 2 survey rounds (column "year", '
            f'--child-year); the brief\'s child nutrition is of the latest, 2024: {len(k)} of '
            f'{2 * len(k)} children') in p.stderr
    # the file's rounds and rows said as they are, in the key message and the sources
    assert ("anak balita terlalu pendek untuk umurnya (putaran terakhir dari 2 putaran "
            "pengukuran anak; ringkasan ini tidak memberikan perubahan gizi anak).") in p.stdout
    assert "satu putaran" not in p.stdout
    assert (f"- Anak: {tmp_path / 'c.csv'} ({num(2 * len(k), 0, 'id')} baris, 2 putaran "
            f"survei; yang terakhir, 2024: {num(len(k), 0, 'id')}).") in md_unescape(p.stdout)
    en = run("report", "--households", HH,
             "--children", tmp_path / "c.csv", "--title", "M", "--lang", "en").stdout
    assert ("of children under five are too short for their age (the latest of the children's "
            "2 survey rounds; this brief gives no change of child nutrition).") in en
    assert (f"({num(2 * len(k), 0, 'en')} rows, 2 survey rounds; the latest, 2024: "
            f"{num(len(k), 0, 'en')}).") in en
    strip = re.compile(r"^(- (Rumah tangga|Anak|Stunting): .*)$", re.M)
    assert strip.sub("", p.stdout) == strip.sub("", run("report").stdout)
    # a child without a round: counted and left out
    k2 = k.astype({"year": "Int64"})
    k2.loc[2, "year"] = pd.NA
    k2.to_csv(tmp_path / "c2.csv", index=False)
    p = run("report", "--households", HH,
            "--children", tmp_path / "c2.csv", "--title", "Musi Banyuasin")
    assert ('has 1 survey round (column "year", --child-year), and 1 row without one (left '
            f'out); the brief\'s child nutrition is of the latest, 2024: {len(k) - 1} of '
            f'{len(k)} children') in p.stderr
    # without a round column: no round named
    k.drop(columns="year").to_csv(tmp_path / "c1.csv", index=False)
    md = run("report", "--households", HH,
             "--children", tmp_path / "c1.csv", "--title", "M").stdout
    assert re.search(r"^- Stunting: [0-9]", md, re.M)


def test_zero_cells_keep_an_interval(tmp_path, households):
    """nobody below the extreme line: the rate's interval is Clopper–Pearson
    on the households, the count's is not printed as certainty"""
    h = households[households.year == 2024].copy()
    h["exp_pc"] = h.exp_pc.clip(lower=400000)
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en").stdout
    rows = {r[0]: r for r in md_tables(md)["Poverty"][1:]}
    n = len(h)
    upper = 1 - ((1 - LEVEL) / 2) ** (1.0 / n)
    rate = rows["Extreme poverty rate (% of people below $2.15 a day)"]
    assert rate[1:3] == [f"0.00% (0.00–{num(100 * upper, 2, 'en')})", "–"]
    assert rows["Number of extremely poor people"][1:3] == ["0 (–)", "–"]


def test_renamed_columns(tmp_path, households):
    hh = households.rename(columns={"exp_pc": "pce", "year": "tahun", "kecamatan": "kec"})
    kids = pd.read_csv(SAMPLE / "children.csv").rename(columns={"lenhei": "tb", "sex": "jk",
                                                                "oedema": "edema"})
    hh.to_csv(tmp_path / "h.csv", index=False)
    kids.to_csv(tmp_path / "c.csv", index=False)
    got = run("report", "--households", tmp_path / "h.csv", "--children", tmp_path / "c.csv",
              "--income", "pce", "--year", "tahun", "--area", "kec", "--lenhei-cm", "tb",
              "--sex", "jk", "--oedema", "edema", "--title", "Musi Banyuasin",
              cwd=tmp_path).stdout
    want = run("report").stdout
    strip = re.compile(r"^(- (Rumah tangga|Anak): .*|Data contoh sintetis.*)$", re.M)
    def norm(md):
        return re.sub(r"\n{3,}", "\n\n", strip.sub("", md))
    assert norm(got) == norm(want)


@pytest.mark.parametrize("args, message", [
    (["--lang", "fr"], '--lang must be id (Bahasa Indonesia) or en (English), not "fr"'),
    (["--cpi-base", "100"], "--cpi-base needs --cpi on the same base"),
    (["--ppp-factor", "-3"], '--ppp-factor must be a number > 0, not "-3"'),
    (["--cpi", "2023=118.9"], 'no CPI for round "2024"'),
    (["--cpi", "2023:1"], '--cpi: "2023:1" is not a number'),
    (["--cpi", "2023=1,2024"], "--cpi must be VALUE or ROUND=VALUE,..."),
    (["--cpi", "2023=1,2024=0"], '--cpi: entry "2024=0": a CPI must be > 0, not "0"'),
])
def test_option_errors(args, message):
    p = run("report", *args, expect=2)
    assert message in p.stderr


@pytest.mark.parametrize("cpi, message", [
    # a round twice: refused, not "the first wins"
    ("2024=130,2023=118.9,2024=121.6",
     '--cpi gives round "2024" twice (entry "2024=121.6"): give each round\'s CPI once'),
    # every entry is read, also those after the rounds the brief needs
    ("2023=118.9,2024=121.6,2099=abc,=,foo=-1", '--cpi: entry "2099=abc": "abc" is not a number'),
    ("2023=118.9,2024=121.6,=", '--cpi: entry "=" names no round (ROUND=VALUE)'),
    ("2023=118.9,2024=121.6,foo=-1", '--cpi: entry "foo=-1": a CPI must be > 0, not "-1"'),
    ("2023=118.9,2024=inf", '--cpi: entry "2024=inf": "inf" is not a number'),
    ("2023=118.9,2024=", '--cpi: entry "2024=": "" is not a number'),
    ("2023=118.9,2024=121.6,", '--cpi "2023=118.9,2024=121.6,": item 3 of 3 is empty'),
    # a round the files do not have: a typo never passes silently
    ("2023=118.9,2024=121.6,2099=130",
     '--cpi names round "2099", which the brief does not have (its rounds: 2023, 2024): '
     'correct the round or leave its entry out'),
    ("2023=118.9,2042=121.6", '--cpi names round "2042", which the brief does not have'),
    # a round is as typed: a control character in it is refused, never
    # trimmed away into a round the brief has
    ("2023\r=118.9,2024=121.6",
     '--cpi: entry "2023\\x0D=118.9": a round may not hold a control character (U+000D)'),
    ("\r2023=118.9,2024=121.6",
     '--cpi: entry "\\x0D2023=118.9": a round may not hold a control character (U+000D)'),
    ("2023=118.9,20\x0b24=121.6",
     '--cpi: entry "20\\x0B24=121.6": a round may not hold a control character (U+000B)'),
    # one value for two rounds
    ("121.6", "--cpi 121.6 is one CPI, for a household file of one round, but this one has 2 "
              "rounds (2023, 2024): give each round's CPI as --cpi 2023=VALUE,2024=VALUE"),
])
def test_cpi_is_read_strictly(cpi, message):
    p = run("report", "--cpi", cpi, expect=2)
    assert message in p.stderr, p.stderr
    assert p.stdout == ""


def test_cpi_valid_forms(tmp_path, households):
    """spaces around the entries and the '=' are allowed; the valid forms
    give what they gave"""
    want = run("report", "--cpi", "2023=118.9,2024=121.6").stdout
    assert want == run("report").stdout
    # (a CPI is read as every number is: a CR after it, as a copied line
    # from Windows has, is read as before)
    for cpi in ["2023=118.9, 2024=121.6", " 2024 = 121.6 ,\t2023=118.9 ",
                "2023=118.9\r,2024=121.6\r"]:
        assert run("report", "--cpi", cpi).stdout == want
    # --cpi VALUE: a file of one round, with its round column or without
    h = households[households.year == 2024]
    h.to_csv(tmp_path / "h24.csv", index=False)
    h.drop(columns="year").to_csv(tmp_path / "h.csv", index=False)
    for f in ["h24.csv", "h.csv"]:
        md = run("report", "--households", tmp_path / f, "--children", SAMPLE / "children.csv",
                 "--title", "T", "--lang", "en", "--cpi", " 121.6").stdout
        assert "× CPI 121.6 / 100.0 × 365/12 days" in md
    # an entry for a round in a file of no round column
    p = run("report", "--households", tmp_path / "h.csv", "--children", SAMPLE / "children.csv",
            "--title", "T", "--cpi", "2024=121.6", expect=2)
    assert ('--cpi names round "2024", but the household file has no round column (--year), '
            "so it is one round: give its CPI as --cpi VALUE") in p.stderr
    # --compare: its round may have an entry, no other round
    h23 = households[households.year == 2023].assign(year=2019)
    h23.to_csv(tmp_path / "h19.csv", index=False)
    md = run("report", "--compare", tmp_path / "h19.csv", "--lang", "en", "--cpi",
             "2019=104.5, 2023=118.9, 2024=121.6").stdout
    assert "CPI ratio 1.1636" in md
    p = run("report", "--compare", tmp_path / "h19.csv", "--cpi",
            "2018=104.5,2023=118.9,2024=121.6", "--compare-cpi", "104.5", expect=2)
    assert ('--cpi names round "2018", which the brief does not have (its rounds: 2023, 2024 '
            "(--compare's: 2019))") in p.stderr
    # (--compare's round label escaped there, as every label on stderr)
    households[households.year == 2023].assign(year="2019\x1b[2J").to_csv(
        tmp_path / "h19e.csv", index=False)
    p = run("report", "--compare", tmp_path / "h19e.csv", "--cpi",
            "2018=104.5,2023=118.9,2024=121.6", "--compare-cpi", "104.5", expect=2)
    assert "(--compare's: 2019\\x1B[2J))" in p.stderr and "\x1b" not in p.stderr, p.stderr
    # --cpi VALUE is the brief's own round's: the base round needs its own
    p = run("report", "--households", tmp_path / "h24.csv", "--children",
            SAMPLE / "children.csv", "--title", "T", "--cpi", "121.6", "--compare",
            tmp_path / "h19.csv", expect=2)
    assert "--cpi VALUE is the CPI of the brief's own round only" in p.stderr
    md = run("report", "--households", tmp_path / "h24.csv", "--children",
             SAMPLE / "children.csv", "--title", "T", "--cpi", "121.6", "--compare",
             tmp_path / "h19.csv", "--compare-cpi", "104.5", "--lang", "en").stdout
    assert "CPI ratio 1.1636" in md


def test_cpi_messages_under_decimal_comma(tmp_path):
    """Under --decimal-comma the messages' examples of --cpi separate the
    entries with ";", as the list is written there (the list itself:
    test_lists.py)."""
    (tmp_path / "dc").mkdir()
    for f in ("households", "children"):
        pd.read_csv(SAMPLE / f"{f}.csv", float_precision="round_trip").to_csv(
            tmp_path / "dc" / f"{f}.csv", index=False, float_format="%.17g", sep=";",
            decimal=",")
    dc = ("report", "--households", tmp_path / "dc" / "households.csv", "--children",
          tmp_path / "dc" / "children.csv", "--title", "T", "--lang", "en", "--decimal-comma")
    p = run(*dc, "--cpi", "2023=118,5", expect=2)
    assert ('no CPI for round "2024" (the international extreme-poverty line needs it): give '
            "--cpi 2024=VALUE;...") in p.stderr
    p = run(*dc, "--cpi", "121,6", expect=2)
    assert ("give each round's CPI as --cpi \"2023=VALUE;2024=VALUE\" (quoted: the shell ends a "
            'command at ";")') in p.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
def test_large_numbers_are_never_cut(tmp_path, households, lang):
    """weights of 1e40: the counts have 46 digits, printed in scientific
    form (a double holds no more than 17), never cut by a buffer; so are a
    CPI of 1e300 and its base"""
    h = households.assign(weight_person=households.weight_person * 1e40)
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--children",
             SAMPLE / "children.csv", "--title", "T", "--lang", lang).stdout
    rows = md_tables(md)["Kemiskinan" if lang == "id" else "Poverty"][1:]
    for y, col in (("2023", 1), ("2024", 3)):
        f = figures(h[h.year == int(y)], CPI[y])
        for r, k in zip(rows[2:9], ORDER):
            s, dec, unit = SCALE[k]
            assert r[col] == est(f[k], s, dec, unit, lang), (y, k, r[col])
        assert rows[10][col] == num(f["pop"], 0, lang)
        # the number of poor (about 1e45): "1.0223 × 10⁴⁵ (8.2522 × 10⁴⁴–…)"
        assert f["poor"].value > 1e44
        assert rows[3][col].startswith(sci(f["poor"].value, lang) + " (")
    # no figure is a long row of digits
    assert not re.search(r"[0-9][0-9.,]{21,}", md)
    cpi = "2023=1.189e300,2024=1.216e300"
    md = run("report", "--cpi", cpi, "--cpi-base", "1e300", "--lang", lang).stdout
    word, point = ("CPI", ".") if lang == "en" else ("IHK", ",")
    assert f"× {word} 1{point}1890 × 10³⁰⁰ / 1{point}0000 × 10³⁰⁰ × 365/12" in md
    assert f"× {word} 1{point}2160 × 10³⁰⁰ / 1{point}0000 × 10³⁰⁰ × 365/12" in md


MD_NAMES = {"Lais": "<script>x</script>", "Sekayu": "*bold*", "Lalan": "_x_",
            "Keluang": "`code`", "Babat Toman": "[a](http://e.x) & #1",
            "Sungai Lilin": "Two\nlines\r"}


def md_unescape(text):
    """a Markdown reader's view of backslash escapes"""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def test_markdown_escapes_user_text(tmp_path, households):
    """the title and the files' sub-district names read as written in the
    Markdown (backslash escapes; a line break in a name is a space) and in
    the page (HTML escapes): no heading, emphasis, code, link or raw HTML
    from them"""
    h = households.assign(kecamatan=households.kecamatan.replace(MD_NAMES))
    h.to_csv(tmp_path / "h.csv", index=False)
    k = pd.read_csv(SAMPLE / "children.csv")
    k.assign(kecamatan=k.kecamatan.replace(MD_NAMES)).to_csv(tmp_path / "c.csv", index=False)
    html = tmp_path / "b.html"
    title = "Kab. *A* <b>_B_</b> #1 `c`"
    md = run("report", "--households", tmp_path / "h.csv", "--children", tmp_path / "c.csv",
             "--title", title, "--lang", "en", "--html", html).stdout
    assert md.startswith("# Kab. \\*A\\* \\<b\\>\\_B\\_\\</b\\> \\#1 \\`c\\` — poverty")
    for raw in ["<script>", "*bold*", "_x_", "`code`", "[a](http", "& #1", "<b>"]:
        assert raw not in md, raw
    tables = md_tables(md)
    sub = {r[0] for r in tables["By sub-district, 2024 (highest poverty rate first)"][1:]}
    assert {"\\<script\\>x\\</script\\>", "\\*bold\\*", "\\_x\\_", "\\`code\\`",
            "\\[a\\](http\\://e.x) \\& \\#1", "Two lines"} <= sub
    nut = {r[0] for r in tables["By sub-district (highest stunting first)"][1:]}
    assert "\\<script\\>x\\</script\\>" in nut and "Two lines" in nut
    # every table row stays one line
    assert not re.search(r"^\| Two\s*$", md, re.M)
    # the page: the names as written, escaped for HTML, no backslash
    page = html.read_text()
    assert "<h1>Kab. *A* &lt;b&gt;_B_&lt;/b&gt; #1 `c` — poverty" in page
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td>" in page and "<script>" not in page
    root = ET.fromstring(page)
    html_cells = ["".join(td.itertext()) for td in root.iter("td")]
    md_cells = [md_unescape(c) for rows in tables.values()
                for r in rows[1:] for c in r]
    assert [c.replace("\n", " ").replace("\r", " ") for c in html_cells] == md_cells


LEAD_NAMES = {"Keluang": "+ Keluang", "Lais": "2) Lais", "Lalan": "- Lalan",
              "Sekayu": "= Sekayu", "Babat Toman": "http://bt.example",
              "Sanga Desa": "www.sanga.example"}


def test_markdown_labels_start_no_list_and_no_link(tmp_path, households):
    """a label at the start of a Markdown line (a note under a table) is no
    list item or setext underline, and a label that looks like a web
    address is no automatic link (GFM's): the marker, "://" and "www."
    escaped, reading as written"""
    h = households.assign(kecamatan=households.kecamatan.replace(LEAD_NAMES))
    # Keluang without incomes: its note starts with its label
    h.loc[h.kecamatan.eq("+ Keluang") & h.year.eq(2024), "exp_pc"] = None
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en").stdout
    assert re.search(r"^\\\+ Keluang: no household", md, re.M)
    for line in md.splitlines():
        assert not re.match(r"(\+|-|=|\d+[.)]) (Keluang|Lais|Lalan|Sekayu)", line), line
    assert "http://" not in md and "www." not in md
    sub = {r[0] for r in md_tables(md)["By sub-district, 2024 (highest poverty rate first)"][1:]}
    assert {"\\+ Keluang", "2\\) Lais", "\\- Lalan", "\\= Sekayu", "http\\://bt.example",
            "www\\.sanga.example"} <= sub
    assert set(LEAD_NAMES.values()) <= {md_unescape(c) for c in sub}


BIDI = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_bidi_controls_in_labels_cannot_reorder_the_text(tmp_path, households, lang):
    """a label's bidirectional controls (an override, an embedding, an
    isolate, a mark) are left out of the brief, and a label in a
    right-to-left script is isolated (FSI ... PDI), in the Markdown and the
    page: the numbers after it read in their order"""
    names = {"Keluang": "Kel\u202euang", "Sekayu": "Se\u2067ka\u2069yu\u200f",
             "Lais": "\u05dc\u05d9\u05d9\u05e1", "Lalan": "La\u202blan\u202c"}
    h = households.assign(kecamatan=households.kecamatan.replace(names))
    h.to_csv(tmp_path / "h.csv", index=False)
    page = tmp_path / "b.html"
    md = run("report", "--households", tmp_path / "h.csv", "--title", "T\u202eX", "--lang", lang,
             "--html", page).stdout
    for text in (md, page.read_text(encoding="utf-8")):
        # the only controls left: the isolates around the Hebrew label
        iso = "\u2068\u05dc\u05d9\u05d9\u05e1\u2069"
        assert iso in text
        assert not set(text.replace(iso, "")) & set(BIDI)
        for plain in ("Keluang", "Sekayu", "Lalan", "TX"):
            assert plain in text
    tables = md_tables(md)
    head = ("By sub-district, 2024 (highest poverty rate first)" if lang == "en"
            else "Per kecamatan, 2024 (kemiskinan tertinggi di atas)")
    assert {"Keluang", "Sekayu", "Lalan", iso} <= {r[0] for r in tables[head][1:]}


def test_labels_reach_stderr_escaped(tmp_path, households):
    """a label's terminal controls (ESC, BEL, a C1 control such as CSI) and
    bidirectional controls reach the messages on stderr escaped, as text
    that is not UTF-8 is ("\\x1B", "\\u009B"), never raw"""
    name = "Kel\x1b]0;t\x07\x1b[2Ju\u009b31m\u202eang"
    h = households.assign(kecamatan=households.kecamatan.replace({"Keluang": name}))
    h.loc[h.year.eq(2024) & h.kecamatan.eq(name), "exp_pc"] = None
    h.to_csv(tmp_path / "h.csv", index=False)
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T")
    shown = "Kel\\x1B]0;t\\x07\\x1B[2Ju\\u009B31m\\u202Eang"
    assert f"(2024, {shown})" in p.stderr
    assert f"(2023 to 2024, {shown})" in p.stderr
    assert not set(p.stderr) & {"\x1b", "\x07", "\u009b", "\u202e"}


@pytest.mark.parametrize("title, where", [("A\nB\r# x", "U+000A at byte 2"),
                                          ("A\rB", "U+000D at byte 2"),
                                          ("A\tB", "U+0009 at byte 2")])
def test_title_is_one_line(title, where):
    p = run("report", "--title", title, expect=2)
    assert ("--title may not hold a control character (a line break, a carriage return, a "
            f"tab...): {where}; the heading is one line") in p.stderr
    assert p.stdout == ""


def test_ppp_options_move_the_line(rounds):
    md = run("report", "--ppp-factor", "5000", "--cpi", "2023=120,2024=125", "--lang",
             "en").stdout
    line = socind.ppp_line(PPP_DAILY, 5000, 125, CPI_BASE, 365.0 / 12.0)
    assert f"× CPI 125.0 / 100.0 × 365/12 days = {num(line, 0, 'en')} rupiah" in md


def test_errors_leave_no_html(tmp_path):
    html = tmp_path / "brief.html"
    p = run("report", "--households", HH,
            "--children", tmp_path / "none.csv", "--title", "X", "--html", html,
            expect=1)
    assert "none.csv: cannot open" in p.stderr
    assert not html.exists()
    p = run("report", "--income", "nope", expect=1)
    assert "no column \"nope\" (named by --income)" in p.stderr



def run_to(stdout_path, *args, expect=0):
    """The command with its standard output redirected to a file (or a
    device), as a shell's `> FILE` does."""
    import subprocess
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    with open(stdout_path, "wb") as out:
        p = subprocess.run([cli_env.CLI, *map(str, args)], stdout=out, stderr=subprocess.PIPE,
                           text=True, cwd=ROOT, env=env)
    assert p.returncode == expect, f"exit {p.returncode}, stderr: {p.stderr}"
    return p


def test_html_may_not_go_to_standard_output(tmp_path):
    """the Markdown goes to standard output: --html -, /dev/stdout or the file
    standard output is redirected to is refused (exit 4) before any work — a
    missing children's file is not even read — and nothing is written"""
    md = tmp_path / "brief.md"
    for target in ["-", "/dev/stdout", str(md)]:
        md.write_text("before\n")
        p = run_to(md, "report", "--lang", "en", "--html", target, "--households", HH,
                   "--children",
                   tmp_path / "none.csv", "--title", "X", expect=4)
        assert (f"--html {target}: the HTML page and the Markdown brief would both be written "
                "to standard output") in p.stderr, p.stderr
        assert "name another file for the HTML page" in p.stderr
        assert "none.csv" not in p.stderr
        assert md.read_text() == ""  # (the shell's redirection emptied it; nothing more)
    # a pipe is standard output too
    for target in ["-", "/dev/stdout"]:
        p = run("report", "--html", target, expect=4)
        assert p.stdout == "" and "both be written to standard output" in p.stderr
    # a character device takes both; another file is written
    run_to("/dev/null", "report", "--html", "/dev/null")
    html = tmp_path / "brief.html"
    run_to(md, "report", "--lang", "en", "--html", html)
    assert md.read_text().startswith("# Musi Banyuasin")
    assert html.read_text().startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- the bundled sample


def test_sample_has_the_regencys_size(households):
    """data/sample/README.md: tuned to the published figures' order"""
    k = pd.read_csv(SAMPLE / "children.csv")
    assert households.kecamatan.nunique() == 14
    for year, d in households.groupby("year"):
        people = d.weight_person.sum()
        assert 600_000 <= people <= 700_000, (year, people)
        urban = (d.weight_person * d.urban).sum() / people
        assert 0.1 <= urban <= 0.35, (year, urban)
        des = socind.Design(weight=d.weight_person, strata=d.stratum, psu=d.psu)
        p0 = socind.fgt(d.exp_pc.to_numpy(), d.poverty_line.to_numpy(), 0, design=des).value
        assert 0.10 <= p0 <= 0.18, (year, p0)
        ext = socind.fgt(d.exp_pc.to_numpy(), socind.ppp_line(
            PPP_DAILY, PPP_FACTOR, CPI[str(year)], CPI_BASE, 365 / 12), 0, design=des).value
        assert 0 < ext < 0.015, (year, ext)
    t = socind.prevalence(k.sex, k.age_days, k.weight, k.lenhei, k.measure, k.oedema, sw=k.sw,
                          strata=k.strata, cluster=k.cluster)
    s = t[(t.group == "All") & (t.indicator == "HA") & (t.statistic == "< -2")].iloc[0].estimate
    assert 0.12 <= s <= 0.22


# ---------------------------------------------------------------- long labels


def long_label(start, piece, n=1000):
    """a label of n characters: start, then piece repeated, ending in "."
    (the reader trims spaces around a cell)"""
    return (start + piece * n)[:n - 1] + "."


@pytest.mark.parametrize("lang", ["id", "en"])
def test_long_labels_come_out_whole(tmp_path, households, lang):
    """sub-district names, rounds and a title of 600–1,000 characters, ASCII
    and multi-byte, come out whole in the Markdown and in the page's text:
    with every long label put back to its short one, the brief is the brief
    of the short labels (figures included); the charts show a name too wide
    for them cut at a character boundary with "…" (whole in its tooltip)
    and say so on stderr"""
    names = sorted(households.kecamatan.unique())
    subs = {names[0]: long_label("Kecamatan ", "abcdefghij klmnopqrs "),
            names[1]: long_label("Kécamatan ", "Ä€漢字 ñandú ẞ 👍 "),
            names[2]: long_label("Desa ", "e\u0301 ")}  # a combining accent
    rounds = {"2023": long_label("2023 ", "é", 600), "2024": long_label("2024 ", "漢", 600)}
    title = long_label("Kabupaten ", "Ñandú 漢字 ")
    kids = pd.read_csv(SAMPLE / "children.csv")
    # the children's file holds two rounds: the latest is kept by its label
    kids = pd.concat([kids.assign(year="2023").head(40), kids.assign(year="2024")])

    def brief(d, sub, rnd, title):
        d.mkdir()
        h = households.assign(kecamatan=households.kecamatan.replace(sub),
                              year=households.year.astype(str).replace(rnd))
        h.to_csv(d / "h.csv", index=False)
        kids.assign(kecamatan=kids.kecamatan.replace(sub),
                    year=kids.year.replace(rnd)).to_csv(d / "c.csv", index=False)
        cpi = ",".join(f"{rnd.get(y, y)}={v}" for y, v in CPI.items())
        p = run("report", "--households", d / "h.csv", "--children", d / "c.csv", "--title",
                title, "--cpi", cpi, "--html", d / "b.html", "--lang", lang)
        return p.stdout, (d / "b.html").read_text(encoding="utf-8"), p.stderr

    md_s, html_s, _ = brief(tmp_path / "short", {}, {}, "T")
    md_l, html_l, err = brief(tmp_path / "long", subs, rounds, title)
    for label in [*subs.values(), *rounds.values(), title]:
        assert label in md_l and label in html_l
    back = [(title, "T"), *((v, k) for k, v in rounds.items()),
            *((v, k) for k, v in subs.items()), ("/long/", "/short/")]

    def restore(text):
        for long, short in back:
            text = text.replace(long, short)
        return text

    assert restore(md_l) == restore(md_s)
    # the page, but for its charts, whose label room and cut labels differ
    def no_charts(page):
        return re.sub(r"<figure><svg.*?</figure>", "", restore(page), flags=re.S)
    assert no_charts(html_l) == no_charts(html_s)
    # the charts: the long names cut at a character, "…", whole in the title
    root = ET.fromstring(html_l)
    cut = 0
    for t in root.iter(SVG + "text"):
        if t.get("class") != "label":
            continue
        tip = t.find(SVG + "title")
        shown = (tip.tail if tip is not None else t.text) or ""
        if tip is None:
            assert shown in names or shown not in subs.values()
            continue
        cut += 1
        assert tip.text in subs.values()
        assert shown.endswith("…") and tip.text.startswith(shown[:-1])
        assert 10 <= len(shown.replace("\u0301", "")) <= 40
        # never between a letter and its combining accent
        assert not tip.text[len(shown) - 1:].startswith("\u0301")
    assert cut == 3 * 3  # three names in the two poverty charts and the stunting chart
    assert ("--html: 3 sub-district names are too long for the room of the charts' labels"
            in err)
    assert "\ufffd" not in md_l + html_l


# ---------------------------------------------------------------- hostile files


def test_a_round_of_zero_weights_is_named(tmp_path, households):
    """the weights are checked over the file; a round whose weights are all 0
    is said as the round's, not as every weight of the file"""
    households.assign(weight_person=households.weight_person.where(households.year == 2023, 0)) \
        .to_csv(tmp_path / "h.csv", index=False)
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", expect=1)
    assert ('every sampling weight of survey round 2024 (column "year") in column '
            '"weight_person" (--weight) is 0: no household of the round counts') in p.stderr
    assert "every sampling weight in column" not in p.stderr


def test_a_round_without_subdistricts(tmp_path, households):
    """a round whose sub-district column is empty keeps its figures (as the
    note on stderr says) and has no sub-district rows, instead of stopping
    the brief"""
    h = households.assign(kecamatan=households.kecamatan.where(households.year == 2023))
    h.to_csv(tmp_path / "h.csv", index=False)
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en")
    assert ('1920 rows have no value in column "kecamatan" (--area); they are left out of the '
            "sub-district rows and kept in the overall figures") in p.stderr
    want = md_tables(run("report", "--lang", "en").stdout)["Poverty"]
    got = md_tables(p.stdout)
    assert got["Poverty"] == want
    assert got["By sub-district, 2024 (highest poverty rate first)"][1:] == []
    assert ("Sub-districts most in need — poverty: no household of the round has a "
            "sub-district") in p.stdout


@pytest.mark.parametrize("lang", ["id", "en"])
def test_children_without_subdistricts(tmp_path, lang):
    """a children's file whose sub-district column is empty keeps its
    overall and age-group figures (as the note on stderr says), has no
    sub-district rows, and its key message says why, as the households'
    does"""
    k = pd.read_csv(SAMPLE / "children.csv").assign(kecamatan=pd.NA)
    k.to_csv(tmp_path / "c.csv", index=False)
    p = run("report", "--households", HH,
            "--children", tmp_path / "c.csv", "--title", "T", "--lang", lang)
    assert (f'{len(k)} rows have no value in column "kecamatan" (--child-area); they are left out '
            "of the sub-district rows of child nutrition and kept in the overall figures") \
        in p.stderr
    want = md_tables(run("report", "--title", "T", "--lang", lang).stdout)
    got = md_tables(p.stdout)
    if lang == "en":
        nut_h, area_h, age_h = ("Child nutrition (children under five, WHO 2006 growth standards)",
                                "By sub-district (highest stunting first)", "By age group")
        line = "- Sub-districts most in need — stunting: no child has a sub-district\n"
    else:
        nut_h, area_h, age_h = ("Gizi anak balita (standar pertumbuhan WHO 2006)",
                                "Per kecamatan (stunting tertinggi di atas)", "Per kelompok umur")
        line = ("- Kecamatan paling membutuhkan — stunting: tidak ada anak yang tercatat "
                "kecamatannya\n")
    assert got[nut_h] == want[nut_h] and got[age_h] == want[age_h]
    assert got[area_h][1:] == [] and len(want[area_h]) > 1
    assert line in p.stdout


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("weight", ["", "0"])
def test_children_of_a_subdistrict_without_weights_are_said(tmp_path, lang, weight):
    """a sub-district whose children all have a sampling weight of 0 (or
    none, set to 0) has every nutrition figure –, and the note under the
    table says so, not that no child has a z-score"""
    k = pd.read_csv(SAMPLE / "children.csv", dtype=str, keep_default_na=False)
    k.loc[k.kecamatan.eq("Sekayu"), "sw"] = weight
    k.to_csv(tmp_path / "c.csv", index=False)
    p = run("report", "--children", tmp_path / "c.csv", "--households", HH, "--title", "T",
            "--lang", lang)
    md = p.stdout
    # stderr says why too (it said only "a data value is invalid")
    for ind in ("Stunting", "Wasting", "Underweight", "Overweight"):
        assert (f"socind report: {ind}: 1 estimate (Sekayu) has no estimate (shown as –): a data "
                "value is invalid for this estimator (every child counted has a sampling weight "
                "of 0)\n") in p.stderr, p.stderr
    head = ("By sub-district (highest stunting first)" if lang == "en"
            else next(t for t in md_tables(md) if t.startswith("Per kecamatan (")))
    row = next(r for r in md_tables(md)[head][1:] if r[0] == "Sekayu")
    assert row[1:9] == ["–"] * 8
    note = ("Sekayu: every child counted has a sampling weight of 0 (a missing weight is set to "
            "0, which leaves the child out): no figure (shown as –)." if lang == "en" else
            "Sekayu: semua anak yang dihitung memiliki bobot sampel 0 (bobot yang kosong diisi 0, "
            "sehingga anak tidak dihitung): tidak ada angka (ditampilkan sebagai –).")
    assert note in md.splitlines()
    assert not any("Sekayu" in x and ("z-score" in x or "skor-z" in x) for x in md.splitlines())


def test_stunting_without_any_figure_is_not_available(tmp_path):
    """no child with an age: no stunting figure at all, said as not
    available, not as too uncertain"""
    k = pd.read_csv(SAMPLE / "children.csv").assign(age_days=float("nan"))
    k.to_csv(tmp_path / "c.csv", index=False)
    for lang, want in [("en", "- Stunting: not available."), ("id", "- Stunting: tidak tersedia.")]:
        md = run("report", "--households", HH,
                 "--children", tmp_path / "c.csv", "--title", "T", "--lang", lang).stdout
        assert want + "\n" in md
        assert "too uncertain" not in md and "tidak pasti" not in md


def _no_child_files(tmp_path):
    """children's files of which anthro's rules leave no child (name → file,
    the counts: over 1826 days, without a cluster or stratum, without a
    weight; the children of the brief's round)"""
    k = pd.read_csv(SAMPLE / "children.csv")
    odd = k.child_id % 2 == 1
    cases = {
        # every child older than five years (1826 days)
        "old": (k.assign(age_days=k.age_days + 1827), (len(k), 0, 0)),
        # no cluster
        "no cluster": (k.assign(cluster=pd.NA), (0, len(k), 0)),
        # no sampling weight: anthro sets it to 0, which leaves the child out
        "no weight": (k.assign(sw=float("nan")), (0, 0, len(k))),
        # half too old, the others without a stratum
        "mixed": (k.assign(age_days=k.age_days.where(~odd, 2000),
                           strata=k.strata.astype("Int64").where(odd, pd.NA)),
                  (int(odd.sum()), int((~odd).sum()), 0)),
        # the latest round has none (an earlier one has): its figures are "–"
        "latest round": (pd.concat([k.assign(year=2023), k.assign(age_days=1900)]),
                         (len(k), 0, 0)),
    }
    out = {}
    for name, (d, counts) in cases.items():
        path = tmp_path / (name.replace(" ", "_") + ".csv")
        d.to_csv(path, index=False)
        out[name] = (path, counts, len(k))
    return out


@pytest.mark.parametrize("case", ["old", "no cluster", "no weight", "mixed", "latest round"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_child_left_for_the_prevalences(tmp_path, lang, case):
    """anthro's exclusions leaving no child (every one too old, without a
    cluster or stratum, or without a weight) give the brief with the
    children's figures "–", as a file without ages does, and say how many
    went and why on stderr and at the top, instead of stopping it"""
    path, (old, design, weight), n = _no_child_files(tmp_path)[case]
    p = run("report", "--households", HH, "--children", path, "--title", "T", "--lang", lang)
    why = []
    if old:
        why.append(f"{old} older than 1826 days (60 months)")
    if design:
        why.append(f'{design} without a cluster (column "cluster", --child-psu) or a stratum '
                   '(column "strata", --child-strata)')
    if weight:
        why.append(f'{weight} with no sampling weight (column "sw", --child-weight: set to 0, '
                   "which leaves them out)")
    assert (f"socind report: warning: no child of {path} (survey round 2024, the latest) is left "
            "for the prevalences by WHO anthro's exclusions (as socind nutrition applies them): "
            f"of the {n} children, {', '.join(why)}; stunting, wasting, underweight and "
            "overweight (overall, by sub-district and by age group) are not available (shown "
            "as –)") in p.stderr
    assert "no child is left" not in p.stderr
    assert "have no estimate" not in p.stderr  # the figures are said once, above
    top = p.stdout.split("\n## ", 1)[0]
    if lang == "en":
        reasons = [f"{old} are older than 1826 days (60 months)"] * bool(old) + \
            [f"{design} have no cluster or stratum"] * bool(design) + \
            [f"{weight} have no sampling weight"] * bool(weight)
        assert (f"**Warning:** None of the {n} children measured in survey round 2024 is left "
                "for the prevalences under WHO anthro's exclusion rules: "
                f"{', '.join(reasons)}. Stunting, wasting, underweight and overweight are not "
                "available (shown as –)") in top
        assert "- Stunting: not available.\n" in p.stdout
        assert "- Sub-districts most in need — stunting: not available\n" in p.stdout
        nut_h, area_h, age_h = ("Child nutrition (children under five, WHO 2006 growth standards)",
                                "By sub-district (highest stunting first)", "By age group")
    else:
        reasons = [f"{old} berumur lebih dari 1826 hari (60 bulan)"] * bool(old) + \
            [f"{design} tanpa klaster atau strata"] * bool(design) + \
            [f"{weight} tanpa bobot sampel"] * bool(weight)
        assert (f"**Peringatan:** Tidak satu pun dari {n} anak yang diukur pada putaran survei "
                "2024 dapat dihitung dalam prevalensi menurut aturan pengecualian anthro WHO: "
                f"{', '.join(reasons)}.") in top
        assert "- Stunting: tidak tersedia.\n" in p.stdout
        nut_h, area_h, age_h = ("Gizi anak balita (standar pertumbuhan WHO 2006)",
                                "Per kecamatan (stunting tertinggi di atas)", "Per kelompok umur")
    tabs = md_tables(p.stdout)
    assert [r[2:] for r in tabs[nut_h][1:]] == [["–", "–", "0"]] * 4
    assert tabs[area_h][1:] == []
    assert [r[1:] for r in tabs[age_h][1:]] == [["–"] * 8 + ["0"]] * 6
    # the households' figures as without the children's trouble
    want = md_tables(run("report", "--title", "T", "--lang", lang).stdout)
    poverty = "Poverty" if lang == "en" else "Kemiskinan"
    assert tabs[poverty] == want[poverty]


def test_children_whose_weights_are_all_zero_stop_the_brief(tmp_path):
    """weights given as 0 (not missing, which anthro's rule sets to 0) stop
    the brief, as the households' do"""
    k = pd.read_csv(SAMPLE / "children.csv").assign(sw=0.0)
    k.to_csv(tmp_path / "c.csv", index=False)
    p = run("report", "--households", HH,
            "--children", tmp_path / "c.csv", "--title", "T", expect=1)
    assert 'every sampling weight in column "sw" (--child-weight) is 0' in p.stderr
    assert p.stdout == ""


def test_nutrition_still_stops_without_a_child_left(tmp_path):
    """socind nutrition keeps its error when no child is left"""
    k = pd.read_csv(SAMPLE / "children.csv")
    k.assign(age_days=k.age_days + 1827).to_csv(tmp_path / "c.csv", index=False)
    p = run("nutrition", tmp_path / "c.csv", "--sex", "sex", "--age-days", "age_days",
            "--weight-kg", "weight", "--lenhei-cm", "lenhei", "--measure", "measure", expect=1)
    assert "no child is left for the prevalence computation" in p.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
def test_negative_incomes_are_counted_and_said(tmp_path, households, lang):
    """incomes below 0 are counted as given (P1, P2 and the Gini are defined
    for them), never silently: each round's households with one (and a
    weight > 0) are counted on stderr and at the top of the brief"""
    h = households.copy()
    rows = h.index[h.year == 2023][:7]
    h.loc[rows, "exp_pc"] = -h.loc[rows, "exp_pc"]
    h.loc[rows[6], "weight_person"] = 0  # not counted: it does not count in the figures
    h.loc[h.index[h.year == 2024][:1], "exp_pc"] = -1.0
    h.loc[h.index[h.year == 2024][1:2], "exp_pc"] = 0.0  # 0 is no negative income
    h.to_csv(tmp_path / "h.csv", index=False)
    html = tmp_path / "b.html"
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang,
            "--html", html)
    assert ('warning: 6 households of survey round 2023 (column "year") have an income below 0 '
            'in column "exp_pc" (--income); the poverty gap P1, the severity P2 and the Gini '
            "count them as given") in p.stderr
    assert ('warning: 1 household of survey round 2024 (column "year") has an income below 0 '
            'in column "exp_pc" (--income)') in p.stderr
    page = html.read_text(encoding="utf-8")
    if lang == "en":
        want = ["6 households of survey round 2023 have an income (spending per person) below 0; "
                "the poverty gap P1, the severity P2 and the Gini count them as given",
                "1 household of survey round 2024 has an income (spending per person) below 0"]
    else:
        want = ["6 rumah tangga pada putaran survei 2023 memiliki pengeluaran per kapita di "
                "bawah 0; indeks kedalaman P1, indeks keparahan P2 dan rasio Gini menghitungnya "
                "apa adanya",
                "1 rumah tangga pada putaran survei 2024 memiliki pengeluaran per kapita di bawah 0"]
    tag = "Warning:" if lang == "en" else "Peringatan:"
    for w in want:
        assert f"**{tag}** {w}" in p.stdout
        assert f'<p class="warning"><strong>{tag}</strong> {w}' in page
    # at the top: before the key messages
    assert p.stdout.index(want[1]) < p.stdout.index("## ")
    # the figures are the library's for the incomes as given
    d = h[h.year == 2023]
    des = socind.Design(weight=d.weight_person, strata=d.stratum, psu=d.psu)
    p1 = E.of(socind.fgt(d.exp_pc.to_numpy(), d.poverty_line.to_numpy(), 1, design=des))
    rows_md = md_tables(p.stdout)["Poverty" if lang == "en" else "Kemiskinan"]
    assert rows_md[7][1] == est(p1, 100, 2, "", lang)
    # a file of one round (no round column) says "the survey"
    h[h.year == 2023].drop(columns="year").to_csv(tmp_path / "one.csv", index=False)
    p = run("report", "--households", tmp_path / "one.csv", "--title", "T", "--lang", "en",
            "--cpi", "118.9")
    assert "warning: 6 households of " + str(tmp_path / "one.csv") + " have an income" in p.stderr
    assert "**Warning:** 6 households of the survey have an income" in p.stdout
    # no negative income: no such warning
    p = run("report", "--lang", "en")
    assert "below 0" not in p.stdout + p.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_round_without_incomes(tmp_path, households, lang):
    """a round whose incomes are all missing has no poverty figure (– in
    its cells, the reason on stderr and at the top of the brief); the other
    round and the children's figures are still made"""
    h = households.assign(exp_pc=households.exp_pc.where(households.year == 2024))
    h.to_csv(tmp_path / "h.csv", index=False)
    html = tmp_path / "b.html"
    p = run("report", "--households", tmp_path / "h.csv", "--children", SAMPLE / "children.csv",
            "--title", "T", "--lang", lang,
            "--html", html)
    assert ('survey round 2023 (column "year"): every income in column "exp_pc" (--income) is '
            "missing (1830 rows): its poverty and inequality figures") in p.stderr
    assert "change 2023 to 2024: not available (shown as –): round 2023 has no income" in p.stderr
    assert "no observations" not in p.stderr
    want_md = run("report", "--lang", lang).stdout
    got, want = md_tables(p.stdout), md_tables(want_md)
    pov = "Poverty" if lang == "en" else "Kemiskinan"
    for g, w in zip(got[pov][1:], want[pov][1:]):
        assert g[0] == w[0] and g[3:5] == w[3:5]  # 2024 as in the sample's brief
    for g in got[pov][3:10]:  # P0 … Gini: none for 2023, no change
        assert g[1:3] == ["–", "–"] and g[5:] == ["–", "–"]
    assert got[pov][1][1] == want[pov][1][1]  # the lines are the round's still
    assert got[pov][10] == want[pov][10]  # its households and people
    nut = [k for k in want if k and ("nutrition" in k or "Gizi" in k)][0]
    assert got[nut] == want[nut]
    warn = ("**Warning:** Survey round 2023 has no household with an income (spending per "
            "person): its poverty and inequality figures are not available (shown as –)."
            if lang == "en" else
            "**Peringatan:** Putaran survei 2023 tidak memiliki rumah tangga dengan data "
            "pengeluaran per kapita: angka kemiskinan dan ketimpangannya tidak tersedia "
            "(ditampilkan sebagai –).")
    assert warn in p.stdout
    assert warn.split("** ")[1] in html.read_text(encoding="utf-8")
    # the latest round without incomes: its key messages say "not available"
    h = households.assign(exp_pc=households.exp_pc.where(households.year == 2023))
    h.to_csv(tmp_path / "h.csv", index=False)
    p = run("report", "--households", tmp_path / "h.csv", "--children", SAMPLE / "children.csv",
            "--title", "T", "--lang", "en")
    assert "- Poverty: in 2024, not available.\n" in p.stdout
    assert "- Sub-districts most in need — poverty: not available\n" in p.stdout
    assert "- Stunting: in 2024, 17.4%" in p.stdout
    # a file of one round: the children's figures still
    h[h.year == 2024].to_csv(tmp_path / "one.csv", index=False)
    p = run("report", "--households", tmp_path / "one.csv", "--children",
            SAMPLE / "children.csv", "--title", "T", "--lang", "en")
    assert "survey round 2024 (column \"year\"): every income in column" in p.stderr
    assert md_tables(p.stdout)["Poverty"][3][1] == "–"
    # incomes only where the weight is 0: said so
    h = households.copy()
    h.loc[(h.year == 2023) & (h.index % 2 == 0), "exp_pc"] = float("nan")
    h.loc[(h.year == 2023) & (h.index % 2 == 1), "weight_person"] = 0
    h.to_csv(tmp_path / "w.csv", index=False)
    p = run("report", "--households", tmp_path / "w.csv", "--title", "T", "--lang", "en")
    n = int(((h.year == 2023) & (h.index % 2 == 1)).sum())
    assert (f'survey round 2023 (column "year"): the {n} rows with an income in column "exp_pc" '
            '(--income) all have a sampling weight of 0 (column "weight_person", --weight): its '
            "poverty and inequality figures") in p.stderr


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_change_that_rounds_to_zero_reads_as_unchanged(tmp_path, households, lang):
    """a change of 0 (or one that rounds to 0 at the precision shown) is
    "unchanged", never "up 0.00 percentage points"; the Markdown and the page
    alike"""
    a = households[households.year == 2023]
    b = a.assign(year=2024)
    word = "unchanged since 2023 (" if lang == "en" else "tidak berubah dibanding 2023 ("
    for tweak in (0, 0.001):
        # the same households in both rounds: changes of exactly 0; then one
        # poor household of the later round weighs a little more: changes
        # far below 0.005 points, not 0
        poor = b.index[b.exp_pc < b.poverty_line][0]
        b.loc[poor, "weight_person"] += tweak
        pd.concat([a, b]).to_csv(tmp_path / "h.csv", index=False)
        html = tmp_path / "b.html"
        p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang,
                "--cpi", "2023=118.9,2024=118.9", "--html", html)
        page = html.read_text(encoding="utf-8")
        items = [ln for ln in p.stdout.splitlines() if ln.startswith("- ") and "2024," in ln][:2]
        assert len(items) == 2
        for item in items:  # poverty and extreme poverty
            assert "; " + word in item, item
            assert not re.search(r"\b(up|down|naik|turun) 0[.,]00", item), item
        assert page.count("; " + word) == 2
        assert not re.search(r"\b(up|down|naik|turun) 0[.,]00", page)
    # a change that shows a digit still reads as a rise or a fall
    md = run("report", "--lang", lang).stdout
    assert ("; down 2.0 percentage points since 2023" if lang == "en"
            else "; turun 2,0 poin persen dibanding 2023") in md


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_round_without_poverty_lines(tmp_path, households, lang):
    """a round whose poverty-line column is empty has no figure against the
    national line (– in its cells and their change, the reason on stderr and
    at the top of the brief), as a round without incomes has none; its
    extreme poverty, Gini and their change are still given, the other round
    whole"""
    h = households.assign(poverty_line=households.poverty_line.where(households.year == 2024))
    h.to_csv(tmp_path / "h.csv", index=False)
    html = tmp_path / "b.html"
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang,
            "--html", html)
    assert ('survey round 2023 (column "year"): no household with an income has a poverty line '
            'in column "poverty_line" (--line-col; 1830 rows): its figures against the national '
            "line (the poverty rate P0 and the number of poor, P1 and P2, overall and by "
            "sub-district) are not available (shown as –); its extreme-poverty figures and Gini "
            "are still given") in p.stderr
    assert ("change 2023 to 2024 of the figures against the national line (the poverty rate P0 "
            "and the number of poor, P1 and P2, overall and by sub-district): not available "
            "(shown as –): round 2023 has no poverty line") in p.stderr
    assert "no observations" not in p.stderr
    got, want = md_tables(p.stdout), md_tables(run("report", "--lang", lang).stdout)
    pov = "Poverty" if lang == "en" else "Kemiskinan"
    assert got[pov][1][1] == "–"  # no national line to show for 2023
    for i, (g, w) in enumerate(zip(got[pov][1:], want[pov][1:]), 1):
        assert g[0] == w[0] and g[3:5] == w[3:5]  # 2024 as in the sample's brief
        if i in (3, 4, 7, 8):  # P0, number of poor, P1, P2: none for 2023, no change
            assert g[1:3] == ["–", "–"] and g[5:] == ["–", "–"], g
        elif i != 1:  # the extreme-poverty line and figures, the Gini, the sizes: as given
            assert g == w, (g, w)
    sub = [k for k in got if k and k.startswith(("By sub-district, 2024", "Per kecamatan, 2024"))]
    for g, w in zip(got[sub[0]][1:], want[sub[0]][1:]):
        assert g[3] == "–" and g[:3] + g[4:] == w[:3] + w[4:]  # no P0 change by sub-district
    warn = ("**Warning:** Survey round 2023 has no household with a national poverty line: its "
            "figures against it (the poverty rate and number of poor, P1 and P2, overall and by "
            "sub-district) are not available (shown as –); the extreme poverty figures and the "
            "Gini are given." if lang == "en" else
            "**Peringatan:** Putaran survei 2023 tidak memiliki rumah tangga dengan garis "
            "kemiskinan nasional: angka terhadap garis itu (persentase dan jumlah penduduk "
            "miskin, P1 dan P2, keseluruhan dan per kecamatan) tidak tersedia (ditampilkan "
            "sebagai –); angka kemiskinan ekstrem dan rasio Gini tetap diberikan.")
    assert warn in p.stdout
    assert warn.split("** ")[1] in html.read_text(encoding="utf-8")
    # the latest round without lines: not available, its sub-districts'
    # extreme poverty still, and no chart of their poverty rates
    h = households.assign(poverty_line=households.poverty_line.where(households.year == 2023))
    h.to_csv(tmp_path / "h.csv", index=False)
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en",
            "--html", html)
    assert "- Poverty: in 2024, not available.\n" in p.stdout
    assert "- Sub-districts most in need — poverty: not available\n" in p.stdout
    want = md_tables(run("report", "--lang", "en").stdout)
    got = md_tables(p.stdout)
    sub = "By sub-district, 2024 (highest poverty rate first)"
    assert sorted(r[0] for r in got[sub][1:]) == sorted(r[0] for r in want[sub][1:])
    by_area = {r[0]: r for r in want[sub][1:]}
    for r in got[sub][1:]:
        assert r[1:4] == ["–", "–", "–"] and r[4:] == by_area[r[0]][4:]
    page = html.read_text(encoding="utf-8")
    assert "Poverty rate by sub-district" not in page
    assert "Extreme poverty rate by sub-district, 2024" in page
    # a file of one round
    h[h.year == 2024].drop(columns="year").to_csv(tmp_path / "one.csv", index=False)
    p = run("report", "--households", tmp_path / "one.csv", "--title", "T", "--lang", "en",
            "--cpi", "121.6")
    assert (f"{tmp_path / 'one.csv'}: no household with an income has a poverty line") in p.stderr
    assert "**Warning:** The household survey has no household with a national poverty line" \
        in p.stdout


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rows_without_a_poverty_line(tmp_path, households, lang):
    """households without a national line leave the figures against it (the
    library's P0, P1, P2 and number of poor on the others) and stay in the
    extreme-poverty figures and the Gini: said so, per round, on stderr and
    at the top of the brief; the line shown is still the round's one line"""
    h = households.copy()
    rows = h.index[h.year == 2023][:5]
    h.loc[rows, "poverty_line"] = float("nan")
    h.loc[rows[4], "exp_pc"] = float("nan")  # no income either: said as such, not counted here
    h.to_csv(tmp_path / "h.csv", index=False)
    html = tmp_path / "b.html"
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang,
            "--html", html)
    assert ('5 rows have no value in column "poverty_line" (--line-col); they are left out of the '
            "figures against the national line (the poverty rate P0 and the number of poor, P1 "
            "and P2, overall and by sub-district) and kept in the extreme-poverty figures and "
            "the Gini") in p.stderr
    assert "left out of every estimate" not in p.stderr.split("poverty_line")[1]
    want = ("4 households of survey round 2023 with an income have no national poverty line: "
            "they are left out of the figures against it (the poverty rate and number of poor, "
            "P1 and P2, overall and by sub-district; the number of poor counts only the "
            "households with a line) and kept in the extreme poverty figures and the Gini."
            if lang == "en" else
            "4 rumah tangga pada putaran survei 2023 yang memiliki data pengeluaran tidak "
            "memiliki garis kemiskinan nasional: tidak dihitung dalam angka terhadap garis itu")
    assert want in p.stdout and want in html.read_text(encoding="utf-8")
    assert "2024 with an income have no" not in p.stdout
    d = h[h.year == 2023]
    f = figures(d, CPI["2023"])
    pov = md_tables(p.stdout)["Poverty" if lang == "en" else "Kemiskinan"]
    assert pov[1][1] == num(560000, 0, lang)  # not "varies by row"
    for i, k in enumerate(ORDER):
        assert pov[3 + i][1] == est(f[k], *SCALE[k], lang), k
    # the P0 leaves the rows out; the Gini keeps them (the sample's)
    full = figures(households[households.year == 2023], CPI["2023"])
    assert f["p0"].n == full["p0"].n - 5 and f["gini"].n == full["gini"].n - 1


# ---------------------------------------------------------------- the help's warnings

_LIT = r'((?:\s*"(?:[^"\\]|\\.)*")+)'
# every message the brief's code writes on stderr (the literal text of each
# fprintf/fputs to stderr and each note_missing's consequence)
_CALLS = [re.compile(r"fprintf\(\s*stderr\s*," + _LIT),
          re.compile(r"fputs\(" + _LIT + r"\s*,\s*stderr\s*\)"),
          re.compile(r'note_missing\(\s*"report"\s*,[^,]+,[^,]+,' + _LIT)]
# what of each message the help names: a phrase of the message (as the code
# spells it) → the words of the help that name it
HELP_NAMES = {
    "an income below 0": "an income below 0",
    "every income in column": "every income in column --income missing",
    "a sampling weight of 0": "all with a sampling weight of 0",
    "its poverty and inequality figures": "its poverty and inequality figures are",
    "has a poverty line in column": "no household with an income has a poverty line",
    "no poverty line in column": "households with an income and no poverty line",
    "left out of the share below the national line": "of the share below the national line",
    "of --compare": "--compare's round",
    "left out of every estimate": "left out of every estimate",
    "left out of the figures against the national line": "left out of the figures against "
                                                         "the national line",
    "left out of the sub-district rows": "left out of the sub-district rows and kept in the "
                                         "overall figures (of the children too)",
    "left out of the growth incidence curve": "left out of the growth incidence curve",
    "round %s has no income": "a round has no income",
    "round %s has no poverty line": "or no poverty line",
    "of the figures against the national line": "or no poverty line (then only the figures "
                                                "against it)",
    "change since %s by sub-district": "sub-districts with no change",
    "; %d sub-district%s of %s (": "sub-districts with no change",
    "no change of the poverty and extreme poverty rates": "no change of the poverty and "
                                                          "extreme poverty rates",
    "no household in %s (renamed?)": "no household in the round before (renamed?)",
    "socind report: growth incidence": "growth incidence:",
    "the children's file has %d survey round": "the children's file has several survey rounds",
    "too long for the room of the charts' labels": "too long for the room of the charts' labels",
    "the heading names the area": "the heading names the area",
    "is left for the prevalences by WHO anthro's exclusions": "no child of the children's file "
                                                              "(its latest round) left for the "
                                                              "prevalences",
    "every child of it (%zu) is left out of the prevalences": "a sub-district of the "
                                                             "children's file whose every "
                                                             "child is left out",
    "no children's file (--children)": "no children's file (--children) with households "
                                       "other than the bundled sample's",
    "(stratum, PSU) ids of the brief's latest": "--compare's round shares (stratum, PSU) ids "
                                                "with the brief's latest round",
    "the rounds are not independent samples": "the rounds are not independent samples",
    "ids of survey round %s are also ids of round %s": "the two latest rounds share (stratum, "
                                                       "PSU) ids",
    "they look like shares": "sampling weights that sum to less than its households sampled",
    "warning: the sampling weights (column": "sampling weights that sum to less than its "
                                             "households sampled",
}
# no warning: written beside an error (the brief stops)
NOT_WARNINGS = ["(the figures of survey round"]
# the round's name within the messages above
ROUND_NAME = 'survey round %s (column "%s")'


def _c_string(lit):
    return "".join(bytes(m, "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
                   for m in re.findall(r'"((?:[^"\\]|\\.)*)"', lit))


def _messages():
    out = []
    for src in sorted((ROOT / "cli").glob("report*.c")):
        code = src.read_text(encoding="utf-8")
        for call in _CALLS:
            for m in call.finditer(code):
                text = _c_string(m.group(1))
                words = re.findall(r"[A-Za-z]+", re.sub(r"%[-0-9.]*(zu|lld|[a-z])", " ", text))
                words = [w for w in words if w not in ("socind", "report", "warning")]
                if len(words) >= 3:  # not a fragment of punctuation between parts
                    out.append((src.name, text))
    return out


def test_help_names_every_warning():
    """every message the brief's code can write on stderr is named in the
    warnings of `socind help report` (and --help): the messages are read
    from the sources, so a new one without its line in the help fails here"""
    helps = [run("help", "report").stdout, run("report", "--help").stdout]
    assert helps[0] == helps[1]
    section = " ".join(helps[0].split("\nwarnings (", 1)[1].split())
    msgs = _messages()
    assert len(msgs) >= 20
    for phrase in list(HELP_NAMES) + NOT_WARNINGS + [ROUND_NAME]:  # each still the code's
        assert any(phrase in text for _, text in msgs), phrase
    for name, text in msgs:
        if text == ROUND_NAME or any(p in text for p in NOT_WARNINGS):
            continue
        named = [HELP_NAMES[p] for p in HELP_NAMES if p in text]
        assert named, f"{name}: not named in the help's warnings: {text!r}"
        for words in named:
            assert words in section, (words, text)
    # the brief's own warnings at its top are marked in the help
    for words in ("an income below 0", "a round without incomes", "has a poverty line",
                  "no poverty line", "flagged as implausible", "no child of the children's file",
                  "shares (stratum, PSU) ids"):
        line = [ln for ln in helps[0].split("\nwarnings (", 1)[1].split("\n  ")
                if words in " ".join(ln.split())]
        assert line and line[0].startswith("* "), words


def test_change_of_a_figure_without_value_says_why(tmp_path, households):
    """weights near the double range: the Gini overflows (said) and its change
    is said as resting on it, not as an argument out of range"""
    households.assign(weight_person=households.weight_person * 1e300) \
        .to_csv(tmp_path / "h.csv", index=False)
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en")
    assert md_tables(p.stdout)["Poverty"][9][1:] == ["–"] * 6
    assert ("change of the Gini: 1 estimate (2023 to 2024) has no estimate (shown as –): a result "
            "is not a finite number, or leaves the double range") in p.stderr
    assert "outside its valid range" not in p.stderr


@pytest.mark.parametrize("title", ["", "   "])
def test_title_may_not_be_empty(title):
    p = run("report", "--title", title, expect=2)
    assert f'--title "{title}" is empty: give the area\'s name' in p.stderr


@pytest.mark.parametrize("how", ["missing", "weight 0"])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_subdistrict_without_incomes_keeps_its_row(tmp_path, households, lang, how):
    """a sub-district whose households of the latest round have no income
    (or only with a weight of 0) keeps its row, its cells "–", the reason
    under the table and on stderr; the key messages do not rank it, and say
    so"""
    h = households.copy()
    gone = (h.year == 2024) & (h.kecamatan == "Keluang")
    if how == "missing":
        h.loc[gone, "exp_pc"] = float("nan")
    else:
        h.loc[gone, ["weight", "weight_person"]] = 0
    h.to_csv(tmp_path / "h.csv", index=False)
    html = tmp_path / "b.html"
    p = run("report", "--households", tmp_path / "h.csv", "--children",
            SAMPLE / "children.csv", "--title", "T", "--lang", lang, "--html", html)
    head = ("Per kecamatan, 2024 (kemiskinan tertinggi di atas)" if lang == "id"
            else "By sub-district, 2024 (highest poverty rate first)")
    rows = md_tables(p.stdout)[head][1:]
    assert sorted(r[0] for r in rows) == sorted(households.kecamatan.unique())
    # last: a row without a figure sorts after every figure
    assert rows[-1] == ["Keluang", "–", "–", "–", "–", "–", "–", "0"]
    assert "(2024, Keluang) has no estimate" in p.stderr
    note = ("Keluang: no household of survey round 2024 has an income (spending per person) "
            "with a sampling weight above 0: its poverty and extreme-poverty rates are not "
            "available (shown as –)." if lang == "en" else
            "Keluang: tidak ada rumah tangga pada putaran survei 2024 yang memiliki data "
            "pengeluaran per kapita dengan bobot sampel di atas 0: persentase penduduk miskin "
            "dan miskin ekstremnya tidak tersedia (ditampilkan sebagai –).")
    assert note + "\n" in p.stdout
    assert note in html.read_text(encoding="utf-8")
    need = [line for line in p.stdout.splitlines()
            if line.startswith("- Sub-districts most in need —" if lang == "en"
                               else "- Kecamatan paling membutuhkan —")]
    tail = ("; Keluang not ranked (no household with an income)" if lang == "en" else
            "; Keluang tidak diurutkan (tidak ada rumah tangga dengan data pengeluaran)")
    assert need[0].endswith(tail) and need[1].endswith(tail)
    assert "Keluang (" not in need[0]
    # the other rounds' sub-districts, and a file where every one has incomes, say nothing
    q = run("report", "--lang", lang).stdout
    assert "not ranked" not in q and "tidak diurutkan" not in q


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_subdistrict_without_some_nutrition_figure_keeps_its_row(tmp_path, table, lang):
    """a sub-district whose children have no height keeps its row: stunting,
    wasting and overweight "–" with the reason, underweight as the library
    gives it; one whose every child is older than 1826 days keeps its row,
    every cell "–", the reason under the table and on stderr; neither is
    ranked in the key messages"""
    k, _ = table
    lais = k.kecamatan == "Lais"
    k.assign(lenhei=k.lenhei.where(~lais)).to_csv(tmp_path / "h.csv", index=False)
    k.assign(age_days=k.age_days.where(~lais, 2000)).to_csv(tmp_path / "o.csv", index=False)
    head = ("Per kecamatan (stunting tertinggi di atas)" if lang == "id"
            else "By sub-district (highest stunting first)")
    tail = ("; Lais tidak diurutkan (tanpa angka stunting)" if lang == "id"
            else "; Lais not ranked (no stunting figure)")
    need = ("- Kecamatan paling membutuhkan — stunting: " if lang == "id"
            else "- Sub-districts most in need — stunting: ")
    # no height: underweight is the library's for the same children
    p = run("report", "--households", HH,
            "--children", tmp_path / "h.csv", "--title", "T", "--lang", lang)
    rows = {r[0]: r for r in md_tables(p.stdout)[head][1:]}
    assert set(rows) == set(k.kecamatan)
    kh = k.assign(lenhei=k.lenhei.where(~lais))
    t = socind.prevalence(kh.sex, kh.age_days, kh.weight, kh.lenhei, kh.measure, kh.oedema,
                          sw=kh.sw, strata=kh.strata, cluster=kh.cluster, by=kh.kecamatan,
                          prop_ci="beta")
    wa = nut(t, "kecamatan: Lais", "WA", "< -2")
    assert wa.n == lais.sum()
    assert rows["Lais"][1:] == ["–", "–", "–", "–", est(wa, 100, 1, "%", lang), rse(wa, lang),
                                "–", "–", "0"]
    z = "tinggi menurut umur" if lang == "id" else "height-for-age"
    assert (f"tidak tersedia untuk Lais: tidak ada anak di sana yang memiliki skor-z {z}"
            if lang == "id" else f"not available for Lais: no child of it has a {z} z-score") \
        in p.stdout
    line = [ln for ln in p.stdout.splitlines() if ln.startswith(need)][0]
    assert line.endswith(tail) and "Lais (" not in line
    # every child too old: every cell "–"
    p = run("report", "--households", HH,
            "--children", tmp_path / "o.csv", "--title", "T", "--lang", lang)
    rows = {r[0]: r for r in md_tables(p.stdout)[head][1:]}
    assert set(rows) == set(k.kecamatan)
    assert rows["Lais"][1:] == ["–"] * 8 + ["0"]
    assert (f"sub-district Lais of the children's file: every child of it ({lais.sum()}) is left "
            "out of the prevalences by WHO anthro's exclusions") in p.stderr
    assert (f"Lais ({lais.sum()}): " + ("semua anak yang diukur tidak dihitung" if lang == "id"
                                        else "every child measured is left out")) in p.stdout
    line = [ln for ln in p.stdout.splitlines() if ln.startswith(need)][0]
    assert line.endswith(tail)


def clopper_pearson(x, n, level=LEVEL):
    """the exact binomial interval of x of n, by bisection on the binomial
    distribution (no library)"""
    a = (1 - level) / 2

    def cdf(k, p):
        return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))

    def solve(hit):
        lo, hi = 0.0, 1.0
        for _ in range(100):
            m = (lo + hi) / 2
            lo, hi = (lo, m) if hit(m) else (m, hi)
        return (lo + hi) / 2

    low = 0.0 if x == 0 else solve(lambda p: 1 - cdf(x - 1, p) >= a)
    high = 1.0 if x == n else solve(lambda p: cdf(x, p) <= a)
    return low, high


def _rounds_file(path, old, new):
    """two rounds of one sub-district and one stratum; each round a list of
    PSUs, each PSU (households, of them poor), weights all 100"""
    rows = []
    for year, psus in ((2023, old), (2024, new)):
        for p, (n, poor) in enumerate(psus, 1):
            rows += [dict(year=year, kecamatan="A", stratum=1, psu=p, weight_person=100,
                          exp_pc=400000 if i < poor else 900000, poverty_line=500000)
                     for i in range(n)]
    pd.DataFrame(rows).to_csv(path, index=False)


def _mover(p_old, ci_old, p_new, ci_new):
    d = p_new - p_old
    return (d, d - math.hypot(p_new - ci_new[0], ci_old[1] - p_old),
            d + math.hypot(ci_new[1] - p_new, p_old - ci_old[0]))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_change_from_a_cell_without_design_effect(tmp_path, lang):
    """a change from a proportion with an SE of 0 (0 in the sample, or the
    same share in every PSU) takes the MOVER interval of the rounds' own
    intervals, never the other round's SE alone; a share with an SE of 0
    between 0 and 1 has the Clopper–Pearson interval on its rows, not "(–)";
    a significant change never prints a bound of 0"""
    pov = "Poverty" if lang == "en" else "Kemiskinan"
    to = "to" if lang == "en" else "s.d."
    # 2023: 0 of 12 poor; 2024: 1 of 3 in each of 4 PSUs (SE 0)
    _rounds_file(tmp_path / "a.csv", [(3, 0)] * 4, [(3, 1)] * 4)
    p = run("report", "--households", tmp_path / "a.csv", "--children", SAMPLE / "children.csv",
            "--title", "T", "--lang", lang)
    cp_old, cp_new = clopper_pearson(0, 12), clopper_pearson(4, 12)
    d, lo, hi = _mover(0, cp_old, 4 / 12, cp_new)
    assert lo < 0  # the old Wald interval on 2024's SE (0) was [d, d]: "significant"
    row = md_tables(p.stdout)[pov][3]
    assert row[1:] == [f"{num(0, 1, lang)}% ({num(0, 1, lang)}–{num(100 * cp_old[1], 1, lang)})",
                       "–",
                       f"{num(100 / 3, 1, lang)}% ({num(100 * cp_new[0], 1, lang)}–"
                       f"{num(100 * cp_new[1], 1, lang)})", "–",
                       f"{signed(100 * d, 1, lang)} ({signed(100 * lo, 1, lang)} {to} "
                       f"{signed(100 * hi, 1, lang)})", WORD[lang][0]]
    assert "has no interval" not in p.stderr
    # 2024 with a design effect (2, 0, 1, 1 of 3 poor): MOVER on its Korn–Graubard interval
    _rounds_file(tmp_path / "b.csv", [(3, 0)] * 4, [(3, 2), (3, 0), (3, 1), (3, 1)])
    p = run("report", "--households", tmp_path / "b.csv", "--children", SAMPLE / "children.csv",
            "--title", "T", "--lang", lang)
    h = pd.read_csv(tmp_path / "b.csv").query("year == 2024")
    e = socind.fgt(h.exp_pc.to_numpy(), h.poverty_line.to_numpy(), 0,
                   design=socind.Design(weight=h.weight_person, strata=h.stratum, psu=h.psu),
                   prop_ci="beta")
    assert e.se > 0
    d, lo, hi = _mover(0, cp_old, e.value, (e.ci_low, e.ci_high))
    assert md_tables(p.stdout)[pov][3][5:] == [
        f"{signed(100 * d, 1, lang)} ({signed(100 * lo, 1, lang)} {to} "
        f"{signed(100 * hi, 1, lang)})", WORD[lang][-1 if hi < 0 else 1 if lo > 0 else 0]]
    # 2023: 0 of 3; 2024: 11 of 15 in each of 2 PSUs: significant, its lower
    # bound 0.009 points, printed with the decimals that show it is not 0
    _rounds_file(tmp_path / "c.csv", [(2, 0), (1, 0)], [(15, 11)] * 2)
    p = run("report", "--households", tmp_path / "c.csv", "--children", SAMPLE / "children.csv",
            "--title", "T", "--lang", lang)
    d, lo, hi = _mover(0, clopper_pearson(0, 3), 22 / 30, clopper_pearson(22, 30))
    assert 0 < 100 * lo < 0.05 and num(100 * lo, 1, lang) == num(0, 1, lang)
    cell = (f"{signed(100 * d, 2, lang)} ({signed(100 * lo, 2, lang)} {to} "
            f"{signed(100 * hi, 2, lang)})")
    assert md_tables(p.stdout)[pov][3][5:] == [cell, WORD[lang][1]]
    assert signed(100 * lo, 2, lang) == ("+0.01" if lang == "en" else "+0,01")
    sub = md_tables(p.stdout)[[k for k in md_tables(p.stdout) if k.startswith(
        "By sub-district, " if lang == "en" else "Per kecamatan, ")][0]]
    assert sub[1][3] == cell + " *"


@pytest.mark.parametrize("weights, about", [
    ([1, 1, 1, 1], "4"),                   # a tiny file: never "about 0"
    ([150, 150, 150, 150], "600"),         # not "about 1,000"
    ([3000, 3000, 3000, 3345], "12,300"),  # 3 significant digits below 100,000
    ([30000, 30000, 30000, 33456], "123,000")])  # the nearest 1,000 from 100,000
def test_people_represented_are_rounded_to_their_size(tmp_path, weights, about):
    """"representing about N people": 3 significant digits, the nearest
    1,000 only from 100,000"""
    pd.DataFrame(dict(kecamatan="A", stratum=1, psu=[1, 1, 2, 2], weight_person=weights,
                      exp_pc=[400000, 900000, 900000, 900000], poverty_line=500000)).to_csv(
        tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--children", SAMPLE / "children.csv",
             "--title", "T", "--lang", "en", "--cpi", "121.6").stdout
    assert f"(4 households surveyed, representing about {about} people)" in md
    # the exact sum is in the poverty table
    assert md_tables(md)["Poverty"][-1][1] == num(sum(weights), 0, "en")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_households_of_their_own_get_no_sample_children(tmp_path, households, lang):
    """--households without --children: the bundled children go only with
    the bundled households; other households get a brief without child
    nutrition (said on stderr and in the brief), never the synthetic
    children beside them nor the sample's synthetic mark"""
    households.to_csv(tmp_path / "h.csv", index=False)  # a copy: not the sample's file
    html = tmp_path / "b.html"
    p = run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", lang,
            "--html", html)
    assert ("socind report: no children's file (--children): the brief has no child nutrition"
            in p.stderr)
    page = html.read_text(encoding="utf-8")
    for text in (p.stdout, page):
        assert "Stunting" not in text and "stunting" not in text
        assert "Synthetic" not in text and "sintetis" not in text
        assert "555 " not in text  # the sample's children
    tabs = md_tables(p.stdout)
    assert not [k for k in tabs if k and ("nutrition" in k or "Gizi" in k)]
    assert p.stdout.startswith("# T — " + ("poverty and inequality\n" if lang == "en"
                                           else "kemiskinan dan ketimpangan\n"))
    assert ("No children's file was given (--children): this brief has no child nutrition."
            if lang == "en" else
            "Tidak ada berkas anak (--children): ringkasan ini tidak memuat gizi anak.") in p.stdout
    # the poverty figures are the sample's own
    pov = "Poverty" if lang == "en" else "Kemiskinan"
    assert tabs[pov] == md_tables(run("report", "--lang", lang).stdout)[pov]
    # the bundled households, by a path to them: the bundled children with them
    q = run("report", "--households", SAMPLE / "households.csv", "--lang", lang)
    assert "no children's file" not in q.stderr
    assert "- Stunting:" in q.stdout


def test_the_sample_is_recognised_from_any_directory(tmp_path):
    """the bundled sample's files, named by absolute paths from another
    directory, are the sample (its regency, marked synthetic), as by any
    other path to them; a copy of them is not"""
    if not pathlib.Path(cli_env.CLI).resolve().is_relative_to(ROOT):
        pytest.skip("the command is not built in this source tree")
    p = run("report", "--households", SAMPLE / "households.csv", "--children",
            SAMPLE / "children.csv", "--lang", "en", cwd=tmp_path)
    assert p.stdout.startswith("# Musi Banyuasin — poverty")
    assert "Synthetic sample data" in p.stdout
    assert "heading names the area" not in p.stderr
    # and the same brief as from the source tree by default
    assert p.stdout.replace(str(SAMPLE) + "/", "data/sample/") == run(
        "report", "--lang", "en").stdout
    # a copy is another file
    for f in ("households.csv", "children.csv"):
        (tmp_path / f).write_bytes((SAMPLE / f).read_bytes())
    p = run("report", "--households", "households.csv", "--children", "children.csv",
            "--lang", "en", cwd=tmp_path)
    assert p.stdout.startswith("# Survey area — poverty")
    assert "Synthetic" not in p.stdout


@pytest.mark.parametrize("lang", ["id", "en"])
def test_subdistricts_at_100_or_0_percent_are_ranked_as_they_are(tmp_path, households, lang):
    """every sub-district poor (100 %, SE 0, its exact interval shown) is
    ranked, not "not precise enough"; every one at 0 % (none suppressed) is
    said to have no figure above 0"""
    h = households.assign(exp_pc=400000)  # below both national lines, above the $2.15 line
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--children", SAMPLE / "children.csv",
             "--title", "T", "--lang", lang).stdout
    need = "- Sub-districts most in need —" if lang == "en" else "- Kecamatan paling membutuhkan —"
    words = ("poverty", "extreme poverty") if lang == "en" else ("kemiskinan", "kemiskinan ekstrem")
    first3 = sorted(h.kecamatan.unique())[:3]  # all tied at 100 %: by name
    hundred = num(100, 1, lang)
    assert f"{need} {words[0]}: " + ", ".join(f"{a} ({hundred}%)" for a in first3) \
        in md.splitlines()
    assert (f"{need} {words[1]}: " + ("no sub-district's figure is above 0" if lang == "en"
                                      else "tidak ada angka kecamatan di atas 0")) \
        in md.splitlines()
    assert "precise enough" not in md and "cukup tepat" not in md


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_count_of_one_takes_the_singular(tmp_path, table, lang):
    """English counts of 1 take the singular noun ("1 household", "about 1
    person", "1 child", "1 row"); Indonesian nouns have no plural"""
    k, _ = table
    assert (k.oedema == "y").sum() == 1  # the sample has one child with oedema
    pd.DataFrame(dict(kecamatan=["A"], stratum=1, psu=1, weight_person=1, exp_pc=400000,
                      poverty_line=500000)).to_csv(tmp_path / "h.csv", index=False)
    k.head(1).to_csv(tmp_path / "c.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--children", tmp_path / "c.csv",
             "--title", "T", "--lang", lang, "--cpi", "121.6", "--lonely-psu", "certainty").stdout
    sample = run("report", "--lang", lang).stdout
    if lang == "en":
        assert ("(1 household surveyed, representing about 1 person) and the measurements of 1 "
                "child under five.") in md
        assert "of people — about 1 person — live below" in md
        assert "- height-for-age: 0 of 1 child without a z-score" in md
        assert f"Households: {tmp_path / 'h.csv'} (1 row, 1 survey round)." in md_unescape(md)
        assert f"Children: {tmp_path / 'c.csv'} (1 row)." in md_unescape(md)
        assert "Oedema: 1 child;" in sample
    else:
        assert ("(1 rumah tangga sampel, mewakili sekitar 1 penduduk) dan pengukuran 1 anak "
                "balita.") in md
        assert "Edema: 1 anak;" in sample


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_negative_bound_is_not_joined_by_a_dash(tmp_path, lang):
    """an interval with a bound below 0 (the t interval of P1 on 2 degrees
    of freedom) reads "(−0.20 to …)", never "(−0.20–…)", where the dash
    reads as a minus"""
    h = pd.DataFrame(dict(kecamatan="A", stratum=[1] * 6 + [2] * 6,
                          psu=[1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4], weight_person=100,
                          exp_pc=[490000, 450000, 900000, 400000] + [900000] * 8,
                          poverty_line=500000))
    h.to_csv(tmp_path / "h.csv", index=False)
    md = run("report", "--households", tmp_path / "h.csv", "--children", SAMPLE / "children.csv",
             "--title", "T", "--lang", lang, "--cpi", "121.6").stdout
    e = socind.fgt(h.exp_pc.to_numpy(), h.poverty_line.to_numpy(), 1,
                   design=socind.Design(weight=h.weight_person, strata=h.stratum, psu=h.psu))
    assert e.ci_low < 0 < e.ci_high and e.se / e.value <= 0.25  # shown, not marked
    to = " to " if lang == "en" else " s.d. "
    want = (f"{num(100 * e.value, 2, lang)} ({num(100 * e.ci_low, 2, lang)}{to}"
            f"{num(100 * e.ci_high, 2, lang)})")
    assert want.count("−") == 1
    row = md_tables(md)["Poverty" if lang == "en" else "Kemiskinan"][7]
    assert row[1].startswith(want), row


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_small_cpi_is_printed_with_its_digits(tmp_path, lang):
    """a CPI (or CPI base) below 0.05 is printed with two significant digits
    in the sources, never as "CPI 0.0"; the line is the library's for it"""
    pd.DataFrame(dict(kecamatan="A", stratum=1, psu=[1, 1, 2, 2], weight_person=100,
                      exp_pc=[400000, 900000, 900000, 900000], poverty_line=500000)).to_csv(
        tmp_path / "h.csv", index=False)
    cpi, base = 0.012, 0.04
    md = run("report", "--households", tmp_path / "h.csv", "--children", SAMPLE / "children.csv",
             "--title", "T", "--lang", lang, "--cpi", "0.012",
             "--cpi-base", "0.04").stdout
    line = socind.ppp_line(PPP_DAILY, PPP_FACTOR, cpi, base, 365.0 / 12.0)
    ihk = "CPI" if lang == "en" else "IHK"
    assert (f"× {ihk} {num(cpi, 3, lang)} / {num(base, 3, lang)} × 365/12 "
            + ("days" if lang == "en" else "hari") + f" = {num(line, 0, lang)} ") in md
    assert f"{ihk} {num(0, 1, lang)} " not in md
    # an index of its usual size keeps its one decimal
    assert f"× {ihk} {num(121.6, 1, lang)} / {num(100, 1, lang)} ×" in run(
        "report", "--lang", lang).stdout


def test_children_of_their_own_need_households(tmp_path):
    """--children of another file without --households: refused (exit 2,
    naming both options) before any work, where the brief paired the
    file's children with the bundled sample's synthetic households and
    printed the sample's poverty figures as the area's; with --households
    named (the bundled ones too) the brief is written, and the bundled
    children alone still go with the bundled households"""
    kids = tmp_path / "c.csv"
    kids.write_bytes((SAMPLE / "children.csv").read_bytes())  # a copy: not the sample's file
    html = tmp_path / "b.html"
    for given in (kids, "-"):
        p = run("report", "--children", given, "--title", "T", "--html", html, expect=2,
                input=kids.read_text() if given == "-" else None)
        assert f"--children {given} without --households: give --households FILE" in p.stderr
        assert p.stdout == "" and not html.exists()
    p = run("report", "--households", HH, "--children", kids, "--title", "T")
    assert "- Stunting:" in p.stdout
    p = run("report", "--children", SAMPLE / "children.csv")
    assert "- Stunting:" in p.stdout and "without --households" not in p.stderr


def test_a_cut_right_to_left_chart_label_closes_its_isolate(tmp_path):
    """a right-to-left label too long for the charts' room is cut there
    with its isolate (FSI … PDI) closed after the cut: the cut dropped the
    PDI, leaving the rest of the chart's text isolated with it"""
    h = pd.read_csv(HH)
    h.loc[h.kecamatan == "Sekayu", "kecamatan"] = "\u05e9\u05dc\u05d5\u05dd" * 12
    h.to_csv(tmp_path / "h.csv", index=False)
    run("report", "--households", tmp_path / "h.csv", "--title", "T", "--lang", "en", "--html",
        tmp_path / "b.html")
    page = (tmp_path / "b.html").read_text(encoding="utf-8")
    assert "\u2068" in page and "…\u2069" in page
    assert page.count("\u2068") == page.count("\u2069")
