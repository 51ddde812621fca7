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
from cli_env import CLI, QUICK

ROOT = pathlib.Path(__file__).resolve().parents[2]
HH = str(ROOT / "tests" / "reference" / "poverty" / "households.csv")
DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]
POVERTY = ["poverty", *DESIGN, "--line", "500000", "--indicators", "fgt0,fgt1"]
GINI = ["inequality", *DESIGN, "--indicators", "mean,gini,median"]
PATHS = [{"SOCIND_STREAM": "0"}, {"SOCIND_STREAM": "verbose", "SOCIND_CHUNK_ROWS": "7"}]
ROWS = 2802  # the reference households


def socind(cmd, path, env, timeout=None):
    e = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] = e["SOCIND_CLI_ASAN_OPTIONS"]
    e.update(env)
    return subprocess.run([CLI, cmd[0], str(path), *cmd[1:]], capture_output=True, text=True,
                          env=e, timeout=timeout)


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


def reads_as(path, csv, cmd):
    """cmd on path gives the figures and group names of cmd on csv, in
    memory and streamed"""
    want = figures(socind(cmd, csv, PATHS[0]).stdout)
    for env in PATHS:
        p = socind(cmd, path, env)
        assert p.returncode == 0, p.stderr
        got = figures(p.stdout)
        assert list(got["group"]) == list(want["group"])
        assert list(got["n"]) == list(want["n"])
        for col in ("estimate", "se", "ci_low", "ci_high", "weight_sum"):
            pd.testing.assert_series_equal(got[col], want[col], rtol=1e-12, atol=0)


def reads_as_the_csv(path):
    """both commands, in memory and streamed, give the CSV's figures"""
    for cmd in (POVERTY, GINI):
        reads_as(path, HH, cmd)


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


