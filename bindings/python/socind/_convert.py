# SPDX-License-Identifier: GPL-3.0-or-later
"""The boundary between Python values and the C library's buffers.

One rule throughout: values are compared, never cast first. A float stratum
1.2 is not 1, an int64 sex code 2**32 + 1 is not 1, complex numbers are
refused (their imaginary part would be lost), text where numbers are
expected is refused naming the argument and the row, and pandas' nullable
``pd.NA`` (like None and NaN) is a missing value. Every converter returns a
one-dimensional, C-contiguous array in native byte order (2-D input is
refused; non-contiguous and big-endian arrays are copied), and checks the
length against the design before any pointer reaches C.

Missing values: NaN, None, ``pd.NA`` (and ``pd.NaT``) — nothing else. Masked
NumPy arrays: masked entries are missing.
"""

from __future__ import annotations

import ctypes
import contextlib
import decimal
import fractions
import math
import numbers
import re
import sys
from collections.abc import Iterator, Mapping, Set
from typing import Any, Optional, Sequence

import numpy as np

from ._errors import InputError, InputTypeError
from .status import SOCIND_ERR_ARG, SOCIND_ERR_DATA

_F8 = np.dtype(np.float64)
_I8 = np.dtype(np.int64)
_INT64_MAX = np.iinfo(np.int64).max


def is_pandas(x: Any) -> bool:
    return type(x).__module__.partition(".")[0] == "pandas"


def index_of(x: Any):
    """The index of a pandas Series or DataFrame, else None (arrays, lists,
    pandas arrays and Categoricals carry none: their rows are positions)."""
    pd = sys.modules.get("pandas")  # not imported: x is no pandas object
    if pd is not None and isinstance(x, (pd.Series, pd.DataFrame)):
        return x.index
    return None


def is_missing(v: Any) -> bool:
    """None, NaN (a float's, a Decimal's), pd.NA or pd.NaT (without
    importing pandas)."""
    if v is None:
        return True
    if isinstance(v, (float, np.floating)):
        return v != v
    if isinstance(v, decimal.Decimal):
        return v.is_nan()  # (as where numbers are read: exact_float's NaN)
    return type(v).__name__ in ("NAType", "NaTType")


SHOWN = 60  # characters of a value a message quotes at most


def shown(v: Any) -> str:
    """repr(v) for a message, cut after SHOWN characters with its length
    said: a value read from data (a label, a code, a text cell) may be
    megabytes long, and a message quoting it whole is no message."""
    r = repr(v)
    if len(r) <= SHOWN:
        return r
    size = f"{len(v)} characters" if isinstance(v, str) else \
        f"{len(v)} bytes" if isinstance(v, bytes) else f"{len(r)} characters written"
    return f"{r[:SHOWN]}… ({size})"


def _is_number(v: Any) -> bool:
    """A real number that is not a bool (bools are not numbers here: True == 1
    would read a flag as a code)."""
    if isinstance(v, (bool, np.bool_)):
        return False
    return isinstance(v, (numbers.Real, decimal.Decimal))


def _pandas_kind(x: Any):
    """For a pandas object: ("categorical", None), ("nullable", dtype) for the
    masked/extension dtypes (Int64, Float64, boolean, string …), or (None, None)."""
    import pandas as pd
    dt = getattr(x, "dtype", None)
    if isinstance(dt, pd.CategoricalDtype):
        return "categorical", dt
    if isinstance(dt, pd.api.extensions.ExtensionDtype):
        return "nullable", dt
    return None, None


def _bound(b: int) -> str:
    """A C type's bound as written: 2**31 - 1, -2**63, 100."""
    for k in (31, 32, 63, 64):
        if b == 2 ** k - 1:
            return f"2**{k} - 1"
        if b == -(2 ** k):
            return f"-2**{k}"
    return str(b)


INT32 = (-(2 ** 31), 2 ** 31 - 1)
INT64 = (-(2 ** 63), 2 ** 63 - 1)
UINT64 = (0, 2 ** 64 - 1)  # also size_t


def integer(v: Any, name: str, lo: int, hi: int) -> int:
    """An integer argument for a C field whose type holds lo .. hi: a Python
    or NumPy integer (bools, floats, text refused: InputTypeError), in that
    range (InputError), never truncated or wrapped. Either error names the
    argument and the range."""
    rng = f"{_bound(lo)} .. {_bound(hi)}"
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise InputTypeError(SOCIND_ERR_ARG, f"{name} must be an integer in {rng}, not "
                             f"{type(v).__name__} ({shown(v)})")
    if not lo <= int(v) <= hi:
        raise InputError(SOCIND_ERR_ARG, f"{name} must be an integer in {rng}, not {int(v)}")
    return int(v)


def flag(v: Any, name: str) -> int:
    """A yes/no argument as 0 or 1: True/False (NumPy's too) or the
    integers 0 and 1; anything else (a text "no" would be true) is an
    InputTypeError naming the argument."""
    if isinstance(v, (bool, np.bool_)) or (isinstance(v, (int, np.integer)) and v in (0, 1)):
        return 1 if v else 0
    raise InputTypeError(SOCIND_ERR_ARG, f"{name} must be True or False, not {v!r}")


