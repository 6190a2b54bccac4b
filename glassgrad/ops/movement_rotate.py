"""rot90: a quarter turn (or k of them) in the plane of two dims.

    rot90(x, 1, (0, 1)) = flip(x, 1) with dims 0 and 1 swapped
    (the first row of the result is the last column of x: a turn from dim 0 towards dim 1)

torch composes it from ``flip`` and ``transpose``, and so does this; k counts
modulo 4 (k = 2 flips both dims; a negative k turns the other way). The
gradient is the opposite turn of the output gradient.
"""

from __future__ import annotations

from collections.abc import Sequence

from glassgrad.ops.movement import transpose, wrap_dim
from glassgrad.ops.movement_order import flip
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["rot90"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def rot90(input: Tensor, k: int = 1, dims: Sequence[int] = (0, 1)) -> Tensor:  # noqa: A002
    """``input`` turned by k quarter turns in the plane of ``dims`` (torch.rot90)."""
    x = as_tensor(input)
    dims = list(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if x.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {x.ndim}")
    first, second = (wrap_dim(d, x.ndim, "rot90") for d in dims)
    if first == second:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {first} and dim1 = {second}")
    k %= 4
    if k == 1:
        return transpose(flip(x, [second]), first, second)
    if k == 2:
        return flip(x, [first, second])
    if k == 3:
        return flip(transpose(x, first, second), [second])
    return x.clone()
