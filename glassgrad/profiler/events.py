"""What the profiler records: one ``Event`` per timed range, and their per-name averages.

Times are in microseconds, as torch's. An event's ``cpu_time_total`` is its wall time from start
to end; ``self_cpu_time_total`` leaves out the time spent in the events nested inside it (an op
inside a ``record_function`` range, a backward node inside the backward pass)::

    self = total - sum(child.total for child in children)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class Event:
    """One timed range: an op's forward, a node's backward, or a ``record_function`` block."""

    name: str
    start_us: int
    end_us: int = 0
    kind: str = "cpu_op"  # "cpu_op", "backward" or "user_annotation" (a record_function range)
    input_shapes: list[list[int]] = field(default_factory=list)
    thread: int = 0
    cpu_memory_usage: int = 0  # bytes of the outputs (profile_memory=True)
    children: list[Event] = field(default_factory=list)
    parent: Event | None = None

    @property
    def key(self) -> str:
        return self.name

    @property
    def cpu_time_total(self) -> int:
        return self.end_us - self.start_us

    @property
    def self_cpu_time_total(self) -> int:
        return self.cpu_time_total - sum(child.cpu_time_total for child in self.children)

    @property
    def self_cpu_memory_usage(self) -> int:
        return self.cpu_memory_usage

    @property
    def count(self) -> int:
        return 1

    @property
    def is_user_annotation(self) -> bool:
        return self.kind == "user_annotation"

    def __repr__(self) -> str:
        return f"<Event {self.name} total={self.cpu_time_total}us self={self.self_cpu_time_total}us>"


@dataclass
class EventAverage:
    """The events of one name (and, when grouped so, one list of input shapes) added up."""

    key: str
    input_shapes: list[list[int]] = field(default_factory=list)
    count: int = 0
    cpu_time_total: int = 0
    self_cpu_time_total: int = 0
    cpu_memory_usage: int = 0
    self_cpu_memory_usage: int = 0
    is_user_annotation: bool = False

    def add(self, event: Any) -> EventAverage:
        self.count += event.count
        self.cpu_time_total += event.cpu_time_total
        self.self_cpu_time_total += event.self_cpu_time_total
        self.cpu_memory_usage += event.cpu_memory_usage
        self.self_cpu_memory_usage += event.self_cpu_memory_usage
        self.is_user_annotation = self.is_user_annotation or event.is_user_annotation
        return self

    @property
    def cpu_time(self) -> float:
        """Average total time per call (microseconds)."""
        return self.cpu_time_total / self.count if self.count else 0.0

    def __repr__(self) -> str:
        return (f"<EventAverage {self.key} count={self.count} total={self.cpu_time_total}us "
                f"self={self.self_cpu_time_total}us>")
