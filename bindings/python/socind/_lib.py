# SPDX-License-Identifier: GPL-3.0-or-later
"""Loads libsocind with ctypes; the helpers every module declares its C API with.

When the SOCIND_LIBRARY environment variable is set (and not empty), exactly
that file is loaded, or the import fails with an OSError naming it: a
missing or unloadable file is never passed over for another library.
Otherwise the look-up order is: the
library `cmake --install` put next to this package's installed copy (the
generated module socind/_installed.py records its path relative to the
package, so the prefix can move); a libsocind.so.N next to this package; the
build tree (build/ at the repository root); ctypes.util.find_library("socind").
The ABI version of the library is checked against the one this package was
written for. LIBRARY_PATH says which file was loaded.

Each module of the package declares the C functions of its header with
declare() (PROTOTYPES collects them all) and the header's structs as ctypes
Structures; arrays pass through numpy.ctypeslib.ndpointer argtypes."""

import ctypes
import ctypes.util
import os
from typing import Optional

import numpy as np

ABI_VERSION = 0


def _candidates():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        from . import _installed  # written by `cmake --install`, absent in the source tree
    except ImportError:
        _installed = None
    if _installed is not None:
        yield os.path.normpath(os.path.join(here, _installed.LIBRARY))
    yield os.path.join(here, "libsocind.so.%d" % ABI_VERSION)
    root = os.path.abspath(os.path.join(here, "..", "..", ".."))
    yield os.path.join(root, "build", "libsocind.so.%d" % ABI_VERSION)
    found = ctypes.util.find_library("socind")
    if found:
        yield found


def _load():
    env = os.environ.get("SOCIND_LIBRARY")
    if env:
        if os.path.sep in env and not os.path.exists(env):  # (a bare name: the loader's search)
            raise OSError(f"SOCIND_LIBRARY={env}: no such file (unset SOCIND_LIBRARY to look "
                          "for the library in the usual places)")
        try:
            return ctypes.CDLL(env), env
        except OSError as e:
            raise OSError(f"SOCIND_LIBRARY={env} cannot be loaded: {e}") from None
    tried = []
    for path in _candidates():
        tried.append(path)
        if os.path.sep in path and not os.path.exists(path):
            continue
        try:
            return ctypes.CDLL(path), path
        except OSError:
            continue
    raise OSError("libsocind not found; looked in: " + ", ".join(tried) +
                  " (set SOCIND_LIBRARY to the library's path)")


lib, LIBRARY_PATH = _load()

HANDLE = ctypes.c_void_p  # an opaque socind_* handle (design, codes, table)
HANDLE_P = ctypes.POINTER(HANDLE)

# Every C function the binding declares, name → (restype, argtypes); each
# module declares the functions of its header with declare().
PROTOTYPES = {}


def declare(prototypes: dict) -> None:
    """Sets restype and argtypes of each function of ``prototypes`` (name →
    (restype, [argtypes])) on the library, and records them in PROTOTYPES."""
    for name, (res, args) in prototypes.items():
        fn = getattr(lib, name)
        fn.restype = res
        fn.argtypes = list(args)
        PROTOTYPES[name] = (res, list(args))


# ---------------------------------------------------------------- arrays
#
# NumPy arrays pass to C through numpy.ctypeslib.ndpointer argtypes: ctypes
# then refuses (ctypes.ArgumentError) an array of another dtype, of another
# number of dimensions, not C-contiguous or not aligned, before C reads it.
# The converters of _convert.py hand over arrays that satisfy them.

_IN = ("C_CONTIGUOUS", "ALIGNED")
_OUT = ("C_CONTIGUOUS", "ALIGNED", "WRITEABLE")


def array(dtype, out: bool = False):
    """The argtype of a required 1-D array of ``dtype`` (``out``: written by C)."""
    return np.ctypeslib.ndpointer(dtype=dtype, ndim=1, flags=_OUT if out else _IN)


def optional_array(dtype, out: bool = False):
    """As array(), for an argument the C function takes as NULL: None passes
    as NULL."""
    base = array(dtype, out)

    def from_param(cls, obj):
        if obj is None:
            return None
        return base.from_param(obj)

    return type(base.__name__ + "_or_None", (base,), {"from_param": classmethod(from_param)})


F64 = array(np.float64)
F64_OUT = array(np.float64, out=True)
I32 = array(np.int32)
I32_OUT = array(np.int32, out=True)
OPT_F64 = optional_array(np.float64)
OPT_I32 = optional_array(np.int32)
OPT_I64 = optional_array(np.int64)
OPT_U8 = optional_array(np.uint8)


def pointer(a: Optional[np.ndarray], ctype):
    """A struct field's pointer to a's data (NULL for None); the caller keeps
    a alive while C may read it."""
    return None if a is None else a.ctypes.data_as(ctypes.POINTER(ctype))


# The C API's functions not tied to one header's structs.
declare({
    "socind_strerror": (ctypes.c_char_p, [ctypes.c_int32]),
    "socind_last_error_detail": (ctypes.c_char_p, []),
    "socind_last_error_row": (ctypes.c_int64, []),
    "socind_version": (ctypes.c_char_p, []),
    "socind_abi_version": (ctypes.c_int32, []),
})

if lib.socind_abi_version() != ABI_VERSION:
    raise OSError("libsocind has ABI version %d; this package needs %d"
                  % (lib.socind_abi_version(), ABI_VERSION))
