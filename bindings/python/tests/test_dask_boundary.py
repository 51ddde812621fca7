# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.dask at its boundary, on the synchronous scheduler: the ids' and
groups' coding does not depend on the partitioning (labels in some
partitions, integers in others; categorical groups in their categories'
order), and bad partitions raise the binding's exceptions naming the
partition."""

import os
import warnings

import numpy as np
import pandas as pd
import pytest

import dask
import dask.dataframe as dd

import socind
import socind.dask as sd
from socind import InputError, InputTypeError
from conftest import small_survey
from test_socind import MONTHS_REFUSAL as MONTHS, _children_in_months

REF = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "reference")
REL = 1e-12


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="synchronous"):
        yield


def _close(a, b):
    return a == b or abs(a - b) <= REL * abs(b) or (a != a and b != b)


def _same(got, want):
    if isinstance(want, socind.Estimate):
        assert (got.n, got.status, got.df) == (want.n, want.status, want.df), (got, want)
        for f in ("value", "se", "ci_low", "ci_high", "weight_sum"):
            assert _close(getattr(got, f), getattr(want, f)), (f, got, want)
        return
    assert list(got.index) == list(want.index), (got.index, want.index)
    assert list(got.columns) == list(want.columns)
    for c in want.columns:
        for u, v in zip(got[c].tolist(), want[c].tolist()):
            assert (u == v) if not isinstance(v, float) else _close(u, v), (c, u, v)


@pytest.fixture(scope="module")
def sample():
    rng, strata, psu, y, w = small_survey()
    return pd.DataFrame({"y": y, "w": w, "psu": psu.astype(float), "h": strata.astype(float),
                         "poor": (rng.uniform(size=len(y)) < 0.3).astype(float)})


# ---------------------------------------------------------------- ids' coding


@pytest.mark.parametrize("col", ["psu", "h"])
@pytest.mark.parametrize("nparts", [2, 3, 7])
def test_ids_labels_in_some_partitions_only(sample, col, nparts):
    df = sample.copy()
    df.loc[390:, col] = 99.5  # non-integral ids in the last partition only
    if col == "h":
        df.loc[390:, "psu"] = 990.0 + np.arange(10) % 2  # the new stratum's own PSUs
    ddf = dd.from_pandas(df, npartitions=nparts, sort=False)
    d = socind.Design(df.w, strata=df.h, psu=df.psu)
    _same(sd.mean(ddf, "y", weight="w", strata="h", psu="psu"), socind.mean(df.y, d))
    _same(sd.fgt(ddf, "y", 30000.0, weight="w", strata="h", psu="psu"),
          socind.fgt(df.y, 30000.0, design=d))
    df.loc[:9, col] = 0.25  # … and in the first only
    if col == "h":
        df.loc[:9, "psu"] = 1000.0 + np.arange(10) % 2
    ddf = dd.from_pandas(df, npartitions=nparts, sort=False)
    d = socind.Design(df.w, strata=df.h, psu=df.psu)
    _same(sd.mean(ddf, "y", weight="w", strata="h", psu="psu"), socind.mean(df.y, d))


@pytest.fixture(scope="module")
def kids():
    return pd.read_csv(os.path.join(REF, "growth", "inputs.csv"), keep_default_na=False,
                       na_values=["NA", "NaN", ".", ""])


def _prevalence(fn, d, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if fn is socind.prevalence:
            return fn(d.sex, age_days=d.age_days, weight_kg=d.weight, lenhei_cm=d.lenhei,
                      measure=d.measure, oedema=d.oedema, sw=d.sw, strata=d.strata,
                      cluster=d.cluster, **{k: d[v] for k, v in kw.items()})
        return fn(d, "sex", age_days="age_days", weight_kg="weight", lenhei_cm="lenhei",
                  measure="measure", oedema="oedema", sw="sw", strata="strata",
                  cluster="cluster", **kw)


@pytest.mark.parametrize("col", ["strata", "cluster"])
def test_prevalence_ids_labels_in_some_partitions_only(kids, col):
    k = kids.copy()
    k[col] = k[col].astype(float)
    ddf = dd.from_pandas(k, npartitions=4, sort=False)
    last = len(k) - len(ddf.partitions[-1])  # its ids all non-integral, the others' whole
    k.loc[last:, col] = k.loc[last:, col] + 0.5
    want = _prevalence(socind.prevalence, k)
    got = _prevalence(sd.prevalence, dd.from_pandas(k, npartitions=4, sort=False))
    _same(got, want)


# ---------------------------------------------------------------- groups' order


@pytest.fixture(scope="module")
def hh():
    h = pd.read_csv(os.path.join(REF, "poverty", "households.csv"))
    # categories in reverse order, and an unused one
    h["dist"] = pd.Categorical(h.district, categories=[9999] + sorted(h.district.unique(),
                                                                      reverse=True))
    h["area"] = pd.Categorical(np.where(h.urban == 1, "urban", "rural"),
                               categories=["urban", "rural"])
    return h.sample(frac=1.0, random_state=5).reset_index(drop=True)


DES = dict(weight="w_person", strata="stratum", psu="psu")


@pytest.mark.parametrize("by", ["dist", ["area", "dist"], ["dist", "urban"]])
def test_categorical_groups_in_the_in_memory_order(hh, by):
    d = socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu)
    ddf = dd.from_pandas(hh, npartitions=5)
    bys = hh[by] if isinstance(by, str) else [hh[c] for c in by]
    want = socind.mean(hh.cons_pc, d, by=bys)
    got = sd.mean(ddf, "cons_pc", **DES, by=by)
    assert list(got.index)[:3] == list(want.index)[:3]
    _same(got, want)
    if by == "dist":
        assert list(want.index)[:3] == ["all", 3503, 3502]


def test_categorical_groups_of_the_prevalence_table_in_the_in_memory_order(kids):
    k = kids.copy()
    k["region"] = pd.Categorical(k.gregion, categories=sorted(k.gregion.unique(), reverse=True))
    want = _prevalence(socind.prevalence, k, by="region")
    got = _prevalence(sd.prevalence, dd.from_pandas(k, npartitions=3), by="region")
    _same(got, want)


# ---------------------------------------------------------------- a partition lacking a column


def _ragged(frame, drop, at=1000):
    """Two partitions, the second without the column ``drop``."""
    parts = [frame.iloc[:at], frame.iloc[at:].drop(columns=[drop])]
    return dd.from_delayed([dask.delayed(lambda x: x)(p) for p in parts], meta=frame.iloc[:0],
                           verify_meta=False)


@pytest.mark.parametrize("drop,arg,kw", [
    ("w_person", "weight", {}),
    ("psu", "psu", {}),
    ("district", "by", {"by": "district"}),
    ("cons_pc", "y", {}),
    ("line_region", "line", {"line": "line_region"}),
])
def test_a_partition_lacking_a_column_names_it(hh, drop, arg, kw):
    h = hh.drop(columns=["dist", "area"])
    kw = dict(dict(line=5e5, weight="w_person", strata="stratum", psu="psu"), **kw)
    with pytest.raises(InputError, match=fr"^{arg}: no column '{drop}' in this partition "
                       r"\(its columns: .*\); the DataFrame's partitions must all carry the "
                       r"columns the call reads \(partition 1\)$") as e:
        sd.fgt(_ragged(h, drop), "cons_pc", **kw)
    assert e.value.status == socind.SOCIND_ERR_ARG


def test_a_prevalence_or_zscores_partition_lacking_a_column_names_it(kids):
    with pytest.raises(InputError, match=r"^cluster: no column 'cluster' in this partition .*"
                       r"\(partition 1\)$"):
        _prevalence(sd.prevalence, _ragged(kids, "cluster"))
    with pytest.raises(InputError, match=r"^weight_kg: no column 'weight' in this partition .*"
                       r"\(partition 1\)$"):
        sd.zscores(_ragged(kids, "weight"), "sex", age_days="age_days", weight_kg="weight",
                   lenhei_cm="lenhei", measure="measure").compute()


# ---------------------------------------------------------------- messages naming the argument


def test_messages_name_the_argument_as_the_caller_wrote_it(hh):
    ddf = dd.from_pandas(hh.drop(columns=["dist", "area"]), npartitions=2)
    with pytest.raises(InputError, match=r"^line: no column 'nope' in the DataFrame"):
        sd.fgt(ddf, "cons_pc", "nope", **DES)
    with pytest.raises(InputError, match=r"^denominator: no column 'nope'"):
        sd.ratio(ddf, "cons_pc", "nope", **DES)
    with pytest.raises(InputError, match=r"^x: no column 'nope'"):
        sd.mean(ddf, "nope", **DES)
    with pytest.raises(InputError, match=r"outside its valid range: p = 0 \(the library's "
                       r"detail: \"spec.p must be in \(0, 1\), got 0\"\)$"):
        sd.quantile(ddf, "cons_pc", p=0, **DES)
    for nest in ("yes", "no", 2, None):
        with pytest.raises(InputTypeError, match=f"nest must be True or False, not {nest!r}"):
            sd.mean(ddf, "cons_pc", **DES, nest=nest)


# ---------------------------------------------------------------- ages that look like months




@pytest.mark.parametrize("nparts", [1, 3])
def test_ages_in_months_given_as_days_are_refused_as_in_memory(nparts):
    """socind.dask took ages in months given as age_days as days (stunting
    0.030 for about 0.17); it refuses them as socind.zscores and
    socind.prevalence do, over the whole DataFrame."""
    k = _children_in_months()
    ddf = dd.from_pandas(k, npartitions=nparts)
    cols = dict(weight_kg="weight", lenhei_cm="lenhei", measure="measure")
    with pytest.raises(InputError) as e:  # refused at the call, which reads every partition
        sd.zscores(ddf, "sex", age_days="age_m", **cols)
    assert str(e.value) == MONTHS
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(InputError) as e:
            sd.prevalence(ddf, "sex", age_days="age_m", sw="sw", strata="strata",
                          cluster="cluster", **cols)
    assert str(e.value) == MONTHS
    got = sd.zscores(ddf, "sex", age_months="age_m", **cols).compute()
    want = socind.zscores(k.sex, age_months=k.age_m, weight_kg=k.weight, lenhei_cm=k.lenhei,
                          measure=k.measure)
    np.testing.assert_array_equal(got["zlen"].to_numpy(), want["zlen"])


def test_the_months_rule_reads_every_partition():
    """The months rule counts over every partition, as in memory: a
    partition whose children are young and big alone (it would be refused
    on its own) is taken as days when the others' older children are most
    of the children measured; and a file that is months throughout is
    refused though one partition holds an age above 60."""
    k = _children_in_months().iloc[:40].copy()
    first = k.iloc[:10].copy()
    with pytest.raises(InputError, match="these ages look like months"):
        socind.zscores(first.sex, age_days=first.age_m, weight_kg=first.weight,
                       lenhei_cm=first.lenhei)
    k.loc[10:, "age_m"] = k.loc[10:, "age_m"] * 30.4375  # the others in days
    ddf = dd.from_pandas(k, npartitions=4, sort=False)
    got = sd.zscores(ddf, "sex", age_days="age_m", weight_kg="weight",
                     lenhei_cm="lenhei").compute()
    want = socind.zscores(k.sex, age_days=k.age_m, weight_kg=k.weight, lenhei_cm=k.lenhei)
    np.testing.assert_array_equal(got["zwei"].to_numpy(), want["zwei"])
    m = _children_in_months().iloc[:40].copy()
    m.loc[39, "age_m"] = 400.0  # in the last partition only
    ddf = dd.from_pandas(m, npartitions=4, sort=False)
    with pytest.raises(InputError, match="these ages look like months"):
        sd.zscores(ddf, "sex", age_days="age_m", weight_kg="weight", lenhei_cm="lenhei").compute()


def test_bytes_and_text_labels_in_different_partitions_are_refused():
    """b"a" in one partition and "a" in another: a bare TypeError from the
    labels' sort; the in-memory InputTypeError naming the argument now."""
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0],
                       "g": pd.Series([b"a", b"b", "a", "b"], dtype=object)})
    ddf = dd.from_pandas(df, npartitions=2, sort=False)
    with pytest.raises(InputTypeError, match="^g mixes kinds of values \\(bytes b'a', text "
                       "'a'\\)"):
        sd.mean(ddf, "y", by="g")
    with pytest.raises(InputTypeError, match="^g mixes kinds of values \\(bytes b'a' \\(row 0\\), "
                       "text 'a' \\(row 2\\)\\)"):
        socind.mean(df.y, by=df.g)


