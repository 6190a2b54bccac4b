"""A sweep killed outright (SIGKILL: no Ctrl-C handling, no cleanup) leaves no worker process behind:
the idle worker and the one in a run both end within seconds (glassgrad_experiments/sweep/parent_watch.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.experiments import sweep_toy

ROOT = Path(__file__).parents[2]
SWEEP = """
import sys
from pathlib import Path

from glassgrad_experiments.sweep import run_sweep
from tests.experiments import sweep_toy

if __name__ == "__main__":
    run_sweep(sweep_toy, {"lr": ["0.05", "0.1"]}, [0], out=Path(sys.argv[1]), jobs=2)
"""

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table in /proc")


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    """Running (an exited process not yet reaped by its new parent counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_killing_the_sweep_ends_its_worker_processes(tmp_path):
    out, script = tmp_path / "sweep", tmp_path / "sweep_main.py"
    script.write_text(SWEEP)
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{sweep_toy.LINGER_AT: "0.1,0"})  # the second run waits
    sweep = subprocess.Popen([sys.executable, str(script), str(out)], env=env, cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started: list[int] = []
    try:
        lingering, finished = out / "lr=0.1__seed=0" / "worker_pid.txt", out / "lr=0.05__seed=0" / "results.json"
        deadline = time.monotonic() + 120
        while not (lingering.exists() and finished.exists()):
            assert sweep.poll() is None, "the sweep ended before its runs started"
            assert time.monotonic() < deadline, "the sweep's runs did not start"
            time.sleep(0.1)
        started = _children(sweep.pid)  # the two workers and multiprocessing's resource tracker
        workers = [pid for pid in started if "spawn_main" in _command_line(pid)]
        assert len(workers) == 2 and int(lingering.read_text()) in workers  # one in its run, one idle
        sweep.kill()
        sweep.wait()
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the killed sweep"
    finally:
        sweep.kill()
        for pid in started:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
