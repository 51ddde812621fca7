# SPDX-License-Identifier: GPL-3.0-or-later
"""socind/nutrition.h: WHO's prevalence table (anthro_prevalence and
anthroplus_prevalence) and the data-quality summary.

The table is computed over a socind design that the binding builds with
anthro's rules (nutrition.h): lonely PSUs "adjust", cluster ids numbered
within their strata (nest), a missing sampling weight set to 0, rows
without a cluster or stratum left out, and every child its own PSU when
every child the table keeps has the same cluster id."""

from __future__ import annotations

import ctypes
from typing import Any, Optional

import numpy as np

from . import _convert as _cv
from . import _lib
from ._common import OPTIONS_P, Estimate_t, _check, _options, _warn
from ._errors import EmptyError, InputError, SocindError
from ._groups import _Groups
from ._lib import HANDLE, HANDLE_P, OPT_I32, lib
from .design import SOCIND_LONELY_ADJUST, _new_design, _same_index
from .growth import (SOCIND_SEX_FEMALE, SOCIND_SEX_MALE, Growth2007Input_t, GrowthInput_t,
                     _age_unit_counts, _f64, _growth_codes, _init, _refuse_months_as_days,
                     _one_age, _ptr, _reference, _refuse_lone_recodes, _refuse_unused, _rows_of_sex,
                     _sex)
from .status import SOCIND_ERR_ARG, SOCIND_ERR_BUFFER, SOCIND_ERR_DATA, SOCIND_ERR_EMPTY, SOCIND_OK

# Indicators (socind_prevalence_row.indicator).
SOCIND_NUT_HA = 0
SOCIND_NUT_WA = 1
SOCIND_NUT_BMI = 2
SOCIND_NUT_WH = 3
SOCIND_NUT_HA_2_WH_2 = 4
SOCIND_NUT_HA_2_WH2 = 5
SOCIND_NUT_INDICATOR_COUNT = 6
SOCIND_NUT_Z_COUNT = 4

# Statistics (socind_prevalence_row.statistic).
SOCIND_NUT_LT3 = 0
SOCIND_NUT_LT2 = 1
SOCIND_NUT_LT1 = 2
SOCIND_NUT_GT1 = 3
SOCIND_NUT_GT2 = 4
SOCIND_NUT_GT3 = 5
SOCIND_NUT_MEAN = 6
SOCIND_NUT_BOTH = 7
SOCIND_NUT_STATISTIC_COUNT = 8

# Groups (socind_prevalence_row.group_kind).
SOCIND_GROUP_ALL = 0
SOCIND_GROUP_AGE = 1
SOCIND_GROUP_SEX = 2
SOCIND_GROUP_AGE_SEX = 3
SOCIND_GROUP_DOMAIN = 4
SOCIND_GROUP_AGE1 = 5
SOCIND_GROUP_AGE2 = 6
SOCIND_GROUP_AGE2_SEX = 7


class PrevalenceRow_t(ctypes.Structure):
    """socind_prevalence_row."""
    _c_name = "socind_prevalence_row"
    _fields_ = [("size", ctypes.c_size_t),
                ("group_kind", ctypes.c_int32), ("group_level", ctypes.c_int32),
                ("indicator", ctypes.c_int32), ("statistic", ctypes.c_int32),
                ("est", Estimate_t), ("stdev", ctypes.c_double),
                ("pop_weighted", ctypes.c_double), ("pop_unweighted", ctypes.c_int64),
                ("flagged", ctypes.c_int64)]


class GrowthQuality_t(ctypes.Structure):
    """socind_growth_quality."""
    _c_name = "socind_growth_quality"
    _fields_ = [("size", ctypes.c_size_t), ("n", ctypes.c_int64),
                ("missing", ctypes.c_int64 * SOCIND_NUT_Z_COUNT),
                ("flagged", ctypes.c_int64 * SOCIND_NUT_Z_COUNT),
                ("sd", ctypes.c_double * SOCIND_NUT_Z_COUNT), ("oedema", ctypes.c_int64),
                ("sex_missing", ctypes.c_int64), ("age_missing", ctypes.c_int64),
                ("lenhei_heaping", ctypes.c_double), ("weight_heaping", ctypes.c_double),
                ("age_heaping", ctypes.c_double)]


