# SPDX-License-Identifier: GPL-3.0-or-later
"""The domains of ``by=`` (one column, or several crossed) and the DataFrame
an estimator returns with them."""

from __future__ import annotations

from typing import Any, Optional, Sequence

import numpy as np

from . import _convert as _cv
from ._common import Estimate
from ._errors import EmptyError, InputError, InputTypeError
from .status import SOCIND_ERR_ARG, SOCIND_ERR_DATA, SOCIND_ERR_EMPTY, SOCIND_ERR_RANGE


class _Groups:
    """The domains of ``by=``: one or several columns, crossed. ``codes``
    (int32, −1 = a missing label in some column), ``G`` groups (the observed
    combinations, sorted), ``labels`` (a label, or a tuple per group),
    ``names`` (one per column), ``rows`` (rows per group), ``missing`` (rows
    with no group)."""

    def __init__(self, by: Any, n: int, required: bool = False):
        cols, names = _by_columns(by)
        per = [_cv.factorize(c, n, nm) for c, nm in zip(cols, names)]
        self._per = per
        # the overall row is "all" (("all", "all") when crossed): a group may
        # not carry that label, nor a crossed one "all" in any column, or
        # t.loc["all"] would return more than the overall row
        for (c, lab), nm in zip(per, names):
            if "all" in lab:
                r = int(np.flatnonzero(c == lab.index("all"))[0])
                raise InputError(SOCIND_ERR_DATA, f"{nm}: the label 'all' (row {r}) is the "
                                 "label of the overall row; rename it", r)
        if len(per) == 1:
            codes, labels = per[0]
            self.labels = labels
        else:
            codes, first = _cross([c for c, _ in per])
            # each group's labels: those of its first row, column by column
            self.labels = [tuple(lab[int(c[r])] for c, lab in per) for r in first.tolist()]
        self.names = names
        self.G = len(self.labels)
        if self.G == 0:
            raise EmptyError(SOCIND_ERR_EMPTY, "by: every value is missing, so there is no "
                             "group to estimate")
        if self.G > np.iinfo(np.int32).max:
            raise InputError(SOCIND_ERR_RANGE, "by has more groups than the library takes "
                             "(2**31 - 1)")
        self.codes = _cv.c_array(codes, dtype=np.int32)
        valid = self.codes >= 0
        self.rows = np.bincount(self.codes[valid], minlength=self.G)
        self.missing = int(n - valid.sum())

    def index(self, with_overall: bool = True):
        """pandas index of the groups, the overall row ("all") first."""
        import pandas as pd
        labels = list(self.labels)
        if len(self.names) == 1:
            if with_overall:
                labels = ["all"] + labels
            return pd.Index(labels, name=self.names[0], dtype=object if with_overall else None)
        if with_overall:
            labels = [("all",) * len(self.names)] + labels
        return pd.MultiIndex.from_tuples(labels, names=self.names)

    def prevalence_labels(self) -> list:
        """The prevalence table's label of each group, as the command labels
        its domain rows: "COLUMN: value", or for crossed columns "A + B: a.b"
        (anthro's interaction labels, as in "Age + sex: 12-23 mo.Female").
        A value of a crossed column may not contain the separator ".", so
        that each label reads one way."""
        if len(self.names) > 1:
            for (c, lab), nm in zip(self._per, self.names):
                for j, v in enumerate(lab):
                    if "." in str(v):
                        r = int(np.flatnonzero(c == j)[0])
                        raise InputError(
                            SOCIND_ERR_DATA, f"{nm}: the prevalence table labels crossed "
                            f"columns '{' + '.join(self.names)}: "
                            f"{'.'.join('value' for _ in self.names)}', so a value may not "
                            f"contain '.': {_cv.shown(v)} (row {r}) would read two ways; combine the "
                            "columns into one (its rows are labelled 'COLUMN: value') or "
                            "rename the value", r)
            head = " + ".join(self.names)
            return [f"{head}: " + ".".join(str(p) for p in lab) for lab in self.labels]
        return [f"{self.names[0]}: {v}" for v in self.labels]

    def first_row(self, g: int) -> int:
        return int(np.flatnonzero(self.codes == g)[0])


def _cross(codes: Sequence[np.ndarray]):
    """Crosses per-column codes (−1 missing, each in sorted label order) into
    one code per row for the observed combinations, numbered in lexicographic
    order of the columns' codes (−1 where any column is missing), and the
    first row of each combination. The crossing is renumbered after each
    column, so the running code stays below the number of rows and never
    overflows, however many labels the columns have."""
    miss = np.zeros(codes[0].shape[0], dtype=bool)
    for c in codes:
        miss |= c < 0
    keep = np.flatnonzero(~miss)
    run = np.zeros(keep.shape[0], dtype=np.int64)
    for c in codes:
        sub = c[keep].astype(np.int64)
        # run < rows and sub < labels <= rows: the product stays below 2**62
        _, run = np.unique(run * (int(sub.max(initial=0)) + 1) + sub, return_inverse=True)
        run = run.reshape(-1).astype(np.int64)
    out = np.full(codes[0].shape[0], -1, dtype=np.int64)
    out[keep] = run
    G = int(run.max(initial=-1)) + 1
    first = np.full(G, -1, dtype=np.int64)
    first[run[::-1]] = keep[::-1]  # the last write wins: each combination's first row
    return out, first


