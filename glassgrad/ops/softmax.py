"""Softmax and log-softmax along any axis, numerically stable.

Both subtract the maximum along the axis first: softmax(x) = softmax(x - c)
for any constant c, and with c = max(x) every exponent is <= 0, so nothing
overflows. (Along the last axis the fast kernel ``kernels/softmax_shift.py`` may
subtract a larger c, one block's maximum, where that is as safe.)
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.kernels import softmax_shift, sums
from glassgrad.op import Context, Op
from glassgrad.ops.arguments import pick_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["log_softmax", "softmax", "softmin"]
TORCH_NAMES = ["log_softmax", "softmax"]
FUNCTIONAL_NAMES = []


def max_shift(x: Any, axes: int | tuple[int, ...]) -> Any:
    """m = the max of x over ``axes`` (keepdims), the shift that keeps exp(x - m) from overflowing.

    A slice along an empty axis has no max (NumPy refuses one); m is 0 there: exp(x - m) of an
    empty slice is empty whatever m is, so softmax gives an empty result and logsumexp -inf, as torch.
    """
    axes = (axes,) if isinstance(axes, int) else axes
    if any(x.shape[a] == 0 for a in axes):
        return backend.xp.zeros(tuple(1 if a in axes or a - x.ndim in axes else n for a, n in enumerate(x.shape)),
                                dtype=x.dtype)
    return backend.xp.amax(x, axis=axes, keepdims=True)


def softmax_shift_along(x: Any, axis: int) -> Any:
    """The shift m that softmax and log-softmax subtract before exp: ``max_shift(x, axis)``, the max along
    the axis. Along the last axis of an array, the fast kernel may give one max per block of rows instead
    (``kernels/softmax_shift.py``), when each row's first entry (a lower bound of its max) shows it safe.
    (The first entry, not the row's mean: the mean by BLAS cost more than the kernel saves on (768, 65)
    logits; and a causal mask written with masked_fill leaves the first column, only that, finite.)"""
    if isinstance(x, Tensor) or not softmax_shift.serves(x) or axis % x.ndim != x.ndim - 1 \
            or x.shape[-1] == 0:
        return max_shift(x, axis)
    return softmax_shift.shift(x, x[..., :1])


def shifted_exp(x: Any) -> tuple[Any, Any]:
    """(exp(x - c), c) along the last axis of a 2-D array, c from ``softmax_shift_along`` ((M, 1) or (1, 1)):
    softmax's numerator, in one new array."""
    shift = softmax_shift_along(x, 1)
    e = x - shift
    backend.xp.exp(e, out=e)
    return e, backend.xp.broadcast_to(shift, (x.shape[0], 1))


def stable_log_softmax(x: Any, axis: int) -> Any:
    """log softmax(x) = (x - m) - log sum exp(x - m), m = max along axis (or a larger shift: see
    ``softmax_shift_along``)."""
    shifted = x - softmax_shift_along(x, axis)
    with backend.xp.errstate(divide="ignore"):  # log 0 only for an empty axis, whose result is empty
        log_total = backend.xp.log(sums.sum_along(backend.xp.exp(shifted), axis))
    if isinstance(shifted, Tensor):  # a forward run again to record its graph: the expression, which records
        return shifted - log_total
    shifted -= log_total  # the same subtraction into x - m, this function's own array: one array of x's size less
    return shifted


class Softmax(Op):
    """y_i = e^{x_i} / sum_j e^{x_j};  dx = y * (dy - sum_j dy_j y_j)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axis: int) -> Any:
        with backend.xp.errstate(invalid="ignore"):  # a row of -inf only gives NaN, silently as in torch
            e = backend.xp.exp(x - softmax_shift_along(x, axis))
            y = e / sums.sum_along(e, axis)
        ctx.save_for_backward(y)
        ctx.axis = axis
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        return y * (grad - sums.sum_along(grad * y, ctx.axis))


def softmax(x: Any, dim: int | None = None, dtype: Any = None, *, axis: int | None = None) -> Tensor:
    """Softmax along ``axis``.

    torch's signature (``dim``, optional ``dtype`` cast first); ``axis`` is the NumPy alias;
    with neither, the last dim.
    """
    axis = pick_dim(dim, axis, "softmax")
    axis = -1 if axis is None else axis
    x = as_tensor(x) if dtype is None else as_tensor(x).to(dtype)
    _check_axis(x, axis, "softmax")
    if x.ndim == 0:  # one element along dim 0 (or -1), as torch
        return Softmax.apply(x.reshape(1), axis=0).reshape(())
    return Softmax.apply(x, axis=axis)


class LogSoftmax(Op):
    """y_i = x_i - log sum_j e^{x_j};  dx = dy - softmax(x) * sum_j dy_j."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, axis: int) -> Any:
        y = stable_log_softmax(x, axis)
        ctx.save_for_backward(y)
        ctx.axis = axis
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        return grad - backend.xp.exp(y) * sums.sum_along(grad, ctx.axis)


def log_softmax(x: Any, dim: int | None = None, dtype: Any = None, *, axis: int | None = None) -> Tensor:
    """Log of softmax along ``axis``, computed without overflow or log(0).

    torch's signature (``dim``, optional ``dtype`` cast first); ``axis`` is the NumPy alias;
    with neither, the last dim.
    """
    axis = pick_dim(dim, axis, "log_softmax")
    axis = -1 if axis is None else axis
    x = as_tensor(x) if dtype is None else as_tensor(x).to(dtype)
    _check_axis(x, axis, "log_softmax")
    if x.ndim == 0:  # one element along dim 0 (or -1), as torch
        return LogSoftmax.apply(x.reshape(1), axis=0).reshape(())
    return LogSoftmax.apply(x, axis=axis)


def _check_axis(x: Tensor, axis: int, op_name: str) -> None:
    """A dim out of range is torch's IndexError (a 0-d tensor takes dim 0 or -1, as torch)."""
    rank = max(x.ndim, 1)
    if not -rank <= axis < rank:
        raise IndexError(f"{op_name}: Dimension out of range (expected to be in range of [{-rank}, "
                         f"{rank - 1}], but got {axis})")


def legacy_softmax_dim(ndim: int, name: str) -> int:
    """torch's deprecated implicit dim for softmax-like ops called without ``dim`` (with its warning):
    0 for 0-, 1- and 3-D inputs, else 1."""
    import warnings

    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", UserWarning, stacklevel=3)
    return 0 if ndim in (0, 1, 3) else 1


def softmin(x: Any, dim: int | None = None, dtype: Any = None) -> Tensor:
    """softmin(x) = softmax(-x) along ``dim``: y_i = e^{-x_i} / sum_j e^{-x_j} (a composition, as torch;
    its gradient is softmax's with the sign of -x). Without ``dim``, torch's legacy implicit choice."""
    x = as_tensor(x) if dtype is None else as_tensor(x).to(dtype)
    if dim is None:
        dim = legacy_softmax_dim(x.ndim, "softmin")
    return softmax(-x, dim)
