"""PReLU: a leaky ReLU whose negative slope is learned (one slope, or one per channel).

    y = x          where x > 0
    y = a * x      where x <= 0

    dy/dx = 1 where x > 0, a elsewhere;    dy/da = 0 where x > 0, x elsewhere.

The slope ``a`` reaches the op already shaped to broadcast against x (C, 1, 1, ... for one slope
per channel of dimension 1); the engine sums its gradient back over the broadcast positions.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor


class PReLU(Op):
    """y = max(0, x) + a * min(0, x);  dx = dy * (1 if x > 0 else a),  da = dy * (0 if x > 0 else x)."""

    @staticmethod
    def forward(ctx: Context, x: Any, a: Any) -> Any:
        positive = x > 0
        ctx.save_for_backward(x, a)
        return backend.xp.where(positive, x, a * x)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, a = ctx.saved
        positive = x > 0
        grad_x = backend.xp.where(positive, grad, grad * a) if ctx.needs_input_grad[0] else None
        grad_a = backend.xp.where(positive, 0, grad * x) if ctx.needs_input_grad[1] else None
        return grad_x, grad_a


def prelu(input: Any, weight: Any) -> Tensor:  # noqa: A002
    """F.prelu: ``weight`` holds one slope (shape (1,) or ()) or one per channel (dimension 1 of input)."""
    x, a = as_tensor(input), as_tensor(weight)
    if a.ndim > 1:
        raise RuntimeError(f"prelu: weight must be 1-D (one slope or one per channel), got shape {tuple(a.shape)}")
    slopes = a.numel()
    if slopes != 1:
        channels = x.shape[1] if x.ndim >= 2 else (x.shape[0] if x.ndim == 1 else 1)
        if slopes != channels:
            raise RuntimeError(f"prelu: mismatch of parameter numbers and input channel size: {slopes} slopes "
                               f"for an input of shape {tuple(x.shape)} with {channels} channels")
        if x.ndim >= 2:
            a = a.reshape(slopes, *([1] * (x.ndim - 2)))
    elif a.ndim == 1:
        a = a.reshape(())
    return PReLU.apply(x, a)
