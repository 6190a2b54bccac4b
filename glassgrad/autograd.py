"""Reverse-mode differentiation: the graph walk and the grad-mode switch.

A tensor produced by an op while grad mode is on holds a ``Node``: the op's
class, the context its forward saved, and the input tensors. ``backward``
walks those nodes from the output back to the leaves:

1. order the nodes topologically with an explicit stack (no recursion, so a
   chain of 100,000 ops works);
2. visit them output-first, call each op's ``backward`` with the gradient of
   the loss with respect to the op's output, and hand each input its share;
3. reduce broadcast gradients back to the input's shape (the one place this
   happens: ``unbroadcast``), check the shape, and accumulate: a tensor used
   twice receives the sum of both contributions;
4. free each node's saved arrays once it has been used, unless
   ``retain_graph=True``, so memory is returned as soon as possible.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from glassgrad.kernels import sums

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor

_grad_enabled = True
_recording_graph = False  # True while a backward records its own graph (glassgrad/higher_order.py)

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


class Node:
    """One recorded op application: which op, what it saved, which inputs."""

    __slots__ = ("op", "ctx", "inputs", "released", "saved_versions")

    def __init__(self, op: type, ctx: Any, inputs: tuple[Tensor, ...]) -> None:
        self.op = op
        self.ctx = ctx
        self.inputs = inputs
        self.released = False
        # (counter, value when saved, which: an input's position, "output", or a description)
        self.saved_versions: tuple[tuple[list[int], int, int | str], ...] = ()

    def name(self) -> str:
        """torch's name of the node: ``"MulBackward"`` for the op ``Mul``."""
        return f"{self.op.__name__}Backward"

    def __repr__(self) -> str:
        return f"<{self.name()}>"

    def release(self) -> None:
        """Drop saved arrays and input references after backward."""
        self.ctx = None
        self.inputs = ()
        self.released = True


_TENSOR: Any = None


def _tensor_class() -> Any:
    """``glassgrad.tensor.Tensor``, imported on first use (tensor.py imports the ops, which import this)."""
    global _TENSOR
    if _TENSOR is None:
        from glassgrad.tensor import Tensor

        _TENSOR = Tensor
    return _TENSOR


def saved_versions(saved: tuple[Any, ...], inputs: tuple[Tensor, ...], output: Tensor) -> tuple:
    """The version counters (and their values now) of the tensors whose arrays an op saved.

    An op saves arrays; those that are an input's or the output's own array are
    matched to that tensor, so an in-place edit of it later is caught at backward.
    """
    found = []
    for array in saved:
        for position, t in enumerate(inputs):
            if t.array is array:
                found.append((t._version_counter, t._version_counter[0], position))
                break
        else:
            if output.array is array:
                found.append((output._version_counter, output._version_counter[0], "output"))
    return tuple(found)


def check_versions(node: Node) -> None:
    """Refuse a backward through values that were edited in place after being saved."""
    for counter, expected, which in node.saved_versions:
        if counter[0] != expected:
            which = "output 0" if which == "output" else (f"input {which}" if isinstance(which, int) else which)
            raise RuntimeError(
                f"one of the variables needed for gradient computation has been modified by an inplace "
                f"operation: {which} of {node.name()} is at version {counter[0]}; expected version "
                f"{expected} instead. Hint: an in-place edit (x.add_(...), x[i] = ..., optimizer.step()) "
                "changed a tensor after it was used; clone() it or edit a copy."
            )


