"""Values picked by index along one dim: the op behind ``max(dim)``, ``sort``,
``topk``, ``kthvalue``, ``median(dim)``, ``mode`` and ``cummax``.

Each of those ops first decides WHICH elements it returns (an index tensor,
no gradient) and then picks them with ``TakeAlongDim``. The picked values
carry the gradient back to exactly the positions they were taken from,
which is torch's rule for all of these ops (a tie gives the gradient to the
one index returned, not to every tied element).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor


def scatter_add_along(shape: tuple[int, ...], dim: int, indices: Any, values: Any) -> Any:
    """An array of zeros of ``shape`` with ``values[p]`` added at ``indices[p]`` along ``dim``.

    ``indices`` and ``values`` have the same shape, equal to ``shape`` except along ``dim``.
    A position picked twice (cummax does that) receives the sum. Given a Tensor (a backward
    recording its graph), the differentiable op ``ScatterAddAlong``.
    """
    if isinstance(values, Tensor):
        return ScatterAddAlong.apply(values, shape=tuple(shape), dim=dim, indices=indices)
    xp = backend.xp
    out = xp.zeros(shape, dtype=values.dtype)
    positions = list(xp.indices(indices.shape, sparse=True))  # one open grid per axis
    positions[dim] = indices
    xp.add.at(out, tuple(positions), values)
    return out


class ScatterAddAlong(Op):
    """out = zeros of ``shape`` with values[p] added at indices[p] along ``dim`` (the adjoint of picking);
    d values = d out picked at the same indices."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, values: Any, *, shape: tuple[int, ...], dim: int, indices: Any) -> Any:
        ctx.dim, ctx.indices = dim, indices
        return scatter_add_along(shape, dim, indices, values)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.take_along_axis(grad, ctx.indices, axis=ctx.dim)


class TakeAlongDim(Op):
    """y[..., j, ...] = x[..., indices[..., j, ...], ...] along ``dim``;
    dx = dy added back at the picked positions (0 elsewhere).

    ``indices`` has as many axes as x (at least 1). With ``keepdim=False`` the
    output drops ``dim`` (its length in ``indices`` must then be 1).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, indices: Any, dim: int, keepdim: bool) -> Any:
        ctx.shape, ctx.indices, ctx.dim, ctx.keepdim = x.shape, indices, dim, keepdim
        x = x.reshape(x.shape or (1,))  # a 0-d tensor acts as one axis of length 1
        picked = backend.xp.take_along_axis(x, indices, axis=dim)
        if not ctx.shape:
            return picked.reshape(())
        return picked if keepdim else picked.squeeze(dim)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        g = grad.reshape(ctx.indices.shape)  # the same elements, with ``dim`` put back
        return scatter_add_along(ctx.shape or (1,), ctx.dim, ctx.indices, g).reshape(ctx.shape)


def take_along_dim(x: Tensor, indices: Any, dim: int, keepdim: bool = True) -> Tensor:
    """``x``'s values at ``indices`` (an int64 array) along ``dim``; see ``TakeAlongDim``."""
    return TakeAlongDim.apply(x, indices=indices, dim=dim, keepdim=keepdim)


def index_result(indices: Any, keepdim: bool, dim: int, ndim: int) -> Tensor:
    """The int64 index tensor an op returns next to its values (no gradient)."""
    if not keepdim:
        indices = indices.squeeze(dim)
    elif ndim == 0:
        indices = indices.reshape(())
    return Tensor._make(indices.astype("int64", copy=False), False)


class EqualShare(Op):
    """y = ``value``, one element of x chosen by the caller (the max, the median, ...);
    dy/dx = 1/k at each of the k elements equal to it, 0 elsewhere.

    This is torch's rule for ``max()``, ``min()`` and ``median()`` without a dim:
    tied elements share the gradient evenly (a NaN result shares it among the NaNs).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, value: Any) -> Any:
        ctx.save_for_backward(x)
        ctx.value = value
        return backend.xp.asarray(value, dtype=x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        xp = backend.xp
        hit = (x == ctx.value) | (xp.isnan(x) & xp.isnan(ctx.value))
        return grad * hit / hit.sum()


def equal_share(x: Tensor, value: Any) -> Tensor:
    """A 0-d tensor holding ``value`` (an element of x) whose gradient ties share evenly."""
    return EqualShare.apply(x, value=value)