def raw(x: Any, name: str) -> np.ndarray:
    """x as a 1-D NumPy array without any value conversion: pandas nullable
    arrays become object arrays with None for pd.NA (numbers keep their exact
    value), categoricals their values, masked arrays object arrays with None
    where masked."""
    if isinstance(x, np.ndarray) and type(x) is np.ndarray:
        a = x
    elif isinstance(x, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(x)
        a = np.asarray(x.data)
        if mask.any():
            a = a.astype(object)
            a[mask] = None
    elif is_pandas(x):
        kind, dt = _pandas_kind(x)
        if kind == "nullable":
            a = x.to_numpy(dtype=object, na_value=None) if _has_na(x) else \
                x.to_numpy(dtype=getattr(dt, "numpy_dtype", object))
        else:
            a = np.asarray(x)
    else:
        if isinstance(x, (str, bytes)):
            raise InputTypeError(SOCIND_ERR_ARG, f"{name} must be an array of values, not a "
                                 f"single {type(x).__name__}")
        if isinstance(x, (Mapping, Set, Iterator)):
            # NumPy makes a 0-dimensional object array of them
            raise InputTypeError(SOCIND_ERR_ARG, f"{name} must be an array of values (a NumPy "
                                 f"array, a list, a pandas Series), not a {type(x).__name__}" +
                                 (": pass list(...) of it" if isinstance(x, Iterator) else ""))
        if isinstance(x, (list, tuple)) and _mixed(x):
            # NumPy would turn [1, "2"] into text and [True, 2] into numbers
            a = np.empty(len(x), dtype=object)
            a[:] = x if all(np.ndim(v) == 0 for v in x) else np.asarray(x, dtype=object)
        else:
            a = np.asarray(x)
            if a.ndim == 0:
                raise InputTypeError(SOCIND_ERR_ARG, f"{name} must be an array of values, not "
                                     f"a single {type(x).__name__}")
    if a.ndim != 1:
        raise InputError(SOCIND_ERR_ARG, f"{name} must be one-dimensional (got {a.ndim} "
                         f"dimensions{', shape ' + str(a.shape) if a.ndim else ''})")
    return a


def _mixed(x: Sequence) -> bool:
    """A list whose values NumPy would coerce to one kind: text with
    non-text, or bools with non-bools."""
    types = set(map(type, x))
    if len(types) <= 1:
        return False
    text = sum(1 for t in types if issubclass(t, (str, bytes)))
    bools = sum(1 for t in types if issubclass(t, (bool, np.bool_)))
    return (0 < text < len(types)) or (0 < bools < len(types))


def _has_na(x: Any) -> bool:
    return bool(np.asarray(x.isna()).any())


def check_length(a: np.ndarray, n: Optional[int], name: str) -> None:
    if n is not None and a.shape[0] != n:
        e = InputError(SOCIND_ERR_ARG, f"{name} has {a.shape[0]} values, the design has "
                       f"{n} rows")
        e.lengths = (name, a.shape[0], n)  # for lengths_of
        raise e


@contextlib.contextmanager
def lengths_of(what: str):
    """Length mismatches inside say that ``what`` (the column the call's
    rows are counted by, e.g. sex) has n values, where there is no design."""
    try:
        yield
    except InputError as e:
        lengths = getattr(e, "lengths", None)
        if lengths is None:
            raise
        name, got, n = lengths
        e.args = (f"{name} has {got} values, {what} has {n}",)
        e.lengths = None
        raise


def _refuse_kind(a: np.ndarray, name: str, what: str) -> None:
    """A whole column of the wrong type (InputTypeError; .row is its first row)."""
    k = a.dtype.kind
    row = 0 if a.size else None
    if k == "c":
        raise InputTypeError(SOCIND_ERR_DATA, f"{name} is complex ({a.dtype}): socind takes "
                             "real numbers and would lose the imaginary part", row)
    if k in "US":
        first = a[0] if a.size else ""
        raise InputTypeError(SOCIND_ERR_DATA, f"{name} holds text (e.g. {shown(first)}) where "
                             f"{what} are expected", row)
    if k in "Mm":
        raise InputTypeError(SOCIND_ERR_DATA, f"{name} holds dates or durations ({a.dtype}) "
                             f"where {what} are expected", row)
    raise InputTypeError(SOCIND_ERR_DATA, f"{name} has values of type {a.dtype}, not {what}",
                         row)


def c_array(a: Any, dtype: Any = None) -> np.ndarray:
    """a as the array C reads: C-contiguous and aligned (a copy only when a
    is neither already), of dtype when given."""
    return np.require(a, dtype=dtype, requirements=["C", "A"])


def exact_f64(a: np.ndarray, name: str) -> np.ndarray:
    """A bool, integer or float array as float64 (native order), refused
    (InputTypeError naming the first row) when a value would change: an
    integer beyond 2**53 that float64 cannot hold, a long double's extra
    digits. socind computes in double precision; it never rounds an input
    silently."""
    f = a.astype(_F8, copy=False)
    k, size = a.dtype.kind, a.dtype.itemsize
    if (k in "iu" and size >= 8) or (k == "f" and size > 8):
        with np.errstate(invalid="ignore", over="ignore"):
            if k == "f":
                changed = ~((f.astype(a.dtype) == a) | np.isnan(a))
            else:  # beyond ±2**53 the round trip tells (2**63 does not come back)
                big = (a > 2 ** 53) | (a < -(2 ** 53)) if k == "i" else a > 2 ** 53
                changed = np.zeros(a.shape, dtype=bool)
                if big.any():
                    idx = np.flatnonzero(big)
                    changed[idx] = [float(int(v)) != int(v) or int(float(int(v))) != int(v)
                                    for v in a[idx]]
        bad = np.flatnonzero(changed)
        if bad.size:
            i = int(bad[0])
            raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is {inexact_text(a[i])}", i)
    return f


def _refuse_bools(a: np.ndarray, name: str, what: str) -> None:
    """A bool array, or an object array holding a bool, where ``what``
    (weights, factors …) are expected: a mask passed by mistake, refused
    (InputTypeError naming the argument and the first bool's row)."""
    if a.dtype.kind == "b":
        row = 0 if a.size else None
    elif a.dtype.kind == "O":
        hit = [i for i, v in enumerate(a.tolist()) if isinstance(v, (bool, np.bool_))]
        if not hit:
            return
        row = hit[0]
    else:
        return
    raise InputTypeError(SOCIND_ERR_DATA, f"{name} holds True/False (row {row}) where {what} "
                         "are expected (a mask passed by mistake?); give numbers (.astype(float) "
                         "if 0/1 is meant)", row)


def f64(x: Any, n: Optional[int], name: str, bools: Optional[str] = None) -> np.ndarray:
    """Numbers as float64 (missing → NaN). Accepts float (float16 … long
    double, each value exact), integer and bool arrays (bool → 0/1), object
    arrays of real numbers and missing values, pandas nullable
    Float64/Int64/boolean; refuses complex, text, dates. ``bools``: None, or
    what the argument holds ("weights", "replicate factors" …) where a bool
    is no value but a mask passed by mistake: then True/False are refused
    (InputTypeError naming the argument)."""
    if type(x) is np.ndarray and x.dtype == _F8 and x.ndim == 1 and x.flags.c_contiguous and \
            x.flags.aligned:
        check_length(x, n, name)
        return x  # the caller's buffer, no copy
    if is_pandas(x):
        kind, dt = _pandas_kind(x)
        if bools is not None and kind == "nullable" and getattr(dt, "kind", "O") == "b":
            _refuse_bools(raw(x, name), name, bools)
        if kind == "nullable" and getattr(dt, "kind", "O") in "fiub":
            if getattr(dt, "kind", "O") in "iu":
                # (a Sparse dtype has no itemsize or numpy_dtype: its subtype's)
                npd = np.dtype(getattr(dt, "numpy_dtype", None) or dt.subtype)
                if npd.itemsize >= 8:
                    exact_f64(x.to_numpy(dtype=npd, na_value=0), name)
            a = x.to_numpy(dtype=np.float64, na_value=np.nan)
            if a.ndim != 1:
                raise InputError(SOCIND_ERR_ARG, f"{name} must be one-dimensional")
            check_length(a, n, name)
            return c_array(a)
    a = raw(x, name)
    if bools is not None:
        _refuse_bools(a, name, bools)
    k = a.dtype.kind
    if k in "fiub":
        a = exact_f64(a, name)  # native byte order, float64, nothing rounded
    elif k == "O":
        a = _objects_to_f64(a, name)
    else:
        _refuse_kind(a, name, "numbers")
    check_length(a, n, name)
    return c_array(a)


def exact_float(v: Any) -> Optional[float]:
    """A real number (int, float, NumPy number, Decimal, Fraction …) as the
    float64 equal to it, or None when no double equals it (2**53 + 1,
    Decimal("0.1"), Fraction(1, 3), a long double's extra digits, an int
    beyond the doubles). NaN stays NaN (a Decimal NaN too)."""
    if isinstance(v, np.integer):
        v = int(v)  # NumPy would compare an int64 with a float as two doubles
    if isinstance(v, decimal.Decimal) and v.is_nan():
        return math.nan
    try:
        f = float(v)
    except (OverflowError, ValueError):
        return None
    if f != f:
        return f
    return f if f == v else None  # Python compares these types exactly


def inexact_text(v: Any) -> str:
    return (f"{shown(v)}, which a double (float64) cannot hold exactly; socind computes in double "
            "precision and does not round inputs silently")


def _objects_to_f64(a: np.ndarray, name: str) -> np.ndarray:
    out = np.empty(a.shape[0])
    for i, v in enumerate(a.tolist()):
        if is_missing(v):
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_)):
            out[i] = float(v)
        elif _is_number(v):
            f = exact_float(v)
            if f is None:
                raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is {inexact_text(v)}", i)
            out[i] = f
        elif isinstance(v, (complex, np.complexfloating)):
            raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is complex ({shown(v)}); socind "
                                 "takes real numbers and would lose the imaginary part", i)
        elif isinstance(v, (str, bytes)):
            raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is text ({shown(v)}) where a "
                                 "number is expected (missing values: NaN, None or pd.NA)", i)
        else:
            raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is a {type(v).__name__} "
                                 f"({shown(v)}), not a number", i)
    return out


