"""Regression losses on the difference d = x - y: mse, l1, smooth_l1, huber.

Each is one op with its derivative in d; the gradient for the target is the
negative of the input's. Input and target broadcast (torch warns when their
shapes differ, because (N, 1) against (N,) silently becomes (N, N); so do
we). An optional elementwise ``weight`` (torch 2.x's ``F.mse_loss(weight=)``)
multiplies each loss; the mean then divides by the sum of the weights for
mse and l1, by the element count for huber (torch's choices, kept).

| loss            | l(d)                                                    | dl/dd                          |
|-----------------|---------------------------------------------------------|--------------------------------|
| mse_loss        | d^2                                                     | 2 d                            |
| l1_loss         | abs(d)                                                  | sign(d)  (0 at 0, as torch)    |
| smooth_l1_loss  | d^2 / (2 beta) if abs(d) < beta else abs(d) - beta / 2  | d / beta or sign(d)            |
| huber_loss      | d^2 / 2 if abs(d) <= delta else delta (abs(d) - delta / 2) | d or delta sign(d)          |

Huber(delta) = delta * SmoothL1(beta=delta); SmoothL1 with beta = 0 is L1.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpDtypeError, OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.loss_reduction import (
    check_reduction,
    legacy_reduction,
    like,
    reduce_losses,
    upstream,
    warn_if_sizes_differ,
)
from glassgrad.tensor import Tensor, as_tensor


def _weighted(losses: Any, weight: Any) -> tuple[Any, Any]:
    """(weight * losses, the mean's denominator)."""
    if weight is None:
        return losses, math.prod(losses.shape)
    weighted = losses * weight
    return weighted, backend.xp.broadcast_to(weight, weighted.shape).sum()


def _input_and_target_grads(ctx: Context, grad: Any, d_diff: Any) -> tuple[Any, Any]:
    """d loss / d x = upstream * dl/dd, d loss / d y = - that (the engine reduces broadcast shapes)."""
    g = upstream(grad, ctx.reduction, ctx.denominator) * d_diff
    if ctx.weight is not None:
        g = g * ctx.weight
    return (g if ctx.needs_input_grad[0] else None), (-g if ctx.needs_input_grad[1] else None)


class MSELoss(Op):
    """Squared error, loss = (x - y)^2 per element;  d/dx = 2 (x - y),  d/dy = -2 (x - y)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, weight: Any, reduction: str) -> Any:
        diff = x - y
        losses, ctx.denominator = _weighted(diff * diff, weight)
        ctx.save_for_backward(diff)
        ctx.weight, ctx.reduction = weight, reduction
        return reduce_losses(losses, reduction, ctx.denominator, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        (diff,) = ctx.saved
        return _input_and_target_grads(ctx, grad, 2 * diff)


class L1Loss(Op):
    """Absolute error, loss = |x - y|;  d/dx = sign(x - y) (0 where x = y, as torch),  d/dy = -sign(x - y)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, weight: Any, reduction: str) -> Any:
        diff = x - y
        losses, ctx.denominator = _weighted(backend.xp.abs(diff), weight)
        ctx.save_for_backward(diff)
        ctx.weight, ctx.reduction = weight, reduction
        return reduce_losses(losses, reduction, ctx.denominator, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        (diff,) = ctx.saved
        return _input_and_target_grads(ctx, grad, backend.xp.sign(diff))


class SmoothL1Loss(Op):
    """Quadratic near 0, linear beyond ``beta``:

        l = d^2 / (2 beta)  if |d| < beta,  |d| - beta / 2  otherwise;
        dl/dd = d / beta    if |d| < beta,  sign(d)         otherwise   (d = x - y).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, beta: float, reduction: str) -> Any:
        xp = backend.xp
        diff = x - y
        abs_diff = xp.abs(diff)
        if beta == 0:
            losses = abs_diff
        else:
            losses = xp.where(abs_diff < beta, 0.5 * diff * diff / beta, abs_diff - 0.5 * beta)
        ctx.save_for_backward(diff)
        ctx.beta, ctx.weight, ctx.reduction, ctx.denominator = beta, None, reduction, math.prod(losses.shape)
        return reduce_losses(losses, reduction, math.prod(losses.shape), x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        (diff,) = ctx.saved
        if ctx.beta == 0:
            return _input_and_target_grads(ctx, grad, xp.sign(diff))
        return _input_and_target_grads(ctx, grad, xp.where(xp.abs(diff) < ctx.beta, diff / ctx.beta, xp.sign(diff)))


class HuberLoss(Op):
    """Quadratic near 0, linear beyond ``delta`` (delta times SmoothL1 with beta = delta):

        l = d^2 / 2  if |d| <= delta,  delta (|d| - delta / 2)  otherwise;
        dl/dd = d    if |d| <= delta,  delta sign(d)            otherwise   (d = x - y).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, delta: float, weight: Any, reduction: str) -> Any:
        xp = backend.xp
        diff = x - y
        abs_diff = xp.abs(diff)
        losses = xp.where(abs_diff <= delta, 0.5 * diff * diff, delta * (abs_diff - 0.5 * delta))
        losses = losses if weight is None else losses * weight
        ctx.denominator = math.prod(losses.shape)  # torch's weighted Huber mean divides by the count, not the weights
        ctx.save_for_backward(diff)
        ctx.delta, ctx.weight, ctx.reduction = delta, weight, reduction
        return reduce_losses(losses, reduction, ctx.denominator, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        (diff,) = ctx.saved
        return _input_and_target_grads(ctx, grad, xp.where(xp.abs(diff) <= ctx.delta, diff, ctx.delta * xp.sign(diff)))


# ----- functional forms (torch's signatures) ----------------------------------------
def _prepare(input: Any, target: Any, weight: Any, reduction: str, op_name: str) -> tuple[Tensor, Tensor, Any]:  # noqa: A002
    x, y = as_tensor(input), as_tensor(target)
    check_reduction(reduction, op_name)
    if not backend.is_float(x.dtype):
        raise OpDtypeError(f"{op_name}: input must be a floating tensor, got dtype {x.dtype}")
    warn_if_sizes_differ(x, y, op_name)
    w = None
    if weight is not None:
        w = weight.array if isinstance(weight, Tensor) else backend.xp.asarray(weight)
        if tuple(w.shape) != tuple(x.shape):
            raise ValueError(f"{op_name}: Weights and input must have the same size (weight {tuple(w.shape)}, "
                             f"input {tuple(x.shape)}).")
        w = w.astype(x.dtype, copy=False)
    return x, like(y, x), w


def mse_loss(input: Any, target: Any, size_average: bool | None = None, reduce: bool | None = None,  # noqa: A002
             reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean squared error (torch's F.mse_loss); the shapes must broadcast (a warning when they differ)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y, w = _prepare(input, target, weight, reduction, "mse_loss")
    return MSELoss.apply(x, y, weight=w, reduction=reduction)


def l1_loss(input: Any, target: Any, size_average: bool | None = None, reduce: bool | None = None,  # noqa: A002
            reduction: str = "mean", weight: Any = None) -> Tensor:
    """Mean absolute error (torch's F.l1_loss)."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    x, y, w = _prepare(input, target, weight, reduction, "l1_loss")
    return L1Loss.apply(x, y, weight=w, reduction=reduction)


def smooth_l1_loss(input: Any, target: Any, size_average: bool | None = None,  # noqa: A002
                   reduce: bool | None = None, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """Smooth L1 (torch's F.smooth_l1_loss): quadratic for |x - y| < beta, linear beyond."""
    reduction = legacy_reduction(size_average, reduce, reduction)
    if beta < 0:
        raise OpInputError(f"smooth_l1_loss does not support negative values for beta (got {beta}).")
    x, y, _ = _prepare(input, target, None, reduction, "smooth_l1_loss")
    return SmoothL1Loss.apply(x, y, beta=float(beta), reduction=reduction)


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0,  # noqa: A002
               weight: Any = None) -> Tensor:
    """Huber loss (torch's F.huber_loss): quadratic for |x - y| <= delta, linear (slope delta) beyond."""
    if delta <= 0:
        raise OpInputError(f"huber_loss does not support non-positive values for delta (got {delta}).")
    x, y, w = _prepare(input, target, weight, reduction, "huber_loss")
    return HuberLoss.apply(x, y, delta=float(delta), weight=w, reduction=reduction)
