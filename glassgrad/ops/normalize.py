"""Lp normalisation along one axis: torch's ``F.normalize``."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpDtypeError
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor


class Normalize(Op):
    """y = x / d with d = max(n, eps) and n = ||x||_p along ``dim``:

        dy/dx: grad_x = g / d - [n > eps] (sum_dim g x) / d^2 * dn/dx,
        dn/dx = sign(x) |x|^(p-1) / n^(p-1)      (x / n for p = 2).

    Below ``eps`` the denominator is the constant eps, so only the first term remains.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, p: float, dim: int, eps: float) -> Any:
        xp = backend.xp
        abs_x = xp.abs(x)
        norm = (abs_x**p).sum(axis=dim, keepdims=True) ** (1.0 / p)
        denom = xp.maximum(norm, eps)
        ctx.save_for_backward(x, norm, denom)
        ctx.p, ctx.dim, ctx.eps = p, dim, eps
        return x / denom

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        x, norm, denom = ctx.saved
        grad_x = grad / denom
        above = norm > ctx.eps
        with np.errstate(divide="ignore", invalid="ignore"):
            d_norm = xp.sign(x) * xp.abs(x) ** (ctx.p - 1) / norm ** (ctx.p - 1)  # dn/dx
            along = (grad * x).sum(axis=ctx.dim, keepdims=True) / (denom * denom)
            correction = xp.where(above, along * d_norm, 0)
        return grad_x - correction


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Any = None) -> Tensor:  # noqa: A002
    """``input / max(||input||_p, eps)`` along ``dim`` (torch's F.normalize); rows of unit p-norm."""
    x = as_tensor(input)
    if out is not None:
        raise NotImplementedError("normalize: out= is not supported; use the returned tensor")
    if not backend.is_float(x.dtype):
        raise OpDtypeError(f"normalize: input must be a floating tensor, got dtype {x.dtype}")
    if not p > 0 or p == float("inf"):
        raise ValueError(f"normalize: p must be a finite positive number, got {p}")
    return Normalize.apply(x, p=float(p), dim=x._dim(dim), eps=float(eps))
