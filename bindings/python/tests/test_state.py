# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.State (socind/state.h): states built from random chunks of the
reference households (rows shuffled, PSUs split across chunks, empty
chunks), merged in random orders — some through pickle, as Dask ships
them — finish to what the in-memory functions give; bytes round-trip;
damaged bytes and mismatched states raise."""

import copy
import os
import pickle
import re
import subprocess
import sys
import textwrap
import zlib

import numpy as np
import pandas as pd
import pytest

import socind
from socind import state as st

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
REF = os.path.join(ROOT, "tests", "reference", "poverty")
LINE = 500000.0
REL = 1e-12


@pytest.fixture(scope="module")
def hh():
    h = pd.read_csv(os.path.join(REF, "households.csv"))
    # some missing incomes, so that n and n_missing are tested too
    h["y_miss"] = h.cons_pc.where(np.arange(len(h)) % 17 != 5)
    h["poor"] = (h.cons_pc < LINE).astype(float)
    h["group"] = pd.factorize(h.district, sort=True)[0].astype(np.int32)
    return h


def _close(a, b, what):
    if np.isnan(b):
        assert np.isnan(a), (what, a, b)
    else:
        assert abs(a - b) <= REL * max(abs(b), 1e-300) or a == b, (what, a, b)


def _same_estimate(a: socind.Estimate, b: socind.Estimate, what=""):
    assert (a.status, a.n, a.n_missing) == (b.status, b.n, b.n_missing), (what, a, b)
    for f in ("value", "se", "ci_low", "ci_high", "df", "weight_sum", "deff"):
        _close(getattr(a, f), getattr(b, f), (what, f))


def _same_frame(state_frame: pd.DataFrame, by_frame: pd.DataFrame):
    """A state's domains against a by= table without its overall row."""
    mine = by_frame.drop(index="all", level=0) if isinstance(by_frame.index, pd.MultiIndex) \
        else by_frame.drop(index="all")
    assert len(mine) == len(state_frame)
    for col in ("value", "se", "ci_low", "ci_high", "df", "weight_sum"):
        for a, b in zip(state_frame[col].to_numpy(), mine[col].to_numpy()):
            _close(a, b, col)
    for col in ("n", "n_missing", "status"):
        assert state_frame[col].tolist() == mine[col].tolist(), col


def _chunked(hh, make, columns, rng, fpc=False, groups=False, pickled=True):
    """make() states, one per random chunk of the shuffled rows (an empty
    chunk among them), merged in a random order, some through pickle."""
    n = len(hh)
    perm = rng.permutation(n)
    cuts = np.sort(rng.choice(np.arange(1, n), size=6, replace=False))
    bounds = [0, *cuts.tolist(), cuts[-1], n]  # one chunk empty
    states = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        idx = perm[a:b]
        s = make()
        kw = {k: hh[c].to_numpy()[idx] for k, c in columns.items()}
        s.add(weight=hh.w_person.to_numpy()[idx], strata=hh.stratum.to_numpy()[idx],
              psu=hh.psu.to_numpy()[idx], first_row=a,
              fpc=hh.fpc_psu.to_numpy()[idx] if fpc else None,
              group=hh.group.to_numpy()[idx] if groups else None, **kw)
        states.append(pickle.loads(pickle.dumps(s)) if pickled and len(states) % 2 else s)
    order = rng.permutation(len(states))
    out = states[order[0]]
    for k in order[1:]:
        out.merge(states[k])
    return out


def _design(hh, fpc=False):
    return socind.Design(hh.w_person, strata=hh.stratum, psu=hh.psu,
                         fpc=hh.fpc_psu if fpc else None)


