"""The graph walk: run the model once with grad recording on, then read the autograd graph.

Every op a forward applies is already recorded on its output tensor (``tensor._node``: the
op's class, the context its forward kept, the input tensors), so tracing is just:

1. wrap the example inputs in tensors that "require grad" (integer ones too: only so that the
   ops reading them are recorded; no backward ever runs), put the model in eval mode, call it;
2. walk the recorded nodes from the outputs back to the leaves, inputs before outputs;
3. name each leaf: a traced input, a parameter or buffer (by its ``state_dict`` key), or a
   constant the forward made (``arange``, a zero initial state).

Which dims are dynamic (``dynamic_axes``) is found by running the model a second time with
those input axes grown, and comparing every tensor's shape between the two walks: a dim that
changed depends on the batch size. No symbolic shape rules per op are needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassgrad import autograd, backend
from glassgrad.autograd.graph import inputs_as_used
from glassgrad.tensor import Tensor


@dataclass
class TracedNode:
    """One recorded op application, seen in both runs (``alt_*``: the run with grown dynamic axes)."""

    op: type
    ctx: Any
    inputs: tuple[Tensor, ...]
    output: Tensor
    alt_ctx: Any
    alt_inputs: tuple[Tensor, ...]
    alt_output: Tensor

    @property
    def params(self) -> dict[str, Any]:
        """The keyword parameters the forward was called with (``Op.apply`` keeps them)."""
        return getattr(self.ctx, "params", {})

    @property
    def alt_params(self) -> dict[str, Any]:
        return getattr(self.alt_ctx, "params", {})


@dataclass
class Trace:
    """What one traced forward produced: nodes in order, leaves by kind, and outputs."""

    nodes: list[TracedNode]
    inputs: list[Tensor]                      # the traced inputs, in call order
    alt_inputs: list[Tensor]                  # the same, grown along their dynamic axes
    outputs: list[Tensor]                     # the flattened outputs
    alt_outputs: list[Tensor]
    leaves: list[tuple[Tensor, Tensor]]       # (tensor, its twin in the second run), every leaf read
    module_of_output: dict[int, str] = field(default_factory=dict)  # id(tensor) -> module path that returned it


def flatten_outputs(result: Any, where: str = "output") -> list[Tensor]:
    """A model's outputs as a flat list: a tensor, or (nested) tuples and lists of them."""
    if isinstance(result, Tensor):
        return [result]
    if isinstance(result, tuple | list):
        return [t for item in result for t in flatten_outputs(item, where)]
    raise TypeError(f"onnx.export: the model returned a {type(result).__name__} in its {where}; "
                    "only tensors and (nested) tuples or lists of tensors can be exported")


def traced_input(value: Any) -> Tensor:
    """An example input as a fresh tensor that the ops will record (see the module docstring)."""
    array = value.array if isinstance(value, Tensor) else backend.xp.asarray(value)
    return Tensor._make(array, True)


def grown_input(tensor: Tensor, growth: dict[int, int]) -> Tensor:
    """The input with axis ``a`` made ``growth[a]`` longer by repeating its first entries."""
    array = tensor.array
    for axis, extra in growth.items():
        size = array.shape[axis]
        if size == 0:
            raise ValueError(f"onnx.export: dynamic axis {axis} of an input has size 0")
        picks = list(range(size)) + [i % size for i in range(extra)]
        array = backend.xp.take(array, picks, axis=axis)
    return Tensor._make(array, True)


def _record_module_outputs(model: Any) -> tuple[dict[int, str], list[Any]]:
    """Forward hooks that remember which module returned which tensor (for error messages)."""
    owners: dict[int, str] = {}
    handles = []
    named = getattr(model, "named_modules", None)
    if named is None:
        return owners, handles
    for path, module in named():
        def hook(_module: Any, _args: Any, output: Any, path: str = path) -> None:
            try:
                outputs = flatten_outputs(output)
            except TypeError:
                return
            for t in outputs:
                owners.setdefault(id(t), f"{path} ({type(_module).__name__})" if path else type(_module).__name__)
        handles.append(module.register_forward_hook(hook))
    return owners, handles


def flatten_inputs(args: tuple[Any, ...]) -> tuple[list[Any], tuple[Any, ...]]:
    """(the example inputs in order, nested tuples and lists opened, as torch makes them graph inputs;
    a template of the nesting holding each input's position, for ``nest_inputs``)."""
    flat: list[Any] = []

    def visit(value: Any) -> Any:
        if isinstance(value, tuple | list):
            return type(value)(visit(v) for v in value)
        flat.append(value)
        return len(flat) - 1

    return flat, tuple(visit(a) for a in args)


