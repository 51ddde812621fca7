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
from conftest import small_survey


@pytest.fixture(scope="module")
def sample():
    rng, strata, psu, y, w = small_survey()
    return dict(n=len(y), strata=strata, psu=psu, y=y, w=w, rng=rng)


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


@pytest.mark.parametrize("dtype,v", [(np.int64, 2 ** 53 + 1), (np.uint64, 2 ** 64 - 1)],
                         ids=["int64 2**53+1", "uint64 2**64-1"])
def test_sparse_integers_no_double_holds_are_refused_as_dense_ones(dtype, v):
    """A pandas Sparse integer column skipped the check its dense twin
    gets (its dtype has no itemsize): 2**53 + 1 was taken as 2**53 and
    2**64 − 1 as 2**64, silently"""
    dense = pd.Series(np.array([v, 0, 0], dtype=dtype))
    sparse = pd.Series(pd.arrays.SparseArray(dense.to_numpy()))
    for x in (dense, sparse):
        with pytest.raises(InputTypeError, match=r"y: row 0 is .*cannot hold exactly") as e:
            socind.total(x)
        assert e.value.row == 0
    ok = pd.Series(pd.arrays.SparseArray(np.array([2 ** 53, 0, 5], dtype=dtype)))
    assert socind.total(ok).value == 2.0 ** 53 + 5


def test_a_list_of_tuples_in_by_is_refused_not_crossed():
    """by=[("a", "b"), ("a", "c")] on two rows was taken as two columns and
    crossed into the groups (a, a) and (b, c); on other row counts its
    message spoke of columns. It reads two ways and is refused; the same
    labels as a Series are one label a row"""
    y = np.array([1.0, 2.0])
    for by in ([("a", "b"), ("a", "c")], (("a", "b"), ("a", "c")), [(1, "x")] * 2):
        with pytest.raises(InputTypeError, match=r"^by is a list of tuples, which reads two "
                           r"ways.*pd\.Series\(labels\)") as e:
            socind.mean(y, by=by)
        assert e.value.status == socind.SOCIND_ERR_ARG
    t = socind.mean(y, by=pd.Series([("a", "b"), ("a", "c")]))
    assert list(t.index)[1:] == [("a", "b"), ("a", "c")]
    assert t["value"].tolist() == [1.5, 1.0, 2.0]
    # lists as columns are crossed as before
    t = socind.mean(y, by=[["a", "a"], ["b", "c"]])
    assert list(t.index)[1:] == [("a", "b"), ("a", "c")]


def test_decimal_nan_is_missing_as_a_code_too():
    """Decimal("NaN") is a missing value where numbers are read; as a sex,
    a measure or a by label it was "not a sex code". Missing there too"""
    D = decimal.Decimal("NaN")
    assert socind.mean(np.array([D, 1.0, 2.0], dtype=object)).n_missing == 1
    z = socind.zscores(np.array([D, 1], dtype=object), age_days=[100.0, 100.0],
                       weight_kg=[5.0, 5.0])
    want = socind.zscores([np.nan, 1], age_days=[100.0, 100.0], weight_kg=[5.0, 5.0])
    assert z.keys() == want.keys()
    for k in z:
        np.testing.assert_array_equal(z[k], want[k])
    t = socind.mean([1.0, 2.0, 3.0], by=np.array(["a", D, "a"], dtype=object))
    assert t.attrs["by_missing"] == 1 and list(t.index) == ["all", "a"]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.longdouble])
def test_whole_float_labels_are_ints_in_every_float_dtype(dtype):
    """by= labels of whole floats become ints (t.loc[1]); a long double's
    stayed floats (1.0) where float64's did not"""
    t = socind.mean([1.0, 2.0, 3.0], by=np.array([1, 2, 1], dtype=dtype))
    assert list(t.index) == ["all", 1, 2]
    assert all(type(v) is int for v in list(t.index)[1:])
    assert t.loc[1, "value"] == 2.0


def test_scalar_arguments_no_double_holds_are_refused():
    with pytest.raises(InputTypeError, match=r"line is Decimal\('0.1'\), which a double"):
        socind.fgt([1.0, 2.0, 3.0], decimal.Decimal("0.1"))
    with pytest.raises(InputTypeError, match=r"line is 1152921504606846977, which a double"):
        socind.fgt([1.0, 2.0, 3.0], 2 ** 60 + 1)
    assert socind.fgt([1.0, 2.0, 3.0], decimal.Decimal("2.5")) == socind.fgt([1.0, 2.0, 3.0],
                                                                           2.5)


# ---------------------------------------------------------------- integer arguments


@pytest.fixture(scope="module")
def design(sample):
    return socind.Design(sample["w"], strata=sample["strata"], psu=sample["psu"])


