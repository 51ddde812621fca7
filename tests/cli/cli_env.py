# SPDX-License-Identifier: GPL-3.0-or-later
"""How the tests start the socind command: the path from SOCIND_CLI, and an
environment without the sanitizer runtime that the test interpreter itself
may be preloaded with (the command carries its own; SOCIND_CLI_ASAN_OPTIONS,
when set, becomes its ASAN_OPTIONS so its leak checks stay on)."""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.path.abspath(os.environ.get("SOCIND_CLI", str(ROOT / "build" / "cli" / "socind")))
# Set by the sanitizer build's ctest entries: the slowest matrices there take
# fewer cases (each says which); the -Werror build runs them all.
QUICK = bool(os.environ.get("SOCIND_CLI_QUICK"))


def run(*args, expect=0, cwd=None, input=None, timeout=None):
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    if "SOCIND_CLI_ASAN_OPTIONS" in env:
        env["ASAN_OPTIONS"] = env["SOCIND_CLI_ASAN_OPTIONS"]
    p = subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env,
                       input=input, timeout=timeout)
    assert p.returncode == expect, f"exit {p.returncode}, stderr: {p.stderr}"
    return p
