"""Reductions: sum, mean, max, min, var, std, and argmax/argmin (no gradient).

Each backward first re-inserts the reduced axes (``_expand_reduced``) so the
incoming gradient broadcasts against the input.
"""

from __future__ import annotations

import builtins
from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.tensor import Tensor, as_tensor

Axis = int | tuple[int, ...] | None


def normalize_axes(axis: Axis, ndim: int, op_name: str) -> tuple[int, ...]:
    """Axis argument -> sorted tuple of non-negative axes (None = all)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    result = []
    for a in axes:
        if not -ndim <= a < builtins.max(ndim, 1):
            raise ValueError(f"{op_name}: axis {a} is out of range for a tensor of {ndim} dims")
        result.append(a % ndim if ndim else 0)
    if len(set(result)) != len(result):
        raise ValueError(f"{op_name}: repeated axis in {axis}")
    return tuple(sorted(result))


def _expand_reduced(grad: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    """Put back the reduced axes as size-1 axes, so grad broadcasts to the input."""
    if keepdims or not axes:
        return grad
    return backend.xp.expand_dims(grad, axes)


def _count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    n = 1
    for a in axes:
        n *= shape[a]
    return n


class Sum(Function):
    """y = sum of x over axes;  dy/dx = 1 for every summed element."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdims: bool) -> Any:
        ctx.shape, ctx.axes, ctx.keepdims = x.shape, axes, keepdims
        return x.sum(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        g = _expand_reduced(grad, ctx.axes, ctx.keepdims)
        return backend.xp.broadcast_to(g, ctx.shape)


def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum over axis (all axes when None)."""
    x = as_tensor(x)
    return Sum.apply(x, axes=normalize_axes(axis, x.ndim, "sum"), keepdims=keepdims)


class Mean(Function):
    """y = (1/N) sum of x over axes;  dy/dx = 1/N, N the count of reduced elements."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdims: bool) -> Any:
        ctx.shape, ctx.axes, ctx.keepdims = x.shape, axes, keepdims
        return x.mean(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        g = _expand_reduced(grad, ctx.axes, ctx.keepdims) / _count(ctx.shape, ctx.axes)
        return backend.xp.broadcast_to(g, ctx.shape)


def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Mean over axis (all axes when None)."""
    x = as_tensor(x)
    axes = normalize_axes(axis, x.ndim, "mean")
    if x.size and _count(x.shape, axes) == 0:
        raise ValueError(f"mean: reducing an empty axis of a tensor of shape {x.shape}")
    return Mean.apply(x, axes=axes, keepdims=keepdims)


class Max(Function):
    """y = max of x over axes;  dy/dx = 1/k at the k elements equal to the max, else 0
    (ties share the gradient evenly, as torch.amax)."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdims: bool, smallest: bool) -> Any:
        y = x.min(axis=axes, keepdims=True) if smallest else x.max(axis=axes, keepdims=True)
        ctx.save_for_backward(x, y)
        ctx.axes, ctx.keepdims = axes, keepdims
        return y if keepdims else y.reshape([n for i, n in enumerate(y.shape) if i not in axes])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, y = ctx.saved
        hit = (x == y).astype(grad.dtype)
        share = hit / hit.sum(axis=ctx.axes, keepdims=True)
        return _expand_reduced(grad, ctx.axes, ctx.keepdims) * share


def max(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Largest value over axis (all axes when None)."""
    x = as_tensor(x)
    _refuse_empty(x, "max")
    axes = normalize_axes(axis, x.ndim, "max")
    return Max.apply(x, axes=axes, keepdims=keepdims, smallest=False)


def min(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Smallest value over axis (all axes when None); backward as ``Max``."""
    x = as_tensor(x)
    _refuse_empty(x, "min")
    axes = normalize_axes(axis, x.ndim, "min")
    return Max.apply(x, axes=axes, keepdims=keepdims, smallest=True)


def _refuse_empty(x: Tensor, op_name: str) -> None:
    if x.size == 0:
        raise ValueError(f"{op_name}: cannot reduce an empty tensor of shape {x.shape}")


class Var(Function):
    """y = sum((x - m)^2) / (N - c), m the mean, c the correction (1 = unbiased);
    dy/dx = 2 (x - m) / (N - c)."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdims: bool, correction: int) -> Any:
        centred = x - x.mean(axis=axes, keepdims=True)
        dof = _count(x.shape, axes) - correction
        ctx.save_for_backward(centred)
        ctx.axes, ctx.keepdims, ctx.dof = axes, keepdims, dof
        return (centred * centred).sum(axis=axes, keepdims=keepdims) / dof

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (centred,) = ctx.saved
        return _expand_reduced(grad, ctx.axes, ctx.keepdims) * (2 / ctx.dof) * centred


def var(x: Any, axis: Axis = None, keepdims: bool = False, correction: int = 1) -> Tensor:
    """Variance over axis; correction=1 (default, as torch) divides by N - 1."""
    x = as_tensor(x)
    axes = normalize_axes(axis, x.ndim, "var")
    if _count(x.shape, axes) - correction <= 0:
        raise ValueError(
            f"var: {_count(x.shape, axes)} element(s) with correction={correction} "
            f"leave no degrees of freedom (shape {x.shape}, axis {axis})"
        )
    return Var.apply(x, axes=axes, keepdims=keepdims, correction=correction)


def std(x: Any, axis: Axis = None, keepdims: bool = False, correction: int = 1) -> Tensor:
    """Standard deviation: sqrt(var); the gradient flows through both ops."""
    return var(x, axis, keepdims, correction).sqrt()


def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the largest value (int64, no gradient); flat index when axis is None."""
    x = as_tensor(x)
    _refuse_empty(x, "argmax")
    return Tensor(backend.xp.argmax(x.data, axis=axis, keepdims=keepdims))


def argmin(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the smallest value (int64, no gradient)."""
    x = as_tensor(x)
    _refuse_empty(x, "argmin")
    return Tensor(backend.xp.argmin(x.data, axis=axis, keepdims=keepdims))