# ---------------------------------------------------------------- labels


def _classify(values: list, name: str, rows: Optional[np.ndarray] = None):
    """('number' | 'text' | 'bytes' | 'bool' | 'other' | None) for a list of
    distinct non-missing values; refuses mixes of kinds: numbers and text (1
    and "1" would be two labels for what a file would call one), bytes and
    text (b"a" and "a"), bools with either. ``rows``: the
    first row of each value (for the exception's .row)."""
    kinds = set()
    first = {}
    for j, v in enumerate(values):
        row = None if rows is None else int(rows[j])
        if isinstance(v, (bool, np.bool_)):
            k = "bool"
        elif _is_number(v):
            k = "number"
        elif isinstance(v, str):
            k = "text"
        elif isinstance(v, bytes):
            k = "bytes"  # b"a" is no "a", and the two do not sort together
        elif isinstance(v, (complex, np.complexfloating)):
            raise InputTypeError(SOCIND_ERR_DATA, f"{name} has a complex value ({shown(v)}"
                                 f"{'' if row is None else f', row {row}'}); labels and ids "
                                 "are real numbers or text", row)
        else:
            k = "other"
        kinds.add(k)
        first.setdefault(k, (v, row))
    if len(kinds) > 1:
        listed = ", ".join(f"{k} {shown(first[k][0])}" +
                          ("" if first[k][1] is None else f" (row {first[k][1]})")
                          for k in sorted(kinds))
        rows_seen = [first[k][1] for k in kinds if first[k][1] is not None]
        raise InputTypeError(SOCIND_ERR_DATA, f"{name} mixes kinds of values ({listed}); "
                             "convert it to one type (numbers or text) so each label is read "
                             "one way", max(rows_seen) if rows_seen else None)
    return kinds.pop() if kinds else None


