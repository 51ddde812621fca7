# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.set_threads: the estimators on several threads give one thread's
figures (the library splits rows over threads through partial states)."""
import numpy as np
import pytest

import socind


def sample(n=300_000, seed=3):
    rng = np.random.default_rng(seed)
    psu = np.arange(n) // 35
    return (np.exp(rng.normal(13.7, 0.55, n)), rng.uniform(50, 450, n), psu // 15, psu,
            rng.integers(0, 7, n))


@pytest.fixture
def restore():
    yield
    socind.set_threads(1)


def close(a, b):
    assert a.n == b.n
    assert a.value == pytest.approx(b.value, rel=1e-12, abs=1e-15)
    assert a.se == pytest.approx(b.se, rel=1e-12, abs=1e-15)


def test_threads_give_one_threads_figures(restore):
    y, w, h, p, g = sample()
    d = socind.Design(w, strata=h, psu=p)
    calls = [lambda: socind.fgt(y, 700000, design=d, alpha=0),
             lambda: socind.fgt(y, 700000, design=d, alpha=2),
             lambda: socind.mean(y, design=d),
             lambda: socind.ge(y, 2, design=d),
             lambda: socind.atkinson(y, 1, design=d)]
    assert socind.get_threads() == 1
    one = [f() for f in calls]
    for t in (2, 3, 0):
        socind.set_threads(t)
        assert socind.get_threads() == t
        for a, b in zip((f() for f in calls), one):
            close(a, b)
    socind.set_threads(2)
    by1 = socind.fgt(y, 700000, design=d, alpha=0, by=g)
    socind.set_threads(1)
    by2 = socind.fgt(y, 700000, design=d, alpha=0, by=g)
    cols = ["value", "se", "ci_low", "ci_high", "weight_sum"]
    assert np.allclose(by1[cols].to_numpy(float), by2[cols].to_numpy(float), rtol=1e-12,
                       atol=1e-15)
    assert (by1["n"] == by2["n"]).all() and (by1["status"] == by2["status"]).all()


@pytest.mark.parametrize("bad", [-1, 257, 1.5, "2", True, None])
def test_bad_thread_counts_are_refused(bad, restore):
    with pytest.raises(socind.InputError):
        socind.set_threads(bad)
    assert socind.get_threads() == 1
