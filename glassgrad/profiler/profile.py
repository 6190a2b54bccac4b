"""``profile``: record where a block of code spends its time, op by op, forward and backward.

    with glassgrad.profiler.profile(record_shapes=True) as prof:
        loss = model(x).sum()
        loss.backward()
    print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=10))
    prof.export_chrome_trace("step.json")

Each op's forward is one event named after its op class (``MatMul``), each node's backward one
event named ``<Op>Backward`` inside the ``backward`` range of the pass that ran it; blocks named
with ``record_function`` are events too. Times are wall-clock microseconds on this thread; the
profiler's own cost (two clock reads and an append per op) is inside the totals, so compare
profiles with each other, and time code without one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from glassgrad.profiler import recording
from glassgrad.profiler.event_list import EventList
from glassgrad.profiler.schedule import ProfilerAction, ProfilerActivity


class profile:  # noqa: N801 - torch's name
    """``torch.profiler.profile``: a context manager (or ``start()``/``stop()``), with an optional
    ``schedule`` that ``step()`` follows and an ``on_trace_ready`` called with each saved cycle."""

    def __init__(self, *, activities: Iterable[ProfilerActivity] | None = None,
                 schedule: Callable[[int], ProfilerAction] | None = None,
                 on_trace_ready: Callable[[profile], Any] | None = None, record_shapes: bool = False,
                 profile_memory: bool = False, with_stack: bool = False, with_flops: bool = False,
                 with_modules: bool = False, **options: Any) -> None:
        activities = list(activities) if activities is not None else [ProfilerActivity.CPU]
        others = [a for a in activities if a is not ProfilerActivity.CPU]
        if others:
            raise RuntimeError(f"profile: glassgrad profiles the CPU only; asked for {others}")
        unknown = set(options) - {"experimental_config", "execution_trace_observer", "acc_events", "use_cuda",
                                  "custom_trace_id_callback", "post_processing_timeout_s"}
        if unknown:
            raise TypeError(f"profile got unexpected keyword arguments {sorted(unknown)}")
        self.schedule, self.on_trace_ready = schedule, on_trace_ready
        self.record_shapes, self.profile_memory = record_shapes, profile_memory
        self.step_num = 0
        self.recorder: recording.Recorder | None = None  # while recording
        self.function_events: EventList = EventList()  # the last finished recording
        self._action = ProfilerAction.NONE
        self._running = False

    def __enter__(self) -> profile:
        self.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.stop()

    def start(self) -> None:
        if self._running:
            raise RuntimeError("profile: already started")
        self._running = True
        self._action = self.schedule(0) if self.schedule else ProfilerAction.RECORD
        if self._action in (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE):
            self._begin_recording()

    def stop(self) -> None:
        if not self._running:
            return
        if self.recorder is not None:
            self._finish_recording()
        self._running = False

    def step(self) -> None:
        """The end of one training step: follow the schedule (save a cycle, start or stop recording)."""
        if self.schedule is None:
            self.step_num += 1
            return
        before = self._action
        self.step_num += 1
        self._action = self.schedule(self.step_num)
        if before is ProfilerAction.RECORD_AND_SAVE and self.recorder is not None:
            self._finish_recording()
        recording_now = self._action in (ProfilerAction.RECORD, ProfilerAction.RECORD_AND_SAVE)
        if recording_now and self.recorder is None:
            self._begin_recording()
        elif not recording_now and self.recorder is not None:
            self._finish_recording(save=False)

    def _begin_recording(self) -> None:
        if recording.active is not None:
            raise RuntimeError("profile: another profile is already recording on this process")
        self.recorder = recording.Recorder(self.record_shapes, self.profile_memory)
        recording.switch(self.recorder)

    def _finish_recording(self, save: bool = True) -> None:
        recording.switch(None)
        self.function_events = EventList(self.recorder.events if self.recorder else [])
        self.recorder = None
        if save and self.on_trace_ready is not None:
            self.on_trace_ready(self)

    def events(self) -> EventList:
        """Every recorded event, in the order they started."""
        return self.function_events

    def key_averages(self, group_by_input_shape: bool = False, group_by_stack_n: int = 0,
                     group_by_overload_name: bool = False) -> EventList:
        """One row per op name (and per input shapes with ``group_by_input_shape``, which needs
        ``record_shapes=True``): count, total and self time. (No stacks are recorded and glassgrad's ops
        have no overloads, so the other two groupings leave the rows as they are.)"""
        if group_by_input_shape and not self.record_shapes:
            raise RuntimeError("key_averages(group_by_input_shape=True) needs profile(record_shapes=True)")
        return self.function_events.key_averages(group_by_input_shape)

    def export_chrome_trace(self, path: str | os.PathLike[str]) -> None:
        self.function_events.export_chrome_trace(path)

    def export_stacks(self, path: str, metric: str = "self_cpu_time_total") -> None:
        self.function_events.export_stacks(path, metric)


class autograd_profile(profile):
    """``torch.autograd.profiler.profile``: the older front end (``enabled``, ``use_cuda``, ``table``)."""

    def __init__(self, enabled: bool = True, *, use_cuda: bool = False, use_device: str | None = None,
                 record_shapes: bool = False, with_flops: bool = False, profile_memory: bool = False,
                 with_stack: bool = False, with_modules: bool = False, use_kineto: bool = False,
                 use_cpu: bool = True, **options: Any) -> None:
        if use_cuda or use_device not in (None, "cpu"):
            raise RuntimeError("profile: glassgrad profiles the CPU only")
        super().__init__(record_shapes=record_shapes, profile_memory=profile_memory, **options)
        self.enabled = enabled

    def start(self) -> None:
        if self.enabled:
            super().start()

    def table(self, sort_by: str | None = None, row_limit: int = 100, **options: Any) -> str:
        return self.key_averages().table(sort_by=sort_by, row_limit=row_limit, **options)

    @property
    def self_cpu_time_total(self) -> int:
        return self.function_events.self_cpu_time_total

    def total_average(self) -> Any:
        return self.function_events.total_average()