# ---------------------------------------------------------------- column names


def test_integer_column_names_are_columns():
    """A DataFrame made from an array has the columns 0, 1, …: passing them
    was refused ("x takes a column name, not 0"), and "0", "1" passed the
    check (names compared as text) and failed in a worker with a bare
    KeyError: '1'. The labels are taken as given and matched exactly."""
    rng = np.random.default_rng(2)
    df = pd.DataFrame(np.column_stack([rng.gamma(2, 1000, 100), rng.uniform(1, 3, 100),
                                       rng.integers(0, 3, 100), np.repeat(np.arange(20), 5),
                                       np.repeat([0, 1], 50)]))
    ddf = dd.from_pandas(df, npartitions=3)
    d = socind.Design(df[1], strata=df[4], psu=df[3])
    _same(sd.mean(ddf, 0, weight=1, strata=4, psu=3), socind.mean(df[0], d))
    _same(sd.fgt(ddf, 0, 1500.0, weight=1, strata=4, psu=3, by=2),
          socind.fgt(df[0], 1500.0, design=d, by=df[2]))
    _same(sd.gini(ddf, 0, weight=1, by=[2, 4]), socind.gini(df[0], socind.Design(df[1]),
                                                           by={2: df[2], 4: df[4]}))
    with pytest.raises(InputError, match="^weight: no column '1' in the DataFrame \\(columns: 0, "
                       "1, 2, 3, 4\\); its column 1 is named by a number: pass 1, not '1'$"):
        sd.mean(ddf, 0, weight="1")
    with pytest.raises(InputError, match="^x: no column '0'"):
        sd.mean(ddf, "0")
    with pytest.raises(InputTypeError, match="^weight takes column names, not True"):
        sd.mean(ddf, 0, weight=True)
    z = pd.DataFrame({"sex": [1, 2, 1], 7: [400.0, 500.0, 600.0], 8: [75.0, 77.0, 80.0]})
    got = sd.zscores(dd.from_pandas(z, npartitions=2), "sex", age_days=7, lenhei_cm=8).compute()
    np.testing.assert_array_equal(got["zlen"].to_numpy(),
                                  socind.zscores(z.sex, age_days=z[7], lenhei_cm=z[8])["zlen"])