_i32, _sz = ctypes.c_int32, ctypes.c_size_t

_lib.declare({
    "socind_prevalence_row_init": (_i32, [ctypes.POINTER(PrevalenceRow_t)]),
    "socind_prevalence_who2006": (_i32, [HANDLE, ctypes.POINTER(GrowthInput_t), OPT_I32, _i32,
                                         OPTIONS_P, HANDLE_P]),
    "socind_prevalence_who2007": (_i32, [HANDLE, ctypes.POINTER(Growth2007Input_t), OPT_I32,
                                         _i32, OPTIONS_P, HANDLE_P]),
    "socind_growth_quality_init": (_i32, [ctypes.POINTER(GrowthQuality_t)]),
    "socind_growth_quality_who2006": (_i32, [_sz, ctypes.POINTER(GrowthInput_t),
                                             ctypes.POINTER(GrowthQuality_t)]),
    "socind_prevalence_table_nrows": (_sz, [HANDLE]),
    "socind_prevalence_table_row": (_i32, [HANDLE, _sz, ctypes.POINTER(PrevalenceRow_t)]),
    "socind_prevalence_table_free": (None, [HANDLE]),
    "socind_prevalence_group_label": (_i32, [_i32, _i32, ctypes.c_char_p, _sz,
                                             ctypes.POINTER(_sz)]),
})


_IND = {SOCIND_NUT_HA: "HA", SOCIND_NUT_WA: "WA", SOCIND_NUT_BMI: "BMI", SOCIND_NUT_WH: "WH",
        SOCIND_NUT_HA_2_WH_2: "HA_2_WH_2", SOCIND_NUT_HA_2_WH2: "HA_2_WH2"}
_STAT = {SOCIND_NUT_LT3: "< -3", SOCIND_NUT_LT2: "< -2", SOCIND_NUT_LT1: "< -1",
         SOCIND_NUT_GT1: "> +1", SOCIND_NUT_GT2: "> +2", SOCIND_NUT_GT3: "> +3",
         SOCIND_NUT_MEAN: "mean", SOCIND_NUT_BOTH: "prevalence"}


def _rows_word(k: int) -> str:
    return f"{k} row" if k == 1 else f"{k} rows"


def _round_half_up(x: np.ndarray) -> np.ndarray:
    """anthro's round_up: < .5 down, >= .5 up."""
    f = np.floor(x)
    return f + ((x - f) >= 0.5)


