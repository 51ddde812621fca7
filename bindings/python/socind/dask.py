# SPDX-License-Identifier: GPL-3.0-or-later
"""socind.dask: the binding's estimators on a Dask DataFrame, exactly.

Each function takes a ``dask.dataframe.DataFrame`` and column names where
the in-memory function (:mod:`socind`) takes arrays and a
:class:`socind.Design`, and returns what that function returns::

    import socind.dask as sd
    sd.fgt(ddf, y="cons_pc", line=550000, alpha=0, weight="w",
           strata="stratum", psu="psu", by="district")

How: every partition is reduced, in its worker, to a partial state
(:class:`socind.State`, the library's portable bytes: docs/state-format.md);
the states are merged in a tree of ``split_every`` states a task, and the
task at the root of the tree finishes the merged state: the client
receives the estimates (or, between passes, the next pass's empty state),
never the states themselves, which hold every PSU. Rows never leave their
worker.
Rank-based estimates (quantiles, Lorenz, the share ratio, the Gini,
relative lines and the poverty measures against them), and a proportion
with ``prop_ci="likelihood"`` (each domain's mean weight, then R's glm
fit), take the passes their state needs (:attr:`socind.State.passes`): after each pass the
root makes the next pass's empty state from the merged one
(:meth:`socind.State.next_pass`) and a new Dask
computation adds every partition to it again. The figures agree with the
in-memory function within the bound the states guarantee (1e−12
relative; include/socind/state.h, "Agreement").

Before the states, one Dask computation reads each partition's length
(rows are numbered across partitions, as in one file: errors name the
partition and the row within it) and the labels of ``by`` and of text
strata or PSUs, so that every partition codes them alike: groups in the
order the in-memory function gives them.

Design: ``weight`` (a column of sampling weights; None: 1 for every
row), ``strata``, ``psu`` (columns of ids: integers, or labels), ``fpc``,
``lonely_psu`` and ``nest`` as :class:`socind.Design`. A poverty ``line``
is a number, a :class:`socind.relative_line`, or the name of a column of
per-row lines. ``by`` is a column name or a list of names (crossed).

Bad input in a partition (a negative weight, a PSU in two strata across
partitions, a code outside the domains) raises the exception the
in-memory call raises, with the library's status and message, followed by
the partition and the row within it; the exception's ``row`` is the row's
number across partitions (as in one file), in every function. A partition
that loads as something else than a pandas DataFrame is refused
(InputTypeError naming it).

The estimators offered are those with partial states (socind/state.h):
total, mean, ratio, proportion, fgt, poor_count, poverty_gap_total,
mean_shortfall, watts, fgt_decomposition, watts_decomposition,
poverty_profile, poverty_line, ge, atkinson, ge_decomposition, gini,
quantile, share_ratio, lorenz; and :func:`zscores` (row by row, a Dask
DataFrame) and :func:`prevalence` (WHO's table)."""

from __future__ import annotations

import copy
import ctypes
from typing import Any, Optional, Sequence

import numpy as np

from . import _convert as _cv
from ._common import (Estimate, Estimate_t, Options_t, _check, _options, _reason, _scalar,
                      _warn)
from ._errors import InputError, InputTypeError, SocindError
from ._groups import _Groups, _frame
from ._lib import HANDLE, lib
from .inequality import _GEDEC
from .poverty import _FGTDEC, _PROFILE, _WATTSDEC, relative_line
from .state import (ESTIMATORS, SOCIND_STATE_GE_DECOMPOSITION, SOCIND_STATE_POVERTY_PROFILE,
                    Chunk_t, State, StateSpec_t, _StateHandle)
from .status import SOCIND_ERR_ARG, SOCIND_ERR_DATA, SOCIND_ERR_EMPTY, SOCIND_ERR_GROUP

SPLIT_EVERY = 8  # states merged by one task of the tree


def _register_sizeof() -> None:
    """Tells Dask a State's size (its bytes), so that the scheduler keeps a
    merge where the large state already is instead of moving it (a move
    holds it twice: the object and its pickled bytes) and counts the
    workers' memory right."""
    try:
        from dask.sizeof import sizeof
    except ImportError:  # pragma: no cover
        return

    @sizeof.register(State)
    def _state_size(s: State) -> int:
        try:
            return int(s.info.nbytes)
        except SocindError:  # pragma: no cover - a freed state
            return 64


# ---------------------------------------------------------------- helpers


def _dd():
    try:
        import dask
        import dask.dataframe as dd
    except ImportError as e:  # pragma: no cover - the package is a dependency of this module
        raise ImportError("socind.dask needs Dask (Debian: python3-dask, python3-distributed)") \
            from e
    return dask, dd


_register_sizeof()


def _is_name(c: Any) -> bool:
    """A column's label as the DataFrame has it: text, or a number (a
    DataFrame made from an array has columns 0, 1, …), matched exactly
    (the column 1 is not "1")."""
    return isinstance(c, (str, int, float, np.integer, np.floating)) and \
        not isinstance(c, (bool, np.bool_))


def _names(x: Any, what: str) -> list:
    """A column name or a list of names."""
    if x is None:
        return []
    if _is_name(x):
        return [x]
    if isinstance(x, (list, tuple)) and x and all(_is_name(c) for c in x):
        return list(x)
    raise InputTypeError(SOCIND_ERR_ARG, f"{what} takes a column name or a list of column "
                         f"names, not {x!r}")


def _need_columns(ddf: Any, cols: dict) -> None:
    _, dd = _dd()
    if not isinstance(ddf, dd.DataFrame):
        raise InputTypeError(SOCIND_ERR_ARG, "socind.dask takes a dask.dataframe.DataFrame, "
                             f"not {type(ddf).__name__}")
    have = list(ddf.columns)
    for arg, names in cols.items():
        for c in names:
            if not _is_name(c):
                raise InputTypeError(SOCIND_ERR_ARG, f"{arg} takes column names, not {c!r}")
            if not _has(have, c):
                num = [k for k in have if not isinstance(k, str) and str(k) == c]
                hint = (f"; its column {num[0]!r} is named by a number: pass {num[0]!r}, not "
                        f"{c!r}" if num else "")
                raise InputError(SOCIND_ERR_ARG, f"{arg}: no column {c!r} in the DataFrame "
                                 f"(columns: {_listed(have)}){hint}")


def _has(columns: list, c: Any) -> bool:
    """c is one of the columns, compared exactly: "1" is not the column 1."""
    return any(isinstance(c, str) == isinstance(k, str) and c == k for k in columns)


def _listed(columns: list) -> str:
    """The columns for a message: names as written, other labels as repr."""
    return ", ".join(sorted(k if isinstance(k, str) else repr(k) for k in columns))


def _have_columns(df, need: Optional[dict]) -> None:
    """Every column the call reads is in this partition (InputError naming
    the argument and the column; the caller adds the partition). A
    partition that loads as something else than a pandas DataFrame (a
    Series, from dd.from_delayed without its meta verified) is refused."""
    import pandas as pd
    if not isinstance(df, pd.DataFrame):
        raise InputTypeError(SOCIND_ERR_ARG, f"this partition is a {type(df).__name__}, not a "
                             "pandas DataFrame: every partition must load as a DataFrame "
                             "with the columns the call reads (check the function that makes "
                             "the partitions)")
    if not need:
        return
    have = list(df.columns)
    for arg, names in need.items():
        for c in names:
            if not _has(have, c):
                raise InputError(SOCIND_ERR_ARG, f"{arg}: no column {c!r} in this partition "
                                 f"(its columns: {_listed(have)}); the DataFrame's "
                                 "partitions must all carry the columns the call reads")


def _where(e: SocindError, part: int, offset: int, rowmap: Optional[np.ndarray] = None):
    """e with its row (numbered across partitions) given as the partition
    and the row within it."""
    row = e.row
    text = str(e.args[0]) if e.args else ""
    if row is not None:
        local = int(row) - offset
        if rowmap is not None and 0 <= local < rowmap.shape[0]:
            local = int(rowmap[local])
        text += f" (partition {part}, row {local} of the partition)"
    else:
        text += f" (partition {part})"
    out = type(e)(e.status, text, row, e.rows)
    return out


