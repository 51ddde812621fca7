# SPDX-License-Identifier: GPL-3.0-or-later
"""The streamed path of `socind poverty` and `socind inequality` (the file
read in chunks into partial states, on threads) against the in-memory path
(SOCIND_STREAM=0): the same rows, groups, statuses and notes, figures within
1e-12 relative; the same messages, naming the same lines, when a run fails;
the same bytes for any --threads. SOCIND_CHUNK_ROWS (a testing knob) makes
chunks small so that PSUs, strata and groups are cut across chunks."""
import csv
import io
import os
import pathlib
import struct
import subprocess

import numpy as np
import pandas as pd
import pytest
from cli_env import CLI, QUICK

ROOT = pathlib.Path(__file__).resolve().parents[2]
REF = ROOT / "tests" / "reference"
HH = str(REF / "poverty" / "households.csv")
HH2 = str(REF / "wave2" / "households.csv")
SAMPLE = str(ROOT / "data" / "sample" / "households.csv")

DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]
SAMPLE_DESIGN = ["--income", "exp_pc", "--weight", "weight_person", "--strata", "stratum",
                 "--psu", "psu"]
POV = "fgt0,fgt1,fgt2,fgt:1.5,poor,gap,shortfall,watts,fgtdec:2,wattsdec"
INEQ = "mean,total,population,ge:2,ge:-1,theil,mld,atkinson:0.5,atkinson:1,atkinson:2"
FIGURES = ("estimate", "se", "ci_low", "ci_high", "weight_sum")
# Under the sanitizers (SOCIND_CLI_QUICK, set by the ASan build's ctest
# entry) the matrix takes one chunk of 37 rows (most of the reference
# file's PSUs of 8-10 rows cut between two chunks; a chunk starts each
# later pass's state from the last pass's bytes, which the instrumented
# build reads slowly) and the middle failing line only: the chunks of 7
# rows (a PSU over three chunks), 250 and the whole file and the other
# lines run in the -Werror build.
CHUNKS = [37] if QUICK else [7, 250, None]
NUT_CHUNKS = [37] if QUICK else [7, 300, None]
LINES = [1500] if QUICK else [2, 1500, 2803]
REL = 1e-12
# a figure that is zero but for rounding (the GE of a domain's one poor
# person: ±1e-16) is noise in either path: compared to this much
ZERO = 1e-14


def socind(*args, env=None, expect=None):
    e = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] = e["SOCIND_CLI_ASAN_OPTIONS"]
    e.update(env or {})
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, env=e)
    if expect is not None:
        assert p.returncode == expect, f"exit {p.returncode}, stderr: {p.stderr}"
    return p


def in_memory(*args, **kw):
    return socind(*args, env={"SOCIND_STREAM": "0"}, **kw)


def streamed(*args, chunk=None, expect_stream=True, rows_kept=True, **kw):
    # SOCIND_STREAM_ROWS=1: the states that keep their rows (the Gini's, a
    # relative line's measures') stream too, so that the streamed path is
    # what these tests compare
    env = {"SOCIND_STREAM": "verbose"}
    if rows_kept:
        env["SOCIND_STREAM_ROWS"] = "1"
    if chunk:
        env["SOCIND_CHUNK_ROWS"] = str(chunk)
    p = socind(*args, env=env, **kw)
    said = [l for l in p.stderr.splitlines() if " streamed " in l or "read into memory" in l]
    if p.returncode == 0:
        assert said, p.stderr
        assert ("streamed" in said[-1]) == expect_stream, said
    # the knob's own line out, the rest as the in-memory path says it
    p.stderr = "".join(l + "\n" for l in p.stderr.splitlines()
                       if " streamed " not in l and "read into memory" not in l)
    return p


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def assert_same_figures(a, b, rel=REL):
    """The same table: every cell equal, but figures, within rel (an SE or
    interval limit relative to the larger of itself and the estimate: an SE
    that is zero but for rounding, 1e-18, differs in its own digits)."""
    ra, rb = rows(a), rows(b)
    assert len(ra) == len(rb) and len(ra) > 1
    head = ra[0]
    assert rb[0] == head
    fig = {i for i, h in enumerate(head) if h in FIGURES}
    est = head.index("estimate")
    for x, y in zip(ra[1:], rb[1:]):
        for i, (u, v) in enumerate(zip(x, y)):
            if i not in fig or u == v:
                assert u == v, (head[i], x, y)
                continue
            fu, fv = float(u), float(v)
            scale = max(abs(fu), abs(fv))
            if head[i] in ("se", "ci_low", "ci_high") and x[est]:
                scale = max(scale, abs(float(x[est])))
            assert abs(fu - fv) <= rel * scale + ZERO, (head[i], x, y)


CASES = [
    ("poverty", SAMPLE, SAMPLE_DESIGN + ["--line", "520000", "--by", "urban", "--by", "kecamatan",
                                         "--indicators", POV]),
    ("poverty", SAMPLE, SAMPLE_DESIGN + ["--line-col", "poverty_line", "--inclusive",
                                         "--by", "kecamatan"]),
    ("inequality", SAMPLE, SAMPLE_DESIGN + ["--by", "kecamatan", "--indicators", INEQ]),
    ("poverty", HH, DESIGN + ["--line", "500000", "--inclusive", "--by", "subdistrict",
                              "--by", "urban", "--ci", "normal", "--prop-ci", "wald",
                              "--indicators", POV]),
    ("poverty", HH, DESIGN + ["--fpc", "fpc_psu", "--line-col", "line_region",
                              "--by", "subdistrict", "--indicators", POV]),
    ("poverty", HH, DESIGN + ["--line", "500000", "--domain-rule", "subset", "--level", "0.9",
                              "--by", "urban", "--indicators", POV, "--format", "json"]),
    ("inequality", HH, DESIGN + ["--by", "subdistrict", "--by", "urban", "--indicators", INEQ]),
    ("inequality", HH, DESIGN + ["--fpc", "fpc_psu", "--nonpositive", "exclude",
                                 "--indicators", INEQ]),
    ("poverty", HH2, DESIGN + ["--line", "500000", "--by", "sizecl", "--indicators", POV]),
    ("poverty", HH2, ["--income", "cons_pc", "--weight", "w_person", "--strata", "vstratum",
                      "--psu", "vpsu", "--nest", "--lonely-psu", "adjust", "--line", "500000",
                      "--by", "sizecl", "--indicators", POV]),
    ("inequality", HH2, ["--income", "cons_pc", "--weight", "w_hh", "--psu", "hh_id",
                         "--by", "prov", "--indicators", INEQ]),
    # --where (rows outside in no domain) and --subset (rows dropped)
    ("poverty", HH, DESIGN + ["--line", "500000", "--where", "cons_pc>300000",
                              "--by", "subdistrict", "--indicators", POV]),
    ("poverty", HH, DESIGN + ["--line", "500000", "--subset", "urban=0", "--where",
                              "cons_pc<=900000", "--where", "subdistrict!=3201040",
                              "--by", "subdistrict", "--by", "urban", "--indicators", POV]),
    ("inequality", HH, DESIGN + ["--subset", "urban=1", "--by", "subdistrict",
                                 "--indicators", INEQ]),
    ("inequality", SAMPLE, SAMPLE_DESIGN + ["--subset", "year=2024", "--where", "urban=1",
                                            "--by", "kecamatan", "--indicators", INEQ]),
]