@pytest.mark.parametrize("kw,exc,text", [
    (dict(replicates=2 ** 32 + 3), InputError, r"replicates must be an integer in -2\*\*31 .. "
     r"2\*\*31 - 1, not 4294967299"),
    (dict(replicates=2 ** 40), InputError, r"replicates must be an integer in .*, not "
     "1099511627776"),
    (dict(replicates=2.7), InputTypeError, r"replicates must be an integer in .*, not float "
     r"\(2.7\)"),
    (dict(replicates="5"), InputTypeError, r"replicates must be an integer .*, not str"),
    (dict(replicates=True), InputTypeError, r"replicates must be an integer .*, not bool"),
    (dict(seed=5 + 2 ** 64), InputError, r"seed must be an integer in 0 .. 2\*\*64 - 1, not "
     "18446744073709551621"),
    (dict(seed=-1), InputError, r"seed must be an integer in 0 .. 2\*\*64 - 1, not -1"),
    (dict(seed=5.0), InputTypeError, r"seed must be an integer .*, not float"),
], ids=["2**32+3", "2**40", "2.7", "'5'", "True", "seed 5+2**64", "seed -1", "seed 5.0"])
def test_replicate_make_integers_are_checked_not_wrapped(design, kw, exc, text):
    with pytest.raises(exc, match=text) as e:
        socind.ReplicateDesign.make(design, "bootstrap", **kw)
    assert e.value.status == socind.SOCIND_ERR_ARG


def test_replicate_make_takes_numpy_integers(design):
    a = socind.ReplicateDesign.make(design, "bootstrap", replicates=np.int16(7), seed=np.uint64(5))
    b = socind.ReplicateDesign.make(design, "bootstrap", replicates=7, seed=5)
    assert a.replicates == 7
    assert np.array_equal(a.replicate_weights(np.int64(3)), b.replicate_weights(3))
    with pytest.raises(InputError, match="replicates is 1; the bootstraps need 2 .. 100000"):
        socind.ReplicateDesign.make(design, "bootstrap", replicates=1)  # the library's range


def test_replicate_columns_take_integers_in_range(design):
    rd = socind.ReplicateDesign.make(design, "jk1")
    for f in (rd.replicate_weights, rd.replicate_factors):
        with pytest.raises(InputTypeError, match=r"r must be an integer in 0 .. 2\*\*64 - 1, "
                           r"not float \(1.7\)"):
            f(1.7)
        with pytest.raises(InputError, match=r"r must be an integer in 0 .. 2\*\*64 - 1, not -1"):
            f(-1)
        with pytest.raises(InputError, match="replicate 20 of 20"):
            f(20)


def test_calibrate_max_iter_is_checked(sample):
    n = sample["n"]
    d = socind.Design(sample["w"])
    u = np.arange(n) % 2
    for v, exc, text in [(2 ** 32 + 1, InputError, r"max_iter must be an integer in -2\*\*31 .. "
                          r"2\*\*31 - 1, not 4294967297"),
                         (2.9, InputTypeError, r"max_iter must be an integer .*, not float"),
                         ("3", InputTypeError, r"max_iter must be an integer .*, not str")]:
        with pytest.raises(exc, match=text):
            socind.calibrate(d, "raking", margins=[(u, {0: 300.0, 1: 500.0})], max_iter=v)
    w1, _ = socind.calibrate(d, "raking", margins=[(u, {0: 300.0, 1: 500.0})],
                             max_iter=np.int32(50))
    assert abs(w1[u == 1].sum() - 500.0) < 1e-6


def test_proportion_interval_n_and_code_labels_are_integers():
    with pytest.raises(InputTypeError, match=r"n must be an integer .*, not float \(2.5\)"):
        socind.proportion_interval(0.3, 0.05, 10, n=2.5, prop_ci="beta")
    with socind.codes.Codes(["b", "a", "b"]) as c:
        with pytest.raises(InputTypeError, match=r"code must be an integer .*, not float"):
            c.label(1.7)
        with pytest.raises(InputTypeError, match=r"codes must be an integer .*, not float"):
            c.decode([0, 1.5])
        assert c.label(np.int64(1)) == "b"
        assert c.decode([1, -1, np.int8(0)]) == ["b", None, "a"]


# ---------------------------------------------------------------- replicate designs' input


@pytest.fixture(scope="module")
def jk1(design):
    rd = socind.ReplicateDesign.make(design, "jk1")
    F = np.column_stack([rd.replicate_factors(r) for r in range(rd.replicates)])
    return rd, F


