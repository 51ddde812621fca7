# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/common.h: statuses and errors, the estimate struct, options,
critical values, the difference of two estimates, versions.

Also the helpers every estimator shares: turning a failed status into its
exception (_check), the options struct (_options), scalar arguments
(_scalar) and warnings pointing at the caller's line (_warn)."""

from __future__ import annotations

import ctypes
import math
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._errors import ERROR_CLASS, DataWarning, InputError, InputTypeError, SocindError
from ._lib import lib
from .status import SOCIND_ERR_ARG, SOCIND_OK

# Distribution of the confidence interval's critical value.
SOCIND_CI_T = 0
SOCIND_CI_NORMAL = 1
# Interval for proportions.
SOCIND_PROP_CI_LOGIT = 0
SOCIND_PROP_CI_WALD = 1
SOCIND_PROP_CI_LIKELIHOOD = 2
SOCIND_PROP_CI_ASIN = 3
SOCIND_PROP_CI_BETA = 4
SOCIND_PROP_CI_MEAN = 5
SOCIND_PROP_CI_XLOGIT = 6
SOCIND_PROP_CI_COUNT = 7
# The prop_ci names (R's svyciprop methods, and wald), as the command's --prop-ci.
_PROP_CI = {"logit": SOCIND_PROP_CI_LOGIT, "wald": SOCIND_PROP_CI_WALD,
            "likelihood": SOCIND_PROP_CI_LIKELIHOOD, "asin": SOCIND_PROP_CI_ASIN,
            "beta": SOCIND_PROP_CI_BETA, "mean": SOCIND_PROP_CI_MEAN,
            "xlogit": SOCIND_PROP_CI_XLOGIT}
# The design a domain's variance uses under the lonely-PSU policies adjust and
# average (common.h). The binding's estimators pass AUTO: each follows its R
# counterpart (the C headers say which rule that is).
SOCIND_DOMAIN_RULE_AUTO = 0
SOCIND_DOMAIN_RULE_SUBSET = 1
SOCIND_DOMAIN_RULE_FULL = 2
SOCIND_MAX_THREADS = 256
# What a measure that needs incomes > 0 does with an income <= 0.
SOCIND_NONPOS_ERROR = 0
SOCIND_NONPOS_EXCLUDE = 1


class Estimate_t(ctypes.Structure):
    """socind_estimate."""
    _c_name = "socind_estimate"
    _fields_ = [("value", ctypes.c_double), ("se", ctypes.c_double),
                ("ci_low", ctypes.c_double), ("ci_high", ctypes.c_double),
                ("df", ctypes.c_double), ("weight_sum", ctypes.c_double),
                ("deff", ctypes.c_double), ("n", ctypes.c_int64),
                ("status", ctypes.c_int32), ("replicates_left_out", ctypes.c_int32)]


class Options_t(ctypes.Structure):
    """socind_options."""
    _c_name = "socind_options"
    _fields_ = [("size", ctypes.c_size_t), ("level", ctypes.c_double),
                ("ci_dist", ctypes.c_int32), ("prop_ci", ctypes.c_int32),
                ("domain_rule", ctypes.c_int32),
                ("threads", ctypes.c_int32)]


ESTIMATE_P = ctypes.POINTER(Estimate_t)
OPTIONS_P = ctypes.POINTER(Options_t)

_lib.declare({
    "socind_options_init": (ctypes.c_int32, [OPTIONS_P]),
    "socind_critical_value": (ctypes.c_int32, [ctypes.c_double, ctypes.c_int32, ctypes.c_double,
                                               ctypes.POINTER(ctypes.c_double)]),
    "socind_difference": (ctypes.c_int32, [ESTIMATE_P, ESTIMATE_P, OPTIONS_P, ESTIMATE_P]),
    "socind_prop_ci": (ctypes.c_int32, [ctypes.c_double, ctypes.c_double, ctypes.c_double,
                                        ctypes.c_int64, OPTIONS_P, ctypes.POINTER(ctypes.c_double),
                                        ctypes.POINTER(ctypes.c_double)]),
})


# ---------------------------------------------------------------- statuses


def _reason(status: int) -> str:
    return "" if status == SOCIND_OK else lib.socind_strerror(status).decode()


def _check(status: int, rows: Optional[np.ndarray] = None) -> None:
    """Raises the status's exception with the library's detail and row.
    ``rows`` maps the rows the library saw to the caller's rows when the
    binding passed a subset."""
    if status == SOCIND_OK:
        return
    detail = lib.socind_last_error_detail().decode()
    row = int(lib.socind_last_error_row())
    text = _reason(status) + (": " + detail if detail else "")
    if row < 0:
        row = None
    elif rows is not None:
        mine = int(rows[row])
        if mine != row:
            text += f" (the library's row {row} is row {mine} of the input)"
        row = mine
    raise ERROR_CLASS.get(status, SocindError)(status, text, row)


def _warn(message: str) -> None:
    """warnings.warn pointing at the caller's line (the first frame outside socind)."""
    f, level = sys._getframe(0), 1
    while f is not None and f.f_globals.get("__name__", "").partition(".")[0] == "socind":
        f, level = f.f_back, level + 1
    warnings.warn(message, DataWarning, stacklevel=level)


