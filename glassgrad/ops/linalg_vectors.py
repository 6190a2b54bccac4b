"""Vector products and Vandermonde matrices: ``cross``, ``vecdot``, ``vander``.

cross: c = a x b of 3-vectors along ``dim``, c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1} (indices mod 3).
Since <g, a x b> = <a, b x g> = <b, g x a> (the triple product is cyclic),

    ga = b x g,    gb = g x a.

vander: V[..., i, j] = x_i^j for j = 0 .. N-1;  gx_i = sum_{j >= 1} j x_i^{j-1} g_ij.
vecdot: sum over ``dim`` of x * y (the product's and the sum's gradients).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.type_promotion import result_type
from glassgrad.tensor import Tensor, as_tensor


def cross_array(a: Any, b: Any, axis: int) -> Any:
    """a x b along ``axis`` (of length 3), broadcasting."""
    xp = backend.xp
    return (xp.roll(a, -1, axis) * xp.roll(b, -2, axis)) - (xp.roll(a, -2, axis) * xp.roll(b, -1, axis))


class Cross(Op):
    """c = a x b along ``axis``;  ga = b x g,  gb = g x a."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, *, axis: int) -> Any:
        ctx.save_for_backward(a, b)
        ctx.axis = axis
        return cross_array(a, b, axis)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        return cross_array(b, grad, ctx.axis), cross_array(grad, a, ctx.axis)


def _size_at(t: Tensor, axis: int, ndim: int) -> int:
    """t's length along ``axis`` of the broadcast shape (of ``ndim`` dims): 1 where t lacks that axis."""
    own = axis - (ndim - t.ndim)
    return t.shape[own] if own >= 0 else 1


def _cross(op: str, input: Any, other: Any, dim: int) -> Tensor:  # noqa: A002
    a, b = as_tensor(input), as_tensor(other)
    if a.dtype != b.dtype:
        raise RuntimeError(f"{op}: expected scalar type {a.dtype} but found {b.dtype}")
    if a.ndim != b.ndim:
        raise RuntimeError(f"{op}: inputs must have the same number of dimensions.")
    shape = tuple(numpy.broadcast_shapes(tuple(a.shape), tuple(b.shape)))
    ndim = max(len(shape), 1)
    if not -ndim <= dim < ndim:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})")
    a_size, b_size = (_size_at(t, dim % ndim, ndim) for t in (a, b))
    if len(shape) == 0 or a_size != 3 or b_size != 3:
        raise RuntimeError(f"{op}: inputs dimension {dim} must have length 3. Got {a_size} and {b_size}")
    return Cross.apply(a.expand(*shape), b.expand(*shape), axis=dim % ndim)


def linalg_cross(input: Any, other: Any, *, dim: int = -1) -> Tensor:  # noqa: A002
    """torch.linalg.cross: a x b along ``dim`` (length 3); the other dimensions broadcast."""
    return _cross("linalg.cross", input, other, dim)


def cross(input: Any, other: Any, dim: int | None = None) -> Tensor:  # noqa: A002
    """torch.cross: ``linalg.cross``, but with ``dim=None`` the first dimension of length 3 (torch's old
    default, which it warns about)."""
    a = as_tensor(input)
    if dim is None:
        warnings.warn("Using torch.cross without specifying the dim arg is deprecated. Please either pass the dim "
                      "explicitly or simply use torch.linalg.cross. The default value of dim will change to agree "
                      "with that of linalg.cross in a future release.", UserWarning, stacklevel=2)
        shape = numpy.broadcast_shapes(tuple(a.shape), tuple(as_tensor(other).shape))
        dim = next((i for i, n in enumerate(shape) if n == 3), -1)
    return _cross("linalg.cross", a, other, dim)


def vecdot(x: Any, y: Any, *, dim: int = -1) -> Tensor:
    """torch.linalg.vecdot: sum over ``dim`` of conj(x) * y (x conjugated when complex), broadcasting."""
    a, b = as_tensor(x), as_tensor(y)
    if a.dtype != b.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{a.dtype} and y of type {b.dtype} instead")
    return ((a.conj() if a.is_complex() else a) * b).sum(dim)


class Vander(Op):
    """V_ij = x_i^j (j = 0 .. N-1);  gx_i = sum_{j >= 1} j x_i^{j-1} g_ij."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, columns: int) -> Any:
        ctx.save_for_backward(x)
        return _powers(x, columns)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        columns = grad.shape[-1]
        if columns < 2:
            return backend.xp.zeros_like(x)
        lower = _powers(x, columns - 1)  # x^0 .. x^{N-2}
        j = backend.xp.arange(1, columns, dtype=x.dtype)
        return (grad[..., 1:] * j * lower).sum(-1)


def _powers(x: Any, columns: int) -> Any:
    """x^0, x^1, ... x^{columns-1} along a new last axis, by repeated products (exact 1s and 0^0 = 1)."""
    xp = backend.xp
    powers = [xp.ones(tuple(x.shape), dtype=x.dtype)]
    for _ in range(1, columns):
        powers.append(powers[-1] * x)
    return xp.stack(powers, axis=-1)


def linalg_vander(x: Any, *, N: int | None = None) -> Tensor:  # noqa: N803
    """torch.linalg.vander: (..., n) -> (..., n, N) with columns x^0, x^1, ..., x^{N-1} (N = n by default;
    a 0-d x is one value)."""
    t = as_tensor(x)
    t = t.reshape(1) if t.ndim == 0 else t
    columns = t.shape[-1] if N is None else N
    if columns <= 1:
        raise RuntimeError("N must be greater than 1.")
    if t.dtype.kind == "b":
        t = t.to(result_type(t, 1))
    return Vander.apply(t, columns=columns)


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803
    """torch.vander: a 1-D x's Vandermonde matrix, powers decreasing left to right unless ``increasing``."""
    t = as_tensor(x)
    if t.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    v = linalg_vander(t, N=N)
    return v if increasing else v.flip(-1)
