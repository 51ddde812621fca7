# SPDX-License-Identifier: GPL-3.0-or-later
"""Lists of numbers on the command line, one rule for every option that
takes one (--alpha of change and simulate, --percentiles of gic, --cpi of
report, --cal-bounds, --amounts of simulate): items separated by ","; under
--decimal-comma a value with ";" is split at the ";", and a value with ","
and no ";" is read as one number (one entry) with a decimal comma and as a
list separated by ",", taken when one reading is valid, refused naming both
spellings when both are, and naming the spelling with ";" when neither is.

Every output under --decimal-comma (the files written with decimal commas)
is checked against the output of the same list written with decimal points
on the file with decimal points; every spelling a message names is run."""
import os
import pathlib
import re
import subprocess

import pandas as pd
import pytest
from cli_env import CLI, run

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
HH = ROOT / "tests" / "reference" / "poverty" / "households.csv"
DESIGN = ["--income", "cons_pc", "--weight", "w_person", "--strata", "stratum", "--psu", "psu"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The inputs twice, in folders "point" and "dc" (";" between the
    columns, "," before the decimals), with the same names."""
    root = tmp_path_factory.mktemp("lists")
    for folder, kw in (("point", {}), ("dc", {"sep": ";", "decimal": ","})):
        d = root / folder
        d.mkdir()
        pd.read_csv(HH, float_precision="round_trip").to_csv(
            d / "hh.csv", index=False, float_format="%.17g", **kw)
        for f in ("households", "children"):
            pd.read_csv(SAMPLE / f"{f}.csv", float_precision="round_trip").to_csv(
                d / f"{f}.csv", index=False, float_format="%.17g", **kw)
        # one round, for --cpi of one entry
        h = pd.read_csv(SAMPLE / "households.csv", float_precision="round_trip")
        h[h.year == 2024].to_csv(d / "h2024.csv", index=False, float_format="%.17g", **kw)
        # calibration targets (comma-separated: a targets file is split at
        # the delimiter its header has most of)
        hh = pd.read_csv(HH)
        (d / "terms.csv").write_text("term,total\n(Intercept),%r\nurban:1,%r\n" % (
            round(hh.w_person.sum() * 1.02), round(hh.w_person[hh.urban == 1].sum() * 1.04)))
    return root


def command(option, folder, value=""):
    """The command line around the option's value, on the folder's files"""
    hh = folder / "hh.csv"
    dc = ["--decimal-comma"] if folder.name == "dc" else []
    if option == "change --alpha":
        return ["change", hh, hh, "--base-subset", "urban=1", "--compare-subset", "urban=0",
                "--line", "500000", *DESIGN, *dc, "--alpha"]
    if option == "simulate --alpha":
        return ["simulate", hh, *DESIGN, "--line", "500000", "--amount", "10000", *dc, "--alpha"]
    if option == "gic --percentiles":
        return ["gic", hh, hh, "--base-subset", "urban=1", "--compare-subset", "urban=0",
                *DESIGN, "--line", "500000", *dc, "--percentiles"]
    if option == "report --cpi":
        one = value.count("=") == 1
        return ["report", "--households", folder / ("h2024.csv" if one else "households.csv"),
                "--children",
                folder / "children.csv", "--title", "T", "--lang", "en", *dc, "--cpi"]
    if option == "inequality --cal-bounds":
        return ["inequality", hh, *DESIGN, "--indicators", "mean,gini", "--calibrate",
                folder / "terms.csv", "--cal-method", "logit", *dc, "--cal-bounds"]
    assert option == "simulate --amounts"
    return ["simulate", hh, *DESIGN, "--line", "500000", "--amount-by", "urban", *dc,
            "--amounts"]


def output(files, option, folder, value):
    """stdout of the command, its folder's name taken out of the paths"""
    p = run(*command(option, files / folder, value), value)
    assert p.stdout
    return p.stdout.replace(str(files / folder), "FOLDER")


def refused(files, option, folder, value):
    p = run(*command(option, files / folder, value), value, expect=2)
    assert p.stdout == ""
    return p.stderr


def status(files, option, folder, value):
    """the exit status and stdout (folder's name taken out), whatever they are"""
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] = env["SOCIND_CLI_ASAN_OPTIONS"]
    p = subprocess.run([CLI, *map(str, command(option, files / folder, value)), value],
                       capture_output=True, text=True, env=env)
    assert "AddressSanitizer" not in p.stderr and "runtime error" not in p.stderr
    return p.returncode, p.stdout.replace(str(files / folder), "FOLDER")


