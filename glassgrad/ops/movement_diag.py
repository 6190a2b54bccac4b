"""Triangles and diagonals: tril, triu, diagonal, diag_embed, diag.

``diagonal`` reads the elements (i, i + offset) of a matrix (of each matrix in a
batch); ``diag_embed`` writes a vector onto that diagonal of a zero matrix. They
are each other's adjoint, so each one's backward is the other.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.movement import wrap_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["diag", "diag_embed", "diagonal", "tril", "triu"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Triangle(Op):
    """y = x with the elements above (tril) or below (triu) diagonal k zeroed;
    dx = dy with the same elements zeroed."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, lower: bool, diagonal: int) -> Any:
        ctx.lower, ctx.diagonal = lower, diagonal
        return backend.xp.tril(x, diagonal) if lower else backend.xp.triu(x, diagonal)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.tril(grad, ctx.diagonal) if ctx.lower else backend.xp.triu(grad, ctx.diagonal)


def tril(x: Any, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two dims: elements (i, j) with j - i <= diagonal, others 0."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise OpInputError(f"tril: input tensor must have at least 2 dimensions, got shape {tuple(x.shape)}")
    return Triangle.apply(x, lower=True, diagonal=int(diagonal))


def triu(x: Any, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two dims: elements (i, j) with j - i >= diagonal, others 0."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise OpInputError(f"triu: input tensor must have at least 2 dimensions, got shape {tuple(x.shape)}")
    return Triangle.apply(x, lower=False, diagonal=int(diagonal))


def _diagonal_positions(rows: int, cols: int, offset: int) -> tuple[Any, Any]:
    """Row and column indices of the elements (i, i + offset) inside a rows x cols matrix."""
    xp = backend.xp
    start_row, start_col = max(-offset, 0), max(offset, 0)
    length = max(min(rows - start_row, cols - start_col), 0)
    steps = xp.arange(length)
    return steps + start_row, steps + start_col


class Diagonal(Op):
    """y[..., i] = x[..., i, i + offset] over dims (dim1, dim2), the diagonal put last;
    dx = zeros with dy written back onto that diagonal."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, offset: int, dim1: int, dim2: int) -> Any:
        xp = backend.xp
        ctx.shape, ctx.dims = x.shape, (dim1, dim2)
        ctx.rows, ctx.cols = _diagonal_positions(x.shape[dim1], x.shape[dim2], offset)
        diagonal = xp.diagonal(x, offset, dim1, dim2)  # a view: an in-place edit of it writes into x, as torch's
        flags = getattr(diagonal, "flags", None)
        if flags is not None and hasattr(flags, "writeable") and x.flags.writeable:
            diagonal.flags.writeable = True  # NumPy hands the view out read-only; it is x's own memory
        return diagonal

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        from glassgrad.ops.indexing import ArrayIndex, written_at

        xp = backend.xp
        moved = [n for i, n in enumerate(ctx.shape) if i not in ctx.dims] + [ctx.shape[d] for d in ctx.dims]
        dx = written_at(tuple(moved), ArrayIndex((Ellipsis, ctx.rows, ctx.cols)), grad, accumulate=False)
        return xp.moveaxis(dx, (-2, -1), ctx.dims)  # zeros with dy on the diagonal, the dims put back


def diagonal(x: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """The diagonal (i, i + offset) of the matrices over dims ``dim1`` and ``dim2``, as the last dim."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise OpInputError(f"diagonal: input must have at least 2 dimensions, got shape {tuple(x.shape)}")
    d1, d2 = wrap_dim(dim1, x.ndim, "diagonal"), wrap_dim(dim2, x.ndim, "diagonal")
    if d1 == d2:
        raise OpInputError(f"diagonal: dimensions cannot be identical {dim1}, {dim2}")
    return Diagonal.apply(x, offset=int(offset), dim1=d1, dim2=d2)


_diagonal_of = diagonal  # ``diag`` below has a parameter named ``diagonal``, as torch


class DiagEmbed(Op):
    """y = zero matrices over dims (dim1, dim2) with x's last dim written on diagonal ``offset``;
    dx = that diagonal of dy."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, offset: int, dim1: int, dim2: int) -> Any:
        xp = backend.xp
        size = x.shape[-1] + abs(offset)
        ctx.rows, ctx.cols = _diagonal_positions(size, size, offset)
        ctx.dims = (dim1, dim2)
        y = xp.zeros(x.shape[:-1] + (size, size), dtype=x.dtype)
        y[..., ctx.rows, ctx.cols] = x
        return xp.ascontiguousarray(xp.moveaxis(y, (-2, -1), (dim1, dim2)))  # a fresh tensor, as torch's

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.moveaxis(grad, ctx.dims, (-2, -1))[..., ctx.rows, ctx.cols]


def diag_embed(x: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """Matrices whose diagonal ``offset`` holds the last dim of ``x``, placed at dims (dim1, dim2)
    of the result (which has one more dim than ``x``)."""
    x = as_tensor(x)
    if x.ndim < 1:
        raise OpInputError("diag_embed: input must have at least 1 dimension")
    d1, d2 = wrap_dim(dim1, x.ndim + 1, "diag_embed"), wrap_dim(dim2, x.ndim + 1, "diag_embed")
    if d1 == d2:
        raise OpInputError(f"diag_embed: diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagEmbed.apply(x, offset=int(offset), dim1=d1, dim2=d2)


def diag(x: Any, diagonal: int = 0) -> Tensor:
    """1-d ``x``: the square matrix with ``x`` on diagonal ``diagonal``;
    2-d ``x``: its diagonal ``diagonal`` as a vector."""
    x = as_tensor(x)
    if x.ndim == 1:
        return diag_embed(x, diagonal, 0, 1)
    if x.ndim == 2:
        return _diagonal_of(x, diagonal)
    raise OpInputError(f"diag: supports 1D or 2D tensors, got {x.ndim}D (shape {tuple(x.shape)})")
