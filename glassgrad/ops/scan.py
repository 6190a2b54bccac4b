"""Scans (running reductions along one dim): cumsum, cumprod, cummax, cummin, logcumsumexp.

Output k along ``dim`` reduces the inputs 0..k, so input i influences the
outputs i..n-1: every backward below sums over those later outputs, which is
a cumulative sum taken in reverse (``_reverse_cumsum``).
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend, dtypes, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.reduce_dims import check_dim
from glassgrad.ops.reduce_select import index_result, take_along_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["cummax", "cummin", "cumprod", "cumsum", "logcumsumexp"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _reverse_cumsum(a: Any, axis: int) -> Any:
    """r_i = a_i + a_(i+1) + ... + a_(n-1) along ``axis``."""
    xp = backend.xp
    return xp.flip(xp.cumsum(xp.flip(a, axis=axis), axis=axis), axis=axis)


def _scan_input(input: Any, dim: int, dtype: Any, op_name: str) -> tuple[Tensor, int]:  # noqa: A002
    """The input (cast to ``dtype`` first; bool and integers accumulate in int64) and its axis."""
    x = as_tensor(input)
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    elif x.dtype.kind in "biu":
        x = x.to(dtypes.int64)
    return x, check_dim(dim, x.ndim, op_name)


class CumSum(Op):
    """y_k = x_0 + ... + x_k along ``axis``;  dx_i = dy_i + dy_(i+1) + ... + dy_(n-1)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axis: int) -> Any:
        ctx.axis, ctx.shape = axis, x.shape
        return backend.xp.cumsum(x.reshape(x.shape or (1,)), axis=axis).reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _reverse_cumsum(grad.reshape(ctx.shape or (1,)), ctx.axis).reshape(ctx.shape)


def cumsum(input: Any, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Running sum along ``dim``."""
    x, axis = _scan_input(input, dim, dtype, "cumsum")
    return CumSum.apply(x, axis=axis)


class CumProd(Op):
    """y_k = x_0 * ... * x_k along ``axis``;  dx_i = sum over k >= i of dy_k * (product of x_j, j <= k, j != i).

    Without a zero in the slice that is (reverse cumsum of dy * y)_i / x_i. With zeros
    (first one at z) the division is avoided: for i < z only outputs before z count
    (later ones contain x_z = 0), so the same formula holds on 0..z-1; x_z itself gets
    y_(z-1) * sum over k >= z of dy_k * x_(z+1) ... x_k; every x_i after z gets 0.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, *, axis: int) -> Any:
        x1 = x.reshape(x.shape or (1,))
        y = backend.xp.cumprod(x1, axis=axis)
        ctx.save_for_backward(x1, y)
        ctx.axis, ctx.shape = axis, x.shape
        return y.reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, y = ctx.saved
        xp = backend.xp
        # one slice per row: (rows, n)
        rows_x = xp.moveaxis(x, ctx.axis, -1)
        shape = rows_x.shape
        rows_x = rows_x.reshape(math.prod(shape[:-1]), shape[-1])  # not -1: NumPy cannot infer it for n = 0
        rows_y = xp.moveaxis(y, ctx.axis, -1).reshape(rows_x.shape)
        rows_g = xp.moveaxis(grad.reshape(x.shape), ctx.axis, -1).reshape(rows_x.shape)
        has_zero = (rows_x == 0).any(axis=1)
        dx = xp.zeros_like(rows_x)
        plain = ~has_zero
        dx[plain] = _reverse_cumsum(rows_g[plain] * rows_y[plain], 1) / rows_x[plain]
        for r in xp.flatnonzero(has_zero):
            dx[r] = _cumprod_grad_with_zero(rows_x[r], rows_y[r], rows_g[r])
        return xp.moveaxis(dx.reshape(shape), -1, ctx.axis).reshape(ctx.shape)


