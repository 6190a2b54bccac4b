"""``Tensor.register_hook(fn)``: see, or replace, the gradient flowing into a tensor during backward.

    h = x.register_hook(lambda grad: grad * 2)   # doubles d loss / d x from here on
    h.remove()

``fn(grad)`` receives d loss / d tensor (a Tensor) once the whole gradient of that tensor is known, and
may return a Tensor that replaces it (what flows on to the tensors it was made from, or what a leaf
accumulates in ``.grad``), or None to leave it as it is. Several hooks run in the order registered.

How it is wired, without a second engine:

- a tensor made by an op (a non-leaf) gets an identity node in front of its own: the tensor's node
  becomes ``_GradientHooks`` whose single input is a hidden tensor holding the original node. Every
  consumer of the tensor still refers to it, so the engine sums their contributions into it first and
  then calls ``_GradientHooks.backward``, which runs the hooks and passes the result on.
- a leaf has no node to put in front of; the engine (``autograd.backward``) holds back the gradient of a
  leaf that has hooks until all its contributions are summed, then calls ``run_hooks`` (``engine.py``, with
  ``run_post_accumulate_hooks``) and accumulates.

Differences from torch: ``retain_grad()`` on a hooked non-leaf keeps the gradient from before its hooks;
``autograd.grad`` does not run the hooks of the leaves it is asked about.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from glassgrad.autograd import engine
from glassgrad.autograd.engine import run_hooks
from glassgrad.autograd.graph import Node
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor

hook_ids = itertools.count()  # one sequence of hook ids for tensors and modules (nn/module.py)


class RemovableHandle:
    """What ``register_hook`` and the Module hook registrations return: ``handle.remove()``
    unregisters the hook (also at the end of a ``with`` block)."""

    def __init__(self, hooks: dict[int, Callable[..., Any]], key: int) -> None:
        self._hooks, self.id = hooks, key

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class _GradientHooks(Op):
    """Identity in forward; in backward the registered hooks see (and may replace) the gradient:
    y = x;  d x = hooks(d y)."""

    differentiable_backward = True  # the hooks run on the recorded gradient (see run_hooks)

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return run_hooks(ctx.hooks, grad, f"a tensor of shape {tuple(grad.shape)}")


def register_hook(tensor: Tensor, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
    """Register ``hook(grad) -> Tensor or None`` on ``tensor``; see the module docstring."""
    if not tensor.requires_grad:
        raise RuntimeError(f"cannot register a hook on a tensor that doesn't require gradient (shape "
                           f"{tuple(tensor.shape)})")
    if not callable(hook):
        raise TypeError(f"register_hook: expected a function of the gradient, got a {type(hook).__name__}")
    key = next(hook_ids)
    if tensor._node is None:  # a leaf: the engine runs these (autograd.backward)
        hooks = tensor.__dict__.setdefault("_hooks", {})
    elif tensor._node.op is _GradientHooks:  # already wrapped: add to the same node
        hooks = tensor._node.ctx.hooks
    else:
        hidden = Tensor._make(tensor.array, True)
        hidden._node, hidden._version_counter = tensor._node, tensor._version_counter
        ctx = Context()
        ctx.hooks, ctx.params, ctx.needs_input_grad = {}, {}, (True,)
        tensor._node = Node(_GradientHooks, ctx, (hidden,))
        hooks = ctx.hooks
    hooks[key] = hook
    return RemovableHandle(hooks, key)


def register_post_accumulate_grad_hook(tensor: Tensor, hook: Callable[[Tensor], None]) -> RemovableHandle:
    """torch's ``Tensor.register_post_accumulate_grad_hook``: ``hook(tensor)`` runs on a leaf once backward
    has added all of this backward's contributions into ``tensor.grad``. It may edit ``tensor.grad`` in
    place; what it returns is ignored. The engine fires it as soon as the last node feeding the leaf has run, so
    the rest of the backward is still to come: what DistributedDataParallel needs to start a bucket's
    all-reduce early. A backward that sends no gradient to the leaf does not call it."""
    if tensor._node is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    if not tensor.requires_grad:
        raise RuntimeError(f"cannot register a hook on a tensor that doesn't require gradient (shape "
                           f"{tuple(tensor.shape)})")
    if not callable(hook):
        raise TypeError(f"register_post_accumulate_grad_hook: expected a function, got a {type(hook).__name__}")
    engine.post_accumulate_hooks_registered = True
    key = next(hook_ids)
    hooks = tensor.__dict__.setdefault("_post_accumulate_hooks", {})
    hooks[key] = hook
    return RemovableHandle(hooks, key)