@_rows_of_sex
def prevalence(sex: Any, age_days: Any = None, weight_kg: Any = None, lenhei_cm: Any = None,
               measure: Any = None, oedema: Any = None, sw: Any = None, strata: Any = None,
               cluster: Any = None, by: Any = None, age_months: Any = None,
               height_cm: Any = None, reference: str = "who2006", level: float = 0.95,
               invalid: str = "error", sex_codes: Optional[dict] = None,
               measure_codes: Optional[dict] = None, oedema_codes: Optional[dict] = None,
               prop_ci: Optional[str] = None, calibration: Optional[dict] = None):
    """WHO's prevalence table (anthro_prevalence; ``reference="who2007"``:
    anthroplus_prevalence with ``age_months`` and ``height_cm``) as a pandas
    DataFrame: one row per group, indicator and statistic, prevalences as
    proportions (0–1), with SE, CI, SD of the z-score, counts, flagged,
    ``n_missing`` (children of the group whose z-score is missing) and the
    estimate's ``status``.

    anthro's rules for messy data, with its warnings (DataWarning) in its
    words and order: children older than 1826 days leave ("… due to missing
    age or age > 1826 days"; anthroplus: outside 60–228 months or missing);
    with ``strata``/``cluster`` given, rows missing either leave ("… due to
    missing cluster and strata."); a missing sampling weight counts as 0
    ("… had missing sampling weights …"). Strata and clusters may be labels
    (text, categoricals). ``by``: one column, or several crossed; domain rows
    are labelled as the command labels them, "COLUMN: value" (the column's
    name, or "by" for an unnamed one), and crossed columns "A + B: a.b" (as
    anthro labels interactions: "Age + sex: 12-23 mo.Female"). So that each
    label reads one way, a value of a crossed column may not contain ".",
    and a label equal to one of the table's own ("Sex: Male" from a column
    named "Sex") is refused (InputError naming the row). Codes, ``invalid`` and
    the ``*_codes`` recodings as :func:`zscores`. The length or height is
    ``lenhei_cm`` for who2006 (``height_cm`` is refused there) and
    ``height_cm`` (or ``lenhei_cm``) for who2007, which refuses age_days,
    measure and measure_codes. ``prop_ci``: the prevalences' interval, one of
    R's svyciprop methods as in :func:`fgt` (default "logit", anthro's).
    Ages in months given as ``age_days`` are refused as :func:`zscores`
    refuses them (the command's rule).

    ``calibration``: the weights of anthro's design calibrated before the
    table is computed, as ``socind nutrition --poststratify/--rake/
    --calibrate`` does: a dict of :func:`socind.calibrate`'s arguments
    (``method``, ``margins``, ``numeric``, ``intercept``, ``bounds``,
    ``max_iter``, ``epsilon``) whose columns are as long as ``sex`` (the
    rows without a cluster or stratum, which anthro drops, are dropped from
    them too). The calibration is of the children the table keeps: the
    rows anthro's rules take out (aged out, no cluster or stratum) leave
    first, as in the command, so the targets are population totals of the
    table's age range. The table's prevalences, means and SEs are then those
    of the calibrated design (calibrated weights, SEs from the calibration's
    residuals; socind/nutrition.h), computed on one thread."""
    _prevalence_checks(reference, age_days, age_months, measure, measure_codes, height_cm,
                       oedema, oedema_codes)
    _same_index(("sex", sex), ("age_days", age_days), ("age_months", age_months),
                ("weight_kg", weight_kg), ("lenhei_cm", lenhei_cm), ("height_cm", height_cm),
                ("measure", measure), ("oedema", oedema), ("sw", sw), ("strata", strata),
                ("cluster", cluster), ("by", by), *_calibration_columns(calibration))
    P = _prevalence_columns(reference, sex, age_days, weight_kg, lenhei_cm, measure, oedema, sw,
                            strata, cluster, age_months, height_cm, invalid, sex_codes,
                            measure_codes, oedema_codes,
                            lambda key, k: _warn(_prevalence_warning(reference, key, k)))
    cols, n = P.cols, P.n
    groups = None if by is None else _Groups(by, n)
    labels = []
    if groups is not None:
        cols["group"] = groups.codes
        labels = groups.prevalence_labels()
        _refuse_standard_labels(labels, groups.first_row)
    # ---- the rows the library sees
    rowmap = None
    # a calibration is of the children the table keeps (as the command's):
    # the aged-out rows leave before the design is made
    out = P.idmiss | P.aged_out if calibration is not None else P.idmiss
    if out.any():
        rowmap = np.flatnonzero(~out)
        cols = {k: _cv.c_array(v[rowmap]) for k, v in cols.items()}
        if rowmap.size == 0:
            raise EmptyError(SOCIND_ERR_EMPTY, "every row lacks a cluster or a stratum"
                             if P.idmiss.all() else "no child in the table's age range")
    m = cols["sex"].shape[0]
    kept = ~P.aged_out if rowmap is None else ~P.aged_out[rowmap]
    if calibration is not None:
        kept = np.ones(m, dtype=bool)
    opts = _options(level, None, prop_ci)
    st, design = _prevalence_design(m, cols, kept)
    if st != SOCIND_OK:
        try:
            _check(st, rowmap)
        except SocindError as e:
            # the design's weights are the caller's sw
            e.args = (e.args[0].replace("weight[", "sw["),)
            raise
    if calibration is not None:
        design = _calibrated(design, m, n, rowmap, calibration)
    G = groups.G if groups is not None else 0
    handle = HANDLE()
    dh = design.h  # (design is kept alive until the table is built)
    gi = _growth_input(reference, cols, P.in_months)
    if reference == "who2007":
        st = lib.socind_prevalence_who2007(dh, ctypes.byref(gi), cols.get("group"), G,
                                           ctypes.byref(opts), ctypes.byref(handle))
    else:
        st = lib.socind_prevalence_who2006(dh, ctypes.byref(gi), cols.get("group"), G,
                                           ctypes.byref(opts), ctypes.byref(handle))
    _check(st, rowmap)
    sizes = _prevalence_group_sizes(reference, cols, 1 if reference == "who2006" and P.in_months
                                    else 0, G)
    return _prevalence_frame(handle, labels, sizes)


