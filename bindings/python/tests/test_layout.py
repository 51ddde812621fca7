# SPDX-License-Identifier: GPL-3.0-or-later
"""The binding's ctypes Structures against the C compiler's layout.

tests/abi/struct_layout.c prints every public struct's size and field
offsets as JSON. SOCIND_STRUCT_LAYOUT names the built program (the build's
tests/struct_layout); without it the program is compiled here with `cc`
(include/ of the repository and the include/ of the build directory that
SOCIND_LIBRARY — or the library loaded — lies in, where version.h is
generated). When neither works the tests fail, saying why: they never skip.

Every ctypes Structure the binding declares must be in the JSON with the
same size and alignment and the same fields (name, offset, size) in the
same order. The structs with a C _init function are also checked against
it: the size it writes into the size field, and the defaults it writes,
read at the binding's offsets."""

import ctypes
import importlib
import json
import math
import os
import shutil
import subprocess

import pytest

import socind
from socind import _common, _lib, codes, design, growth, inequality, nutrition, poverty, state

# the module (socind.targeting, the name, is its function)
_targeting_module = importlib.import_module("socind.targeting")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SOURCE = os.path.join(ROOT, "tests", "abi", "struct_layout.c")
MODULES = (_common, design, poverty, inequality, growth, nutrition, codes, state,
           _targeting_module)