def _first_rows(codes: np.ndarray, k: int) -> np.ndarray:
    """The first row of each of the codes 0 … k−1."""
    out = np.full(k, -1, dtype=np.int64)
    ok = np.flatnonzero(codes >= 0)
    out[codes[ok][::-1]] = ok[::-1]
    return out


def _integral(v: np.ndarray) -> bool:
    """Every value of a float array is a whole number representable as int64."""
    return bool(np.all(np.floor(v) == v) and np.all(np.abs(v) < 2.0 ** 63))


def _nul_text(a: np.ndarray) -> bool:
    """An object or fixed-width text ('U') array holding text with a NUL
    character inside it. pandas' hash tables compare text as C strings,
    which end at the first NUL: 'a\\0b' and 'a\\0c' would be one value."""
    if a.dtype.kind == "O":
        values = a.tolist()
        try:  # all text (the usual labels): one join, searched in C
            return "\0" in "".join(values)
        except TypeError:  # numbers, None or bytes among them
            return any(isinstance(v, str) and "\0" in v for v in values)
    if a.dtype.kind != "U" or a.size == 0 or a.dtype.itemsize == 0:
        return False
    # NumPy drops trailing NULs: a zero code point before the last non-zero one
    cp = np.ascontiguousarray(a).view(np.uint32).reshape(a.shape[0], -1)
    nz = cp != 0
    last = cp.shape[1] - np.argmax(nz[:, ::-1], axis=1)  # length of each text
    return bool(np.any(nz.any(axis=1) & (nz.sum(axis=1) < last)))


def factorize_values(a: np.ndarray):
    """pd.factorize(a) for a 1-D object array (None for missing: code −1),
    exact for text holding NUL characters (see _nul_text): (codes int64,
    uniques object array in order of appearance)."""
    import pandas as pd
    if not _nul_text(a):
        codes, uniques = pd.factorize(a, sort=False)
        return np.asarray(codes, dtype=np.int64), uniques
    index: dict = {}
    codes = np.empty(a.shape[0], dtype=np.int64)
    for i, v in enumerate(a.tolist()):
        codes[i] = -1 if v is None else index.setdefault(v, len(index))
    uniques = np.empty(len(index), dtype=object)
    uniques[:] = list(index)
    return codes, uniques


def _factorize_labels(a: np.ndarray, name: str):
    """factorize_values(a) for the labels of argument ``name``: a value that
    cannot be a label (a list, a dict: unhashable) is an InputTypeError
    naming the argument and its row, not a bare TypeError."""
    try:
        return factorize_values(a)
    except TypeError:
        for i, v in enumerate(a.tolist()):
            try:
                hash(v)
            except TypeError:
                raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is a "
                                     f"{type(v).__name__} ({shown(v)}), which is no label; "
                                     "labels and ids are numbers, text, dates or durations",
                                     i) from None
        raise


