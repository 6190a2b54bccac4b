"""Entropy terms: entr and xlog1py (torch.special).

    entr(x)       = -x ln x for x > 0,  0 at x = 0 (the limit),  -inf for x < 0
    xlog1py(x, y) = x ln(1 + y),  and 0 where x = 0 (even where ln(1 + y) is -inf or inf)

Derivatives:

    entr'(x) = -(ln x + 1)                 (inf at 0, NaN below, as torch)
    d xlog1py / dx = ln(1 + y)             (0 where x = 0 and y <= -1, as torch)
    d xlog1py / dy = x / (1 + y)

``xlogy`` (x ln y, the same rule) is ``glassgrad.ops.pointwise_math.xlogy``.
"""

from __future__ import annotations

from typing import Any

from scipy import special

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.promotion import float_input
from glassgrad.ops.special_values import SpecialUnary, scipy_values, value_or_op
from glassgrad.ops.type_promotion import promoted
from glassgrad.tensor import Tensor


class Entr(SpecialUnary):
    """z = -a ln a (0 at a = 0, -inf for a < 0);  dz/da = -(ln a + 1)."""

    function = special.entr

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return -grad * (backend.xp.log(a) + 1)


def entr(input: Any) -> Tensor:  # noqa: A002
    """The elementwise entropy term -x ln x (torch.special.entr)."""
    return Entr.apply(float_input(input))


class Xlog1py(Op):
    """z = x ln(1 + y), 0 where x == 0;  dz/dx = ln(1 + y) (0 where x == 0 and y <= -1),  dz/dy = x / (1 + y).

    The gradient for x is written xlog1py(grad, y), so a zero upstream gradient gives 0 even where
    ln(1 + y) is infinite (torch's formula)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any) -> Any:
        ctx.save_for_backward(x, y)
        return scipy_values(special.xlog1py, x, y)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        x, y = ctx.saved
        dx = dy = None
        with quiet_float_errors():
            if ctx.needs_input_grad[0]:
                dx = xp.where((x == 0) & (y <= -1), 0, value_or_op(xlog1py, special.xlog1py, grad, y))
            if ctx.needs_input_grad[1]:
                dy = grad * x / (1 + y)
        return dx, dy


def xlog1py(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input * ln(1 + other), 0 where input is 0, with broadcasting (torch.special.xlog1py); either
    argument may be a number; integers give the default float dtype."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("special.xlog1py(): at least one of input and other must be a Tensor")
    return Xlog1py.apply(*promoted(input, other, floating=True))
