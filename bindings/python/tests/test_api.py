# SPDX-License-Identifier: GPL-3.0-or-later
"""The package's layout over the C headers: group codes (socind.codes), the
named statuses, deff on estimates, the ndpointer argtypes, the
multi-output estimators' parts at the index macros' values."""

import ctypes
import importlib
import math
import os
import re

import numpy as np
import pandas as pd
import pytest

import socind
from socind import _lib, codes, status
from socind.codes import Codes, encode

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def _header_macros(header: str) -> dict:
    """#define NAME value (integers) of include/socind/<header>."""
    text = open(os.path.join(ROOT, "include", "socind", header), encoding="utf-8").read()
    text = re.sub(r"\\\n", " ", text)
    out = {}
    for name, value in re.findall(r"#define\s+(SOCIND_\w+)\s+\(?(-?(?:0x)?[0-9a-fA-F]+)\)?",
                                  text):
        out[name] = int(value, 0)
    return out


# ---------------------------------------------------------------- modules and constants


@pytest.mark.parametrize("header, module", [
    ("common.h", "socind._common"), ("design.h", "socind.design"),
    ("poverty.h", "socind.poverty"), ("inequality.h", "socind.inequality"),
    ("growth.h", "socind.growth"), ("nutrition.h", "socind.nutrition"),
    ("codes.h", "socind.codes")])
def test_each_header_s_macros_are_named_in_its_module(header, module):
    mod = importlib.import_module(module)
    macros = _header_macros(header)
    if header == "common.h":
        mod = {**vars(mod), **vars(status)}
    else:
        mod = vars(mod)
    skip = {"SOCIND_API"}
    wanted = {k: v for k, v in macros.items() if k not in skip and not k.endswith("_H")}
    assert wanted
    missing = sorted(k for k in wanted if k not in mod)
    assert not missing, missing
    assert {k: mod[k] for k in wanted} == wanted


def test_statuses_are_named_on_the_package_and_in_socind_status():
    assert socind.SOCIND_OK == status.SOCIND_OK == 0
    assert socind.SOCIND_ERR_DF == 13 and status.name(13) == "SOCIND_ERR_DF"
    assert len(status.NAMES) == status.SOCIND_STATUS_COUNT
    for code in range(1, status.SOCIND_STATUS_COUNT):
        assert _lib.lib.socind_strerror(code).decode() != "unknown socind status"


def test_no_status_number_is_written_as_a_literal():
    """The binding compares statuses with their names: no `status == 3`,
    `st != 0`, `.status = 12` and the like in its modules."""
    here = os.path.join(ROOT, "bindings", "python", "socind")
    pattern = re.compile(r"\b(?:st|status)\s*(?:==|!=|=)\s*\d+\b|_check\(\d")
    for name in sorted(os.listdir(here)):
        if name.endswith(".py") and name != "status.py":
            text = open(os.path.join(here, name), encoding="utf-8").read()
            assert not pattern.findall(text), (name, pattern.findall(text))


def test_init_only_reexports():
    text = open(os.path.join(ROOT, "bindings", "python", "socind", "__init__.py"),
                encoding="utf-8").read()
    assert "def " not in text and "class " not in text
    for name in socind.__all__:
        assert hasattr(socind, name), name


def test_every_array_argument_is_an_ndpointer():
    """No C function takes a bare POINTER(c_double/c_int32/c_int64/c_uint8)
    argument: arrays pass through ndpointer argtypes."""
    bare = {ctypes.POINTER(t) for t in (ctypes.c_double, ctypes.c_int32, ctypes.c_int64,
                                        ctypes.c_uint8)}
    scalar_out = {"socind_critical_value", "socind_ppp_line", "socind_codes_int64_label",
                  "socind_prop_ci"}
    for name, (_, args) in _lib.PROTOTYPES.items():
        if name in scalar_out:
            continue
        assert not bare & set(args), name


def test_ndpointer_arguments_refuse_wrong_arrays_and_take_none_where_c_takes_null():
    d = socind.Design(np.ones(4))
    out = (socind._common.Estimate_t * 1)()
    o = socind._common._options(0.95, None)
    y = np.array([1.0, 2.0, 3.0, 4.0])
    assert lib_call(d, y, None, out, o) == socind.SOCIND_OK
    with pytest.raises(ctypes.ArgumentError):
        lib_call(d, y.astype(np.float32), None, out, o)   # dtype
    with pytest.raises(ctypes.ArgumentError):
        lib_call(d, np.repeat(y, 2)[::2], None, out, o)   # not contiguous
    with pytest.raises(ctypes.ArgumentError):
        lib_call(d, y, np.zeros(4, dtype=np.int64), out, o)  # group must be int32
    g = np.zeros(4, dtype=np.int32)
    g.setflags(write=False)  # read-only arrays are fine: C only reads them
    assert lib_call(d, y, g, out, o) == socind.SOCIND_OK


