# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.dask on a distributed.LocalCluster of two worker processes: the
reference files, rows shuffled and cut into partitions (so that PSUs and
strata are split across them), give what the single-process binding gives
on the same rows, for every estimator family, within the partial states'
bound (1e-12 relative); bad input in a partition raises the binding's
exception with the partition and the row."""

import os
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

# python3-dask and python3-distributed are test dependencies
# (scripts/install-deps.sh): without them these tests fail, they do not skip
import dask.dataframe as dd
import distributed

import socind
import socind.dask as sd

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
REF = os.path.join(ROOT, "tests", "reference")
REL = 1e-12
LINE = 500000.0


@pytest.fixture(scope="module")
def client():
    # two worker processes, each one thread; the workers import socind
    # from the environment the tests run in (PYTHONPATH, SOCIND_LIBRARY)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=50)
        c = distributed.Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(scope="module")
def hh():
    h = pd.read_csv(os.path.join(REF, "poverty", "households.csv"))
    h["y_miss"] = h.cons_pc.where(np.arange(len(h)) % 17 != 5)  # some missing incomes
    h["poor"] = (h.cons_pc < LINE).astype(float)
    h["ones"] = 1.0
    # shuffled: every partition holds rows of many PSUs and strata, and most
    # PSUs have rows in several partitions
    return h.sample(frac=1.0, random_state=20261202).reset_index(drop=True)


@pytest.fixture(scope="module")
def hdd(hh):
    return dd.from_pandas(hh, npartitions=9)


@pytest.fixture(scope="module")
def design(hh):
    return socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu)


DES = dict(weight="w_person", strata="stratum", psu="psu")


def test_partitions_split_psus_and_strata(hh, hdd):
    parts = [len(p) for p in hdd.partitions]
    assert sum(parts) == len(hh) and len(parts) == 9
    first = hdd.partitions[0].compute()
    second = hdd.partitions[1].compute()
    assert set(first.psu) & set(second.psu)
    assert set(first.stratum) & set(second.stratum)


def _close(a, b, what):
    if isinstance(b, float) and np.isnan(b):
        assert np.isnan(a), (what, a, b)
    else:
        assert a == b or abs(a - b) <= REL * abs(b), (what, a, b)


def _same(a, b, what=""):
    """Two results of the binding: Estimates, dicts of them, DataFrames."""
    if isinstance(b, socind.Estimate):
        assert isinstance(a, socind.Estimate), what
        assert (a.status, a.n, a.n_missing) == (b.status, b.n, b.n_missing), (what, a, b)
        for f in ("value", "se", "ci_low", "ci_high", "df", "weight_sum", "deff"):
            _close(getattr(a, f), getattr(b, f), (what, f))
    elif isinstance(b, dict):
        assert list(a) == list(b), what
        for k in b:
            _same(a[k], b[k], (what, k))
    else:
        assert isinstance(a, pd.DataFrame), what
        assert list(a.columns) == list(b.columns), what
        assert a.index.equals(b.index), (what, a.index, b.index)
        assert a.attrs.get("by_missing") == b.attrs.get("by_missing"), what
        for col in b.columns:
            x, y = a[col].to_numpy(), b[col].to_numpy()
            if x.dtype.kind == "f" or y.dtype.kind == "f":
                for u, v in zip(x, y):
                    _close(float(u), float(v), (what, col))
            else:
                assert x.tolist() == y.tolist(), (what, col)


# (name, positional arguments after y, keywords) — the in-memory function
# takes the same arguments with arrays
CASES = [
    ("total", (), {}),
    ("mean", (), {}),
    ("mean", (), {"by": "district"}),
    ("proportion", (), {"by": "urban"}),
    ("proportion", (), {"by": "district", "prop_ci": "likelihood"}),
    ("fgt", (LINE, 0), {"by": "district"}),
    ("fgt", (LINE, 1), {"by": ["urban", "prov"]}),
    ("fgt", (LINE, 2), {}),
    ("fgt", ("line_region", 0), {"by": "urban"}),
    ("fgt", (socind.relative_line(0.6), 0), {"by": "urban"}),
    ("fgt", (socind.relative_line(0.5, of="mean"), 1), {}),
    ("poor_count", (LINE,), {"by": "urban"}),
    ("poverty_gap_total", (LINE,), {}),
    ("mean_shortfall", (LINE,), {"by": "prov"}),
    ("watts", (LINE,), {"by": "urban"}),
    ("watts", (socind.relative_line(0.6),), {}),
    ("fgt_decomposition", (LINE, 2.0), {}),
    ("watts_decomposition", ("line_region",), {"by": "urban"}),
    ("poverty_line", (socind.relative_line(0.6),), {}),
    ("ge", (2.0,), {"by": "urban"}),
    ("ge", (0.0,), {}),
    ("atkinson", (1.5,), {"by": "prov"}),
    ("gini", (), {}),
    ("gini", (), {"by": "urban"}),
    ("quantile", (0.5,), {"by": "urban"}),
    ("share_ratio", (0.2, 0.8), {}),
    ("lorenz", (0.4,), {"by": "urban"}),
]


def _binding_args(hh, args, kw, y="cons_pc"):
    a = [hh[x] if isinstance(x, str) else x for x in args]
    k = dict(kw)
    if "by" in k:
        b = k["by"]
        k["by"] = hh[b] if isinstance(b, str) else [hh[c] for c in b]
    return hh[y], a, k


@pytest.mark.parametrize("name,args,kw", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_estimators_equal_the_single_process_binding(client, hh, hdd, design, name, args, kw):
    y = "y_miss" if name in ("mean", "total") else "cons_pc"
    if name == "proportion":
        y = "poor"
    got = getattr(sd, name)(hdd, y, *args, **DES, **kw)
    yv, a, k = _binding_args(hh, args, kw, y)
    want = getattr(socind, name)(yv, *a, design=design, **k)
    _same(got, want, name)


def _quantile_passes(df, n_groups):
    """The passes a quantile state of df's rows takes (pass 2 says)."""
    kw = dict(strata=df.h.values, psu=df.p.values)
    s = socind.State("quantile", p=0.5, n_groups=n_groups, strata=True, psu=True)
    g = df.g.values if n_groups else None
    s.add(df.w.values, df.y.values, group=g, **kw)
    s = s.next_pass()
    s.add(df.w.values, df.y.values, group=g, **kw)
    return s.passes[1]