def _codes_labels(c: Any) -> Any:
    """A socind.codes.Codes as the column of its rows' labels (None where
    missing); anything else as it is. (by= reads every column as labels, so
    Codes.codes would make −1 a group of its own.)"""
    from .codes import Codes
    if isinstance(c, Codes):
        a = np.empty(c.nrows, dtype=object)
        a[:] = c.decode(c.codes)
        return a
    return c


def _by_columns(by: Any):
    """(columns, names) of ``by=``: a DataFrame, a dict name → column, a list
    or tuple of columns, or one column (array, Series, list of labels, a
    socind.codes.Codes)."""
    cols, names = _by_columns_as_given(by)
    return [_codes_labels(c) for c in cols], names


def _by_columns_as_given(by: Any):
    if _cv.is_pandas(by) and type(by).__name__ == "DataFrame":
        cols = [by.iloc[:, j] for j in range(by.shape[1])]
        names = [str(c) for c in by.columns]
    elif isinstance(by, dict):
        cols, names = list(by.values()), [str(k) for k in by]
    elif isinstance(by, (list, tuple)) and len(by) > 0 and \
            all(_is_column(c) for c in by):
        if all(type(c) is tuple for c in by):
            # a list of tuples reads two ways: columns (the rule), or a label
            # per row; where the rows were as many as a tuple's items the
            # columns were taken, crossing labels meant to stay together
            raise InputTypeError(SOCIND_ERR_ARG,
                                 "by is a list of tuples, which reads two ways: a list in by= "
                                 "is a list of columns, and these look like labels, one per "
                                 "row; pass a label per row as a pandas Series "
                                 "(pd.Series(labels)), or columns as lists or arrays")
        cols = list(by)
        names = []
        for j, c in enumerate(by):
            nm = getattr(c, "name", None) if _cv.is_pandas(c) else None
            names.append(str(nm) if nm is not None else ("by" if j == 0 else f"by{j + 1}"))
    else:
        cols = [by]
        nm = getattr(by, "name", None) if _cv.is_pandas(by) else None
        names = [str(nm) if nm is not None else "by"]
    if not cols:
        raise InputError(SOCIND_ERR_ARG, "by has no column")
    if len(set(names)) != len(names):
        raise InputError(SOCIND_ERR_ARG, f"by: two columns have the same name ({names}); name "
                         "them apart (a DataFrame or a dict)")
    return cols, names


def _is_column(c: Any) -> bool:
    """A per-row column (not a single label)."""
    from .codes import Codes
    if isinstance(c, (str, bytes)):
        return False
    return isinstance(c, (np.ndarray, list, tuple, Codes)) or _cv.is_pandas(c) and np.ndim(c) == 1


def _frame(overall, grouped, groups: _Groups, nrows: int, per_group: int = 1,
           names: Optional[Sequence[str]] = None):
    """The DataFrame of a by= call: the overall row, then one row per group
    (× statistic)."""
    import pandas as pd
    rows = []
    idx = []
    labels = [None] + list(range(groups.G))
    base = groups.index(with_overall=True)
    for j, g in enumerate(labels):
        for i in range(per_group):
            if g is None:
                e = Estimate._from(overall[i], nrows)
            else:
                e = Estimate._from(grouped[g * per_group + i], groups.rows[g])
            rows.append(dict(value=e.value, se=e.se, ci_low=e.ci_low, ci_high=e.ci_high,
                             df=e.df, n=e.n, n_missing=e.n_missing, weight_sum=e.weight_sum,
                             status=e.status))
            key = base[j] if len(groups.names) == 1 else tuple(base[j])
            idx.append((key, names[i]) if per_group > 1 else key)
    df = pd.DataFrame(rows)
    if per_group > 1:
        if len(groups.names) == 1:
            df.index = pd.MultiIndex.from_tuples(idx, names=[groups.names[0], "statistic"])
        else:
            df.index = pd.MultiIndex.from_tuples([k + (s,) for k, s in idx],
                                                 names=groups.names + ["statistic"])
    elif len(groups.names) == 1:
        df.index = pd.Index(idx, name=groups.names[0], dtype=object)
    else:
        df.index = pd.MultiIndex.from_tuples(idx, names=groups.names)
    df.attrs["by_missing"] = groups.missing
    return df