def _warn_left_out(left: int) -> None:
    """R's svrVar warning, when a replicate design's estimate left out
    replicates whose estimate was NaN (socind_estimate.replicates_left_out)."""
    if left:
        _warn(f"{left} replicate{'s' if left > 1 else ''} gave no estimate (NaN: e.g. no row "
              f"of the domain in the replicate) and {'were' if left > 1 else 'was'} left out "
              "of the variance, as R's svrVar discards them")


def _rows_text(bad: np.ndarray, values: Optional[np.ndarray] = None, limit: int = 20) -> str:
    """'rows 3, 7 and 12' (0-based), the first `limit`, then 'and N more'."""
    shown = []
    for i in bad[:limit]:
        i = int(i)
        shown.append(f"{i} ({_cv.shown(values[i])})" if values is not None else str(i))
    text = ("row " if len(bad) == 1 else "rows ") + ", ".join(shown)
    if len(bad) > limit:
        text += f" and {len(bad) - limit} more"
    return text


def _scalar(v: Any, name: str) -> float:
    """A real number argument (not complex, not text)."""
    if isinstance(v, np.ndarray) and v.ndim == 0:
        v = v.item()
    if isinstance(v, (bool, np.bool_)) or not (_cv._is_number(v) or
                                               isinstance(v, (np.integer, np.floating))):
        raise InputTypeError(SOCIND_ERR_ARG, f"{name} must be a real number, not "
                             f"{type(v).__name__} ({v!r})")
    f = _cv.exact_float(v)
    if f is None:
        raise InputTypeError(SOCIND_ERR_ARG, f"{name} is {_cv.inexact_text(v)}")
    return f


def _given(v: Any, name: str, omit: str = "leave it out (None) for the default") -> float:
    """A real number argument where the C field reads NaN as "not given"
    (a default, no target, no amount): a NaN the caller passes is refused
    (InputError naming the argument), never read as that default."""
    f = _scalar(v, name)
    if f != f:
        raise InputError(SOCIND_ERR_ARG, f"{name} is NaN; give a number, or {omit}")
    return f


def version() -> str:
    """The C library's release version."""
    return lib.socind_version().decode()


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Estimate:
    """One estimate: value, standard error, confidence interval, degrees of
    freedom, rows used (n) and their weight sum; ``status`` (0, or the
    SOCIND_ERR_* code saying why a figure is NaN or infinite) with its
    ``reason`` in words; ``n_missing``: the rows of the estimate's domain that
    missing values took out (with ``exclude_nonpositive``, also values <= 0);
    ``deff``: the design effect against simple random sampling with
    replacement where the library defines it (means and proportions), else
    NaN; it takes no part in ``==`` (a NaN would make equal estimates
    unequal), as before it existed; ``replicates_left_out``: on a
    replicate design, the replicates whose estimate was NaN (a jackknife
    replicate that deletes a domain's only PSU, say) and that the variance
    left out, as R's svrVar (socind warns with a DataWarning, as R does),
    else 0; it takes no part in ``==`` either."""
    value: float
    se: float
    ci_low: float
    ci_high: float
    df: float
    n: int
    weight_sum: float
    status: int = SOCIND_OK
    reason: str = ""
    n_missing: int = 0
    deff: float = field(default=math.nan, compare=False)
    replicates_left_out: int = field(default=0, compare=False)

    @staticmethod
    def _from(e: Estimate_t, rows: Optional[int] = None) -> "Estimate":
        n, left = int(e.n), int(e.replicates_left_out)
        _warn_left_out(left)
        return Estimate(e.value, e.se, e.ci_low, e.ci_high, e.df, n, e.weight_sum,
                        int(e.status), _reason(int(e.status)),
                        0 if rows is None else max(int(rows) - n, 0), e.deff, left)


# the threads every estimator call may use (socind_options.threads)
_threads = 1


def set_threads(n: int) -> None:
    """The threads the estimators may use from now on, in this process:
    1 (the default, as the C library's), 2 .. SOCIND_MAX_THREADS, or 0 for
    one per processor. The estimators that split their rows over threads
    (totals, means, ratios, proportions, FGT and the poverty measures
    against absolute and per-row lines, GE, Atkinson: socind/state.h) give
    the figures of one thread within 1e-12; by domain the threads take the
    domains (those estimators, the poverty measures against relative
    lines, and the Gini, quantiles, share ratios and Lorenz) and give one
    thread's figures bit for bit (a Gini whose largest domain holds half
    the rows or more: within 1e-12; a replicate design: within 1e-12); the
    GE decomposition splits its rows where its groups come in runs of rows
    (within 1e-12); the others run on one thread."""
    global _threads
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not (
            0 <= int(n) <= SOCIND_MAX_THREADS):
        raise InputError(SOCIND_ERR_ARG, f"threads must be an integer in 0 .. "
                         f"{SOCIND_MAX_THREADS}, not {n!r}")
    _threads = int(n)


