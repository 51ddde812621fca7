# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/simulate.h: what a transfer would do — FGT(α), the Gini and the
number of poor before and after adding a transfer to the incomes of the
rows a rule selects, the paired changes, the programme's cost, and poverty
reduction and people lifted out of poverty per billion."""

from __future__ import annotations

import ctypes
from typing import Any, Optional, Sequence

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import ESTIMATE_P, OPTIONS_P, _check, _given, _scalar
from ._errors import ComputeError, InputError
from ._lib import F64, HANDLE, OPT_I32, lib
from .design import Design, _estimate, _same_index, _y_design
from .poverty import PovertyLine_t, _line
from .status import SOCIND_ERR_ARG, SOCIND_ERR_DATA, SOCIND_ERR_NOMEM

SOCIND_TRANSFER_PER_PERSON = 0
SOCIND_TRANSFER_PER_HOUSEHOLD = 1

# the layout of one domain's estimates (simulate.h)
SOCIND_SIM_GINI_BEFORE = 0
SOCIND_SIM_GINI_AFTER = 1
SOCIND_SIM_GINI_CHANGE = 2
SOCIND_SIM_POOR_BEFORE = 3
SOCIND_SIM_POOR_AFTER = 4
SOCIND_SIM_POOR_CHANGE = 5
SOCIND_SIM_COST = 6
SOCIND_SIM_LIFTED_PER_UNIT = 7
SOCIND_SIM_FGT_BEFORE = 0
SOCIND_SIM_FGT_AFTER = 1
SOCIND_SIM_FGT_CHANGE = 2
SOCIND_SIM_FGT_PER_UNIT = 3
SOCIND_SIM_MAX_ALPHA = 6


def SOCIND_SIM_FGT(a: int, part: int) -> int:
    return 8 + 4 * a + part


def SOCIND_SIM_COUNT(n_alpha: int) -> int:
    return 8 + 4 * n_alpha


class Transfer_t(ctypes.Structure):
    """socind_transfer."""
    _c_name = "socind_transfer"
    _fields_ = [("size", ctypes.c_size_t), ("per", ctypes.c_int32),
                ("n_codes", ctypes.c_int32), ("amount", ctypes.c_double),
                ("household_size", ctypes.POINTER(ctypes.c_double)),
                ("code", ctypes.POINTER(ctypes.c_int32)),
                ("amounts", ctypes.POINTER(ctypes.c_double)),
                ("selected", ctypes.POINTER(ctypes.c_int32)),
                ("cost_unit", ctypes.c_double)]


_i32 = ctypes.c_int32
_T = ctypes.POINTER(Transfer_t)
_lib.declare({
    "socind_transfer_init": (_i32, [_T]),
    "socind_transfer_amounts": (_i32, [HANDLE, _T, _lib.F64_OUT]),
    "socind_simulate_transfer": (_i32, [HANDLE, F64, ctypes.POINTER(PovertyLine_t), F64, _i32,
                                        _T, OPT_I32, _i32, OPTIONS_P, ESTIMATE_P]),
})

_PER = {"person": SOCIND_TRANSFER_PER_PERSON, "household": SOCIND_TRANSFER_PER_HOUSEHOLD}


def _names(alphas: Sequence[float]) -> list:
    names = ["gini_before", "gini_after", "gini_change", "poor_before", "poor_after",
             "poor_change", "cost", "lifted_per_unit"]
    for a in alphas:
        names += [f"fgt{a:g}_{p}" for p in ("before", "after", "change", "per_unit")]
    assert len(names) == SOCIND_SIM_COUNT(len(alphas))
    return names


def _selection(select: Any, n: int) -> Optional[np.ndarray]:
    """A 0/1 int32 flag per row (True/False, 1/0); None selects every row."""
    if select is None:
        return None
    a = _cv.raw(select, "select")
    _cv.check_length(a, n, "select")
    if a.dtype.kind == "b":
        return np.ascontiguousarray(a, dtype=np.int32)
    if a.dtype.kind in "iuf":
        bad = ~np.isin(a, (0, 1))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputError(SOCIND_ERR_DATA, f"select: row {i} is {a[i]!r}; a selection flag "
                             "is True/False or 1/0", i)
        return np.ascontiguousarray(a, dtype=np.int32)
    raise InputError(SOCIND_ERR_ARG, f"select must be booleans or 0/1, not {a.dtype}")


def _transfer_columns(household_size, amount_by, select) -> list:
    """The transfer's row-aligned arguments as (name, value) pairs, for the
    same-index rule."""
    return [("household_size", household_size), ("amount_by", amount_by), ("select", select)]


def _transfer(n: int, amount, per: str, household_size, amount_by, amounts, select,
              cost_unit: float):
    """The socind_transfer and the arrays it points to (keep them alive)."""
    T = Transfer_t()
    _check(lib.socind_transfer_init(ctypes.byref(T)))
    if per not in _PER:
        raise InputError(SOCIND_ERR_ARG, f"per must be 'person' or 'household', not {per!r}")
    T.per = _PER[per]
    keep = []
    if per == "household":
        if household_size is None:
            raise InputError(SOCIND_ERR_ARG, "per='household' needs household_size (persons "
                             "a row's household holds)")
        hs = _cv.f64(household_size, n, "household_size")
        keep.append(hs)
        T.household_size = _lib.pointer(hs, ctypes.c_double)
    elif household_size is not None:
        raise InputError(SOCIND_ERR_ARG, "household_size is read only with per='household'")
    if (amount_by is None) != (amounts is None):
        raise InputError(SOCIND_ERR_ARG, "amount_by and amounts go together: a group column "
                         "and a dict {group: amount}")
    if amount_by is not None:
        if amount is not None:
            raise InputError(SOCIND_ERR_ARG, "give amount or amount_by/amounts, not both")
        codes, labels = _cv.factorize(amount_by, n, "amount_by")
        if not isinstance(amounts, dict):
            raise InputError(SOCIND_ERR_ARG, "amounts must be a dict {group: amount}")
        unknown = [k for k in amounts if k not in labels]
        if unknown:
            raise InputError(SOCIND_ERR_ARG, f"amounts names groups no row of amount_by holds: "
                             f"{unknown!r} (its groups: {labels!r})")
        vals = np.array([_given(amounts[lab], f"amounts[{lab!r}]", "leave the group out of "
                                "amounts for no transfer") if lab in amounts
                         else np.nan for lab in labels] or [np.nan], dtype=np.float64)
        c32 = np.ascontiguousarray(codes, dtype=np.int32)
        keep += [vals, c32]
        T.n_codes = max(len(labels), 1)
        T.code = _lib.pointer(c32, ctypes.c_int32)
        T.amounts = _lib.pointer(vals, ctypes.c_double)
    else:
        if amount is None:
            raise InputError(SOCIND_ERR_ARG, "the transfer needs amount= (or amount_by= with "
                             "amounts=)")
        T.amount = _scalar(amount, "amount")
    sel = _selection(select, n)
    if sel is not None:
        keep.append(sel)
        T.selected = _lib.pointer(sel, ctypes.c_int32)
    T.cost_unit = _scalar(cost_unit, "cost_unit")
    return T, keep


def transfer_amounts(amount: Any = None, design: Optional[Design] = None, n: Optional[int] = None,
                     per: str = "person", household_size: Any = None, amount_by: Any = None,
                     amounts: Optional[dict] = None, select: Any = None) -> np.ndarray:
    """Each row's per-capita transfer t (simulate.h): amount (or the amount
    of the row's ``amount_by`` group) per person, or per household divided
    by ``household_size``, for the rows ``select`` marks; 0 elsewhere."""
    if design is None:
        if n is None:
            raise InputError(SOCIND_ERR_ARG, "give design= or n=")
        n = _cv.integer(n, "n", 0, _cv.INT64[1])
        try:
            ones = np.ones(n)
        except (MemoryError, ValueError):  # ValueError: beyond any array's size
            raise ComputeError(SOCIND_ERR_NOMEM, f"n = {n}: out of memory for the rows") from None
        design = Design(ones)
    _same_index(*_transfer_columns(household_size, amount_by, select), ("design", design))
    T, keep = _transfer(design.n, amount, per, household_size, amount_by, amounts, select, 1e9)
    t = np.empty(design.n, dtype=np.float64)
    _check(lib.socind_transfer_amounts(design._h, ctypes.byref(T), t))
    del keep
    return t


def simulate_transfer(y: Any, line: Any, amount: Any = None, design: Optional[Design] = None,
                      per: str = "person", household_size: Any = None, amount_by: Any = None,
                      amounts: Optional[dict] = None, select: Any = None,
                      alpha: Sequence[float] = (0, 1, 2), cost_unit: float = 1e9,
                      by: Any = None, inclusive: bool = False, level: float = 0.95,
                      ci: Optional[str] = None, prop_ci: Optional[str] = None):
    """What a transfer would do (socind_simulate_transfer).

    ``y`` per-capita income (rows are persons, or households weighted by
    persons); ``line`` a number, a line per row, or a :class:`relative_line`
    estimated on the baseline ``y`` and held fixed for the incomes after the
    transfer (its estimation error in every SE). The transfer: ``amount``
    per person (``per="person"``) or per household (``per="household"``,
    divided by ``household_size``), or the amount of each row's
    ``amount_by`` group from ``amounts`` ({group: amount}; a group not in
    it gets nothing); given to the rows ``select`` marks (booleans or 0/1;
    None: every row). Returns a dict of Estimates (or, with ``by``, a
    DataFrame indexed by group and statistic): ``fgt{α}_before``,
    ``_after``, ``_change`` (paired: the same sample), ``_per_unit``
    (−ΔP/(|cost|/cost_unit)), ``gini_before/after/change``,
    ``poor_before/after/change`` (persons), ``cost`` (Σ w·t) and
    ``lifted_per_unit`` (people lifted out of poverty per cost_unit of
    |cost|: a negative ``amount``, a levy, that makes more people poor
    gives negative per-unit figures)."""
    alphas = [_scalar(a, "alpha") for a in np.atleast_1d(np.asarray(alpha, dtype=object))]
    if not 1 <= len(alphas) <= SOCIND_SIM_MAX_ALPHA:
        raise InputError(SOCIND_ERR_ARG, f"alpha: 1 to {SOCIND_SIM_MAX_ALPHA} values, got "
                         f"{len(alphas)}")
    names = [f"{a:g}" for a in alphas]
    twice = [j for j, nm in enumerate(names) if nm in names[:j]]
    if twice:
        # the estimates are named fgt{α:g}_…: a second α of one name would overwrite the first
        j = twice[0]
        i = names.index(names[j])
        same = (f"{alphas[j]:g} is given twice" if alphas[i] == alphas[j] else
                f"{alphas[i]!r} and {alphas[j]!r} both name fgt{names[j]}_…")
        raise InputError(SOCIND_ERR_ARG, f"alpha: {same}; give each α once")
    yv, d = _y_design(y, design, others=[("line", line), ("by", by)] +
                      _transfer_columns(household_size, amount_by, select))
    L, keep_line = _line(line, d.n, inclusive)
    T, keep = _transfer(d.n, amount, per, household_size, amount_by, amounts, select,
                        cost_unit)
    av = np.ascontiguousarray(alphas, dtype=np.float64)
    res = _estimate(lib.socind_simulate_transfer, d, yv, by, level, ci, (),
                    (ctypes.byref(L), av, ctypes.c_int32(len(alphas)), ctypes.byref(T)),
                    SOCIND_SIM_COUNT(len(alphas)), _names(alphas), prop_ci)
    del keep, keep_line
    return res
