# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.zscores on several threads (the same figures, bit for bit, as on
one), its threads argument, and the grouped code conversion: a column's
codes are those of looking every value up one by one (CodeTable.lookup, the
documented rule), whatever the array kind and however many distinct objects
or values it holds."""

import decimal
import fractions

import numpy as np
import pandas as pd
import pytest

import socind
from socind import _convert as cv


def children(n, seed=1):
    """n children as a user's data frame gives them: sex as integers,
    measure "l"/"h" and oedema "n"/"y" as text, a few values missing."""
    rng = np.random.default_rng(seed)
    age = np.floor(rng.uniform(-20, 1900, n))
    months = np.abs(age) / 30.4375
    weight = 3.3 + 0.25 * months + rng.normal(0, 1.5, n)
    lenhei = 50 + 1.2 * months - 0.004 * months ** 2 + rng.normal(0, 4, n)
    weight[rng.uniform(size=n) < 0.02] = np.nan
    lenhei[rng.uniform(size=n) < 0.02] = -1.0
    measure = np.where(age < 731, "l", "h").astype(object)
    measure[rng.uniform(size=n) < 0.03] = None
    return pd.DataFrame({
        "sex": rng.integers(1, 3, n), "age_days": age, "weight_kg": weight,
        "lenhei_cm": lenhei, "measure": measure,
        "oedema": np.where(rng.uniform(size=n) < 0.02, "y", "n").astype(object)})


def scores(df, **kw):
    return socind.zscores(df.sex, age_days=df.age_days, weight_kg=df.weight_kg,
                          lenhei_cm=df.lenhei_cm, measure=df.measure, oedema=df.oedema, **kw)


def assert_identical(a, b):
    assert a.keys() == b.keys()
    for k in a:
        x, y = np.asarray(a[k]), np.asarray(b[k])
        assert x.dtype == y.dtype, k
        assert x.tobytes() == y.tobytes(), k  # bit for bit, NaN included


@pytest.mark.parametrize("n", [0, 1, 16383, 40001])
def test_threads_give_one_thread_s_figures_bit_for_bit(n):
    df = children(n)
    one = scores(df, threads=1)
    for threads in (0, 2, 3, 8, 256):
        assert_identical(one, scores(df, threads=threads))
    assert_identical(one, scores(df))  # the default: socind.set_threads' count, 1


def test_threads_who2007():
    rng = np.random.default_rng(4)
    n = 30001
    kw = dict(age_months=rng.uniform(50, 240, n), lenhei_cm=rng.uniform(100, 190, n),
              weight_kg=rng.uniform(15, 90, n), oedema=np.where(rng.uniform(size=n) < .1,
                                                                 "y", "n"))
    sex = rng.integers(1, 3, n)
    one = socind.zscores(sex, reference="who2007", threads=1, **kw)
    assert_identical(one, socind.zscores(sex, reference="who2007", threads=2, **kw))
    assert_identical(one, socind.zscores(sex, reference="who2007", **kw))


@pytest.mark.parametrize("threads", [-1, 257, 2 ** 40, True, 1.0, "2", np.float64(2)])
def test_threads_must_be_a_count(threads):
    df = children(3)
    with pytest.raises(socind.InputError, match="threads must be an integer in 0 .. 256"):
        scores(df, threads=threads)


def test_threads_default_follows_set_threads(monkeypatch):
    from socind import _common, growth
    seen = []
    real = growth._init

    def spy(cls, init):
        st = real(cls, init)
        if cls is growth.GrowthInput_t:
            seen.append(st)
        return st
    monkeypatch.setattr(growth, "_init", spy)
    df = children(20000)
    scores(df)
    assert seen[-1].threads == 1  # the library's default
    try:
        socind.set_threads(0)
        assert_identical(scores(df), scores(df, threads=1))
        assert seen[-2].threads == 0 and seen[-1].threads == 1
        scores(df, threads=2)
        assert seen[-1].threads == 2  # the argument wins
    finally:
        socind.set_threads(1)
    assert _common.get_threads() == 1


def test_threads_numpy_integer_is_a_count():
    df = children(20000)
    assert_identical(scores(df, threads=np.int64(2)), scores(df, threads=1))


# ---- the code conversion against the value-by-value rule ----

# values of every kind: codes, near-codes, missing values, bools, complex
VALUES = [1, 2, 1.0, 2.0, "1", "2", "1.0", "1e0", " 1 ", "+2", "01", "m", "f", "M", "F",
          " f ", "l", "h", "L", "H", " l ", "n", "y", "N", "Y", "x", "", "male",
          1.0000000000000002, "1.0000000000000002", "\u0661", "\uff11", b"1", b"l",
          True, False, np.bool_(True), None, np.nan, float("nan"), pd.NA, 1 + 0j, 2 + 0j,
          decimal.Decimal("2.00"), fractions.Fraction(1), np.int64(1), np.int8(2),
          np.float32(1.0), np.float64(2.0), 0, 3, -1, 2 ** 64 + 1]
TABLES = [cv.SEX, cv.MEASURE, cv.OEDEMA]
RECODES = {"sex": {"L": 1, "P": 2, True: "m"}, "measure": {1: "l", 2: "h", "B": "L"},
           "oedema": {0: "n", False: False, True: True, "ya": "y"}}


def expected(values, table, rec):
    return np.array([table.lookup(v, rec) for v in values], dtype=np.int32)


def distinct_copies(values):
    """The same values, each text a distinct object (as an array built row
    by row holds them)."""
    return [("".join(["", v]) + "x")[:-1] if isinstance(v, str) else v for v in values]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
@pytest.mark.parametrize("recode", [False, True])
@pytest.mark.parametrize("distinct", [1, 3, 8, 9, 64, 65, len(VALUES)])
def test_object_codes_equal_the_value_by_value_rule(table, recode, distinct):
    """Few distinct objects (compared one by one), up to 64 (grouped by
    identity), more (grouped by value, with bools and complex numbers kept
    apart from the numbers they hash like)."""
    rng = np.random.default_rng(distinct)
    rec = table.recode_map(RECODES[table.name], table.name + "_codes") if recode else {}
    pool = VALUES[:distinct] if distinct <= len(VALUES) else VALUES
    picks = rng.integers(0, len(pool), 5000)
    vals = [pool[i] for i in picks]
    if distinct > len(VALUES) - 1:
        vals = distinct_copies(vals)  # thousands of distinct objects
    a = np.empty(len(vals), dtype=object)
    a[:] = vals
    got, _ = cv.codes(a, None, table, rec)
    np.testing.assert_array_equal(got, expected(vals, table, rec))
    # a strided view of the same array
    got, _ = cv.codes(a[::3], None, table, rec)
    np.testing.assert_array_equal(got, expected(vals[::3], table, rec))
    # a pandas Series of it
    got, _ = cv.codes(pd.Series(a), None, table, rec)
    np.testing.assert_array_equal(got, expected(vals, table, rec))


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_a_bool_never_shares_a_number_s_code(table):
    """True == 1 and hash(True) == hash(1): grouping by value alone would
    give True the code of 1."""
    for n_distinct in (2, 100):
        vals = [True, 1, False, 2, 1 + 0j] + [f"z{i}" for i in range(n_distinct)]
        vals = vals * 3
        a = np.empty(len(vals), dtype=object)
        a[:] = vals
        got, _ = cv.codes(a, None, table, {})
        np.testing.assert_array_equal(got, expected(vals, table, {}))
        assert got[0] == -9 and got[2] == -9  # bools are never codes


@pytest.mark.parametrize("dtype", ["U", "S"])
def test_fixed_width_text_codes_equal_the_value_by_value_rule(dtype):
    rng = np.random.default_rng(2)
    pool = ["1", "2", "m", "f", "M", " F ", "l", "h", "y", "n", "1.0", "1e0", "x", "",
            "female", "a long text of more than eight bytes", "a long text of more than eight"]
    if dtype == "S":
        pool = [p.encode() for p in pool]
    vals = [pool[i] for i in rng.integers(0, len(pool), 3000)]
    a = np.array(vals, dtype=dtype)
    for table in TABLES:
        got, _ = cv.codes(a, None, table, {})
        np.testing.assert_array_equal(got, expected(a.tolist(), table, {}))
        got, _ = cv.codes(a[1::2], None, table, {})
        np.testing.assert_array_equal(got, expected(a[1::2].tolist(), table, {}))
    assert cv.codes(np.array([], dtype=dtype), None, cv.SEX, {})[0].shape == (0,)
    assert cv.codes(np.array([], dtype=object), None, cv.SEX, {})[0].shape == (0,)


def test_zscores_read_text_codes_of_any_array_kind_alike():
    df = children(20000, seed=3)
    want = scores(df)
    text_sex = np.where(df.sex == 1, "m", "F")
    for sex in (text_sex, text_sex.astype(object), pd.Series(text_sex, dtype="category"),
                pd.Series(distinct_copies(list(text_sex)), dtype=object),
                pd.Series(text_sex, dtype="string")):
        got = socind.zscores(sex, age_days=df.age_days, weight_kg=df.weight_kg,
                             lenhei_cm=df.lenhei_cm, measure=df.measure, oedema=df.oedema)
        assert_identical(want, got)


def test_invalid_codes_in_a_large_column_are_named_by_row():
    df = children(50000, seed=5)
    m = df.measure.copy()
    m[[7, 30001]] = ["lying", "X"]
    with pytest.raises(socind.InputError, match="measure: 2 values are not a measure code") as e:
        socind.zscores(df.sex, age_days=df.age_days, lenhei_cm=df.lenhei_cm, measure=m)
    assert list(e.value.rows) == [7, 30001]
    with pytest.warns(socind.DataWarning, match="2 invalid measure codes"):
        got = socind.zscores(df.sex, age_days=df.age_days, lenhei_cm=df.lenhei_cm, measure=m,
                             invalid="missing")
    assert got["cmeasure"][7] == -1 and got["cmeasure"][30001] == -1


def test_output_columns_one_buffer_or_one_each(monkeypatch):
    """Up to growth._ONE_BUFFER_ROWS rows the columns share one buffer
    (never overlapping); above it each has its own: the same figures."""
    from socind import growth
    df = children(20000, seed=6)
    shared = scores(df, threads=2)
    arrays = [v for v in shared.values() if v.strides != (0,)]  # not the read-only fill
    for i, a in enumerate(arrays):
        assert a.flags.writeable and a.flags.c_contiguous
        for b in arrays[i + 1:]:
            assert not np.shares_memory(a, b)
    monkeypatch.setattr(growth, "_ONE_BUFFER_ROWS", 100)
    own = scores(df, threads=2)
    assert_identical(shared, own)
    assert all(v.base is None for v in own.values() if v.strides != (0,))
    kw = dict(age_months=np.linspace(60, 228, 20000), lenhei_cm=np.full(20000, 140.0),
              weight_kg=np.full(20000, 35.0))
    a = socind.zscores(df.sex, reference="who2007", **kw)
    monkeypatch.setattr(growth, "_ONE_BUFFER_ROWS", 1 << 20)
    assert_identical(a, socind.zscores(df.sex, reference="who2007", **kw))