def json_as_csv(text):
    import json
    rec = json.loads(text)
    rec = rec if isinstance(rec, list) else rec.get("estimates", rec)
    return pd.DataFrame(rec).to_csv(index=False)


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_streamed_equals_in_memory(case, chunk):
    cmd, path, args = CASES[case]
    mem = in_memory(cmd, path, *args, expect=0)
    got = streamed(cmd, path, *args, chunk=chunk, expect=0)
    if "json" in args:
        assert_same_figures(json_as_csv(mem.stdout), json_as_csv(got.stdout))
    else:
        assert_same_figures(mem.stdout, got.stdout)
    assert got.stderr == mem.stderr


@pytest.mark.parametrize("case", [0, 3, 6, 9])
def test_threads_give_the_same_bytes(case):
    cmd, path, args = CASES[case]
    outs = {n: streamed(cmd, path, *args, "--threads", n, chunk=50, expect=0).stdout
            for n in (1, 2, 4)}
    assert outs[1] == outs[2] == outs[4]
    # and the default (every core)
    assert streamed(cmd, path, *args, chunk=50, expect=0).stdout == outs[1]


def test_chunkings_agree_beyond_the_last_digits():
    cmd, path, args = CASES[3]
    base = streamed(cmd, path, *args, chunk=None, expect=0).stdout
    # (under the sanitizers, QUICK: one row a chunk and 35 only)
    for chunk in (1, 35) if QUICK else (1, 2, 3, 35, 1000):
        assert_same_figures(base, streamed(cmd, path, *args, chunk=chunk, expect=0).stdout,
                            rel=1e-15)


def test_indicators_without_a_state_read_into_memory():
    for ind in ("mean,gini,zenga", "median,jdiv", "iqalpha:0.5", "isq:0.2"):
        args = DESIGN + ["--by", "urban", "--indicators", ind]
        mem = in_memory("inequality", HH, *args, expect=0)
        got = streamed("inequality", HH, *args, "--threads", "2", chunk=7, expect_stream=False,
                       expect=0)
        assert got.stdout == mem.stdout
    # a quantile's interval at another level (its state finds the rows of
    # the default level's limits)
    args = DESIGN + ["--level", "0.9", "--indicators", "median"]
    mem = in_memory("inequality", HH, *args, expect=0)
    got = streamed("inequality", HH, *args, chunk=7, expect_stream=False, expect=0)
    assert got.stdout == mem.stdout
    # the Sen and SST indices against a relative line (their states take
    # none: in memory, which refuses it)
    for ind, line in (("sst", ["--relative", "0.6:median"]), ("sen", ["--relative", "0.5:mean"])):
        a = DESIGN + line + ["--by", "urban", "--indicators", ind]
        mem = in_memory("poverty", HH, *a)
        got = streamed("poverty", HH, *a, chunk=7, expect_stream=False)
        assert (got.returncode, got.stdout, got.stderr) == (mem.returncode, mem.stdout,
                                                              mem.stderr)
    for extra in (["--line", "500000", "--subset", "urban=9"],
                  ["--line", "500000", "--where", "urban=9"]):
        a = DESIGN + extra + ["--indicators", "fgt0"]
        mem = in_memory("poverty", HH, *a)
        got = streamed("poverty", HH, *a, chunk=7, expect_stream=False)
        assert (got.returncode, got.stdout, got.stderr) == (mem.returncode, mem.stdout,
                                                              mem.stderr)
    # a design without PSUs
    for a in (["--income", "cons_pc", "--weight", "w_person", "--line", "500000"],
              ["--income", "cons_pc", "--strata", "stratum", "--line", "500000"]):
        mem = in_memory("poverty", HH, *a)
        got = streamed("poverty", HH, *a, chunk=7, expect_stream=False)
        assert (got.returncode, got.stdout, got.stderr) == (mem.returncode, mem.stdout,
                                                              mem.stderr)


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5", "", "999"])
@pytest.mark.parametrize("cmd", ["poverty", "inequality", "nutrition"])
def test_bad_threads_is_a_usage_error(cmd, value):
    args = {"poverty": DESIGN + ["--line", "500000"], "inequality": DESIGN,
            "nutrition": ["--sex", "sex", "--age-days", "age_days"]}[cmd]
    p = socind(cmd, HH, *args, "--threads", value, expect=2)
    assert "--threads must be a whole number" in p.stderr


def test_nutrition_takes_threads():
    kids = str(REF / "growth" / "inputs.csv")
    args = ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight", "--lenhei-cm",
            "lenhei", "--measure", "measure", "--oedema", "oedema"]
    one = socind("nutrition", kids, *args, "--threads", "1", expect=0)
    two = socind("nutrition", kids, *args, "--threads", "3", expect=0)
    assert one.stdout == two.stdout


# ---------------------------------------------------------------- failures

def edited(tmp_path, src, name, line, col, value):
    """src with the cell (line: the file's line, 1 = header) replaced."""
    lines = pathlib.Path(src).read_text().splitlines()
    head = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[head.index(col)] = value
    lines[line - 1] = ",".join(cells)
    out = tmp_path / name
    out.write_text("\n".join(lines) + "\n")
    return str(out)


FAILURES = [
    ("w_person", "-3", 1),     # a negative weight
    ("w_person", "", 1),       # a missing weight
    ("psu", "", 1),            # a missing PSU
    ("stratum", "", 1),        # a missing stratum
    ("cons_pc", "12x", 1),     # not a number
    ("cons_pc", "-5", 1),      # a nonpositive income in watts
    ("line_region", "0", 1),   # a line that is no line
    ("cons_pc", "", 0),        # missing values: the notes
    ("cons_pc", " NA ", 0),
    ("line_region", "NaN", 0),
    ("w_person", " 12.5 ", 0),
]


