"""Higher-order gradients: the backward pass that records its own graph (``create_graph=True``).

The ordinary backward (``engine.py``) calls each op's ``backward`` on arrays, so a
gradient is a number with no history. To differentiate a gradient again (a gradient penalty,
a Hessian-vector product, Newton's method) the backward pass itself must be recorded. Here the
SAME ``backward`` of each op is called, but on Tensors:

* the incoming gradient is a Tensor (with a graph, when it depends on something that requires grad);
* each array the forward saved is replaced by the graph Tensor it came from: an input's array by
  that input, the output's array by the output (``_graph_saved``);
* ``backend.xp`` is a ``RecordingNamespace`` (``graph_namespace.py``), so ``xp.exp(y)``
  runs glassgrad's ``exp`` op and records a node; the fast kernels are off, so their readable twins
  (written with ``xp`` and Tensor methods) run.

Every operation the backward performs is then an ordinary op application, recorded like any forward,
and the gradients it returns are Tensors that can be differentiated again, to any order.

Values the forward derived from its inputs and kept for backward (a softmax's normaliser, a
convolution's unfolded input, GELU's Phi(x)) are not graph tensors. For such an op the forward is
run once more, on the input Tensors and recording, so those values are recomputed with their graph
(``_graph_context``); the first-order path keeps what it saved and pays nothing.

Saved values that do not depend on the inputs, or only through a comparison (dropout's random mask,
max-pooling's padded input used to find the winners), are named by position in the op's
``constant_saves``: they stay arrays, and the forward is not run again (a second dropout mask would
differ from the first).

An op opts in by setting ``differentiable_backward = True`` on its class, once its forward and
backward have been checked to compute with ``xp`` and Tensor-compatible array methods only, from
``grad``, ``ctx`` and values whose derivative is zero (masks, indices, shapes), and its forward to
draw no random numbers it would draw differently a second time. A backward of an op that has not
opted in, or one that calls a NumPy function without a differentiable twin, still runs on arrays,
and its gradient gets a ``NotTwiceDifferentiable`` node: the first derivative is right, and
differentiating it again raises (as torch's ``once_differentiable`` functions do). A second
derivative is never silently wrong.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterator
from typing import Any

import numpy

from glassgrad import backend, complex_math, kernels
from glassgrad.autograd import grad_mode
from glassgrad.autograd.engine import op_backward, run_post_accumulate_hooks
from glassgrad.autograd.grad_mode import enable_grad
from glassgrad.autograd.graph import Node, check_walkable, topological_order
from glassgrad.autograd.graph_namespace import RecordingNamespace
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor

_NAMESPACES: dict[int, RecordingNamespace] = {}


def _namespace_of(arrays: Any) -> RecordingNamespace:
    """The recording namespace over ``arrays`` (NumPy, or CuPy), made once."""
    if id(arrays) not in _NAMESPACES:
        _NAMESPACES[id(arrays)] = RecordingNamespace(arrays)
    return _NAMESPACES[id(arrays)]


@contextlib.contextmanager
def recording() -> Iterator[None]:
    """Grad mode on, ``backend.xp`` the recording namespace, the plain kernels: a backward run inside
    records its graph. Nested uses (a recording backward that itself runs one) are fine."""
    arrays, mode, was_recording = backend.xp, kernels.get_mode(), grad_mode._recording_graph
    namespace = arrays if isinstance(arrays, RecordingNamespace) else _namespace_of(arrays)
    backend.xp, grad_mode._recording_graph = namespace, True
    kernels.set_mode("reference")
    try:
        with enable_grad():
            yield
    finally:
        backend.xp, grad_mode._recording_graph = arrays, was_recording
        kernels.set_mode(mode)


class NotTwiceDifferentiable(Op):
    """The gradient an op's array backward gave, passed on as it is; differentiating it raises.

    y = g (computed without a graph);  dy/d(anything) is unknown: backward raises ``ctx.reason``."""

    @staticmethod
    def forward(ctx: Context, *inputs: Any, value: Any, reason: str) -> Any:
        ctx.reason = reason
        return value

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        raise NotImplementedError(ctx.reason)


complex_math.accept(NotTwiceDifferentiable)  # it passes a value on and refuses to be differentiated: complex too


def _graph_saved(node: Node, output: Tensor) -> tuple[Any, ...] | None:
    """``ctx.saved`` with each float array replaced by the graph tensor it is (an input, or the output);
    integer and bool arrays (indices, masks) stay arrays. None when a float array is neither."""
    mapped = []
    constants = node.op.constant_saves
    for position, array in enumerate(node.ctx.saved):
        if position in constants:
            mapped.append(array)
            continue
        found = output if array is output.array else next((t for t in node.inputs if t.array is array), None)
        if found is None and _is_float_array(array):
            return None
        mapped.append(array if found is None else found)
    return tuple(mapped)


def _is_float_array(value: Any) -> bool:
    """A float or complex array (one a gradient flows through), or a list or tuple holding one.

    Only the array module's own arrays and scalars count: other objects with a dtype and a shape
    that an op keeps on ``ctx`` (a SciPy sparse matrix built in the forward) are its working
    material, not a value the gradient must flow through, so they do not make the forward run again.
    """
    if isinstance(value, list | tuple):
        return any(_is_float_array(v) for v in value)
    if not isinstance(value, numpy.ndarray | numpy.generic | backend.xp.ndarray):
        return False
    return backend.is_float(value.dtype) or value.dtype.kind == "c"


def _derived_attributes(ctx: Context) -> list[str]:
    """Names of the float arrays the forward kept on ``ctx`` outside ``saved`` (derived values)."""
    return [name for name, value in vars(ctx).items()
            if name not in ("saved", "params", "needs_input_grad") and _is_float_array(value)]


def _graph_context(node: Node, output: Tensor) -> Context:
    """The context the backward runs with when it records: the saved inputs and output as the graph's
    tensors; or, when the forward kept values derived from the inputs, a fresh context from running
    the forward again on the input tensors, recording, so those values carry their graph."""
    mapped = _graph_saved(node, output)
    if mapped is not None and not _derived_attributes(node.ctx):
        ctx = copy.copy(node.ctx)
        ctx.saved, ctx.graph_output = mapped, output  # (a custom Function's saved output is mapped by its node)
        return ctx
    ctx = Context()
    ctx.needs_input_grad, ctx.params = node.ctx.needs_input_grad, node.ctx.params
    node.op.forward(ctx, *node.inputs, **node.ctx.params)
    return ctx


def _not_differentiable(node: Node, out_grad: Tensor, reason: str) -> list[Tensor | None]:
    """The array backward's gradients, each behind a ``NotTwiceDifferentiable`` node."""
    in_grads = op_backward(node, node.ctx, out_grad.array)
    if not isinstance(in_grads, tuple):
        in_grads = (in_grads,)
    sources = tuple(t for t in (*node.inputs, out_grad) if t.requires_grad)
    with enable_grad():
        return [None if g is None else NotTwiceDifferentiable.apply(*sources, value=g, reason=reason)
                for g in in_grads]


