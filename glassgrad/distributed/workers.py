"""Starting a node's worker processes, watching them, and stopping them all when one fails.

Each worker is started in a session of its own, so a stop reaches whatever it started in turn
(DataLoader workers). A worker also receives SIGKILL should the launcher itself die (Linux's
parent-death signal), so killing the launcher leaves nothing behind either.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

STOP_GRACE = 5.0  # seconds between SIGTERM and SIGKILL when stopping the others


@dataclass
class Worker:
    rank: int
    local_rank: int
    process: subprocess.Popen


@dataclass
class Failure:
    """The first worker that failed: its ranks, process id and how it ended."""

    rank: int
    local_rank: int
    pid: int
    returncode: int

    def describe(self) -> str:
        code = self.returncode
        how = f"was killed by signal {signal.Signals(-code).name}" if code < 0 else f"exited with code {code}"
        return f"rank {self.rank} (local_rank {self.local_rank}, pid {self.pid}) {how}"


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGKILL it when the launcher dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(command: list[str], environments: list[tuple[int, int, dict[str, str]]]) -> list[Worker]:
    """Start one process per (rank, local_rank, environment)."""
    workers = []
    for rank, local_rank, env in environments:
        process = subprocess.Popen(command, env=env, start_new_session=True,
                                   preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        workers.append(Worker(rank, local_rank, process))
    return workers


def signal_all(workers: list[Worker], signum: int) -> None:
    for worker in workers:
        if worker.process.poll() is None:
            try:
                os.killpg(worker.process.pid, signum)
            except (ProcessLookupError, PermissionError):
                pass


def stop(workers: list[Worker], grace: float = STOP_GRACE) -> None:
    """SIGTERM every worker still running, then SIGKILL those still there after ``grace`` seconds; and reap."""
    signal_all(workers, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while any(w.process.poll() is None for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    signal_all(workers, signal.SIGKILL)
    for worker in workers:
        worker.process.wait()
        try:  # the worker's own children (its session), if any outlived it
            os.killpg(worker.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def watch(workers: list[Worker], poll: float = 0.05) -> Failure | None:
    """Wait until every worker has exited successfully (None), or one has failed (that Failure);
    in the second case the others are stopped before returning."""
    while True:
        running = False
        for worker in workers:
            code = worker.process.poll()
            if code is None:
                running = True
            elif code != 0:
                failure = Failure(worker.rank, worker.local_rank, worker.process.pid, code)
                stop(workers)
                return failure
        if not running:
            return None
        time.sleep(poll)