def get_threads() -> int:
    """The thread count set_threads() set (1 unless it was called)."""
    return _threads


def _options(level: float, ci: Optional[str], prop_ci: Optional[str] = None) -> Options_t:
    """The C options: ``ci`` ("t", the default, or "normal": the critical
    value's distribution) and ``prop_ci`` (the interval of a proportion:
    "logit", the default, "wald", or R's svyciprop methods "likelihood",
    "asin", "beta" (Korn–Graubard), "mean", "xlogit"), independent of each other as the
    command's --ci and --prop-ci. Only the functions whose figure is a
    proportion take prop_ci (their callers check that)."""
    o = Options_t()
    _check(lib.socind_options_init(ctypes.byref(o)))
    o.level = _scalar(level, "level")
    if ci not in (None, "t", "normal"):
        hint = (f"; {ci!r} is an interval for proportions: pass prop_ci={ci!r} (proportion, "
                "fgt with alpha=0)" if ci in _PROP_CI else "")
        raise InputError(SOCIND_ERR_ARG, f"ci must be 't' or 'normal', not {ci!r}{hint}")
    if prop_ci is not None and prop_ci not in _PROP_CI:
        raise InputError(SOCIND_ERR_ARG, "prop_ci must be one of "
                         f"{', '.join(map(repr, _PROP_CI))}, not {prop_ci!r}")
    o.ci_dist = SOCIND_CI_NORMAL if ci == "normal" else SOCIND_CI_T
    o.prop_ci = _PROP_CI[prop_ci] if prop_ci is not None else SOCIND_PROP_CI_LOGIT
    o.threads = _threads
    return o


def _nonpositive(exclude: bool) -> int:
    """The C policy for incomes <= 0."""
    return SOCIND_NONPOS_EXCLUDE if _cv.flag(exclude, "exclude_nonpositive") else \
        SOCIND_NONPOS_ERROR


# ---------------------------------------------------------------- functions


def critical_value(level: float = 0.95, df: float = float("inf"),
                   dist: str = "t") -> float:
    """Two-sided critical value: Student t with ``df`` degrees of freedom or
    the normal (``dist="normal"``)."""
    if dist not in ("t", "normal"):
        raise InputError(SOCIND_ERR_ARG, f"dist must be 't' or 'normal', not {dist!r}")
    out = ctypes.c_double()
    _check(lib.socind_critical_value(_scalar(level, "level"),
                                     SOCIND_CI_NORMAL if dist == "normal" else SOCIND_CI_T,
                                     _scalar(df, "df"), ctypes.byref(out)))
    return out.value


def proportion_interval(p: float, se: float, df: float, n: int = 0, prop_ci: str = "logit",
                        level: float = 0.95, ci: Optional[str] = None) -> tuple:
    """The interval (low, high) that ``prop_ci`` gives a proportion ``p``
    with standard error ``se`` on ``df`` degrees of freedom from ``n`` rows
    (n is used by "beta" and "likelihood"): the estimators' interval on a df
    of your choice, on the exact fit (``proportion()``'s likelihood limits
    sit at R's glm fit instead, and its groups carry their own df already).
    Raises InputError where the C function returns a status other than OK
    (e.g. SOCIND_ERR_RANGE where R's svyciprop gives NA: p = 0 with asin,
    beta, xlogit and likelihood)."""
    o = _options(level, ci, prop_ci)
    lo, hi = ctypes.c_double(), ctypes.c_double()
    _check(lib.socind_prop_ci(_scalar(p, "p"), _scalar(se, "se"), _scalar(df, "df"),
                              _cv.integer(n, "n", *_cv.INT64),
                              ctypes.byref(o), ctypes.byref(lo), ctypes.byref(hi)))
    return lo.value, hi.value


def difference(a: Estimate, b: Estimate, level: float = 0.95, ci: Optional[str] = None) -> Estimate:
    """Change b − a between estimates from independent samples (two survey
    rounds drawn separately): se = sqrt(se_a² + se_b²), df = df_a + df_b."""
    def raw(e: Estimate, arg: str) -> Estimate_t:
        if not isinstance(e, Estimate):
            raise InputTypeError(SOCIND_ERR_ARG, f"{arg} must be a socind.Estimate, not "
                                 f"{type(e).__name__}")
        r = Estimate_t()
        for f in ("value", "se", "ci_low", "ci_high", "df", "weight_sum", "deff"):
            setattr(r, f, _scalar(getattr(e, f), f"{arg}.{f}"))
        r.n = _cv.integer(e.n, f"{arg}.n", *_cv.INT64)
        r.status = _cv.integer(e.status, f"{arg}.status", *_cv.INT32)
        return r
    out = Estimate_t()
    o = _options(level, ci)
    _check(lib.socind_difference(ctypes.byref(raw(a, "a")), ctypes.byref(raw(b, "b")),
                                 ctypes.byref(o), ctypes.byref(out)))
    e = Estimate._from(out)
    return Estimate(e.value, e.se, e.ci_low, e.ci_high, e.df, e.n, e.weight_sum, e.status,
                    e.reason, a.n_missing + b.n_missing, e.deff)
