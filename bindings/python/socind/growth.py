# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/growth.h: WHO growth z-scores — the 2006 standards (0–5 years)
over columns or for one child, and the 2007 reference (5–19 years) — and
R's round(x, 2)."""

from __future__ import annotations

import ctypes
import functools
from typing import Any, Optional

import numpy as np

from . import _common
from . import _convert as _cv
from . import _lib
from ._common import _check, _rows_text, _scalar, _warn
from ._errors import InputError
from ._lib import lib
from .design import _same_index
from .status import SOCIND_ERR_ARG, SOCIND_ERR_CODE

# The C library's codes (the binding translates anthro's codes to them).
SOCIND_CODE_MISSING = -1
SOCIND_SEX_MALE = 1
SOCIND_SEX_FEMALE = 2
SOCIND_MEASURE_LYING = 1
SOCIND_MEASURE_STANDING = 2
SOCIND_OEDEMA_NO = 0
SOCIND_OEDEMA_YES = 1

SOCIND_ROUND_WHO = 0
SOCIND_ROUND_NONE = 1

# Per-row reason bits.
SOCIND_GROWTH_SEX_MISSING = 0x001
SOCIND_GROWTH_SEX_INVALID = 0x002
SOCIND_GROWTH_AGE_MISSING = 0x004
SOCIND_GROWTH_AGE_NEGATIVE = 0x008
SOCIND_GROWTH_AGE_OUT_OF_RANGE = 0x010
SOCIND_GROWTH_MEASURE_INVALID = 0x020
SOCIND_GROWTH_OEDEMA_INVALID = 0x040
SOCIND_GROWTH_NEGATIVE_VALUE = 0x080
SOCIND_GROWTH_STANDING_UNDER_9MO = 0x100
SOCIND_GROWTH_OEDEMA = 0x200
SOCIND_GROWTH_INFINITE_VALUE = 0x400
SOCIND_GROWTH_ZERO_VALUE = 0x800

# Indices of socind_growth_child_output's z and flag arrays.
SOCIND_Z_LEN = 0
SOCIND_Z_WEI = 1
SOCIND_Z_WFL = 2
SOCIND_Z_BMI = 3
SOCIND_Z_HC = 4
SOCIND_Z_AC = 5
SOCIND_Z_TS = 6
SOCIND_Z_SS = 7
SOCIND_Z_COUNT = 8

_D, _I = ctypes.c_double, ctypes.c_int32
_DP, _IP = ctypes.POINTER(_D), ctypes.POINTER(_I)


class GrowthInput_t(ctypes.Structure):
    """socind_growth_input."""
    _c_name = "socind_growth_input"
    _fields_ = [("size", ctypes.c_size_t), ("sex", _IP), ("age", _DP),
                ("age_in_months", _I), ("reserved", _I),
                ("weight", _DP), ("lenhei", _DP), ("measure", _IP),
                ("oedema", _IP), ("headc", _DP), ("armc", _DP),
                ("triskin", _DP), ("subskin", _DP), ("threads", _I), ("reserved2", _I)]


