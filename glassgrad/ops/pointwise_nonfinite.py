"""nan_to_num: NaN and the infinities replaced by finite numbers.

    nan_to_num(x, nan=0.0, posinf=None, neginf=None)

NaN becomes ``nan``, +inf ``posinf`` and -inf ``neginf`` (by default the
largest and the lowest finite value of x's dtype); finite values pass through.
Integer and bool tensors have nothing to replace and come back as a copy.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.type_promotion import category
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["nan_to_num"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class NanToNum(Op):
    """z = x where x is finite, else a constant;  dz/dx = 1 where x is finite, 0 elsewhere."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, nan: float, posinf: float | None, neginf: float | None) -> Any:
        xp = backend.xp
        finite = xp.isfinite(x)
        ctx.save_for_backward(finite)
        with quiet_float_errors():  # a posinf too big for float16 becomes inf, as in torch
            return xp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (finite,) = ctx.saved
        return grad * finite


def nan_to_num(input: Tensor, nan: float = 0.0, posinf: float | None = None,  # noqa: A002
               neginf: float | None = None) -> Tensor:
    """``input`` with NaN, +inf and -inf replaced (torch.nan_to_num)."""
    x = as_tensor(input)
    if category(x.dtype) < 2:
        return x.clone()
    return NanToNum.apply(x, nan=float(nan), posinf=posinf, neginf=neginf)