def _calibration_columns(calibration: Any) -> list:
    """The margin and numeric columns of ``calibration`` as (name, column)
    pairs, for the same-index rule (nothing when it is no dict: _calibrated
    refuses it)."""
    from .calibrate import _margin_pairs, _numeric_pairs
    if not isinstance(calibration, dict):
        return []
    return ([(f"calibration margins[{i}]", col)
             for i, (col, _) in enumerate(_margin_pairs(calibration.get("margins")))] +
            [(f"calibration numeric[{name!r}]", col)
             for name, (col, _) in _numeric_pairs(calibration.get("numeric"))])


def _calibrated(owner, m: int, n: int, rowmap, calibration: dict):
    """anthro's design (owner, m rows) calibrated by socind.calibrate with
    the arguments in ``calibration``, whose columns (n long) are taken on
    the design's rows (rowmap, or all); the calibrated design's handle
    owner."""
    from .calibrate import _margin_pairs, _numeric_pairs, calibrate
    from .design import Design
    if not isinstance(calibration, dict):
        raise InputError(SOCIND_ERR_ARG, "calibration must be a dict of socind.calibrate's "
                         "arguments")
    cal = dict(calibration)
    unknown = set(cal) - {"method", "margins", "numeric", "intercept", "bounds", "max_iter",
                          "epsilon"}
    if unknown:
        raise InputError(SOCIND_ERR_ARG, f"calibration: unknown argument {sorted(unknown)[0]!r}")

    def rows(col, what):
        v = col.to_numpy() if hasattr(col, "to_numpy") else np.asarray(col)
        if v.ndim != 1 or v.shape[0] != n:
            got = v.shape[0] if v.ndim else 1
            raise InputError(SOCIND_ERR_ARG, f"calibration: {what} has {got} values; sex has {n}")
        return v if rowmap is None else v[rowmap]

    margins = [(rows(col, f"margin {i}"), tot)
               for i, (col, tot) in enumerate(_margin_pairs(cal.pop("margins", None)))]
    numeric = {k: (rows(col, f"numeric {k!r}"), t)
               for k, (col, t) in _numeric_pairs(cal.pop("numeric", None))}
    d = Design.__new__(Design)
    d._labels, d._index, d._owner, d.n = {}, None, owner, m
    _, c = calibrate(d, cal.pop("method", "linear"), margins=margins, numeric=numeric, **cal)
    return c._owner


class _Prepared:
    """A prevalence call's columns, checked and converted (``cols``), its
    rows ``n``, whether ages are in months, and the rows anthro's rules take
    out: ``aged_out`` (outside the reference's ages) and ``idmiss`` (no
    cluster or stratum)."""

    def __init__(self, cols, n, in_months, aged_out, idmiss):
        self.cols, self.n, self.in_months = cols, n, in_months
        self.aged_out, self.idmiss = aged_out, idmiss


def _prevalence_checks(reference, age_days, age_months, measure, measure_codes, height_cm,
                       oedema, oedema_codes) -> None:
    """prevalence's argument checks, before any column is read."""
    _reference(reference)
    if reference == "who2007":
        _refuse_unused("reference='who2007' (5-19 years: sex, age_months, height_cm, "
                       "weight_kg, oedema)", age_days=age_days, measure=measure,
                       measure_codes=measure_codes)
    else:
        _refuse_unused("reference='who2006' (0-5 years: the length or height is lenhei_cm)",
                       height_cm=height_cm)
    _one_age(age_days, age_months)
    _refuse_lone_recodes(measure_codes=(measure_codes, measure, "measure"),
                         oedema_codes=(oedema_codes, oedema, "oedema"))