def unbroadcast(grad: Any, shape: tuple[int, ...], op_name: str = "?") -> Any:
    """Sum ``grad`` down to ``shape``: the adjoint of broadcasting.

    Broadcasting copies an input along new leading axes and along axes of
    size 1; the gradient of a copy is the sum over the copies. Example:
    ``(4, 3)`` -> ``(3,)`` sums axis 0; ``(4, 3)`` -> ``(4, 1)`` sums axis 1
    keeping it.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra < 0:
        raise RuntimeError(
            f"{op_name}.backward returned a gradient of shape {grad.shape} "
            f"for an input of shape {shape}"
        )
    kept = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    if kept:  # size-1 axes of the input: summed, kept as size 1
        reduced = grad.sum(axis=tuple(range(extra)) + kept, keepdims=True)
        reduced = reduced.reshape(reduced.shape[extra:])
    else:  # only new leading axes: one sum that owns its result (a leaf can keep it without a copy)
        reduced = sums.sum_leading(grad, extra)  # grad.sum(axis=(0, ..., extra - 1)), by BLAS where it can
    if reduced.shape != shape:
        raise RuntimeError(
            f"{op_name}.backward returned a gradient of shape {grad.shape} "
            f"that cannot be reduced to the input's shape {shape}"
        )
    return reduced


def topological_order(root: Tensor) -> list[Tensor]:
    """Tensors with a node, inputs before outputs, found without recursion."""
    order: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            order.append(tensor)
            continue
        if id(tensor) in visited:
            continue
        visited.add(id(tensor))
        stack.append((tensor, True))
        for parent in tensor._node.inputs:
            if parent._node is not None and id(parent) not in visited:
                stack.append((parent, False))
    return order


def _accumulate_leaf(leaf: Tensor, grad: Any, fresh: bool = False) -> None:
    """Add ``grad`` into ``leaf.grad`` (a Tensor). The first gradient is stored as it is
    only when ``fresh`` (an array no one else holds); otherwise it is copied, because
    optimisers and clipping edit ``.grad`` in place."""
    if leaf._grad is None:  # a Parameter's gradient is a plain Tensor, as in torch
        leaf._grad = _tensor_class()._make(grad if fresh else grad.copy(), False)
    else:
        leaf._grad.array = leaf._grad.array + grad


def backward(root: Tensor, grad: Any, retain_graph: bool = False) -> None:
    """Propagate ``grad`` (d loss / d root) to every leaf that requires grad."""
    if root._node is None:
        _accumulate_leaf(root, grad)
        if root._post_accumulate_hooks:
            from glassgrad.hooks import run_post_accumulate_hooks

            run_post_accumulate_hooks(root)
        return
    pending: dict[int, Any] = {id(root): grad}
    hooked_leaves: dict[int, Tensor] = {}  # leaves with register_hook hooks: their gradient is summed first
    order = topological_order(root)[::-1]
    finishing = _post_hooked_leaves_by_last_use(order) if post_accumulate_hooks_registered else {}
    for step, tensor in enumerate(order):
        if step in finishing:  # after the step before: the last node feeding these leaves has run
            _finish_leaves(finishing.pop(step), pending, hooked_leaves)
        out_grad = pending.pop(id(tensor), None)
        if out_grad is None:
            continue
        if tensor._retains_grad:
            _accumulate_leaf(tensor, out_grad)
        node = tensor._node
        if node.released:
            raise RuntimeError(
                f"Trying to backward through the graph a second time: the buffers of "
                f"{node.op.__name__} were freed by the first backward. Call "
                f"backward(retain_graph=True) the first time if you need to walk it twice."
            )
        if node.saved_versions:
            check_versions(node)
        _propagate(node, out_grad, pending, hooked_leaves)
        if not retain_graph:
            node.release()
    for leaves in finishing.values():
        _finish_leaves(leaves, pending, hooked_leaves)
    for key, leaf in hooked_leaves.items():
        from glassgrad.hooks import run_hooks

        _accumulate_leaf(leaf, run_hooks(leaf._hooks, pending.pop(key), f"a leaf of shape {tuple(leaf.shape)}"))


def _propagate(node: Node, out_grad: Any, pending: dict[int, Any], hooked_leaves: dict[int, Tensor]) -> None:
    if getattr(node.ctx, "bfloat16", False):  # its forward computed in float32: so does its backward
        out_grad = out_grad.astype("float32")
    in_grads = node.op.backward(node.ctx, out_grad)
    if not isinstance(in_grads, tuple):
        in_grads = (in_grads,)
    if len(in_grads) != len(node.inputs):
        raise RuntimeError(
            f"{node.op.__name__}.backward returned {len(in_grads)} gradients for {len(node.inputs)} inputs"
        )
    for parent, g in zip(node.inputs, in_grads):
        if g is None or not parent.requires_grad:
            continue
        array = parent.array
        if g.shape != array.shape:
            g = unbroadcast(g, array.shape, node.op.__name__)
        if g.dtype != array.dtype:
            g = g.astype(array.dtype)
        key = id(parent)
        if parent._node is not None:  # an inner tensor: sum what reaches it, pass it on when its turn comes
            pending[key] = pending[key] + g if key in pending else g
        elif parent._hooks or parent._post_accumulate_hooks:  # hooks see the summed gradient (below)
            hooked_leaves[key] = parent
            pending[key] = pending[key] + g if key in pending else g
        else:
            _accumulate_leaf(parent, g, fresh=_is_fresh(g, out_grad, in_grads))


# --- Tensor.register_post_accumulate_grad_hook (glassgrad/hooks.py) ---
post_accumulate_hooks_registered = False  # set by the first registration: until then backward skips the bookkeeping


def _post_hooked_leaves_by_last_use(order: list[Tensor]) -> dict[int, list[Tensor]]:
    """The leaves with post-accumulate hooks, keyed by the step AFTER the last step whose node takes
    them as input: once that node has run, every contribution to the leaf's gradient is in. Firing the
    hooks there, mid-walk, is what lets DistributedDataParallel start a bucket's all-reduce while the
    rest of the backward still runs."""
    last: dict[int, tuple[int, Tensor]] = {}
    for step, tensor in enumerate(order):
        for parent in tensor._node.inputs:
            if parent._node is None and parent._post_accumulate_hooks:
                last[id(parent)] = (step + 1, parent)
    by_step: dict[int, list[Tensor]] = {}
    for step, leaf in last.values():
        by_step.setdefault(step, []).append(leaf)
    return by_step


def _finish_leaves(leaves: list[Tensor], pending: dict[int, Any], hooked_leaves: dict[int, Tensor]) -> None:
    """Accumulate each leaf's summed gradient (its register_hook hooks first), then run its
    post-accumulate hooks; a leaf no gradient reached this time is left alone (torch does the same)."""
    from glassgrad.hooks import run_hooks, run_post_accumulate_hooks

    for leaf in leaves:
        key = id(leaf)
        if key not in pending:
            continue
        grad = pending.pop(key)
        hooked_leaves.pop(key, None)
        if leaf._hooks:
            grad = run_hooks(leaf._hooks, grad, f"a leaf of shape {tuple(leaf.shape)}")
        _accumulate_leaf(leaf, grad)
        run_post_accumulate_hooks(leaf)


def _is_fresh(g: Any, out_grad: Any, in_grads: tuple[Any, ...]) -> bool:
    """True when ``g`` is a new array owned by nobody else: not the incoming
    gradient passed through, not a view, not returned for two inputs."""
    if g is out_grad or not g.flags.owndata:
        return False
    return sum(other is g for other in in_grads) <= 1


from glassgrad.gradients import grad as grad  # noqa: E402  (torch.autograd.grad: the walk above, returned)


# --- torch.autograd.Function over Tensors, hooks (autograd extras) ---
def __getattr__(name: str) -> Any:
    """``autograd.Function``, ``autograd.FunctionCtx`` and ``autograd.function`` live in
    ``glassgrad/autograd_function.py``, loaded on first use (it imports this module's users)."""
    if name in ("Function", "FunctionCtx", "function"):
        from glassgrad import autograd_function

        return autograd_function if name == "function" else getattr(autograd_function, name)
    if name == "functional":  # torch.autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp
        from glassgrad import autograd_functional

        return autograd_functional
    if name in ("gradcheck", "gradgradcheck", "GradcheckError"):  # torch.autograd.gradcheck / gradgradcheck
        from glassgrad import gradcheck

        return getattr(gradcheck, name)
    raise AttributeError(f"module 'glassgrad.autograd' has no attribute {name!r}")
