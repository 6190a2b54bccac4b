"""Membership and runs: isin and unique_consecutive.

    isin(elements, test_elements)   True where an element of ``elements`` occurs in ``test_elements``
    unique_consecutive(x)           x with each run of equal neighbours kept once: [1, 1, 2, 1] -> [1, 2, 1]

Neither is differentiable (their results are truth values, or a selection of
the input's values whose gradient torch does not define); they return tensors
that do not require grad, as ``unique`` does. NaN never equals NaN: it is never
``isin`` anything and each NaN is a run of its own.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend
from glassgrad.ops.movement import wrap_dim
from glassgrad.ops.type_promotion import promoted
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["isin", "unique_consecutive"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False) -> Tensor:
    """A bool tensor shaped like ``elements``: which of them are among ``test_elements`` (either may be
    a number); ``invert`` gives the opposite (torch.isin)."""
    del assume_unique  # a speed hint only
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin(): expected elements or test_elements to be a Tensor")
    a, b = promoted(elements, test_elements)
    if a.dtype.kind == "b":
        raise RuntimeError("Unsupported input type encountered for isin(): Bool")
    found = backend.xp.isin(a.array, b.array.reshape(-1), invert=invert)
    return Tensor._make(found, False)


def _run_starts(rows: Any) -> Any:
    """True at each row (along axis 0) that differs from the row before it (the first row starts a run)."""
    xp = backend.xp
    flat = rows.reshape(rows.shape[0], int(numpy.prod(rows.shape[1:])))
    starts = xp.ones(rows.shape[0], dtype=bool)
    if rows.shape[0] > 1:
        starts[1:] = (flat[1:] != flat[:-1]).any(axis=1) if flat.shape[1] else False
    return starts


def unique_consecutive(input: Tensor, return_inverse: bool = False, return_counts: bool = False,  # noqa: A002
                       dim: int | None = None) -> Any:
    """Each run of equal consecutive elements (or slices along ``dim``) kept once (torch.unique_consecutive).

    ``return_inverse``: also, for each element (slice), the position of its run in the result;
    ``return_counts``: also the length of each run.
    """
    x = as_tensor(input)
    xp = backend.xp
    if dim is None:
        rows, inverse_shape = x.array.reshape(-1), x.shape
    else:
        array = x.array.reshape(x.shape or (1,))
        axis = wrap_dim(dim, array.ndim, "unique_consecutive")
        rows, inverse_shape = xp.moveaxis(array, axis, 0), (array.shape[axis],)
    starts = _run_starts(rows)
    values = rows[starts]
    if dim is not None:
        values = xp.moveaxis(values, 0, axis)
    result: list[Tensor] = [Tensor._make(values, False)]
    if return_inverse:
        inverse = (xp.cumsum(starts) - 1).astype(numpy.int64).reshape(inverse_shape)
        result.append(Tensor._make(inverse, False))
    if return_counts:
        bounds = xp.append(xp.flatnonzero(starts), rows.shape[0])
        result.append(Tensor._make(xp.diff(bounds).astype(numpy.int64), False))
    return result[0] if len(result) == 1 else tuple(result)
