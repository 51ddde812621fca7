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

import decimal
import numbers
from typing import Any, Optional, Sequence

import numpy as np

_F8 = np.dtype(np.float64)
_I8 = np.dtype(np.int64)
_INT64_MAX = np.iinfo(np.int64).max


def is_pandas(x: Any) -> bool:
    return type(x).__module__.partition(".")[0] == "pandas"


def is_missing(v: Any) -> bool:
    """None, NaN, pd.NA or pd.NaT (without importing pandas)."""
    if v is None:
        return True
    if isinstance(v, (float, np.floating)):
        return v != v
    return type(v).__name__ in ("NAType", "NaTType")


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
            raise TypeError(f"{name} must be an array of values, not a single {type(x).__name__}")
        if isinstance(x, (list, tuple)) and _mixed(x):
            # NumPy would turn [1, "2"] into text and [True, 2] into numbers
            a = np.empty(len(x), dtype=object)
            a[:] = x if all(np.ndim(v) == 0 for v in x) else np.asarray(x, dtype=object)
        else:
            a = np.asarray(x)
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (got {a.ndim} dimensions"
                         f"{', shape ' + str(a.shape) if a.ndim else ''})")
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


def _check_length(a: np.ndarray, n: Optional[int], name: str) -> None:
    if n is not None and a.shape[0] != n:
        raise ValueError(f"{name} has {a.shape[0]} values, the design has {n} rows")


def _refuse_kind(a: np.ndarray, name: str, what: str) -> None:
    k = a.dtype.kind
    if k == "c":
        raise TypeError(f"{name} is complex ({a.dtype}): socind takes real numbers and would "
                        "lose the imaginary part")
    if k in "US":
        first = a[0] if a.size else ""
        raise TypeError(f"{name} holds text (e.g. {first!r}) where {what} are expected")
    if k in "Mm":
        raise TypeError(f"{name} holds dates or durations ({a.dtype}) where {what} are expected")
    raise TypeError(f"{name} has values of type {a.dtype}, not {what}")


def f64(x: Any, n: Optional[int], name: str) -> np.ndarray:
    """Numbers as float64 (missing → NaN). Accepts float, integer and bool
    arrays (bool → 0/1), object arrays of real numbers and missing values,
    pandas nullable Float64/Int64/boolean; refuses complex, text, dates."""
    if type(x) is np.ndarray and x.dtype == _F8 and x.ndim == 1 and x.flags.c_contiguous:
        _check_length(x, n, name)
        return x  # the caller's buffer, no copy
    if is_pandas(x):
        kind, dt = _pandas_kind(x)
        if kind == "nullable" and getattr(dt, "kind", "O") in "fiub":
            a = x.to_numpy(dtype=np.float64, na_value=np.nan)
            if a.ndim != 1:
                raise ValueError(f"{name} must be one-dimensional")
            _check_length(a, n, name)
            return np.ascontiguousarray(a)
    a = raw(x, name)
    k = a.dtype.kind
    if k in "fiub":
        a = a.astype(_F8, copy=False)  # native byte order, float64
    elif k == "O":
        a = _objects_to_f64(a, name)
    else:
        _refuse_kind(a, name, "numbers")
    _check_length(a, n, name)
    return np.ascontiguousarray(a)


def _objects_to_f64(a: np.ndarray, name: str) -> np.ndarray:
    out = np.empty(a.shape[0])
    for i, v in enumerate(a.tolist()):
        if is_missing(v):
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_)) or _is_number(v):
            out[i] = float(v)
        elif isinstance(v, (complex, np.complexfloating)):
            raise TypeError(f"{name}: row {i} is complex ({v!r}); socind takes real numbers and "
                            "would lose the imaginary part")
        elif isinstance(v, (str, bytes)):
            raise TypeError(f"{name}: row {i} is text ({v!r}) where a number is expected "
                            "(missing values: NaN, None or pd.NA)")
        else:
            raise TypeError(f"{name}: row {i} is a {type(v).__name__} ({v!r}), not a number")
    return out


# ---------------------------------------------------------------- labels


