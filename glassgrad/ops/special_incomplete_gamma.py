"""The regularized incomplete gamma functions: igamma (P) and igammac (Q).

    igamma(a, x)  = P(a, x) = 1/Gamma(a) int_0^x t^(a-1) e^(-t) dt      (torch.special.gammainc)
    igammac(a, x) = Q(a, x) = 1 - P(a, x) = 1/Gamma(a) int_x^inf t^(a-1) e^(-t) dt   (gammaincc)

P(a, .) is the distribution function of the Gamma(a, 1) distribution. Its derivative in x is the
integrand at the upper limit, the Gamma density (see docs/derivations/special.md):

    dP/dx = x^(a-1) e^(-x) / Gamma(a) = exp((a - 1) ln x - x - lgamma(a)),   dQ/dx = -dP/dx

The derivative in a has no closed form (it needs a Meijer G-function); torch does not give it, and
neither does glassgrad: differentiating with respect to a raises NotImplementedError, as torch.

Both arguments must be tensors (torch refuses numbers); at least one must be floating.
"""

from __future__ import annotations

from typing import Any

from scipy import special

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.special_gamma import lgamma
from glassgrad.ops.special_values import scipy_values, value_or_op
from glassgrad.ops.type_promotion import category, promoted
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["igamma", "igammac"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _gamma_density(a: Any, x: Any) -> Any:
    """x^(a-1) e^(-x) / Gamma(a), the derivative of P(a, x) in x, computed in logs."""
    xp = backend.xp
    log_gamma = value_or_op(lgamma, special.gammaln, a)
    return xp.exp((a - 1) * xp.log(x) - x - log_gamma)


class Igamma(Op):
    """z = P(a, x);  dz/dx = x^(a-1) e^(-x) / Gamma(a);  dz/da: not implemented (raises, as torch)."""

    differentiable_backward = True
    upper = False  # True for Q = 1 - P

    @classmethod
    def forward(cls, ctx: Context, a: Any, x: Any) -> Any:
        ctx.save_for_backward(a, x)
        return scipy_values(special.gammaincc if cls.upper else special.gammainc, a, x)

    @classmethod
    def backward(cls, ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, x = ctx.saved
        name = "igammac" if cls.upper else "igamma"
        if ctx.needs_input_grad[0]:
            raise NotImplementedError(f"the derivative for '{name}: input' is not implemented.")
        with quiet_float_errors():
            dx = grad * _gamma_density(a, x)
        return None, -dx if cls.upper else dx


class Igammac(Igamma):
    """z = Q(a, x) = 1 - P(a, x);  dz/dx = -x^(a-1) e^(-x) / Gamma(a);  dz/da: not implemented (raises)."""

    upper = True


def _operands(name: str, input: Any, other: Any) -> tuple[Tensor, Tensor]:  # noqa: A002
    for position, (argument, value) in enumerate((("input", input), ("other", other)), start=1):
        if not isinstance(value, Tensor):
            raise TypeError(f"{name}(): argument '{argument}' (position {position}) must be Tensor, "
                            f"not {type(value).__name__}")
    a, x = promoted(input, other)
    if category(a.dtype) != 2:
        raise NotImplementedError(f'"{name}_cpu" not implemented for \'{a.dtype}\' (it needs a floating tensor)')
    return a, x


def igamma(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The regularized lower incomplete gamma function P(input, other) (torch.igamma, special.gammainc)."""
    return Igamma.apply(*_operands("igamma", input, other))


def igammac(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The regularized upper incomplete gamma function Q(input, other) = 1 - P (torch.igammac, gammaincc)."""
    return Igammac.apply(*_operands("igammac", input, other))
