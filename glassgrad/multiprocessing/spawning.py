"""``spawn(fn, args, nprocs)``: start ``nprocs`` processes running ``fn(i, *args)`` and wait for them (torch's).

If a process raises, the others are terminated and the parent raises ``ProcessRaisedException`` with
the child's traceback; if one dies from a signal or exits non-zero, ``ProcessExitedException``.
With ``join=False`` the ``ProcessContext`` is returned; ``context.join()`` waits.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import sys
import traceback
from collections.abc import Callable
from typing import Any


class ProcessException(Exception):
    def __init__(self, msg: str, error_index: int, pid: int) -> None:
        super().__init__(msg)
        self.msg, self.error_index, self.pid = msg, error_index, pid


class ProcessRaisedException(ProcessException):
    """A spawned process raised; the message holds its traceback."""


class ProcessExitedException(ProcessException):
    """A spawned process exited with a non-zero code or was killed by a signal."""

    def __init__(self, msg: str, error_index: int, error_pid: int, exit_code: int, signal_name: str | None = None):
        super().__init__(msg, error_index, error_pid)
        self.exit_code, self.signal_name = exit_code, signal_name


def _wrap(fn: Callable[..., Any], index: int, args: tuple, errors: Any) -> None:
    try:
        fn(index, *args)
    except KeyboardInterrupt:
        pass
    except Exception:  # noqa: BLE001 (every error goes back to the parent)
        errors.put(traceback.format_exc())
        sys.exit(1)


class ProcessContext:
    """The processes of one ``spawn`` and the queues their errors come back on."""

    def __init__(self, processes: list[Any], error_queues: list[Any]) -> None:
        self.processes, self.error_queues = processes, error_queues

    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the processes; True when all exited successfully, False while some still run
        (after ``timeout``). Raises as soon as one fails, after terminating the others."""
        waiting = {p.sentinel: i for i, p in enumerate(self.processes) if p.exitcode is None}
        for sentinel in multiprocessing.connection.wait(list(waiting), timeout=timeout) if waiting else []:
            self.processes[waiting[sentinel]].join()
        failed = next((i for i, p in enumerate(self.processes) if p.exitcode not in (None, 0)), None)
        if failed is None:
            return all(p.exitcode is not None for p in self.processes)
        for p in self.processes:
            if p.is_alive():
                p.terminate()
            p.join()
        process, queue = self.processes[failed], self.error_queues[failed]
        if not queue.empty():
            raise ProcessRaisedException(f"\n\n-- Process {failed} terminated with the following error:\n"
                                         f"{queue.get()}", failed, process.pid)
        code = process.exitcode
        if code < 0:
            import signal

            name = signal.Signals(-code).name
            raise ProcessExitedException(f"process {failed} terminated with signal {name}", failed, process.pid,
                                         code, name)
        raise ProcessExitedException(f"process {failed} terminated with exit code {code}", failed, process.pid, code)


def start_processes(fn: Callable[..., Any], args: tuple = (), nprocs: int = 1, join: bool = True,
                    daemon: bool = False, start_method: str = "spawn") -> ProcessContext | None:
    context = multiprocessing.get_context(start_method)
    processes, queues = [], []
    for index in range(nprocs):
        errors = context.SimpleQueue()
        process = context.Process(target=_wrap, args=(fn, index, args, errors), daemon=daemon)
        process.start()
        processes.append(process)
        queues.append(errors)
    result = ProcessContext(processes, queues)
    if not join:
        return result
    while not result.join():
        pass
    return None


def spawn(fn: Callable[..., Any], args: tuple = (), nprocs: int = 1, join: bool = True, daemon: bool = False,
          start_method: str = "spawn") -> ProcessContext | None:
    """Run ``fn(i, *args)`` for i in 0 .. nprocs-1, each in a new process (see the module docstring)."""
    return start_processes(fn, args, nprocs, join, daemon, start_method)
