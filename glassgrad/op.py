"""The op base class: ``Op``, with ``forward`` and ``backward`` side by side over raw arrays.

An op is written as::

    class Exp(Op):
        '''y = e^x;  dy/dx = e^x = y'''

        @staticmethod
        def forward(ctx, x):
            y = xp.exp(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, grad):
            (y,) = ctx.saved
            return grad * y

``forward`` receives raw arrays (plus keyword parameters) and returns an
array; ``backward`` receives d loss / d output and returns one gradient per
input (``None`` for an input that needs none). ``Op.apply`` wraps the
arrays in and out of tensors and records the node when a gradient is needed.
An op never reduces a broadcast gradient itself: the engine does that.

With ``create_graph=True`` the engine calls the same ``backward`` on Tensors, with ``backend.xp``
mapping NumPy's names to glassgrad's ops, so the backward records a graph
(``glassgrad/autograd/higher_order.py``). An op takes part once its backward is known to compute only from
``grad``, ``ctx.saved`` and values of zero derivative (masks, indices): it says so with
``differentiable_backward = True``. Without it, the gradient differentiated again raises.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import bfloat16_math, complex_math
from glassgrad.autograd import engine, grad_mode, views
from glassgrad.autograd.graph import Node, saved_versions
from glassgrad.autograd.views import share_base_counter
from glassgrad.errors import OpInputError
from glassgrad.profiler import recording

_Tensor: Any = None  # glassgrad.tensor.Tensor, taken once from engine.tensor_class() (it stands a floor above)


class Context:
    """What one op application keeps for its backward: ``saved`` (the arrays ``save_for_backward``
    was given), ``needs_input_grad`` (one flag per input) and whatever else ``forward`` sets."""

    saved: tuple[Any, ...] = ()  # class-level defaults: a fresh context costs no __init__
    needs_input_grad: tuple[bool, ...] = ()

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for backward; the engine frees them after use."""
        self.saved = arrays


class Op:
    """Base class of every differentiable op: ``forward`` and ``backward`` over arrays.

    Not to be confused with ``torch.autograd.Function`` (glassgrad/autograd/function.py), whose
    ``forward`` and ``backward`` take Tensors: that is how users write a custom op, and it runs as
    one ``Op`` node underneath."""

    differentiable_backward = False  # True: backward also runs on Tensors and records (see the module docstring)
    constant_saves: tuple[int, ...] = ()  # positions in ctx.saved of values that are constants (a random mask)
    bfloat16_in_float32 = True  # bfloat16 inputs computed in float32, the result rounded once (False: a cast)

    @staticmethod
    def forward(ctx: Context, *arrays: Any, **params: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def run(cls, *inputs: Any, **params: Any) -> Any:
        """Run ``forward`` on the inputs' arrays; make the output Tensor; record the node if a gradient
        is needed. (Called as ``Op.apply``: see below.)"""
        if views.catch_up_needed and grad_mode._grad_enabled:  # a view made before its memory had a graph
            views.catch_up(inputs)
        ctx = Context()
        arrays, flags = [], []  # one plain loop: half the cost of two comprehensions for one or two inputs
        for t in inputs:
            arrays.append(t.array)
            flags.append(t.requires_grad)
        record = True in flags and grad_mode._grad_enabled
        ctx.needs_input_grad = tuple(flags) if record else (False,) * len(flags)
        if complex_math.in_use and complex_math.present(arrays):  # complex_math.py: its complex form, or an error
            cls = complex_math.form_of(cls)
        try:
            if bfloat16_math.in_use and cls.bfloat16_in_float32 and bfloat16_math.present(arrays):  # bfloat16_math.py
                out = bfloat16_math.forward_in_float32(cls, ctx, arrays, params)
            else:
                out = cls.forward(ctx, *arrays, **params)
        except ValueError as err:  # e.g. NumPy's broadcast error: say which op and what came in
            shapes = ", ".join(str(tuple(t.shape)) for t in inputs)
            raise OpInputError(f"{cls.__name__}: {err} (input shapes {shapes})") from err
        if isinstance(out, numpy.generic):  # NumPy gives a scalar for a 0-d result: an array, also where saved
            out = _as_zero_d(out, ctx) if ctx.saved else numpy.asarray(out)
        global _Tensor
        if _Tensor is None:
            _Tensor = engine.tensor_class()
        result = _Tensor.__new__(_Tensor)  # Tensor._make(out, record), written out: every op result is made here
        result.array, result.requires_grad, result._version_counter = out, record, [0]
        if out.base is not None or (arrays and out is arrays[0]):  # a view (or an input's array): one counter
            share_base_counter(result, inputs, cls, params)
        if record:
            ctx.params = params  # the forward's keyword parameters, as given (read by glassgrad.onnx)
            result._node = Node(cls, ctx, inputs)
            if ctx.saved:
                result._node.saved_versions = saved_versions(ctx.saved, inputs, result)
        return result

    # ``apply`` is ``run`` itself: one call frame less on every op. While glassgrad.profiler records,
    # ``apply`` becomes ``timed_run`` (below), which times each op as one event around ``run``.
    apply = run


@classmethod  # type: ignore[misc]
def timed_run(cls: type[Op], *inputs: Any, **params: Any) -> Any:
    """``Op.apply`` while a profile records: ``run`` timed as one event named after the op."""
    return recording.active.time_call(cls.__name__, inputs, lambda: cls.run(*inputs, **params))


def _profiler_switched(recording_now: bool) -> None:
    Op.apply = timed_run if recording_now else Op.__dict__["run"]


recording.on_switch.append(_profiler_switched)


def _as_zero_d(scalar: Any, ctx: Context) -> Any:
    """``scalar`` as a 0-d array, put in its place in ``ctx.saved`` too, so a saved output is still
    recognised as the output's own array (``glassgrad/autograd/higher_order.py`` maps it to the output)."""
    array = numpy.asarray(scalar)
    if id(scalar) in map(id, ctx.saved):  # (by identity: a saved array compared with == would broadcast)
        ctx.saved = tuple(array if saved is scalar else saved for saved in ctx.saved)
    return array