def test_fgt_alpha_given_twice_is_refused(sample):
    """alpha=[0, 0.0, 1] computed three estimates and returned two (0 and 0.0
    are one key of the dict)."""
    ddf = dd.from_pandas(sample, npartitions=2)
    with pytest.raises(InputError, match=r"^alpha: 0 is given twice \(0, 0\.0, 1\); give each "
                       "α once$"):
        sd.fgt(ddf, "y", 30000.0, [0, 0.0, 1], weight="w")
    got = sd.fgt(ddf, "y", 30000.0, [0, 1], weight="w")
    assert list(got) == [0, 1]
    d = socind.Design(sample.w)
    for a in (0, 1):
        _same(got[a], socind.fgt(sample.y, 30000.0, a, design=d))


# ---------------------------------------------------------------- a quantile's level


_READS = []


def _counted(k):
    """A partition that records its reading."""
    _READS.append(k)
    return pd.DataFrame({"y": np.arange(1.0, 21.0) * (k + 1), "w": 1.0 + 0.1 * k})


def test_a_quantile_at_another_level_is_refused_before_any_partition_is_read():
    """level=0.9 read every partition in every pass, then failed in the
    finishing task with a message the caller could not act on ("finish it
    with the default options"); it is refused on the client now, saying
    what is offered and what to do."""
    meta = pd.DataFrame({"y": [1.0], "w": [1.0]}).iloc[:0]
    ddf = dd.from_map(_counted, range(3), meta=meta)
    _READS.clear()
    for by in (None, "w"):
        with pytest.raises(InputError, match=r"^level: socind.dask.quantile gives its interval "
                           r"at level 0.95 only, not 0.9 .*; for another level call "
                           r"socind.quantile in memory") as e:
            sd.quantile(ddf, "y", 0.5, weight="w", by=by, level=0.9)
        assert e.value.status == socind.SOCIND_ERR_ARG
    with pytest.raises(InputError, match=r"^level must be in \(0, 1\), got 1.5$"):
        sd.quantile(ddf, "y", 0.5, level=1.5)
    assert _READS == []
    df = pd.concat([_counted(k) for k in range(3)], ignore_index=True)
    socind.quantile(df.y, 0.5, socind.Design(df.w), level=0.9)  # what the message offers
    _same(sd.quantile(ddf, "y", 0.5, weight="w", level=0.95),
          socind.quantile(df.y, 0.5, socind.Design(df.w)))