# (state's estimator and its keywords, y and y2 columns, the in-memory call)
CASES = [
    ("total", {}, {"y": "y_miss"}, lambda h, d, **k: socind.total(h.y_miss, d, **k)),
    ("mean", {}, {"y": "y_miss"}, lambda h, d, **k: socind.mean(h.y_miss, d, **k)),
    ("ratio", {}, {"y": "y_miss", "y2": "hhsize"},
     lambda h, d, **k: socind.ratio(h.y_miss, h.hhsize, d, **k)),
    ("proportion", {}, {"y": "poor"}, lambda h, d, **k: socind.proportion(h.poor, d, **k)),
    ("fgt", {"line": LINE, "alpha": 0}, {"y": "cons_pc"},
     lambda h, d, **k: socind.fgt(h.cons_pc, LINE, 0, d, **k)),
    ("fgt", {"line": LINE, "alpha": 2, "inclusive": True}, {"y": "y_miss"},
     lambda h, d, **k: socind.fgt(h.y_miss, LINE, 2, d, inclusive=True, **k)),
    ("fgt", {"line": "per_row", "alpha": 1}, {"y": "cons_pc", "y2": "line_region"},
     lambda h, d, **k: socind.fgt(h.cons_pc, h.line_region, 1, d, **k)),
    ("poor_count", {"line": LINE}, {"y": "cons_pc"},
     lambda h, d, **k: socind.poor_count(h.cons_pc, LINE, d, **k)),
    ("poverty_gap_total", {"line": LINE}, {"y": "cons_pc"},
     lambda h, d, **k: socind.poverty_gap_total(h.cons_pc, LINE, d, **k)),
    ("mean_shortfall", {"line": LINE}, {"y": "cons_pc"},
     lambda h, d, **k: socind.mean_shortfall(h.cons_pc, LINE, d, **k)),
    ("watts", {"line": LINE}, {"y": "cons_pc"},
     lambda h, d, **k: socind.watts(h.cons_pc, LINE, d, **k)),
    ("fgt_decomposition", {"line": LINE, "alpha": 2}, {"y": "cons_pc"},
     lambda h, d, **k: socind.fgt_decomposition(h.cons_pc, LINE, 2, d, **k)),
    ("watts_decomposition", {"line": LINE}, {"y": "cons_pc"},
     lambda h, d, **k: socind.watts_decomposition(h.cons_pc, LINE, d, **k)),
    ("ge", {"theta": 0}, {"y": "cons_pc"}, lambda h, d, **k: socind.ge(h.cons_pc, 0, d, **k)),
    ("ge", {}, {"y": "cons_pc"}, lambda h, d, **k: socind.ge(h.cons_pc, 1, d, **k)),
    ("ge", {"theta": 2}, {"y": "cons_pc"}, lambda h, d, **k: socind.ge(h.cons_pc, 2, d, **k)),
    ("atkinson", {"epsilon": 0.5}, {"y": "cons_pc"},
     lambda h, d, **k: socind.atkinson(h.cons_pc, 0.5, d, **k)),
    ("atkinson", {}, {"y": "cons_pc"},
     lambda h, d, **k: socind.atkinson(h.cons_pc, 1, d, **k)),
]
IDS = [f"{c[0]}-{i}" for i, c in enumerate(CASES)]


@pytest.mark.parametrize("case", CASES, ids=IDS)
@pytest.mark.parametrize("fpc", [False, True], ids=["wr", "fpc"])
def test_chunked_and_merged_equals_the_in_memory_binding(hh, case, fpc):
    name, kw, cols, call = case
    rng = np.random.default_rng(zlib.crc32(repr((name, kw, fpc)).encode()))
    s = _chunked(hh, lambda: socind.State(name, strata=True, psu=True, fpc=fpc, **kw), cols,
                 rng, fpc=fpc)
    got, want = s.finish(), call(hh, _design(hh, fpc))
    if isinstance(want, dict):
        assert list(got) == list(want)
        for k in want:
            _same_estimate(got[k], want[k], k)
    else:
        _same_estimate(got, want)


@pytest.mark.parametrize("case", [CASES[1], CASES[4], CASES[11], CASES[14]],
                         ids=["mean", "fgt0", "fgtdec", "ge1"])
def test_domains_equal_the_by_table(hh, case):
    name, kw, cols, call = case
    G = int(hh.group.max()) + 1
    s = _chunked(hh, lambda: socind.State(name, strata=True, psu=True, n_groups=G, **kw), cols,
                 np.random.default_rng(7), groups=True)
    got = s.finish()
    want = call(hh, _design(hh), by=hh.group)
    _same_frame(got, want)
    if name == "mean":  # the other options reach the library too
        _same_frame(s.finish(level=0.9, ci="normal"),
                    call(hh, _design(hh), by=hh.group, level=0.9, ci="normal"))


