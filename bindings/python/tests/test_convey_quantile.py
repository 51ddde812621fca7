# SPDX-License-Identifier: GPL-3.0-or-later
"""convey's quantile-based measures through the binding (quantile_linearized,
quantile_income_total, median_income_ratio, poor_median, relative_median_gap)
against rows of the wave-2 reference (tests/reference/wave2), as the C tests."""
import os

import numpy as np
import pandas as pd
import pytest

import socind

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference", "wave2")


@pytest.fixture(scope="module")
def hh():
    return pd.read_csv(os.path.join(REF, "households.csv"))


@pytest.fixture(scope="module")
def persons():
    return pd.read_csv(os.path.join(REF, "persons.csv"))


@pytest.fixture(scope="module")
def expected():
    return pd.read_csv(os.path.join(REF, "expected.csv"))


def row(expected, **kw):
    m = expected
    for k, v in kw.items():
        m = m[m[k] == v]
    assert len(m) == 1, kw
    return m.iloc[0]


def close(a, b, rel=1e-8):
    assert abs(a - b) <= rel * abs(b), (a, b)


def test_reference_rows(hh, persons, expected):
    d = socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu)
    e = socind.quantile_linearized(hh.cons_pc, 0.25, d, ci="normal")
    r = row(expected, indicator="iqalpha", parameters="alpha=0.25", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se), close(e.ci_low, r.ci_low)
    e = socind.quantile_income_total(hh.cons_pc, 0.9, upper=True, design=d)
    r = row(expected, indicator="isq", statistic="isq_upper", parameters="alpha=0.9;upper=TRUE")
    close(e.value, r.estimate), close(e.se, r.se)
    by = socind.quantile_income_total(hh.cons_pc, 0.2, design=d, by=hh.urban)
    for u in (0, 1):
        r = row(expected, indicator="isq", statistic="isq", parameters="alpha=0.2;upper=FALSE",
                subgroup=f"urban={u}")
        close(by.loc[u, "value"], r.estimate), close(by.loc[u, "se"], r.se)
    e = socind.poor_median(hh.cons_pc, design=d)
    r = row(expected, indicator="poormed", subgroup="all")
    close(e.value, r.estimate), close(e.se, r.se)
    by = socind.relative_median_gap(hh.cons_pc, design=d, by=hh.urban)
    for u in (0, 1):
        r = row(expected, indicator="rmpg", subgroup=f"urban={u}")
        close(by.loc[u, "value"], r.estimate), close(by.loc[u, "se"], r.se)
    pd_ = socind.Design(persons.w_person, strata=persons.stratum, psu=persons.psu)
    m = socind.median_income_ratio(persons.cons_pc, persons.age, design=pd_)
    assert set(m) == {"rmir", "med_old", "med_young"}
    r = row(expected, indicator="rmir", statistic="rmir", subgroup="all")
    close(m["rmir"].value, r.estimate), close(m["rmir"].se, r.se)
    close(m["med_old"].value, row(expected, indicator="rmir", statistic="med_old").estimate)
    close(m["med_young"].value, row(expected, indicator="rmir", statistic="med_young").estimate)


def test_arguments():
    y = np.array([10.0, 20, 30, 40, 50, 60])
    with pytest.raises(socind.InputError):
        socind.quantile_linearized(y, 1.0)
    with pytest.raises(socind.InputError):
        socind.poor_median(y, fraction=0)
    with pytest.raises(socind.InputError):
        socind.median_income_ratio(y, [70, 30, 80], 65)  # age of another length
    r = socind.median_income_ratio(y, [70, 30, 80, 20, 66, 10], age_limit=65)
    assert r["med_old"].value == 30 and r["med_young"].value == 40
    assert r["rmir"].value == pytest.approx(30 / 40)
