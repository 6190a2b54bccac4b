"""When a long run is profiled step by step: ``schedule`` and the trace handler.

``schedule(wait=1, warmup=1, active=3, repeat=2)`` tells ``profile.step()`` what to do at each
step: skip ``skip_first`` steps once, then cycles of ``wait`` steps not recorded, ``warmup``
steps not recorded either (torch warms its tracer up there; glassgrad needs no warm-up), and
``active`` steps recorded, the last of which saves the cycle (``on_trace_ready`` is called);
``repeat`` cycles (0: for as long as the run goes).

``warmup=0`` is allowed but warns, with torch's text and category (UserWarning): in torch the
first recorded steps then carry the tracer's start-up cost. glassgrad has no such cost, but a
program that filters or expects torch's warning sees the same one here.
"""

from __future__ import annotations

import os
import socket
import time
import warnings
from collections.abc import Callable
from enum import Enum
from typing import Any

NO_WARMUP_WARNING = "Profiler won't be using warmup, this can skew profiler results"  # torch's text


class ProfilerAction(Enum):
    NONE = 0
    WARMUP = 1
    RECORD = 2
    RECORD_AND_SAVE = 3


class ProfilerActivity(Enum):
    CPU = 0
    CUDA = 1
    XPU = 2
    MTIA = 3


def schedule(*, wait: int, warmup: int, active: int, repeat: int = 0, skip_first: int = 0,
             skip_first_wait: int = 0) -> Callable[[int], ProfilerAction]:
    """The action for each step number, as described in the module docstring; ``skip_first_wait``
    non-zero leaves out the first cycle's ``wait`` steps (the later cycles keep theirs)."""
    if wait < 0 or warmup < 0 or active <= 0 or repeat < 0 or skip_first < 0:
        raise AssertionError(f"Invalid profiler schedule arguments. Got wait={wait} (need >= 0), warmup={warmup} "
                             f"(need >= 0), active={active} (need > 0), repeat={repeat} (need >= 0), "
                             f"skip_first={skip_first} (need >= 0).")
    if warmup == 0:
        warnings.warn(NO_WARMUP_WARNING, UserWarning, stacklevel=2)
    cycle = wait + warmup + active

    def action(step: int) -> ProfilerAction:
        if step < 0:
            raise AssertionError(f"Step must be non-negative. Got {step}.")  # torch's error
        if step < skip_first:
            return ProfilerAction.NONE
        step -= skip_first
        if skip_first_wait:  # start the count inside the first cycle, after its wait
            step += wait
        if repeat > 0 and step // cycle >= repeat:
            return ProfilerAction.NONE
        position = step % cycle
        if position < wait:
            return ProfilerAction.NONE
        if position < wait + warmup:
            return ProfilerAction.WARMUP
        return ProfilerAction.RECORD_AND_SAVE if position == cycle - 1 else ProfilerAction.RECORD

    return action


def tensorboard_trace_handler(dir_name: str, worker_name: str | None = None,
                              use_gzip: bool = False) -> Callable[[Any], None]:
    """An ``on_trace_ready`` that writes each saved cycle as ``dir_name/<worker>.<time>.pt.trace.json``
    (``.gz`` with ``use_gzip``), where TensorBoard's profiler plugin and Perfetto look for them."""

    def handler(prof: Any) -> None:
        os.makedirs(dir_name, exist_ok=True)
        name = worker_name or f"{socket.gethostname()}_{os.getpid()}"
        path = os.path.join(dir_name, f"{name}.{time.time_ns()}.pt.trace.json")
        if use_gzip:
            import gzip
            import tempfile

            with tempfile.TemporaryDirectory() as folder:
                plain = os.path.join(folder, "trace.json")
                prof.export_chrome_trace(plain)
                with open(plain, "rb") as source, gzip.open(path + ".gz", "wb") as target:
                    target.write(source.read())
        else:
            prof.export_chrome_trace(path)

    return handler
