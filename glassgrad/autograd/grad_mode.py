"""Grad mode: whether ops record the graph (``no_grad``, ``enable_grad``, ``set_grad_enabled``,
``inference_mode``), as ``torch.autograd.grad_mode``.

Two switches, read by every op application (``glassgrad/op.py``) and by ``Tensor``:

    _grad_enabled      ops record a node for backward (the user's switch)
    _recording_graph   a backward is recording its own graph (``create_graph=True``,
                       ``glassgrad/autograd/higher_order.py``)
"""

from __future__ import annotations

import contextlib
from typing import Any

_grad_enabled = True
_recording_graph = False  # True while a backward records its own graph (glassgrad/autograd/higher_order.py)


def is_grad_enabled() -> bool:
    """True when ops record the graph for backward."""
    return _grad_enabled


class _GradMode(contextlib.ContextDecorator):
    """Set grad mode on entry and restore the previous mode on exit.

    The previous modes are kept on a stack, so one instance can be entered
    again while it is active: a decorated function that recurses, or the same
    ``no_grad()`` object used in nested ``with`` blocks.
    """

    enabled = True

    def __init__(self) -> None:
        self._previous: list[bool] = []

    def __enter__(self) -> None:
        global _grad_enabled
        self._previous.append(_grad_enabled)
        _grad_enabled = self.enabled

    def __exit__(self, *exc: object) -> None:
        global _grad_enabled
        _grad_enabled = self._previous.pop()


class no_grad(_GradMode):
    """Context manager and decorator: ops inside record no graph.

    >>> with no_grad():
    ...     y = model(x)          # y.requires_grad is False
    """

    enabled = False


class enable_grad(_GradMode):
    """Context manager and decorator: turn graph recording back on inside no_grad."""

    enabled = True


class set_grad_enabled(_GradMode):
    """Turn graph recording on or off, as torch: ``set_grad_enabled(False)`` takes effect at once;
    ``with set_grad_enabled(phase == "train"):`` restores the mode from before the call on exit;
    as a decorator it sets the mode only while the function runs."""

    def __init__(self, mode: bool) -> None:
        global _grad_enabled
        super().__init__()
        self.enabled = bool(mode)
        self._before, self._fresh = _grad_enabled, True
        _grad_enabled = self.enabled

    def __enter__(self) -> None:
        global _grad_enabled
        self._previous.append(self._before if self._fresh else _grad_enabled)
        self._fresh = False
        _grad_enabled = self.enabled

    def __call__(self, func: Any) -> Any:
        global _grad_enabled
        if self._fresh:  # decorating does not change the mode
            _grad_enabled, self._fresh = self._before, False
        return super().__call__(func)


class inference_mode(_GradMode):
    """torch.inference_mode: here the same as ``no_grad`` (``inference_mode(False)`` changes nothing).
    Unlike torch, tensors made inside are ordinary tensors, usable in autograd later."""

    def __init__(self, mode: bool = True) -> None:
        super().__init__()
        self.mode = bool(mode)

    def __enter__(self) -> None:
        global _grad_enabled
        self._previous.append(_grad_enabled)
        if self.mode:
            _grad_enabled = False
