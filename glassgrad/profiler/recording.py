"""The profiler's recorder: the one switch the engine looks at, and the timeline it fills.

The backward walk checks ``recording.active``: None (the usual case) costs it one attribute read;
``Op.apply`` (glassgrad/op.py) is told by ``switch`` (through ``on_switch``) and takes a timed form
only while a profile records, so ops pay nothing otherwise. A ``Recorder`` times each op's forward
and each node's backward into a list of ``Event``s. Ranges nest: an event opened while another is open is its
child, and an event's *self* time is its total time less its children's totals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from glassgrad.profiler.events import Event

active: Recorder | None = None  # the recorder of the profile being recorded, or None
on_switch: list[Callable[[bool], None]] = []  # told True when recording starts, False when it stops (Op.apply)


def switch(recorder: Recorder | None) -> None:
    """Make ``recorder`` the active one (None: stop recording) and tell those listening."""
    global active
    active = recorder
    for listener in on_switch:
        listener(recorder is not None)


class Recorder:
    """Collects the events of one profiling session, in the order they start."""

    def __init__(self, record_shapes: bool = False, profile_memory: bool = False) -> None:
        self.record_shapes, self.profile_memory = record_shapes, profile_memory
        self.events: list[Event] = []
        self.open: list[Event] = []  # the stack of ranges now running, innermost last

    def begin(self, name: str, shapes: list[list[int]] | None = None, kind: str = "cpu_op") -> Event:
        """Open a range now; it becomes a child of the innermost open range."""
        event = Event(name, time.perf_counter_ns() // 1000, kind=kind, input_shapes=shapes or [],
                      thread=threading.get_native_id())
        if self.open:
            self.open[-1].children.append(event)
            event.parent = self.open[-1]
        self.open.append(event)
        self.events.append(event)
        return event

    def end(self, event: Event, memory: int = 0) -> None:
        """Close ``event`` (and any range left open inside it by an exception)."""
        event.end_us = time.perf_counter_ns() // 1000
        event.cpu_memory_usage = memory
        while self.open:
            if self.open.pop() is event:
                break

    def time_call(self, name: str, inputs: Any, run: Callable[[], Any], kind: str = "cpu_op") -> Any:
        """``run()`` timed as one event named ``name``; ``inputs`` (arrays or Tensors) give its shapes."""
        shapes = [list(getattr(x, "shape", ())) for x in inputs] if self.record_shapes else None
        event = self.begin(name, shapes, kind)
        result = None
        try:
            result = run()
            return result
        finally:
            self.end(event, _nbytes(result) if self.profile_memory else 0)


def _nbytes(result: Any) -> int:
    """Bytes of the arrays an op returned (its output Tensor's, or each of a tuple's)."""
    if isinstance(result, tuple | list):
        return sum(_nbytes(r) for r in result)
    array = getattr(result, "array", result)
    return int(getattr(array, "nbytes", 0) or 0)