def named(message, option):
    """the values a message tells to write: write --OPT "V" [or "V" …],
    or --OPT V for the number"""
    name = option.split()[1]
    tail = message[message.index("write "):]
    got = re.findall(rf'write {name} "([^"]*)"', tail)
    got += re.findall(r'(?<=" or ")([^"]*)(?=")', tail)
    got += re.findall(rf'or {name} ([^" ;]+) for the number', tail)
    return got


# option: (accepted: [(under --decimal-comma, the same with decimal points)],
#          shaped two ways, with "," and no ";": (value, its valid readings
#              with decimal points: one is taken, two are refused naming
#              both spellings),
#          invalid either way: (value, the spellings its message names, with
#              decimal points, a phrase of the message))
CASES = {
    "change --alpha": (
        [("0;1;2", "0,1,2"), ("0,5;1", "0.5,1"), ("0.5,1", "0.5,1"), ("0,1,2", "0,1,2"),
         ("0.5", "0.5"), ("2", "2"), (" 1,5 ; 0 ", "1.5,0")],
        ("1,5", ["1,5", "1.5"]),
        ("2,5,2,5", ["2.5,2,5", "2,5.2,5", "2,5,2.5"], 'which "," separates the items is unsaid')),
    "simulate --alpha": (
        [("0;1;2", "0,1,2"), ("0,5;1", "0.5,1"), ("0.5,1", "0.5,1"), ("0,1,2", "0,1,2")],
        ("1,234", ["1,234", "1.234"]),
        ("0,5,-1", [], '--alpha "0,5,-1" is neither one number with a decimal comma')),
    "gic --percentiles": (
        [("0,1;0,5", "0.1,0.5"), (" 0,1 ; 0.5 ", "0.1,0.5"), ("0.1,0.5", "0.1,0.5"),
         ("0,25", "0.25")],
        ("0,5", ["0.5"]),
        ("0,1,0,5", ["0.1,0.5"], "")),
    "report --cpi": (
        [("2023=118,5;2024=121,4", "2023=118.5,2024=121.4"),
         (" 2024 = 121,4 ; 2023=118,5 ", "2023=118.5,2024=121.4"),
         ("2023=118.5;2024=121,4", "2023=118.5,2024=121.4"),
         ("2023=118.5,2024=121.4", "2023=118.5,2024=121.4")],
        ("2024=121,4", ["2024=121.4"]),
        ("2023=1,05,2024=1,1", ["2023=1.05,2024=1.1"], "")),
    "inequality --cal-bounds": (
        [("0,5;2", "0.5,2"), ("0.5,2", "0.5,2"), ("0,5;1,5", "0.5,1.5")],
        ("0,5", ["0,5"]),
        ("0,5,2", ["0.5,2", "0,5.2"], 'which "," separates the items is unsaid')),
    "simulate --amounts": (
        [("0=200000;1=100000", "0=200000,1=100000"), ("0=1,5;1=2,5", "0=1.5,1=2.5"),
         ("0=1.5,1=2.5", "0=1.5,1=2.5"), ("0=200000,1=100000", "0=200000,1=100000")],
        ("0=1,5", ["0=1.5"]),
        ("0=1,5,1=2,5", ["0=1.5,1=2.5"], "")),
}


@pytest.mark.parametrize("option", CASES)
def test_accepted_spellings_read_as_with_decimal_points(files, option):
    for dc, point in CASES[option][0]:
        assert output(files, option, "dc", dc) == output(files, option, "point", point), dc
        # without --decimal-comma "," separates the items and ";" nothing
        if ";" in dc:
            assert status(files, option, "point", dc)[0] != 0, dc


