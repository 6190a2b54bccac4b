"""Binary cross-entropy, from probabilities and (stably) from logits, with fused backward passes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.arrays.sigmoid import stable_sigmoid
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.loss_reduction import (
    check_reduction,
    elementwise_weight,
    legacy_reduction,
    like,
    reduce_losses,
    upstream,
)
from glassgrad.tensor import Tensor, as_tensor


class BinaryCrossEntropy(Op):
    """Binary cross-entropy from probabilities p with targets y (and weights w):

        loss = -w (y log p + (1 - y) log(1 - p)),  each log clamped at -100 as torch,
        d/dp = w (p - y) / max(p (1 - p), 1e-12),    d/dy = w (log(1 - p) - log p).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, p: Any, y: Any, *, weight: Any, reduction: str) -> Any:
        xp = backend.xp
        with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
            log_p = xp.maximum(xp.log(p), -100)
            log_1mp = xp.maximum(xp.log1p(-p), -100)
        losses = -(y * log_p + (1 - y) * log_1mp)
        if weight is not None:
            losses = losses * weight
        ctx.save_for_backward(p, y, log_p, log_1mp)
        ctx.weight, ctx.reduction = weight, reduction
        return reduce_losses(losses, reduction, math.prod(losses.shape), p.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        p, y, log_p, log_1mp = ctx.saved
        g = upstream(grad, ctx.reduction, math.prod(p.shape))
        if ctx.weight is not None:
            g = g * ctx.weight
        dp = g * (p - y) / xp.maximum(p * (1 - p), 1e-12) if ctx.needs_input_grad[0] else None
        dy = g * (log_1mp - log_p) if ctx.needs_input_grad[1] else None
        return dp, dy


def binary_cross_entropy(input: Any, target: Any, weight: Any = None, size_average: bool | None = None,  # noqa: A002
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy from probabilities in [0, 1] (torch's F.binary_cross_entropy).

    Prefer ``binary_cross_entropy_with_logits`` on raw scores: it is stable where this one saturates.
    """
    p, y = as_tensor(input), as_tensor(target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "binary_cross_entropy")
    if p.shape != y.shape:
        raise ValueError(f"binary_cross_entropy: target shape {tuple(y.shape)} must equal input shape {tuple(p.shape)}")
    if p.numel() and (float(p.array.min()) < 0 or float(p.array.max()) > 1):
        raise OpInputError("binary_cross_entropy: input must hold probabilities in [0, 1]; for raw scores use "
                           "binary_cross_entropy_with_logits")
    w = elementwise_weight(weight, p, "weight", "binary_cross_entropy")
    return BinaryCrossEntropy.apply(p, like(y, p), weight=w, reduction=reduction)


class BinaryCrossEntropyWithLogits(Op):
    """Binary cross-entropy on logits x, stable for any |x|. With softplus(-x) =
    log(1 + e^-x) = log(1 + e^-|x|) + max(-x, 0), pos_weight r and l = 1 + (r - 1) y:

        loss = w ((1 - y) x + l softplus(-x))       (= max(x, 0) - x y + log(1 + e^-|x|) when r = 1)
        d/dx = w ((1 - y) - l sigmoid(-x))           (= sigmoid(x) - y when r = 1)
        d/dy = w (-x + (r - 1) softplus(-x))
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, weight: Any, pos_weight: Any, reduction: str) -> Any:
        xp = backend.xp
        softplus_neg = xp.log1p(xp.exp(-xp.abs(x))) + xp.maximum(-x, 0)
        log_weight = 1 + (pos_weight - 1) * y if pos_weight is not None else None
        losses = (1 - y) * x + (softplus_neg if log_weight is None else log_weight * softplus_neg)
        if weight is not None:
            losses = losses * weight
        ctx.save_for_backward(x, y, softplus_neg)
        ctx.weight, ctx.pos_weight, ctx.log_weight, ctx.reduction = weight, pos_weight, log_weight, reduction
        return reduce_losses(losses, reduction, math.prod(losses.shape), x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        x, y, softplus_neg = ctx.saved
        g = upstream(grad, ctx.reduction, math.prod(x.shape))
        if ctx.weight is not None:
            g = g * ctx.weight
        dx = dy = None
        if ctx.needs_input_grad[0]:
            if ctx.log_weight is None:
                dx = g * (stable_sigmoid(x) - y)
            else:
                dx = g * ((1 - y) - ctx.log_weight * stable_sigmoid(-x))
        if ctx.needs_input_grad[1]:
            dy = g * (-x if ctx.pos_weight is None else (ctx.pos_weight - 1) * softplus_neg - x)
        return dx, dy


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,  # noqa: A002
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Sigmoid + binary cross-entropy in one stable op (torch's F.binary_cross_entropy_with_logits).

    Args:
        input: logits, any shape.
        target: targets in [0, 1], the input's shape.
        weight: optional per-element weights, broadcast to the input's shape.
        size_average, reduce: deprecated (torch's); use ``reduction``.
        reduction: "mean", "sum" or "none".
        pos_weight: optional weight of the positive term, broadcast along the last axis (one per class).
    """
    x, y = as_tensor(input), as_tensor(target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "binary_cross_entropy_with_logits")
    if x.shape != y.shape:
        raise ValueError(f"binary_cross_entropy_with_logits: target shape {tuple(y.shape)} must equal input shape "
                         f"{tuple(x.shape)}")
    w = elementwise_weight(weight, x, "weight", "binary_cross_entropy_with_logits")
    pw = elementwise_weight(pos_weight, x, "pos_weight", "binary_cross_entropy_with_logits")
    return BinaryCrossEntropyWithLogits.apply(x, like(y, x), weight=w, pos_weight=pw, reduction=reduction)
