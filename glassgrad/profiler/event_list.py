"""A list of profiler events, with torch's summaries: ``key_averages``, ``table``, a Chrome trace."""

from __future__ import annotations

import json
import os
from typing import Any

from glassgrad.profiler.events import EventAverage
from glassgrad.profiler.table import format_table


class EventList(list):
    """Events (or their averages) in order, as ``prof.events()`` and ``prof.key_averages()`` give them."""

    def key_averages(self, group_by_input_shape: bool = False) -> EventList:
        """One ``EventAverage`` per op name (and per input shapes, when grouped so), first seen first."""
        averages: dict[tuple[str, str], EventAverage] = {}
        for event in self:
            shapes = event.input_shapes if group_by_input_shape else []
            key = (event.key, str(shapes))
            if key not in averages:
                averages[key] = EventAverage(event.key, shapes)
            averages[key].add(event)
        return EventList(averages.values())

    def total_average(self) -> EventAverage:
        """Every event added into one, named "Total"."""
        total = EventAverage("Total")
        for event in self:
            total.add(event)
        return total

    @property
    def self_cpu_time_total(self) -> int:
        """Microseconds: the sum of every event's self time (the time the recorded code took)."""
        return sum(event.self_cpu_time_total for event in self)

    def table(self, sort_by: str | None = None, row_limit: int = 100, max_src_column_width: int = 75,
              max_name_column_width: int = 55, max_shapes_column_width: int = 80, header: str | None = None,
              top_level_events_only: bool = False, time_unit: str | None = None) -> str:
        """The events as a text table, sorted by one of their attributes, largest first
        (``"cpu_time_total"``, ``"self_cpu_time_total"``, ``"count"``, ``"cpu_memory_usage"``, ...).
        torch's arguments; no source column is printed, shapes are not cut, times pick their unit."""
        rows = [e for e in self if not top_level_events_only or getattr(e, "parent", None) is None]
        if sort_by is not None:
            if rows and not hasattr(rows[0], sort_by):
                raise AttributeError(f"table: events have no attribute {sort_by!r} to sort by")
            rows = sorted(rows, key=lambda e: getattr(e, sort_by), reverse=True)
        return format_table(rows[:row_limit], self.self_cpu_time_total, max_name_column_width, header)

    def export_chrome_trace(self, path: str | os.PathLike[str]) -> None:
        """Write the events as a Chrome trace (open it at chrome://tracing or ui.perfetto.dev)."""
        write_chrome_trace(self, path)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        raise RuntimeError("export_stacks: glassgrad's profiler records no Python stacks (with_stack is not "
                           "supported); use export_chrome_trace or key_averages().table()")


def write_chrome_trace(events: list[Any], path: str | os.PathLike[str]) -> None:
    """One complete ("X") trace event per recorded range, in Chrome's trace-event JSON format."""
    trace = [{"name": e.name, "ph": "X", "cat": e.kind, "ts": e.start_us, "dur": e.cpu_time_total,
              "pid": os.getpid(), "tid": e.thread, "args": {"Input Dims": e.input_shapes}} for e in events]
    with open(path, "w") as file:
        json.dump({"traceEvents": trace, "displayTimeUnit": "ms"}, file)
