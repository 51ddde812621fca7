# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile input at the binding's own boundary: what the Python layer
(the converters, State, calibrate, ReplicateDesign, socind.dask) refuses
before any pointer reaches C, and that it says so naming the argument."""

import decimal
import fractions

import numpy as np
import pandas as pd
import pytest

import socind
from socind import InputError, InputTypeError, State


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(0)
    n = 400
    strata = np.repeat(np.arange(4), 100)
    psu = strata * 10 + rng.integers(0, 5, n)
    y = rng.lognormal(10, 1, n)
    w = rng.uniform(0.5, 3, n)
    return dict(n=n, strata=strata, psu=psu, y=y, w=w, rng=rng)


# ---------------------------------------------------------------- inexact numbers


@pytest.mark.parametrize("v", [2 ** 60 + 1, -(2 ** 60) - 1, 10 ** 400, decimal.Decimal("0.1"),
                               fractions.Fraction(1, 3), decimal.Decimal("1e400")],
                         ids=["2**60+1", "-2**60-1", "10**400", "Decimal 0.1", "1/3", "1e400"])
def test_object_numbers_no_double_holds_are_refused(v):
    x = np.array([1.0, 2.0, v, 3.0], dtype=object)
    with pytest.raises(InputTypeError, match=r"y: row 2 is .*cannot hold exactly") as e:
        socind.total(x)
    assert e.value.row == 2 and e.value.status == socind.SOCIND_ERR_DATA
    with pytest.raises(InputTypeError, match=r"y: row 2 is .*cannot hold exactly"):
        State("mean").add(weight=np.ones(4), y=x)


def test_object_numbers_a_double_holds_are_taken_as_that_double():
    x = np.array([2 ** 60, decimal.Decimal("0.5"), fractions.Fraction(3, 4), np.int64(7),
                  decimal.Decimal("NaN"), None], dtype=object)
    e = socind.total(x)
    assert e.value == 2.0 ** 60 + 0.5 + 0.75 + 7 and e.n == 4


def test_scalar_arguments_no_double_holds_are_refused():
    with pytest.raises(InputTypeError, match=r"line is Decimal\('0.1'\), which a double"):
        socind.fgt([1.0, 2.0, 3.0], decimal.Decimal("0.1"))
    with pytest.raises(InputTypeError, match=r"line is 1152921504606846977, which a double"):
        socind.fgt([1.0, 2.0, 3.0], 2 ** 60 + 1)
    assert socind.fgt([1.0, 2.0, 3.0], decimal.Decimal("2.5")) == socind.fgt([1.0, 2.0, 3.0],
                                                                           2.5)
