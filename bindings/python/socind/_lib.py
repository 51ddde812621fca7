# SPDX-License-Identifier: GPL-3.0-or-later
"""Loads libsocind with ctypes and declares every C prototype used.

When the SOCIND_LIBRARY environment variable is set (and not empty), exactly
that file is loaded, or the import fails with an OSError naming it: a
missing or unloadable file is never passed over for another library.
Otherwise the look-up order is: the
library `cmake --install` put next to this package's installed copy (the
generated module socind/_installed.py records its path relative to the
package, so the prefix can move); a libsocind.so.N next to this package; the
build tree (build/ at the repository root); ctypes.util.find_library("socind").
The ABI version of the library is checked against the one this package was
written for. LIBRARY_PATH says which file was loaded."""

import ctypes
import ctypes.util
import os

ABI_VERSION = 0

c_double_p = ctypes.POINTER(ctypes.c_double)
c_int32_p = ctypes.POINTER(ctypes.c_int32)
c_int64_p = ctypes.POINTER(ctypes.c_int64)


class Estimate_t(ctypes.Structure):
    _fields_ = [("value", ctypes.c_double), ("se", ctypes.c_double),
                ("ci_low", ctypes.c_double), ("ci_high", ctypes.c_double),
                ("df", ctypes.c_double), ("weight_sum", ctypes.c_double),
                ("deff", ctypes.c_double), ("n", ctypes.c_int64),
                ("status", ctypes.c_int32), ("reserved", ctypes.c_int32)]


class Options_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("level", ctypes.c_double),
                ("ci_dist", ctypes.c_int32), ("prop_ci", ctypes.c_int32)]


class DesignOptions_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("lonely_psu", ctypes.c_int32),
                ("nest", ctypes.c_int32)]


class PovertyLine_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("type", ctypes.c_int32),
                ("inclusive", ctypes.c_int32), ("value", ctypes.c_double),
                ("quantile", ctypes.c_double), ("lines", c_double_p)]


class GrowthInput_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("sex", c_int32_p), ("age", c_double_p),
                ("age_in_months", ctypes.c_int32), ("reserved", ctypes.c_int32),
                ("weight", c_double_p), ("lenhei", c_double_p), ("measure", c_int32_p),
                ("oedema", c_int32_p), ("headc", c_double_p), ("armc", c_double_p),
                ("triskin", c_double_p), ("subskin", c_double_p)]


class GrowthOutput_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("clenhei", c_double_p), ("cmeasure", c_int32_p),
                ("c9mo_flag", c_int32_p), ("cbmi", c_double_p)] + \
               [(n, c_double_p) for n in ("zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss")] + \
               [(n, c_int32_p) for n in ("flen", "fwei", "fwfl", "fbmi", "fhc", "fac", "fts", "fss")] + \
               [("reason", c_int32_p)]


class GrowthQuality_t(ctypes.Structure):
    _fields_ = [("size", ctypes.c_size_t), ("n", ctypes.c_int64),
                ("missing", ctypes.c_int64 * 4), ("flagged", ctypes.c_int64 * 4),
                ("sd", ctypes.c_double * 4), ("oedema", ctypes.c_int64),
                ("sex_missing", ctypes.c_int64), ("age_missing", ctypes.c_int64),
                ("lenhei_heaping", ctypes.c_double), ("weight_heaping", ctypes.c_double),
                ("age_heaping", ctypes.c_double)]


class PrevalenceRow_t(ctypes.Structure):
    _fields_ = [("group_kind", ctypes.c_int32), ("group_level", ctypes.c_int32),
                ("indicator", ctypes.c_int32), ("statistic", ctypes.c_int32),
                ("est", Estimate_t), ("stdev", ctypes.c_double),
                ("pop_weighted", ctypes.c_double), ("pop_unweighted", ctypes.c_int64),
                ("flagged", ctypes.c_int64)]


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

_P = ctypes.c_void_p
_E = ctypes.POINTER(Estimate_t)
_O = ctypes.POINTER(Options_t)
_L = ctypes.POINTER(PovertyLine_t)
_i32, _f64, _sz = ctypes.c_int32, ctypes.c_double, ctypes.c_size_t