def _classify(values: list, name: str):
    """('number' | 'text' | 'bool' | None) for a list of distinct non-missing
    values; refuses mixes of numbers and text (1 and "1" would be two labels
    for what a file would call one) and of bools with either."""
    kinds = set()
    first = {}
    for v in values:
        if isinstance(v, (bool, np.bool_)):
            k = "bool"
        elif _is_number(v):
            k = "number"
        elif isinstance(v, (str, bytes)):
            k = "text"
        elif isinstance(v, (complex, np.complexfloating)):
            raise TypeError(f"{name} has a complex value ({v!r}); labels and ids are real "
                            "numbers or text")
        else:
            k = "other"
        kinds.add(k)
        first.setdefault(k, v)
    if len(kinds) > 1:
        shown = ", ".join(f"{k} {first[k]!r}" for k in sorted(kinds))
        raise TypeError(f"{name} mixes kinds of values ({shown}); convert it to one type "
                        "(numbers or text) so each label is read one way")
    return kinds.pop() if kinds else None


def _integral(v: np.ndarray) -> bool:
    """Every value of a float array is a whole number representable as int64."""
    return bool(np.all(np.floor(v) == v) and np.all(np.abs(v) < 2.0 ** 63))


def factorize(x: Any, n: Optional[int], name: str):
    """Labels → (codes int64 with −1 for missing, uniques list sorted).
    Integral float labels become ints; numbers and text may not be mixed."""
    import pandas as pd
    if is_pandas(x) and _pandas_kind(x)[0] == "categorical":
        cat = pd.Categorical(x)
        if cat.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional")
        _check_length(np.asarray(cat.codes), n, name)
        codes, uniques = pd.factorize(cat, sort=True)
        labels = list(np.asarray(uniques.astype(object)))
        _classify(labels, name)
        return codes.astype(np.int64), _tidy(labels)
    a = raw(x, name)
    _check_length(a, n, name)
    k = a.dtype.kind
    if k == "c":
        _refuse_kind(a, name, "labels")
    if k == "f" and np.isinf(a).any():
        i = int(np.flatnonzero(np.isinf(a))[0])
        raise ValueError(f"{name}: row {i} is {a[i]}, not a label")
    if k == "O":
        # missing spellings of every kind → None, so one factorize sees them as missing
        lst = a.tolist()
        miss = np.fromiter((is_missing(v) for v in lst), dtype=bool, count=len(lst))
        isbool = np.fromiter((isinstance(v, (bool, np.bool_)) for v in lst), dtype=bool,
                             count=len(lst))
        if isbool.any() and not isbool[~miss].all():
            # True == 1 for hashing: factorize would merge them before we could tell
            j = int(np.flatnonzero(~isbool & ~miss)[0])
            raise TypeError(f"{name} mixes kinds of values (bool {a[np.flatnonzero(isbool)[0]]!r}, "
                            f"{type(a[j]).__name__} {a[j]!r}); convert it to one type so each "
                            "label is read one way")
        if miss.any():
            a = a.copy()
            a[miss] = None
        codes, uniques = pd.factorize(a, sort=False)
        if len(uniques) == 0:
            return np.full(a.shape[0], -1, dtype=np.int64), []
        kind = _classify(list(uniques), name)
        order = np.argsort(np.asarray(list(uniques) + [None], dtype=object)[:-1], kind="stable") \
            if kind in ("number", "text", "bool") else np.arange(len(uniques))
        remap = np.empty(len(uniques), dtype=np.int64)
        remap[order] = np.arange(len(uniques))
        codes = np.where(codes >= 0, remap[np.maximum(codes, 0)], -1)
        labels = [uniques[i] for i in order]
        return codes.astype(np.int64), _tidy(labels)
    if k not in "fiubUSMm":
        _refuse_kind(a, name, "labels")
    if a.dtype.byteorder not in ("=", "|"):
        a = a.astype(a.dtype.newbyteorder("="))
    codes, uniques = pd.factorize(a, sort=True)
    return np.asarray(codes, dtype=np.int64), _tidy(list(np.asarray(uniques)))