@pytest.mark.parametrize("col,value,code", FAILURES)
@pytest.mark.parametrize("line", LINES)
def test_failures_name_the_same_line(tmp_path, col, value, code, line):
    path = edited(tmp_path, HH, "bad.csv", line, col, value)
    lc = ["--line-col", "line_region"] if col == "line_region" else ["--line", "500000"]
    args = DESIGN + lc + ["--by", "urban", "--indicators", "fgt0,watts"]
    mem = in_memory("poverty", path, *args)
    got = streamed("poverty", path, *args, "--threads", "2", chunk=100)
    assert mem.returncode == got.returncode
    if mem.returncode:
        assert str(line) in mem.stderr or "observation" in mem.stderr or col == "line_region"
    assert got.stderr == mem.stderr
    if mem.returncode:
        assert got.stdout == mem.stdout
    else:
        assert_same_figures(mem.stdout, got.stdout)
    # and with --subset, whose notes count the rows it keeps
    sub = streamed("poverty", path, *args, "--subset", "urban=1", chunk=100)
    mem = in_memory("poverty", path, *args, "--subset", "urban=1")
    assert (sub.returncode, sub.stderr) == (mem.returncode, mem.stderr)


def test_lonely_psu_message_is_the_same(tmp_path):
    path = tmp_path / "lonely.csv"
    path.write_text("y,w,s,p\n" + "".join(f"{1 + i},1,{1 + i // 4},{1 + i // 2}\n"
                                          for i in range(40)) + "5,1,99,777\n")
    args = ["--income", "y", "--weight", "w", "--strata", "s", "--psu", "p", "--line", "3"]
    mem = in_memory("poverty", path, *args)
    got = streamed("poverty", path, *args, chunk=3)
    assert mem.returncode == got.returncode == 3
    assert got.stderr == mem.stderr
    ok = streamed("poverty", path, *args, "--lonely-psu", "adjust", chunk=3, expect=0)
    assert_same_figures(in_memory("poverty", path, *args, "--lonely-psu", "adjust",
                                  expect=0).stdout, ok.stdout)


def test_reader_errors_are_the_reader_s(tmp_path):
    path = tmp_path / "short.csv"
    text = pathlib.Path(HH).read_text().splitlines()
    text[2000] = text[2000] + ",extra"
    path.write_text("\n".join(text) + "\n")
    args = DESIGN + ["--line", "500000"]
    mem = in_memory("poverty", path, *args, expect=1)
    got = streamed("poverty", path, *args, chunk=64, expect=1)
    assert got.stderr == mem.stderr and ":2001:" in got.stderr


# ---------------------------------------------------------------- .dta and .sav

def test_stata_and_spss_stream_as_the_csv(tmp_path):
    df = pd.read_csv(HH)
    d = df.copy()
    d["urban"] = pd.Categorical.from_codes(d["urban"], ["rural", "urban"])
    dta = tmp_path / "h.dta"
    d.to_stata(dta, write_index=False, version=118)
    args = DESIGN + ["--line", "500000", "--by", "urban", "--by", "subdistrict",
                     "--indicators", POV]
    mem = in_memory("poverty", dta, *args, expect=0)
    for chunk in (9, 1000):
        got = streamed("poverty", dta, *args, chunk=chunk, expect=0)
        assert_same_figures(mem.stdout, got.stdout)
        assert got.stderr == mem.stderr
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    sav = tmp_path / "h.sav"
    subprocess.run([make_sav, HH, sav, "urban"], check=True)
    mem = in_memory("poverty", sav, *args, expect=0)
    got = streamed("poverty", sav, *args, chunk=9, expect=0)
    assert_same_figures(mem.stdout, got.stdout)
    assert "urban: rural" in got.stdout


def test_value_labels_that_merge_groups(tmp_path):
    """A .dta whose value labels give two values one label: one group."""
    d = pd.read_csv(HH)
    d["k"] = d["urban"] + 2 * (d["hh_id"] % 2)  # 0..3
    dta = tmp_path / "m.dta"
    d.to_stata(dta, write_index=False, version=118,
               value_labels={"k": {0: "rural", 1: "urban", 2: "rural", 3: "urban"}})
    args = DESIGN + ["--line", "500000", "--by", "k", "--indicators", "fgt0"]
    mem = in_memory("poverty", dta, *args, expect=0)
    got = streamed("poverty", dta, *args, chunk=50, expect_stream=False, expect=0)
    assert got.stdout == mem.stdout
    assert "k: rural" in got.stdout


def test_stata_file_with_where_or_subset_reads_into_memory(tmp_path):
    d = pd.read_csv(HH)
    d["urban"] = pd.Categorical.from_codes(d["urban"], ["rural", "urban"])
    dta = tmp_path / "w.dta"
    d.to_stata(dta, write_index=False, version=118)
    for extra in (["--where", "urban=urban"], ["--subset", "urban=rural"]):
        args = DESIGN + ["--line", "500000", "--by", "subdistrict", "--indicators", "fgt0"] + extra
        mem = in_memory("poverty", dta, *args, expect=0)
        got = streamed("poverty", dta, *args, chunk=50, expect_stream=False, expect=0)
        assert (got.stdout, got.stderr) == (mem.stdout, mem.stderr)


# ---------------------------------------------------------------- rank-based

# (by subdistrict the domains are of few rows whose weights are multiples
# of one another: shares of 0.15, 0.2, 0.5, 0.8, 0.85 fall exactly on
# their steps, and subdistrict 4 lies in one PSU; both paths sum the
# weights exactly and take the same side: socind/state.h, "Agreement")
RANK = ("median,quantile:0.15,quantile:0.85,gini,qsr,palma,share_ratio:0.1:0.9,lorenz:0.3,"
        "lorenz:0.8,mean")