def _prevalence_columns(reference, sex, age_days, weight_kg, lenhei_cm, measure, oedema, sw,
                        strata, cluster, age_months, height_cm, invalid, sex_codes,
                        measure_codes, oedema_codes, warn, ids=None,
                        months_check: bool = True) -> _Prepared:
    """The columns of a prevalence call (every argument as prevalence's),
    anthro's warnings through ``warn(key, rows)`` in anthro's order (keys
    "age", "age_negative" (socind's own), "ids", "weights"; _prevalence_warning gives
    anthro's words);
    ``ids(values, n, name)`` reads strata and clusters (socind._convert.ids
    by default: (int64 ids, missing mask or None, labels or None)).
    ``months_check``: refuse ages in days that look like months (the
    command's rule, growth._refuse_months_as_days) over these rows; False
    where the caller applies it over more rows (socind.dask's partitions)."""
    sx = _sex(sex, invalid, sex_codes)
    n = sx.shape[0]
    in_months = False
    # ---- the columns, checked and converted (nothing passed to C yet)
    cols = {"sex": sx}
    if reference == "who2007":
        if age_months is None:
            raise InputError(SOCIND_ERR_ARG, "reference='who2007' needs age_months")
        cols["age"] = _f64(age_months, n, "age_months")
        if height_cm is not None and lenhei_cm is not None:
            raise InputError(SOCIND_ERR_ARG, "give height_cm or lenhei_cm, not both")
        hv = height_cm if height_cm is not None else lenhei_cm
        if hv is not None:
            cols["height"] = _f64(hv, n, "height_cm")
        if weight_kg is not None:
            cols["weight"] = _f64(weight_kg, n, "weight_kg")
        o = _growth_codes(oedema, n, _cv.OEDEMA, oedema_codes, invalid, "oedema_codes")
        if o is not None:
            cols["oedema"] = o
        a = cols["age"]
        aged_out = ~((a >= 60.0) & (a <= 228.0))
        k = int(aged_out.sum())
        if k:
            warn("age", k)
    else:
        in_months = age_days is None and age_months is not None
        if age_days is not None or age_months is not None:
            cols["age"] = _f64(age_days if not in_months else age_months, n,
                               "age_months" if in_months else "age_days")
        for name, val, arg in (("weight", weight_kg, "weight_kg"), ("lenhei", lenhei_cm,
                                                                    "lenhei_cm")):
            if val is not None:
                cols[name] = _f64(val, n, arg)
        for name, val, table, rec in (("measure", measure, _cv.MEASURE, measure_codes),
                                      ("oedema", oedema, _cv.OEDEMA, oedema_codes)):
            arr = _growth_codes(val, n, table, rec, invalid, name + "_codes")
            if arr is not None:
                cols[name] = arr
        if months_check and not in_months and "age" in cols:
            _refuse_months_as_days(_months_counts(cols))
        # anthro: rows older than 1826 days (rounded) leave first; its warning
        # says "missing age or" but counts only the older ones (missing ages stay)
        if "age" in cols:
            a = cols["age"]
            with np.errstate(invalid="ignore"):
                days = _round_half_up(a * 30.4375 if in_months else a)
                aged_out = (a >= 0) & (days > 1826)
        else:
            aged_out = np.zeros(n, dtype=bool)
        k = int(aged_out.sum())
        if k:
            warn("age", k)
        # (socind's own, as the command's: anthro refuses such a file)
        k = int((cols["age"] < 0).sum()) if "age" in cols else 0
        if k:
            warn("age_negative", k)
    # ---- design ids: rows without a cluster or stratum leave (anthro)
    idmiss = np.zeros(n, dtype=bool)
    for name, val in (("strata", strata), ("cluster", cluster)):
        if val is None:
            continue
        v, miss, labels = (ids or _cv.ids)(val, n, name)
        cols[name] = v
        if miss is not None:
            idmiss |= miss
    k = int((idmiss & ~aged_out).sum())
    if k:
        warn("ids", k)
    # ---- a missing sampling weight counts as 0 (anthro)
    if sw is not None:
        w = _f64(sw, n, "sw", bools="sampling weights")
        wmiss = np.isnan(w)
        k = int((wmiss & ~idmiss & ~aged_out).sum())
        if k:
            warn("weights", k)
        cols["sw"] = np.where(wmiss, 0.0, w) if wmiss.any() else w
    return _Prepared(cols, n, in_months, aged_out, idmiss)