def test_replicate_design_refuses_text_and_complex_as_the_converters_do(design, jk1):
    rd, F = jk1
    with pytest.raises(InputTypeError, match=r"factors\[:, 0\] holds text \(e.g. '0.0'\) where "
                       "numbers are expected"):
        socind.ReplicateDesign(design, factors=F.astype(str), type="jk1")
    with pytest.raises(InputTypeError, match=r"factors\[:, 0\] is complex \(complex128\)"):
        socind.ReplicateDesign(design, factors=F.astype(complex), type="jk1")
    with pytest.raises(InputTypeError, match=r"weights\['r2'\]: row 7 is text \('x'\)") as e:
        W = pd.DataFrame(F, columns=[f"r{j}" for j in range(20)], dtype=object)
        W.iloc[7, 2] = "x"
        socind.ReplicateDesign(design, weights=W, type="jk1")
    assert e.value.row == 7
    with pytest.raises(InputTypeError, match=r"rscales holds text \(e.g. '1'\)"):
        socind.ReplicateDesign(design, factors=F, rscales=["1"] * 20)
    with pytest.raises(InputTypeError, match=r"scale must be a real number, not str \('2'\)"):
        socind.ReplicateDesign(design, factors=F, scale="2")
    for kw in ("fay_rho", "degf"):
        with pytest.raises(InputTypeError, match=fr"{kw} must be a real number, not str"):
            socind.ReplicateDesign(design, factors=F, **{kw: "0.5"})
    with pytest.raises(InputTypeError, match=r"theta holds text"):
        rd.variance(["1"] * 20, 1.0)
    with pytest.raises(InputTypeError, match=r"theta_hat must be a real number, not str"):
        rd.variance(np.ones(20), "1")


def test_replicate_design_reads_nullable_frames_and_lists_like_arrays(design, jk1):
    rd, F = jk1
    want = socind.mean(np.arange(400.0), socind.ReplicateDesign(design, factors=F, type="jk1"))
    for v in (pd.DataFrame(F), pd.DataFrame(F).astype("Float64"), F.tolist(),
              np.asfortranarray(F)):
        got = socind.mean(np.arange(400.0), socind.ReplicateDesign(design, factors=v,
                                                                   type="jk1"))
        assert got == want
    Fd = pd.DataFrame(F).astype("Float64")
    Fd.iloc[5, 3] = pd.NA  # missing: the library's refusal of a NaN factor, naming the row
    with pytest.raises(socind.DesignError, match=r"^factors\[3\]: row 5 is nan") as e:
        socind.ReplicateDesign(design, factors=Fd, type="jk1")
    assert e.value.row == 5


def test_replicate_design_applies_the_same_index_rule(sample, jk1):
    rd, F = jk1
    d = socind.Design(pd.Series(sample["w"]), strata=sample["strata"], psu=sample["psu"])
    with pytest.raises(InputError, match=r"design \(weight\) and factors are pandas objects "
                       "with different indexes"):
        socind.ReplicateDesign(d, factors=pd.DataFrame(F, index=np.arange(400)[::-1]))
    socind.ReplicateDesign(d, factors=pd.DataFrame(F))  # the same index: taken


# ---------------------------------------------------------------- calibrate's arguments


@pytest.fixture(scope="module")
def margin(sample):
    u = np.random.default_rng(3).integers(0, 2, sample["n"]).astype(float)
    return u


@pytest.mark.parametrize("kind", ["float nan", "Series nan", "Int64 NA", "object None",
                                  "categorical nan"])
@pytest.mark.parametrize("method", ["linear", "poststratify"])
def test_calibrate_refuses_a_missing_margin_value_naming_the_rows(sample, margin, kind, method):
    u = margin.copy()
    u[[3, 17]] = np.nan
    col = {"float nan": u, "Series nan": pd.Series(u),
           "Int64 NA": pd.Series(u).astype("Int64"),
           "object None": np.array([None if v != v else int(v) for v in u], dtype=object),
           "categorical nan": pd.Series(pd.Categorical(u))}[kind]
    d = socind.Design(pd.Series(sample["w"]))
    kw = dict(intercept=1000.0) if method == "linear" else {}
    tot = {1: 500.0} if method == "linear" else {0: 500.0, 1: 500.0}
    with pytest.raises(InputError, match=r"margins\[0\] is missing at rows 3, 17: calibration "
                       "needs a level on every row") as e:
        socind.calibrate(d, method, margins=[(col, tot)], **kw)
    assert e.value.row == 3 and list(e.value.rows) == [3, 17]
    assert e.value.status == socind.SOCIND_ERR_DATA


def test_calibrate_reads_levels_as_labels(sample, margin):
    d = socind.Design(pd.Series(sample["w"]))
    want, _ = socind.calibrate(d, "linear", margins=[(margin, {1: 500.0})], intercept=1000.0)
    for col in (pd.Series(margin).astype("Int64"), pd.Categorical(margin.astype(int)),
                margin.astype(int).tolist(), margin.astype(object)):
        got, _ = socind.calibrate(d, "linear", margins=[(col, {1: 500.0})], intercept=1000.0)
        assert np.array_equal(got, want)
    mixed = margin.astype(object)
    mixed[5] = "1"
    with pytest.raises(InputTypeError, match=r"margins\[0\] mixes kinds of values"):
        socind.calibrate(d, "linear", margins=[(mixed, {1: 500.0})], intercept=1000.0)
    with pytest.raises(InputError, match=r"margins\[0\]: the level nan is a missing value"):
        socind.calibrate(d, "linear", margins=[(margin, {1: 500.0, np.nan: 3.0})],
                         intercept=1000.0)