def factorize(x: Any, n: Optional[int], name: str):
    """Labels → (codes int64 with −1 for missing, uniques list sorted).
    Integral float labels become ints; numbers and text may not be mixed."""
    import pandas as pd
    if is_pandas(x) and _pandas_kind(x)[0] == "categorical":
        cat = pd.Categorical(x)
        if cat.ndim != 1:
            raise InputError(SOCIND_ERR_ARG, f"{name} must be one-dimensional")
        check_length(np.asarray(cat.codes), n, name)
        codes, uniques = pd.factorize(cat, sort=True)
        labels = list(np.asarray(uniques.astype(object)))
        _classify(labels, name, _first_rows(np.asarray(codes), len(labels)))
        return codes.astype(np.int64), _tidy(labels)
    a = raw(x, name)
    check_length(a, n, name)
    k = a.dtype.kind
    if k == "c":
        _refuse_kind(a, name, "labels")
    if k == "f" and np.isinf(a).any():
        i = int(np.flatnonzero(np.isinf(a))[0])
        raise InputError(SOCIND_ERR_DATA, f"{name}: row {i} is {a[i]}, not a label", i)
    if k == "O":
        # missing spellings of every kind → None, so one factorize sees them as missing
        lst = a.tolist()
        miss = np.fromiter((is_missing(v) for v in lst), dtype=bool, count=len(lst))
        isbool = np.fromiter((isinstance(v, (bool, np.bool_)) for v in lst), dtype=bool,
                             count=len(lst))
        if isbool.any() and not isbool[~miss].all():
            # True == 1 for hashing: factorize would merge them before we could tell
            i = int(np.flatnonzero(isbool)[0])
            j = int(np.flatnonzero(~isbool & ~miss)[0])
            raise InputTypeError(SOCIND_ERR_DATA, f"{name} mixes kinds of values (bool {shown(a[i])} "
                                 f"(row {i}), {type(a[j]).__name__} {shown(a[j])} (row {j})); convert "
                                 "it to one type so each label is read one way", max(i, j))
        if miss.any():
            a = a.copy()
            a[miss] = None
        codes, uniques = _factorize_labels(a, name)
        if len(uniques) == 0:
            return np.full(a.shape[0], -1, dtype=np.int64), []
        kind = _classify(list(uniques), name, _first_rows(codes, len(uniques)))
        order = np.argsort(np.asarray(list(uniques) + [None], dtype=object)[:-1], kind="stable") \
            if kind in ("number", "text", "bytes", "bool") else np.arange(len(uniques))
        remap = np.empty(len(uniques), dtype=np.int64)
        remap[order] = np.arange(len(uniques))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        labels = [uniques[i] for i in order]
        return codes.astype(np.int64), _tidy(labels)
    if k not in "fiubUSMm":
        _refuse_kind(a, name, "labels")
    if k == "U" and _nul_text(a):
        return factorize(a.astype(object), n, name)  # read exactly (factorize_values)
    if a.dtype.byteorder not in ("=", "|"):
        a = a.astype(a.dtype.newbyteorder("="))
    codes, uniques = pd.factorize(a, sort=True)
    return np.asarray(codes, dtype=np.int64), _tidy(list(np.asarray(uniques)))


def rounds_labels(a: Any, b: Any, n1: int, n2: int, name1: str, name2: str) -> np.ndarray:
    """Two rounds' label columns (by1/by2, sector1/sector2) as one object
    array, round 1's rows first, each read as factorize reads it (refusals
    name its own rows), and refused (InputTypeError) when the rounds hold
    different kinds of labels: 1 in one round and "1" in the other would be
    two domains."""
    a, b = raw(a, name1), raw(b, name2)
    _, l1 = factorize(a, n1, name1)
    _, l2 = factorize(b, n2, name2)
    k1, k2 = _classify(l1, name1), _classify(l2, name2)
    if k1 is not None and k2 is not None and k1 != k2:
        raise InputTypeError(SOCIND_ERR_DATA, f"{name1} holds {k1} labels (e.g. {shown(l1[0])}) and "
                             f"{name2} {k2} labels (e.g. {l2[0]!r}): a label must be read one way "
                             "in both rounds; convert both to one type")
    return np.concatenate([a.astype(object), b.astype(object)])


def _tidy(labels: list) -> list:
    """NumPy scalars → Python values (dates and durations → pandas
    Timestamp and Timedelta: NumPy's .item() of a datetime64[ns] is an int of
    nanoseconds, which would label a domain 1577836800000000000); whole
    floats → ints when all are whole."""
    out = [_scalar_value(v) if isinstance(v, np.generic) else v for v in labels]
    # (a long double's .item() stays a NumPy long double)
    if out and all(isinstance(v, (float, np.floating)) for v in out) and \
            all(np.isfinite(v) and v == np.floor(v) for v in out):
        out = [int(v) for v in out]
    return out


def _scalar_value(v: np.generic) -> Any:
    if isinstance(v, (np.datetime64, np.timedelta64)):
        import pandas as pd
        return pd.Timestamp(v) if isinstance(v, np.datetime64) else pd.Timedelta(v)
    return v.item()


