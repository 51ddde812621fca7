# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/codes.h: dense group codes from labels, and the labels back.

Every estimator takes its domains as codes 0 … k − 1 (−1: in no domain).
:class:`Codes` asks the C library to number n labels — integers (int64) or
text — in the sorted order of the distinct labels (numeric order for
integers; for text the byte order of its UTF-8 encoding, which is the order
of the code points: no locale, no case folding, no trimming), and gives
each code's label back::

    with socind.codes.Codes(["Sekayu", "Lais", None, "Sekayu"]) as c:
        c.codes          # array([1, 0, -1, 1], dtype=int32)
        c.labels         # ['Lais', 'Sekayu']
        c.label(1)       # 'Sekayu'

Missing labels (None, NaN, pd.NA) get code −1. Integer labels may be
integer arrays, whole-valued float arrays (NaN missing) or lists of ints;
text labels str (encoded as UTF-8, given back as str) or bytes (given back
as bytes). Numbers and text may not be mixed (InputTypeError naming the
row); a label holding a NUL character is refused (InputError)."""

from __future__ import annotations

import ctypes
from typing import Any, Iterable, List, Union

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import _check
from ._errors import InputError, InputTypeError
from ._lib import HANDLE, HANDLE_P, I32_OUT, OPT_I64, OPT_U8, lib
from .status import SOCIND_ERR_ARG, SOCIND_ERR_BUFFER, SOCIND_ERR_DATA, SOCIND_ERR_RANGE

# The kind of labels a handle was built from (socind_codes_kind).
SOCIND_CODES_INT64 = 1
SOCIND_CODES_STRING = 2

_i32, _sz = ctypes.c_int32, ctypes.c_size_t

_lib.declare({
    "socind_codes_from_int64": (_i32, [_sz, OPT_I64, OPT_U8, HANDLE_P]),
    "socind_codes_from_strings": (_i32, [_sz, ctypes.POINTER(ctypes.c_char_p), HANDLE_P]),
    "socind_codes_free": (None, [HANDLE]),
    "socind_codes_count": (_i32, [HANDLE]),
    "socind_codes_nrows": (_sz, [HANDLE]),
    "socind_codes_nmissing": (_sz, [HANDLE]),
    "socind_codes_kind": (_i32, [HANDLE]),
    "socind_codes_row_codes": (ctypes.POINTER(ctypes.c_int32), [HANDLE]),
    "socind_codes_copy_row_codes": (_i32, [HANDLE, I32_OUT, _sz]),
    "socind_codes_int64_label": (_i32, [HANDLE, _i32, ctypes.POINTER(ctypes.c_int64)]),
    "socind_codes_string_label": (_i32, [HANDLE, _i32, ctypes.c_char_p, _sz,
                                         ctypes.POINTER(_sz)]),
})

_INT64_MIN, _INT64_MAX = np.iinfo(np.int64).min, np.iinfo(np.int64).max

Label = Union[int, str, bytes]


def _int_labels(a: np.ndarray, name: str):
    """(int64 values, missing mask or None) of integer labels, or None when
    a holds no numbers."""
    k = a.dtype.kind
    if k == "b":
        raise InputTypeError(SOCIND_ERR_DATA, f"{name} is boolean: give integer or text labels")
    if k == "i":
        return _cv.c_array(a, dtype=np.int64), None
    if k == "u":
        if a.size and int(a.max()) > _INT64_MAX:
            i = int(np.argmax(a))
            raise InputError(SOCIND_ERR_RANGE, f"{name}: row {i} is {a[i]}, above the int64 "
                             "range of integer labels", i)
        return _cv.c_array(a, dtype=np.int64), None
    if k == "f":
        a = _cv.exact_f64(a, name)  # a long double's extra digits are refused
        miss = np.isnan(a)
        bad = np.flatnonzero(~miss & (np.floor(a) != a))
        if bad.size:
            i = int(bad[0])
            raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is {_cv.shown(a[i])}, not a whole "
                                 "number: labels are integers or text", i)
        bad = np.flatnonzero(~miss & ~((a >= -2.0 ** 63) & (a < 2.0 ** 63)))
        if bad.size:
            i = int(bad[0])
            raise InputError(SOCIND_ERR_RANGE, f"{name}: row {i} is {_cv.shown(a[i])}, outside the "
                             "int64 range of integer labels", i)
        v = np.where(miss, 0.0, a).astype(np.int64)
        return v, (miss if miss.any() else None)
    return None


def _object_labels(values: List[Any], name: str):
    """Labels of a list of Python values: ("int", int64 values, missing mask)
    or ("text"/"bytes", list of bytes or None)."""
    kinds, first = set(), {}
    for i, v in enumerate(values):
        if _cv.is_missing(v):
            continue
        if isinstance(v, (bool, np.bool_)):
            kind = "bool"
        elif isinstance(v, (int, np.integer)):
            kind = "int"
        elif isinstance(v, str):
            kind = "text"
        elif isinstance(v, bytes):
            kind = "bytes"
        elif isinstance(v, (float, np.floating)) and float(v).is_integer():
            kind = "int"
        else:
            raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is {_cv.shown(v)} "
                                 f"({type(v).__name__}): labels are integers or text", i)
        kinds.add(kind)
        first.setdefault(kind, i)
    if "bool" in kinds:
        i = first["bool"]
        raise InputTypeError(SOCIND_ERR_DATA, f"{name}: row {i} is {_cv.shown(values[i])}: give integer "
                             "or text labels", i)
    if len(kinds) > 1:
        rows = sorted(first.values())
        shown = ", ".join(f"{_cv.shown(values[r])} (row {r})" for r in rows)
        raise InputTypeError(SOCIND_ERR_DATA, f"{name} mixes kinds of labels ({shown}); "
                             "convert it to one type so each label is read one way", rows[-1])
    kind = kinds.pop() if kinds else "int"
    if kind == "int":
        miss = np.fromiter((_cv.is_missing(v) for v in values), dtype=bool, count=len(values))
        out = np.zeros(len(values), dtype=np.int64)
        for i, v in enumerate(values):
            if miss[i]:
                continue
            iv = int(v)
            if not _INT64_MIN <= iv <= _INT64_MAX:
                raise InputError(SOCIND_ERR_RANGE, f"{name}: row {i} is {_cv.shown(v)}, outside the "
                                 "int64 range of integer labels", i)
            out[i] = iv
        return "int", out, miss
    out = []
    for i, v in enumerate(values):
        if _cv.is_missing(v):
            out.append(None)
            continue
        b = v.encode("utf-8", "surrogatepass") if kind == "text" else bytes(v)
        if b"\0" in b:
            raise InputError(SOCIND_ERR_DATA, f"{name}: row {i} holds a NUL character, which "
                             "a label cannot hold", i)
        out.append(b)
    return kind, out, None


class _Owner:
    """Owns one socind_codes*, freed when the owner goes. A C call is given
    the owner itself (ctypes reads ``_as_parameter_``), so the call holds it
    and the handle outlives every call in progress, whatever
    ``Codes.close()`` does meanwhile in another thread."""
    __slots__ = ("h",)

    def __init__(self, h: ctypes.c_void_p):
        self.h = h

    @property
    def _as_parameter_(self):
        return self.h

    def __del__(self):
        h, self.h = getattr(self, "h", None), None
        if h and lib is not None:
            lib.socind_codes_free(h)


class Codes:
    """Group codes of n labels (socind_codes_from_int64 or
    socind_codes_from_strings): ``codes`` (int32, −1 for a missing label),
    ``count`` distinct labels numbered in sorted order, ``labels`` (label of
    code j at position j), ``nrows``, ``nmissing`` and ``kind`` ("int64" or
    "string"). The handle is immutable; ``close()`` (or a ``with`` block)
    frees it at once, else it goes with the object."""

    def __init__(self, labels: Any, name: str = "labels"):
        if isinstance(labels, (list, tuple)):
            # each value read as itself: NumPy would turn [2**63, 1] into floats
            a = np.empty(len(labels), dtype=object)
            a[:] = list(labels)
        else:
            a = _cv.raw(labels, name)
        n = a.shape[0]
        self._text = None  # str labels: given back decoded
        handle = HANDLE()
        ints = None if a.dtype.kind in "OUS" else _int_labels(a, name)
        if ints is None and a.dtype.kind not in "OUS":
            raise InputTypeError(SOCIND_ERR_DATA, f"{name} has values of type {a.dtype}: "
                                 "labels are integers or text")
        if ints is None:
            kind, values, miss = _object_labels(a.tolist(), name)
            if kind == "int":
                ints = values, (miss if miss.any() else None)
            else:
                self._text = kind == "text"
                arr = (ctypes.c_char_p * max(n, 1))(*values)
                st = lib.socind_codes_from_strings(n, arr, ctypes.byref(handle))
        if ints is not None:
            values, miss = ints
            st = lib.socind_codes_from_int64(n, values, None if miss is None else
                                             _cv.c_array(miss).view(np.uint8),
                                             ctypes.byref(handle))
        _check(st)
        self._owner = _Owner(handle)

    # ---- the handle's facts

    @property
    def _h(self) -> _Owner:
        o = self._owner
        if o is None:
            raise InputError(SOCIND_ERR_ARG, "this socind.codes.Codes was closed")
        return o

    @property
    def count(self) -> int:
        """The number of distinct labels k: codes are 0 … k − 1."""
        return int(lib.socind_codes_count(self._h))

    @property
    def nrows(self) -> int:
        """The number of labels (rows) given."""
        return int(lib.socind_codes_nrows(self._h))

    @property
    def nmissing(self) -> int:
        """The number of missing labels (code −1)."""
        return int(lib.socind_codes_nmissing(self._h))

    @property
    def kind(self) -> str:
        """"int64" or "string": the labels the codes were built from."""
        k = lib.socind_codes_kind(self._h)
        return "int64" if k == SOCIND_CODES_INT64 else "string"

    @property
    def codes(self) -> np.ndarray:
        """Each row's code (a fresh int32 array; −1 for a missing label):
        the group column an estimator takes."""
        n = self.nrows
        out = np.empty(n, dtype=np.int32)
        _check(lib.socind_codes_copy_row_codes(self._h, out, n))
        return out

    def label(self, code: int) -> Label:
        """The label of one code (0 <= code < count)."""
        code = _cv.integer(code, "code", *_cv.INT32)
        if not 0 <= code < self.count:
            raise InputError(SOCIND_ERR_ARG, f"code {code} is outside [0, {self.count})")
        if lib.socind_codes_kind(self._h) == SOCIND_CODES_INT64:
            v = ctypes.c_int64()
            _check(lib.socind_codes_int64_label(self._h, code, ctypes.byref(v)))
            return int(v.value)
        return self._string_label(code)

    def _string_label(self, code: int) -> Union[str, bytes]:
        needed = ctypes.c_size_t()
        _check(lib.socind_codes_string_label(self._h, code, None, 0, ctypes.byref(needed)))
        while True:
            buf = ctypes.create_string_buffer(max(needed.value, 1))
            st = lib.socind_codes_string_label(self._h, code, buf, len(buf), ctypes.byref(needed))
            if st == SOCIND_ERR_BUFFER and needed.value > len(buf):
                continue  # (the label does not change: only if the size asked for was short)
            _check(st)
            raw = buf.raw[:needed.value - 1]
            return raw.decode("utf-8", "surrogatepass") if self._text else raw

    @property
    def labels(self) -> list:
        """The label of each code, code 0 first (sorted order)."""
        return [self.label(j) for j in range(self.count)]

    def decode(self, codes: Iterable[int]) -> list:
        """The labels of codes (None for −1)."""
        labels = self.labels
        out = []
        for c in codes:
            c = _cv.integer(c, "codes", *_cv.INT64)
            if c == -1:
                out.append(None)
            elif 0 <= c < len(labels):
                out.append(labels[c])
            else:
                raise InputError(SOCIND_ERR_ARG, f"code {c} is outside [-1, {len(labels)})")
        return out

    # ---- lifetime

    def close(self) -> None:
        """Lets the C handle go: it is freed now, or when the last call in
        progress on it (in another thread) returns; later use raises
        InputError."""
        self._owner = None

    def __enter__(self) -> "Codes":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self.count

    def __repr__(self) -> str:
        if self._owner is None:
            return "<socind.codes.Codes: closed>"
        return (f"<socind.codes.Codes: {self.nrows} rows, {self.count} {self.kind} labels, "
                f"{self.nmissing} missing>")

    def __reduce_ex__(self, protocol):
        raise TypeError("socind.codes.Codes cannot be pickled: it holds a C handle")


def encode(labels: Any, name: str = "labels"):
    """(codes, labels) of n labels: the int32 codes (−1 missing) and the
    sorted distinct labels, code j's at position j."""
    with Codes(labels, name) as c:
        return c.codes, c.labels


__all__ = ["Codes", "encode", "SOCIND_CODES_INT64", "SOCIND_CODES_STRING"]
