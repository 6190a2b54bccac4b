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
from glassgrad.ops.indexing import ArrayIndex, written_at
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

    Where x_i != 0 that is (reverse cumsum of dy * y)_i / x_i. At a zero x_i the division is avoided:
    dx_i = y_(i-1) * sum over k >= i of dy_k * x_(i+1) ... x_k. Only a row's first zero gets a nonzero
    value there (y_(i-1) holds the earlier zeros), so the ordinary backward computes it at first zeros
    only; a backward recording its graph computes it at every zero, whose derivatives need not vanish.
    """

    differentiable_backward = True

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
        rows = (math.prod(shape[:-1]), shape[-1])  # not -1: NumPy cannot infer it for n = 0
        rows_x = rows_x.reshape(rows)
        rows_y = xp.moveaxis(y, ctx.axis, -1).reshape(rows)
        rows_g = xp.moveaxis(grad.reshape(tuple(x.shape)), ctx.axis, -1).reshape(rows)
        nonzero = xp.not_equal(rows_x, 0)  # (an array, also when rows_x is a Tensor)
        dx = xp.where(nonzero, _reverse_cumsum(rows_g * rows_y, 1) / xp.where(nonzero, rows_x, 1), 0)
        zeros = ~nonzero
        if not isinstance(grad, Tensor):
            zeros &= xp.cumsum(zeros, axis=1) == 1  # a row's first zero
        positions = xp.nonzero(zeros)
        at_zero = [_cumprod_grad_at_zero(rows_x[r], rows_y[r], rows_g[r], i)
                   for r, i in zip(positions[0].tolist(), positions[1].tolist())]
        if at_zero:
            dx = dx + written_at(rows, ArrayIndex(positions), xp.stack(at_zero), accumulate=False)
        return xp.moveaxis(dx.reshape(shape), -1, ctx.axis).reshape(ctx.shape)


def _cumprod_grad_at_zero(x: Any, y: Any, g: Any, i: int) -> Any:
    """dx_i of one 1-D cumprod slice where x_i = 0: y_(i-1) * sum over k >= i of g_k * x_(i+1) ... x_k."""
    xp = backend.xp
    before = y[i - 1] if i > 0 else 1
    after = xp.concatenate([xp.ones(1, dtype=x.dtype), xp.cumprod(x[i + 1:], axis=0)])  # k = i..n-1
    return before * (g[i:] * after).sum()


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
    (log |dy_k| - y_k, reverse log-cumsum-exp), so that no exp overflows. The log of a
    zero share is the lowest finite float rather than -inf, so that differentiating this
    backward again meets no inf - inf.
    """

    differentiable_backward = True

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
        g = grad.reshape(tuple(x.shape))
        log_zero = xp.finfo(x.dtype).min

        def reverse_logcumsumexp(a: Any) -> Any:
            return xp.flip(xp.logaddexp.accumulate(xp.flip(a, axis=axis), axis=axis), axis=axis)

        def log_share(part: Any) -> Any:  # log(dy_k) - y_k where dy_k is in this part, else "log 0"
            return xp.where(part, xp.log(xp.where(part, xp.abs(g), 1)) - y, log_zero)

        positive = reverse_logcumsumexp(log_share(xp.greater(g, 0)))
        negative = reverse_logcumsumexp(log_share(xp.less(g, 0)))
        with xp.errstate(over="ignore"):  # a "log 0" input x plus a "log 0" share: -inf, whose exp is the 0 wanted
            dx = xp.exp(x + positive) - xp.exp(x + negative)
        return dx.reshape(ctx.shape)


def logcumsumexp(input: Any, dim: int) -> Tensor:  # noqa: A002
    """Running log(sum(exp(x))) along ``dim``, without overflow."""
    x = as_tensor(input)
    if not backend.is_float(x.dtype):
        x = x.to(backend.get_default_dtype())
    return LogCumSumExp.apply(x, axis=check_dim(dim, x.ndim, "logcumsumexp"))