# ---------------------------------------------------------------- prevalence's rows


def test_a_prevalence_error_names_the_input_row_and_the_weights_column(kids):
    """Rows without a cluster before a bad weight in its partition: the
    error named the library's row among the rows kept (e.row 10 less than
    the input's) and the weights as "weight"; it names the input row, as
    socind.prevalence does, and the caller's column."""
    k = kids.rename(columns={"sw": "wt"})
    k["cluster"] = k.cluster.astype(float)
    ddf = dd.from_pandas(k, npartitions=2, sort=False)
    half = len(ddf.partitions[0])
    k.loc[half + 4:half + 13, "cluster"] = np.nan  # ten rows anthro drops
    bad = half + 24
    k.loc[bad, "wt"] = -2.0
    cols = dict(age_days="age_days", weight_kg="weight", lenhei_cm="lenhei", measure="measure",
                oedema="oedema", sw="wt", strata="strata", cluster="cluster")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(socind.DesignError) as single:
            socind.prevalence(k.sex, **{a: k[c] for a, c in cols.items()})
        with pytest.raises(socind.DesignError) as dist:
            sd.prevalence(dd.from_pandas(k, npartitions=2, sort=False), "sex", **cols)
    assert single.value.row == bad
    assert dist.value.row == bad and dist.value.status == single.value.status
    assert f"wt[{bad}] is -2" in str(dist.value), str(dist.value)
    assert str(dist.value).endswith("(partition 1, row 24 of the partition)"), str(dist.value)


