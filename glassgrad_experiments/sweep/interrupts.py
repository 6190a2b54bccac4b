"""Ctrl-C during a sweep: the first stops dispatching, the second stops the running runs.

A sweep of hours should not lose the runs in flight because of one key press, nor go on
starting queued runs after it. While :func:`ctrl_c_stops_dispatch` is active (in the main
thread), the first SIGINT only sets :attr:`StopRequest.requested` and says what happens next:
the executors start no new run, and the running ones finish and are kept. A second SIGINT raises
``KeyboardInterrupt`` as usual, and the executors stop the runs still going.

The worker processes ignore SIGINT (:func:`ignore_ctrl_c`, their initializer): a terminal sends
Ctrl-C to the whole process group, and only the sweep's own process decides what it means.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any


class StopRequest:
    """Whether the user asked the sweep to stop starting runs (the first Ctrl-C)."""

    def __init__(self) -> None:
        self.requested = False
        self.stderr = sys.stderr  # the sweep's own: a run in this process sends sys.stderr to its run.log

    def handle_signal(self, signum: int, frame: Any) -> None:
        """The SIGINT handler: the first call sets :attr:`requested`, the second raises KeyboardInterrupt."""
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        with contextlib.suppress(RuntimeError, OSError):  # a handler may interrupt a write to stderr
            self.stderr.write("\nsweep: Ctrl-C: no new runs will start; the running runs finish and are kept "
                             "(press Ctrl-C again to stop them)\n")
            self.stderr.flush()


@contextlib.contextmanager
def ctrl_c_stops_dispatch() -> Iterator[StopRequest]:
    """Within the block, the first Ctrl-C sets ``stop.requested`` instead of raising (main thread only)."""
    stop = StopRequest()
    if threading.current_thread() is not threading.main_thread():  # signal handlers live in the main thread
        yield stop
        return
    previous = signal.signal(signal.SIGINT, stop.handle_signal)
    try:
        yield stop
    finally:
        signal.signal(signal.SIGINT, previous)


def ignore_ctrl_c() -> None:
    """A worker process's initializer: Ctrl-C at the terminal reaches it too, and it leaves it to the sweep."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


__all__ = ["StopRequest", "ctrl_c_stops_dispatch", "ignore_ctrl_c"]