def lib_call(d, y, group, out, o):
    return _lib.lib.socind_mean(d._h, y, group, 1, ctypes.byref(o), out)


# ---------------------------------------------------------------- deff, status


def test_estimates_carry_deff_and_status():
    rng = np.random.default_rng(7)
    n = 200
    psu = np.repeat(np.arange(20), 10)
    y = rng.normal(size=20)[psu] + rng.normal(size=n) * 0.3
    d = socind.Design(np.ones(n), psu=psu)
    e = socind.mean(y, d)
    srs = socind.mean(y)
    assert srs.deff == pytest.approx(1.0, rel=1e-12)
    assert e.deff == pytest.approx((e.se / srs.se) ** 2, rel=1e-9)
    assert e.deff > 2  # clustered
    assert e.status == socind.SOCIND_OK
    assert math.isnan(socind.gini(np.abs(y) + 1, d).deff)  # no deff for a Gini
    # not in the by= tables' columns (their columns are fixed)
    t = socind.mean(y, d, by=psu % 2)
    assert list(t.columns) == ["value", "se", "ci_low", "ci_high", "df", "n", "n_missing",
                               "weight_sum", "status"]
    # an empty domain: NaN with its status
    x = np.where(psu % 2 == 0, np.nan, y)
    t = socind.mean(x, d, by=psu % 2)
    assert t.loc[0, "status"] == socind.SOCIND_ERR_EMPTY_DOMAIN


def test_deff_takes_no_part_in_equality():
    a = socind.Estimate(1.0, 0.1, 0.8, 1.2, 10.0, 5, 5.0)
    b = socind.Estimate(1.0, 0.1, 0.8, 1.2, 10.0, 5, 5.0, deff=float("nan"))
    assert a == b and math.isnan(a.deff)


# ---------------------------------------------------------------- multi-output estimators


def test_decompositions_read_their_parts_at_the_index_macros():
    rng = np.random.default_rng(3)
    y = rng.lognormal(size=300)
    g = rng.integers(0, 3, size=300)
    line = float(np.median(y))
    dec = socind.fgt_decomposition(y, line, alpha=2)
    assert dec["fgt0"].value == pytest.approx(socind.fgt(y, line, alpha=0).value, rel=1e-12)
    assert dec["fgt1"].value == pytest.approx(socind.fgt(y, line, alpha=1).value, rel=1e-12)
    assert dec["fgt_alpha"].value == pytest.approx(socind.fgt(y, line, alpha=2).value,
                                                   rel=1e-12)
    assert dec["igr"].value == pytest.approx(dec["fgt1"].value / dec["fgt0"].value, rel=1e-12)
    w = socind.watts_decomposition(y, line)
    assert w["watts"].value == pytest.approx(socind.watts(y, line).value, rel=1e-12)
    assert w["fgt0"].value == pytest.approx(dec["fgt0"].value, rel=1e-12)
    t = socind.watts_decomposition(y, line, by=g)
    for k in range(3):
        assert t.loc[(k, "watts"), "value"] == pytest.approx(socind.watts(y[g == k], line).value,
                                                             rel=1e-12)
    p = socind.poverty_profile(y, line, by=g, alpha=1)
    for k in range(3):
        share = float(np.mean(g == k))
        assert p.loc[k, "share"] == pytest.approx(share, rel=1e-12)
        assert p.loc[k, "fgt"] == pytest.approx(socind.fgt(y[g == k], line, alpha=1).value,
                                                rel=1e-12)
        assert p.loc[k, "contribution"] == pytest.approx(share * p.loc[k, "fgt"], rel=1e-12)
    assert p["contribution"].iloc[1:].sum() == pytest.approx(p.loc["all", "fgt"], rel=1e-12)
    ge = socind.ge_decomposition(y, g, theta=1)
    assert ge["total"].value == pytest.approx(socind.ge(y, 1).value, rel=1e-12)
    assert ge["within"].value + ge["between"].value == pytest.approx(ge["total"].value,
                                                                     rel=1e-12)


# ---------------------------------------------------------------- prevalence design