def _where_merged(e: SocindError, offsets: Sequence[int]):
    """A merge's error: its row numbered across partitions → the partition."""
    if e.row is None:
        return e
    p = int(np.searchsorted(np.asarray(offsets), int(e.row), side="right")) - 1
    text = (str(e.args[0]) if e.args else "") + \
        f" (partition {p}, row {int(e.row) - int(offsets[p])} of the partition)"
    return type(e)(e.status, text, e.row, e.rows)


# ---------------------------------------------------------------- labels


class _Labels:
    """The labels of one column over every partition, in the order the
    in-memory functions number them (socind._convert.factorize: sorted, or
    for a categorical column in its categories' order: ``order``)."""

    def __init__(self, name: str, seen: list, order: Optional[list] = None):
        vals = np.empty(len(seen), dtype=object)
        vals[:] = seen
        # kinds that differ between partitions (each partition's own were
        # checked with its rows): refused without a row, which the list of
        # labels seen does not have
        _cv._classify(list(seen), name)
        _, labels = _cv.factorize(vals, None, name) if len(seen) else (None, [])
        if order is not None:
            pos = {v: k for k, v in enumerate(_cv._tidy(list(order)))}
            labels = sorted(labels, key=lambda v: pos.get(v, len(pos)))
        self.name = name
        self.labels = list(labels)
        self.code = {v: k for k, v in enumerate(self.labels)}

    def codes(self, col: Any) -> np.ndarray:
        """Codes (int64, −1 missing) of a partition's column. A label the
        first reading did not see (the data changed between the readings)
        is outside the domains: InputError with SOCIND_ERR_GROUP naming the
        row."""
        local, lab = _cv.factorize(col, None, self.name)
        m = np.array([self.code.get(v, -2) for v in lab] + [-1], dtype=np.int64)
        out = m[local]  # local −1 → the last entry, −1
        if (out == -2).any():
            i = int(np.flatnonzero(out == -2)[0])
            raise InputError(SOCIND_ERR_GROUP, f"{self.name}: row {i} has the label "
                             f"{lab[int(local[i])]!r}, which the first reading of the data did "
                             "not see: the data changed between the readings (outside the "
                             "domains)", i)
        return out


def _meta_part(df, part: int, by: list, idcols: list, extra, need=None):
    """What the client needs of a partition before the states: its length,
    the label combinations of ``by`` seen, and the labels of text ids. An
    error is returned ("error", its row within the partition): the client
    raises it once every partition's length, so its row across partitions,
    is known."""
    try:
        _have_columns(df, need)
        return _meta_of(df, by, idcols, extra)
    except SocindError as e:
        try:
            n = int(len(df))
        except TypeError:  # pragma: no cover - a partition without a length
            n = 0
        return {"n": n, "error": e}


def _meta_of(df, by: list, idcols: list, extra):
    out = {"n": int(len(df)), "by": None, "ids": {}, "cats": {}}
    for c in by:
        dt = getattr(df[c], "dtype", None)
        if type(dt).__name__ == "CategoricalDtype":
            out["cats"][c] = list(dt.categories)
    if by:
        per = [_cv.factorize(df[c], None, c) for c in by]
        if len(per) == 1:
            out["by"] = [(v,) for v in per[0][1]]
        else:
            miss = np.zeros(len(df), dtype=bool)
            for c, _ in per:
                miss |= c < 0
            if (~miss).any():
                mat = np.stack([c[~miss] for c, _ in per], axis=1)
                combos = np.unique(mat, axis=0)
                out["by"] = [tuple(per[j][1][int(k)] for j, k in enumerate(r)) for r in combos]
            else:
                out["by"] = []
    for c in idcols:
        _, _, labels = _cv.ids(df[c], None, c)
        out["ids"][c] = None if labels is None else list(labels)
    if extra is not None:
        out["extra"] = extra(df)
    return out


def _id_labels_part(df, part: int, c: str, offset: int) -> list:
    """The distinct values of a partition's id column, as labels."""
    try:
        return list(_cv.factorize(df[c], None, c)[1])
    except SocindError as e:
        if e.row is not None:
            e.row = int(e.row) + offset
        raise _where(e, part, offset) from None


def _category_order(meta: list, c: str) -> Optional[list]:
    """The categories of a column that is categorical with the same
    categories in every partition (the in-memory call numbers its groups in
    that order), else None (sorted, as any other column's labels)."""
    cats = [m["cats"].get(c) for m in meta]
    if not cats or any(x is None for x in cats) or any(x != cats[0] for x in cats[1:]):
        return None
    return cats[0]


class _Plan:
    """Partition offsets, the groups of ``by`` and the label maps of text
    ids, from one Dask computation over the partitions."""

    def __init__(self, ddf, by: list, idcols: list, extra=None, need: Optional[dict] = None):
        dask, _ = _dd()
        parts = ddf.to_delayed()
        self.need = need
        meta = dask.compute(*[dask.delayed(_meta_part)(p, i, by, idcols, extra, need)
                               for i, p in enumerate(parts)])
        self._parts = parts
        self.lengths = [m["n"] for m in meta]
        self.offsets = [0]
        for k in self.lengths[:-1]:
            self.offsets.append(self.offsets[-1] + k)
        self.n = int(sum(self.lengths))
        for i, m in enumerate(meta):  # the first partition's error, its row across partitions
            e = m.get("error")
            if e is not None:
                if e.row is not None:
                    e.row = int(e.row) + self.offsets[i]
                raise _where(e, i, self.offsets[i]) from None
        if by and self.n == 0:  # (before "by: every value is missing")
            from ._errors import EmptyError
            raise EmptyError(SOCIND_ERR_EMPTY, "the DataFrame has no row")
        self.extra = [m.get("extra") for m in meta]
        self.ids = {}
        for c in idcols:
            seen = [m["ids"][c] for m in meta]
            if any(s is not None for s in seen):
                # ids are labels when any partition's are (1.5 beside 4.0, text
                # beside numbers): then every partition's values are labels of
                # one numbering, as the in-memory call numbers the whole column's
                ints = [i for i, x in enumerate(seen) if x is None]
                if ints:
                    more = dask.compute(*[dask.delayed(_id_labels_part)(parts[i], i, c,
                                                                        self.offsets[i])
                                          for i in ints])
                    for i, x in zip(ints, more):
                        seen[i] = x
                allv = [v for x in seen for v in x]
                self.ids[c] = _Labels(c, allv)
        self.by = by
        self.groups = None
        if by:
            combos = [t for m in meta for t in m["by"]]
            cols = [_Labels(c, [t[j] for t in combos], _category_order(meta, c))
                    for j, c in enumerate(by)]
            self.by_labels = cols
            keys = sorted({tuple(cols[j].code[v] for j, v in enumerate(t)) for t in combos})
            self.sizes = tuple(max(1, len(c.labels)) for c in cols)
            if float(np.prod([float(x) for x in self.sizes])) >= 2.0 ** 62:
                raise InputError(SOCIND_ERR_ARG, "by: too many label combinations to code "
                                 "(the product of the columns' label counts reaches 2**62)")
            self.flat = (np.ravel_multi_index(np.array(keys, dtype=np.int64).T, self.sizes)
                         if keys else np.zeros(0, np.int64))
            g = _Groups.__new__(_Groups)
            g.names = list(by)
            g.labels = ([cols[0].labels[k[0]] for k in keys] if len(by) == 1 else
                        [tuple(cols[j].labels[i] for j, i in enumerate(k)) for k in keys])
            g.G = len(keys)
            if g.G == 0:
                from ._errors import EmptyError
                raise EmptyError(SOCIND_ERR_EMPTY, "by: every value is missing, so there is no "
                                 "group to estimate")
            for j, c in enumerate(by):
                if "all" in cols[j].labels:
                    raise InputError(SOCIND_ERR_DATA, f"{c}: the label 'all' is the label of the "
                                     "overall row; rename it")
            g._per = None
            self.groups = g

    def __getstate__(self):
        d = dict(self.__dict__)
        d.pop("_parts", None)  # the client's; a task needs only the codes
        return d

    @property
    def parts(self):
        return self._parts

    def group_codes(self, df) -> np.ndarray:
        """The partition's group codes (int32, −1: a missing label)."""
        per = [lab.codes(df[c]) for lab, c in zip(self.by_labels, self.by)]
        if len(per) == 1:
            return per[0].astype(np.int32)
        ok = np.ones(len(df), dtype=bool)
        for c in per:
            ok &= c >= 0
        out = np.full(len(df), -1, dtype=np.int32)
        # combinations as mixed-radix numbers: the order of the keys' tuples
        key = np.ravel_multi_index([c[ok] for c in per], self.sizes)
        pos = np.searchsorted(self.flat, key)
        out[ok] = pos.astype(np.int32)
        return out

    def id_values(self, df, c: str) -> np.ndarray:
        lab = self.ids.get(c)
        if lab is not None:
            v = lab.codes(df[c])
            if (v < 0).any():
                i = int(np.flatnonzero(v < 0)[0])
                raise InputError(SOCIND_ERR_DATA, f"{c} is missing at row {i}: every row needs "
                                 "its ids", i)
            return _cv.c_array(v)
        v, miss, labels = _cv.ids(df[c], None, c)
        if miss is not None and miss.any():
            i = int(np.flatnonzero(miss)[0])
            raise InputError(SOCIND_ERR_DATA, f"{c} is missing at row {i}: every row needs its "
                             "ids", i)
        return v


