"""Flat indices and coordinates: unravel_index and nonzero_static.

    unravel_index(7, (2, 4))  = (1, 3)      (row-major: 7 = 1 * 4 + 3)
    nonzero_static(x, size=k) = the first k rows of nonzero(x), padded with fill_value to k rows

Both give int64 index tensors, with no gradient. As torch, unravel_index does
not check its indices: each coordinate is taken modulo its size (rounding down),
so -1 names the last element.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy

from glassgrad import backend
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["nonzero_static", "unravel_index"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def unravel_index(indices: Tensor, shape: int | Sequence[int]) -> tuple[Tensor, ...]:
    """The coordinates in a tensor of ``shape`` of each flat (row-major) index (torch.unravel_index)."""
    flat = as_tensor(indices)
    if flat.dtype.kind not in "iu":
        raise TypeError(f"expected 'indices' to be integer dtype, but got {flat.dtype}")
    dims = (shape,) if isinstance(shape, int) else tuple(int(n) for n in shape)
    if any(n < 0 for n in dims):
        raise ValueError("'shape' cannot have negative values, but got " + str(tuple(dims)))
    remaining = flat.array.astype(numpy.int64)
    coordinates = []
    for size in reversed(dims):
        coordinates.append(remaining % size if size else remaining * 0)
        remaining = remaining // size if size else remaining
    return tuple(Tensor._make(c, False) for c in reversed(coordinates))


def nonzero_static(input: Tensor, *, size: int, fill_value: int = -1) -> Tensor:  # noqa: A002
    """The coordinates of the nonzero elements, exactly ``size`` rows: cut, or padded with ``fill_value``
    (torch.nonzero_static)."""
    x = as_tensor(input)
    if size < 0:
        raise RuntimeError(f"nonzero_static: 'size' must be an non-negative integer, got {size}")
    found = numpy.argwhere(backend.to_numpy(x.array)).astype(numpy.int64)[:size]
    out = numpy.full((size, x.ndim), fill_value, dtype=numpy.int64)
    out[: len(found)] = found
    return Tensor._make(backend.xp.asarray(out), False)