def test_options_and_prop_ci(hh):
    s = _chunked(hh, lambda: socind.State("proportion", strata=True, psu=True), {"y": "poor"},
                 np.random.default_rng(3))
    d = _design(hh)
    for pc in ("wald", "beta", "asin"):
        _same_estimate(s.finish(prop_ci=pc, level=0.9),
                       socind.proportion(hh.poor, d, prop_ci=pc, level=0.9))
    with pytest.raises(socind.InputError) as e:
        s.finish(prop_ci="likelihood")
    assert e.value.status == socind.SOCIND_ERR_ARG
    g = socind.State("ge", strata=True, psu=True)
    with pytest.raises(socind.InputError):
        g.finish(prop_ci="wald")
    with pytest.raises(socind.InputError):
        s.finish(domain_rule="some")


def test_bytes_and_pickle_round_trip(hh):
    s = _chunked(hh, lambda: socind.State("fgt", line=LINE, alpha=1, strata=True, psu=True),
                 {"y": "y_miss"}, np.random.default_rng(11), pickled=False)
    b = s.to_bytes()
    assert isinstance(b, bytes) and len(b) == s.info.nbytes and b[:8] == b"SOCINDST"
    r = socind.State.from_bytes(b)
    assert r.to_bytes() == b and r.estimator == "fgt"
    assert socind.State.from_bytes(bytearray(b)).to_bytes() == b
    assert socind.State.from_bytes(memoryview(b)).to_bytes() == b
    p = pickle.loads(pickle.dumps(s))
    assert p.to_bytes() == b
    assert p.finish() == s.finish()  # rows known through pickle: n_missing too
    assert copy.deepcopy(s).to_bytes() == b
    # from bytes alone the rows added are unknown: n_missing 0, figures equal
    e, f = r.finish(), s.finish()
    assert f.n_missing > 0 and e.n_missing == 0
    assert (e.value, e.se, e.n) == (f.value, f.se, f.n)
    info = s.info
    assert info.count == 1 and info.npsu == hh.psu.nunique() and info.ncells == info.npsu
    assert s.passes == (1, 1)
    with pytest.raises(socind.InputError) as x:
        s.next_pass()
    assert x.value.status == socind.SOCIND_ERR_ARG
    assert "fgt" in repr(s)


def test_damaged_bytes_raise_the_format_error(hh):
    s = socind.State("mean", strata=True, psu=True)
    s.add(weight=hh.w_person, y=hh.cons_pc, strata=hh.stratum, psu=hh.psu)
    b = s.to_bytes()
    rng = np.random.default_rng(5)
    damaged = [b[: len(b) - 1], b[:50], b"", b"SOCINDST", b + b"\0", b"x" * len(b)]
    for i in rng.choice(len(b), size=20, replace=False):
        d = bytearray(b)
        d[i] ^= 1 << int(rng.integers(8))
        damaged.append(bytes(d))
    v = bytearray(b)
    v[8] = 5  # another format version
    damaged.append(bytes(v))
    # a mean's state in version 2 (its sums were of y itself), checksum
    # rewritten: refused for its version
    assert b[8] == 3
    v[8] = 2
    v[-4:] = zlib.crc32(bytes(v[:-4])).to_bytes(4, "little")
    damaged.append(bytes(v))
    for d in damaged:
        with pytest.raises(socind.InputError) as e:
            socind.State.from_bytes(d)
        assert e.value.status == socind.SOCIND_ERR_FORMAT
    with pytest.raises(socind.InputTypeError):
        socind.State.from_bytes("SOCINDST")


def test_states_of_different_specs_do_not_merge(hh):
    def make(*a, **k):
        s = socind.State(*a, strata=True, psu=k.pop("psu", True), **k)
        kw = {"psu": hh.psu} if s._spec.has_psu else {"first_row": 0}
        s.add(weight=hh.w_person, y=hh.cons_pc, strata=hh.stratum, **kw)
        return s
    a = make("fgt", line=LINE, alpha=0)
    for b in (make("fgt", line=LINE, alpha=1), make("fgt", line=LINE + 1, alpha=0),
              make("poor_count", line=LINE), make("fgt", line=LINE, alpha=0, psu=False),
              make("fgt", line=LINE, alpha=0, lonely_psu="adjust")):
        before = a.to_bytes()
        with pytest.raises(socind.InputError) as e:
            a.merge(b)
        assert e.value.status == socind.SOCIND_ERR_MISMATCH
        assert a.to_bytes() == before
    g = socind.State("mean", n_groups=2)
    g.add(weight=[1.0, 2.0], y=[3.0, 4.0], group=[0, 1])
    h = socind.State("mean", n_groups=3)
    with pytest.raises(socind.InputError) as e:
        g.merge(h)
    assert e.value.status == socind.SOCIND_ERR_MISMATCH
    with pytest.raises(socind.InputTypeError):
        g.merge(g.to_bytes())


