"""Waiting for MPI with a deadline: how a dead or missing process becomes an error instead of a hang.

Every collective here is started as a non-blocking MPI operation (``Iallreduce``, ``Ibcast``, ...) and
then polled. While it is not complete, the waiting process looks, twice a second, at the processes of
the group that run on its own machine: if one has exited, the wait fails at once, naming that rank.
A process on another machine cannot be seen; if it never arrives, the wait fails when the group's
timeout runs out. After such a failure the job cannot communicate any more (``state.broken``): later
collectives fail at once, and MPI is not finalized at exit (that would wait for the dead process).

``Work`` is what ``async_op=True`` returns: the started operation, waited for by ``wait()``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from glassgrad.distributed import mpi
from glassgrad.distributed.process_group import ProcessGroup, state

_CHECK_EVERY = 0.5  # seconds between looks at the peers
_SPINS = 200  # polls before the wait starts sleeping between polls


def fail(message: str) -> RuntimeError:
    """Record that the job can no longer communicate, and return the error to raise."""
    state.broken = state.broken or message
    return RuntimeError(message)


def check_usable() -> None:
    if state.broken:
        raise RuntimeError(f"the process group can no longer be used after an earlier failure: {state.broken}")


def _has_exited(pid: int) -> bool:
    """True when process ``pid`` (on this machine) is gone or a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
    except OSError:  # no /proc (macOS): ask the kernel whether the process exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False


def dead_peers(group: ProcessGroup) -> list[int]:
    """Global ranks of the group's processes on this machine that have exited."""
    here = state.hosts[group.ranks[group.rank()]] if state.hosts else None
    me = os.getpid()
    return [r for r in group.ranks if state.hosts[r] == here and state.pids[r] != me and _has_exited(state.pids[r])]


def wait_all(requests: list[Any], group: ProcessGroup, what: str, timeout: float | None = None,
             statuses: list[Any] | None = None) -> None:
    """Poll ``requests`` until all are complete (filling ``statuses``, when given, with who sent what);
    fail naming a dead rank, or after the timeout."""
    MPI = mpi.load()  # noqa: N806
    limit = group.timeout if timeout is None else timeout
    start = time.monotonic()
    next_check, spins, nap = start + _CHECK_EVERY, 0, 1e-5
    me = group.ranks[group.rank()]
    while True:
        try:
            if MPI.Request.Testall(requests, statuses):
                return
        except MPI.Exception as error:
            raise fail(f"rank {me}: {what} failed in MPI: {error.Get_error_string()}") from None
        now = time.monotonic()
        if now >= next_check:
            dead = dead_peers(group)
            if dead:
                pids = ", ".join(f"rank {r} (pid {state.pids[r]})" for r in dead)
                raise fail(f"rank {me}: {what} cannot complete: {pids} has exited")
            next_check = now + _CHECK_EVERY
        if now - start >= limit:
            raise fail(f"rank {me}: {what} timed out after {limit:g} s waiting for the other processes of the "
                       f"group (ranks {group.ranks}): a process died on another machine, or did not make the "
                       "same call")
        spins += 1
        if spins > _SPINS:  # yield the CPU: on a busy machine the peer may need it to make progress
            time.sleep(nap)
            nap = min(nap * 2, 1e-3)


class Work:
    """A started collective (torch's ``Work``): ``wait()`` blocks until it is done and returns True.

    ``finish`` runs once, after the wait: it copies results into the caller's tensors (MPI wrote into
    separate buffers) and divides for ``ReduceOp.AVG``.
    """

    def __init__(self, requests: list[Any], group: ProcessGroup, what: str,
                 finish: Callable[[], None] | None = None, result: Any = None) -> None:
        self._requests, self._group, self._what = requests, group, what
        self._finish, self._result, self._done = finish, result, False

    def wait(self, timeout: Any = None) -> bool:
        if not self._done:
            seconds = timeout.total_seconds() if hasattr(timeout, "total_seconds") else timeout
            wait_all(self._requests, self._group, self._what, seconds)
            self._done = True
            if self._finish is not None:
                self._finish()
        return True

    def is_completed(self) -> bool:
        if self._done:
            return True
        MPI = mpi.load()  # noqa: N806
        if self._requests and not MPI.Request.Testall(self._requests):
            return False
        self.wait()
        return True

    def is_success(self) -> bool:
        return self.is_completed()

    def result(self) -> Any:
        self.wait()
        return self._result

    def __repr__(self) -> str:
        return f"Work({self._what}, {'done' if self._done else 'in flight'})"


def completed(group: ProcessGroup, what: str, result: Any = None) -> Work:
    """A Work that is already done (a non-member's call, an operation with nothing to send)."""
    work = Work([], group, what, result=result)
    work._done = True
    return work
