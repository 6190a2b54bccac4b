"""Log-odds and base-2 log-sum: logit and logaddexp2.

    logit(p)         = ln(p / (1 - p)), the inverse of the sigmoid
    logaddexp2(a, b) = log2(2^a + 2^b), computed without overflow

``logit(p, eps)`` first clamps p to [eps, 1 - eps], so p = 0 and p = 1 give
finite values; without ``eps``, p outside [0, 1] gives NaN and the ends give
-inf and +inf, as in torch.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.pointwise_float_parts import _torch_name
from glassgrad.ops.promotion import float_input
from glassgrad.ops.type_promotion import category, promoted
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["logaddexp2", "logit"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Logit(Op):
    """z = ln(p / (1 - p)) with p = clamp(x, eps, 1 - eps) when eps is given;
    dz/dx = 1 / (x (1 - x)), and 0 where the clamp is active (x outside [eps, 1 - eps], as torch)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, eps: float | None) -> Any:
        xp = backend.xp
        p = x if eps is None else xp.clip(x, eps, 1 - eps)
        ctx.save_for_backward(x)
        ctx.eps = eps
        with quiet_float_errors():
            return xp.log(p / (1 - p))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        xp = backend.xp
        with quiet_float_errors():
            dx = grad / (x * (1 - x))
            if ctx.eps is None:
                return xp.where((x < 0) | (x > 1), xp.nan, dx)
            return xp.where((x < ctx.eps) | (x > 1 - ctx.eps), 0, dx)


def logit(input: Tensor, eps: float | None = None) -> Tensor:  # noqa: A002
    """The log-odds ln(p / (1 - p)) of each element (torch.logit); integers give the default float dtype."""
    if eps is not None and eps < 0:
        eps = None  # torch: a negative eps means no clamping
    return Logit.apply(float_input(input), eps=eps)


class LogAddExp2(Op):
    """z = log2(2^a + 2^b);  dz/da = 2^a / (2^a + 2^b) = 2^(a - z),  dz/db = 2^(b - z)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        z = backend.xp.logaddexp2(a, b)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b, z = ctx.saved
        xp = backend.xp
        with quiet_float_errors():
            da = grad * xp.exp2(a - z) if ctx.needs_input_grad[0] else None
            db = grad * xp.exp2(b - z) if ctx.needs_input_grad[1] else None
        return da, db


def logaddexp2(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """log2(2^input + 2^other) element-wise, with broadcasting (torch.logaddexp2; float tensors only)."""
    a, b = promoted(as_tensor(input), other)
    if category(a.dtype) != 2:
        raise NotImplementedError(f'"logaddexp2_cpu" not implemented for \'{_torch_name(a.dtype)}\'')
    return LogAddExp2.apply(a, b)