def _program(tmp_dir: str) -> str:
    env = os.environ.get("SOCIND_STRUCT_LAYOUT")
    if env:
        if not os.access(env, os.X_OK):
            pytest.fail(f"SOCIND_STRUCT_LAYOUT={env} is not an executable file (build the "
                        "target struct_layout: build/tests/struct_layout)")
        return env
    cc = shutil.which("cc")
    library = os.environ.get("SOCIND_LIBRARY") or _lib.LIBRARY_PATH
    build_include = os.path.join(os.path.dirname(os.path.realpath(library)), "include")
    why = []
    if cc is None:
        why.append("no `cc` on PATH")
    if not os.path.exists(os.path.join(build_include, "socind", "version.h")):
        why.append(f"no generated socind/version.h under {build_include} (the include/ of "
                   f"the build directory of {library})")
    if not os.path.exists(SOURCE):
        why.append(f"no {SOURCE}")
    if why:
        pytest.fail("cannot get the struct layout: SOCIND_STRUCT_LAYOUT is not set and "
                    "tests/abi/struct_layout.c cannot be compiled here (" + "; ".join(why) +
                    "); set SOCIND_STRUCT_LAYOUT to the built build/tests/struct_layout")
    exe = os.path.join(tmp_dir, "struct_layout")
    res = subprocess.run([cc, "-std=c11", "-I", os.path.join(ROOT, "include"), "-I",
                          build_include, SOURCE, "-o", exe], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.fail(f"compiling {SOURCE} failed (set SOCIND_STRUCT_LAYOUT to the built "
                    f"program instead):\n{res.stderr}")
    return exe


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    exe = _program(str(tmp_path_factory.mktemp("layout")))
    res = subprocess.run([exe], capture_output=True, text=True)
    if res.returncode != 0:
        pytest.fail(f"{exe} exited with {res.returncode}: {res.stderr}")
    data = json.loads(res.stdout)
    assert data["abi_version"] == _lib.ABI_VERSION
    return {s["name"]: s for s in data["structs"]}


def _binding_structs() -> dict:
    """C name → every ctypes Structure the binding declares."""
    out = {}
    for mod in MODULES:
        for obj in vars(mod).values():
            if isinstance(obj, type) and issubclass(obj, ctypes.Structure) and \
                    obj.__module__ == mod.__name__:
                name = getattr(obj, "_c_name", None)
                assert name, f"{mod.__name__}.{obj.__name__} does not say which C struct it is"
                assert name not in out, f"{name} is declared twice"
                out[name] = obj
    return out


STRUCTS = _binding_structs()


def _fields(cls) -> list:
    """(name, offset, size) of each field of a ctypes Structure."""
    out = []
    for f in cls._fields_:
        d = getattr(cls, f[0])
        out.append((f[0], d.offset, d.size))
    return out


def test_the_binding_declares_the_structs_it_uses():
    assert set(STRUCTS) >= {
        "socind_estimate", "socind_options", "socind_design_options", "socind_poverty_line",
        "socind_growth_input", "socind_growth_output", "socind_growth_child_input",
        "socind_growth_child_output", "socind_growth2007_input", "socind_growth2007_output",
        "socind_prevalence_row", "socind_growth_quality", "socind_state_spec", "socind_chunk"}


def test_every_struct_the_binding_declares_matches_the_layout(layout):
    errors = []
    for name, cls in sorted(STRUCTS.items()):
        s = layout.get(name)
        if s is None:
            errors.append(f"{name}: declared by the binding, not printed by "
                          "tests/abi/struct_layout.c")
            continue
        if ctypes.sizeof(cls) != s["size"]:
            errors.append(f"{name}: size {ctypes.sizeof(cls)} in the binding, {s['size']} in C")
        if ctypes.alignment(cls) != s["align"]:
            errors.append(f"{name}: alignment {ctypes.alignment(cls)} in the binding, "
                          f"{s['align']} in C")
        mine = _fields(cls)
        theirs = [(f["name"], f["offset"], f["size"]) for f in s["fields"]]
        if mine != theirs:
            errors.append(f"{name}: fields (name, offset, size) in the binding {mine}, in C "
                          f"{theirs}")
    assert not errors, "\n".join(errors)


_INIT = {
    "socind_options": "socind_options_init",
    "socind_design_options": "socind_design_options_init",
    "socind_poverty_line": "socind_poverty_line_init",
    "socind_growth_input": "socind_growth_input_init",
    "socind_growth_output": "socind_growth_output_init",
    "socind_growth_child_input": "socind_growth_child_input_init",
    "socind_growth_child_output": "socind_growth_child_output_init",
    "socind_growth2007_input": "socind_growth2007_input_init",
    "socind_growth2007_output": "socind_growth2007_output_init",
    "socind_prevalence_row": "socind_prevalence_row_init",
    "socind_growth_quality": "socind_growth_quality_init",
    "socind_state_spec": "socind_state_spec_init",
    "socind_chunk": "socind_chunk_init",
}


def _init_into(name: str):
    """The struct as its C _init function fills it, read through the
    binding's declaration from a buffer larger than any version of it."""
    buf = ctypes.create_string_buffer(b"\xa5" * 4096, 4096)
    fn = getattr(_lib.lib, _INIT[name])
    assert fn(ctypes.cast(buf, fn.argtypes[0])) == socind.SOCIND_OK
    return STRUCTS[name].from_buffer(buf)


@pytest.mark.parametrize("name", sorted(_INIT))
def test_the_size_an_init_function_writes_is_the_binding_s(name):
    s = _init_into(name)
    assert s.size == ctypes.sizeof(STRUCTS[name]), name


def test_init_defaults_land_on_the_binding_s_fields():
    ci = _init_into("socind_growth_child_input")
    assert (ci.sex, ci.age_in_months, ci.measure, ci.oedema) == (-1, 0, -1, -1)
    assert all(math.isnan(v) for v in (ci.age, ci.weight, ci.lenhei, ci.headc, ci.armc,
                                        ci.triskin, ci.subskin))
    co = _init_into("socind_growth_child_output")
    assert all(math.isnan(v) for v in co.z) and list(co.flag) == [-1] * growth.SOCIND_Z_COUNT
    assert (co.reason, co.cmeasure, co.c9mo_flag, co.reserved) == (0, -1, 0, 0)
    assert math.isnan(co.clenhei) and math.isnan(co.cbmi)
    for name in ("socind_growth2007_input", "socind_growth2007_output",
                 "socind_growth_input"):
        s = _init_into(name)
        fields = [f for f, _ in s._fields_[1:] if f != "threads"]
        assert all(not getattr(s, f) for f in fields), name  # every pointer (and reserved) 0
        if name.endswith("input"):
            assert s.threads == 1, name  # the library starts no thread unasked
    row = _init_into("socind_prevalence_row")
    assert (row.group_kind, row.group_level, row.indicator, row.statistic) == (-1, -1, -1, -1)
    assert (row.pop_unweighted, row.flagged) == (0, 0) and math.isnan(row.stdev)
    assert math.isnan(row.est.value) and row.est.status == socind.SOCIND_ERR_EMPTY_DOMAIN
    line = _init_into("socind_poverty_line")
    assert (line.type, line.inclusive, line.quantile) == (poverty.SOCIND_LINE_ABSOLUTE, 0, 0.5)
    opts = _init_into("socind_options")
    assert (opts.level, opts.ci_dist, opts.prop_ci) == (0.95, _common.SOCIND_CI_T,
                                                        _common.SOCIND_PROP_CI_LOGIT)
    assert opts.domain_rule == _common.SOCIND_DOMAIN_RULE_AUTO
    sp = _init_into("socind_state_spec")
    assert (sp.estimator, sp.n_groups, sp.has_strata, sp.has_psu, sp.has_fpc, sp.nest,
            sp.inclusive) == (0, 0, 0, 0, 0, 0, 0)
    assert (sp.lonely_psu, sp.nonpositive, sp.line_type) == (
        design.SOCIND_LONELY_FAIL, _common.SOCIND_NONPOS_ERROR, poverty.SOCIND_LINE_ABSOLUTE)
    assert math.isnan(sp.line) and math.isnan(sp.alpha)
    ch = _init_into("socind_chunk")
    assert (ch.n, ch.first_row) == (0, 0)
    assert all(not getattr(ch, f) for f, _ in ch._fields_[3:])  # every pointer NULL
