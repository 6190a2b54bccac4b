"""diff: the n-th forward difference along a dim.

    diff(x)[i] = x[i + 1] - x[i]        (n = 1; n > 1 applies it n times)

``prepend`` and ``append`` are joined to x along ``dim`` first (they must have
x's number of dims). torch composes diff from ``narrow`` and subtraction, and
so does this: the gradient is the adjoint of that difference (dx[i] =
dy[i - 1] - dy[i]). Bool tensors differ by ``!=`` (logical xor), as torch.
Each difference shortens the dim by one; once it is empty it stays empty.
"""

from __future__ import annotations

from glassgrad.ops.compare import ne
from glassgrad.ops.elementwise import sub
from glassgrad.ops.movement import wrap_dim
from glassgrad.ops.movement_join import cat, narrow
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["diff"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def diff(input: Tensor, n: int = 1, dim: int = -1, prepend: Tensor | None = None,  # noqa: A002
         append: Tensor | None = None) -> Tensor:
    """The n-th forward difference along ``dim`` (torch.diff)."""
    x = as_tensor(input)
    if x.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    axis = wrap_dim(dim, x.ndim, "diff")
    if n == 0:
        return x  # torch ignores prepend and append then
    pieces = [as_tensor(p) for p in (prepend, x, append) if p is not None]
    if any(p.ndim != x.ndim for p in pieces):
        raise RuntimeError("diff expects prepend or append to be the same dimension as input")
    if len(pieces) > 1:
        x = cat(pieces, axis)
    for _ in range(n):
        length = x.shape[axis]
        if length == 0:
            break
        later, earlier = narrow(x, axis, 1, length - 1), narrow(x, axis, 0, length - 1)
        x = ne(later, earlier) if x.dtype.kind == "b" else sub(later, earlier)
    return x
