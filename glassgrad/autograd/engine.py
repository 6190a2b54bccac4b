"""Reverse-mode differentiation: the walk behind ``Tensor.backward``.

A tensor produced by an op while grad mode is on holds a ``Node``: the op's
class, the context its forward saved, and the input tensors. ``backward``
walks those nodes from the output back to the leaves:

1. order the nodes topologically (``graph.py``) with an explicit stack (no recursion, so a
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

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from glassgrad.autograd import grad_mode
from glassgrad.autograd.graph import Node, check_versions, topological_order
from glassgrad.kernels import sums
from glassgrad.profiler import recording

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor

_TENSOR: Any = None


def tensor_class() -> Any:
    """``glassgrad.tensor.Tensor``, imported on first use: the engine's one reach up to the class it
    serves (tensor.py and the ops import the engine to record and walk the graph; the gradients the
    walk hands out are Tensors: the Tensor-autograd circle torch has too)."""
    global _TENSOR
    if _TENSOR is None:
        from glassgrad.tensor import Tensor

        _TENSOR = Tensor
    return _TENSOR


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


def _accumulate_leaf(leaf: Tensor, grad: Any, fresh: bool = False) -> None:
    """Add ``grad`` into ``leaf.grad`` (a Tensor). The first gradient is stored as it is
    only when ``fresh`` (an array no one else holds); otherwise it is copied, because
    optimisers and clipping edit ``.grad`` in place."""
    if leaf._grad is None:  # a Parameter's gradient is a plain Tensor, as in torch
        leaf._grad = tensor_class()._make(grad if fresh else grad.copy(), False)
    else:
        leaf._grad.array = leaf._grad.array + grad


def backward(root: Tensor, grad: Any, retain_graph: bool = False) -> None:
    """Propagate ``grad`` (d loss / d root) to every leaf that requires grad."""
    if root._node is None:
        _accumulate_leaf(root, grad)
        if root._post_accumulate_hooks:
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
        _accumulate_leaf(leaf, run_hooks(leaf._hooks, pending.pop(key), f"a leaf of shape {tuple(leaf.shape)}"))


def op_backward(node: Node, ctx: Any, out_grad: Any) -> Any:
    """``node.op.backward(ctx, out_grad)``: one timed event named ``<Op>Backward`` while
    glassgrad.profiler is recording."""
    if recording.active is None:
        return node.op.backward(ctx, out_grad)
    return recording.active.time_call(f"{node.op.__name__}Backward", (out_grad,),
                                      lambda: node.op.backward(ctx, out_grad), kind="backward")


def _propagate(node: Node, out_grad: Any, pending: dict[int, Any], hooked_leaves: dict[int, Tensor]) -> None:
    if getattr(node.ctx, "bfloat16", False):  # its forward computed in float32: so does its backward
        out_grad = out_grad.astype("float32")
    if recording.active is None:  # (op_backward, the profiler's question asked here: one call less per node)
        in_grads = node.op.backward(node.ctx, out_grad)
    else:
        in_grads = op_backward(node, node.ctx, out_grad)
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
        if g.dtype != array.dtype:  # (a complex gradient reaching a real input keeps its real part)
            g = (g.real if g.dtype.kind == "c" and array.dtype.kind != "c" else g).astype(array.dtype)
        key = id(parent)
        if parent._node is not None:  # an inner tensor: sum what reaches it, pass it on when its turn comes
            pending[key] = pending[key] + g if key in pending else g
        elif parent._hooks or parent._post_accumulate_hooks:  # hooks see the summed gradient (below)
            hooked_leaves[key] = parent
            pending[key] = pending[key] + g if key in pending else g
        else:
            _accumulate_leaf(parent, g, fresh=_is_fresh(g, out_grad, in_grads))


# --- the hooks the engine runs (registered by Tensor.register_hook and
# Tensor.register_post_accumulate_grad_hook: glassgrad/autograd/hooks.py) ---
def run_hooks(hooks: dict[int, Callable[..., Any]], grad: Any, where: str) -> Any:
    """Call each hook on the gradient (a Tensor built from the array); return the final array. A gradient
    that is a Tensor already (create_graph=True: a backward recording its graph) is passed to the hooks
    as it is, in grad mode, and what they return is kept as a Tensor, graph included."""
    tensor_type = tensor_class()
    if isinstance(grad, tensor_type):
        for hook in list(hooks.values()):
            replaced = hook(grad)
            grad = grad if replaced is None else replaced
        return grad
    for hook in list(hooks.values()):
        with grad_mode.no_grad():
            replaced = hook(tensor_type._make(grad, False))
        if replaced is None:
            continue
        if not isinstance(replaced, tensor_type):
            raise TypeError(f"register_hook: the hook of {where} returned a {type(replaced).__name__}; a hook "
                            "returns a Tensor (the new gradient) or None")
        if tuple(replaced.shape) != tuple(grad.shape):
            raise RuntimeError(f"register_hook: the hook of {where} returned a gradient of shape "
                               f"{tuple(replaced.shape)} for a tensor of shape {tuple(grad.shape)}")
        grad = replaced.array.astype(grad.dtype, copy=False)
    return grad


def run_post_accumulate_hooks(leaf: Tensor) -> None:
    """Call each post-accumulate hook of ``leaf`` on the leaf itself, in the order registered."""
    for hook in list((leaf._post_accumulate_hooks or {}).values()):
        with grad_mode.no_grad():
            hook(leaf)  # what it returns is ignored, as torch

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
    return list(map(id, in_grads)).count(id(g)) <= 1  # (by identity, without a generator's frame)