@pytest.mark.parametrize("name", ["-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0"])
def test_standard_input_read_into_before_is_refused(tmp_path, name):
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
            p = subprocess.run([CLI, POVERTY[0], name, *POVERTY[1:]], stdin=fd,
                               capture_output=True, text=True, env={**e, **env})
        finally:
            os.close(fd)
        assert p.returncode == 1, p.stderr
        assert p.stdout == ""
        shown = "/dev/stdin" if name == "-" else name
        assert (f"{shown}: standard input is a file whose first {len(title)} bytes were "
                "read before socind started") in p.stderr, p.stderr
    # from its start, it is read as before
    with open(path, "rb") as f:
        p = subprocess.run([CLI, GINI[0], name, *GINI[1:]], stdin=f, capture_output=True,
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
# fails: test_old_stata_count_too_high_without_labels)
@pytest.mark.parametrize("rows, labels", [(ROWS - 1, False), (2000, False), (ROWS - 1, True),
                                          (2000, True), (ROWS + 1, True)])
def test_old_stata_header_count_other_than_the_data_is_refused(tmp_path, rows, labels):
    # before format 117 a .dta has no tags: ReadStat read the header's count
    # of rows and took what followed for value labels, so a count too low
    # gave figures from the first rows only, and one too high (with value
    # labels after the data) a row made of the labels' bytes; the rows the
    # file holds are those after which its value labels end it
    refused_everywhere(stata114(tmp_path, rows, labels),
                       f"not a readable Stata file: its header says {rows} observations, but "
                       f"its data hold {ROWS} (the value labels that end a Stata file follow "
                       "that many rows")


@pytest.mark.parametrize("labels", [False, True])
def test_old_stata_file_reads_as_the_csv(tmp_path, labels):
    reads_as_the_csv(stata114(tmp_path, None, labels))


def label_table(name, pairs, name_bytes, order="<"):
    """a value-label table as formats 108 to 116 lay it out (byte order:
    struct's "<" or ">")"""
    text, offsets = b"", []
    for _, label in pairs:
        offsets.append(len(text))
        text += label.encode() + b"\0"
    body = struct.pack(order + "ii", len(pairs), len(text))
    body += b"".join(struct.pack(order + "i", o) for o in offsets)
    body += b"".join(struct.pack(order + "i", v) for v, _ in pairs) + text
    return (struct.pack(order + "i", len(body)) + name.encode().ljust(name_bytes, b"\0")
            + b"\0" * 3 + body)


def stata108(tmp_path, name_bytes, rows=None):
    """the reference households as a format-108 .dta (Stata 6: 9-byte names),
    `urban` labelled by a table whose name takes `name_bytes` bytes (9 as
    Stata 6 wrote them, 33 as ReadStat takes them)"""
    d = pd.read_csv(HH)
    cols = [("cons_pc", b"d"), ("w_person", b"d"), ("stratum", b"d"), ("psu", b"d"),
            ("urban", b"b")]
    head = bytes([108, 2, 1, 0]) + struct.pack("<hi", len(cols), len(d) if rows is None else rows)
    head += b"hh".ljust(81, b"\0") + b"01 Jan 2000 00:00".ljust(18, b"\0")
    head += b"".join(t for _, t in cols)
    head += b"".join(n.encode().ljust(9, b"\0") for n, _ in cols)
    head += b"\0\0" * (len(cols) + 1)  # the sort list
    head += b"".join((b"%9.0g" if t == b"d" else b"%8.0g").ljust(12, b"\0") for _, t in cols)
    head += b"".join((b"urb" if n == "urban" else b"").ljust(9, b"\0") for n, _ in cols)
    head += b"\0" * 81 * len(cols) + b"\0\0\0"  # variable labels, no expansion fields
    data = b"".join(struct.pack("<ddddb", r.cons_pc, r.w_person, r.stratum, r.psu, r.urban)
                    for r in d.itertuples())
    path = tmp_path / f"h{name_bytes}.dta"
    path.write_bytes(head + data + label_table("urb", [(0, "rural"), (1, "urban")], name_bytes))
    return path


@pytest.mark.parametrize("name_bytes", [9, 33])
def test_stata_6_file_with_value_labels_reads_as_the_csv(tmp_path, name_bytes):
    # format 108 names its label tables in 9 bytes (ReadStat takes 33): the
    # check that the tables end the file reads both, and refuses neither
    reads_as_the_csv(stata108(tmp_path, name_bytes))


def test_stata_6_file_whose_count_is_too_low_is_refused(tmp_path):
    # (here ReadStat's own parse fails first, on the last row's bytes taken
    # for a table's length: it said so, with the likely cause beside it; the
    # rows the file holds are named instead)
    refused_everywhere(stata108(tmp_path, 9, ROWS - 1),
                       f"its header says {ROWS - 1} observations, but its data hold {ROWS}")


def test_old_stata_count_too_high_without_labels(tmp_path):
    # ReadStat's read of a row past the end fails in its own words: the
    # rows the file holds are named instead
    refused_everywhere(stata114(tmp_path, ROWS + 1, False),
                       f"its header says {ROWS + 1} observations, but its data hold {ROWS}")


def test_old_stata_count_that_no_row_count_explains(tmp_path):
    # a file whose tail no count of rows makes value labels (damaged after
    # the data): the header's count is named, with what is wrong after it
    path = stata114(tmp_path, None, True)
    path.write_bytes(path.read_bytes() + b"\x01" * 5)
    refused_everywhere(path, f"its header says {ROWS} observations, but what follows them is "
                             "not the value labels that end a Stata file")


def with_cell(tmp_path, src, line, col, value, name="h.csv"):
    """src with the cell of `col` on `line` (1 = the header) replaced;
    returns the path and the cell's column (1-based)"""
    lines = pathlib.Path(src).read_text().splitlines()
    head = lines[0].split(",")
    cells = lines[line - 1].split(",")
    cells[head.index(col)] = value
    lines[line - 1] = ",".join(cells)
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path, head.index(col) + 1


LINE_COL = ["poverty", *DESIGN, "--line-col", "line_region", "--indicators", "fgt0,fgt1"]
RANK = ["inequality", *DESIGN, "--indicators", "median,gini"]
STREAMED = [*PATHS, {"SOCIND_STREAM": "verbose", "SOCIND_STREAM_ROWS": "1",
                     "SOCIND_CHUNK_ROWS": "100"}]


@pytest.mark.parametrize("value", ["1e-400", "-1e-400", "2e-324", "0.1E-999"])
@pytest.mark.parametrize("col, opt", [("cons_pc", "income"), ("w_person", "weight"),
                                      ("line_region", "line-col")])
def test_a_number_nearer_0_than_a_double_is_refused(tmp_path, value, col, opt):
    # strtod's underflow to 0 went unsaid: a positive weight read as a zero
    # weight, an income or a line as 0; a number beyond the largest double
    # ("1e400") was already refused, and so now is this
    path, at = with_cell(tmp_path, HH, 1500, col, value)
    want = (f'h.csv:1500:{at}: column "{col}" (--{opt}): "{value}" is not a number: it is '
            "nearer 0 than the smallest number that can be held")
    for cmd in (LINE_COL, RANK) if col != "line_region" else (LINE_COL,):
        for env in STREAMED:
            p = socind(cmd, path, env)
            assert p.returncode == 1, p.stderr
            assert p.stdout == ""
            assert want in p.stderr, p.stderr


def test_a_number_beyond_a_double_says_why(tmp_path):
    path, at = with_cell(tmp_path, HH, 1500, "w_person", "1e400")
    for env in STREAMED:
        p = socind(RANK, path, env)
        assert p.returncode == 1, p.stderr
        assert (f'h.csv:1500:{at}: column "w_person" (--weight): "1e400" is not a number: it '
                "is beyond the range of numbers") in p.stderr, p.stderr


@pytest.mark.parametrize("value", ["1e-310", "3e-324", "-0.0e-400", "0e-999"])
def test_a_subnormal_number_or_a_zero_is_read(tmp_path, value):
    # a subnormal double is the double nearest to the text (with fewer
    # significant bits), not a wrong value: read, as is 0 written with an
    # exponent. Against the same file with 1e-300 in the cell: a poor
    # person's income of nearly 0 either way, the same figures
    path, _ = with_cell(tmp_path, HH, 1500, "cons_pc", value)
    ref, _ = with_cell(tmp_path, HH, 1500, "cons_pc", "1e-300", name="ref.csv")
    for env in STREAMED:
        want = socind(LINE_COL, ref, env)
        p = socind(LINE_COL, path, env)
        assert want.returncode == p.returncode == 0, p.stderr
        got, exp = figures(p.stdout), figures(want.stdout)
        pd.testing.assert_series_equal(got["estimate"], exp["estimate"], rtol=1e-12, atol=0)


@pytest.mark.parametrize("col", ["age_days", "weight", "lenhei"])
def test_a_growth_measurement_nearer_0_than_a_double_is_refused(tmp_path, col):
    kids = ROOT / "tests" / "reference" / "growth" / "inputs.csv"
    path, at = with_cell(tmp_path, kids, 5, col, "5e-400")
    opt = {"age_days": "age-days", "weight": "weight-kg", "lenhei": "lenhei-cm"}[col]
    p = socind(["growth", "--sex", "sex", "--age-days", "age_days", "--weight-kg", "weight",
                "--lenhei-cm", "lenhei", "--measure", "measure"], path, {})
    assert p.returncode == 1, p.stderr
    assert (f'h.csv:5:{at}: column "{col}" (--{opt}): "5e-400" is not a number: it is nearer '
            "0") in p.stderr, p.stderr


def test_an_option_nearer_0_than_a_double_is_refused():
    p = socind(["poverty", *DESIGN, "--line", "1e-400", "--indicators", "fgt0"], HH, {})
    assert p.returncode == 2, p.stderr
    assert '--line: "1e-400" is not a number: it is nearer 0 than' in p.stderr, p.stderr


def old_label_table(name, pairs, layout, fmt, order="<"):
    """a value-label table of a format before 108 (byte order: struct's "<"
    or ">"): "stata", Stata's (a count, a 9-byte name, a byte of padding,
    the codes, labels of 8 bytes), or "readstat", ReadStat's (for 104: a
    length, a 12-byte name, 2 bytes of padding, a label of 8 bytes for each
    code from 0; for 105-107 the layout of formats 108-116 with a 33-byte
    name)"""
    if layout == "stata":
        return (struct.pack(order + "H", len(pairs)) + name.encode().ljust(9, b"\0") + b"\0"
                + b"".join(struct.pack(order + "h", v) for v, _ in pairs)
                + b"".join(label.encode().ljust(8, b"\0") for _, label in pairs))
    if fmt >= 105:
        return label_table(name, pairs, 33, order)
    body = bytearray(8 * (max(v for v, _ in pairs) + 1))
    for v, label in pairs:
        body[8 * v:8 * v + len(label)] = label.encode()
    return (struct.pack(order + "h", len(body)) + name.encode().ljust(12, b"\0") + b"\0\0"
            + bytes(body))


URBAN = [(0, "rural"), (1, "urban")]


def stata_pre108(tmp_path, fmt, rows=None, labels=None, order="<", tables=None):
    """the reference households as a .dta of format 104-107 (Stata 4-5) in
    the byte order `order` (struct's "<" or ">"), `rows` as the header's
    count, `urban` labelled by the set "urb" (labels: "stata", "readstat",
    see old_label_table) or not (None); its tables [(name, pairs)], by
    default "urb" with URBAN"""
    d = pd.read_csv(HH)
    cols = [("cons_pc", b"d"), ("w_person", b"d"), ("stratum", b"d"), ("psu", b"d"),
            ("urban", b"b")]
    head = bytes([fmt, 2 if order == "<" else 1, 1, 0])
    head += struct.pack(order + "hi", len(cols), len(d) if rows is None else rows)
    head += b"hh".ljust(32, b"\0")
    if fmt >= 105:
        head += b"01 Jan 2000 00:00".ljust(18, b"\0")
    head += b"".join(t for _, t in cols)
    head += b"".join(n.encode().ljust(9, b"\0") for n, _ in cols)
    head += b"\0\0" * (len(cols) + 1)  # the sort list
    width = 7 if fmt == 104 else 12
    head += b"".join((b"%9.0g" if t == b"d" else b"%8.0g").ljust(width, b"\0") for _, t in cols)
    head += b"".join((b"urb" if n == "urban" and labels else b"").ljust(9, b"\0")
                     for n, _ in cols)
    head += b"\0" * 32 * len(cols)  # variable labels
    if fmt >= 105:
        head += b"\0\0\0"  # no expansion fields
    data = b"".join(struct.pack(order + "ddddb", r.cons_pc, r.w_person, r.stratum, r.psu,
                                r.urban) for r in d.itertuples())
    tail = b"".join(old_label_table(name, pairs, labels, fmt, order)
                    for name, pairs in (tables or [("urb", URBAN)])) if labels else b""
    path = tmp_path / f"h{fmt}.dta"
    path.write_bytes(head + data + tail)
    return path


@pytest.mark.parametrize("fmt", [104, 105, 106, 107])
@pytest.mark.parametrize("labels", [None, "stata", "readstat"])
def test_stata_4_and_5_files_read_as_the_csv(tmp_path, fmt, labels):
    reads_as_the_csv(stata_pre108(tmp_path, fmt, None, labels))


# Under the sanitizers (QUICK) the matrices of the formats before 108 take
# a covering set of cases: every pair of two factors' values once (12 of 36,
# 8 of 16); the -Werror build runs every combination.
PRE108 = [104, 105, 106, 107]
PRE108_LABELS = [None, "stata", "readstat"]
PRE108_COUNTS = [ROWS - 1, 2000, ROWS + 1]
PRE108_COUNT_CASES = ([(f, lab, PRE108_COUNTS[(i + j) % 3]) for i, f in enumerate(PRE108)
                       for j, lab in enumerate(PRE108_LABELS)] if QUICK else
                      [(f, lab, r) for f in PRE108 for lab in PRE108_LABELS
                       for r in PRE108_COUNTS])


@pytest.mark.parametrize("fmt, labels, rows", PRE108_COUNT_CASES)
def test_stata_4_and_5_header_count_other_than_the_data_is_refused(tmp_path, fmt, labels, rows):
    # formats 104-107 were not checked: a count too low gave figures from
    # the first rows only (and with a count too high ReadStat failed in its
    # own words); their value labels, after the data to the end of the file,
    # are in Stata's layout before format 108 or in ReadStat's
    refused_everywhere(stata_pre108(tmp_path, fmt, rows, labels),
                       f"not a readable Stata file: its header says {rows} observations, but "
                       f"its data hold {ROWS} (the value labels")


def test_old_stata_count_too_high_with_a_text_variable(tmp_path):
    # the rows' bytes counted from the variables' widths, a text variable's
    # without the NUL ReadStat makes room for (here ReadStat's own read of a
    # row past the end failed, so the rows are counted that way)
    d = pd.read_csv(HH)
    d["g"] = "ab"
    path = tmp_path / "g.dta"
    d.to_stata(path, write_index=False, version=114)
    b = bytearray(path.read_bytes())
    struct.pack_into("<i" if b[1] == 2 else ">i", b, 6, ROWS + 1)
    path.write_bytes(bytes(b))
    refused_everywhere(path, f"its header says {ROWS + 1} observations, but its data hold {ROWS}")


@pytest.mark.parametrize("fmt", [104, 105, 106, 107])
def test_old_stata_file_with_a_tail_of_zeros_is_refused_at_once(tmp_path, fmt):
    # zeros read as value-label tables of the layouts before format 108 (12
    # or 16 bytes each): the search for the count of rows after which the
    # tables end the file walked them again from each count tried, (tail /
    # 12)^2 / 2 tables — an hour for this megabyte, where it stops now
    path = stata_pre108(tmp_path, fmt)
    path.write_bytes(path.read_bytes() + b"\0" * 1000001)
    for env in PATHS:
        p = socind(POVERTY, path, env, timeout=30)
        assert p.returncode == 1, p.stderr
        assert p.stdout == ""
        assert f"{path.name}: not a readable Stata file" in p.stderr, p.stderr


BY_URBAN = [*POVERTY, "--by", "urban"]


def labelled_csv(tmp_path, labels):
    """the reference households as CSV, `urban` written as the text its
    value labels give ({code: text})"""
    d = pd.read_csv(HH)
    d["urban"] = d["urban"].map(labels)
    path = tmp_path / "labelled.csv"
    d.to_csv(path, index=False)
    return path


PRE108_LABEL_CASES = ([(f, lab, "<>"[(i + j) % 2]) for i, f in enumerate(PRE108)
                       for j, lab in enumerate(("stata", "readstat"))] if QUICK else
                      [(f, lab, o) for f in PRE108 for lab in ("stata", "readstat")
                       for o in "<>"])


@pytest.mark.parametrize("fmt, labels, order", PRE108_LABEL_CASES)
def test_stata_4_and_5_value_labels_name_the_groups(tmp_path, fmt, labels, order):
    # the value labels of formats 104-107 in Stata's layout (before format
    # 108) were not read: --by gave the codes ("urban: 0") and --where
    # urban=urban no row; in ReadStat's layouts they were, and still are
    path = stata_pre108(tmp_path, fmt, labels=labels, order=order)
    csv = labelled_csv(tmp_path, dict(URBAN))
    reads_as(path, csv, BY_URBAN)
    reads_as(path, csv, [*POVERTY, "--where", "urban=urban"])
    # a code written for a labelled value is refused naming the label, as
    # for a file of a later format
    p = socind([*POVERTY, "--where", "urban=1"], path, {})
    assert p.returncode == 1 and p.stdout == "", p.stderr
    assert 'the file\'s value 1 reads as "urban" (its value label); write --where urban=urban' \
        in p.stderr, p.stderr


@pytest.mark.parametrize("fmt", [104, 107])
@pytest.mark.parametrize("order", ["<", ">"])
def test_stata_4_and_5_tables_in_stata_layout_read_whole(tmp_path, fmt, order):
    # several tables, the variable's after another; more codes than the
    # data hold, negative ones, a label that fills its 8 bytes: ReadStat
    # took a format-104 table of 8 codes or more for labels made of its
    # codes' bytes, and a format-105 table this long failed the whole read
    # ("Unable to allocate memory")
    other = [(v, f"other{v}") for v in range(-3, 9)]
    urb = [(-1, "refused"), (1, "town8chr"), (0, "village"), *[(v, f"x{v}") for v in range(2, 9)]]
    path = stata_pre108(tmp_path, fmt, labels="stata", order=order,
                        tables=[("oth", other), ("urb", urb)])
    reads_as(path, labelled_csv(tmp_path, {0: "village", 1: "town8chr"}), BY_URBAN)


@pytest.mark.parametrize("fmt", [104, 105])
@pytest.mark.parametrize("cut", ["short", "name"])
def test_stata_4_and_5_damaged_label_table_is_refused(tmp_path, fmt, cut):
    # a table cut short, or whose name runs past its 9 bytes, ends the file
    # in no layout: refused, never read as no labels
    path = stata_pre108(tmp_path, fmt, labels="stata")
    b = bytearray(path.read_bytes())
    if cut == "short":
        del b[-3:]
    else:
        b[-(12 + 10 * len(URBAN)) + 2 + 8] = ord("x")  # the name's last byte, its NUL
    path.write_bytes(bytes(b))
    for cmd in (BY_URBAN, POVERTY):
        for env in PATHS:
            p = socind(cmd, path, env)
            assert p.returncode == 1 and p.stdout == "", p.stderr
            assert (f"{path.name}: not a readable Stata file: its header says {ROWS} "
                    "observations, but what follows them is not the value labels that end a "
                    "Stata file") in p.stderr, p.stderr


@pytest.mark.parametrize("fmt", [104, 105])
def test_stata_4_and_5_labels_are_windows_1252(tmp_path, fmt):
    # text of formats before 118 is Windows-1252 (as ReadStat takes it for
    # the later formats' labels): a label's byte 0xE9 is "é"
    path = stata_pre108(tmp_path, fmt, labels="stata",
                        tables=[("urb", [(0, "rural"), (1, "cafe xx")])])
    path.write_bytes(path.read_bytes().replace(b"cafe xx\0", b"caf\xe9 xx\0"))
    reads_as(path, labelled_csv(tmp_path, {0: "rural", 1: "caf\u00e9 xx"}), BY_URBAN)


def test_stata_5_table_whose_label_starts_past_its_text_is_refused(tmp_path):
    # ReadStat's layout for formats 105-107: each label's offset into the
    # table's text; one past the text is named
    path = stata_pre108(tmp_path, 105, labels="readstat")
    b = bytearray(path.read_bytes())
    text = len(b"rural\0urban\0")
    at = len(b) - text - 2 * 4 - 4  # the second label's offset
    assert struct.unpack_from("<i", b, at)[0] == 6
    struct.pack_into("<i", b, at, 40)
    path.write_bytes(bytes(b))
    for env in PATHS:
        p = socind(BY_URBAN, path, env)
        assert p.returncode == 1 and p.stdout == "", p.stderr
        assert (f'{path.name}: not a readable Stata file: its value-label table "urb" is '
                f"damaged: label 2 of 2 starts at byte 40 of a text of {text} bytes") \
            in p.stderr, p.stderr


def test_a_binary_file_named_as_the_other_format(tmp_path):
    """An SPSS file named .dta and a Stata file named .sav are read as what
    their first bytes say (as either is when named .csv), in memory and
    streamed; a CSV file named .dta or .sav is refused saying it looks like
    text, and random bytes so named without that guess."""
    make_sav = os.environ.get("SOCIND_MAKE_SAV", str(ROOT / "build" / "tests" / "make_sav"))
    for made, named in (("sav", "dta"), ("zsav", "dta"), ("dta", "sav"), ("dta", "zsav")):
        real = tmp_path / f"h.{made}"
        subprocess.run([make_sav, HH, real, "urban"], check=True)
        wrong = tmp_path / f"{made}_named.{named}"
        wrong.write_bytes(real.read_bytes())
        reads_as_the_csv(wrong)
    for named, kind in (("dta", "Stata"), ("sav", "SPSS")):
        wrong = tmp_path / f"csv_named.{named}"
        wrong.write_bytes(pathlib.Path(HH).read_bytes())
        refused_everywhere(wrong, f"its first bytes are no {kind} file's: it looks like text")
        noise = tmp_path / f"noise.{named}"
        noise.write_bytes(bytes([0, 1, 2, 3, 200, 17, 0, 9] * 40))
        refused_everywhere(noise, f"its first bytes are no {kind} file's)")


def stdin_figures(path, cmd):
    """cmd's output with "-" as the input and path redirected to standard input"""
    e = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in e:
        e["ASAN_OPTIONS"] = e["SOCIND_CLI_ASAN_OPTIONS"]
    with open(path, "rb") as f:
        p = subprocess.run([CLI, cmd[0], "-", *cmd[1:]], stdin=f, capture_output=True,
                           text=True, env=e)
    assert p.returncode == 0, (path, p.stderr)
    return figures(p.stdout)


def test_every_stata_format_and_spss_read_from_redirected_standard_input(tmp_path):
    """`socind help` says which binary files "-" reads: every Stata format
    (104-107 in Stata's layout, 114 before the tags, 117-119 tagged) and
    SPSS, redirected from a file, give the CSV's figures"""
    d = pd.read_csv(HH)[["cons_pc", "w_person", "stratum", "psu", "urban"]]
    paths = [stata_pre108(tmp_path, fmt) for fmt in (104, 105, 106, 107)]
    for version in (114, 117, 118, 119):
        paths.append(tmp_path / f"v{version}.dta")
        d.to_stata(paths[-1], write_index=False, version=version)
    paths += [spss(tmp_path, "sav", ROWS), spss(tmp_path, "zsav", ROWS)]
    for cmd in (POVERTY, GINI):
        want = figures(socind(cmd, HH, PATHS[0]).stdout)
        for path in paths:
            got = stdin_figures(path, cmd)
            assert list(got["n"]) == list(want["n"]), path
            for col in ("estimate", "se", "weight_sum"):
                pd.testing.assert_series_equal(got[col], want[col], rtol=1e-12, atol=0)
    # and the help says so, without naming a format that standard input
    # would not read
    text = subprocess.run([CLI, "help"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    assert "117+" not in text
    assert ('"-" reads standard input (CSV, or any of these Stata and SPSS files when '
            'redirected from a file, "- < FILE"' in text), text


def test_stata_119_long_string_is_refused_not_read_as_missing(tmp_path):
    """A strL column of a Stata format-119 file: the system's ReadStat reads
    its references with format 118's widths and every value came out
    missing (a --by column's rows all "without a value", --subset finding
    no row). The command refuses it naming the variable and what to do; the
    same column as str#, and a strL in format 118, read as the CSV's"""
    d = pd.read_csv(HH)[["cons_pc", "w_person", "stratum", "psu", "urban"]]
    d["urb"] = d["urban"].map({0: "rural", 1: "urban"})
    by = [*POVERTY, "--by", "urb"]
    strl = tmp_path / "strl119.dta"
    d.to_stata(strl, write_index=False, version=119, convert_strl=["urb"])
    for env in PATHS:
        p = socind(by, strl, env)
        assert p.returncode == 1, p.stderr
        assert p.stdout == ""
        assert ('variable "urb" (--by) is a long string (strL) in a Stata format-119 file'
                in p.stderr), p.stderr
        assert "recast str2045 urb" in p.stderr
    # a strL the command does not read is no matter
    assert socind(POVERTY, strl, PATHS[0]).returncode == 0
    plain, strl118 = tmp_path / "plain119.dta", tmp_path / "strl118.dta"
    d.to_stata(plain, write_index=False, version=119)
    d.to_stata(strl118, write_index=False, version=118, convert_strl=["urb"])
    want = figures(socind(by, plain, PATHS[0]).stdout)
    assert list(want["group"].unique()) == ["all", "urb: rural", "urb: urban"]
    for path in (plain, strl118):
        got = figures(socind(by, path, PATHS[0]).stdout)
        assert list(got["group"]) == list(want["group"])
        pd.testing.assert_series_equal(got["estimate"], want["estimate"], rtol=0, atol=0)


def test_excel_delimiter_hint_line(tmp_path):
    """A first line "sep=;" (Excel writes and reads it before the header)
    sets the delimiter and is not the header: before, the header was "sep="
    and every column was missing from it. Lines keep their numbers in
    messages (the header is line 2); --delimiter, given, reads the file; a
    delimiter the command does not read is refused naming the line"""
    text = pathlib.Path(HH).read_text()
    semi = text.replace(",", ";")
    for hint, body in (("sep=;", semi), ("SEP=,", text), ("sep=\t", text.replace(",", "\t"))):
        path = tmp_path / "hint.csv"
        path.write_text(f"{hint}\r\n{body}")
        reads_as_the_csv(path)
    # --delimiter, given, reads the file: the hint line is passed over
    path = tmp_path / "hint.csv"
    path.write_text("sep=,\n" + semi)
    for env in PATHS:
        p = socind([*POVERTY, "--delimiter", "semicolon"], path, env)
        assert p.returncode == 0, p.stderr
        assert figures(p.stdout).equals(figures(socind(POVERTY, HH, PATHS[0]).stdout))
    # a hint the command cannot read: refused, unless --delimiter reads it
    path.write_text("sep=|\n" + semi)
    p = socind(POVERTY, path, PATHS[0])
    assert p.returncode == 1
    assert (f'{path}:1: the first line, "sep=|", is Excel\'s hint of the delimiter, one the '
            "command does not read") in p.stderr, p.stderr
    assert "give --delimiter comma, semicolon or tab to read the file so" in p.stderr
    p = socind([*POVERTY, "--delimiter", "semicolon"], path, PATHS[0])
    assert p.returncode == 0, p.stderr
    # a bad cell is named at its physical line: the hint is line 1
    lines = ("sep=;\n" + semi).splitlines()
    cells = lines[5].split(";")
    col = pathlib.Path(HH).read_text().splitlines()[0].split(",").index("cons_pc")
    cells[col] = "12x"
    lines[5] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n")
    for env in PATHS:
        p = socind(POVERTY, path, env)
        assert p.returncode == 1
        assert f'{path}:6:{col + 1}: column "cons_pc" (--income): "12x" is not a number' in \
            p.stderr, p.stderr


def test_dos_end_of_file_mark_line_is_no_record(tmp_path):
    """A last line holding DOS's end-of-file mark alone (Ctrl-Z, 0x1A, which
    old programs append) was a record of 1 field ("2803: 1 fields, but the
    header has ..."); it is no record, in memory and streamed. Inside a
    quoted field it stays text"""
    data = pathlib.Path(HH).read_bytes()
    for tail in (b"\x1a", b"\x1a\n", b"\x1a\r\n"):
        path = tmp_path / "z.csv"
        path.write_bytes(data + tail)
        reads_as_the_csv(path)
    path = tmp_path / "q.csv"
    path.write_bytes(b'y,w,lab\n1,1,"a\n\x1a\nb"\n2,1,c\n')
    p = socind(["inequality", "--income", "y", "--weight", "w", "--indicators", "mean", "--by",
                "lab"], path, PATHS[0])
    assert p.returncode == 0, p.stderr
    assert '"lab: a\n\x1a\nb"' in p.stdout, p.stdout