@pytest.mark.parametrize("kw,exc,text", [
    (dict(margins="uu"), InputTypeError, r"margins must be a list of \(column, \{level: "
     r"population total\}\) pairs, not str"),
    (dict(margins={1: 2}), InputTypeError, "margins must be a list .* not dict"),
    (dict(margins=["col"]), InputTypeError, r"margins\[0\] must be a pair \(column, \{level: "
     r"population total\}\), not ndarray"),
    (dict(margins=[("col", [500.0])]), InputTypeError, r"margins\[0\]: the totals must be a "
     r"dict \{level: population total\}, not list"),
    (dict(margins=[("col", {1: "500"})]), InputTypeError, r"margins\[0\]: the total of level 1 "
     r"must be a real number, not str \('500'\)"),
    (dict(margins=[("col", {1: 500.0})], intercept="1e3"), InputTypeError,
     r"intercept must be a real number, not str"),
    (dict(numeric=[("col", 1.0)]), InputTypeError, r"numeric must be a dict \{name: \(column, "
     r"population total\)\}, not list"),
    (dict(numeric={"x": 5.0}), InputTypeError, r"numeric\['x'\] must be a pair \(column, "
     r"population total\), not float"),
    (dict(numeric={"x": ("col", "1e6")}), InputTypeError, r"numeric\['x'\]: the total must be "
     r"a real number, not str"),
    (dict(numeric={"x": ("text", 1e6)}), InputTypeError, r"numeric\['x'\] holds text"),
    (dict(margins=[("col", {1: 500.0})], intercept=1e3, bounds=0.5), InputTypeError,
     r"bounds must be a pair \(lower, upper\), not 0.5"),
    (dict(margins=[("col", {1: 500.0})], intercept=1e3, bounds=("0.5", 2)), InputTypeError,
     r"bounds\[0\] \(lower\) must be a real number, not str"),
    (dict(margins=[("col", {1: 500.0})], intercept=1e3, epsilon="1e-9"), InputTypeError,
     r"epsilon must be a real number, not str"),
], ids=["margins str", "margins dict", "margins [col]", "totals list", "total text",
        "intercept text", "numeric list", "numeric no pair", "numeric total text",
        "numeric column text", "bounds scalar", "bounds text", "epsilon text"])
def test_calibrate_malformed_arguments_name_the_argument(sample, margin, kw, exc, text):
    d = socind.Design(sample["w"])
    col, txt = margin, np.array(["a"] * sample["n"])

    def put(v):  # "col" / "text" stand for the columns
        if isinstance(v, str) and v in ("col", "text"):
            return col if v == "col" else txt
        if isinstance(v, tuple):
            return tuple(put(x) for x in v)
        if isinstance(v, list):
            return [put(x) for x in v]
        if isinstance(v, dict):
            return {k: put(x) for k, x in v.items()}
        return v
    kw = {k: put(v) for k, v in kw.items()}
    with pytest.raises(exc, match=text) as e:
        socind.calibrate(d, "logit" if "bounds" in kw else "linear", **kw)
    assert e.value.status == socind.SOCIND_ERR_ARG or "holds text" in str(e.value)


def test_calibrate_applies_the_same_index_rule(sample, margin):
    n = sample["n"]
    d = socind.Design(pd.Series(sample["w"]))
    rev = np.arange(n)[::-1]
    with pytest.raises(InputError, match=r"design \(weight\) and margins\[0\] are pandas objects "
                       "with different indexes"):
        socind.calibrate(d, "linear", margins=[(pd.Series(margin, index=rev), {1: 500.0})],
                         intercept=1000.0)
    with pytest.raises(InputError, match=r"design \(weight\) and numeric\['y'\] are pandas "
                       "objects with different indexes"):
        socind.calibrate(d, "linear", numeric={"y": (pd.Series(sample["y"], index=rev), 1e7)},
                         intercept=1000.0)
    a, _ = socind.calibrate(d, "linear", margins=[(pd.Series(margin), {1: 500.0})],
                            intercept=1000.0)
    b, _ = socind.calibrate(d, "linear", margins=[(margin, {1: 500.0})], intercept=1000.0)
    assert np.array_equal(a, b)


def test_prevalence_calibration_takes_calibrates_argument_checks():
    kids = pd.DataFrame({"sex": [1, 2] * 20, "age_days": np.arange(40) * 40 + 100,
                         "weight": 8.0 + np.arange(40) % 5, "height": 70.0 + np.arange(40) % 7,
                         "area": ["Rural", "Urban"] * 20})
    kw = dict(age_days=kids.age_days, weight_kg=kids.weight, lenhei_cm=kids.height)
    with pytest.raises(InputTypeError, match=r"margins\[0\] must be a pair \(column, "):
        socind.prevalence(kids.sex, calibration={"method": "poststratify",
                                                 "margins": [kids.area]}, **kw)
    area = kids.area.copy()
    area[4] = None
    with pytest.raises(InputError, match=r"margins\[0\] is missing at row 4"):
        socind.prevalence(kids.sex, calibration={"method": "poststratify", "margins": [
            (area, {"Rural": 2e6, "Urban": 1e6})]}, **kw)