def test_design_conflicts_across_states(hh):
    a = socind.State("mean", strata=True, psu=True)
    a.add(weight=[1.0, 1.0], y=[1.0, 2.0], strata=[1, 1], psu=[7, 8])
    b = socind.State("mean", strata=True, psu=True)
    b.add(weight=[1.0], y=[3.0], strata=[2], psu=[7], first_row=5)
    with pytest.raises(socind.DesignError) as e:
        a.merge(b)
    assert e.value.status == socind.SOCIND_ERR_NESTING and e.value.row == 5


def test_chunk_errors_name_rows_of_the_whole_data():
    s = socind.State("mean", n_groups=2)
    with pytest.raises(socind.InputError) as e:
        s.add(weight=[1.0, 1.0, 1.0], y=[1.0, 2.0, 3.0], group=[0, 2, 1], first_row=100)
    assert e.value.status == socind.SOCIND_ERR_GROUP and e.value.row == 101
    assert s.info.npsu == 0  # nothing of the chunk was added
    with pytest.raises(socind.InputError):
        s.add(weight=[1.0], y=[1.0], group=[0.5])
    with pytest.raises(socind.InputError):
        s.add(weight=[1.0], y=[1.0])  # group is required
    with pytest.raises(socind.InputError):
        s.add(weight=[1.0], y=[1.0], group=[0], strata=[1])  # not in the spec
    with pytest.raises(socind.DesignError) as e:
        s.add(weight=[1.0, -1.0], y=[1.0, 2.0], group=[0, 1], first_row=10)
    assert e.value.status == socind.SOCIND_ERR_WEIGHT and e.value.row == 11
    p = socind.State("mean", psu=True)
    with pytest.raises(socind.InputTypeError):
        p.add(weight=[1.0], y=[1.0], psu=["a"])  # labels differ chunk to chunk
    with pytest.raises(socind.EmptyError):
        socind.State("mean").finish()


def test_spec_errors():
    with pytest.raises(socind.InputError):
        socind.State("median")
    with pytest.raises(socind.InputError):
        socind.State("fgt")  # no line
    with pytest.raises(socind.InputError):
        socind.State("ge", alpha=1.0)  # ge's parameter is theta
    with pytest.raises(socind.InputError):
        socind.State("lorenz")  # lorenz needs p
    with pytest.raises(socind.InputError) as e:
        socind.State("fgt", line=-1.0)
    assert e.value.status == socind.SOCIND_ERR_ARG
    with pytest.raises(socind.InputError):
        socind.State("mean", exclude_nonpositive=True)
    with pytest.raises(socind.InputError):
        socind.State("mean", lonely_psu="drop")


def test_every_estimator_of_the_header_is_in_the_table():
    """state.h's SOCIND_STATE_* are the module's constants, and each
    estimator code has its line in socind.state.ESTIMATORS."""
    text = open(os.path.join(ROOT, "include", "socind", "state.h"), encoding="utf-8").read()
    macros = {k: int(v) for k, v in re.findall(r"#define\s+(SOCIND_STATE_\w+)\s+(\d+)", text)}
    assert macros and {k: getattr(st, k, None) for k in macros} == macros
    codes = {k.code for k in st.ESTIMATORS.values()}
    assert not codes & set(st.C_ONLY)
    assert codes | set(st.C_ONLY) == set(range(1, macros["SOCIND_STATE_ESTIMATOR_COUNT"]))
    for name in st.C_ONLY.values():
        with pytest.raises(socind.InputError):
            socind.State(name)


def _all_passes(hh, make, cols, rng):
    """Every pass of a multi-pass state over random chunks, merged in a
    random order, as many as each merged state says (a quantile's pass 2
    tells whether it takes a third); the last pass's merged state."""
    prev = None
    for k in range(8):
        n = len(hh)
        cuts = sorted(rng.integers(0, n + 1, 3).tolist())
        bounds = [0] + cuts + [n]
        states = []
        for a, b in zip(bounds[:-1], bounds[1:]):
            t = make() if k == 0 else prev.next_pass()
            sub = hh.iloc[a:b]
            t.add(weight=sub.w_person.to_numpy(), y=sub[cols["y"]].to_numpy(),
                  strata=sub.stratum.to_numpy(), psu=sub.psu.to_numpy(), first_row=a)
            states.append(t)
        rng.shuffle(states)
        merged = states[0]
        for t in states[1:]:
            merged.merge(t)
        prev = merged
        now, total = prev.passes
        if now >= total:
            return prev
    raise AssertionError("more passes than the estimates take")


