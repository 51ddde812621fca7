# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared test data for the binding's tests."""
import numpy as np


def small_survey(n=400, seed=0):
    """A small stratified survey: its generator (for more draws), 4 strata of
    n/4 rows, 5 PSU ids a stratum, lognormal incomes and uniform weights."""
    rng = np.random.default_rng(seed)
    strata = np.repeat(np.arange(4), n // 4)
    psu = strata * 10 + rng.integers(0, 5, n)
    return rng, strata, psu, rng.lognormal(10, 1, n), rng.uniform(0.5, 3, n)