# ---------------------------------------------------------------- State.add's indexes


def test_state_add_applies_the_same_index_rule(sample):
    n, w, y = sample["n"], sample["w"], sample["y"]
    ws = pd.Series(w, index=np.arange(n)[::-1])
    with pytest.raises(InputError, match=r"weight and y are pandas objects with different "
                       "indexes"):
        State("mean").add(weight=ws, y=pd.Series(y))
    with pytest.raises(InputError, match=r"socind pairs rows by position"):
        socind.mean(pd.Series(y), socind.Design(ws))  # the estimators' rule, the same words
    with pytest.raises(InputError, match=r"weight and psu are pandas objects"):
        State("mean", psu=True).add(weight=ws, y=y, psu=pd.Series(sample["psu"]))
    with pytest.raises(InputError, match=r"y and group are pandas objects"):
        State("mean", n_groups=4).add(weight=w, y=pd.Series(y),
                                      group=pd.Series(sample["strata"]).sort_values(
                                          ascending=False))
    s = State("mean").add(weight=ws, y=pd.Series(y, index=ws.index), first_row=0)
    assert s.finish() == socind.mean(y, socind.Design(w))


# ---------------------------------------------------------------- State.add's row numbers


@pytest.fixture(scope="module")
def rowpsu():
    r = np.random.default_rng(0)
    return r.integers(0, 4, 400), r.lognormal(10, 1, 400), r.uniform(0.5, 3, 400)


def test_state_without_psu_ids_numbers_consecutive_chunks_on(rowpsu):
    st, yv, wv = rowpsu
    want = socind.mean(yv, socind.Design(wv, strata=st))
    s = State("mean", strata=True)
    for a in range(0, 400, 150):  # no first_row: the chunks' rows number on
        s.add(weight=wv[a:a + 150], y=yv[a:a + 150], strata=st[a:a + 150])
    got = s.finish()
    assert got.df == want.df == 396
    assert abs(got.se / want.se - 1) < 1e-12 and abs(got.value / want.value - 1) < 1e-12


def test_state_without_psu_ids_refuses_rows_numbered_twice(rowpsu):
    st, yv, wv = rowpsu
    s = State("mean", strata=True).add(weight=wv[:200], y=yv[:200], strata=st[:200])
    t = State("mean", strata=True).add(weight=wv[200:], y=yv[200:], strata=st[200:])
    before = s.to_bytes()
    with pytest.raises(InputError, match=r"the states both hold rows numbered 0 … 199: without "
                       "PSU ids each row is its own PSU by its number") as e:
        s.merge(t)
    assert e.value.status == socind.SOCIND_ERR_ARG and s.to_bytes() == before
    import pickle
    with pytest.raises(InputError, match="the states both hold rows numbered 0 … 199"):
        pickle.loads(pickle.dumps(s)).merge(pickle.loads(pickle.dumps(t)))
    with pytest.raises(InputError, match=r"first_row=150: the chunk's rows 150 … 169 overlap "
                       r"the rows 150 … 169 this state holds already"):
        s.add(weight=wv[:20], y=yv[:20], strata=st[:20], first_row=150)
    with pytest.raises(InputError, match="first_row is required: this state was read from "
                       "bytes"):
        State.from_bytes(before).add(weight=wv[:20], y=yv[:20], strata=st[:20])
    # numbered distinctly, the merge is the in-memory design
    t = State("mean", strata=True).add(weight=wv[200:], y=yv[200:], strata=st[200:],
                                       first_row=200)
    got = s.merge(t).finish()
    want = socind.mean(yv, socind.Design(wv, strata=st))
    assert got.df == want.df and abs(got.se / want.se - 1) < 1e-12
    u = State.from_bytes(before).add(weight=wv[200:], y=yv[200:], strata=st[200:],
                                     first_row=200)
    assert u.finish().df == 396


@pytest.mark.parametrize("estimator,kw", [
    ("quantile", {"p": 0.5}), ("lorenz", {"p": 0.3}), ("share_ratio", {}), ("poor_median", {}),
    ("fgt", {"line": socind.relative_line(0.6)})])
def test_pickled_or_copied_states_refuse_rows_numbered_twice(rowpsu, estimator, kw):
    """A pickled or copied state keeps its whole spec (p and p2 are not in
    the bytes' header): merging it with a state holding the same row
    numbers is refused as for fresh states, not taken for states of other
    specs (which the library refuses) and let through, the rows of two
    chunks joined into one PSU (the SE silently wrong)."""
    st, yv, wv = rowpsu
    import copy
    import pickle
    for twice in (lambda x: pickle.loads(pickle.dumps(x)), copy.copy, copy.deepcopy):
        s = State(estimator, **kw).add(weight=wv[:200], y=yv[:200])
        t = State(estimator, **kw).add(weight=wv[200:], y=yv[200:])
        u = twice(t)
        assert bytes(u._spec) == bytes(t._spec)
        with pytest.raises(InputError, match="the states both hold rows numbered 0 … 199"):
            s.merge(u)
        with pytest.raises(InputError, match="the states both hold rows numbered 0 … 199"):
            twice(s).merge(t)


