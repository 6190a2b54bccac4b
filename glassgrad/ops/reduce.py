"""Reductions that add or multiply: sum, mean, nansum, nanmean, prod; and the
logical ones (all, any, count_nonzero), which carry no gradient.

Each takes torch's ``dim`` (an int, a tuple, or None for every dim) and
``keepdim``; NumPy's ``axis`` / ``keepdims`` are accepted as aliases. Each
backward first re-inserts the reduced axes (``expand_reduced``) so that the
incoming gradient broadcasts against the input.

The extremes (max, min, amax, argmax, ...) live in ``reduce_extrema.py`` and
the statistics (var, std, logsumexp, norm) in ``reduce_stats.py``.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, dtypes
from glassgrad.kernels import broadcast, sums
from glassgrad.op import Context, Op
from glassgrad.ops.arguments import pick_dim, pick_keepdim
from glassgrad.ops.reduce_dims import Dims, count, expand_reduced, reduction_dims
from glassgrad.ops.reduce_extrema import argmax as argmax  # re-exported: ops/__init__ imports these from here
from glassgrad.ops.reduce_extrema import argmin as argmin
from glassgrad.ops.reduce_extrema import max as max  # noqa: A004
from glassgrad.ops.reduce_extrema import min as min  # noqa: A004
from glassgrad.ops.reduce_stats import std as std
from glassgrad.ops.reduce_stats import var as var
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "all", "any", "argmax", "argmin", "count_nonzero", "max", "mean", "min", "nanmean", "nansum", "prod", "std",
    "sum", "var",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _integer_sum_dtype(x: Tensor) -> Any:
    """torch sums and multiplies bool and integer tensors in int64."""
    dtype = x.array.dtype  # (the array's: the dtype property is a call)
    return dtypes.int64 if dtype.kind in "biu" else dtype


def _cast_first(x: Any, dtype: Any) -> Tensor:
    """``x`` as a tensor, converted to ``dtype`` first when one is asked for (as torch's ``dtype=``)."""
    x = as_tensor(x)
    return x if dtype is None else x.to(dtypes.to_dtype(dtype))


class Sum(Op):
    """y = sum of x over axes;  dy/dx = 1 for every summed element."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        if dtype != x.dtype:
            return x.sum(axis=axes, keepdims=keepdim, dtype=dtype)
        return sums.sum_axes(x, axes, keepdim)  # x.sum(axis=axes, keepdims=keepdim), by BLAS where it can

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        g = expand_reduced(grad, ctx.axes, ctx.keepdim)
        return broadcast.broadcast_to(g, ctx.shape)  # backend.xp.broadcast_to(g, ctx.shape), as a view made directly


def sum(input: Any, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None,  # noqa: A001, A002
        axis: Dims = None, keepdims: bool | None = None) -> Tensor:
    """Sum over ``dim`` (every dim when None); bool and integer tensors sum in int64."""
    x = _cast_first(input, dtype)
    axes = reduction_dims(pick_dim(dim, axis, "sum"), x.ndim, "sum")
    return Sum.apply(x, axes=axes, keepdim=pick_keepdim(keepdim, keepdims), dtype=_integer_sum_dtype(x))


class Mean(Op):
    """y = (1/N) sum of x over axes;  dy/dx = 1/N, N the count of reduced elements.

    Over an empty axis N = 0 and y is NaN (0/0), as torch gives.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool) -> Any:
        ctx.shape, ctx.axes, ctx.keepdim = x.shape, axes, keepdim
        ctx.n = count(x.shape, axes)
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            return sums.sum_axes(x, axes, keepdim) / x.dtype.type(ctx.n)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            g = expand_reduced(grad, ctx.axes, ctx.keepdim) / grad.dtype.type(ctx.n)
        return broadcast.broadcast_to(g, ctx.shape)  # backend.xp.broadcast_to(g, ctx.shape), as a view made directly


def _require_float(x: Tensor, op_name: str) -> None:
    if not backend.is_float(x.dtype) and x.dtype.kind != "c":
        raise RuntimeError(
            f"{op_name}(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {x.dtype} (pass dtype=glassgrad.float32, or convert the tensor first)"
        )


def mean(input: Any, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None,  # noqa: A002
         axis: Dims = None, keepdims: bool | None = None) -> Tensor:
    """Mean over ``dim`` (every dim when None); the input must be floating (or ``dtype`` given)."""
    x = _cast_first(input, dtype)
    _require_float(x, "mean")
    axes = reduction_dims(pick_dim(dim, axis, "mean"), x.ndim, "mean")
    return Mean.apply(x, axes=axes, keepdim=pick_keepdim(keepdim, keepdims))