# without the quantiles (whose states plan their Woodruff limits at the
# default interval: another --level or --ci reads the file into memory)
RANK_NOQ = "gini,share_ratio:0.33:0.71,lorenz:0.37"
RANK_CASES = [
    ("inequality", HH, DESIGN + ["--by", "urban", "--indicators", RANK]),
    ("inequality", HH, DESIGN + ["--by", "subdistrict", "--by", "urban",
                                 "--indicators", RANK]),
    ("inequality", SAMPLE, SAMPLE_DESIGN + ["--by", "kecamatan", "--indicators", RANK]),
    ("inequality", HH, DESIGN + ["--fpc", "fpc_psu", "--domain-rule", "subset", "--level", "0.9",
                                 "--ci", "normal", "--by", "urban", "--indicators", RANK_NOQ]),
    ("inequality", HH2, ["--income", "cons_pc", "--weight", "w_person", "--strata", "vstratum",
                         "--psu", "vpsu", "--nest", "--lonely-psu", "adjust", "--by", "sizecl",
                         "--indicators", RANK]),
    ("poverty", HH, DESIGN + ["--relative", "0.6:median", "--by", "subdistrict",
                              "--indicators", POV + ",line"]),
    ("poverty", HH, DESIGN + ["--relative", "0.5:mean", "--inclusive", "--by", "urban",
                              "--indicators", POV + ",line"]),
    ("poverty", SAMPLE, SAMPLE_DESIGN + ["--relative", "0.6:median", "--by", "urban",
                                         "--by", "kecamatan", "--indicators", "fgt0,fgt1,line"]),
    ("poverty", HH, DESIGN + ["--line", "500000", "--indicators", "fgt0,line"]),
    # the Sen and SST indices (their Gini's passes over the poor's y/z)
    ("poverty", HH, DESIGN + ["--line", "500000", "--by", "subdistrict", "--indicators",
                              "sen,sst,fgt0,fgt1"]),
    ("poverty", HH, DESIGN + ["--line-col", "line_region", "--inclusive", "--where",
                              "cons_pc>250000", "--by", "urban", "--indicators", "sen,sst"]),
    ("poverty", HH2, ["--income", "cons_pc", "--weight", "w_person", "--strata", "vstratum",
                      "--psu", "vpsu", "--nest", "--lonely-psu", "adjust", "--line", "500000",
                      "--by", "sizecl", "--indicators", "sst,sen"]),
    # --where (rows outside in no domain) and --subset (rows dropped)
    ("inequality", HH, DESIGN + ["--where", "cons_pc>300000", "--by", "urban",
                                 "--indicators", RANK]),
    ("inequality", HH, DESIGN + ["--where", "cons_pc>300000", "--by", "subdistrict",
                                 "--indicators", RANK]),
    ("poverty", HH, DESIGN + ["--relative", "0.6:median", "--subset", "urban=0", "--where",
                              "subdistrict!=3201040", "--by", "subdistrict",
                              "--indicators", "fgt0,fgt2,watts,line"]),
    # --decompose-by: gedec:T and the poverty profile
    ("inequality", HH, DESIGN + ["--decompose-by", "subdistrict", "--by", "urban",
                                 "--indicators", "gedec:2,gedec:0,gedec:1,ge:2,gini"]),
    ("inequality", HH, DESIGN + ["--where", "urban=1", "--decompose-by", "subdistrict",
                                 "--indicators", "gedec:0.5,median"]),
    ("poverty", HH, DESIGN + ["--line", "500000", "--decompose-by", "subdistrict",
                              "--by", "urban", "--indicators", POV]),
    ("poverty", HH, DESIGN + ["--line-col", "line_region", "--subset", "urban=1",
                              "--decompose-by", "subdistrict", "--indicators", "fgt0,fgt:1.5"]),
    # the profile against relative lines (two passes; a quantile line's: its
    # whole sample's density at the line from the kernel's moments)
    ("poverty", HH, DESIGN + ["--relative", "0.6:median", "--decompose-by", "subdistrict",
                              "--by", "urban", "--indicators", "fgt0,fgt1,fgt:1.5"]),
    ("poverty", HH, DESIGN + ["--relative", "0.5:mean", "--decompose-by", "subdistrict",
                              "--indicators", "fgt2"]),
    # the median of the poor and the relative median gap (convey's own line,
    # two passes), with other indicators against --line
    ("poverty", HH, DESIGN + ["--by", "subdistrict", "--indicators", "poormed,rmpg"]),
    ("poverty", HH, DESIGN + ["--line", "500000", "--where", "cons_pc>200000", "--by", "urban",
                              "--indicators", "rmpg,fgt0,poormed"]),
    ("poverty", HH2, ["--income", "cons_pc", "--weight", "w_person", "--strata", "vstratum",
                      "--psu", "vpsu", "--nest", "--lonely-psu", "adjust", "--by", "sizecl",
                      "--indicators", "poormed,rmpg"]),
]


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("case", range(len(RANK_CASES)))
def test_rank_based_streamed_equals_in_memory(case, chunk):
    cmd, path, args = RANK_CASES[case]
    mem = in_memory(cmd, path, *args, expect=0)
    got = streamed(cmd, path, *args, chunk=chunk, expect=0)
    assert_same_figures(mem.stdout, got.stdout)
    assert got.stderr == mem.stderr


def readings(cmd, path, args, chunk):
    return readings_and_output(cmd, path, args, chunk)[0]


def readings_and_output(cmd, path, args, chunk):
    # the passes a streamed run made, and its standard output
    p = socind(cmd, path, *args, env={"SOCIND_STREAM": "verbose", "SOCIND_CHUNK_ROWS": str(chunk),
                                      "SOCIND_STREAM_ROWS": "1"}, expect=0)
    said = [l for l in p.stderr.splitlines() if " streamed " in l]
    assert said, p.stderr
    return passes_said(said[0]), p.stdout


def passes_said(line):
    # the passes a streamed run made: its readings of the file and those
    # over its rows kept on disk
    n = int(line.split("readings: ")[1].split(",")[0]) if "readings: " in line else 1
    disk = "passes over its rows kept on disk: "
    return n + (int(line.split(disk)[1]) if disk in line else 0)


