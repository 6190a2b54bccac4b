"""glassgrad/allocator.py: glibc's malloc settings, applied once at import, and the ways to opt out."""

from __future__ import annotations

import subprocess
import sys

import pytest

from glassgrad import allocator

GLIBC = allocator._glibc()


def _tuned_in_a_fresh_process(env_extra: dict[str, str]) -> str:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    env.pop("GLASSGRAD_MALLOC", None)
    env.update(env_extra)
    done = subprocess.run([sys.executable, "-c", "import glassgrad; print(glassgrad.allocator.tuned())"],
                          capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


@pytest.mark.skipif(not GLIBC, reason="glibc only")
def test_import_tunes_glibc():
    assert _tuned_in_a_fresh_process({}) == "True"


def test_opt_outs_leave_malloc_alone():
    assert _tuned_in_a_fresh_process({"GLASSGRAD_MALLOC": "system"}) == "False"
    assert _tuned_in_a_fresh_process({"MALLOC_ARENA_MAX": "2"}) == "False"  # the user's own glibc settings win
    assert _tuned_in_a_fresh_process({"GLIBC_TUNABLES": "glibc.malloc.trim_threshold=0"}) == "False"