def test_next_pass_has_its_own_spec():
    """set_groups on a state of pass 1 does not reach the spec of a state
    made from it for pass 2 (whose library state keeps its domains)."""
    a = State("proportion_likelihood", n_groups=2)
    a.add(weight=[1.0, 2.0, 1.0, 3.0], y=[0.0, 1.0, 1.0, 0.0], group=[0, 1, 0, 1])
    b = a.next_pass()
    b.add(weight=[1.0, 2.0, 1.0, 3.0], y=[0.0, 1.0, 1.0, 0.0], group=[0, 1, 0, 1])
    a.set_groups(3)
    assert a._spec.n_groups == 3 and b._spec.n_groups == 2
    f = b.finish()
    assert len(f) == 2


def test_state_with_psu_ids_numbers_rows_on_for_its_errors():
    s = State("mean", strata=True, psu=True)
    s.add(weight=[1.0, 1.0], y=[1.0, 2.0], strata=[1, 1], psu=[7, 8])
    with pytest.raises(socind.DesignError) as e:  # PSU 7 in a second stratum: row 3 of the data
        s.add(weight=[1.0, 1.0], y=[3.0, 4.0], strata=[2, 2], psu=[9, 7])
    assert e.value.row == 3


# ---------------------------------------------------------------- messages


@pytest.mark.parametrize("estimator,kw,name", [
    ("quantile", {"p": 0}, "p = 0"),
    ("lorenz", {"p": 1.5}, "p = 1.5"),
    ("ge", {"theta": float("nan")}, "theta = nan"),
    ("poor_median", {"fraction": -1}, "fraction = -1"),
    ("fgt", {"line": -5}, "line = -5"),
    ("fgt", {"line": socind.relative_line(0.6, "quantile", quantile=0.5)}, None),
])
def test_state_spec_refusals_name_the_callers_argument(estimator, kw, name):
    if name is None:
        State(estimator, **kw)  # accepted
        return
    with pytest.raises(InputError, match=r"^an argument is outside its valid range: " +
                       name.replace("(", r"\(") + r" \(the library's detail: \"") as e:
        State(estimator, **kw)
    assert e.value.status == socind.SOCIND_ERR_ARG and "spec." in str(e.value)


def test_state_group_missing_codes_are_named_missing_with_minus_1_for_none(sample):
    # NaN, None and pd.NA are one missing code ("row 2 is nan" named pd.NA
    # as NaN and did not say that −1 is a row in no domain)
    w, y = sample["w"][:5], sample["y"][:5]
    s = State("mean", n_groups=2)
    for g in (np.array([0, 1, np.nan, 1, 0]), pd.array([0, 1, None, 1, 0], dtype="Int64"),
              pd.Series([0, 1, None, 1, 0], dtype="Int64"),
              np.array([0, 1, None, 1, 0], dtype=object)):
        with pytest.raises(InputError, match=r"^group: row 2 is missing, not a domain code .*−1, not "
                           r"a missing value, for a row in no domain") as e:
            s.add(weight=w, y=y, group=g, first_row=0)
        assert e.value.row == 2 and e.value.status == socind.SOCIND_ERR_DATA
        assert not isinstance(e.value, TypeError)
    with pytest.raises(InputTypeError, match="group takes integer codes"):
        s.add(weight=w, y=y, group=np.array([0, 1, "a", 1, 0], dtype=object))
    with pytest.raises(InputTypeError, match="group takes integer codes"):
        s.add(weight=w, y=y, group=np.array([0, 1, True, 1, 0], dtype=object))
    s.add(weight=w, y=y, group=np.array([0, 1, 1, 1, 0], dtype=object))


@pytest.mark.parametrize("v", ["no", "yes", 2, None, 0.0])
def test_yes_no_arguments_take_bools_only(sample, v):
    w, st, ps, y = sample["w"], sample["strata"], sample["psu"], sample["y"]
    d = socind.Design(w, strata=st, psu=ps)
    calls = {
        "nest": lambda: socind.Design(w, strata=st, psu=ps, nest=v),
        "mse": lambda: socind.ReplicateDesign.make(d, "jk1", mse=v),
        "inclusive": lambda: socind.fgt(y, 30000.0, design=d, inclusive=v),
        "exclude_nonpositive": lambda: socind.ge(y, design=d, exclude_nonpositive=v),
        "upper": lambda: socind.quantile_income_total(y, 0.2, design=d, upper=v),
    }
    for name, call in calls.items():
        with pytest.raises(InputTypeError, match=f"^{name} must be True or False, not {v!r}$"):
            call()
    for ok in (True, False, np.bool_(True), 0, 1):
        socind.Design(w, strata=st, psu=ps, nest=ok)