def test_rank_based_read_the_file_once_per_pass():
    # two passes: a quantile whose limits fall in the rows its second pass
    # keeps around it, a Lorenz ordinate, a share ratio whose kernel series
    # at its quantiles is exact
    for ind in ("median", "lorenz:0.4", "qsr", "palma", "median,lorenz:0.4,quantile:0.9,qsr"):
        assert readings("inequality", HH, DESIGN + ["--indicators", ind], 100) == 2
    # two: a relative quantile line (its density at the quantile from the
    # kernel's moments about the quantile's bucket)
    assert readings("poverty", HH, DESIGN + ["--relative", "0.6:median", "--indicators", "line"],
                    100) == 2
    # two: the FGT measures (any alpha), Watts and the line against a
    # relative quantile line, by domain (their sums below the window of the
    # line's bucket, the window's rows kept)
    rq = DESIGN + ["--relative", "0.6:median", "--by", "subdistrict"]
    assert readings("poverty", HH, rq + ["--indicators", "fgt0,fgt1,fgt2,watts,line"], 100) == 2
    assert readings("poverty", HH, rq + ["--indicators", "fgt:1.5,fgt:0.5,fgtdec:3.5"], 100) == 2
    # two: the poverty profile against a relative quantile line (its rows in
    # no group kept under their cells' code)
    assert readings("poverty", HH, DESIGN + ["--relative", "0.6:median", "--decompose-by",
                                             "subdistrict", "--by", "urban", "--indicators",
                                             "fgt0,fgt1,fgt:1.5"], 100) == 2
    # two: the median of the poor and the gap (the line's window and each
    # domain's range of buckets where its poor's median lies kept, the
    # kernel sums at both from their moments)
    assert readings("poverty", HH, DESIGN + ["--indicators", "poormed,rmpg"], 100) == 2
    assert readings("poverty", HH, DESIGN + ["--line", "500000", "--by", "subdistrict",
                                             "--indicators", "rmpg,fgt0,poormed"], 100) == 2
    # one-pass estimates alone: one reading
    assert readings("inequality", HH, DESIGN + ["--indicators", "mean,ge:2"], 100) == 1
    # a --by with more labels than the first chunk's room: the slot starts
    # again once the file's labels are known (one reading more)
    by = DESIGN + ["--by", "psu", "--indicators", "gini,lorenz:0.5"]
    n, out = readings_and_output("inequality", HH, by, 3)
    assert 3 <= n <= 4
    assert_same_figures(in_memory("inequality", HH, *by, expect=0).stdout, out)


def test_states_that_keep_their_rows_read_into_memory():
    """A rank-based state of one pass keeps every row (more than the rows in
    a table take): without the testing knob such a run reads into memory,
    unless the state takes more passes (bounded), when it streams."""
    for cmd, extra in (("inequality", ["--indicators", "gini"]),
                       ("inequality", ["--indicators", "median,gini"]),
                       ("poverty", ["--relative", "0.6:median", "--indicators", "fgt0"]),
                       ("poverty", ["--relative", "0.5:mean", "--indicators", "fgt1"])):
        args = DESIGN + ["--by", "urban"] + extra
        mem = in_memory(cmd, HH, *args, expect=0)
        p = socind(cmd, HH, *args, env={"SOCIND_STREAM": "verbose", "SOCIND_CHUNK_ROWS": "100"},
                   expect=0)
        said = [l for l in p.stderr.splitlines() if " streamed " in l or "into memory" in l]
        if " streamed " in said[0]:
            assert "readings: " in said[0], said  # a bounded state: its passes
        else:  # and with the knob it streams
            readings(cmd, HH, args, 100)
        assert_same_figures(mem.stdout, p.stdout)
    # the line estimate's one pass (a mean line) keeps cell sums: it streams
    p = socind("poverty", HH, *DESIGN, "--relative", "0.5:mean", "--indicators", "line",
               env={"SOCIND_STREAM": "verbose"}, expect=0)
    assert " streamed " in p.stderr


@pytest.mark.parametrize("case", [0, 5, 12, -3])
def test_rank_based_threads_give_the_same_bytes(case):
    cmd, path, args = RANK_CASES[case]
    outs = {n: streamed(cmd, path, *args, "--threads", n, chunk=50, expect=0).stdout
            for n in (1, 2, 3)}
    assert outs[1] == outs[2] == outs[3]


def spilled(cmd, path, args, spill, tmpdir, threads="1"):
    # spill None: the default (a run of more than one pass keeps its rows
    # on disk)
    env = {"SOCIND_STREAM": "verbose", "SOCIND_CHUNK_ROWS": "70", "SOCIND_STREAM_ROWS": "1",
           "TMPDIR": str(tmpdir)}
    if spill is not None:
        env["SOCIND_STREAM_SPILL"] = spill
    p = socind(cmd, path, *args, "--threads", threads, env=env, expect=0)
    said = [l for l in p.stderr.splitlines() if " streamed " in l]
    assert said, p.stderr
    return p.stdout, said[0]


def spill_room(tmpdir):
    # the command keeps the rows in a temporary directory on disk (not in
    # memory: tmpfs, ramfs) that keeps 512 MiB and 5 % of its size free
    kind = subprocess.run(["stat", "-f", "-c", "%T", str(tmpdir)], capture_output=True,
                          text=True).stdout.strip()
    v = os.statvfs(tmpdir)
    room = v.f_bavail * v.f_frsize >= 512 * 1048576 + v.f_blocks * v.f_frsize / 20
    return room and kind not in ("tmpfs", "ramfs")


# Under the sanitizers (QUICK) the rows kept on disk are checked on a case
# of each kind (a rank-based inequality table, the Sen and SST indices,
# --where, a relative line with --subset and --where, the poverty profile
# against a relative line, the median of the poor and the gap); every case
# runs in the -Werror build, the failures' also on the relative line by
# subdistrict (case 5, the slowest under the sanitizers).
SPILL_CASES = [0, 9, 12, 14, 19, 21] if QUICK else range(len(RANK_CASES))
SPILL_FAILURE_CASES = [0, 9, 12, 14, 19, 21] if QUICK else [0, 5, 9, 12, 14, 19, 21]


@pytest.mark.parametrize("case", SPILL_CASES)
def test_rows_kept_on_disk_give_the_readings_bytes(case, tmp_path):
    """A run of more than one pass reads the file once: its first reading
    keeps the rows on disk and the passes after it read them there. The
    output is the bytes of reading the file each pass (SOCIND_STREAM_SPILL=0)."""
    cmd, path, args = RANK_CASES[case]
    read, said_read = spilled(cmd, path, args, "0", tmp_path)
    disk, said_disk = spilled(cmd, path, args, None, tmp_path, threads="3")
    assert disk == read
    n = passes_said(said_read)
    assert "on disk" not in said_read
    assert passes_said(said_disk) == n
    if n > 1 and spill_room(tmp_path):
        assert "readings: 1, passes over its rows kept on disk: %d" % (n - 1) in said_disk
    elif n > 1:  # no room there: the file read each pass
        assert said_disk == said_read.replace("on 1 threads", "on 3 threads")
    else:  # one pass (a fixed line's estimates): nothing kept
        assert "readings" not in said_disk
    assert os.listdir(tmp_path) == []  # unlinked when made


def test_rows_not_kept_on_disk_where_the_spill_cannot_be_made(tmp_path):
    # a temporary directory that does not exist, or a file, or in memory
    # (/dev/shm: tmpfs): the file is read again each pass, as without the
    # spill
    cmd, path, args = RANK_CASES[0]
    read, said_read = spilled(cmd, path, args, "0", tmp_path)
    assert "readings: " in said_read
    plain = tmp_path / "plain"
    plain.write_text("")
    for tmpdir in (tmp_path / "missing", plain, "/dev/shm"):
        out, said = spilled(cmd, path, args, None, tmpdir, threads="2")
        assert out == read and said == said_read.replace("on 1 threads", "on 2 threads")


