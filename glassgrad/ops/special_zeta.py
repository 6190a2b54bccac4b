"""The Hurwitz zeta function (torch.special.zeta).

    zeta(x, q) = sum_{k>=0} 1 / (k + q)^x        (x > 1; zeta(x, 1) is Riemann's zeta)

Differentiating the series term by term in q, d/dq (k + q)^(-x) = -x (k + q)^(-x-1), so

    d zeta(x, q) / dq = -x zeta(x + 1, q)

The derivative in x, -sum_k ln(k + q) / (k + q)^x, is a different series torch does not give;
glassgrad does not either: differentiating with respect to x raises NotImplementedError, as torch.
x < 1 gives NaN, x = 1 gives inf (the harmonic series), q at 0, -1, -2, ... gives inf.
The polygamma functions are zetas too: polygamma(n, x) = (-1)^(n+1) n! zeta(n + 1, x).
"""

from __future__ import annotations

from typing import Any

from scipy import special

from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.special_values import scipy_values, value_or_op
from glassgrad.ops.type_promotion import promoted
from glassgrad.tensor import Tensor


class Zeta(Op):
    """z = zeta(x, q);  dz/dq = -x zeta(x + 1, q);  dz/dx: not implemented (raises, as torch)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, q: Any) -> Any:
        ctx.save_for_backward(x, q)
        return scipy_values(special.zeta, x, q)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        x, q = ctx.saved
        if ctx.needs_input_grad[0]:
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        with quiet_float_errors():
            return None, -grad * x * value_or_op(zeta, special.zeta, x + 1, q)


def zeta(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The Hurwitz zeta function zeta(input, other) element-wise, with broadcasting (torch.special.zeta);
    either argument may be a number, integers give the default float dtype."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("special.zeta(): at least one of input and other must be a Tensor")
    return Zeta.apply(*promoted(input, other, floating=True))