class GrowthOutput_t(ctypes.Structure):
    """socind_growth_output."""
    _c_name = "socind_growth_output"
    _fields_ = ([("size", ctypes.c_size_t), ("clenhei", _DP), ("cmeasure", _IP),
                 ("c9mo_flag", _IP), ("cbmi", _DP)]
                + [(n, _DP) for n in ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss")]
                + [(n, _IP) for n in ("flen", "fwei", "fwfl", "fbmi", "fhc", "fac", "fts", "fss")]
                + [("reason", _IP)])


class GrowthChildInput_t(ctypes.Structure):
    """socind_growth_child_input."""
    _c_name = "socind_growth_child_input"
    _fields_ = [("size", ctypes.c_size_t), ("sex", _I), ("age_in_months", _I),
                ("age", _D), ("weight", _D), ("lenhei", _D), ("measure", _I),
                ("oedema", _I), ("headc", _D), ("armc", _D), ("triskin", _D),
                ("subskin", _D)]


class GrowthChildOutput_t(ctypes.Structure):
    """socind_growth_child_output."""
    _c_name = "socind_growth_child_output"
    _fields_ = [("size", ctypes.c_size_t), ("z", _D * SOCIND_Z_COUNT),
                ("flag", _I * SOCIND_Z_COUNT), ("reason", _I), ("cmeasure", _I),
                ("c9mo_flag", _I), ("reserved", _I), ("clenhei", _D), ("cbmi", _D)]


class Growth2007Input_t(ctypes.Structure):
    """socind_growth2007_input."""
    _c_name = "socind_growth2007_input"
    _fields_ = [("size", ctypes.c_size_t), ("sex", _IP), ("age_months", _DP),
                ("height_cm", _DP), ("weight_kg", _DP), ("oedema", _IP),
                ("threads", _I), ("reserved", _I)]


class Growth2007Output_t(ctypes.Structure):
    """socind_growth2007_output."""
    _c_name = "socind_growth2007_output"
    _fields_ = [("size", ctypes.c_size_t), ("cbmi", _DP), ("zhfa", _DP), ("zwfa", _DP),
                ("zbfa", _DP), ("fhfa", _IP), ("fwfa", _IP), ("fbfa", _IP), ("reason", _IP)]


def _p(cls):
    return ctypes.POINTER(cls)


_lib.declare({
    "socind_growth_input_init": (_I, [_p(GrowthInput_t)]),
    "socind_growth_output_init": (_I, [_p(GrowthOutput_t)]),
    "socind_growth_who2006": (_I, [ctypes.c_size_t, _p(GrowthInput_t), _I, _p(GrowthOutput_t)]),
    "socind_growth_child_input_init": (_I, [_p(GrowthChildInput_t)]),
    "socind_growth_child_output_init": (_I, [_p(GrowthChildOutput_t)]),
    "socind_growth_who2006_child": (_I, [_p(GrowthChildInput_t), _I, _p(GrowthChildOutput_t)]),
    "socind_growth2007_input_init": (_I, [_p(Growth2007Input_t)]),
    "socind_growth2007_output_init": (_I, [_p(Growth2007Output_t)]),
    "socind_growth_who2007": (_I, [ctypes.c_size_t, _p(Growth2007Input_t), _I,
                                   _p(Growth2007Output_t)]),
    "socind_round2": (_D, [_D]),
})

_f64 = _cv.f64
_ptr = _lib.pointer


def _init(cls, init) -> ctypes.Structure:
    """A struct of cls with its size (and defaults) set by the C _init function."""
    st = cls()
    _check(init(ctypes.byref(st)))
    return st


# Up to this many rows, one call's output columns are carved from one
# buffer: a fresh allocation per column costs a page fault every 4 KiB on
# each call (the C library's malloc returns such columns to the system when
# they are freed), one buffer of 4 MiB or more gets NumPy's huge pages and
# stays with the process. Above it each column has its own buffer, so that
# keeping one column does not keep the others' memory.
_ONE_BUFFER_ROWS = 1 << 20


def _columns(n: int, doubles: list, ints: list) -> dict:
    """Fresh output columns of n rows: float64 for the names in doubles,
    int32 for those in ints (uninitialized: C writes every value)."""
    if n > _ONE_BUFFER_ROWS:
        out = {name: np.empty(n) for name in doubles}
        out.update({name: np.empty(n, dtype=np.int32) for name in ints})
        return out
    buf = np.empty(n * (8 * len(doubles) + 4 * len(ints)), dtype=np.uint8)
    out, at = {}, 0
    for names, dtype in ((doubles, np.float64), (ints, np.int32)):  # doubles first: aligned
        for name in names:
            size = n * np.dtype(dtype).itemsize
            out[name] = buf[at:at + size].view(dtype)
            at += size
    return out


_INVALID = ("error", "missing")


def _growth_codes(x: Any, n: Optional[int], table: "_cv.CodeTable", recode: Optional[dict],
                  invalid: str, arg: str) -> Optional[np.ndarray]:
    """sex/measure/oedema → C codes (−1 missing). Invalid codes raise
    InputError naming the rows (up to 20, then "and N more"), or with
    invalid="missing" become missing with a DataWarning giving the count."""
    if x is None:
        return None
    if invalid not in _INVALID:
        raise InputError(SOCIND_ERR_ARG, f"invalid must be 'error' or 'missing', not "
                         f"{invalid!r}")
    rec = table.recode_map(recode, arg)
    out, values = _cv.codes(x, n, table, rec)
    bad = np.flatnonzero(out == -9)
    if bad.size:
        if invalid == "error":
            raise InputError(
                SOCIND_ERR_CODE,
                f"{table.name}: {bad.size} value{'s are' if bad.size > 1 else ' is'} not "
                f"{table.article} {table.name} code ({table.accepted}; missing: NaN, None or "
                f"pd.NA) at {_rows_text(bad, values)} (0-based rows); recode them with "
                f"{arg}={{...}} "
                "or pass invalid='missing'", int(bad[0]), bad)
        _warn(f"{bad.size} invalid {table.name} code{'s' if bad.size > 1 else ''} "
              f"(not {table.accepted}) treated as missing")
        out[bad] = -1  # a fresh array: only the no-copy path returns the caller's
    return _cv.c_array(out, dtype=np.int32)


def _sex(sex: Any, invalid: str, sex_codes: Optional[dict]) -> np.ndarray:
    return _growth_codes(sex, None, _cv.SEX, sex_codes, invalid, "sex_codes")


def _rounding(rounding: str) -> int:
    if rounding not in ("who", "none"):
        raise InputError(SOCIND_ERR_ARG, f"rounding must be 'who' or 'none', not {rounding!r}")
    return SOCIND_ROUND_WHO if rounding == "who" else SOCIND_ROUND_NONE


def _reference(reference: str) -> None:
    if reference not in ("who2006", "who2007"):
        raise InputError(SOCIND_ERR_ARG, f"reference must be 'who2006' or 'who2007', not "
                         f"{reference!r}")


def _refuse_unused(what: str, **given: Any) -> None:
    """Arguments a reference does not read are refused, never ignored:
    ``given`` maps each such argument's name to its value (None = not given)."""
    for arg, val in given.items():
        if val is not None:
            raise InputError(SOCIND_ERR_ARG, f"{arg} does not apply to {what}; leave it out")


def _refuse_lone_recodes(**pairs: tuple) -> None:
    """A recoding map without its column (measure_codes without measure …)."""
    for arg, (codes, column, name) in pairs.items():
        if codes is not None and column is None:
            raise InputError(SOCIND_ERR_ARG, f"{arg} is given but {name} is not: there is "
                             "nothing to recode")


SOCIND_MAX_THREADS = _common.SOCIND_MAX_THREADS


def _threads(threads: Any) -> int:
    """A thread count for C: an int in 0 .. SOCIND_MAX_THREADS (0 = one per
    online processor); anything else raises InputError naming it."""
    if isinstance(threads, (bool, np.bool_)) or not isinstance(threads, (int, np.integer)) \
            or not 0 <= threads <= SOCIND_MAX_THREADS:
        raise InputError(SOCIND_ERR_ARG, f"threads must be an integer in 0 .. "
                         f"{SOCIND_MAX_THREADS} (0: one per processor), not {threads!r}")
    return int(threads)


def _rows_of_sex(fn):
    """A growth function's rows are sex's: a column of another length is
    said against sex (there is no design)."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        with _cv.lengths_of("sex"):
            return fn(*args, **kwargs)
    return call


def _one_age(age_days: Any, age_months: Any) -> None:
    if age_days is not None and age_months is not None:
        raise InputError(SOCIND_ERR_ARG, "give age_days or age_months, not both")


# The command's rule for ages in days that look like months (its
# check_age_unit): most children measured have an age of at most SMALL_AGE
# yet are as long or as heavy as no child under two months is. (Not "every
# age at most SMALL_AGE": one age above it — a typo, or months rounded up to
# 61 — would switch the rule off.)
SMALL_AGE = 60.0
BIG_LENGTH = 65.0
BIG_WEIGHT = 7.5


def _age_unit_counts(age: np.ndarray, lenhei: Optional[np.ndarray],
                     weight: Optional[np.ndarray]) -> tuple:
    """(children measured (a present age and a length or weight), those of
    them of age <= SMALL_AGE and >= BIG_LENGTH cm or >= BIG_WEIGHT kg): the
    counts of the months rule, summable over chunks."""
    present = ~np.isnan(age)
    has_len = np.zeros(age.shape[0], dtype=bool) if lenhei is None else ~np.isnan(lenhei)
    has_wt = np.zeros(age.shape[0], dtype=bool) if weight is None else ~np.isnan(weight)
    measured = present & (has_len | has_wt)
    big = np.zeros(age.shape[0], dtype=bool)
    if lenhei is not None:
        big |= has_len & (lenhei >= BIG_LENGTH)
    if weight is not None:
        big |= has_wt & (weight >= BIG_WEIGHT)
    with np.errstate(invalid="ignore"):
        young = present & (age <= SMALL_AGE)
    return int(measured.sum()), int((measured & young & big).sum())


def _refuse_months_as_days(counts: tuple) -> None:
    """The command's refusal of ages in days that look like months
    (``counts`` as _age_unit_counts gives them)."""
    measured, big = counts
    if measured > 0 and 2 * big > measured:
        raise InputError(SOCIND_ERR_ARG,
                         f"{big} of the {measured} children measured have an age of at most "
                         f"{SMALL_AGE:g} in age_days, yet are {BIG_LENGTH:g} cm or longer or "
                         f"weigh {BIG_WEIGHT:g} kg or more, which no child under two months "
                         "does: these ages look like months — give the column as age_months")


@_rows_of_sex
def zscores(sex: Any, age_days: Any = None, age_months: Any = None, weight_kg: Any = None,
            lenhei_cm: Any = None, measure: Any = None, oedema: Any = None,
            headc_cm: Any = None, armc_cm: Any = None, triskin_mm: Any = None,
            subskin_mm: Any = None, reference: str = "who2006", rounding: str = "who",
            invalid: str = "error", sex_codes: Optional[dict] = None,
            measure_codes: Optional[dict] = None, oedema_codes: Optional[dict] = None,
            threads: Optional[int] = None, *, _months_check: bool = True) -> dict:
    """WHO z-scores and flags: ``reference="who2006"`` (0–5 y: zlen, zwei,
    zwfl, zbmi, zhc, zac, zts, zss and flags flen … fss, with clenhei, cbmi,
    cmeasure, c9mo_flag, reason) or ``"who2007"`` (5–19 y, age in months:
    zhfa, zwfa, zbfa, fhfa, fwfa, fbfa, cbmi, reason). Flags are 1/0 and −1
    where the z-score is missing.

    Codes as WHO's anthro reads them (and the ``socind`` command) — sex: 1/m/M
    male, 2/f/F female; measure: l/L length, h/H height (numbers are not
    measure codes); oedema: y/Y or 1 yes, n/N or 2 no (0 is not a code). These
    are anthro's codes, not the C API's SOCIND_* values. A number is a code
    only when it equals the code exactly: 1, 1.0, "1.0", "1e0" and " 1 " are
    1; 1.0000000000000002, "١", "１" and b"1" are not. Text is compared
    stripped, case as shown; bools are never codes. An invalid code raises
    InputError naming the rows; ``invalid="missing"``
    makes them missing with a DataWarning. ``sex_codes={"L": 1, "P": 2}``,
    ``measure_codes={"B": "l", "T": "h"}``, ``oedema_codes={"ya": "y",
    "tidak": "n"}`` recode values first; their keys may be any value (read
    as values are: ``measure_codes={1: "l", 2: "h"}``, ``oedema_codes={0:
    "n"}``), their meanings are codes (oedema also True/False).

    Nothing given is ignored: an argument the reference does not read
    (who2007: age_days, measure, measure_codes, headc_cm, armc_cm, triskin_mm,
    subskin_mm), age_days together with age_months, and a recoding map
    without its column raise InputError naming the argument.

    ``threads``: the threads the C library splits the rows over — 1 the
    calling thread only, 2 .. 256, or 0 for one per processor; None (the
    default) takes :func:`socind.set_threads`' count, which is 1 unless set,
    as the C library starts no thread unasked. The results are the same, bit
    for bit, on any number of threads. Fewer than 16,384 children always run
    on the calling thread.

    Ages in days where most children measured are at most 60 days old yet
    65 cm or longer or weigh 7.5 kg or more (no child under two months
    does) are ages in months given as ``age_days``: InputError, as the
    command refuses them; give them as ``age_months``."""
    rnd = _rounding(rounding)
    nthreads = _common.get_threads() if threads is None else _threads(threads)
    _reference(reference)
    if reference == "who2007":
        _refuse_unused("reference='who2007' (5-19 years: sex, age_months, lenhei_cm, "
                       "weight_kg, oedema)", age_days=age_days, measure=measure,
                       measure_codes=measure_codes, headc_cm=headc_cm, armc_cm=armc_cm,
                       triskin_mm=triskin_mm, subskin_mm=subskin_mm)
    _one_age(age_days, age_months)
    _refuse_lone_recodes(measure_codes=(measure_codes, measure, "measure"),
                         oedema_codes=(oedema_codes, oedema, "oedema"))
    _same_index(("sex", sex), ("age_days", age_days), ("age_months", age_months),
                ("weight_kg", weight_kg), ("lenhei_cm", lenhei_cm), ("measure", measure),
                ("oedema", oedema), ("headc_cm", headc_cm), ("armc_cm", armc_cm),
                ("triskin_mm", triskin_mm), ("subskin_mm", subskin_mm))
    sx = _sex(sex, invalid, sex_codes)
    n = sx.shape[0]
    D, I = _D, _I
    if reference == "who2007":
        if age_months is None:
            raise InputError(SOCIND_ERR_ARG, "reference='who2007' needs age_months")
        age = _f64(age_months, n, "age_months")
        h = None if lenhei_cm is None else _f64(lenhei_cm, n, "lenhei_cm")
        w = None if weight_kg is None else _f64(weight_kg, n, "weight_kg")
        oe = _growth_codes(oedema, n, _cv.OEDEMA, oedema_codes, invalid, "oedema_codes")
        out = _columns(n, ["zhfa", "zwfa", "zbfa", "cbmi"], ["fhfa", "fwfa", "fbfa", "reason"])
        gi = _init(Growth2007Input_t, lib.socind_growth2007_input_init)
        gi.threads = nthreads
        gi.sex, gi.age_months, gi.oedema = _ptr(sx, I), _ptr(age, D), _ptr(oe, I)
        gi.height_cm, gi.weight_kg = _ptr(h, D), _ptr(w, D)
        go = _init(Growth2007Output_t, lib.socind_growth2007_output_init)
        for name, arr in out.items():
            setattr(go, name, _ptr(arr, D if arr.dtype == np.float64 else I))
        _check(lib.socind_growth_who2007(n, ctypes.byref(gi), rnd, ctypes.byref(go)))
        return out
    gi = _init(GrowthInput_t, lib.socind_growth_input_init)
    gi.threads = nthreads
    keep = {}
    if age_days is not None:
        keep["age"] = _f64(age_days, n, "age_days")
    elif age_months is not None:
        keep["age"] = _f64(age_months, n, "age_months")
        gi.age_in_months = 1
    for name, val, arg in (("weight", weight_kg, "weight_kg"), ("lenhei", lenhei_cm, "lenhei_cm"),
                           ("headc", headc_cm, "headc_cm"), ("armc", armc_cm, "armc_cm"),
                           ("triskin", triskin_mm, "triskin_mm"),
                           ("subskin", subskin_mm, "subskin_mm")):
        if val is not None:
            keep[name] = _f64(val, n, arg)
    if age_days is not None and _months_check:
        _refuse_months_as_days(_age_unit_counts(keep["age"], keep.get("lenhei"),
                                                keep.get("weight")))
    keep["sex"] = sx
    m = _growth_codes(measure, n, _cv.MEASURE, measure_codes, invalid, "measure_codes")
    o = _growth_codes(oedema, n, _cv.OEDEMA, oedema_codes, invalid, "oedema_codes")
    gi.sex = _ptr(sx, I)
    if m is not None:
        keep["measure"] = m
        gi.measure = _ptr(m, I)
    if o is not None:
        keep["oedema"] = o
        gi.oedema = _ptr(o, I)
    for name in ("age", "weight", "lenhei", "headc", "armc", "triskin", "subskin"):
        if name in keep:
            setattr(gi, name, _ptr(keep[name], D))
    go = _init(GrowthOutput_t, lib.socind_growth_output_init)
    # only the indicators whose measurements were given are computed; the
    # others share one read-only NaN (z) or −1 (flag) array
    has = {k: k in keep for k in ("weight", "lenhei", "headc", "armc", "triskin", "subskin")}
    needs = {"zlen": has["lenhei"], "zwei": has["weight"],
             "zwfl": has["weight"] and has["lenhei"], "zbmi": has["weight"] and has["lenhei"],
             "zhc": has["headc"], "zac": has["armc"], "zts": has["triskin"],
             "zss": has["subskin"]}
    nan = np.broadcast_to(np.float64(np.nan), (n,))  # read-only, no memory
    minus = np.broadcast_to(np.int32(-1), (n,))
    computed = [z for z, needed in needs.items() if needed]
    doubles = ["clenhei"] + (["cbmi"] if needs["zbmi"] else []) + computed
    ints = ["cmeasure", "c9mo_flag", "reason"] + ["f" + z[1:] for z in computed]
    cols = _columns(n, doubles, ints)
    for name, arr in cols.items():
        setattr(go, name, _ptr(arr, D if arr.dtype == np.float64 else I))
    out = {}
    for name in ("clenhei", "cbmi", "cmeasure", "c9mo_flag", "reason"):
        out[name] = cols.get(name, nan)
    for zname in needs:
        fname = "f" + zname[1:]
        out[zname], out[fname] = cols.get(zname, nan), cols.get(fname, minus)
    _check(lib.socind_growth_who2006(n, ctypes.byref(gi), rnd, ctypes.byref(go)))
    return out


_ZNAMES = ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss"]
_ZINDEX = {"zlen": SOCIND_Z_LEN, "zwei": SOCIND_Z_WEI, "zwfl": SOCIND_Z_WFL,
           "zbmi": SOCIND_Z_BMI, "zhc": SOCIND_Z_HC, "zac": SOCIND_Z_AC, "zts": SOCIND_Z_TS,
           "zss": SOCIND_Z_SS}


def zscores_child(sex: Any, age_days: float, weight_kg: float = float("nan"),
                  lenhei_cm: float = float("nan"), measure: Any = None, oedema: Any = None,
                  headc_cm: float = float("nan"), armc_cm: float = float("nan"),
                  triskin_mm: float = float("nan"), subskin_mm: float = float("nan"),
                  rounding: str = "who") -> dict:
    """One child's WHO 2006 z-scores and flags (a dict). Codes as
    :func:`zscores`; an invalid one raises InputError."""
    rnd = _rounding(rounding)

    def code(v, table):
        if v is None:
            return SOCIND_CODE_MISSING
        return int(_growth_codes(np.array([v], dtype=object), 1, table, None, "error",
                                 table.name + "_codes")[0])

    nums = [_scalar(v, k) if not _cv.is_missing(v) else float("nan")
            for v, k in ((age_days, "age_days"), (weight_kg, "weight_kg"),
                         (lenhei_cm, "lenhei_cm"), (headc_cm, "headc_cm"), (armc_cm, "armc_cm"),
                         (triskin_mm, "triskin_mm"), (subskin_mm, "subskin_mm"))]
    ci = _init(GrowthChildInput_t, lib.socind_growth_child_input_init)
    ci.sex = code(sex, _cv.SEX)
    ci.age, ci.weight, ci.lenhei = nums[0], nums[1], nums[2]
    ci.measure, ci.oedema = code(measure, _cv.MEASURE), code(oedema, _cv.OEDEMA)
    ci.headc, ci.armc, ci.triskin, ci.subskin = nums[3], nums[4], nums[5], nums[6]
    co = _init(GrowthChildOutput_t, lib.socind_growth_child_output_init)
    _check(lib.socind_growth_who2006_child(ctypes.byref(ci), rnd, ctypes.byref(co)))
    out = {name: co.z[_ZINDEX[name]] for name in _ZNAMES}
    out.update({"f" + name[1:]: co.flag[_ZINDEX[name]] for name in _ZNAMES})
    out["reason"] = co.reason
    return out


def round2(x: float) -> float:
    """R's round(x, 2), as WHO's software rounds z-scores."""
    return lib.socind_round2(_scalar(x, "x"))
