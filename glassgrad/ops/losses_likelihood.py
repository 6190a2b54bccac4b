"""Negative log-likelihood losses of a predicted distribution: Gaussian and Poisson.

gaussian_nll_loss: the target ~ N(input, var), var predicted too (heteroscedastic, one var per
element, or homoscedastic, one var shared along an axis):

    l = (log v + (x - t)^2 / v) / 2  [+ log(2 pi) / 2 with ``full``],   v = max(var, eps)
    dl/dx = (x - t) / v,   dl/dt = -(x - t) / v,   dl/dvar = (1/v - (x - t)^2 / v^2) / 2

As torch, the clamp to ``eps`` changes the value only: the gradient reaches ``var`` as if it
were not clamped (torch clamps a copy in place without recording it).

poisson_nll_loss: the target ~ Poisson(rate), the rate given as its log (``log_input``) or itself:

    log_input:  l = e^x - t x;            dl/dx = e^x - t,          dl/dt = -x
    rate:       l = x - t log(x + eps);   dl/dx = 1 - t / (x + eps), dl/dt = -log(x + eps)

``full`` adds Stirling's approximation of log(t!), t log t - t + log(2 pi t) / 2, where t > 1
(its derivative in t is log t + 1 / (2t)).
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.loss_reduction import check_reduction, legacy_reduction, like, reduce_losses, upstream
from glassgrad.ops.promotion import float_input, is_integral
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["gaussian_nll_loss", "poisson_nll_loss"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["gaussian_nll_loss", "poisson_nll_loss"]

HALF_LOG_TWO_PI = 0.5 * math.log(2 * math.pi)


class GaussianNLL(Op):
    """l = (log v + (x - t)^2 / v) / 2 (+ log(2 pi) / 2), v = max(var, eps); derivatives in the module docstring."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, t: Any, var: Any, *, eps: float, full: bool, reduction: str) -> Any:
        xp = backend.xp
        v = xp.maximum(var, eps).astype(x.dtype, copy=False)
        d = x - t
        losses = 0.5 * (xp.log(v) + d * d / v)
        if full:
            losses = losses + HALF_LOG_TWO_PI
        ctx.save_for_backward(d, v)
        ctx.reduction, ctx.count = reduction, math.prod(losses.shape)  # (losses may be a Tensor: a recording backward)
        return reduce_losses(losses, reduction, ctx.count, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any, Any]:
        d, v = ctx.saved
        g = upstream(grad, ctx.reduction, ctx.count)
        dx = g * d / v
        dvar = g * 0.5 * (1 / v - d * d / (v * v)) if ctx.needs_input_grad[2] else None
        return dx, -dx, dvar


def _gaussian_var(var: Any, x: Tensor) -> Tensor:
    """var as a tensor that broadcasts against the input, by torch's rules (or ValueError)."""
    if isinstance(var, int | float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        return Tensor._make(backend.xp.full(x.shape, var, dtype=x.dtype), False)
    v = as_tensor(var)
    if bool((v.array < 0).any()):
        raise ValueError("var has negative entry/entries")
    if tuple(v.shape) == tuple(x.shape):
        return v
    if tuple(v.shape) == tuple(x.shape[:-1]):  # one variance per row, shared along the last axis
        return v.unsqueeze(-1)
    mismatched = [vs for xs, vs in zip(x.shape, v.shape) if xs != vs]
    if v.ndim == x.ndim and sum(mismatched) == 1:  # one axis of size 1 (shared along it)
        return v
    raise ValueError("var is of incorrect size")


def gaussian_nll_loss(input: Any, target: Any, var: Any, full: bool = False, eps: float = 1e-6,  # noqa: A002
                      reduction: str = "mean") -> Tensor:
    """Gaussian negative log-likelihood with a predicted variance (torch's F.gaussian_nll_loss).

    ``var`` has the input's shape, or that shape without its last axis or with one axis of size 1
    (one variance shared along it), or is a number.
    """
    x, t = as_tensor(input), as_tensor(target)
    v = _gaussian_var(var, x)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return GaussianNLL.apply(x, like(t, x), like(v, x), eps=float(eps), full=bool(full), reduction=reduction)


class PoissonNLL(Op):
    """Poisson negative log-likelihood; the formulas and derivatives are in the module docstring."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, t: Any, *, log_input: bool, full: bool, eps: float, reduction: str) -> Any:
        xp = backend.xp
        if log_input:
            rate = xp.exp(x)
            losses = rate - t * x
        else:
            rate = x + eps
            losses = x - t * xp.log(rate)
        stirling_slope = None
        if full:
            big = t > 1
            safe = xp.where(big, t, 2)
            losses = losses + xp.where(big, safe * xp.log(safe) - safe + 0.5 * xp.log(2 * math.pi * safe), 0)
            stirling_slope = xp.where(big, xp.log(safe) + 0.5 / safe, 0)
        ctx.save_for_backward(x, t, rate)
        ctx.log_input, ctx.stirling_slope, ctx.reduction = log_input, stirling_slope, reduction
        ctx.count = math.prod(losses.shape)  # (losses may be a Tensor: a recording backward)
        return reduce_losses(losses, reduction, ctx.count, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        x, t, rate = ctx.saved
        g = upstream(grad, ctx.reduction, ctx.count)
        dx = dt = None
        if ctx.needs_input_grad[0]:
            dx = g * ((rate - t) if ctx.log_input else (1 - t / rate))
        if ctx.needs_input_grad[1]:
            slope = -x if ctx.log_input else -xp.log(rate)
            if ctx.stirling_slope is not None:
                slope = slope + ctx.stirling_slope
            dt = g * slope
        return dx, dt


def poisson_nll_loss(input: Any, target: Any, log_input: bool = True, full: bool = False,  # noqa: A002
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """Poisson negative log-likelihood of ``target`` counts under a predicted rate (torch's F.poisson_nll_loss).

    An integer ``input`` is promoted as torch does: to a float ``target``'s dtype, else the default float."""
    x, t = as_tensor(input), as_tensor(target)
    if is_integral(x):
        x = float_input(x) if is_integral(t) else x.to(t.dtype)
    reduction = legacy_reduction(size_average, reduce, reduction)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    check_reduction(reduction, "poisson_nll_loss")
    return PoissonNLL.apply(x, like(t, x), log_input=bool(log_input), full=bool(full), eps=float(eps),
                            reduction=reduction)
