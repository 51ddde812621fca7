# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.richness and socind.gender_pay_gap against a few rows of the
wave-2 reference (tests/reference/wave2/expected.csv, section B), at the C
tests' tolerance, and their refusals."""
import os
import warnings

import numpy as np
import pandas as pd
import pytest

import socind

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference", "wave2")


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(os.path.join(REF, "expected.csv"), dtype={"subgroup": str},
                       float_precision="round_trip")


def row(expected, indicator, statistic, parameters_contain, subgroup="all"):
    e = expected[(expected["indicator"] == indicator) & (expected["statistic"] == statistic) &
                 expected["parameters"].str.contains(parameters_contain, regex=False) &
                 (expected["subgroup"] == subgroup)]
    assert len(e) == 1
    return e.iloc[0]


def close(got, want, rel=1e-8, floor=1e-12):
    return abs(got - want) <= max(rel * abs(want), floor)


def test_richness_reference_rows(expected):
    hh = pd.read_csv(os.path.join(REF, "households.csv"))
    d = socind.Design(weight=hh["w_person"], strata=hh["stratum"], psu=hh["psu"])
    cases = [("Cha", 1, socind.relative_line(1.5), "Cha-1", "type_thresh=relq"),
             ("FGTT1", 0.5, socind.relative_line(1.5, of="mean"), "FGTT1-0.5", "type_thresh=relm"),
             ("FGTT2", 2, 1560000, "FGTT2-2", "type_thresh=abs"),
             ("FGTT1", 0, socind.relative_line(1.5), "FGTT1-0", "type_thresh=relq")]
    for typ, g, thr, stat, par in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            e = socind.richness(hh["cons_pc"], thr, type=typ, g=g, design=d, ci="normal")
        want = row(expected, "rich", stat, par)
        assert close(e.value, want["estimate"]) and close(e.se, want["se"]), (stat, par)
        assert close(e.ci_low, want["ci_low"]) and close(e.ci_high, want["ci_high"])
    # by urban: convey's full-design domains
    res = socind.richness(hh["cons_pc"], socind.relative_line(1.5), "Cha", 1, design=d,
                          by=hh["urban"], ci="normal")
    for u in (0, 1):
        want = row(expected, "rich", "Cha-1", "type_thresh=relq", f"urban={u}")
        got = res.loc[u]
        assert close(got["value"], want["estimate"]) and close(got["se"], want["se"]), u


def test_gender_pay_gap_reference_rows(expected):
    p = pd.read_csv(os.path.join(REF, "persons.csv"))
    d = socind.Design(weight=p["w_person"], strata=p["stratum"], psu=p["psu"])
    earn = p["earnings"].where(p["earnings"] > 0)  # earners; the others stay in the design
    e = socind.gender_pay_gap(earn, p["sex"], design=d, ci="normal")
    want = row(expected, "gpg", "gpg", "earners", "earnings>0")
    assert close(e.value, want["estimate"]) and close(e.se, want["se"])
    # the same with letters
    e2 = socind.gender_pay_gap(earn, p["sex"].map({1: "m", 2: "f"}), design=d, ci="normal")
    assert e2.value == e.value and e2.se == e.se


def test_refusals():
    y = np.array([10.0, 20, 30, 40, 50, 60])
    with pytest.raises(socind.InputError):
        socind.richness(y, 30, type="cha")
    with pytest.raises(socind.InputError):
        socind.richness(y, 30, type="FGTT1", g=2)
    with pytest.raises(socind.InputError):
        socind.richness(y, 30, type="FGTT2", g=1)
    with pytest.raises(socind.InputError):
        socind.richness(y, y, type="Cha")
    with pytest.raises(socind.InputError) as ex:
        socind.gender_pay_gap(y, [1, 2, 3, 1, 2, 1])
    assert ex.value.row == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        e = socind.gender_pay_gap(y, [1, 2, 3, 1, 2, 1], invalid="missing")
    # men 10, 40, 60 (mean 110/3); women 20, 50 (mean 35)
    assert abs(e.value - (1 - 35 / (110 / 3))) < 1e-14
    assert socind.richness(y, 100, type="Cha", g=1).value == 0