def test_prevalence_gives_every_child_its_own_psu_when_the_kept_share_one_cluster():
    """anthro uses ids = ~1 when every child the table keeps has one cluster:
    the same figures as a table with a distinct cluster per child (both are
    survey designs), and different from no design at all."""
    rng = np.random.default_rng(11)
    n = 120
    kids = dict(sex=rng.integers(1, 3, size=n), age_days=rng.uniform(0, 1800, size=n),
                weight_kg=rng.uniform(5, 18, size=n), lenhei_cm=rng.uniform(55, 110, size=n),
                sw=rng.uniform(0.5, 2.0, size=n))
    one = socind.prevalence(**kids, cluster=np.full(n, 7))
    own = socind.prevalence(**kids, cluster=np.arange(n))
    pd.testing.assert_frame_equal(one, own)
    # an aged-out child with another cluster does not count
    kids2 = {k: np.append(v, v[:1]) for k, v in kids.items()}
    kids2["age_days"][-1] = 2500.0
    with pytest.warns(socind.DataWarning):
        late = socind.prevalence(**kids2, cluster=np.append(np.full(n, 7), 8))
    pd.testing.assert_frame_equal(late.drop(columns="n_missing"), own.drop(columns="n_missing"))


# ---------------------------------------------------------------- codes


def test_codes_of_integer_labels_follow_their_numeric_order():
    c = Codes(np.array([1606010, -5, 3, 3, 1606010], dtype=np.int64))
    assert c.kind == "int64" and c.count == 3 and len(c) == 3 and c.nrows == 5
    assert c.codes.tolist() == [2, 0, 1, 1, 2]
    assert c.labels == [-5, 3, 1606010]
    assert c.label(2) == 1606010
    assert c.decode([0, -1, 2]) == [-5, None, 1606010]
    big = Codes([np.iinfo(np.int64).min, np.iinfo(np.int64).max, 0])
    assert big.labels == [np.iinfo(np.int64).min, 0, np.iinfo(np.int64).max]


def test_codes_missing_labels_get_minus_one():
    for labels in ([3, None, 1, float("nan")], np.array([3.0, np.nan, 1.0, np.nan]),
                   pd.Series([3, None, 1, None], dtype="Int64")):
        c = Codes(labels)
        assert c.codes.tolist() == [1, -1, 0, -1]
        assert c.labels == [1, 3] and c.nmissing == 2
    c = Codes([None, None])
    assert c.count == 0 and c.codes.tolist() == [-1, -1] and c.labels == []
    assert Codes([]).count == 0 and encode([])[1] == []


def test_codes_of_text_follow_the_byte_order_and_come_back_as_given():
    c = Codes(["Sekayu", "b", "a", "B", "é", None, "Sekayu ", ""])
    assert c.kind == "string"
    assert c.labels == ["", "B", "Sekayu", "Sekayu ", "a", "b", "é"]
    assert c.codes.tolist() == [2, 5, 4, 1, 6, -1, 3, 0]
    assert c.label(6) == "é"
    assert Codes(pd.Series(["x", "y", "x"], dtype="category")).labels == ["x", "y"]
    assert Codes(np.array(["b", "a"])).labels == ["a", "b"]
    assert Codes([b"b", b"a"]).labels == [b"a", b"b"]
    long = "kecamatan " * 100
    assert Codes([long, "a"]).label(1) == long


def test_codes_refuse_what_would_be_read_two_ways():
    with pytest.raises(socind.InputTypeError) as e:
        Codes([1, "1"])
    assert e.value.status == socind.SOCIND_ERR_DATA and e.value.row == 1
    with pytest.raises(socind.InputTypeError) as e:
        Codes([1.5, 2.0])
    assert e.value.row == 0
    with pytest.raises(socind.InputTypeError):
        Codes([True, False])
    with pytest.raises(socind.InputError) as e:
        Codes(["a", "b\0c"])
    assert e.value.row == 1
    with pytest.raises(socind.InputError) as e:
        Codes([2 ** 63, 1])
    assert e.value.status == socind.SOCIND_ERR_RANGE
    with pytest.raises(socind.InputError):
        Codes([1, 2]).label(2)