def _recorded_grads(node: Node, output: Tensor, out_grad: Tensor) -> Any:
    """The op's backward run on Tensors, recording; or, when it cannot be, the array backward's
    gradients behind ``NotTwiceDifferentiable`` nodes that say why."""
    op_name = node.op.__name__
    if not node.op.differentiable_backward:
        reason = getattr(node.op, "not_differentiable_reason", None)
        return _not_differentiable(node, out_grad, reason or f"{op_name}.backward cannot be differentiated yet "
                                   "(create_graph=True): glassgrad has no differentiable backward for this op")
    try:
        with recording():
            return op_backward(node, _graph_context(node, output), out_grad)
    except (NotImplementedError, AttributeError, TypeError) as err:  # a NumPy call without a twin, one that
        # would drop the graph, or an array method a Tensor lacks: first derivatives only, said when differentiated
        return _not_differentiable(node, out_grad, f"{op_name}.backward cannot be differentiated "
                                   f"(create_graph=True): {err}")


def input_grads(node: Node, output: Tensor, out_grad: Tensor) -> list[tuple[Tensor, Tensor]]:
    """Each input of ``node`` that requires grad with its share of ``out_grad``, as a Tensor with a graph."""
    op_name = node.op.__name__
    in_grads = _recorded_grads(node, output, out_grad)
    if not isinstance(in_grads, tuple | list):
        in_grads = (in_grads,)
    if len(in_grads) != len(node.inputs):
        raise RuntimeError(f"{op_name}.backward returned {len(in_grads)} gradients for {len(node.inputs)} inputs")
    shares = []
    with enable_grad():
        for parent, g in zip(node.inputs, in_grads):
            if g is None or not parent.requires_grad:
                continue
            if not isinstance(g, Tensor):  # a constant the backward built with arrays (zeros, a mask)
                g = Tensor._make(backend.xp.asarray(g), False)
            if g.shape != parent.shape:
                g = _unbroadcast(g, tuple(parent.shape), op_name)
            if g.dtype.kind == "c" and parent.dtype.kind != "c":  # a real input keeps the real part (as engine.py)
                g = g.real
            shares.append((parent, g if g.dtype == parent.dtype else g.to(parent.dtype)))
    return shares


