"""All parameters as one flat vector and back (torch's ``parameters_to_vector`` / ``vector_to_parameters``).

Useful for second-order methods, evolution strategies and for looking at a
whole network's weights at once. The order is the iteration order of
``parameters`` and each tensor is flattened row-major (C order), as torch.
"""

from __future__ import annotations

from collections.abc import Iterable

from glassgrad import autograd, ops
from glassgrad.errors import OpInputError
from glassgrad.tensor import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """One 1-D tensor holding every parameter's values, one after another.

    The result is part of the graph (a ``cat`` of reshapes), so gradients flow back to the parameters.
    """
    params = list(parameters)
    if not params:
        raise ValueError("parameters_to_vector: got no parameters")
    return ops.cat([p.reshape(-1) for p in params], 0)


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of the 1-D ``vec`` into the parameters (in place, not recorded)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected glassgrad.Tensor, but got: {type(vec).__name__}")
    if vec.ndim != 1:
        raise OpInputError(f"vector_to_parameters: vec must be 1-D, got shape {tuple(vec.shape)}")
    params = list(parameters)
    needed = sum(p.numel() for p in params)
    if vec.numel() != needed:
        raise OpInputError(f"vector_to_parameters: vec has {vec.numel()} elements but the parameters hold {needed}")
    start = 0
    with autograd.no_grad():
        for p in params:
            count = p.numel()
            p._write(vec.array[start:start + count].reshape(p.shape).astype(p.dtype, copy=False))
            start += count