# ---------------------------------------------------------------- invalid codes made missing


def _messages(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, [str(w.message) for w in caught if issubclass(w.category, socind.DataWarning)]


def test_invalid_codes_made_missing_warn_once_per_column_on_any_dtype(kids):
    """Codes as floats, categories and text, invalid ones in several
    partitions: one warning per column with the total, as in memory (one a
    partition and a reading before), and the in-memory figures."""
    k = kids.copy()
    k["sex"] = k.sex.astype(float)
    k.loc[[5, 700, 1900], "sex"] = 3.0
    k["measure"] = pd.Categorical(k.measure.where(~k.index.isin([40, 1200]), "x"))
    k["oedema"] = k.oedema.astype(object)
    k.loc[1500, "oedema"] = "q"
    ddf = dd.from_pandas(k, npartitions=5)
    cols = dict(age_days="age_days", weight_kg="weight", lenhei_cm="lenhei", measure="measure",
                oedema="oedema")
    z, said = _messages(lambda: sd.zscores(ddf, "sex", invalid="missing", **cols).compute())
    zz, told = _messages(lambda: socind.zscores(k.sex, invalid="missing",
                                                **{a: k[c] for a, c in cols.items()}))
    assert said == told and len(told) == 3, (said, told)
    for c in zz:
        np.testing.assert_array_equal(z[c].to_numpy(), zz[c])
    design = dict(sw="sw", strata="strata", cluster="cluster")
    got, said = _messages(lambda: sd.prevalence(ddf, "sex", invalid="missing", **cols, **design))
    want, told = _messages(lambda: socind.prevalence(
        k.sex, invalid="missing", **{a: k[c] for a, c in dict(cols, **design).items()}))
    assert said == told and sum("invalid" in m for m in said) == 3, (said, told)
    _same(got, want)


# ---------------------------------------------------------------- partitions and rows


def test_a_partition_that_loads_as_a_series_is_refused_naming_it():
    """A bare AttributeError ('Series' object has no attribute 'columns')
    before."""
    df = pd.DataFrame({"y": [1.0, 2.0, 3.0], "w": 1.0})
    parts = [dask.delayed(lambda x: x)(p) for p in (df, df.y, df)]
    ddf = dd.from_delayed(parts, meta=df.iloc[:0], verify_meta=False)
    with pytest.raises(InputTypeError, match=r"^this partition is a Series, not a pandas "
                       r"DataFrame: .* \(partition 1\)$") as e:
        sd.mean(ddf, "y", weight="w")
    assert e.value.status == socind.SOCIND_ERR_ARG


def test_no_row_with_by_says_so(sample):
    """0 rows with by said "by: every value is missing"."""
    ddf = dd.from_pandas(sample.iloc[:0], npartitions=1)
    with pytest.raises(socind.EmptyError, match="^the DataFrame has no row$"):
        sd.mean(ddf, "y", weight="w", by="h")


def test_an_error_in_the_first_reading_numbers_its_row_across_partitions():
    """by mixing kinds of values in the third partition: its row was None."""
    g = pd.Series([1, 2] * 6 + ["a", 3], dtype=object)
    df = pd.DataFrame({"y": np.arange(14.0), "g": g})
    with pytest.raises(InputTypeError) as single:
        socind.mean(df.y, by=df.g)
    with pytest.raises(InputTypeError) as dist:
        sd.mean(dd.from_pandas(df, npartitions=3, sort=False), "y", by="g")
    assert dist.value.status == single.value.status
    assert dist.value.row == single.value.row, (str(dist.value), str(single.value))
    assert str(dist.value).endswith("(partition 2, row 2 of the partition)"), str(dist.value)


# ---------------------------------------------------------------- a quantile without a usable row


def test_a_quantile_without_a_usable_row_says_why_once(sample):
    df = sample.assign(y=np.nan)
    with pytest.raises(socind.EmptyError) as e:
        sd.quantile(dd.from_pandas(df, npartitions=2), "y", weight="w")
    reason = "no observations: n is 0 or no row is usable"
    assert str(e.value).count(reason) == 1, str(e.value)
