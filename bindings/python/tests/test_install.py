# SPDX-License-Identifier: GPL-3.0-or-later
"""`cmake --install` puts the Python package next to the library, and the
installed `import socind` finds the installed library with no environment
variable — also after the prefix has moved.

The build tree installed is the one SOCIND_BUILD_DIR names or SOCIND_LIBRARY
points into, when it is configured with the Python install rules; it is only
installed from (`cmake --install` into a temporary prefix), never configured
or built again. Otherwise a fresh tree is configured and built in the test's
temporary directory. Nothing is skipped: without cmake the test fails."""

import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def cache_value(build, key):
    with open(os.path.join(build, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith(key + ":"):
                return line.split("=", 1)[1].strip()
    return None


def read(path):
    return open(path).read() if os.path.exists(path) else ""


def build_tree(tmp_path, cmake):
    """A build tree of this repository with the library built and the Python
    install rules: the caller's, used as it is, or a fresh one in tmp_path."""
    candidates = [os.environ.get("SOCIND_BUILD_DIR")]
    if os.environ.get("SOCIND_LIBRARY"):
        candidates.append(os.path.dirname(os.path.realpath(os.environ["SOCIND_LIBRARY"])))
    for build in filter(None, candidates):
        if os.path.exists(os.path.join(build, "CMakeCache.txt")) and \
                os.path.realpath(cache_value(build, "CMAKE_HOME_DIRECTORY") or "") == ROOT and \
                "_installed.py" in read(os.path.join(build, "cmake_install.cmake")):
            return build
    build = str(tmp_path / "build")
    subprocess.run([cmake, "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release",
                    "-DSOCIND_BUILD_TESTS=OFF", "-DSOCIND_BUILD_BENCH=OFF",
                    "-DSOCIND_BUILD_CLI=OFF"], check=True, capture_output=True)
    subprocess.run([cmake, "--build", build, "-j2"], check=True, capture_output=True)
    return build


PROBE = ("import socind, socind._lib as l; print(l.LIBRARY_PATH); print(socind.__file__); "
         "print(socind.mean([1.0, 2.0, 6.0]).value)")


def probe(site, cwd):
    env = {k: v for k, v in os.environ.items() if k not in ("SOCIND_LIBRARY", "PYTHONPATH")}
    env["PYTHONPATH"] = site
    res = subprocess.run([sys.executable, "-c", PROBE], cwd=cwd, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    return res.stdout.split("\n")[:3]


def test_installed_package_finds_the_installed_library(tmp_path):
    cmake = shutil.which("cmake")
    assert cmake, "cmake is needed to test the installed package"
    build = build_tree(tmp_path, cmake)
    prefix = tmp_path / "prefix"
    res = subprocess.run([cmake, "--install", build, "--prefix", str(prefix)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    pydir = cache_value(build, "SOCIND_PYTHON_INSTALL_DIR") or "lib/python3/site-packages"
    site = os.path.join(str(prefix), pydir)
    assert os.path.exists(os.path.join(site, "socind", "_installed.py"))
    lib, pkg, value = probe(site, str(tmp_path))
    assert os.path.realpath(lib).startswith(os.path.realpath(str(prefix)) + os.sep), lib
    assert os.path.realpath(pkg).startswith(os.path.realpath(site)), pkg
    assert float(value) == pytest.approx(3.0)
    # the prefix moves: the recorded path is relative to the package
    moved = tmp_path / "elsewhere"
    os.rename(prefix, moved)
    site = os.path.join(str(moved), pydir)
    lib, pkg, value = probe(site, str(tmp_path))
    assert os.path.realpath(lib).startswith(os.path.realpath(str(moved)) + os.sep), lib
    assert float(value) == pytest.approx(3.0)


def test_the_callers_build_tree_is_only_installed_from(tmp_path, monkeypatch):
    """A build tree configured before the Python install rules was configured
    again in place (cmake BUILD): the test changed the caller's tree. Such a
    tree is now left alone and a fresh one is built in the test's directory."""
    stale = tmp_path / "stale"
    stale.mkdir()
    (stale / "CMakeCache.txt").write_text(f"CMAKE_HOME_DIRECTORY:INTERNAL={ROOT}\n")
    (stale / "cmake_install.cmake").write_text("# no Python package here\n")
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: calls.append(list(args)))
    monkeypatch.setenv("SOCIND_BUILD_DIR", str(stale))
    monkeypatch.delenv("SOCIND_LIBRARY", raising=False)
    fresh = build_tree(tmp_path / "t", "cmake")
    assert calls and not any(str(stale) in " ".join(c) for c in calls), calls
    assert os.path.realpath(fresh).startswith(os.path.realpath(str(tmp_path / "t")))
    # a tree that installs the package is used as it is: no cmake run at all
    (stale / "cmake_install.cmake").write_text("# socind/_installed.py\n")
    calls.clear()
    assert build_tree(tmp_path / "u", "cmake") == str(stale) and calls == []
