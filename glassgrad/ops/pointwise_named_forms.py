"""torch's named forms of element-wise ops glassgrad has: rsub, clamp_min, clamp_max, fill.

    rsub(a, b, alpha=1)  = b - alpha a        (subtraction with the operands swapped)
    clamp_min(a, lo)     = max(a, lo),  clamp_max(a, hi) = min(a, hi)
    fill(a, v)           = a tensor shaped like a holding v everywhere

rsub and the clamps are ``sub`` and ``clamp`` (their gradients). ``fill``'s
result does not depend on a's values (da = 0); a 0-d tensor ``v`` gets the sum
of the output gradient.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.elementwise import clip, sub
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["clamp_max", "clamp_min", "fill", "rsub"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def rsub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:  # noqa: A002
    """other - alpha * input (torch.rsub)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"rsub(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    return sub(other, input, alpha=alpha)


def clamp_min(input: Tensor, min: Any) -> Tensor:  # noqa: A002
    """max(input, min) element-wise (torch.clamp_min)."""
    return clip(input, min, None)


def clamp_max(input: Tensor, max: Any) -> Tensor:  # noqa: A002
    """min(input, max) element-wise (torch.clamp_max)."""
    return clip(input, None, max)


class Fill(Op):
    """y = v everywhere (shaped like a);  dy/da = 0,  dL/dv = sum of dL/dy."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, value: Any) -> Any:
        return backend.xp.full(a.shape, value, dtype=a.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        return (backend.xp.zeros_like(grad) if ctx.needs_input_grad[0] else None,
                grad.sum() if ctx.needs_input_grad[1] else None)


def fill(input: Tensor, value: Any) -> Tensor:  # noqa: A002
    """A tensor shaped like ``input``, of its dtype, holding ``value`` (a number or a 0-d tensor) everywhere."""
    x = as_tensor(input)
    v = as_tensor(value)
    if v.ndim:
        raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with {v.ndim} dimensions.")
    return Fill.apply(x, v)