@pytest.mark.parametrize("option", CASES)
def test_a_value_that_reads_two_ways(files, option):
    value, readings = CASES[option][1]
    if len(readings) == 2:
        # both readings valid: refused, naming both spellings, each of which
        # gives that reading
        message = refused(files, option, "dc", value)
        assert f'{option.split()[1]} "{value}" reads two ways under --decimal-comma' in message
        spellings = named(message, option)
        assert len(spellings) == 2 and ";" in spellings[0] and "," not in spellings[1], message
        for spelled, point in zip(spellings, readings):
            assert (output(files, option, "dc", spelled)
                    == output(files, option, "point", point)), spelled
    else:
        # one valid reading, taken
        assert (output(files, option, "dc", value)
                == output(files, option, "point", readings[0])), value
    # without --decimal-comma the list separated by ",", as the same list
    # separated by ";" under --decimal-comma (taken by both, or by neither)
    assert (status(files, option, "point", value)
            == status(files, option, "dc", value.replace(",", ";"))), value


@pytest.mark.parametrize("option", CASES)
def test_invalid_both_ways_names_the_spelling_with_semicolons(files, option):
    value, points, phrase = CASES[option][2]
    message = refused(files, option, "dc", value)
    name = option.split()[1]
    assert f'{name} "{value}"' in message and phrase in message, message
    assert '(quoted: the shell ends a command at ";")' in message
    if not points:
        # no spelling takes every item: the list with ";", and why
        assert (f'with --decimal-comma the list is separated by ";": {name} '
                f'"{value.replace(",", ";")}"') in message, message
        assert "(-1 is not >= 0)" in message
        return
    spellings = named(message, option)
    assert len(spellings) == len(points), message
    for spelled, point in zip(spellings, points):
        assert ";" in spelled
        assert (output(files, option, "dc", spelled)
                == output(files, option, "point", point)), spelled
    # without --decimal-comma: the list at the ","s, as with ";" under it
    assert (status(files, option, "point", value)
            == status(files, option, "dc", value.replace(",", ";"))), value


@pytest.mark.parametrize("option", CASES)
@pytest.mark.parametrize("folder", ["point", "dc"])
def test_empty_lists_and_items_are_refused(files, option, folder):
    sep = ";" if folder == "dc" else ","
    first = CASES[option][0][0][0 if folder == "dc" else 1]
    cases = [(f"{first}{sep}", f'the list ends with "{sep}"'),
             (f"{sep}{first}", f'the list starts with "{sep}"'),
             (first.replace(sep, sep * 2, 1), f'two "{sep}" with nothing between')]
    if option != "report --cpi":  # (--cpi VALUE: a number, not a list)
        cases.append((" ", "the list is empty"))
    for value, where in cases:
        message = refused(files, option, folder, value)
        assert f'{option.split()[1]} "{value}": ' in message and where in message, message


@pytest.mark.parametrize("option", CASES)
def test_a_value_too_long_names_the_limit(files, option):
    """a list of 8192 characters or more is refused naming its length and
    the limit (it said "--alpha is too long")"""
    name = option.split()[1]
    item = "2024=1" if option == "report --cpi" else "1"
    for folder, sep in (("point", ","), ("dc", ";")):
        value = sep.join([item] * (8200 // len(item)))
        message = refused(files, option, folder, value)
        assert (f"{name} is {len(value)} characters long; a list may have at most 8191"
                in message), message[:300]


def test_a_number_too_long_names_the_limit(files):
    """a number option's value of more than 60 characters: its message
    quoted the whole value into a buffer of 300 bytes and lost the reason
    (a value of 400 digits ended mid-quote), and a 70-digit number was "not a
    number" without saying why"""
    hh = files / "point" / "hh.csv"
    for digits in (70, 400):
        p = run("poverty", hh, *DESIGN, "--line", "1" * digits, expect=2)
        assert (f'--line: "{"1" * 40}..." is not a number: it is {digits} characters long, '
                "and a number may have at most 60\n") in p.stderr, p.stderr
    cpi = ",".join(["1"] * 4100)
    p = run("report", "--households", files / "point" / "h2024.csv", "--children",
            files / "point" / "children.csv", "--title", "T", "--cpi", cpi, expect=2)
    assert f"it is {len(cpi)} characters long, and a number may have at most 60" in p.stderr