def _months_counts(cols: dict) -> tuple:
    """growth._age_unit_counts of a prevalence call's columns."""
    return _age_unit_counts(cols["age"], cols.get("lenhei"), cols.get("weight"))


def _prevalence_warning(reference: str, key: str, k: int) -> str:
    """anthro's words for the k rows one of its rules takes out."""
    if key == "age":
        if reference == "who2007":
            return (f"{k} row(s) with age NA or age < 60 months or > 228 months were excluded "
                    "from the computation.")
        return (f"{_rows_word(k)} will be excluded for the prevalence computation due to "
                "missing age or age > 1826 days ")
    if key == "ids":
        return (f"{_rows_word(k)} will be excluded for the prevalence computation due to "
                "missing cluster and strata.")
    if key == "age_negative":
        return (f"{k} row{'s have' if k != 1 else ' has'} an age below 0 (WHO's anthro "
                "refuses a file with one): left out of every indicator")
    return (f"{_rows_word(k)} had missing sampling weights and they will be set to 0. "
            "Doing this excludes them in the prevalence calculation.")


def _refuse_standard_labels(labels: list, first_row) -> None:
    """A domain label equal to one of the table's own rows is refused."""
    taken = _standard_group_labels()
    for j, lab in enumerate(labels):
        if lab in taken:
            r = first_row(j)
            where = f"the group of row {r}" if r is not None else "a group"
            raise InputError(SOCIND_ERR_DATA, f"by: {where} would be labelled {_cv.shown(lab)}, the "
                             "label of one of anthro's own rows; rename the column", r)


def _growth_input(reference: str, cols: dict, in_months: bool):
    """The growth input struct over cols' arrays (kept alive by cols)."""
    D, I = ctypes.c_double, ctypes.c_int32
    g = cols.get
    if reference == "who2007":
        gi = _init(Growth2007Input_t, lib.socind_growth2007_input_init)
        gi.sex, gi.age_months = _ptr(g("sex"), I), _ptr(g("age"), D)
        gi.height_cm, gi.weight_kg = _ptr(g("height"), D), _ptr(g("weight"), D)
        gi.oedema = _ptr(g("oedema"), I)
        return gi
    gi = _init(GrowthInput_t, lib.socind_growth_input_init)
    gi.sex = _ptr(g("sex"), I)
    gi.age_in_months = 1 if in_months else 0
    for name in ("age", "weight", "lenhei"):
        if name in cols:
            setattr(gi, name, _ptr(cols[name], D))
    for name in ("measure", "oedema"):
        if name in cols:
            setattr(gi, name, _ptr(cols[name], I))
    return gi


def _prevalence_frame(handle, labels: list, sizes: dict):
    """The table's DataFrame (and the table freed)."""
    import pandas as pd
    try:
        rows = []
        r = _init(PrevalenceRow_t, lib.socind_prevalence_row_init)
        for i in range(lib.socind_prevalence_table_nrows(handle)):
            _check(lib.socind_prevalence_table_row(handle, i, ctypes.byref(r)))
            if r.group_kind == SOCIND_GROUP_DOMAIN:
                group = labels[r.group_level]
            else:
                group = _group_label(r.group_kind, r.group_level)
            e = r.est
            size = sizes.get((r.group_kind, r.group_level), 0)
            rows.append(dict(group=group, indicator=_IND[r.indicator], statistic=_STAT[r.statistic],
                             estimate=e.value, se=e.se, ci_low=e.ci_low, ci_high=e.ci_high,
                             stdev=r.stdev, n_weighted=r.pop_weighted,
                             n_unweighted=r.pop_unweighted, flagged=r.flagged,
                             n_missing=max(size - r.pop_unweighted - r.flagged, 0),
                             status=int(e.status)))
    finally:
        lib.socind_prevalence_table_free(handle)
    return pd.DataFrame(rows)