@pytest.mark.parametrize("name,kw,fn", [
    ("quantile", {"p": 0.3}, lambda y, d: socind.quantile(y, 0.3, d)),
    ("gini", {}, lambda y, d: socind.gini(y, d)),
    ("share_ratio", {"alpha1": 0.2, "alpha2": 0.8}, lambda y, d: socind.share_ratio(y, 0.2, 0.8, d)),
    ("lorenz", {"p": 0.4}, lambda y, d: socind.lorenz(y, 0.4, d)),
])
def test_rank_based_states_over_their_passes(hh, name, kw, fn):
    s = _all_passes(hh, lambda: socind.State(name, strata=True, psu=True, **kw),
                    {"y": "cons_pc"}, np.random.default_rng(23))
    _same_estimate(s.finish(), fn(hh.cons_pc, _design(hh)), name)


@pytest.mark.parametrize("name,fn,last", [("sen", socind.sen, "gini_poor"),
                                           ("sst", socind.sst, "gini_gaps")])
def test_sen_and_sst_over_their_passes(hh, name, fn, last):
    """The Sen and SST indices' states (the Gini's of the poor's y/line)
    against socind.sen and socind.sst: a dict of four parts; a relative line
    is refused."""
    s = _all_passes(hh, lambda: socind.State(name, line=LINE, strata=True, psu=True),
                    {"y": "cons_pc"}, np.random.default_rng(31))
    got, want = s.finish(), fn(hh.cons_pc, LINE, _design(hh))
    assert list(got) == list(want) == ["index", "headcount", "gap", last]
    for k in want:
        _same_estimate(got[k], want[k], k)
    with pytest.raises(socind.InputError) as e:
        socind.State(name, line=socind.relative_line(0.6))
    assert e.value.status == socind.SOCIND_ERR_ARG


@pytest.mark.parametrize("name,fn", [("poor_median", socind.poor_median),
                                     ("relative_median_gap", socind.relative_median_gap)])
@pytest.mark.parametrize("fraction,quantile", [(None, None), (0.5, 0.4)])
def test_poor_median_and_gap_over_two_passes(hh, name, fn, fraction, quantile):
    """The median income of the poor and the relative median gap over two
    passes (the line's window and the range of the poor's median kept)
    against socind.poor_median and socind.relative_median_gap, at their
    default line (0.6 × the median) and another; they take no line=."""
    kw = {} if fraction is None else {"fraction": fraction, "quantile": quantile}
    s = _all_passes(hh, lambda: socind.State(name, strata=True, psu=True, **kw),
                    {"y": "cons_pc"}, np.random.default_rng(37))
    assert s.passes == (2, 2)
    _same_estimate(s.finish(), fn(hh.cons_pc, **kw, design=_design(hh)), name)
    with pytest.raises(socind.InputError):
        socind.State(name, line=500000.0)
    with pytest.raises(socind.InputError):
        socind.State(name, alpha=1.0)


def test_proportion_likelihood_over_two_passes(hh):
    """A proportion's likelihood state: two passes, then every prop_ci
    (the likelihood interval profiled around R's glm fit) as
    socind.proportion gives it, overall and by domain."""
    s = _all_passes(hh, lambda: socind.State("proportion_likelihood", strata=True, psu=True),
                    {"y": "poor"}, np.random.default_rng(41))
    assert s.passes == (2, 2)
    d = _design(hh)
    for pc in ("likelihood", "logit", "beta"):
        _same_estimate(s.finish(prop_ci=pc), socind.proportion(hh.poor, d, prop_ci=pc), pc)
    G = int(hh.group.max()) + 1
    prev = None
    for k in range(2):  # by domain, each pass's rows in one chunk
        t = socind.State("proportion_likelihood", strata=True, psu=True, n_groups=G) \
            if k == 0 else prev.next_pass()
        t.add(weight=hh.w_person.to_numpy(), y=hh.poor.to_numpy(), strata=hh.stratum.to_numpy(),
              psu=hh.psu.to_numpy(), group=hh.group.to_numpy())
        prev = t
    _same_frame(prev.finish(prop_ci="likelihood"),
                socind.proportion(hh.poor, d, by=hh.group, prop_ci="likelihood"))