def nest_inputs(template: Any, flat: list[Any]) -> Any:
    """The inverse of ``flatten_inputs``: ``flat``'s values put back into the template's nesting."""
    if isinstance(template, int):
        return flat[template]
    return type(template)(nest_inputs(t, flat) for t in template)


def run_model(model: Any, inputs: list[Tensor], kwargs: dict[str, Any],
              template: tuple[Any, ...] | None = None) -> tuple[list[Tensor], dict[int, str]]:
    """Call the model with grad recording on (and eval mode) on ``inputs`` (nested as ``template``
    says, when given); return its flat outputs."""
    owners, handles = _record_module_outputs(model)
    try:
        with autograd.enable_grad():
            result = model(*(inputs if template is None else nest_inputs(template, inputs)), **kwargs)
    finally:
        for handle in handles:
            handle.remove()
    return flatten_outputs(result), owners


def walk(outputs: list[Tensor]) -> tuple[list[Tensor], list[Tensor]]:
    """(tensors with a node, inputs before outputs; leaves) reachable from ``outputs``, without recursion."""
    order: list[Tensor] = []
    leaves: list[Tensor] = []
    visited: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(t, False) for t in reversed(outputs)]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            order.append(tensor)
            continue
        if id(tensor) in visited:
            continue
        visited.add(id(tensor))
        if tensor._node is None:
            leaves.append(tensor)
            continue
        if tensor._node.released:
            raise RuntimeError("onnx.export: the model's graph was freed by a backward during the forward")
        stack.append((tensor, True))
        for parent in reversed(inputs_as_used(tensor._node)):
            if id(parent) not in visited:
                stack.append((parent, False))
    return order, leaves


def trace(model: Any, args: list[Any], kwargs: dict[str, Any], growth: list[dict[int, int]],
          template: tuple[Any, ...] | None = None) -> Trace:
    """Run the model on ``args`` (flat; nested as ``template`` says for the call) and on ``args`` grown
    by ``growth`` (per input: axis -> extra length); return the recorded graph of the first run
    paired, node by node, with the second's."""
    inputs = [traced_input(a) for a in args]
    outputs, owners = run_model(model, inputs, kwargs, template)
    order, leaves = walk(outputs)
    if not any(growth):  # no dynamic axes: the second run would be the first one again
        return Trace([TracedNode(t._node.op, t._node.ctx, t._node.inputs, t, t._node.ctx, t._node.inputs, t)
                      for t in order], inputs, inputs, outputs, outputs, [(t, t) for t in leaves], owners)
    alt_inputs = [grown_input(t, g) if g else traced_input(t) for t, g in zip(inputs, growth)]
    alt_outputs, _ = run_model(model, alt_inputs, kwargs, template)
    alt_order, alt_leaves = walk(alt_outputs)
    if len(order) != len(alt_order) or len(leaves) != len(alt_leaves) or len(outputs) != len(alt_outputs):
        raise RuntimeError("onnx.export: the model records a different graph when a dynamic axis changes size "
                           "(its control flow depends on the input's shape); export it without dynamic_axes")
    nodes = []
    for t, alt in zip(order, alt_order):
        if t._node.op is not alt._node.op or len(t._node.inputs) != len(alt._node.inputs):
            raise RuntimeError(f"onnx.export: the graph changes with the input size at op {t._node.op.__name__}; "
                               "export it without dynamic_axes")
        nodes.append(TracedNode(t._node.op, t._node.ctx, t._node.inputs, t, alt._node.ctx, alt._node.inputs, alt))
    # pair each leaf with its twin: leaves come in the same walk order in both runs
    pairs = list(zip(leaves, alt_leaves))
    by_id = {id(t): i for i, t in enumerate(inputs)}
    for t, alt in pairs:
        if id(t) in by_id and alt is not alt_inputs[by_id[id(t)]]:
            raise RuntimeError("onnx.export: the inputs are read in a different order when a dynamic axis changes")
    return Trace(nodes, inputs, alt_inputs, outputs, alt_outputs, pairs, owners)


def same_values(a: Any, b: Any) -> bool:
    """Two constant arrays are the same constant (same shape and values)."""
    a, b = backend.to_numpy(a), backend.to_numpy(b)
    return a.shape == b.shape and a.dtype == b.dtype and bool(np.array_equal(a, b, equal_nan=True))
