"""Shrinkage, thresholding and gated activations: hardshrink, softshrink, threshold, rrelu, glu.

The shrink functions pull small values to zero (used in sparse coding and denoising):

    hardshrink(x) = x where |x| > lambd, else 0
    softshrink(x) = x - lambd where x > lambd,  x + lambd where x < -lambd,  else 0

Both have slope 1 outside [-lambd, lambd] and 0 inside; at |x| = lambd the gradient is 0,
as torch's. ``threshold`` writes ``value`` where x <= threshold and keeps x elsewhere. A NaN
stays NaN through all of them, as in torch; its gradient is 1 for threshold and rrelu (torch
tests "x <= ...", false for NaN) and 0 for the shrinks (torch's vectorised kernels, what every
tensor but a few trailing elements goes through). ``rrelu``
is a leaky ReLU whose negative slope is drawn uniformly from [lower, upper] per element while
training (a fixed (lower + upper) / 2 in evaluation). ``glu`` splits its input in two halves
a, b along ``dim`` and gates one with the other: a * sigmoid(b).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.arrays.sigmoid import stable_sigmoid
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.activation import LeakyReLU
from glassgrad.ops.promotion import is_integral
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["glu", "hardshrink", "rrelu", "softshrink", "threshold"]
TORCH_NAMES = ["hardshrink", "rrelu", "threshold"]
FUNCTIONAL_NAMES = ["glu", "hardshrink", "softshrink"]


def _float_only(op: str, x: Any) -> Tensor:
    """torch's shrink and rrelu kernels exist for floating inputs only (NotImplementedError otherwise)."""
    t = as_tensor(x)
    if is_integral(t):
        raise NotImplementedError(f"{op}: not implemented for {t.dtype} tensors (as torch); convert with .float()")
    return t


class Hardshrink(Op):
    """y = x where |x| > lambd, else 0 (NaN at NaN);  dy/dx = 1 where |x| > lambd, else 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, lambd: float) -> Any:
        xp = backend.xp
        keep = xp.abs(x) > lambd
        ctx.save_for_backward(keep)
        return xp.where(xp.abs(x) <= lambd, xp.zeros((), dtype=x.dtype), x)  # 0.0 inside (x * keep gives -0.0)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (keep,) = ctx.saved
        return grad * keep


def hardshrink(input: Any, lambd: float = 0.5) -> Tensor:  # noqa: A002
    """x where |x| > lambd, else 0 (torch.nn.functional.hardshrink)."""
    return Hardshrink.apply(_float_only("hardshrink", input), lambd=float(lambd))


class Softshrink(Op):
    """y = x - lambd sign(x) where |x| > lambd, 0 where |x| <= lambd (NaN at NaN);
    dy/dx = 1 where |x| > lambd, else 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, lambd: float) -> Any:
        xp = backend.xp
        ctx.save_for_backward(xp.abs(x) > lambd)
        return xp.where(xp.abs(x) <= lambd, 0, x - xp.sign(x) * x.dtype.type(lambd)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (keep,) = ctx.saved
        return grad * keep


def softshrink(input: Any, lambd: float = 0.5) -> Tensor:  # noqa: A002
    """Move x towards 0 by lambd, stopping at 0 (torch.nn.functional.softshrink); lambd >= 0."""
    if lambd < 0:
        raise RuntimeError(f"softshrink: lambda must be non-negative, but found {lambd}")
    return Softshrink.apply(_float_only("softshrink", input), lambd=float(lambd))


class Threshold(Op):
    """y = value where x <= threshold, else x;  dy/dx = 0 where x <= threshold, else 1."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, threshold: float, value: float) -> Any:
        keep = ~(x <= threshold)
        ctx.save_for_backward(keep)
        return backend.xp.where(keep, x, value).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (keep,) = ctx.saved
        return grad * keep


def threshold(x: Any, threshold: float, value: float) -> Tensor:
    """value where x <= threshold, else x (torch.nn.functional.threshold; integer tensors stay integer)."""
    return Threshold.apply(as_tensor(x), threshold=threshold, value=value)


class RandomLeakyReLU(Op):
    """Training-mode rrelu: y = a x where x <= 0 (a ~ U[lower, upper) drawn per element), else x;
    dy/dx = a where x <= 0, else 1 (the saved slopes)."""

    differentiable_backward = True
    constant_saves = (0,)  # the slopes: drawn once, piecewise constant in x

    @staticmethod
    def forward(ctx: Context, x: Any, *, lower: float, upper: float, rng: np.random.Generator) -> Any:
        xp = backend.xp
        drawn = xp.asarray(rng.uniform(lower, upper, size=x.shape), dtype=x.dtype)
        slope = xp.where(x <= 0, drawn, xp.ones((), dtype=x.dtype))
        ctx.save_for_backward(slope)
        return x * slope

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (slope,) = ctx.saved
        return grad * slope  # slope: drawn once, piecewise constant in x (constant_saves)


def rrelu(x: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          rng: np.random.Generator | None = None) -> Tensor:
    """Randomized leaky ReLU: a random negative slope in [lower, upper] per element while training,
    the mean slope (lower + upper) / 2 otherwise (torch.nn.functional.rrelu)."""
    x = _float_only("rrelu", x)
    if lower > upper:
        raise OpInputError(f"rrelu: lower bound {lower} must be at most the upper bound {upper}")
    if not training:
        return LeakyReLU.apply(x, slope=(lower + upper) / 2)
    return RandomLeakyReLU.apply(x, lower=float(lower), upper=float(upper), rng=resolve_rng(rng))


class GLU(Op):
    """Gated linear unit: with a, b the two halves of x along ``dim``, y = a * sigmoid(b);
    dy/da = sigmoid(b),  dy/db = a sigmoid(b) (1 - sigmoid(b))."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, dim: int) -> Any:
        a, b = backend.xp.split(x, 2, axis=dim)
        gate = stable_sigmoid(b)
        ctx.save_for_backward(a, gate)
        ctx.dim = dim
        return a * gate

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, gate = ctx.saved
        da = grad * gate
        db = grad * a * gate * (1 - gate)
        return backend.xp.concatenate([da, db], axis=ctx.dim)


def glu(input: Any, dim: int = -1) -> Tensor:  # noqa: A002
    """a * sigmoid(b) for the halves a, b of x along ``dim`` (torch.nn.functional.glu)."""
    x = as_tensor(input)
    if x.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    if not -x.ndim <= dim < x.ndim:
        raise IndexError(f"glu: dim {dim} is out of range for a {x.ndim}-D input")
    if x.shape[dim] % 2:
        raise RuntimeError(f"glu: halving dimension must be even, but dimension {dim % x.ndim} is size "
                           f"{x.shape[dim]}")
    if is_integral(x):
        raise NotImplementedError(f"glu: not implemented for {x.dtype} tensors (as torch)")
    return GLU.apply(x, dim=dim % x.ndim)