@pytest.mark.parametrize("case", SPILL_FAILURE_CASES)
def test_rows_kept_on_disk_that_cannot_be_read_back(case, tmp_path):
    # SOCIND_STREAM_SPILL=broken:N: reading the rows back fails after N
    # chunks, as an I/O error would; that pass is read from the file again
    # (its states so far dropped), and those after it, with the same bytes,
    # not read into memory
    read_again(RANK_CASES[case], ("broken", "broken:0", "broken:3"), tmp_path)


def read_again(case, knobs, tmpdir):
    # each SOCIND_STREAM_SPILL knob in turn: the bytes of reading the file
    # each pass, and the verbose line says the rows kept on disk were lost
    # (where the directory has room for them; else they were never kept)
    cmd, path, args = case
    read, said_read = spilled(cmd, path, args, "0", tmpdir, threads="3")
    assert passes_said(said_read) > 1
    for knob in knobs:
        out, said = spilled(cmd, path, args, knob, tmpdir, threads="3")
        assert out == read
        if spill_room(tmpdir):
            assert said == said_read + ", its rows kept on disk lost (read again)"
        else:
            assert said == said_read
    return read


@pytest.mark.parametrize("case", SPILL_FAILURE_CASES)
def test_rows_kept_on_disk_whose_bytes_changed(case, tmp_path):
    # SOCIND_STREAM_SPILL=damaged:N: once chunk N's rows are written, one
    # byte of them is changed in the file, as a disk might (=damaged: every
    # chunk's). Each chunk ends with a checksum of its bytes: the reading
    # back finds the change, and the pass is read from the file again with
    # the same bytes, as after a failed reading; without the checksum the
    # changed rows would enter the figures
    read = read_again(RANK_CASES[case], ("damaged", "damaged:0", "damaged:2"), tmp_path)
    # a chunk past the last one: nothing changed, the rows read back
    cmd, path, args = RANK_CASES[case]
    out, said = spilled(cmd, path, args, "damaged:100000", tmp_path, threads="3")
    assert out == read
    if spill_room(tmp_path):
        assert "lost" not in said and "passes over its rows kept on disk" in said


def stata_and_spss(tmp_path):
    df = pd.read_csv(HH)
    d = df.copy()
    d["urban"] = pd.Categorical.from_codes(d["urban"], ["rural", "urban"])
    dta = tmp_path / "h.dta"
    d.to_stata(dta, write_index=False, version=118)
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    sav = tmp_path / "h.sav"
    subprocess.run([make_sav, HH, sav, "urban"], check=True)
    return dta, sav


# chunks of 9 rows (a PSU over two chunks) and 1000; one of 37 under the
# sanitizers (QUICK), as the matrix
STATA_CHUNKS = (37,) if QUICK else (9, 1000)


@pytest.mark.parametrize("case", [
    ("inequality", ["--by", "urban", "--indicators", RANK]),
    ("inequality", ["--by", "subdistrict", "--indicators", RANK]),
    ("poverty", ["--relative", "0.6:median", "--by", "urban", "--indicators", POV + ",line"]),
    ("inequality", ["--decompose-by", "urban", "--indicators", "gedec:2,gini"]),
    ("poverty", ["--line", "500000", "--decompose-by", "subdistrict", "--by", "urban",
                 "--indicators", "fgt0,fgt2"]),
    ("poverty", ["--by", "urban", "--indicators", "poormed,rmpg"]),
])
def test_rank_based_stata_and_spss_stream_as_the_csv(tmp_path, case):
    cmd, extra = case
    args = DESIGN + extra
    for path in stata_and_spss(tmp_path):
        mem = in_memory(cmd, path, *args, expect=0)
        for chunk in STATA_CHUNKS:
            got = streamed(cmd, path, *args, chunk=chunk, expect=0)
            assert_same_figures(mem.stdout, got.stdout)
            assert got.stderr == mem.stderr
        assert "urban: rural" in mem.stdout or "decomposed by urban" in mem.stdout or \
            "subdistrict" in mem.stdout


RANK_FAILURES = [
    ("w_person", "-3"),    # a negative weight
    ("w_person", ""),      # a missing weight
    ("psu", ""),           # a missing PSU
    ("cons_pc", "12x"),    # not a number
    ("cons_pc", "-5"),     # a nonpositive income (watts against a relative line)
    ("cons_pc", "inf"),    # an infinite income (a relative line reads every row)
    ("cons_pc", ""),       # missing values: the notes
]


@pytest.mark.parametrize("col,value", RANK_FAILURES)
@pytest.mark.parametrize("line", LINES)
def test_rank_based_failures_name_the_same_line(tmp_path, col, value, line):
    path = edited(tmp_path, HH, "bad.csv", line, col, value)
    for cmd, extra in (("poverty", ["--relative", "0.6:median", "--indicators",
                                    "fgt0,watts,line"]),
                       ("inequality", ["--indicators", "median,gini,qsr,lorenz:0.5"])):
        args = DESIGN + ["--by", "urban"] + extra
        mem = in_memory(cmd, path, *args)
        got = streamed(cmd, path, *args, "--threads", "2", chunk=100)
        assert got.returncode == mem.returncode
        assert got.stderr == mem.stderr
        if mem.returncode:
            assert got.stdout == mem.stdout
        else:
            assert_same_figures(mem.stdout, got.stdout)


def test_rank_based_failures_in_stata_files(tmp_path):
    d = pd.read_csv(HH)
    d.loc[1700, "w_person"] = -2.0
    dta = tmp_path / "bad.dta"
    d.to_stata(dta, write_index=False, version=118)
    args = DESIGN + ["--indicators", "median,gini"]
    mem = in_memory("inequality", dta, *args)
    got = streamed("inequality", dta, *args, chunk=64)
    assert mem.returncode == got.returncode != 0
    assert got.stderr == mem.stderr and "1701" in got.stderr


