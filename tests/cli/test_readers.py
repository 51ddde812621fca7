# SPDX-License-Identifier: GPL-3.0-or-later
"""The command's readers on input whose own bookkeeping is wrong: an SPSS
or Stata (before format 117) header's count of observations that is not
the count its data hold, a standard input read into before the command
started, a record with another number of fields than the header; in memory
and streamed in chunks."""
import io
import os
import pathlib
import struct
import subprocess

import pandas as pd
import pytest
from cli_env import CLI

ROOT = pathlib.Path(__file__).resolve().parents[2]
HH = str(ROOT / "tests" / "reference" / "poverty" / "households.csv")
DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]
POVERTY = ["poverty", *DESIGN, "--line", "500000", "--indicators", "fgt0,fgt1"]
GINI = ["inequality", *DESIGN, "--indicators", "mean,gini,median"]
PATHS = [{"SOCIND_STREAM": "0"}, {"SOCIND_STREAM": "verbose", "SOCIND_CHUNK_ROWS": "7"}]
ROWS = 2802  # the reference households


def socind(cmd, path, env):
    e = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] = e["SOCIND_CLI_ASAN_OPTIONS"]
    e.update(env)
    return subprocess.run([CLI, cmd[0], str(path), *cmd[1:]], capture_output=True, text=True,
                          env=e)


def figures(text):
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""],
                       float_precision="round_trip")


def refused_everywhere(path, message):
    """both commands, in memory and streamed, refuse path saying message"""
    for cmd in (POVERTY, GINI):
        for env in PATHS:
            p = socind(cmd, path, env)
            assert p.returncode == 1, p.stderr
            assert p.stdout == ""
            assert message in p.stderr, p.stderr


def reads_as_the_csv(path):
    """both commands, in memory and streamed, give the CSV's figures"""
    for cmd in (POVERTY, GINI):
        want = figures(socind(cmd, HH, PATHS[0]).stdout)
        for env in PATHS:
            p = socind(cmd, path, env)
            assert p.returncode == 0, p.stderr
            got = figures(p.stdout)
            assert list(got["n"]) == list(want["n"])
            for col in ("estimate", "se", "ci_low", "ci_high", "weight_sum"):
                pd.testing.assert_series_equal(got[col], want[col], rtol=1e-12, atol=0)


def spss(tmp_path, ext, rows):
    """the reference households as .sav/.zsav with `rows` as the header's count"""
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    path = tmp_path / f"h.{ext}"
    subprocess.run([make_sav, HH, path, "urban"], check=True)
    b = bytearray(path.read_bytes())
    assert struct.unpack_from("<i", b, 64)[0] in (2, 3)  # little-endian layout code
    assert struct.unpack_from("<i", b, 80)[0] == ROWS
    struct.pack_into("<i", b, 80, rows)
    path.write_bytes(bytes(b))
    return path


@pytest.mark.parametrize("ext", ["sav", "zsav"])
@pytest.mark.parametrize("rows", [ROWS - 1, 2000, 0, ROWS + 1])
def test_spss_header_count_other_than_the_data_is_refused(tmp_path, ext, rows):
    # ReadStat stops after the header's count: a count below the rows the
    # file holds used to give figures from the first rows only
    path = spss(tmp_path, ext, rows)
    refused_everywhere(path, f"its header says {rows} observations, but its data hold {ROWS}")


@pytest.mark.parametrize("ext", ["sav", "zsav"])
def test_spss_header_count_unknown_reads_every_row(tmp_path, ext):
    # −1: the format's "unknown"; an uncompressed file so written read as
    # empty ("no observations")
    reads_as_the_csv(spss(tmp_path, ext, -1))


def test_standard_input_read_into_before_is_refused(tmp_path):
    # "-" opens /dev/stdin by name, which reads a redirected file from its
    # start: the title line read before the command started was read again
    # as the header
    title = "Susenas 2024, households\n"
    path = tmp_path / "h.csv"
    path.write_text(title + pathlib.Path(HH).read_text())
    e = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] = e["SOCIND_CLI_ASAN_OPTIONS"]
    for env in PATHS:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.lseek(fd, len(title), os.SEEK_SET)
            p = subprocess.run([CLI, POVERTY[0], "-", *POVERTY[1:]], stdin=fd,
                               capture_output=True, text=True, env={**e, **env})
        finally:
            os.close(fd)
        assert p.returncode == 1, p.stderr
        assert p.stdout == ""
        assert (f"/dev/stdin: standard input is a file whose first {len(title)} bytes were "
                "read before socind started") in p.stderr, p.stderr
    # from its start, it is read as before
    with open(path, "rb") as f:
        p = subprocess.run([CLI, GINI[0], "-", *GINI[1:]], stdin=f, capture_output=True,
                           text=True, env=e)
    assert p.returncode == 1 and "no column \"cons_pc\"" in p.stderr, p.stderr


def test_a_record_with_another_number_of_fields_says_so(tmp_path):
    # a stray comma makes one field two: the fields after it hold their
    # neighbours' values. The in-memory path read the cells as they came and
    # named the weight column's shifted value ("x" is not a number); the
    # streamed one, which reads the number cells after the record, named the
    # count
    lines = pathlib.Path(HH).read_text().splitlines()
    head = lines[0].split(",")
    row = lines[20].split(",")
    row[head.index("w_hh")] = "267.16,x"
    lines[20] = ",".join(row)
    path = tmp_path / "h.csv"
    path.write_text("\n".join(lines) + "\n")
    want = f"h.csv:21: {len(head) + 1} fields, but the header has {len(head)}"
    for cmd in (["poverty", *DESIGN, "--line-col", "line_region"], GINI):
        for env in PATHS:
            p = socind(cmd, path, env)
            assert p.returncode == 1, p.stderr
            assert want in p.stderr and "is not a number" not in p.stderr, p.stderr


def stata114(tmp_path, rows, labels):
    """the reference households as a format-114 .dta (pandas' default, Stata
    10-12), `urban` with value labels or not, with `rows` as the header's
    count"""
    d = pd.read_csv(HH)
    if labels:
        d["urban"] = pd.Categorical(d["urban"].map({0: "rural", 1: "urban"}))
    path = tmp_path / "h.dta"
    d.to_stata(path, write_index=False, version=114)
    b = bytearray(path.read_bytes())
    order = "<" if b[1] == 2 else ">"
    assert struct.unpack_from(order + "i", b, 6)[0] == ROWS
    if rows is not None:
        struct.pack_into(order + "i", b, 6, rows)
    path.write_bytes(bytes(b))
    return path


# (a count too high without value labels: ReadStat's read of the last row
# fails, as before)
@pytest.mark.parametrize("rows, labels", [(ROWS - 1, False), (2000, False), (ROWS - 1, True),
                                          (2000, True), (ROWS + 1, True)])
def test_old_stata_header_count_other_than_the_data_is_refused(tmp_path, rows, labels):
    # before format 117 a .dta has no tags: ReadStat read the header's count
    # of rows and took what followed for value labels, so a count too low
    # gave figures from the first rows only, and one too high (with value
    # labels after the data) a row made of the labels' bytes
    refused_everywhere(stata114(tmp_path, rows, labels),
                       f"not a readable Stata file: its header says {rows} observations, but "
                       "what follows them is not the value labels")


@pytest.mark.parametrize("labels", [False, True])
def test_old_stata_file_reads_as_the_csv(tmp_path, labels):
    reads_as_the_csv(stata114(tmp_path, None, labels))
