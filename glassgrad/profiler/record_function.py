"""``record_function``: name a block of code so the profiler shows it as one range."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from glassgrad.profiler import recording
from glassgrad.profiler.events import Event


class record_function:  # noqa: N801 - torch's name
    """A context manager (or decorator) whose block is one "user annotation" range in the profile::

        with glassgrad.profiler.record_function("attention"):
            scores = q @ k.transpose(-2, -1)

    Outside a profile it does nothing."""

    def __init__(self, name: str, args: str | None = None) -> None:
        self.name, self.args = name, args
        self._event: Event | None = None
        self._recorder: recording.Recorder | None = None

    def __enter__(self) -> record_function:
        self._recorder = recording.active
        if self._recorder is not None:
            self._event = self._recorder.begin(self.name, kind="user_annotation")
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._recorder is not None and self._event is not None:
            self._recorder.end(self._event)
        self._event = self._recorder = None

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            with record_function(self.name, self.args):
                return fn(*args, **kwargs)

        return wrapped