def ids(x: Any, n: Optional[int], name: str):
    """Design ids (strata, PSUs, clusters) as int64 → (values, missing mask or
    None, labels or None). Integers keep their value; whole floats become that
    integer; any other ids (1.2, text, categoricals of text) are labels,
    numbered 0, 1, … in sorted order (labels[k] is code k)."""
    if type(x) is np.ndarray and x.dtype == _I8 and x.ndim == 1 and x.flags.c_contiguous and \
            x.flags.aligned:
        check_length(x, n, name)
        return x, None, None
    if is_pandas(x):
        kind, dt = _pandas_kind(x)
        if kind == "categorical":
            codes, labels = factorize(x, n, name)
            return _labels_to_ids(codes, labels)
    a = raw(x, name)
    check_length(a, n, name)
    k = a.dtype.kind
    if k == "i" or k == "b":
        return c_array(a.astype(_I8)), None, None
    if k == "u":
        if a.size == 0 or a.max() <= _INT64_MAX:
            return c_array(a.astype(_I8)), None, None
        codes, labels = factorize(a, n, name)
        return _labels_to_ids(codes, labels)
    if k == "f":
        miss = np.isnan(a)
        if np.isinf(a).any():
            i = int(np.flatnonzero(np.isinf(a))[0])
            raise InputError(SOCIND_ERR_DATA, f"{name}: row {i} is {a[i]}, not an id", i)
        good = a[~miss] if miss.any() else a
        if _integral(good):
            v = np.where(miss, 0.0, a).astype(_I8) if miss.any() else a.astype(_I8)
            return c_array(v), (miss if miss.any() else None), None
        codes, labels = factorize(a, n, name)
        return _labels_to_ids(codes, labels)
    if k in "OUSMm":
        codes, labels = factorize(a, n, name)
        return _labels_to_ids(codes, labels)
    _refuse_kind(a, name, "ids")


def _labels_to_ids(codes: np.ndarray, labels: list):
    miss = codes < 0
    ints = [_as_int(v) if _is_number(v) else None for v in labels]
    if labels and all(i is not None and abs(i) <= _INT64_MAX for i in ints):
        lut = np.array(ints, dtype=np.int64)
        vals = lut[np.maximum(codes, 0)]
        vals[miss] = 0
        return c_array(vals), (miss if miss.any() else None), None
    vals = np.where(miss, 0, codes).astype(np.int64)
    return c_array(vals), (miss if miss.any() else None), labels


def _as_int(v: Any) -> Optional[int]:
    """v as an int when it equals one exactly (3.0, Decimal("3"), 3), else None."""
    try:
        i = int(v)
    except (OverflowError, ValueError, TypeError):
        return None
    return i if i == v else None


# ---------------------------------------------------------------- categorical codes
#
# The rule the command follows too: a value is a number code only when it is
# an ASCII decimal number (optional sign, digits with an optional decimal
# point and fraction, optional exponent: the command's grammar for a number)
# or a real number, exactly equal to the code — 1, 1.0, "1.0", "1e0" and
# " 1 " are 1; 1.0000000000000002, "1.00000000000000001", "١", "１" and
# b"1" are not. Text is compared stripped and case-sensitively; bools are
# never codes. A recoding map's keys are read by the same rule (any other
# hashable key, bytes or bools included, matches only an equal value of
# its own kind).

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_MISSING = object()


def code_key(v: Any):
    """The key a value is compared by: ("num", exact number), ("text",
    stripped text), ("bool", b), ("other", v), _MISSING, or None (a value no
    key can match: unhashable, complex)."""
    if is_missing(v):
        return _MISSING
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return ("bool", v)
    if isinstance(v, float):
        # the shortest text that reads back as v: 1.0 → 1, 0.1 → 0.1 (as a
        # file's cell "0.1" is read), 1.0000000000000002 stays itself
        return ("num", decimal.Decimal(repr(v))) if v == v and abs(v) != np.inf else ("num", v)
    if isinstance(v, (int, decimal.Decimal, fractions.Fraction)):
        return ("num", v)
    if isinstance(v, str):
        s = v.strip()
        if _DECIMAL.fullmatch(s):
            return ("num", decimal.Decimal(s))
        return ("text", s)
    if isinstance(v, (complex, np.complexfloating)):
        return None
    try:
        hash(v)
    except TypeError:
        return None
    return ("other", v)


def _float_of(k) -> Optional[float]:
    """The float64 whose key is the number k, or None (no float has it)."""
    try:
        f = float(k)
    except OverflowError:
        return None
    return f if code_key(f) == ("num", k) else None


def _int_of(k) -> Optional[int]:
    """The int equal to the number k, or None."""
    try:
        i = int(k)
    except (OverflowError, ValueError):
        return None
    return i if i == k else None