def _prevalence_design(m: int, cols: dict, kept: np.ndarray):
    """The design of the table's m rows, as anthro builds it (nutrition.h):
    the sampling weights (1 without them; a missing one is already 0),
    strata and clusters, cluster ids numbered within their strata, lonely
    PSUs "adjust"; when every child the table keeps (``kept``) has the same
    cluster id, every child its own PSU (anthro then uses ids = ~1). Returns
    (status, handle owner or None)."""
    w = cols.get("sw")
    if w is None:
        w = np.ones(m)
    psu = cols.get("cluster")
    if psu is not None:
        inside = psu[kept]
        if inside.size == 0 or bool(np.all(inside == inside[0])):
            psu = np.arange(m, dtype=np.int64)
    return _new_design(m, w, cols.get("strata"), psu, None, SOCIND_LONELY_ADJUST, True)


def _group_label(kind: int, level: int, cap: int = 64) -> Optional[str]:
    """The library's label of a table group, or None for an unknown
    kind/level (SOCIND_ERR_ARG). The buffer grows to the size the library
    says it needs."""
    needed = ctypes.c_size_t()
    while True:
        buf = ctypes.create_string_buffer(cap)
        st = lib.socind_prevalence_group_label(kind, level, buf, cap, ctypes.byref(needed))
        if st == SOCIND_ERR_BUFFER and needed.value > cap:
            cap = needed.value
            continue
        if st == SOCIND_ERR_ARG:
            return None
        _check(st)
        return buf.value.decode()


_TABLE_GROUPS = (SOCIND_GROUP_ALL, SOCIND_GROUP_AGE, SOCIND_GROUP_SEX, SOCIND_GROUP_AGE_SEX,
                 SOCIND_GROUP_AGE1, SOCIND_GROUP_AGE2, SOCIND_GROUP_AGE2_SEX)


def _standard_group_labels() -> set:
    """Every label the library gives the prevalence table's own rows (All,
    age groups, sex, age + sex; anthroplus's age groups): every group kind
    but the caller's domain."""
    out = set()
    for kind in _TABLE_GROUPS:
        for level in range(32):
            label = _group_label(kind, level)
            if label is not None:
                out.add(label)
    return out


