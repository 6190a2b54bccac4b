"""``glassgrad.profiler``, as ``torch.profiler``: where a step's time goes, op by op.

    with glassgrad.profiler.profile() as prof:
        step()
    print(prof.key_averages().table(sort_by="self_cpu_time_total"))

``recording.py`` holds the one switch the engine reads; ``events.py`` and ``event_list.py`` what is
recorded and its summaries; ``table.py`` the text table; ``schedule.py`` step-wise profiling.
``torch.autograd.profiler`` is ``glassgrad.autograd.profiler`` (the older front end).
"""

from glassgrad.profiler.event_list import EventList as EventList
from glassgrad.profiler.events import Event as Event
from glassgrad.profiler.events import EventAverage as EventAverage
from glassgrad.profiler.profile import profile as profile
from glassgrad.profiler.record_function import record_function as record_function
from glassgrad.profiler.schedule import ProfilerAction as ProfilerAction
from glassgrad.profiler.schedule import ProfilerActivity as ProfilerActivity
from glassgrad.profiler.schedule import schedule as schedule
from glassgrad.profiler.schedule import tensorboard_trace_handler as tensorboard_trace_handler

__all__ = ["Event", "EventAverage", "EventList", "ProfilerAction", "ProfilerActivity", "profile", "record_function",
           "schedule", "tensorboard_trace_handler"]