# ---------------------------------------------------------------- states


class _Spec:
    """One estimate: the State's constructor arguments, its columns, and
    how the result is shaped."""

    def __init__(self, estimator: str, y: str, y2: Optional[str], design: dict, by: list,
                 state_kw: dict, level: float, ci: Optional[str], prop_ci: Optional[str] = None,
                 names: Optional[list] = None):
        self.estimator = estimator
        self.kind = ESTIMATORS[estimator]
        self.y, self.y2 = y, y2
        self.design = design
        self.by = by
        self.state_kw = state_kw
        self.level, self.ci, self.prop_ci = level, ci, prop_ci
        self.names = names


def _new_states(spec: _Spec, G: int) -> list:
    """Empty states of the first pass: the overall one, then the grouped
    one (when ``by`` is given)."""
    d = spec.design
    common = dict(strata=d["strata"] is not None, psu=d["psu"] is not None,
                  fpc=d["fpc"] is not None, lonely_psu=d["lonely_psu"], nest=d["nest"],
                  **spec.state_kw)
    code = spec.kind.code
    if code == SOCIND_STATE_GE_DECOMPOSITION:
        return [State(spec.estimator, n_groups=G, **common)]
    if code == SOCIND_STATE_POVERTY_PROFILE:
        return [State(spec.estimator, n_groups=1, **common),
                State(spec.estimator, n_groups=G, **common)]
    out = [State(spec.estimator, **common)]
    if G:
        out.append(State(spec.estimator, n_groups=G, **common))
    return out


def _add_part(df, part: int, offset: int, specs: list, plan: _Plan, base: list):
    """A partition's states, per estimate, and its rows per group.
    ``base[i]``: per state of estimate i the bytes of its next pass's empty
    state, or False for a state that has made its last pass (None in its
    place: nothing added); None on the estimate's first pass, or False when
    every state of it is done (nothing added)."""
    G = plan.groups.G if plan.groups is not None else 0
    n = len(df)
    try:  # reading the partition's columns: errors name the partition's own rows
        _have_columns(df, plan.need)  # (the partition may have changed since the plan)
        d = specs[0].design
        w = (np.ones(n) if d["weight"] is None else _cv.f64(df[d["weight"]], n, d["weight"],
                                                          bools="weights"))
        kw = {}
        for k in ("strata", "psu"):
            if d[k] is not None:
                kw[k] = plan.id_values(df, d[k])
        if d["fpc"] is not None:
            kw["fpc"] = _cv.f64(df[d["fpc"]], n, d["fpc"],
                                  bools="population sizes or fractions")
        codes = plan.group_codes(df) if G else None
        cols = {}
        for spec in specs:
            for c in (spec.y, spec.y2):
                if c is not None and c not in cols:
                    cols[c] = _cv.f64(df[c], n, c)
    except SocindError as e:
        if e.row is not None:
            e.row = int(e.row) + offset
        raise _where(e, part, offset) from None
    try:  # the library's errors name rows from first_row = offset
        out = []
        for spec, b in zip(specs, base):
            if b is False:
                out.append(None)
                continue
            states = [None if x is False else State.from_bytes(x) for x in b] \
                if b is not None else _new_states(spec, G)
            y = cols[spec.y]
            y2 = None if spec.y2 is None else cols[spec.y2]
            code = spec.kind.code
            for j, s in enumerate(states):
                if s is None:
                    continue
                if code == SOCIND_STATE_GE_DECOMPOSITION or j == 1:
                    g = codes
                elif code == SOCIND_STATE_POVERTY_PROFILE:
                    g = np.zeros(n, dtype=np.int32)
                else:
                    g = None
                s.add(w, y, y2=y2, group=g, first_row=offset, **kw)
            out.append(states)
        rows = (np.bincount(codes[codes >= 0], minlength=G) if G else np.zeros(0, np.int64))
        return out, rows
    except SocindError as e:
        raise _where(e, part, offset) from None


def _merge(items: list, offsets: Sequence[int]):
    """Merges partitions' (states per estimate, rows) into the first's
    states. A task's states stay objects in its worker's memory; they
    become bytes (State pickles through socind_state_to_bytes) only when
    Dask moves them to another process. Each result is read by one merge
    task only, so merging into it in place is safe."""
    try:
        first = items[0][0]
        rows = np.array(items[0][1], dtype=np.int64)
        for states, r in items[1:]:
            for mine, theirs in zip(first, states):
                if mine is None:
                    continue
                for a, b in zip(mine, theirs):
                    if a is not None:
                        a.merge(b)
            rows = rows + r
        return first, rows
    except SocindError as e:
        raise _where_merged(e, offsets) from None


def _tree(dask, leaves: list, offsets: Sequence[int], split_every: int, specs=None):
    """The merge tree over the leaves: levels of ``split_every`` states a
    task while more than ``split_every`` remain, then a chain of pairwise
    merges, so that the worker that holds the growing merged state (every
    PSU, at the top) holds it once plus one input, never all the top
    level's inputs at once; the chain's last task also finishes
    (``_root``)."""
    level = leaves
    while len(level) > split_every:
        level = [dask.delayed(_merge)(level[i:i + split_every], offsets)
                 for i in range(0, len(level), split_every)]
    acc = level[0]
    for x in level[1:]:
        acc = dask.delayed(_merge)([acc, x], offsets)
    return dask.delayed(_root)([acc], offsets, specs)


def _root(items: list, offsets: Sequence[int], specs: list):
    """The last merge, and what leaves it for the client: per estimate, per
    state, ("done", the bytes of its finished estimates) when the state has
    made its last pass, ("next", the bytes of the next pass's empty state)
    when it has not, or None for a state done before. Each merged state
    answers for itself (a quantile's, a share ratio's or a Lorenz
    ordinate's second pass, the Gini's plan: the overall state and the one
    by domain can take different passes). The merged states themselves, which hold every PSU, stay in the
    worker."""
    states, rows = _merge(items, offsets)
    out = []
    try:
        for spec, merged in zip(specs, states):
            if merged is None:
                out.append(None)
                continue
            each = []
            for m in merged:
                if m is None:
                    each.append(None)
                    continue
                now, total = m.passes
                if now >= total:
                    each.append(("done", bytes(_finish_raw(m, spec.level, spec.ci,
                                                           spec.prop_ci))))
                else:
                    each.append(("next", m.next_pass().to_bytes()))
            out.append(each)
    except SocindError as e:
        raise _where_merged(e, offsets) from None
    return out, rows