# ---------------------------------------------------------------- text labels holding NUL


NUL2 = ["a\0b", "a\0c"]  # pandas' hash tables read both as "a"


@pytest.mark.parametrize("labels", [NUL2, ["x", "x\0y"]], ids=["a0b-a0c", "x-x0y"])
@pytest.mark.parametrize("kind", ["object", "U", "string"])
def test_labels_that_differ_after_a_nul_are_distinct_groups(sample, labels, kind):
    n, y = sample["n"], sample["y"]
    g = np.arange(n) % 2
    vals = [labels[k] for k in g]
    by = {"object": np.array(vals, dtype=object), "U": np.array(vals),
          "string": pd.array(vals, dtype="string")}[kind]
    got = socind.mean(y, by=by)
    want = socind.mean(y, by=g)
    assert list(got.index[1:]) == sorted(labels)
    assert got["value"].tolist()[1:] == want["value"].tolist()[1:]
    d = socind.Design(sample["w"], strata=by, psu=np.arange(n))
    assert d.nstrata == 2


@pytest.mark.parametrize("values, found", [
    (["a", "b"], False), (["a", "b\0"], True), (["a\0b", "a\0c"], True),
    ([None, "a", 3], False), ([None, "x\0y"], True), ([b"a\0b", "a"], False),
    ([1.5, "a\0", None], True), ([], False), (["", ""], False),
])
def test_nul_text_is_found_in_object_labels_whatever_else_they_hold(values, found):
    a = np.empty(len(values), dtype=object)
    a[:] = values
    assert socind._convert._nul_text(a) is found


def test_missing_labels_beside_nul_labels_stay_missing_and_distinct(sample):
    n, y = sample["n"], sample["y"]
    g = np.arange(n) % 3
    by = np.array([[None, "a\0b", "a\0c"][k] for k in g], dtype=object)
    got = socind.mean(y, by=by)
    want = socind.mean(y, by=np.where(g == 0, np.nan, g))
    assert list(got.index[1:]) == ["a\0b", "a\0c"]
    assert got["value"].tolist()[1:] == want["value"].tolist()[1:]


def test_nul_labels_are_distinct_in_every_reader_of_labels(sample):
    n, y, w = sample["n"], sample["y"], sample["w"]
    g = np.arange(n) % 2
    lab = np.array([NUL2[k] for k in g], dtype=object)
    d = socind.Design(w)
    # calibration margins: two levels, each met
    cw, _ = socind.calibrate(d, "poststratify", margins=[(lab, {NUL2[0]: 100.0, NUL2[1]: 50.0})])
    assert cw[g == 0].sum() == pytest.approx(100.0, rel=1e-12)
    assert cw[g == 1].sum() == pytest.approx(50.0, rel=1e-12)
    # amounts by group
    t = socind.transfer_amounts(design=d, amount_by=lab, amounts={NUL2[0]: 1.0, NUL2[1]: 2.0})
    assert t.tolist() == [1.0 + k for k in g]
    # both rounds' domains
    r = socind.growth_incidence(y, y * 1.1, 150.0, d, d, percentiles=[0.5], by1=lab, by2=lab)
    assert sorted(set(r["group"].dropna())) == NUL2
    # growth codes: 'f\0x' is not 'f', among many distinct objects
    sex = np.array(["f"] * 70 + ["f\0x"] + [str(i) for i in range(70)], dtype=object)
    c, _ = socind._convert.codes(sex, None, socind._convert.SEX, None)
    assert c[70] == -9 and (c[:70] == 2).all()


def test_dask_nul_labels_are_distinct(sample):
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    sd = pytest.importorskip("socind.dask")
    n = sample["n"]
    g = np.arange(n) % 2
    df = pd.DataFrame({"y": sample["y"], "w": sample["w"],
                       "g": np.array([NUL2[k] for k in g], dtype=object)})
    with dask.config.set(scheduler="synchronous"):
        got = sd.mean(dd.from_pandas(df, npartitions=3), "y", weight="w", by="g")
    want = socind.mean(df.y, socind.Design(df.w), by=g)
    assert list(got.index[1:]) == NUL2
    assert got["value"].tolist()[1:] == pytest.approx(want["value"].tolist()[1:], rel=1e-12)


def test_dask_kinds_differing_between_partitions_name_no_row(sample):
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    sd = pytest.importorskip("socind.dask")
    df = pd.DataFrame({"y": sample["y"][:40], "w": sample["w"][:40],
                       "s": np.repeat([1, 2], 20)})
    other = df.iloc[20:].assign(s=df.s.iloc[20:].astype(str))
    ddf = dd.from_delayed([dask.delayed(df.iloc[:20]), dask.delayed(other)], meta=df.iloc[:0],
                          verify_meta=False)
    with dask.config.set(scheduler="synchronous"):
        with pytest.raises(InputTypeError, match=r"^s mixes kinds of values \(number 1, "
                           r"text '2'\)") as e:
            sd.mean(ddf, "y", weight="w", strata="s")
    assert e.value.row is None  # (it named row 1 of the list of labels seen)