def test_rank_based_damaged_files(tmp_path):
    # a CSV record with a cell too many, in a late chunk
    path = tmp_path / "short.csv"
    text = pathlib.Path(HH).read_text().splitlines()
    text[2500] = text[2500] + ",extra"
    path.write_text("\n".join(text) + "\n")
    args = DESIGN + ["--indicators", "median,gini"]
    mem = in_memory("inequality", path, *args, expect=1)
    got = streamed("inequality", path, *args, chunk=64, expect=1)
    assert got.stderr == mem.stderr and ":2501:" in got.stderr
    # a .dta file cut short
    d = pd.read_csv(HH)
    dta = tmp_path / "h.dta"
    d.to_stata(dta, write_index=False, version=118)
    cut = tmp_path / "cut.dta"
    raw = dta.read_bytes()
    cut.write_bytes(raw[: len(raw) * 2 // 3])
    mem = in_memory("inequality", cut, *args)
    got = streamed("inequality", cut, *args, chunk=64)
    assert mem.returncode == got.returncode == 1
    assert got.stderr == mem.stderr
    # a .sav file cut short
    _, sav = stata_and_spss(tmp_path)
    cut = tmp_path / "cut.sav"
    raw = sav.read_bytes()
    cut.write_bytes(raw[: len(raw) * 3 // 4])
    mem = in_memory("inequality", cut, *args)
    got = streamed("inequality", cut, *args, chunk=64)
    assert mem.returncode == got.returncode == 1
    assert got.stderr == mem.stderr


def paused_after_pass1(cmd, path, args, env):
    """socind CMD PATH ARGS started with SOCIND_STREAM_PAUSE=1 and 100-row
    chunks (and env: None to remove a variable), returned once its first
    reading of PATH is done and it waits on stdin before the next
    (p.communicate("\n\n\n") lets it go on)."""
    e = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] = e["SOCIND_CLI_ASAN_OPTIONS"]
    e.update({"SOCIND_STREAM_PAUSE": "1", "SOCIND_CHUNK_ROWS": "100"})
    for k, v in env.items():
        if v is None:
            e.pop(k, None)
        else:
            e[k] = v
    p = subprocess.Popen([CLI, cmd, str(path), *args], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=e)
    while "pass 1 read" not in p.stderr.readline():
        pass
    return p


@pytest.mark.parametrize("change", ["append", "drop", "edit", "replace"])
def test_a_file_that_changes_between_readings_is_refused(tmp_path, change):
    path = tmp_path / "h.csv"
    text = pathlib.Path(HH).read_text()
    path.write_text(text)
    # (SOCIND_STREAM_SPILL=0: the rows not kept on disk, so the file is read
    # again, as where the temporary directory has no room for them)
    p = paused_after_pass1("inequality", path, [*DESIGN, "--indicators", "median"],
                           {"SOCIND_STREAM_SPILL": "0"})
    lines = text.splitlines()
    if change == "append":
        path.write_text(text + lines[-1] + "\n")
    elif change == "drop":
        path.write_text("\n".join(lines[:-1]) + "\n")
    elif change == "replace":  # another file of the same bytes and times put in its place
        other = tmp_path / "other.csv"
        other.write_text(text)
        st = os.stat(path)
        os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(other, path)
    else:  # the same rows, one income changed
        cells = lines[5].split(",")
        i = lines[0].split(",").index("cons_pc")
        cells[i] = str(float(cells[i]) + 1)
        lines[5] = ",".join(cells)
        path.write_text("\n".join(lines) + "\n")
        st = os.stat(path)
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    out, err = p.communicate("\n\n\n")
    assert p.returncode == 1, err
    assert out == ""
    assert "changed while it was read" in err
    if change in ("append", "drop"):
        assert "2802 rows" in err and ("2803" in err or "2801" in err)


@pytest.mark.parametrize("kind", ["csv", "dta", "sav"])
def test_a_file_rewritten_to_its_size_and_time_between_readings_is_refused(tmp_path, kind):
    # one income changed in place, the size the same and the modification
    # time given back (as `cp -p` of a same-size file over it does): the
    # file's state was the same, so the second reading's rows were taken
    # with the first's; the bytes each reading took in differ
    d = pd.read_csv(HH)
    old = float(d.loc[5, "cons_pc"])
    if kind == "csv":
        path = tmp_path / "h.csv"
        path.write_text(pathlib.Path(HH).read_text())
        was, now = f",{int(old)},".encode(), f",{int(old) + 1},".encode()
    else:
        dta, sav = stata_and_spss(tmp_path)
        path = dta if kind == "dta" else sav
        raw = path.read_bytes()
        # (a double in the .sav; in the .dta the type pandas chose for it)
        fmt = next(f for f in ("<d", "<i", "<q") if raw.count(struct.pack(f, int(old))) == 1)
        was, now = struct.pack(fmt, int(old)), struct.pack(fmt, int(old) + 1)
    raw = path.read_bytes()
    assert raw.count(was) == 1 and len(now) == len(was)
    changed_bytes = raw.replace(was, now)
    p = paused_after_pass1("inequality", path, [*DESIGN, "--indicators", "median"],
                           {"SOCIND_STREAM_SPILL": "0"})
    st = os.stat(path)
    with open(path, "r+b") as f:  # in place: the same file, the same size
        f.write(changed_bytes)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    after = os.stat(path)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (st.st_ino, st.st_size,
                                                                st.st_mtime_ns)
    out, err = p.communicate("\n\n\n")
    assert p.returncode == 1, err
    assert out == ""
    assert f"{path} changed while it was read (its size, its modification time, its bytes" in err


def test_a_file_changed_after_its_one_reading_does_not_matter(tmp_path):
    # with the rows kept on disk the file is read once: a change after that
    # reading leaves the figures those of the file as it was read
    path = tmp_path / "h.csv"
    text = pathlib.Path(HH).read_text()
    path.write_text(text)
    args = DESIGN + ["--by", "urban", "--indicators", "median,gini,qsr"]
    want = socind("inequality", path, *args, env={"SOCIND_CHUNK_ROWS": "100"}, expect=0).stdout
    p = paused_after_pass1("inequality", path, args, {"SOCIND_STREAM": "verbose",
                                                      "TMPDIR": str(tmp_path),
                                                      "SOCIND_STREAM_SPILL": None})
    path.write_text("\n".join(text.splitlines()[:-100]) + "\n")
    out, err = p.communicate("\n\n\n")
    assert p.returncode == 0, err
    assert out == want
    assert "readings: 1, passes over its rows kept on disk: 1" in err


def test_a_file_whose_status_alone_changes_between_readings_is_read(tmp_path):
    # a chmod, a new link or an access time set back moves the file's
    # status-change time, not its rows: the later readings go on
    path = tmp_path / "h.csv"
    path.write_text(pathlib.Path(HH).read_text())
    args = DESIGN + ["--indicators", "median,gini"]
    want = socind("inequality", path, *args, env={"SOCIND_CHUNK_ROWS": "100"}, expect=0).stdout
    p = paused_after_pass1("inequality", path, args, {"SOCIND_STREAM_SPILL": "0"})
    st = os.stat(path)
    os.chmod(path, st.st_mode)
    os.link(path, tmp_path / "link.csv")
    os.utime(path, ns=(st.st_atime_ns + 5_000_000_000, st.st_mtime_ns))
    assert os.stat(path).st_ctime_ns != st.st_ctime_ns
    out, err = p.communicate("\n\n\n")
    assert p.returncode == 0, err
    assert out == want


# ---------------------------------------------------------------- nutrition

KIDS = str(REF / "growth" / "inputs.csv")
KIDS_MISSING = str(REF / "growth" / "missing_design_inputs.csv")
KIDS_5TO19 = str(REF / "growth" / "inputs_5to19.csv")
GROWTH = ["--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight", "--lenhei-cm",
          "lenhei", "--measure", "measure", "--oedema", "oedema"]
ALL_GROWTH = GROWTH + ["--headc-cm", "headc", "--armc-cm", "armc", "--triskin-mm", "triskin",
                       "--subskin-mm", "subskin"]
NUT_CASES = [
    (KIDS, GROWTH),
    (KIDS, GROWTH + ["--weight", "sw"]),
    (KIDS, ALL_GROWTH + ["--weight", "sw", "--strata", "strata"]),
    (KIDS, GROWTH + ["--weight", "sw", "--strata", "strata", "--psu", "cluster",
                     "--by", "typeres", "--by", "wealthq", "--by", "mothered"]),
    (KIDS, ALL_GROWTH + ["--weight", "sw", "--psu", "cluster", "--by", "gregion", "--percent",
                         "--level", "0.9"]),
    # rows without cluster, stratum or weight: anthro's exclusions and warnings
    (KIDS_MISSING, ALL_GROWTH + ["--weight", "sw", "--strata", "strata", "--psu", "cluster",
                                 "--by", "gregion"]),
    (KIDS_5TO19, ["--reference", "who2007", "--sex", "sex", "--age-months", "age_months",
                  "--lenhei-cm", "height", "--weight-kg", "weight", "--oedema", "oedema",
                  "--weight", "sw", "--strata", "strata", "--psu", "cluster"]),
    (KIDS_5TO19, ["--reference", "who2007", "--sex", "sex", "--age-months", "age_months",
                  "--lenhei-cm", "height", "--weight-kg", "weight", "--weight", "sw",
                  "--by", "sex"]),
]


@pytest.mark.parametrize("chunk", NUT_CHUNKS)
@pytest.mark.parametrize("case", range(len(NUT_CASES)))
def test_nutrition_streamed_equals_in_memory(case, chunk):
    path, args = NUT_CASES[case]
    mem = in_memory("nutrition", path, *args, expect=0)
    got = streamed("nutrition", path, *args, chunk=chunk, expect=0)
    assert_same_figures(mem.stdout, got.stdout)
    assert got.stderr == mem.stderr


@pytest.mark.parametrize("case", [3, 5])
def test_nutrition_threads_give_the_same_bytes(case):
    path, args = NUT_CASES[case]
    outs = {n: streamed("nutrition", path, *args, "--threads", n, chunk=50, expect=0).stdout
            for n in (1, 2, 3)}
    assert outs[1] == outs[2] == outs[3]


def test_nutrition_stata_and_spss_stream_as_the_csv(tmp_path):
    d = pd.read_csv(KIDS)
    d["typeres"] = d["typeres"].astype("category")
    dta = tmp_path / "k.dta"
    d.to_stata(dta, write_index=False, version=118)
    # the .sav: typeres as 0/1 with make_sav's labels "rural", "urban"
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    s = pd.read_csv(KIDS)[["strata", "cluster", "sw", "typeres", "wealthq", "sex", "age_days",
                           "weight", "lenhei", "measure", "oedema"]]
    s["typeres"] = (s["typeres"] == "Urban").astype(int)
    src = tmp_path / "k.csv"
    s.to_csv(src, index=False, na_rep="")
    sav = tmp_path / "k.sav"
    subprocess.run([make_sav, src, sav, "typeres"], check=True)
    args = GROWTH + ["--weight", "sw", "--strata", "strata", "--psu", "cluster",
                     "--by", "typeres", "--by", "wealthq"]
    for path in (dta, sav):
        mem = in_memory("nutrition", path, *args, expect=0)
        for chunk in (9, 1000):
            got = streamed("nutrition", path, *args, chunk=chunk, expect=0)
            assert_same_figures(mem.stdout, got.stdout)
            assert got.stderr == mem.stderr
        assert "typeres: Urban" in mem.stdout or "typeres: urban" in mem.stdout


def test_nutrition_reads_into_memory_when_it_must(tmp_path):
    base = GROWTH + ["--weight", "sw", "--strata", "strata", "--psu", "cluster"]
    d = pd.read_csv(KIDS)
    bad = d.copy()
    bad.loc[1500, "sex"] = "x"  # a code anthro does not accept
    bad_csv = tmp_path / "bad.csv"
    bad.to_csv(bad_csv, index=False)
    one = d.copy()
    one["cluster"] = 5  # one cluster: every child its own PSU (anthro)
    one_csv = tmp_path / "one.csv"
    one.to_csv(one_csv, index=False)
    months = d[d["age_days"] <= 1800].copy()
    months["age_days"] = (months["age_days"] / 30.4375).round(1)  # months given as days
    months_csv = tmp_path / "months.csv"
    months.to_csv(months_csv, index=False)
    for path, extra in ((KIDS, ["--where", "typeres=Urban"]), (KIDS, ["--subset", "typeres=Urban"]),
                        (bad_csv, []), (bad_csv, ["--invalid-codes", "missing"]), (one_csv, []),
                        (months_csv, [])):
        mem = in_memory("nutrition", path, *base, *extra)
        got = streamed("nutrition", path, *base, *extra, chunk=100, expect_stream=False)
        assert (got.returncode, got.stdout, got.stderr) == (mem.returncode, mem.stdout,
                                                              mem.stderr)
        if path == months_csv:
            assert mem.returncode == 2 and "look like months" in mem.stderr


def test_nutrition_failures_name_the_same_line(tmp_path):
    for col, value in (("sw", "-3"), ("age_days", "abc")):
        path = edited(tmp_path, KIDS, "bad.csv", 1800, col, value)
        args = GROWTH + ["--weight", "sw", "--strata", "strata", "--psu", "cluster"]
        mem = in_memory("nutrition", path, *args)
        got = streamed("nutrition", path, *args, "--threads", "2", chunk=100)
        assert mem.returncode == got.returncode != 0
        assert got.stderr == mem.stderr and "1800" in got.stderr