def test_fgt_against_a_relative_line(hh):
    line = socind.relative_line(0.6)
    s = _all_passes(hh, lambda: socind.State("fgt", line=line, alpha=0, strata=True, psu=True),
                    {"y": "cons_pc"}, np.random.default_rng(29))
    _same_estimate(s.finish(), socind.fgt(hh.cons_pc, line, 0, _design(hh)), "fgt")


@pytest.mark.parametrize("theta", [0.0, 1.0, 2.0])
def test_ge_decomposition_over_a_partition(hh, theta):
    G = int(hh.group.max()) + 1
    s = _chunked(hh, lambda: socind.State("ge_decomposition", theta=theta, n_groups=G,
                                          strata=True, psu=True),
                 {"y": "cons_pc"}, np.random.default_rng(17), groups=True)
    got = s.finish()
    want = socind.ge_decomposition(hh.cons_pc, hh.group, theta, _design(hh))
    assert list(got) == list(want) == ["total", "within", "between"]
    for k in want:
        _same_estimate(got[k], want[k], k)


@pytest.mark.parametrize("alpha", [0.0, 2.0])
def test_poverty_profile_by_group(hh, alpha):
    G = int(hh.group.max()) + 1
    s = _chunked(hh, lambda: socind.State("poverty_profile", line=LINE, alpha=alpha,
                                          n_groups=G, strata=True, psu=True),
                 {"y": "cons_pc"}, np.random.default_rng(19), groups=True)
    got = s.finish()
    want = socind.poverty_profile(hh.cons_pc, LINE, hh.group, alpha, _design(hh))
    assert len(got) == G * 4
    for g in range(G):
        for part in ("share", "fgt", "contribution", "contribution_share"):
            _close(got.loc[(g, part), "value"], want.loc[g, part], (g, part))
            _close(got.loc[(g, part), "se"], want.loc[g, part + "_se"], (g, part, "se"))
        assert got.loc[(g, "fgt"), "n"] == want.loc[g, "n"]


def test_set_groups_raises_the_domains(hh):
    a = socind.State("mean", n_groups=2)
    a.add(weight=[1.0, 2.0, 3.0], y=[1.0, 2.0, 4.0], group=[0, 1, 1])
    a.set_groups(3)
    a.add(weight=[1.0, 1.0], y=[5.0, 7.0], group=[2, 2], first_row=3)
    b = socind.State("mean", n_groups=3)
    b.add(weight=[1.0, 2.0, 3.0, 1.0, 1.0], y=[1.0, 2.0, 4.0, 5.0, 7.0], group=[0, 1, 1, 2, 2])
    pd.testing.assert_frame_equal(a.finish(), b.finish())
    assert a.to_bytes() == b.to_bytes()
    with pytest.raises(socind.InputError):
        a.set_groups(2)
    with pytest.raises(socind.InputError):
        socind.State("mean").set_groups(2)


def test_many_domains_are_made_without_writing_them():
    # a mean's state of 10^7 domains writes none of them (its shifts were
    # written, 160 MB); one of 2**31 - 1 domains, in a process limited to
    # 2 GB of address space, is refused as out of memory (or made) instead
    # of the kernel's ending the process as it wrote 34 GB
    code = textwrap.dedent("""
        import resource, sys
        import socind

        def rss_kb():
            with open("/proc/self/status") as f:
                return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))

        kb0 = rss_kb()
        s = socind.State("mean", n_groups=10**7)
        print(rss_kb() - kb0)
        del s
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        try:
            socind.State("mean", n_groups=2**31 - 1)
            print("made")
        except socind.ComputeError as e:
            print("refused", e.status)
        # the rank-based states write their tables of domains when made
        # (state.h): refused alike, never an abort
        # (the median of the poor keeps its line's slot after the domains:
        # 2**31 - 1 domains leave it none and are refused as an argument)
        for est, kw in (("quantile", {"p": 0.5}), ("gini", {}), ("lorenz", {"p": 0.5}),
                        ("share_ratio", {"alpha1": 0.2, "alpha2": 0.8}), ("poor_median", {}),
                        ("sen", {"line": 10.0}), ("proportion_likelihood", {})):
            try:
                socind.State(est, n_groups=2**31 - (2 if est == "poor_median" else 1), **kw)
                print(est, "made")
            except socind.ComputeError as e:
                print(est, "refused", e.status)
        try:
            socind.State("poor_median", n_groups=2**31 - 1)
            print("poor_median at 2**31 - 1 made")
        except socind.InputError as e:
            print("poor_median at 2**31 - 1 refused", e.status)
    """)
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc/self/status")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    grown, made = r.stdout.split("\n")[:2]
    assert int(grown) < 40000  # kB: the binding's own per-domain counts are not written either
    assert made in ("made", f"refused {socind.status.SOCIND_ERR_NOMEM}")
    rest = r.stdout.split("\n")[2:9]
    assert len(rest) == 7, r.stdout
    for line in rest:
        est, outcome = line.split(" ", 1)
        assert outcome in ("made", f"refused {socind.status.SOCIND_ERR_NOMEM}"), line
    assert r.stdout.split("\n")[9] == (
        f"poor_median at 2**31 - 1 refused {socind.status.SOCIND_ERR_ARG}"), r.stdout