PROTOTYPES = {
    "socind_strerror": (ctypes.c_char_p, [_i32]),
    "socind_last_error_detail": (ctypes.c_char_p, []),
    "socind_last_error_row": (ctypes.c_int64, []),
    "socind_version": (ctypes.c_char_p, []),
    "socind_abi_version": (_i32, []),
    "socind_options_init": (_i32, [_O]),
    "socind_critical_value": (_i32, [_f64, _i32, _f64, c_double_p]),
    "socind_difference": (_i32, [_E, _E, _O, _E]),
    "socind_design_options_init": (_i32, [ctypes.POINTER(DesignOptions_t)]),
    "socind_design_new": (_i32, [_sz, c_double_p, c_int64_p, c_int64_p, c_double_p,
                                 ctypes.POINTER(DesignOptions_t), ctypes.POINTER(_P)]),
    "socind_design_free": (None, [_P]),
    "socind_design_nrows": (_sz, [_P]),
    "socind_design_nstrata": (_sz, [_P]),
    "socind_design_npsu": (_sz, [_P]),
    "socind_design_df": (_f64, [_P]),
    "socind_variance": (_i32, [_P, c_double_p, c_int32_p, _i32, c_double_p]),
    "socind_codes_from_int64": (_i32, [_sz, c_int64_p, ctypes.POINTER(ctypes.c_uint8),
                                       ctypes.POINTER(_P)]),
    "socind_codes_from_strings": (_i32, [_sz, ctypes.POINTER(ctypes.c_char_p),
                                         ctypes.POINTER(_P)]),
    "socind_codes_free": (None, [_P]),
    "socind_codes_count": (_i32, [_P]),
    "socind_codes_nrows": (_sz, [_P]),
    "socind_codes_nmissing": (_sz, [_P]),
    "socind_codes_kind": (_i32, [_P]),
    "socind_codes_row_codes": (c_int32_p, [_P]),
    "socind_codes_copy_row_codes": (_i32, [_P, c_int32_p, _sz]),
    "socind_codes_int64_label": (_i32, [_P, _i32, c_int64_p]),
    "socind_codes_string_label": (_i32, [_P, _i32, ctypes.c_char_p, _sz,
                                         ctypes.POINTER(_sz)]),
    "socind_total": (_i32, [_P, c_double_p, c_int32_p, _i32, _O, _E]),
    "socind_mean": (_i32, [_P, c_double_p, c_int32_p, _i32, _O, _E]),
    "socind_ratio": (_i32, [_P, c_double_p, c_double_p, c_int32_p, _i32, _O, _E]),
    "socind_proportion": (_i32, [_P, c_double_p, c_int32_p, _i32, _O, _E]),
    "socind_poverty_line_init": (_i32, [_L]),
    "socind_fgt": (_i32, [_P, c_double_p, _L, _f64, c_int32_p, _i32, _O, _E]),
    "socind_poor_count": (_i32, [_P, c_double_p, _L, c_int32_p, _i32, _O, _E]),
    "socind_poverty_gap_total": (_i32, [_P, c_double_p, _L, c_int32_p, _i32, _O, _E]),
    "socind_mean_shortfall": (_i32, [_P, c_double_p, _L, c_int32_p, _i32, _O, _E]),
    "socind_watts": (_i32, [_P, c_double_p, _L, _i32, c_int32_p, _i32, _O, _E]),
    "socind_poverty_line_estimate": (_i32, [_P, c_double_p, _L, _O, _E]),
    "socind_fgt_decomposition": (_i32, [_P, c_double_p, _L, _f64, c_int32_p, _i32, _O, _E]),
    "socind_watts_decomposition": (_i32, [_P, c_double_p, _L, _i32, c_int32_p, _i32, _O, _E]),
    "socind_poverty_profile": (_i32, [_P, c_double_p, _L, _f64, c_int32_p, _i32, _O, _E, _E, _E, _E]),
    "socind_ppp_line": (_i32, [_f64, _f64, _f64, _f64, _f64, c_double_p]),
    "socind_gini": (_i32, [_P, c_double_p, c_int32_p, _i32, _O, _E]),
    "socind_ge": (_i32, [_P, c_double_p, _f64, _i32, c_int32_p, _i32, _O, _E]),
    "socind_atkinson": (_i32, [_P, c_double_p, _f64, _i32, c_int32_p, _i32, _O, _E]),
    "socind_quantile": (_i32, [_P, c_double_p, _f64, c_int32_p, _i32, _O, _E]),
    "socind_share_ratio": (_i32, [_P, c_double_p, _f64, _f64, c_int32_p, _i32, _O, _E]),
    "socind_lorenz": (_i32, [_P, c_double_p, _f64, c_int32_p, _i32, _O, _E]),
    "socind_ge_decomposition": (_i32, [_P, c_double_p, _f64, _i32, c_int32_p, _i32, _O, _E]),
    "socind_growth_input_init": (_i32, [ctypes.POINTER(GrowthInput_t)]),
    "socind_growth_output_init": (_i32, [ctypes.POINTER(GrowthOutput_t)]),
    "socind_growth_who2006": (_i32, [_sz, ctypes.POINTER(GrowthInput_t), _i32,
                                     ctypes.POINTER(GrowthOutput_t)]),
    "socind_growth_who2007": (_i32, [_sz, c_int32_p, c_double_p, c_double_p, c_double_p,
                                     c_int32_p, _i32, c_double_p, c_double_p, c_double_p,
                                     c_double_p, c_int32_p, c_int32_p, c_int32_p, c_int32_p]),
    "socind_round2": (_f64, [_f64]),
    "socind_growth_who2006_child": (_i32, [_i32, _f64, _f64, _f64, _i32, _i32, _f64, _f64, _f64,
                                           _f64, _i32, c_double_p, c_int32_p, c_int32_p]),
    "socind_growth_quality_who2006": (_i32, [_sz, ctypes.POINTER(GrowthInput_t),
                                             ctypes.POINTER(GrowthQuality_t)]),
    "socind_prevalence_who2006": (_i32, [_sz, ctypes.POINTER(GrowthInput_t), c_double_p,
                                         c_int64_p, c_int64_p, c_int32_p, _i32, _O,
                                         ctypes.POINTER(_P)]),
    "socind_prevalence_who2007": (_i32, [_sz, c_int32_p, c_double_p, c_double_p, c_double_p,
                                         c_int32_p, c_double_p, c_int64_p, c_int64_p,
                                         c_int32_p, _i32, _O, ctypes.POINTER(_P)]),
    "socind_prevalence_table_nrows": (_sz, [_P]),
    "socind_prevalence_table_row": (_i32, [_P, _sz, ctypes.POINTER(PrevalenceRow_t)]),
    "socind_prevalence_table_free": (None, [_P]),
    "socind_prevalence_group_label": (_i32, [_i32, _i32, ctypes.c_char_p, _sz]),
}

for _name, (_res, _args) in PROTOTYPES.items():
    _fn = getattr(lib, _name)
    _fn.restype = _res
    _fn.argtypes = _args

if lib.socind_abi_version() != ABI_VERSION:
    raise OSError("libsocind has ABI version %d; this package needs %d"
                  % (lib.socind_abi_version(), ABI_VERSION))
