"""``torch.autograd.grad``: the gradients of outputs with respect to chosen tensors, returned, not stored.

    (dx, dw) = glassgrad.autograd.grad(loss, (x, w))

walks the graph the way ``loss.backward()`` does (``engine.py``: the same topological order,
the same in-place version checks, the same ``unbroadcast``), but hands back d outputs / d inputs for
the tensors asked for, which may be leaves or intermediate results, and leaves every ``.grad`` as it
was. ``create_graph=True`` records the backward pass (``higher_order.py``), so the returned
gradients can be differentiated again: gradient penalties, Hessian-vector products, Newton's method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad import backend
from glassgrad.autograd import higher_order
from glassgrad.autograd.engine import op_backward, unbroadcast
from glassgrad.autograd.grad_mode import enable_grad
from glassgrad.autograd.graph import Node, check_walkable, topological_order
from glassgrad.tensor import Tensor


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, Sequence) and not isinstance(value, Tensor) else (value,)


def _seed(output: Tensor, grad_output: Any) -> Any:
    """d (sum of outputs) / d output as an array: ones for a one-element output, else the given gradient."""
    if grad_output is None:
        if output.numel() != 1:
            raise RuntimeError(f"grad can be implicitly created only for scalar outputs; this output has shape "
                               f"{tuple(output.shape)}, so pass grad_outputs of that shape")
        return backend.xp.ones(output.array.shape, dtype=output.dtype)
    array = grad_output.array if isinstance(grad_output, Tensor) else backend.xp.asarray(grad_output)
    if array.shape != output.array.shape:
        raise RuntimeError(f"autograd.grad: grad_outputs has shape {array.shape}, output has shape "
                           f"{tuple(output.shape)}")
    return array.astype(output.dtype, copy=False)


def _input_grads(node: Node, out_grad: Any) -> list[tuple[Tensor, Any]]:
    """Each input of ``node`` that requires grad with its share of ``out_grad`` (reduced, in its dtype)."""
    op_name = node.op.__name__
    in_grads = op_backward(node, node.ctx, out_grad)
    if not isinstance(in_grads, tuple):
        in_grads = (in_grads,)
    if len(in_grads) != len(node.inputs):
        raise RuntimeError(f"{op_name}.backward returned {len(in_grads)} gradients for {len(node.inputs)} inputs")
    shares = []
    for parent, g in zip(node.inputs, in_grads):
        if g is None or not parent.requires_grad:
            continue
        g = unbroadcast(g, parent.shape, op_name)
        if g.dtype != parent.dtype:  # (a complex gradient reaching a real input keeps its real part, as engine.py)
            g = (g.real if g.dtype.kind == "c" and parent.dtype.kind != "c" else g).astype(parent.dtype)
        shares.append((parent, g))
    return shares


def grad(outputs: Any, inputs: Any, grad_outputs: Any = None, retain_graph: bool | None = None,
         create_graph: bool = False, only_inputs: bool = True, allow_unused: bool | None = None,  # noqa: ARG001
         is_grads_batched: bool = False, materialize_grads: bool = False) -> tuple[Tensor | None, ...]:
    """d sum_i <outputs[i], grad_outputs[i]> / d inputs[j] for each j, as torch.autograd.grad.

    Args:
        outputs: a tensor or a sequence of tensors that require grad.
        inputs: the tensors (leaves or intermediate results) to differentiate with respect to.
        grad_outputs: d loss / d output for each output; may be omitted for one-element outputs.
        retain_graph: keep the graph's saved arrays for another backward (default: ``create_graph``).
        create_graph: record the backward pass, so the gradients have a graph of their own.
        allow_unused: return None for an input the outputs do not depend on (default: raise).
        materialize_grads: return zeros instead of None for such an input.

    Returns a tuple with one gradient Tensor (or None) per input. ``.grad`` fields are not touched.
    """
    if is_grads_batched:
        raise NotImplementedError("autograd.grad(is_grads_batched=True) is not supported")
    outputs, inputs = _as_tuple(outputs), _as_tuple(inputs)
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else _as_tuple(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"autograd.grad: {len(grad_outputs)} grad_outputs for {len(outputs)} outputs")
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"autograd.grad: input {i} does not require grad (One of the differentiated "
                               "Tensors does not require grad)")
    for i, t in enumerate(outputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"autograd.grad: output {i} does not require grad and does not have a grad_fn")
    retain_graph = create_graph if retain_graph is None else retain_graph
    if create_graph:
        return _graph_walk(outputs, grad_outputs, inputs, bool(retain_graph), bool(allow_unused) or materialize_grads,
                           materialize_grads)
    seeds = [_seed(o, g) for o, g in zip(outputs, grad_outputs)]
    if len(outputs) == 1:
        root, root_grad = outputs[0], seeds[0]
    else:  # one root for several outputs: sum_i <outputs[i], seeds[i]>, whose gradient is 1
        with enable_grad():
            root = sum((o * Tensor._make(s, False)).sum() for o, s in zip(outputs, seeds))
        root_grad = backend.xp.ones((), dtype=root.dtype)
    return _walk(root, root_grad, inputs, bool(retain_graph), bool(allow_unused) or materialize_grads,
                 materialize_grads)


def _walk(root: Tensor, root_grad: Any, inputs: tuple[Tensor, ...], retain_graph: bool, allow_unused: bool,
          materialize: bool) -> tuple[Tensor | None, ...]:
    wanted = {id(t): i for i, t in enumerate(inputs)}
    found: list[Any] = [None] * len(inputs)

    def collect(tensor: Tensor, g: Any) -> None:
        i = wanted.get(id(tensor))
        if i is not None:
            found[i] = g.copy() if found[i] is None else found[i] + g

    pending: dict[int, Any] = {id(root): root_grad}
    if root._node is None:
        collect(root, root_grad)
    for tensor in reversed(topological_order(root)):
        out_grad = pending.pop(id(tensor), None)
        if out_grad is None:
            continue
        collect(tensor, out_grad)
        node = tensor._node
        check_walkable(node)
        for parent, g in _input_grads(node, out_grad):
            if parent._node is None:
                collect(parent, g)
            else:
                pending[id(parent)] = pending[id(parent)] + g if id(parent) in pending else g
        if not retain_graph:
            node.release()
    return _results(inputs, [None if g is None else Tensor._make(g, False) for g in found], allow_unused, materialize)


def _results(inputs: tuple[Tensor, ...], found: list[Tensor | None], allow_unused: bool,
             materialize: bool) -> tuple[Tensor | None, ...]:
    """One gradient per input: None for an unused one with ``allow_unused`` (zeros to ``materialize``)."""
    results: list[Tensor | None] = []
    for i, (t, g) in enumerate(zip(inputs, found)):
        if g is None and not allow_unused:
            raise RuntimeError(f"autograd.grad: input {i} (shape {tuple(t.shape)}) was not used to compute the "
                               "outputs; pass allow_unused=True to get None for it")
        if g is None and materialize:
            g = Tensor._make(backend.xp.zeros(t.array.shape, dtype=t.dtype), False)
        results.append(g)
    return tuple(results)


def _graph_walk(outputs: tuple[Tensor, ...], grad_outputs: tuple[Any, ...], inputs: tuple[Tensor, ...],
                retain_graph: bool, allow_unused: bool, materialize: bool) -> tuple[Tensor | None, ...]:
    """``grad`` with ``create_graph=True``: the walk of ``higher_order.walk``, whose gradients are Tensors
    with a graph; a grad_output that is a Tensor with a graph stays connected to it."""
    seeds = [_graph_seed(o, g) for o, g in zip(outputs, grad_outputs)]
    wanted = {id(t): i for i, t in enumerate(inputs)}
    found: list[Tensor | None] = [None] * len(inputs)

    def collect(tensor: Tensor, g: Tensor) -> None:
        i = wanted.get(id(tensor))
        if i is not None:
            found[i] = g if found[i] is None else found[i] + g

    higher_order.walk(list(zip(outputs, seeds)), retain_graph, collect, stop_at=wanted)
    return _results(inputs, found, allow_unused, materialize)


def _graph_seed(output: Tensor, grad_output: Any) -> Tensor:
    """d loss / d output as a Tensor; a grad_output that is a Tensor keeps its graph (cast if need be)."""
    if not isinstance(grad_output, Tensor):
        return Tensor._make(_seed(output, grad_output), False)
    if grad_output.shape != output.shape:
        raise RuntimeError(f"autograd.grad: grad_outputs has shape {tuple(grad_output.shape)}, output has shape "
                           f"{tuple(output.shape)}")
    return grad_output if grad_output.dtype == output.dtype else grad_output.to(output.dtype)
