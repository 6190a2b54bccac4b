"""A sweep's worker processes end when the sweep's own process is gone.

A worker of ``--jobs N`` waits for its next run on a pipe from the sweep's process. When that
process is killed (SIGKILL, out of memory) nothing closes the pipe for the worker: it holds both
ends itself, so it would wait forever, an idle Python process per core. The DataLoader's workers
solve the same problem by checking, while they wait, that their parent is still the process that
started them (``os.getppid()``: once the parent dies, the worker is handed to another process,
init or a "subreaper"). A sweep worker waits inside ``concurrent.futures``, so a small daemon
thread does that check every second and ends the worker when the answer is no; a run in
progress ends with it (nobody is left to record its outcome, and the same sweep command runs it
again).
"""

from __future__ import annotations

import os
import threading
import time

POLL_SECONDS = 1.0
ORPHAN_EXIT_CODE = 1


def exit_with_parent(parent_pid: int, poll: float = POLL_SECONDS) -> threading.Thread:
    """Start a daemon thread that ends this process (``os._exit``) once ``parent_pid`` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(poll)
        os._exit(ORPHAN_EXIT_CODE)  # at once: no atexit work for a sweep that no longer exists

    thread = threading.Thread(target=watch, name="sweep-parent-watch", daemon=True)
    thread.start()
    return thread


__all__ = ["exit_with_parent"]