def test_estimates_whose_states_take_different_passes(client):
    # weights spread over e^±5 in one domain: the overall median's limits
    # fall outside the rows its second pass keeps (three passes), the
    # domains' within theirs (two); each state takes its own passes
    rng = np.random.default_rng(25)
    n = 2000
    h = np.repeat(np.arange(4), n // 4)
    df = pd.DataFrame({"h": h, "p": h * 100 + rng.integers(0, 10, n),
                       "g": rng.integers(0, 4, n).astype(np.int32),
                       "y": np.exp(rng.normal(8, 1, n))})
    df["w"] = np.where(df.g == 0, np.exp(rng.normal(0, 2.5, n)), 1.0 + rng.random(n))
    assert (_quantile_passes(df, 0), _quantile_passes(df, 4)) == (3, 2)
    des = socind.Design(df.w, strata=df.h, psu=df.p)
    got = sd.quantile(dd.from_pandas(df, npartitions=3), "y", 0.5, weight="w", strata="h",
                      psu="p", by="g")
    _same(got, socind.quantile(df.y, 0.5, des, by=df.g), "quantile")


def test_ratio_and_decompositions_by_a_partition(client, hh, hdd, design):
    _same(sd.ratio(hdd, "cons_pc", "ones", **DES, by="urban"),
          socind.ratio(hh.cons_pc, hh.ones, design, by=hh.urban), "ratio")
    _same(sd.ge_decomposition(hdd, "cons_pc", "prov", 0.0, **DES),
          socind.ge_decomposition(hh.cons_pc, hh.prov, 0.0, design), "ge_decomposition")
    got = sd.poverty_profile(hdd, "cons_pc", LINE, "district", 1, **DES)
    want = socind.poverty_profile(hh.cons_pc, LINE, hh.district, 1, design)
    # the overall row's shares are 1 by construction: their SEs are numerical
    # zeros (rounding in Σ w·(1 − 1)), not figures to compare
    for t in (got, want):
        for c in ("share", "contribution_share"):
            assert abs(t.loc["all", c] - 1.0) < 1e-12 and abs(t.loc["all", c + "_se"]) < 1e-8
            t.loc["all", c + "_se"] = 0.0
    _same(got, want, "poverty_profile")


def test_several_alphas_from_the_same_reads(client, hh, hdd, design):
    got = sd.fgt(hdd, "cons_pc", socind.relative_line(0.6), [0, 1, 2], **DES, by="urban")
    assert list(got) == [0, 1, 2]
    for a in (0, 1, 2):
        _same(got[a], socind.fgt(hh.cons_pc, socind.relative_line(0.6), a, design,
                                 by=hh.urban), ("fgt", a))


def test_without_a_design_and_with_text_labels(client, hh, hdd):
    # no weight: every row weighs 1, each row its own PSU, as socind.Design(ones)
    _same(sd.fgt(hdd, "cons_pc", LINE, 0), socind.fgt(hh.cons_pc, LINE, 0), "srs")
    h2 = hh.assign(st=["s" + str(v) for v in hh.stratum], pu=["p" + str(v) for v in hh.psu],
                   area=np.where(hh.urban == 1, "kota", "desa"))
    d2 = dd.from_pandas(h2, npartitions=4)
    des = socind.Design(h2.w_person, strata=h2.st, psu=h2.pu)
    _same(sd.mean(d2, "cons_pc", weight="w_person", strata="st", psu="pu", by="area"),
          socind.mean(h2.cons_pc, des, by=h2.area), "labels")


def test_tree_merges_of_any_width_agree(client, hh, design):
    one = dd.from_pandas(hh, npartitions=1)
    many = dd.from_pandas(hh, npartitions=23)
    want = socind.gini(hh.cons_pc, design, by=hh.urban)
    for ddf, se in ((one, 8), (many, 2), (many, 5)):
        _same(sd.gini(ddf, "cons_pc", **DES, by="urban", split_every=se), want, "gini")


@pytest.fixture(scope="module")
def kids():
    return pd.read_csv(os.path.join(REF, "growth", "missing_design_inputs.csv"),
                       keep_default_na=False, na_values=["NA", "NaN", ".", ""]) \
        .sample(frac=1.0, random_state=7).reset_index(drop=True)


def _prev(fn, d, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if fn is socind.prevalence:
            by = kw.pop("by", None)
            if by is not None:
                kw["by"] = d[by] if isinstance(by, str) else [d[c] for c in by]
            t = fn(d.sex, age_days=d.age_days, weight_kg=d.weight, lenhei_cm=d.lenhei,
                   measure=d.measure, oedema=d.oedema, sw=d.sw, strata=d.strata,
                   cluster=d.cluster, **kw)
        else:
            t = fn(d, "sex", age_days="age_days", weight_kg="weight", lenhei_cm="lenhei",
                   measure="measure", oedema="oedema", sw="sw", strata="strata",
                   cluster="cluster", **kw)
    return t, [str(w.message) for w in caught if issubclass(w.category, socind.DataWarning)]


@pytest.mark.parametrize("by", [None, "wealthq", ["typeres", "gregion"]])
def test_prevalence_with_anthros_rules_for_messy_files(client, kids, by):
    kdd = dd.from_pandas(kids, npartitions=6)
    got, said = _prev(sd.prevalence, kdd, by=by)
    want, told = _prev(socind.prevalence, kids, by=by)
    assert said == told and len(said) == 3  # anthro's three warnings, counts over partitions
    _same(got, want, "prevalence")


def test_prevalence_negative_ages_warned_as_in_memory(client, kids):
    """Children of negative age: the Dask table warns of them as
    socind.prevalence does (counted over the partitions), with its figures."""
    k = kids.copy()
    k.loc[k.index[:7], "age_days"] = -3.0
    got, said = _prev(sd.prevalence, dd.from_pandas(k, npartitions=5))
    want, told = _prev(socind.prevalence, k)
    assert said == told and any("7 rows have an age below 0" in m for m in said), said
    _same(got, want, "prevalence")


def test_prevalence_5_to_19_and_zscores(client):
    k = pd.read_csv(os.path.join(REF, "growth", "inputs_5to19.csv"))
    kdd = dd.from_pandas(k, npartitions=4)
    cols = {c: c for c in ("age_months", "weight", "height") if c in k.columns}
    assert set(cols) == {"age_months", "weight", "height"}, k.columns
    with pytest.warns(socind.DataWarning) as said:
        got = sd.prevalence(kdd, "sex", age_months="age_months", weight_kg="weight",
                            height_cm="height", reference="who2007")
    with pytest.warns(socind.DataWarning) as told:
        want = socind.prevalence(k.sex, age_months=k.age_months, weight_kg=k.weight,
                                 height_cm=k.height, reference="who2007")
    assert [str(w.message) for w in said] == [str(w.message) for w in told]
    _same(got, want, "prevalence 2007")
    z = sd.zscores(kdd, "sex", age_months="age_months", weight_kg="weight",
                   lenhei_cm="height", reference="who2007").compute()
    zz = socind.zscores(k.sex, age_months=k.age_months, weight_kg=k.weight, lenhei_cm=k.height,
                        reference="who2007")
    assert list(z.columns) == list(zz) and z.index.equals(k.index)
    for c in zz:
        assert np.array_equal(z[c].to_numpy(), zz[c], equal_nan=True), c


def _invalid_codes(kids):
    """Three invalid sex codes and two invalid measure codes, in several
    partitions of six."""
    k = kids.copy()
    k["sex"] = k.sex.astype(object)
    k.loc[[20, 500, 1500], "sex"] = 7
    k["measure"] = k.measure.astype(object)
    k.loc[[30, 600], "measure"] = "x"
    return k


def test_invalid_codes_made_missing_are_warned_once_with_the_total(client, kids):
    """invalid="missing": the workers' warnings never reached the client on
    a cluster (and came once per partition and reading on the synchronous
    scheduler); the call warns once per column with the count over every
    partition, as in memory, and gives the in-memory figures."""
    k = _invalid_codes(kids)
    kdd = dd.from_pandas(k, npartitions=6)
    got, said = _prev(sd.prevalence, kdd, invalid="missing")
    want, told = _prev(socind.prevalence, k, invalid="missing")
    assert said == told, (said, told)
    assert [m.split(" (")[0] for m in said[:2]] == ["3 invalid sex codes",
                                                    "2 invalid measure codes"], said
    _same(got, want, "prevalence")
    cols = dict(age_days="age_days", weight_kg="weight", lenhei_cm="lenhei", measure="measure")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        z = sd.zscores(kdd, "sex", invalid="missing", **cols).compute()
    with warnings.catch_warnings(record=True) as memory:
        warnings.simplefilter("always")
        zz = socind.zscores(k.sex, invalid="missing", **{a: k[c] for a, c in cols.items()})
    assert [str(w.message) for w in caught] == [str(w.message) for w in memory]
    assert len(memory) == 2
    for c in zz:
        assert np.array_equal(z[c].to_numpy(), zz[c], equal_nan=True), c


# ---------------------------------------------------------------- bad input


def test_a_negative_weight_names_its_partition_and_row(client, hh, hdd):
    h = hh.copy()
    h.loc[1000, "w_person"] = -1.0
    d = dd.from_pandas(h, npartitions=9)
    with pytest.raises(socind.DesignError) as single:
        socind.Design(h.w_person, strata=h.stratum, psu=h.psu)
    with pytest.raises(socind.DesignError) as dist:
        sd.fgt(d, "cons_pc", LINE, 0, **DES)
    part = next(i for i, p in enumerate(d.partitions) if 1000 in p.index.compute())
    start = sum(len(p) for p in list(d.partitions)[:part])
    assert dist.value.status == single.value.status
    assert f"(partition {part}, row {1000 - start} of the partition)" in str(dist.value)
    assert dist.value.row == 1000


def test_a_psu_in_two_strata_across_partitions(client, hh):
    h = hh.copy()
    psu = h.psu.iloc[0]
    rows = np.flatnonzero(h.psu.to_numpy() == psu)
    last = int(rows[-1])
    assert last >= len(h) // 2  # its rows lie in several partitions
    h.loc[last, "stratum"] = h.stratum.max() + 1
    with pytest.raises(socind.DesignError) as single:
        socind.Design(h.w_person, strata=h.stratum, psu=h.psu)
    with pytest.raises(socind.DesignError) as dist:
        sd.mean(dd.from_pandas(h, npartitions=9), "cons_pc", **DES)
    assert dist.value.status == single.value.status
    assert "(partition " in str(dist.value)


def test_an_invalid_code_in_a_partition(client, kids):
    k = kids.copy()
    k["sex"] = k.sex.astype(object)
    k.loc[500, "sex"] = "x"
    with pytest.raises(socind.InputError) as single:
        socind.zscores(k.sex, age_days=k.age_days)
    kdd = dd.from_pandas(k, npartitions=6)
    with pytest.raises(socind.InputError) as dist:
        _prev(sd.prevalence, kdd)
    assert dist.value.status == single.value.status
    assert "(partition " in str(dist.value)
    with pytest.raises(socind.InputError) as z:
        sd.zscores(kdd, "sex", age_days="age_days").compute()
    assert z.value.status == single.value.status and "(partition " in str(z.value)
    # e.row is the row across partitions, as in memory (the prevalence
    # table's was None, the z-scores' the row within the partition)
    assert single.value.row == dist.value.row == z.value.row == 500


def _changing(k, path):
    """A partition that reads differently the second time (a file rewritten
    between two readings): its district becomes one no reading saw."""
    seen = os.path.join(path, f"read-{k}")
    df = pd.DataFrame({"y": np.arange(1.0, 11.0), "w": 1.0,
                       "d": [1, 2] * 5 if not os.path.exists(seen) or k != 1 else [1, 9] * 5})
    open(seen, "a").close()
    return df


def test_a_domain_the_first_reading_did_not_see(client, tmp_path):
    ddf = dd.from_map(_changing, range(3), path=str(tmp_path),
                      meta=pd.DataFrame({"y": [1.0], "w": [1.0], "d": [1]}).iloc[:0])
    with pytest.raises(socind.InputError) as e:
        sd.mean(ddf, "y", weight="w", by="d")
    assert e.value.status == socind.SOCIND_ERR_GROUP
    assert "the data changed between the readings" in str(e.value)
    assert "(partition 1, row 1 of the partition)" in str(e.value)


def test_arguments_are_checked_on_the_client(hdd):
    with pytest.raises(socind.InputError, match="no column 'nope'"):
        sd.mean(hdd, "nope")
    with pytest.raises(socind.InputTypeError):
        sd.mean(hdd.cons_pc, "cons_pc")
    with pytest.raises(socind.InputError, match="split_every"):
        sd.mean(hdd, "cons_pc", split_every=1)
    with pytest.raises(socind.InputError):
        sd.fgt(hdd, "cons_pc", -5.0)


def test_the_example_runs(tmp_path):
    """examples/dask/registry.py, small: it writes its files, starts its
    own cluster and prints the poverty table and the stunting rows."""
    env = dict(os.environ)
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "dask", "registry.py"),
                        "--dir", str(tmp_path / "reg"), "--persons", "20000", "--partitions",
                        "3"], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "registry: 20,000 persons in 3 CSV files" in r.stdout
    lines = r.stdout.splitlines()
    i = lines.index("Stunting (height-for-age below −2 SD), by district:")
    assert sum(1 for x in lines[i:] if x.strip().startswith("district: ")) == 12
    assert any(x.startswith("all ") for x in lines)
    assert len(list((tmp_path / "reg" / "persons").glob("part-*.csv"))) == 3