class CodeTable:
    """A categorical variable's codes as WHO's anthro reads them: ``codes``
    maps keys (see code_key) to the C library's code; ``accepted`` says them
    in words. These are anthro's codes, not the C API's SOCIND_* values
    (oedema 1 = yes, 2 = no here; SOCIND_OEDEMA_YES 1, SOCIND_OEDEMA_NO 0)."""

    def __init__(self, name: str, codes: dict, accepted: str, article: str = "a"):
        self.name, self.accepted, self.article = name, accepted, article
        self.codes = {code_key(k): c for k, c in codes.items()}

    def lookup(self, v: Any, recode: Optional[dict]) -> int:
        """C code of one value: −1 missing, −9 invalid."""
        k = code_key(v)
        if k is _MISSING:
            return -1
        if k is None:
            return -9
        if recode and k in recode:
            return recode[k]
        return self.codes.get(k, -9)

    def recode_map(self, codes: Optional[dict], arg: str) -> Optional[dict]:
        """A caller's {value: meaning} as {key: C code}. Keys may be any value
        (read as values are); the meaning is one of this table's codes (or, for
        oedema, True/False)."""
        if codes is None:
            return None
        if not isinstance(codes, dict):
            raise InputTypeError(SOCIND_ERR_ARG, f"{arg} must be a dict {{value: meaning}}, "
                                 f"not {type(codes).__name__}")
        out, first = {}, {}
        for key, meaning in codes.items():
            k = code_key(key)
            if k is _MISSING or k is None:
                why = ("is a missing value (missing stays missing)" if k is _MISSING
                       else "cannot be a value")
                raise InputError(SOCIND_ERR_ARG, f"{arg}: the key {shown(key)} {why}")
            if isinstance(meaning, (bool, np.bool_)) and self.name == "oedema":
                code = 1 if meaning else 0
            else:
                code = self.lookup(meaning, None)
            if code < 0:
                raise InputError(SOCIND_ERR_ARG, f"{arg}: {shown(key)} → {shown(meaning)}, which is not "
                                 f"{self.article} {self.name} code ({self.accepted})")
            if k in out and out[k] != code:
                raise InputError(SOCIND_ERR_ARG, f"{arg}: the keys {shown(first[k])} and {shown(key)} "
                                 "are the same value with different meanings")
            out[k] = code
            first.setdefault(k, key)
        return out


SEX = CodeTable("sex", {1: 1, 2: 2, "m": 1, "f": 2, "M": 1, "F": 2},
                "1 or m/M = male, 2 or f/F = female")
MEASURE = CodeTable("measure", {"l": 1, "h": 2, "L": 1, "H": 2},
                    "l/L = recumbent length, h/H = standing height")
OEDEMA = CodeTable("oedema", {"n": 0, "y": 1, "N": 0, "Y": 1, 1: 1, 2: 0},
                   "y/Y or 1 = yes, n/N or 2 = no", "an")


def codes(x: Any, n: Optional[int], table: CodeTable, recode: Optional[dict],
          name: Optional[str] = None):
    """Categorical codes for C (int32; −1 missing, −9 invalid) and the
    original values (for messages)."""
    name = name or table.name
    rec = recode or {}
    if is_pandas(x) and _pandas_kind(x)[0] == "categorical":
        import pandas as pd
        cat = pd.Categorical(x)
        vals = np.asarray(cat.codes)
        check_length(vals, n, name)
        lut = np.array([table.lookup(c, rec) for c in cat.categories.tolist()] + [-1],
                       dtype=np.int32)
        return lut[vals], np.asarray(cat.astype(object))
    a = raw(x, name)
    check_length(a, n, name)
    k = a.dtype.kind
    if k == "b":
        if not any(key[0] == "bool" for key in rec):
            raise InputTypeError(SOCIND_ERR_DATA, f"{name} is boolean: True/False are not "
                                 f"{table.name} codes ({table.accepted}); recode them with "
                                 f"{table.name}_codes={{True: ..., False: ...}}", 0)
        a, k = a.astype(object), "O"
    if k in "iuf":
        if k == "f":
            a = exact_f64(a, name)  # float16/32 widen exactly; long double must fit
        entries = {key[1]: c for key, c in table.codes.items() if key[0] == "num"}
        entries.update({key[1]: c for key, c in rec.items() if key[0] == "num"})
        if k in "iu" and a.size and all(type(v) is int for v in entries):
            lo, hi = int(a.min()), int(a.max())
            if hi - lo < 8 and all(entries.get(v) == v for v in range(lo, hi + 1)):
                # every value is already its own C code: no copy when a is int32
                # (and no array of codes made first)
                return c_array(a, dtype=np.int32), a
        out = np.full(a.shape[0], -9, dtype=np.int32)
        if k == "f":
            out[np.isnan(a)] = -1
        for key, code in entries.items():
            if k == "f":
                f = _float_of(key)
                if f is not None:
                    out[a == f] = code  # values compared, never cast first
            else:
                i = _int_of(key)
                if i is not None:
                    out[a == i] = code  # exact against int64 values of any size
        return out, a
    if k in "US" and a.dtype.itemsize > _FIXED_WIDTH:
        # wide text (one long cell widens every row): grouped by value as
        # objects; word by word would be one pass over the rows per 8 bytes
        # (a cell of 10**6 characters: 500 000 passes, 50 s)
        return _object_codes(a.astype(object), table, rec), a
    if k in "US":
        # fixed-width text: rows grouped by their bytes, each distinct text
        # looked up once
        rows, first = _fixed_groups(a)
        lut = np.array([table.lookup(v, rec) for v in a[first].tolist()], dtype=np.int32)
        return lut[rows], a
    if k == "O":
        return _object_codes(a, table, rec), a
    _refuse_kind(a, name, f"{table.name} codes")