def _unbroadcast(grad: Tensor, shape: tuple[int, ...], op_name: str) -> Tensor:
    """``engine.unbroadcast`` on a Tensor: the sum over the broadcast copies, recorded."""
    extra = grad.ndim - len(shape)
    if extra < 0:
        raise RuntimeError(f"{op_name}.backward returned a gradient of shape {tuple(grad.shape)} "
                           f"for an input of shape {shape}")
    kept = tuple(extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    reduced = grad.sum(axis=tuple(range(extra)) + kept, keepdims=True) if extra or kept else grad
    reduced = reduced.reshape(tuple(reduced.shape[extra:]))
    if tuple(reduced.shape) != shape:
        raise RuntimeError(f"{op_name}.backward returned a gradient of shape {tuple(grad.shape)} "
                           f"that cannot be reduced to the input's shape {shape}")
    return reduced


def _order(roots: list[Tensor]) -> list[Tensor]:
    """The tensors with a node behind all ``roots``, outputs first (one topological order for all)."""
    joined = Tensor._make(backend.xp.zeros(()), True)
    joined._node = Node(Op, Context(), tuple(roots))
    return list(reversed(topological_order(joined)[:-1]))


def walk(roots: list[tuple[Tensor, Tensor]], retain_graph: bool,
         deliver: Callable[[Tensor, Tensor], None], stop_at: dict[int, Any] | None = None) -> None:
    """Propagate each root's gradient (d loss / d root, a Tensor) through the graph, recording.

    ``deliver(tensor, grad)`` receives the whole gradient of each leaf that requires grad, of each
    tensor with ``retain_grad()``, and of each tensor whose id is in ``stop_at`` (``autograd.grad``'s
    inputs), once all contributions to it are summed.
    """
    stop_at = stop_at or {}
    pending: dict[int, Tensor] = {}
    leaves: dict[int, Tensor] = {}
    for root, root_grad in roots:
        if id(root) in pending:
            with enable_grad():
                root_grad = pending[id(root)] + root_grad
        pending[id(root)] = root_grad
        if root._node is None:
            leaves[id(root)] = root
    for tensor in _order([root for root, _ in roots]):
        out_grad = pending.pop(id(tensor), None)
        if out_grad is None:
            continue
        if tensor._retains_grad or id(tensor) in stop_at:
            deliver(tensor, out_grad)
        node = tensor._node
        check_walkable(node)
        for parent, g in input_grads(node, tensor, out_grad):
            key = id(parent)
            if key in pending:
                with enable_grad():
                    g = pending[key] + g
            pending[key] = g
            if parent._node is None:
                leaves[key] = parent
        if not retain_graph:
            node.release()
    for key, leaf in leaves.items():
        if key in pending:
            deliver(leaf, pending.pop(key))


def accumulate(tensor: Tensor, grad: Tensor) -> None:
    """``tensor.grad += grad`` out of place, so the sum is recorded too (``backward(create_graph=True)``);
    a leaf's ``register_hook`` hooks see the gradient first."""
    if tensor._node is None and tensor._hooks:
        grad = _run_hooks(tensor._hooks, grad)
    with enable_grad():
        tensor._grad = grad if tensor._grad is None else tensor._grad + grad
    if tensor._node is None and tensor._post_accumulate_hooks:  # register_post_accumulate_grad_hook
        run_post_accumulate_hooks(tensor)


def _run_hooks(hooks: dict[int, Any], grad: Tensor) -> Tensor:
    for hook in list(hooks.values()):
        replaced = hook(grad)
        if replaced is not None:
            grad = replaced
    return grad