def _reduce(ddf, specs: list, plan: _Plan, split_every: int):
    """Every pass over the partitions, for every estimate at once (an
    estimate that has finished its passes is not added again); each
    estimate's finished estimates (Estimate_t arrays, a state's worth)."""
    dask, _ = _dd()
    base = [None] * len(specs)
    done = [None] * len(specs)
    rows = None
    dplan, dspecs = dask.delayed(plan, traverse=False), dask.delayed(specs, traverse=False)
    while any(b is not False for b in base):
        dbase = dask.delayed(base, traverse=False)
        leaves = [dask.delayed(_add_part)(p, i, plan.offsets[i], dspecs, dplan, dbase)
                  for i, p in enumerate(plan.parts)]
        res, r = _tree(dask, leaves, plan.offsets, split_every, dspecs).compute()
        rows = r if rows is None else rows
        for i, each in enumerate(res):
            if each is None:
                continue
            if done[i] is None:
                done[i] = [None] * len(each)
            nxt = []
            for j, x in enumerate(each):
                if x is None or x[0] == "done":
                    if x is not None:
                        d = x[1]
                        done[i][j] = (Estimate_t * (len(d) // ctypes.sizeof(Estimate_t))) \
                            .from_buffer_copy(d)
                    nxt.append(False)
                else:
                    nxt.append(x[1])
            base[i] = False if all(b is False for b in nxt) else nxt
    return done, rows


def _finish_raw(s: State, level, ci, prop_ci):
    opts = _options(level, ci, prop_ci)
    info = s.info
    out = (Estimate_t * info.count)()
    try:
        _check(lib.socind_state_finish(s._h, ctypes.byref(opts), out, info.count))
    except SocindError as e:
        # a detail that only repeats the status's words ("no observations:
        # …: no observations: …") is said once
        reason = _reason(e.status)
        if e.args and str(e.args[0]) == f"{reason}: {reason}":
            raise type(e)(e.status, reason, e.row, e.rows) from None
        raise
    return out


def _run(ddf, specs: list, split_every: int, need: Optional[dict] = None) -> list:
    d = specs[0].design
    plan = _Plan(ddf, specs[0].by, [c for c in (d["strata"], d["psu"]) if c is not None],
                 need=need)
    if plan.n == 0:
        from ._errors import EmptyError
        raise EmptyError(SOCIND_ERR_EMPTY, "the DataFrame has no row")
    merged, rows = _reduce(ddf, specs, plan, split_every)
    return [_result(spec, m, plan, rows) for spec, m in zip(specs, merged)]


def _result(spec: _Spec, outs: list, plan: _Plan, rows):
    """What the in-memory function returns, from the estimate's finished
    states (their Estimate_t arrays)."""
    code = spec.kind.code
    n = plan.n
    if code == SOCIND_STATE_GE_DECOMPOSITION:
        return {spec.names[k]: Estimate._from(outs[0][k], n) for k in range(len(spec.names))}
    if code == SOCIND_STATE_POVERTY_PROFILE:
        return _profile_frame(outs[0], outs[1], plan, rows)
    per = len(spec.names) if spec.names else 1
    if plan.groups is None:
        if per == 1:
            return Estimate._from(outs[0][0], n)
        return {spec.names[i]: Estimate._from(outs[0][i], n) for i in range(per)}
    g = copy.copy(plan.groups)
    g.rows = rows
    g.missing = int(n - rows.sum())
    return _frame(outs[0], outs[1], g, n, per, spec.names)


def _profile_frame(one, outs, plan: _Plan, rows):
    """socind.poverty_profile's DataFrame from the states' estimates."""
    import pandas as pd
    from .poverty import SOCIND_PROFILE_COUNT, SOCIND_PROFILE_FGT, _profile_status
    C = SOCIND_PROFILE_COUNT
    g = plan.groups
    G = g.G

    def part(k):
        return [one[k]] + [outs[j * C + k] for j in range(G)]

    cols = {}
    for k, name in enumerate(_PROFILE):
        est = part(k)
        cols[name] = [e.value for e in est]
        cols[name + "_se"] = [e.se for e in est]
    fg = part(SOCIND_PROFILE_FGT)
    cols["n"] = [int(e.n) for e in fg]
    cols["n_missing"] = [max(int(r) - int(e.n), 0) for r, e in zip([plan.n] + list(rows), fg)]
    cols["status"] = [_profile_status(one, 0)] + [_profile_status(outs, j * C) for j in range(G)]
    g.rows = rows
    g.missing = int(plan.n - rows.sum())
    df = pd.DataFrame(cols, index=g.index())
    df.attrs["by_missing"] = g.missing
    return df


def _design(weight, strata, psu, fpc, lonely_psu, nest) -> dict:
    return dict(weight=weight, strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely_psu,
                nest=bool(_cv.flag(nest, "nest")))


def _go(ddf, estimator: str, y: str, *, y2: Optional[str] = None, weight=None, strata=None,
        psu=None, fpc=None, lonely_psu="fail", nest=False, by=None, level=0.95, ci=None,
        prop_ci=None, names=None, split_every=SPLIT_EVERY, args=("y", "y2"), **state_kw):
    """``args``: the caller's names of the y and y2 columns (x, numerator
    and denominator, line), for messages."""
    if not _is_name(y):
        raise InputTypeError(SOCIND_ERR_ARG, f"{args[0]} takes a column name, not {y!r}")
    byl = _names(by, "by")
    cols = {args[0]: [y], "by": byl}
    if y2 is not None:
        cols[args[1]] = [y2]
    for k, v in (("weight", weight), ("strata", strata), ("psu", psu), ("fpc", fpc)):
        if v is not None:
            cols[k] = [v]
    _need_columns(ddf, cols)
    if not isinstance(split_every, (int, np.integer)) or isinstance(split_every, bool) or \
            split_every < 2:
        raise InputError(SOCIND_ERR_ARG, f"split_every must be an integer >= 2, not "
                         f"{split_every!r}")
    many = state_kw.pop("_many", None)
    specs = []
    for extra in (many if many is not None else [{}]):
        spec = _Spec(estimator, y, y2, _design(weight, strata, psu, fpc, lonely_psu, nest), byl,
                     dict(state_kw, **extra), level, ci, prop_ci, names)
        # the spec is checked here, on the client, before any partition is read
        _new_states(spec, 1 if byl else 0)
        specs.append(spec)
    res = _run(ddf, specs, int(split_every), cols)
    return res if many is not None else res[0]


def _line_kw(line: Any, inclusive: bool) -> tuple:
    """(state's line, the per-row line column or None)."""
    if isinstance(line, str):
        return "per_row", line
    if isinstance(line, relative_line) or np.ndim(line) == 0:
        return line, None
    raise InputTypeError(SOCIND_ERR_ARG, "line takes a number, a socind.relative_line or the "
                         "name of a column of per-row lines")


_DESIGN_DOC = ("Design columns: weight, strata, psu, fpc (names), lonely_psu, nest; by: a "
               "column name or a list of names.")


# ---------------------------------------------------------------- estimators


def total(ddf, x: str, *, weight=None, strata=None, psu=None, fpc=None, lonely_psu="fail",
          nest=False, by=None, level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.total on a Dask DataFrame. """ + _DESIGN_DOC
    return _go(ddf, "total", x, args=("x", None), weight=weight, strata=strata, psu=psu, fpc=fpc,
               lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def mean(ddf, x: str, *, weight=None, strata=None, psu=None, fpc=None, lonely_psu="fail",
         nest=False, by=None, level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.mean on a Dask DataFrame."""
    return _go(ddf, "mean", x, args=("x", None), weight=weight, strata=strata, psu=psu, fpc=fpc,
               lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def proportion(ddf, x: str, *, weight=None, strata=None, psu=None, fpc=None, lonely_psu="fail",
               nest=False, by=None, level=0.95, ci=None, prop_ci=None,
               split_every=SPLIT_EVERY):
    """socind.proportion on a Dask DataFrame (prop_ci="likelihood" reads the
    partitions twice: R's glm fit needs each domain's mean weight first)."""
    name = "proportion_likelihood" if prop_ci == "likelihood" else "proportion"
    return _go(ddf, name, x, args=("x", None), weight=weight, strata=strata, psu=psu, fpc=fpc,
               lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci, prop_ci=prop_ci,
               split_every=split_every)


def ratio(ddf, numerator: str, denominator: str, *, weight=None, strata=None, psu=None,
          fpc=None, lonely_psu="fail", nest=False, by=None, level=0.95, ci=None,
          split_every=SPLIT_EVERY):
    """socind.ratio on a Dask DataFrame."""
    return _go(ddf, "ratio", numerator, y2=denominator, args=("numerator", "denominator"),
               weight=weight, strata=strata, psu=psu,
               fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def _poverty(name, ddf, y, line, inclusive, names=None, prop_ci=None, **kw):
    ln, col = _line_kw(line, inclusive)
    return _go(ddf, name, y, y2=col, args=("y", "line"), line=ln, inclusive=inclusive,
               names=names,
               prop_ci=prop_ci, **kw)


def fgt(ddf, y: str, line: Any, alpha: Any = 0, *, weight=None, strata=None, psu=None,
        fpc=None, lonely_psu="fail", nest=False, by=None, inclusive=False, level=0.95, ci=None,
        prop_ci=None, split_every=SPLIT_EVERY):
    """socind.fgt on a Dask DataFrame: ``line`` a number, a
    socind.relative_line, or the name of a column of per-row lines.
    ``alpha`` may also be a list (e.g. ``[0, 1, 2]``): every α from the
    same reads of the data, as a dict {α: what socind.fgt returns}."""
    kw = dict(weight=weight, strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely_psu, nest=nest,
              by=by, level=level, ci=ci, split_every=split_every)
    if isinstance(alpha, (list, tuple)):
        if not alpha:
            raise InputError(SOCIND_ERR_ARG, "alpha: the list is empty")
        al = [_scalar(a, "alpha") for a in alpha]
        twice = [a for j, a in enumerate(al) if a in al[:j]]
        if twice:
            # the result is a dict by α: a second α would overwrite the first
            raise InputError(SOCIND_ERR_ARG, f"alpha: {twice[0]:g} is given twice "
                             f"({', '.join(repr(a) for a in alpha)}); give each α once")
        if prop_ci is not None and any(a != 0 for a in al):
            raise InputError(SOCIND_ERR_ARG, "prop_ci applies to alpha = 0 only; ask for the "
                             "other alphas in a call without it")
        res = _poverty("fgt", ddf, y, line, inclusive, prop_ci=prop_ci,
                       _many=[{"alpha": a} for a in al], **kw)
        return dict(zip(alpha, res))
    return _poverty("fgt", ddf, y, line, inclusive, prop_ci=prop_ci,
                    alpha=_scalar(alpha, "alpha"), **kw)


def poor_count(ddf, y: str, line: Any, *, weight=None, strata=None, psu=None, fpc=None,
               lonely_psu="fail", nest=False, by=None, inclusive=False, level=0.95, ci=None,
               split_every=SPLIT_EVERY):
    """socind.poor_count on a Dask DataFrame."""
    return _poverty("poor_count", ddf, y, line, inclusive, weight=weight, strata=strata,
                    psu=psu, fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level,
                    ci=ci, split_every=split_every)


def poverty_gap_total(ddf, y: str, line: Any, *, weight=None, strata=None, psu=None, fpc=None,
                      lonely_psu="fail", nest=False, by=None, inclusive=False, level=0.95,
                      ci=None, split_every=SPLIT_EVERY):
    """socind.poverty_gap_total on a Dask DataFrame."""
    return _poverty("poverty_gap_total", ddf, y, line, inclusive, weight=weight,
                    strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by,
                    level=level, ci=ci, split_every=split_every)


def mean_shortfall(ddf, y: str, line: Any, *, weight=None, strata=None, psu=None, fpc=None,
                   lonely_psu="fail", nest=False, by=None, inclusive=False, level=0.95, ci=None,
                   split_every=SPLIT_EVERY):
    """socind.mean_shortfall on a Dask DataFrame."""
    return _poverty("mean_shortfall", ddf, y, line, inclusive, weight=weight, strata=strata,
                    psu=psu, fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level,
                    ci=ci, split_every=split_every)


def watts(ddf, y: str, line: Any, *, weight=None, strata=None, psu=None, fpc=None,
          lonely_psu="fail", nest=False, by=None, inclusive=False, exclude_nonpositive=False,
          level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.watts on a Dask DataFrame."""
    return _poverty("watts", ddf, y, line, inclusive, exclude_nonpositive=exclude_nonpositive,
                    weight=weight, strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely_psu,
                    nest=nest, by=by, level=level, ci=ci, split_every=split_every)


def fgt_decomposition(ddf, y: str, line: Any, alpha: float = 2.0, *, weight=None, strata=None,
                      psu=None, fpc=None, lonely_psu="fail", nest=False, by=None,
                      inclusive=False, level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.fgt_decomposition on a Dask DataFrame."""
    return _poverty("fgt_decomposition", ddf, y, line, inclusive,
                    names=list(_FGTDEC), alpha=_scalar(alpha, "alpha"),
                    weight=weight, strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely_psu,
                    nest=nest, by=by, level=level, ci=ci, split_every=split_every)


def watts_decomposition(ddf, y: str, line: Any, *, weight=None, strata=None, psu=None,
                        fpc=None, lonely_psu="fail", nest=False, by=None, inclusive=False,
                        exclude_nonpositive=False, level=0.95, ci=None,
                        split_every=SPLIT_EVERY):
    """socind.watts_decomposition on a Dask DataFrame."""
    return _poverty("watts_decomposition", ddf, y, line, inclusive,
                    names=list(_WATTSDEC),
                    exclude_nonpositive=exclude_nonpositive, weight=weight, strata=strata,
                    psu=psu, fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level,
                    ci=ci, split_every=split_every)


def poverty_profile(ddf, y: str, line: Any, by: Any, alpha: float = 0, *, weight=None,
                    strata=None, psu=None, fpc=None, lonely_psu="fail", nest=False,
                    inclusive=False, level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.poverty_profile on a Dask DataFrame (a fixed or per-row line)."""
    if by is None:
        raise InputError(SOCIND_ERR_ARG, "poverty_profile needs by")
    return _poverty("poverty_profile", ddf, y, line, inclusive, alpha=_scalar(alpha, "alpha"),
                    weight=weight, strata=strata, psu=psu, fpc=fpc, lonely_psu=lonely_psu,
                    nest=nest, by=by, level=level, ci=ci, split_every=split_every)


def poverty_line(ddf, y: str, line: Any, *, weight=None, strata=None, psu=None, fpc=None,
                 lonely_psu="fail", nest=False, inclusive=False, level=0.95, ci=None,
                 split_every=SPLIT_EVERY):
    """socind.poverty_line on a Dask DataFrame: the line (a
    socind.relative_line) as an Estimate."""
    return _poverty("poverty_line", ddf, y, line, inclusive, weight=weight, strata=strata,
                    psu=psu, fpc=fpc, lonely_psu=lonely_psu, nest=nest, level=level, ci=ci,
                    split_every=split_every)


def ge(ddf, y: str, theta: float = 1.0, *, weight=None, strata=None, psu=None, fpc=None,
       lonely_psu="fail", nest=False, by=None, exclude_nonpositive=False, level=0.95, ci=None,
       split_every=SPLIT_EVERY):
    """socind.ge on a Dask DataFrame."""
    return _go(ddf, "ge", y, theta=theta,
               exclude_nonpositive=exclude_nonpositive, weight=weight, strata=strata, psu=psu,
               fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def atkinson(ddf, y: str, epsilon: float = 1.0, *, weight=None, strata=None, psu=None,
             fpc=None, lonely_psu="fail", nest=False, by=None, exclude_nonpositive=False,
             level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.atkinson on a Dask DataFrame."""
    return _go(ddf, "atkinson", y, epsilon=epsilon,
               exclude_nonpositive=exclude_nonpositive, weight=weight, strata=strata, psu=psu,
               fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def ge_decomposition(ddf, y: str, by: Any, theta: float = 1.0, *, weight=None, strata=None,
                     psu=None, fpc=None, lonely_psu="fail", nest=False,
                     exclude_nonpositive=False, level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.ge_decomposition on a Dask DataFrame: a dict of three
    estimates, total, within and between."""
    if by is None:
        raise InputError(SOCIND_ERR_ARG, "ge_decomposition needs by")
    return _go(ddf, "ge_decomposition", y, theta=theta,
               exclude_nonpositive=exclude_nonpositive,
               names=[_GEDEC[k] for k in sorted(_GEDEC)], weight=weight, strata=strata,
               psu=psu, fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def gini(ddf, y: str, *, weight=None, strata=None, psu=None, fpc=None, lonely_psu="fail",
         nest=False, by=None, level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.gini on a Dask DataFrame."""
    return _go(ddf, "gini", y, weight=weight, strata=strata, psu=psu, fpc=fpc,
               lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def quantile(ddf, y: str, p: float = 0.5, *, weight=None, strata=None, psu=None, fpc=None,
             lonely_psu="fail", nest=False, by=None, level=0.95, split_every=SPLIT_EVERY):
    """socind.quantile on a Dask DataFrame, at ``level`` 0.95 only (the
    default): the quantile's state chooses, while it reads the partitions,
    the rows that hold the interval's limits, for that level (socind/state.h,
    QUANTILE); any other level is refused before a partition is read."""
    _quantile_level(level)
    return _go(ddf, "quantile", y, p=p, weight=weight, strata=strata, psu=psu,
               fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level,
               split_every=split_every)


def _quantile_level(level: Any) -> None:
    """A quantile's level other than the library's default: InputError
    naming what is offered, before any partition is read."""
    o = _options(level, None)
    d = Options_t()
    _check(lib.socind_options_init(ctypes.byref(d)))
    if not 0.0 < o.level < 1.0:
        raise InputError(SOCIND_ERR_ARG, f"level must be in (0, 1), got {o.level:g}")
    if o.level != d.level:
        raise InputError(SOCIND_ERR_ARG, f"level: socind.dask.quantile gives its interval at "
                         f"level {d.level:g} only, not {o.level:g} (its state chooses the rows "
                         f"that hold the limits for level {d.level:g} while it reads the "
                         f"partitions); for another level call socind.quantile in memory on "
                         f"the column")


def share_ratio(ddf, y: str, alpha1: float = 0.2, alpha2: float = 0.8, *, weight=None,
                strata=None, psu=None, fpc=None, lonely_psu="fail", nest=False, by=None,
                level=0.95, ci=None, split_every=SPLIT_EVERY):
    """socind.share_ratio on a Dask DataFrame (S80/S20 by default)."""
    return _go(ddf, "share_ratio", y, alpha1=alpha1,
               alpha2=alpha2, weight=weight, strata=strata, psu=psu,
               fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


def lorenz(ddf, y: str, p: float, *, weight=None, strata=None, psu=None, fpc=None,
           lonely_psu="fail", nest=False, by=None, level=0.95, ci=None,
           split_every=SPLIT_EVERY):
    """socind.lorenz on a Dask DataFrame."""
    return _go(ddf, "lorenz", y, p=p, weight=weight, strata=strata, psu=psu,
               fpc=fpc, lonely_psu=lonely_psu, nest=nest, by=by, level=level, ci=ci,
               split_every=split_every)


# ---------------------------------------------------------------- growth


def zscores(ddf, sex: str, age_days: Optional[str] = None, age_months: Optional[str] = None,
            weight_kg: Optional[str] = None, lenhei_cm: Optional[str] = None,
            measure: Optional[str] = None, oedema: Optional[str] = None,
            headc_cm: Optional[str] = None, armc_cm: Optional[str] = None,
            triskin_mm: Optional[str] = None, subskin_mm: Optional[str] = None,
            reference: str = "who2006", rounding: str = "who", invalid: str = "error",
            sex_codes: Optional[dict] = None, measure_codes: Optional[dict] = None,
            oedema_codes: Optional[dict] = None):
    """socind.zscores on a Dask DataFrame: a Dask DataFrame of the
    z-scores and flags (the columns of socind.zscores' dict), partitioned
    and indexed as ``ddf``. Row-local: each partition is computed in its
    worker, lazily (call ``.compute()`` or write it out). The call itself
    reads each partition once (one Dask computation): its length, so that
    errors number rows across partitions; with ``invalid="missing"`` its
    invalid codes, which the call warns of as socind.zscores does (one
    warning per column, the count over every partition); and for ages in
    days the command's rule for ages that look like months, over every
    partition (refused here, as in memory). An invalid code raises
    socind.zscores' InputError when the frame is computed, with the
    partition and the row within it."""
    args = dict(age_days=age_days, age_months=age_months, weight_kg=weight_kg,
                lenhei_cm=lenhei_cm, measure=measure, oedema=oedema, headc_cm=headc_cm,
                armc_cm=armc_cm, triskin_mm=triskin_mm, subskin_mm=subskin_mm)
    cols = {"sex": [sex]}
    cols.update({k: [v] for k, v in args.items() if v is not None})
    _need_columns(ddf, cols)
    kw = dict(reference=reference, rounding=rounding, invalid=invalid, sex_codes=sex_codes,
              measure_codes=measure_codes, oedema_codes=oedema_codes)
    given = {k: v for k, v in args.items() if v is not None}
    meta = _zscores_part(ddf._meta, sex, given, kw, None, cols)  # the arguments, checked
    items = _code_items(reference, sex, measure, oedema, kw)
    ages = (age_days, lenhei_cm, weight_kg) if reference == "who2006" and \
        age_days is not None else None
    import functools
    plan = _Plan(ddf, [], [], need=cols,
                 extra=functools.partial(_zscores_look, items=items, invalid=invalid, ages=ages))
    counts = [x["codes"] for x in plan.extra]
    _code_warnings(items[:1], counts)  # in the in-memory order: sex, the months rule, the rest
    if ages is not None:
        from .growth import _refuse_months_as_days
        _refuse_months_as_days(_months_total([x["months"] for x in plan.extra]))
    _code_warnings(items, counts, first=1)
    return ddf.map_partitions(_zscores_part, sex, given, kw, need=cols, offsets=plan.offsets,
                              items=items, meta=meta, align_dataframes=False)


def _code_items(reference: str, sex: str, measure: Optional[str], oedema: Optional[str],
                codes: dict) -> list:
    """The code columns (column, its socind._convert.CodeTable, the caller's
    recoding, the recoding's argument), in the order the in-memory
    functions read them."""
    out = [(sex, _cv.SEX, codes["sex_codes"], "sex_codes")]
    if reference != "who2007" and measure is not None:
        out.append((measure, _cv.MEASURE, codes["measure_codes"], "measure_codes"))
    if oedema is not None:
        out.append((oedema, _cv.OEDEMA, codes["oedema_codes"], "oedema_codes"))
    return out


def _quiet_codes(df, items: list, invalid: str):
    """With ``invalid="missing"``: the partition with its invalid codes made
    missing (the in-memory functions then read them without a warning, which
    would be the worker's: the client warns of the counts over every
    partition) and the count per code column; else the partition as it is
    (invalid codes raise)."""
    counts = [0] * len(items)
    if invalid != "missing":
        return df, counts
    out = df
    for j, (col, table, recode, arg) in enumerate(items):
        code, _ = _cv.codes(df[col], None, table, table.recode_map(recode, arg))
        bad = np.asarray(code) == -9
        k = int(bad.sum())
        if k:
            if out is df:
                out = df.copy(deep=False)
            x = df[col]
            out[col] = x.where(~bad) if x.dtype.kind == "f" else \
                x.astype(object).where(~bad, None)
            counts[j] = k
    return out, counts


def _code_warnings(items: list, counts: list, first: int = 0) -> None:
    """socind.zscores' warning for the invalid codes made missing, one per
    column (from ``first``) with the count over every partition."""
    for j in range(first, len(items)):
        k = sum(c[j] for c in counts)
        if k:
            table = items[j][1]
            _warn(f"{k} invalid {table.name} code{'s' if k > 1 else ''} "
                  f"(not {table.accepted}) treated as missing")


def _zscores_look(df, items: list, invalid: str, ages: Optional[tuple]) -> dict:
    """A partition's first look for zscores: its invalid codes' counts
    (``invalid="missing"``) and the months rule's counts (growth.
    _age_unit_counts) when ``ages`` names the age in days, the length and
    the weight."""
    from .growth import _age_unit_counts
    _, counts = _quiet_codes(df, items, invalid)
    months = None
    if ages is not None:
        months = _age_unit_counts(*[None if c is None else _cv.f64(df[c], None, c)
                                    for c in ages])
    return {"codes": counts, "months": months}


def _months_total(counts: list) -> tuple:
    """The partitions' counts summed (None: a partition without them)."""
    got = [c for c in counts if c is not None]
    return (sum(c[0] for c in got), sum(c[1] for c in got))


def _zscores_part(df, sex: str, given: dict, kw: dict, partition_info=None, need=None,
                  offsets=None, items=()):
    import pandas as pd
    from .growth import zscores as _z
    part = partition_info["number"] if partition_info else 0
    offset = int(offsets[part]) if offsets is not None else 0
    try:
        _have_columns(df, need)
        df, _ = _quiet_codes(df, items, kw["invalid"])
        out = _z(df[sex].to_numpy(), **{k: df[c].to_numpy() for k, c in given.items()},
                 threads=1, _months_check=False, **kw)
    except SocindError as e:
        if e.row is not None:
            e.row = int(e.row) + offset
        raise _where(e, part, offset) from None
    return pd.DataFrame(out, index=df.index)


def prevalence(ddf, sex: str, age_days: Optional[str] = None, weight_kg: Optional[str] = None,
               lenhei_cm: Optional[str] = None, measure: Optional[str] = None,
               oedema: Optional[str] = None, sw: Optional[str] = None,
               strata: Optional[str] = None, cluster: Optional[str] = None, by: Any = None,
               age_months: Optional[str] = None, height_cm: Optional[str] = None,
               reference: str = "who2006", level: float = 0.95, invalid: str = "error",
               sex_codes: Optional[dict] = None, measure_codes: Optional[dict] = None,
               oedema_codes: Optional[dict] = None, prop_ci: Optional[str] = None,
               split_every: int = SPLIT_EVERY):
    """socind.prevalence (WHO's table) on a Dask DataFrame: the same
    DataFrame, with anthro's warnings (their counts over every partition).
    Each partition's children go through the z-scores into a prevalence
    state in its worker (socind_state_add_growth); the states merge in a
    tree whose root finishes the table. anthro's rule that a file whose
    kept children share one cluster makes every child its own PSU is
    applied over all partitions (a first look at the cluster column)."""
    from . import nutrition as nu
    nu._prevalence_checks(reference, age_days, age_months, measure, measure_codes, height_cm,
                          oedema, oedema_codes)
    colargs = dict(sex=sex, age_days=age_days, weight_kg=weight_kg, lenhei_cm=lenhei_cm,
                   measure=measure, oedema=oedema, sw=sw, strata=strata, cluster=cluster,
                   age_months=age_months, height_cm=height_cm)
    cols = {k: [v] for k, v in colargs.items() if v is not None}
    byl = _names(by, "by")
    cols["by"] = byl
    _need_columns(ddf, cols)
    codes = dict(invalid=invalid, sex_codes=sex_codes, measure_codes=measure_codes,
                 oedema_codes=oedema_codes)
    pv = _Prev(reference, colargs, codes)
    plan = _Plan(ddf, byl, [c for c in (strata, cluster) if c is not None], extra=pv.meta,
                 need=cols)
    if plan.n == 0:
        from ._errors import EmptyError
        raise EmptyError(SOCIND_ERR_EMPTY, "the DataFrame has no row")
    counts = {"age": 0, "age_negative": 0, "ids": 0, "weights": 0}
    with_ids = 0
    kept_clusters = set()
    for x in plan.extra:
        for k in counts:
            counts[k] += x["warn"].get(k, 0)
        with_ids += x["with_ids"]
        kept_clusters.update(x["clusters"])
    _code_warnings(pv.items, [x["codes"] for x in plan.extra])  # before anthro's, as in memory
    months = [x["months"] for x in plan.extra if x["months"] is not None]
    if months:
        from .growth import _refuse_months_as_days
        _refuse_months_as_days(_months_total(months))
    for k in ("age", "age_negative", "ids", "weights"):
        if counts[k]:
            _warn(nu._prevalence_warning(reference, k, counts[k]))
    if with_ids == 0:
        from ._errors import EmptyError
        raise EmptyError(SOCIND_ERR_EMPTY, "every row lacks a cluster or a stratum")
    G = plan.groups.G if plan.groups is not None else 0
    labels = _prevalence_labels(plan) if G else []
    if G:
        nu._refuse_standard_labels(labels, lambda j: None)
    pv.one_psu_each = cluster is None or len(kept_clusters) <= 1
    pv.G = G
    sp = StateSpec_t()
    _check(lib.socind_state_spec_init(ctypes.byref(sp)))
    from .nutrition import SOCIND_LONELY_ADJUST
    sp.estimator = 22 if reference == "who2007" else 21
    sp.n_groups = G
    sp.has_strata = 1 if strata is not None else 0
    sp.has_psu = 0 if pv.one_psu_each else 1
    sp.lonely_psu = SOCIND_LONELY_ADJUST
    sp.nest = 1
    pv.spec = bytes(sp)
    dask, _ = _dd()
    dplan, dpv = dask.delayed(plan, traverse=False), dask.delayed(pv, traverse=False)
    leaves = [dask.delayed(_prev_part)(p, i, plan.offsets[i], dpv, dplan)
              for i, p in enumerate(plan.parts)]
    level_ = leaves
    while len(level_) > split_every:  # as _tree
        level_ = [dask.delayed(_prev_merge)(level_[i:i + split_every], plan.offsets)
                  for i in range(0, len(level_), split_every)]
    acc = level_[0]
    for x in level_[1:]:
        acc = dask.delayed(_prev_merge)([acc, x], plan.offsets)
    return dask.delayed(_prev_root)([acc], plan.offsets, labels, level, prop_ci).compute()


def _prev_root(items: list, offsets: Sequence[int], labels: list, level: float, prop_ci):
    """The last merge, and the table finished from it (the merged state
    stays in the worker)."""
    from . import nutrition as nu
    data, sizes = _prev_merge(items, offsets)
    s = _raw_from_bytes(data)
    opts = _options(level, None, prop_ci)
    handle = HANDLE()
    _check(lib.socind_state_finish_table(s.h, ctypes.byref(opts), ctypes.byref(handle)))
    return nu._prevalence_frame(handle, labels, sizes)


def _prevalence_labels(plan: _Plan) -> list:
    """The table's domain labels, as socind.prevalence gives them."""
    g = plan.groups
    if len(g.names) == 1:
        return [f"{g.names[0]}: {v}" for v in g.labels]
    for nm, lab in zip(g.names, plan.by_labels):
        for v in lab.labels:
            if "." in str(v):
                raise InputError(SOCIND_ERR_DATA, f"{nm}: the prevalence table labels crossed "
                                 f"columns '{' + '.join(g.names)}: "
                                 f"{'.'.join('value' for _ in g.names)}', so a value may not "
                                 f"contain '.': {v!r} would read two ways; combine the columns "
                                 "into one or rename the value")
    head = " + ".join(g.names)
    return [f"{head}: " + ".".join(str(p) for p in lab) for lab in g.labels]


class _Prev:
    """What every partition of a prevalence call needs: the reference, the
    column names, the code options, and (after the first look) the state's
    spec, the domains and anthro's one-cluster rule."""

    def __init__(self, reference, colargs, codes):
        self.reference, self.colargs, self.codes = reference, colargs, codes
        self.spec, self.G, self.one_psu_each = None, 0, False
        self.items = _code_items(reference, colargs["sex"], colargs["measure"],
                                 colargs["oedema"], codes)

    def prepare(self, df, warn, ids=None):
        """The partition's columns (nutrition._prevalence_columns), and the
        counts of its invalid codes made missing (invalid="missing"; no
        warning in the worker)."""
        df, counts = _quiet_codes(df, self.items, self.codes["invalid"])
        return self._prepare(df, warn, ids), counts

    def _prepare(self, df, warn, ids):
        from . import nutrition as nu
        c = self.colargs
        v = {k: (None if name is None else df[name]) for k, name in c.items()}
        return nu._prevalence_columns(self.reference, v["sex"], v["age_days"], v["weight_kg"],
                                      v["lenhei_cm"], v["measure"], v["oedema"], v["sw"],
                                      v["strata"], v["cluster"], v["age_months"],
                                      v["height_cm"], self.codes["invalid"],
                                      self.codes["sex_codes"], self.codes["measure_codes"],
                                      self.codes["oedema_codes"], warn, ids,
                                      months_check=False)

    def meta(self, df):
        """A partition's first look: anthro's warnings' counts, rows with
        ids, up to two distinct clusters of the kept children, and the
        counts of the rule for ages in days that look like months."""
        counts = {}

        def warn(key, k):
            counts[key] = counts.get(key, 0) + int(k)

        P, codes = self.prepare(df, warn)
        keep = ~P.aged_out & ~P.idmiss
        clusters = []
        name = self.colargs["cluster"]
        if name is not None and keep.any():
            _, _, labels = _cv.ids(df[name], None, name)
            u = np.unique(P.cols["cluster"][keep])[:2]
            clusters = [labels[int(x)] if labels is not None else int(x) for x in u]
        months = None  # the months rule's counts (growth._age_unit_counts)
        if self.reference == "who2006" and not P.in_months and "age" in P.cols:
            from .nutrition import _months_counts
            months = _months_counts(P.cols)
        return {"warn": counts, "codes": codes, "with_ids": int((~P.idmiss).sum()),
                "clusters": clusters,
                "months": months}


def _prev_part(df, part: int, offset: int, pv: _Prev, plan: _Plan):
    from . import nutrition as nu
    rowmap = None
    try:
        names = {"strata": pv.colargs["strata"], "cluster": pv.colargs["cluster"]}

        def ids(val, n, name):
            col = names[name]
            lab = plan.ids.get(col)
            if lab is None:
                return _cv.ids(val, n, name)
            v = lab.codes(val)
            miss = v < 0
            return _cv.c_array(v), (miss if miss.any() else None), lab.labels

        try:  # the partition's columns: errors name its own rows
            _have_columns(df, plan.need)
            P, _ = pv.prepare(df, lambda key, k: None, ids)
            cols = P.cols
            if pv.G:
                cols["group"] = plan.group_codes(df)
        except SocindError as e:
            if e.row is not None:
                e.row = int(e.row) + offset
            raise
        # the rows kept (a cluster and a stratum), added as one chunk per run
        # of consecutive input rows numbered as the input numbers them: the
        # library's errors (here, in the merges, at the finish) name input rows
        runs = [(0, len(df))]
        if P.idmiss.any():
            rowmap = np.flatnonzero(~P.idmiss)
            cols = {k: _cv.c_array(v[rowmap]) for k, v in cols.items()}
            cut = np.flatnonzero(np.diff(rowmap) != 1) + 1
            starts = np.concatenate([[0], cut]).astype(np.int64)
            ends = np.concatenate([cut, [rowmap.shape[0]]]).astype(np.int64)
            runs = [(int(a), int(b)) for a, b in zip(starts, ends) if b > a]
        m = cols["sex"].shape[0]
        sp = StateSpec_t.from_buffer_copy(pv.spec)
        h = HANDLE()
        _check(lib.socind_state_new(ctypes.byref(sp), ctypes.byref(h)))
        s = _StateHandle(h)
        w = cols.get("sw")
        cols["sw"] = np.ones(m) if w is None else _cv.c_array(w)
        D, I64, I32 = ctypes.c_double, ctypes.c_int64, ctypes.c_int32
        from . import _lib
        fn = (lib.socind_state_add_growth2007 if pv.reference == "who2007" else
              lib.socind_state_add_growth)
        for a, b in runs:
            run = {k: v[a:b] for k, v in cols.items()}  # views: alive until the call returns
            c = Chunk_t()
            _check(lib.socind_chunk_init(ctypes.byref(c)))
            c.n = b - a
            c.first_row = int(offset) + (a if rowmap is None else int(rowmap[a]))
            c.weight = _lib.pointer(run["sw"], D)
            c.strata = _lib.pointer(run.get("strata") if sp.has_strata else None, I64)
            c.psu = _lib.pointer(run.get("cluster") if sp.has_psu else None, I64)
            c.group = _lib.pointer(run.get("group") if pv.G else None, I32)
            gi = nu._growth_input(pv.reference, run, P.in_months)
            _check(fn(s.h, ctypes.byref(c), ctypes.byref(gi)))
        if w is None:
            del cols["sw"]
        sizes = nu._prevalence_group_sizes(pv.reference, cols, 1 if pv.reference == "who2006"
                                           and P.in_months else 0, pv.G)
        return _raw_to_bytes(s), sizes
    except SocindError as e:
        raise _where(_sw_named(e, pv.colargs["sw"]), part, offset) from None


def _sw_named(e: SocindError, sw: Optional[str]):
    """A prevalence state's error with the weights named by the caller's
    column, as socind.prevalence names them (its sw)."""
    if sw is None or not e.args or "weight[" not in str(e.args[0]):
        return e
    return type(e)(e.status, str(e.args[0]).replace("weight[", f"{sw}["), e.row, e.rows)


def _raw_to_bytes(s: "_StateHandle") -> bytes:
    n = ctypes.c_size_t()
    _check(lib.socind_state_to_bytes(s.h, None, 0, ctypes.byref(n)))
    buf = ctypes.create_string_buffer(n.value)
    _check(lib.socind_state_to_bytes(s.h, buf, n.value, ctypes.byref(n)))
    return buf.raw[:n.value]


def _raw_from_bytes(data: bytes) -> "_StateHandle":
    h = HANDLE()
    _check(lib.socind_state_from_bytes(data, len(data), ctypes.byref(h)))
    return _StateHandle(h)


def _prev_merge(items: list, offsets: Sequence[int]):
    try:
        s = _raw_from_bytes(items[0][0])
        sizes = dict(items[0][1])
        for data, sz in items[1:]:
            o = _raw_from_bytes(data)
            _check(lib.socind_state_merge(s.h, o.h))
            for k, v in sz.items():
                sizes[k] = sizes.get(k, 0) + v
        return _raw_to_bytes(s), sizes
    except SocindError as e:
        raise _where_merged(e, offsets) from None


__all__ = ["total", "mean", "ratio", "proportion", "fgt", "poor_count", "poverty_gap_total",
           "mean_shortfall", "watts", "fgt_decomposition", "watts_decomposition",
           "poverty_profile", "poverty_line", "ge", "atkinson", "ge_decomposition", "gini",
           "quantile", "share_ratio", "lorenz", "zscores", "prevalence", "SPLIT_EVERY"]