def _tidy(labels: list) -> list:
    """NumPy scalars → Python values; whole floats → ints when all are whole."""
    out = [v.item() if isinstance(v, np.generic) else v for v in labels]
    if out and all(isinstance(v, float) for v in out) and all(v.is_integer() for v in out):
        out = [int(v) for v in out]
    return out


def ids(x: Any, n: Optional[int], name: str):
    """Design ids (strata, PSUs, clusters) as int64 → (values, missing mask or
    None, labels or None). Integers keep their value; whole floats become that
    integer; any other ids (1.2, text, categoricals of text) are labels,
    numbered 0, 1, … in sorted order (labels[k] is code k)."""
    if type(x) is np.ndarray and x.dtype == _I8 and x.ndim == 1 and x.flags.c_contiguous:
        _check_length(x, n, name)
        return x, None, None
    if is_pandas(x):
        kind, dt = _pandas_kind(x)
        if kind == "categorical":
            codes, labels = factorize(x, n, name)
            return _labels_to_ids(codes, labels)
    a = raw(x, name)
    _check_length(a, n, name)
    k = a.dtype.kind
    if k == "i" or k == "b":
        return np.ascontiguousarray(a.astype(_I8)), None, None
    if k == "u":
        if a.size == 0 or a.max() <= _INT64_MAX:
            return np.ascontiguousarray(a.astype(_I8)), None, None
        codes, labels = factorize(a, n, name)
        return _labels_to_ids(codes, labels)
    if k == "f":
        miss = np.isnan(a)
        if np.isinf(a).any():
            i = int(np.flatnonzero(np.isinf(a))[0])
            raise ValueError(f"{name}: row {i} is {a[i]}, not an id")
        good = a[~miss] if miss.any() else a
        if _integral(good):
            v = np.where(miss, 0.0, a).astype(_I8) if miss.any() else a.astype(_I8)
            return np.ascontiguousarray(v), (miss if miss.any() else None), None
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
        return np.ascontiguousarray(vals), (miss if miss.any() else None), None
    vals = np.where(miss, 0, codes).astype(np.int64)
    return np.ascontiguousarray(vals), (miss if miss.any() else None), labels


def _as_int(v: Any) -> Optional[int]:
    """v as an int when it equals one exactly (3.0, Decimal("3"), 3), else None."""
    try:
        i = int(v)
    except (OverflowError, ValueError, TypeError):
        return None
    return i if i == v else None


# ---------------------------------------------------------------- categorical codes


def canon_text(v: Any) -> Optional[str]:
    """The text a value is compared as (as the command reads a file's cell):
    strings stripped, numbers written as numbers ("1.0", 1.0 and 1 are all
    "1"; 1.0000000000000002 stays itself)."""
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    if isinstance(v, str):
        s = v.strip()
        try:
            f = float(s)
        except ValueError:
            return s
        return _num_text(f) if np.isfinite(f) else s
    if _is_number(v):
        i = _as_int(v)
        if i is not None:
            return str(i)
        try:
            return repr(float(v))
        except OverflowError:
            return None
    return None


def _num_text(f: float) -> str:
    return str(int(f)) if f.is_integer() else repr(f)


class CodeTable:
    """A categorical variable's codes: ``text`` maps canonical text (strings,
    and numbers written as text) to a C code; ``numbers`` adds codes taken
    from numbers only (the C library's own codes)."""

    def __init__(self, name: str, text: dict, numbers_only: dict, accepted: str):
        self.name, self.text, self.numbers, self.accepted = name, text, numbers_only, accepted

    def lookup(self, v: Any, recode: Optional[dict]) -> int:
        """C code of one value: −1 missing, −9 invalid."""
        if is_missing(v):
            return -1
        if isinstance(v, (bool, np.bool_)):
            return -9
        t = canon_text(v)
        if t is None:
            return -9
        if recode and t in recode:
            return recode[t]
        if t in self.text:
            return self.text[t]
        if _is_number(v):
            f = float(v)
            for key, code in self.numbers.items():
                if f == key:
                    return code
        return -9

    def recode_map(self, codes: Optional[dict], arg: str) -> Optional[dict]:
        """A caller's {value: meaning} as {canonical text: C code}; the meaning
        is read with this table (sex: 1/2/"m"/"f"; measure: "l"/"h" or 1/2;
        oedema: "y"/"n", True/False)."""
        if codes is None:
            return None
        if not isinstance(codes, dict):
            raise TypeError(f"{arg} must be a dict {{value: meaning}}")
        out = {}
        for key, meaning in codes.items():
            t = canon_text(key)
            if t is None or isinstance(key, (bool, np.bool_)):
                raise TypeError(f"{arg}: key {key!r} is not text or a number")
            if isinstance(meaning, (bool, np.bool_)) and self.name == "oedema":
                code = 1 if meaning else 0
            else:
                code = self.lookup(meaning, None)
            if code < 0:
                raise ValueError(f"{arg}: {key!r} → {meaning!r}, which is not a {self.name} "
                                 f"code ({self.accepted})")
            out[t] = code
        return out


