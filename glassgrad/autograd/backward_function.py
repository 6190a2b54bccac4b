"""``torch.autograd.backward``: ``Tensor.backward`` for several outputs at once.

    glassgrad.autograd.backward([loss_a, loss_b])           # the same as (loss_a + loss_b).backward()
    glassgrad.autograd.backward(y, grad_tensors=v)           # the same as y.backward(v)

Every output's gradient flows into the same leaves' ``.grad``, where contributions add. The outputs
may share parts of one graph: each is walked with the graph kept until the last, which frees it
(unless ``retain_graph=True``), so a shared node's saved values are there for every walk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad.tensor import Tensor


def backward(tensors: Tensor | Sequence[Tensor], grad_tensors: Any = None, retain_graph: bool | None = None,
             create_graph: bool = False, grad_variables: Any = None, inputs: Any = None) -> None:
    """Accumulate d sum(tensors_i * grad_tensors_i) / d leaf into each leaf's ``.grad``."""
    outputs = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    if grad_variables is not None:  # torch's old name for grad_tensors
        grad_tensors = grad_variables
    if grad_tensors is None:
        grads: list[Any] = [None] * len(outputs)
    elif isinstance(grad_tensors, Tensor) or not isinstance(grad_tensors, Sequence):
        grads = [grad_tensors]
    else:
        grads = list(grad_tensors)
    if len(grads) != len(outputs):
        raise RuntimeError(f"grad_tensors has {len(grads)} tensors but tensors has {len(outputs)}")
    if not outputs:
        raise RuntimeError("autograd.backward: no tensors to differentiate")
    keep = create_graph if retain_graph is None else retain_graph
    for position, (output, grad) in enumerate(zip(outputs, grads)):
        last = position == len(outputs) - 1
        output.backward(grad, retain_graph=keep if last else True, create_graph=create_graph, inputs=inputs)