def test_codes_feed_an_estimator_and_free_their_handle():
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    kec = ["Lais", "Sekayu", "Lais", None, "Sekayu"]
    with Codes(kec) as c:
        g = c.codes
        d = socind.Design(np.ones(5))
        out = (socind._common.Estimate_t * c.count)()
        o = socind._common._options(0.95, None)
        assert _lib.lib.socind_mean(d._h, y, g, c.count, ctypes.byref(o), out) == \
            socind.SOCIND_OK
        assert [out[j].value for j in range(c.count)] == [2.0, 3.5]
        assert dict(zip(c.labels, [out[j].value for j in range(c.count)])) == \
            {"Lais": 2.0, "Sekayu": 3.5}
    with pytest.raises(socind.InputError, match="closed"):
        c.codes
    assert "closed" in repr(c)
    assert codes.SOCIND_CODES_INT64 == 1 and codes.SOCIND_CODES_STRING == 2


def test_codes_whole_floats_are_integer_labels_within_int64():
    assert Codes(np.array([3204.0, 12.0])).labels == [12, 3204]
    with pytest.raises(socind.InputError) as e:
        Codes(np.array([1.0, 2.0 ** 63]))
    assert e.value.status == socind.SOCIND_ERR_RANGE and e.value.row == 1
    with pytest.raises(socind.InputError):
        Codes(np.array([np.inf, 1.0]))


def test_prevalence_names_the_sw_row_the_design_refuses():
    kids = dict(sex=[1, 2, 1, 2], age_days=[100, 200, 300, 400], weight_kg=[5, 6, 7, 8],
                lenhei_cm=[60, 62, 64, 66])
    with pytest.raises(socind.DesignError) as e:
        socind.prevalence(**kids, sw=[1, 1, -1, 1])
    assert e.value.status == socind.SOCIND_ERR_WEIGHT and e.value.row == 2
    assert "sw[2]" in str(e.value)
    # a row without a cluster leaves first: the row is still the caller's
    with pytest.warns(socind.DataWarning), pytest.raises(socind.DesignError) as e:
        socind.prevalence(**kids, sw=[1, 1, -1, 1], cluster=[None, 1, 2, 2])
    assert e.value.row == 2 and "row 2 of the input" in str(e.value)


def test_codes_close_while_another_thread_reads_them():
    """close() lets the handle go; a call in progress keeps it alive."""
    import threading
    c = Codes(np.arange(300_000) % 1000)
    seen = []

    def read():
        while True:
            try:
                seen.append(int(c.codes[-1]))
            except socind.InputError:
                return

    t = threading.Thread(target=read)
    t.start()
    while not seen:
        pass
    c.close()
    c.close()  # twice: nothing freed twice
    t.join()
    assert set(seen) == {999}
    assert "closed" in repr(c)


def test_by_takes_codes_as_their_labels():
    y = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    c = Codes([10, None, 20, 10, None])
    t = socind.mean(y, by=c)
    assert list(t.index) == ["all", 10, 20]
    assert t.loc[10, "value"] == 2.5 and t.loc[20, "value"] == 3.0
    assert t.attrs["by_missing"] == 2
    t2 = socind.mean(y, by=[c, np.array([1, 1, 2, 2, 1])])
    assert t2.loc[(10, 1), "value"] == 1.0


def test_values_a_double_cannot_hold_are_refused_not_rounded():
    for bad in (np.array([2**53 + 1, 0]), np.array([2**64 - 1, 0], dtype=np.uint64),
                pd.Series([2**53 + 1, None], dtype="Int64")):
        with pytest.raises(socind.InputTypeError, match="cannot hold exactly") as e:
            socind.total(bad)
        assert e.value.row == 0
    ld = np.array([1, 1], dtype=np.longdouble)
    ld[1] += np.longdouble(2) ** -60
    if ld[1] != ld[0]:  # long double wider than double here
        with pytest.raises(socind.InputTypeError) as e:
            socind.total(ld)
        assert e.value.row == 1
    # integers a double holds exactly pass, whatever their size
    v = np.array([2**53, 2**60, -2**62, 3], dtype=np.int64)
    assert socind.total(v).value == float(2**53 + 2**60 - 2**62 + 3)


def test_unaligned_arrays_are_read_as_their_aligned_copies():
    n = 500
    s = np.ndarray((n,), np.int64, buffer=bytearray(8 * n + 1), offset=1)
    s[:] = np.arange(n) // 50
    y = np.ndarray((n,), np.float64, buffer=bytearray(8 * n + 1), offset=1)
    y[:] = np.arange(n) * 1.5
    assert not s.flags.aligned and not y.flags.aligned
    d = socind.Design(np.ones(n), strata=s, psu=np.arange(n))
    d2 = socind.Design(np.ones(n), strata=s.copy(), psu=np.arange(n))
    assert socind.mean(y, design=d) == socind.mean(y.copy(), design=d2)
    assert Codes(s).count == 10