# The rows of an object array are grouped by the object they hold (its
# identity: a column read from a file holds one object per distinct text,
# and so do most columns built in Python), then, when there are many
# distinct objects, by value. Each distinct object or value is looked up
# once, never row by row.
_FEW_OBJECTS = 8
_FIXED_WIDTH = 64  # bytes a fixed-width text is grouped by, 8 at a time, at most
_MANY_OBJECTS = 64


def _object_pointers(a: np.ndarray) -> np.ndarray:
    """The PyObject pointers a C-contiguous 1-D object array holds, read (not
    copied) as integers: equal pointers are the same object. The result
    reads a's buffer: a must outlive it."""
    assert a.flags.c_contiguous and a.dtype.kind == "O"
    return np.frombuffer((ctypes.c_size_t * a.shape[0]).from_address(a.ctypes.data),
                         dtype=np.uintp)


def _few_objects_codes(a: np.ndarray, ptr: np.ndarray, table: "CodeTable",
                       rec: dict) -> Optional[np.ndarray]:
    """Codes of an object array holding at most _FEW_OBJECTS distinct objects
    (one comparison of the pointers per object), or None when it holds more."""
    group = np.zeros(a.shape[0], dtype=np.uint8)  # the object's number
    rest = None  # rows whose object is not numbered yet
    lut, i = [], 0
    for j in range(_FEW_OBJECTS):
        same = ptr == ptr[i]
        lut.append(table.lookup(a[i], rec))
        if rest is None:
            rest = ~same
        else:
            group += same.view(np.uint8) * np.uint8(j)  # arithmetic: no branch a row
            rest &= ~same
        i = int(rest.argmax())
        if not rest[i]:
            return np.array(lut, dtype=np.int32).take(group)
    return None


def _identity_groups(ptr: np.ndarray):
    """(group of each row, first row of each group) for an object array's
    pointers: rows grouped by the object they hold."""
    import pandas as pd
    rows, _ = pd.factorize(ptr)
    return _appearance_groups(rows)


def _fixed_groups(a: np.ndarray):
    """(group of each row, first row of each group) for a 1-D fixed-width
    text array ('U' or 'S'), rows grouped by their bytes (8 at a time)."""
    import pandas as pd
    n, w = a.shape[0], a.dtype.itemsize
    b = np.zeros((n, -(-w // 8) * 8 if w else 8), dtype=np.uint8)
    b[:, :w] = np.ascontiguousarray(a).view(np.uint8).reshape(n, w)
    words = b.view(np.uint64)
    rows = np.zeros(n, dtype=np.int64)
    for j in range(words.shape[1]):
        col, cu = pd.factorize(words[:, j])
        rows, _ = pd.factorize(rows * len(cu) + col)
    return _appearance_groups(rows)


def _appearance_groups(rows: np.ndarray):
    """(rows, first row of each group) for pd.factorize's codes (no −1),
    which number the groups in the order they first appear: the running
    maximum of the codes steps up by one exactly at each group's first row."""
    rows = np.asarray(rows, dtype=np.intp)
    return rows, np.flatnonzero(np.diff(np.maximum.accumulate(rows), prepend=-1))


# pandas' inference names for arrays holding no bool and no complex number
_NO_BOOL_OR_COMPLEX = {"string", "bytes", "integer", "floating", "mixed-integer-float",
                       "decimal", "empty"}


def _object_codes(a: np.ndarray, table: "CodeTable", rec: dict) -> np.ndarray:
    """The C codes of an object array's values (−1 missing, −9 invalid)."""
    if a.shape[0] == 0:
        return np.zeros(0, dtype=np.int32)
    a = np.ascontiguousarray(a)  # kept while ptr reads it
    ptr = _object_pointers(a)
    out = _few_objects_codes(a, ptr, table, rec)
    if out is not None:
        return out
    import pandas as pd
    rows, first = _identity_groups(ptr)
    reps = a[first]
    if reps.shape[0] <= _MANY_OBJECTS:
        lut = [table.lookup(v, rec) for v in reps.tolist()]
        return np.array(lut, dtype=np.int32)[rows]
    # many distinct objects: their values grouped by equality
    fcodes, uniques = factorize_values(reps)
    lut = np.array([table.lookup(u, rec) for u in uniques] + [-1], dtype=np.int32)
    out = lut[fcodes]
    if pd.api.types.infer_dtype(reps, skipna=True) not in _NO_BOOL_OR_COMPLEX:
        # True == 1 == 1.0 == 1 + 0j for hashing: factorize may put a bool
        # or a complex number in one unique with a real number; the objects
        # of such uniques are read one by one
        lst = reps.tolist()
        odd = np.fromiter((isinstance(v, (bool, np.bool_, complex, np.complexfloating))
                           for v in lst), dtype=bool, count=len(lst))
        if odd.any():
            for i in np.flatnonzero(np.isin(fcodes, fcodes[odd])).tolist():
                out[i] = table.lookup(lst[i], rec)
    return out[rows]