def test_domain_row_counts_of_small_chunks_among_many_domains():
    # chunks of 40 rows into 10^5 domains count each chunk's own domains
    # (not a pass over every domain each add); the counts and figures are
    # those of the same rows added as one chunk
    G, rng = 10**5, np.random.default_rng(20261206)
    g = rng.integers(-1, 2000, 4000).astype(np.int32) * 37 % G
    g[rng.random(4000) < 0.1] = -1
    y, w = rng.random(4000) + 1.0, rng.random(4000) + 0.5
    small, whole = socind.State("mean", n_groups=G), socind.State("mean", n_groups=G)
    for a in range(0, 4000, 40):
        small.add(w[a:a + 40], y[a:a + 40], group=g[a:a + 40])
    whole.add(w, y, group=g)
    got, want = small.finish(), whole.finish()
    counts = np.bincount(g[g >= 0], minlength=G)
    assert got["n"].tolist() == counts.tolist()
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


def test_state_of_2_31_domains_counts_only_the_domains_touched():
    # the binding kept a row count for every domain (16 GiB for 2**31 − 1
    # of them): under an 8 GiB address-space limit, State("total") failed
    # with a bare MemoryError after the library had made the state. It now
    # counts the rows of the domains a chunk touches; finishing 2**31 − 1
    # estimates, or the library's own tables, is a ComputeError
    # (SOCIND_ERR_NOMEM) naming n_groups
    code = textwrap.dedent("""
        import resource
        import socind
        resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))
        for est, kw in (("total", {}), ("fgt", {"line": 2.0}), ("mean", {})):
            try:
                s = socind.State(est, n_groups=2**31 - 1, **kw)
            except socind.ComputeError as e:
                print(est, "refused", e.status, "n_groups = 2147483647" in str(e))
                continue
            s.add([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], group=[0, 5, 2**31 - 2])
            try:
                s.finish()
                print(est, "finished")
            except socind.ComputeError as e:
                print(est, "refused", e.status, "n_groups = 2147483647" in str(e))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split("\n")[:3]
    nomem = socind.status.SOCIND_ERR_NOMEM
    for est, line in zip(("total", "fgt", "mean"), lines):
        assert line in (f"{est} finished", f"{est} refused {nomem} True"), r.stdout


def test_state_table_without_memory_is_a_compute_error_naming_n_groups():
    # the table of a state's estimates by domain was built a dict and an
    # Estimate per domain (850 bytes and 8 µs each: 2e6 domains took 17 s
    # and 1.7 GB); it is built column by column from the library's
    # estimates, and where even that finds no memory (an address-space
    # limit that leaves room for the library's estimates, not for the
    # table) the error is a ComputeError naming n_groups, not a bare
    # MemoryError
    code = textwrap.dedent("""
        import resource
        import pandas
        import socind
        vm = next(int(x.split()[1]) for x in open("/proc/self/status")
                  if x.startswith("VmSize:")) << 10
        resource.setrlimit(resource.RLIMIT_AS, (vm + (1 << 30), vm + (1 << 30)))
        s = socind.State("total", n_groups=10**7)
        s.add([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], group=[0, 5, 10**7 - 1])
        try:
            f = s.finish()
            print("finished", f.shape, f["weight_sum"].iloc[[0, 5, -1]].tolist())
        except socind.ComputeError as e:
            print("refused", e.status, "n_groups = 10000000" in str(e))
    """)
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc/self/status")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    nomem = socind.status.SOCIND_ERR_NOMEM
    assert r.stdout.strip() in (f"refused {nomem} True",
                                "finished (10000000, 9) [1.0, 2.0, 3.0]"), r.stdout


def test_state_row_counts_survive_set_groups_merge_next_pass_and_pickle():
    a = socind.State("mean", n_groups=3)
    a.add([1.0, 1.0, 1.0, 1.0], [1.0, np.nan, 3.0, 4.0], group=[0, 0, 2, -1])
    a.set_groups(5)
    b = socind.State("mean", n_groups=5)
    b.add([1.0, 1.0], [np.nan, 5.0], group=[4, 2], first_row=4)
    a.merge(b)
    t = a.finish()
    assert t["n"].tolist() == [1, 0, 2, 0, 0]
    assert t["n_missing"].tolist() == [1, 0, 0, 0, 1]
    c = pickle.loads(pickle.dumps(a))
    pd.testing.assert_frame_equal(c.finish(), t)
    # the pickles of earlier versions carry one count a domain, then all rows
    d = socind.state._unpickle(a.to_bytes(), [2, 0, 2, 0, 1, 6], a._spans)
    pd.testing.assert_frame_equal(d.finish(), t)
    e = socind.state._unpickle(a.to_bytes(), [2, 0], a._spans)  # not this state's: unknown
    assert e.finish()["n_missing"].tolist() == [0] * 5


def test_row_at_a_relative_line_counts_in_fgt1s_line_derivative():
    # convey's svyfgt: A = Σ w·g·((z − y)/z)^(g−1)·y/z²·1[y <= z]/N̂ with
    # 0^0 = 1, so a row exactly at the line adds y/z² at g = 1. Ten
    # unit-weight rows of mean 600, line 0.5 × the mean = 300, poor 100, 200
    # and 300; the state's passes, as the in-memory call, for FGT1 and the
    # P1 inside both decompositions (the row was left out: SE 0.0616).
    y = np.array([100, 200, 300, 400, 500, 600, 700, 800, 900, 1500], dtype=float)
    w = np.ones(10)
    z, N = 300.0, 10.0
    poor = y <= z
    h1 = np.where(poor, (z - y) / z, 0.0)
    P0, P1 = poor.mean(), h1.mean()
    uz = 0.5 * (y - 600) / N
    # FGT0's line term: convey's kernel density at the line (h = σ̂/N̂^(1/5))
    h = np.sqrt(np.mean(y * y) - np.mean(y) ** 2) / N ** 0.2
    f = np.sum(np.exp(-0.5 * ((z - y) / h) ** 2)) / np.sqrt(2 * np.pi) / (N * h)
    u0 = (poor - P0) / N + f * uz
    u1 = (h1 - P1) / N + np.sum(y[poor]) / z ** 2 / N * uz
    uw = (np.where(poor, np.log(z / y), 0.0) - np.mean(np.where(poor, np.log(z / y), 0.0))) / N \
        + P0 / z * uz
    u_gap = u0 / P0 - (u0 - u1) / (P0 - P1)  # log(P0 / (P0 − P1))
    se = lambda u: np.sqrt(10 / 9 * np.sum((u - u.mean()) ** 2))
    line = socind.relative_line(0.5, of="mean")

    def run(name, **kw):
        s = socind.State(name, line=line, inclusive=True, **kw)
        while True:
            s.add(weight=w, y=y)
            now, total = s.passes
            if now == total:
                return s.finish()
            s = s.next_pass()

    e = run("fgt", alpha=1.0)
    assert e.value == pytest.approx(P1, rel=1e-14)
    assert e.se == pytest.approx(se(u1), rel=1e-13)
    dec = run("fgt_decomposition", alpha=2.0)
    assert dec["fgt1"].se == pytest.approx(se(u1), rel=1e-13)
    wd = run("watts_decomposition")
    assert wd["watts"].se == pytest.approx(se(uw), rel=1e-13)
    assert wd["gap_ratio"].se == pytest.approx(se(u_gap), rel=1e-13)
    mem = socind.watts_decomposition(y, line, inclusive=True)
    assert mem["gap_ratio"].se == pytest.approx(se(u_gap), rel=1e-13)