def _prevalence_group_sizes(reference: str, cols: dict, in_months: int, G: int) -> dict:
    """Children per (group kind, level) of the table, as the library groups
    them: the denominators of ``n_missing``.

    Why this exists: the library's prevalence rows report the children used
    (pop_unweighted) and flagged, but not how many children each group has,
    so the binding counts them itself with the library's own rules (anthro's
    age groups from the age in days or months, the sex codes, the caller's
    domains) to say how many rows missing values took out of each group.
    If the library ever reports group sizes, read them instead and drop
    this function."""
    sex = cols["sex"]
    male = np.where(sex == SOCIND_SEX_MALE, 1, np.where(sex == SOCIND_SEX_FEMALE, 0, -1))
    a = cols.get("age")
    out = {}

    def count(kind, codes, levels, level_of=None):
        ok = codes >= 0
        c = np.bincount(codes[ok], minlength=levels)
        for lv in range(levels):
            out[(kind, level_of(lv) if level_of else lv)] = int(c[lv])

    if reference == "who2007":
        keep = (a >= 60.0) & (a <= 228.0)
        a, male = a[keep], male[keep]
        out[(SOCIND_GROUP_ALL, 0)] = int(keep.sum())
        count(SOCIND_GROUP_SEX, male, 2, lambda lv: 2 if lv == 0 else 1)
        age1 = np.where(a >= 228.0, 14, (a - 60.0) // 12.0).astype(np.int64)
        count(SOCIND_GROUP_AGE1, age1, 15)
        ag2 = np.where(a < 120.0, 0, np.where(a < 180.0, 1, 2))
        count(SOCIND_GROUP_AGE2, ag2, 3)
        count(SOCIND_GROUP_AGE2_SEX, np.where(male < 0, -1, 2 * ag2 + male), 6)
    else:
        if a is None:
            a = np.full(sex.shape[0], np.nan)
        with np.errstate(invalid="ignore"):
            ok = a >= 0
            days = np.where(ok, _round_half_up(a * 30.4375 if in_months else a), np.nan)
            months = np.where(ok, a if in_months else a / 30.4375, np.nan)
            keep = ~(days > 1826.0)
        months, male = months[keep], male[keep]
        out[(SOCIND_GROUP_ALL, 0)] = int(keep.sum())
        with np.errstate(invalid="ignore"):
            ag = np.where(np.isnan(months) | (months < 0) | ~(months < 60), -1,
                          np.where(months < 6, 0, np.where(months < 12, 1,
                                                           1 + np.floor(np.nan_to_num(months)
                                                                        / 12.0))))
        ag = ag.astype(np.int64)
        count(SOCIND_GROUP_AGE, ag, 6)
        count(SOCIND_GROUP_SEX, male, 2, lambda lv: 2 if lv == 0 else 1)
        count(SOCIND_GROUP_AGE_SEX, np.where((ag < 0) | (male < 0), -1, 2 * ag + male), 12)
    if G:
        grp = cols["group"][keep]
        count(SOCIND_GROUP_DOMAIN, grp.astype(np.int64), G)
    return out


@_rows_of_sex
def growth_quality(sex: Any, age_days: Any = None, weight_kg: Any = None, lenhei_cm: Any = None,
                   measure: Any = None, oedema: Any = None, age_months: Any = None,
                   invalid: str = "error", sex_codes: Optional[dict] = None,
                   measure_codes: Optional[dict] = None,
                   oedema_codes: Optional[dict] = None) -> dict:
    """The data-quality summary: missing and flagged values per indicator
    (HA, WA, BMI, WH), SD of each z-score, digit preference. Codes as
    :func:`zscores`."""
    _one_age(age_days, age_months)
    _refuse_lone_recodes(measure_codes=(measure_codes, measure, "measure"),
                         oedema_codes=(oedema_codes, oedema, "oedema"))
    _same_index(("sex", sex), ("age_days", age_days), ("age_months", age_months),
                ("weight_kg", weight_kg), ("lenhei_cm", lenhei_cm), ("measure", measure),
                ("oedema", oedema))
    sx = _sex(sex, invalid, sex_codes)
    n = sx.shape[0]
    gi = _init(GrowthInput_t, lib.socind_growth_input_init)
    keep = [sx]
    gi.sex = _ptr(sx, ctypes.c_int32)
    age = age_days if age_days is not None else age_months
    if age is not None:
        a = _f64(age, n, "age_days" if age_days is not None else "age_months")
        keep.append(a)
        gi.age = _ptr(a, ctypes.c_double)
        gi.age_in_months = 0 if age_days is not None else 1
    for name, val, arg in (("weight", weight_kg, "weight_kg"), ("lenhei", lenhei_cm, "lenhei_cm")):
        if val is not None:
            arr = _f64(val, n, arg)
            keep.append(arr)
            setattr(gi, name, _ptr(arr, ctypes.c_double))
    for name, val, table, rec in (("measure", measure, _cv.MEASURE, measure_codes),
                                  ("oedema", oedema, _cv.OEDEMA, oedema_codes)):
        arr = _growth_codes(val, n, table, rec, invalid, name + "_codes")
        if arr is not None:
            keep.append(arr)
            setattr(gi, name, _ptr(arr, ctypes.c_int32))
    q = _init(GrowthQuality_t, lib.socind_growth_quality_init)
    _check(lib.socind_growth_quality_who2006(n, ctypes.byref(gi), ctypes.byref(q)))
    ind = [_IND[k] for k in range(SOCIND_NUT_Z_COUNT)]  # the arrays' order
    return {"n": q.n, "missing": dict(zip(ind, list(q.missing))),
            "flagged": dict(zip(ind, list(q.flagged))), "sd": dict(zip(ind, list(q.sd))),
            "oedema": q.oedema, "sex_missing": q.sex_missing, "age_missing": q.age_missing,
            "lenhei_heaping": q.lenhei_heaping, "weight_heaping": q.weight_heaping,
            "age_heaping": q.age_heaping}