def _cumprod_grad_with_zero(x: Any, y: Any, g: Any) -> Any:
    """The gradient of one 1-D cumprod slice that contains a zero (see ``CumProd``)."""
    xp = backend.xp
    z = int(xp.flatnonzero(x == 0)[0])
    dx = xp.zeros_like(x)
    dx[:z] = _reverse_cumsum(g[:z] * y[:z], 0) / x[:z]
    before = y[z - 1] if z > 0 else 1
    after = xp.concatenate([xp.ones(1, dtype=x.dtype), xp.cumprod(x[z + 1:])])  # x_(z+1) ... x_k for k = z..n-1
    dx[z] = before * (g[z:] * after).sum()
    return dx


def cumprod(input: Any, dim: int, *, dtype: Any = None) -> Tensor:  # noqa: A002
    """Running product along ``dim``; the gradient is exact when the input holds zeros."""
    x, axis = _scan_input(input, dim, dtype, "cumprod")
    return CumProd.apply(x, axis=axis)


def _running_extreme(input: Any, dim: int, smallest: bool, op_name: str) -> Any:  # noqa: A002
    """``(values, indices)``: the max (or min) of elements 0..k along ``dim``, and where it is.

    The index is the LAST position holding that value (torch updates on ties), a NaN
    once seen stays the result, and the gradient goes to the index returned.
    """
    x = as_tensor(input)
    axis = check_dim(dim, x.ndim, op_name)
    xp = backend.xp
    array = x.array.reshape(x.shape or (1,))
    running = (xp.minimum if smallest else xp.maximum).accumulate(array, axis=axis)
    # position j is a candidate where it holds the running extreme (or is NaN); the index at k
    # is the last candidate up to k, since the running extreme changes only at a candidate
    candidate = array == running
    if backend.is_float(array.dtype):
        candidate |= xp.isnan(array)
    shape = [1] * array.ndim
    shape[axis] = array.shape[axis]
    positions = xp.where(candidate, xp.arange(array.shape[axis]).reshape(shape), -1)
    indices = xp.maximum.accumulate(positions, axis=axis)
    result = return_types.cummin if smallest else return_types.cummax
    return result(take_along_dim(x, indices, axis), index_result(indices, True, axis, x.ndim))


def cummax(input: Any, dim: int) -> Any:  # noqa: A002
    """``(values, indices)``: the running maximum along ``dim`` and the index of each."""
    return _running_extreme(input, dim, False, "cummax")


def cummin(input: Any, dim: int) -> Any:  # noqa: A002
    """``(values, indices)``: the running minimum along ``dim`` and the index of each."""
    return _running_extreme(input, dim, True, "cummin")


class LogCumSumExp(Op):
    """y_k = log(exp(x_0) + ... + exp(x_k)) along ``axis``;
    dx_i = sum over k >= i of dy_k exp(x_i - y_k).

    The sum is taken in log space, separately for the positive and the negative dy
    (log |dy_k| - y_k, reverse log-cumsum-exp), so that no exp overflows.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, *, axis: int) -> Any:
        x1 = x.reshape(x.shape or (1,))
        y = backend.xp.logaddexp.accumulate(x1, axis=axis)
        ctx.save_for_backward(x1, y)
        ctx.axis, ctx.shape = axis, x.shape
        return y.reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, y = ctx.saved
        xp, axis = backend.xp, ctx.axis
        g = grad.reshape(x.shape)

        def reverse_logcumsumexp(a: Any) -> Any:
            return xp.flip(xp.logaddexp.accumulate(xp.flip(a, axis=axis), axis=axis), axis=axis)

        with xp.errstate(divide="ignore", invalid="ignore"):
            positive = reverse_logcumsumexp(xp.where(g > 0, xp.log(xp.abs(g)) - y, -xp.inf))
            negative = reverse_logcumsumexp(xp.where(g < 0, xp.log(xp.abs(g)) - y, -xp.inf))
            dx = xp.exp(x + positive) - xp.exp(x + negative)
        return dx.reshape(ctx.shape)


def logcumsumexp(input: Any, dim: int) -> Tensor:  # noqa: A002
    """Running log(sum(exp(x))) along ``dim``, without overflow."""
    x = as_tensor(input)
    if not backend.is_float(x.dtype):
        x = x.to(backend.get_default_dtype())
    return LogCumSumExp.apply(x, axis=check_dim(dim, x.ndim, "logcumsumexp"))