# ---------------------------------------------------------------- two rounds' labels


def test_rounds_with_different_kinds_of_labels_are_refused(sample):
    y = sample["y"][:40]
    d = socind.Design(sample["w"][:40])
    g = np.arange(40) % 2
    for call in (lambda a, b: socind.growth_incidence(y, y, 150.0, d, d, by1=a, by2=b),
                 lambda a, b: socind.sectoral_decomposition(y, y, 150.0, a, b, 0, d, d)):
        with pytest.raises(InputTypeError, match=r"holds number labels \(e\.g\. 0\) and \w+2 "
                           r"text labels \(e\.g\. '0'\)") as e:
            call(g, g.astype(str))  # 1 and "1": one domain or two?
        assert e.value.row is None
    with pytest.raises(InputError, match=r"by1 must be one-dimensional"):
        socind.growth_incidence(y, y, 150.0, d, d, by1=g.reshape(2, 20), by2=g)


# ---------------------------------------------------------------- arguments read as C fields


def test_difference_checks_its_estimates(sample):
    e = socind.mean(sample["y"])
    with pytest.raises(InputTypeError, match=r"^a must be a socind\.Estimate, not float"):
        socind.difference(1.0, e)
    bad = socind.Estimate("1", 1.0, 0.0, 2.0, 10.0, 5, 5.0)
    with pytest.raises(InputTypeError, match=r"^b\.value must be a real number, not str"):
        socind.difference(e, bad)
    huge = socind.Estimate(1.0, 1.0, 0.0, 2.0, 10.0, 2 ** 70, 5.0)  # n wrapped to 0 in C
    with pytest.raises(InputError, match=r"^a\.n must be an integer in -2\*\*63 \.\. "
                       r"2\*\*63 - 1, not 1180591620717411303424"):
        socind.difference(huge, e)


def test_is_calibrated_takes_a_design():
    with pytest.raises(InputTypeError, match="design must be a socind.Design, not int"):
        socind.is_calibrated(3)


@pytest.mark.parametrize("n,exc,text", [
    (-5, InputError, r"n must be an integer in 0 \.\. 2\*\*63 - 1, not -5"),
    (5.0, InputTypeError, r"n must be an integer in 0 \.\. 2\*\*63 - 1, not float"),
    (2 ** 62, socind.ComputeError, r"out of memory"),
])
def test_transfer_amounts_n_is_checked(n, exc, text):
    with pytest.raises(exc, match=text):
        socind.transfer_amounts(1.0, n=n)


def test_targeting_n_ranks_is_not_wrapped(sample):
    y = sample["y"][:20]
    rec = np.arange(20) % 2
    with pytest.raises(InputError, match=r"n_ranks must be an integer in -2\*\*31 \.\. "
                       r"2\*\*31 - 1, not 4294967299"):  # it said "got 0"
        socind.targeting(y, 150.0, rec, ranking=np.ones(20), n_ranks=2 ** 32 + 3)


# ---------------------------------------------------------------- NaN where C reads "not given"


def test_nan_is_not_read_as_a_default(sample):
    n, y = sample["n"], sample["y"]
    d = socind.Design(sample["w"], strata=sample["strata"], psu=sample["psu"])
    g = np.arange(n) % 2
    # a level whose total is NaN was silently no target
    with pytest.raises(InputError, match=r"^margins\[0\]: the total of level 0 is NaN; give a "
                       "number, or leave the level out of the dict"):
        socind.calibrate(d, margins=[(g, {0: float("nan"), 1: 45.0})])
    with pytest.raises(InputError, match=r"^epsilon must be > 0, not 0"):  # was the default
        socind.calibrate(d, margins=[(g, {0: 40.0, 1: 45.0})], epsilon=0)
    f = np.random.default_rng(5).uniform(0.5, 1.5, (n, 4))
    for kw in ("scale", "fay_rho", "degf"):  # were the type's defaults
        with pytest.raises(InputError, match=rf"^{kw} is NaN; give a number, or leave it out"):
            socind.ReplicateDesign(d, factors=f, **{kw: float("nan")})
    with pytest.raises(InputError, match=r"^amounts\[0\] is NaN; give a number, or leave the "
                       "group out of amounts"):  # was no transfer for group 0
        socind.simulate_transfer(y, 150.0, design=d, amount_by=g, amounts={0: float("nan"),
                                                                           1: 10.0})
    # a relative quantile line's quantile NaN was the median in a State
    with pytest.raises(InputError, match=r"^quantile is NaN"):
        State("poor_median", quantile=float("nan"))
    with pytest.raises(InputError, match=r"^line's quantile is NaN"):
        State("fgt", line=socind.relative_line(0.6, "quantile", quantile=float("nan")))
    with pytest.raises(InputError, match="line.quantile must be in"):  # as in memory
        socind.poor_median(y, 0.6, float("nan"))