class NanSum(Op):
    """y = sum of the non-NaN x over axes;  dy/dx = 1 where x is not NaN, 0 at a NaN."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool) -> Any:
        ctx.counted = ~backend.xp.isnan(x)
        ctx.axes, ctx.keepdim = axes, keepdim
        return backend.xp.where(ctx.counted, x, 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return expand_reduced(grad, ctx.axes, ctx.keepdim) * ctx.counted


def nansum(input: Any, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None,  # noqa: A002
           axis: Dims = None, keepdims: bool | None = None) -> Tensor:
    """Sum over ``dim`` treating NaN as 0."""
    x = _cast_first(input, dtype)
    axes = reduction_dims(pick_dim(dim, axis, "nansum"), x.ndim, "nansum")
    if not backend.is_float(x.dtype):
        return sum(x, axes, pick_keepdim(keepdim, keepdims))
    return NanSum.apply(x, axes=axes, keepdim=pick_keepdim(keepdim, keepdims))


class NanMean(Op):
    """y = (sum of the non-NaN x) / n, n the count of non-NaN x;
    dy/dx = 1/n where x is not NaN, 0 at a NaN (y is NaN when n = 0)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool) -> Any:
        counted = ~backend.xp.isnan(x)
        ctx.counted, ctx.axes, ctx.keepdim = counted, axes, keepdim
        ctx.n = counted.sum(axis=axes, keepdims=True).astype(x.dtype)
        total = backend.xp.where(counted, x, 0).sum(axis=axes, keepdims=True)
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            y = total / ctx.n
        return y if keepdim else y.squeeze(axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        with backend.xp.errstate(invalid="ignore", divide="ignore"):
            return expand_reduced(grad, ctx.axes, ctx.keepdim) / ctx.n * ctx.counted


def nanmean(input: Any, dim: Dims = None, keepdim: bool = False, *, dtype: Any = None,  # noqa: A002
            axis: Dims = None, keepdims: bool | None = None) -> Tensor:
    """Mean over ``dim`` of the values that are not NaN."""
    x = _cast_first(input, dtype)
    _require_float(x, "nanmean")
    axes = reduction_dims(pick_dim(dim, axis, "nanmean"), x.ndim, "nanmean")
    return NanMean.apply(x, axes=axes, keepdim=pick_keepdim(keepdim, keepdims))


class Prod(Op):
    """y = product of x over axes;  dy/dx_i = product of the other elements.

    Written without dividing by x_i, so zeros are exact (torch's rule):
    no zero in the slice: dy/dx_i = y / x_i;  one zero: the zero gets the
    product of the rest and every other element 0;  two or more zeros: all 0.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...], keepdim: bool, dtype: Any) -> Any:
        ctx.save_for_backward(x)
        ctx.axes, ctx.keepdim = axes, keepdim
        return x.prod(axis=axes, keepdims=keepdim, dtype=dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        xp = backend.xp
        is_zero = x == 0
        zeros = is_zero.sum(axis=ctx.axes, keepdims=True)
        product_of_nonzero = xp.prod(xp.where(is_zero, 1, x), axis=ctx.axes, keepdims=True)
        others = xp.where(
            zeros == 0,
            product_of_nonzero / xp.where(is_zero, 1, x),  # no zero: y / x_i
            xp.where(is_zero & (zeros == 1), product_of_nonzero, 0),  # one zero: only it gets a gradient
        )
        return expand_reduced(grad, ctx.axes, ctx.keepdim) * others


def prod(input: Any, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None,  # noqa: A002
         axis: int | None = None, keepdims: bool | None = None) -> Tensor:
    """Product over ``dim`` (one dim, or every dim when None); bool and integer tensors in int64."""
    x = _cast_first(input, dtype)
    axes = reduction_dims(pick_dim(dim, axis, "prod"), x.ndim, "prod")
    return Prod.apply(x, axes=axes, keepdim=pick_keepdim(keepdim, keepdims), dtype=_integer_sum_dtype(x))


# ----- logical reductions (no gradient) --------------------------------------------------------
def _logical(x: Any, dim: Any, keepdim: bool, reducer: str, op_name: str) -> Tensor:
    x = as_tensor(x)
    axes = reduction_dims(dim, x.ndim, op_name)
    result = getattr(backend.xp, reducer)(x.array.astype(bool), axis=axes, keepdims=keepdim)
    dtype = dtypes.uint8 if x.dtype == dtypes.uint8 else dtypes.bool  # torch keeps uint8 as uint8
    return Tensor._make(backend.xp.asarray(result, dtype=dtype), False)


def all(input: Any, dim: Dims = None, keepdim: bool = False, *, axis: Dims = None,  # noqa: A001, A002
        keepdims: bool | None = None) -> Tensor:
    """True where every element over ``dim`` is non-zero (bool; no gradient)."""
    return _logical(input, pick_dim(dim, axis, "all"), pick_keepdim(keepdim, keepdims), "all", "all")


def any(input: Any, dim: Dims = None, keepdim: bool = False, *, axis: Dims = None,  # noqa: A001, A002
        keepdims: bool | None = None) -> Tensor:
    """True where some element over ``dim`` is non-zero (bool; no gradient)."""
    return _logical(input, pick_dim(dim, axis, "any"), pick_keepdim(keepdim, keepdims), "any", "any")


def count_nonzero(input: Any, dim: Dims = None, *, axis: Dims = None) -> Tensor:  # noqa: A002
    """How many elements over ``dim`` are non-zero (int64; no gradient)."""
    x = as_tensor(input)
    axes = reduction_dims(pick_dim(dim, axis, "count_nonzero"), x.ndim, "count_nonzero")
    counts = (x.array != 0).sum(axis=axes)
    return Tensor._make(backend.xp.asarray(counts, dtype=dtypes.int64), False)