SEX = CodeTable("sex", {"1": 1, "2": 2, "m": 1, "f": 2, "M": 1, "F": 2}, {},
                "1 or m/M = male, 2 or f/F = female")
MEASURE = CodeTable("measure", {"l": 1, "h": 2, "L": 1, "H": 2}, {1.0: 1, 2.0: 2},
                    "l/L = recumbent length, h/H = standing height (or 1, 2)")
OEDEMA = CodeTable("oedema", {"n": 0, "y": 1, "N": 0, "Y": 1, "1": 1, "2": 0}, {0.0: 0},
                   "y/Y/1 = yes, n/N/2 = no (or 0 = no)")


def codes(x: Any, n: Optional[int], table: CodeTable, recode: Optional[dict],
          name: Optional[str] = None):
    """Categorical codes for C (int32; −1 missing, −9 invalid) and the
    original values (for messages)."""
    name = name or table.name
    if is_pandas(x) and _pandas_kind(x)[0] == "categorical":
        import pandas as pd
        cat = pd.Categorical(x)
        vals = np.asarray(cat.codes)
        _check_length(vals, n, name)
        lut = np.array([table.lookup(c, recode) for c in np.asarray(cat.categories.astype(object))]
                       + [-1], dtype=np.int32)
        return lut[vals], np.asarray(cat.astype(object))
    a = raw(x, name)
    _check_length(a, n, name)
    k = a.dtype.kind
    if k == "b":
        raise TypeError(f"{name} is boolean: True/False are not {table.name} codes "
                        f"({table.accepted})")
    if k in "iuf":
        out = np.full(a.shape[0], -9, dtype=np.int32)
        if k == "f":
            out[np.isnan(a)] = -1
        entries = {}
        for t, code in table.text.items():
            f = _text_number(t)
            if f is not None:
                entries[f] = code
        entries.update(table.numbers)
        for t, code in (recode or {}).items():
            f = _text_number(t)
            if f is not None:
                entries[f] = code  # the caller's recoding has the last word
        # whole keys compared as ints: exact against int64 values of any size
        entries = {(int(f) if float(f).is_integer() else f): c for f, c in entries.items()}
        if k in "iu" and a.size:
            lo, hi = int(a.min()), int(a.max())
            if hi - lo < 8 and all(entries.get(v) == v for v in range(lo, hi + 1)):
                # every value is already its own C code: no copy when a is int32
                return np.ascontiguousarray(a, dtype=np.int32), a
        for f, code in entries.items():
            out[a == f] = code  # values compared, never cast first
        return out, a
    if k in "OUS":
        import pandas as pd
        vals = a if k == "O" else a.astype(object)
        fcodes, uniques = pd.factorize(vals)
        lut = np.array([table.lookup(u, recode) for u in uniques] + [-1], dtype=np.int32)
        out = lut[fcodes]
        if k == "O":
            # True == 1 for hashing: a bool may share a unique with 1; bools are never codes
            lst = vals.tolist()
            isbool = np.fromiter((isinstance(v, (bool, np.bool_)) for v in lst), dtype=bool,
                                 count=len(lst))
            out[isbool] = -9
        return out, a
    _refuse_kind(a, name, f"{table.name} codes")


def _text_number(t: str) -> Optional[float]:
    try:
        f = float(t)
    except ValueError:
        return None
    return f if f == f else None
