"""Piecewise-linear ("hard") activations: hardtanh, relu6, hardsigmoid, hardswish.

They are cheap stand-ins for tanh, sigmoid and swish. At their corners the
derivative follows torch: hardtanh, relu6 and hardsigmoid pass the gradient
only strictly inside their linear piece; hardswish uses 0 at x = -3 and 1 at x = 3.
At NaN, torch's vectorised kernels (what every tensor but a few trailing elements goes through)
give hardtanh, relu6 and hardsigmoid the gradient 0 and hardswish NaN; glassgrad does the same.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.promotion import float_input
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["hardsigmoid", "hardswish", "hardtanh", "relu6"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []


class Hardtanh(Op):
    """y = min(max(x, low), high);  dy/dx = 1 where low < x < high (strictly), else 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, low: float, high: float) -> Any:
        ctx.save_for_backward((x > low) & (x < high))
        return backend.xp.clip(x, low, high)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (inside,) = ctx.saved
        return grad * inside


def hardtanh(x: Any, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """Clamp to [min_val, max_val] with torch's corner gradients (0 at the corners).

    An integer tensor stays integer, as in torch: the bounds are truncated to integers first."""
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
    t = as_tensor(x)
    if t.dtype.kind == "b":
        raise RuntimeError("hardtanh: bool inputs are not supported (torch: 'Bool inputs not supported')")
    if t.dtype.kind in "iu":  # no gradient to carry: a plain clamp in the tensor's own dtype
        return Tensor._make(backend.xp.clip(t.array, int(min_val), int(max_val)).astype(t.dtype), False)
    return Hardtanh.apply(t, low=float(min_val), high=float(max_val))


def relu6(x: Any) -> Tensor:
    """min(max(x, 0), 6) = hardtanh(x, 0, 6)."""
    return hardtanh(x, 0.0, 6.0)


class Hardsigmoid(Op):
    """y = min(max(x / 6 + 1/2, 0), 1);  dy/dx = 1/6 where -3 < x < 3, else 0."""

    # torch has no double backward for hardsigmoid: glassgrad raises as torch does
    not_differentiable_reason = "derivative for hardsigmoid_backward is not implemented (as in torch)"

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward((x > -3) & (x < 3))
        return backend.xp.clip(x / 6 + 0.5, 0, 1)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (inside,) = ctx.saved
        return grad * inside / 6


def hardsigmoid(x: Any) -> Tensor:
    """A piecewise-linear sigmoid: 0 below -3, 1 above 3, x / 6 + 1/2 between."""
    return Hardsigmoid.apply(float_input(x))


class Hardswish(Op):
    """y = x hardsigmoid(x) = x min(max(x + 3, 0), 6) / 6;
    dy/dx = 0 where x <= -3,  1 where x >= 3,  x / 3 + 1/2 elsewhere (NaN at NaN)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x * backend.xp.clip(x + 3, 0, 6) / 6

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        (x,) = ctx.saved
        slope = xp.where(x <= -3, 0, xp.where(x >= 3, 1, x / 3 + 0.5))
        return grad * slope.astype(grad.dtype, copy=False)


def hardswish(x: Any) -> Tensor:
    """A piecewise-quadratic swish: x * relu6(x + 3) / 6."""
    return Hardswish.apply(float_input(x))
