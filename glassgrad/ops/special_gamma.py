"""The gamma function's logarithm and its derivatives: lgamma, digamma, polygamma, mvlgamma.

    lgamma(x)       = ln |Gamma(x)|
    digamma(x)      = psi(x) = d/dx ln Gamma(x) = Gamma'(x) / Gamma(x)
    polygamma(n, x) = psi^(n)(x), the n-th derivative of digamma (polygamma(0, x) = digamma(x))
    mvlgamma(x, p)  = ln Gamma_p(x) = p (p - 1) / 4 ln(pi) + sum_{j=0}^{p-1} ln Gamma(x - j/2)

Each one's derivative is the next one down the list: lgamma' = digamma, digamma' = polygamma(1, .),
polygamma(n, .)' = polygamma(n + 1, .), and mvlgamma'(x) = sum_j digamma(x - j/2). The values come
from scipy.special (``special_values.py``). At the poles (x = 0, -1, -2, ...) lgamma is +inf, digamma
is -inf at 0 and NaN at the negative integers, polygamma(n >= 1, .) is inf, as in scipy (torch gives a
large finite number or NaN at some of these).

An integer or bool input gives the default float dtype; a float input keeps its dtype.
"""

from __future__ import annotations

import math
from typing import Any

from scipy import special

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.promotion import float_input
from glassgrad.ops.special_values import SpecialUnary, scipy_values, value_or_op
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["digamma", "lgamma", "mvlgamma", "polygamma"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Lgamma(SpecialUnary):
    """z = ln |Gamma(a)|;  dz/da = digamma(a)."""

    function = special.gammaln

    @classmethod
    def value(cls, a: Any) -> Any:
        xp = backend.xp
        return xp.where(a == -xp.inf, xp.inf, scipy_values(special.gammaln, a))  # |Gamma| has no bound there

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * value_or_op(digamma, special.psi, a)


def lgamma(input: Any) -> Tensor:  # noqa: A002
    """ln |Gamma(x)| element-wise (torch.lgamma, torch.special.gammaln)."""
    return Lgamma.apply(float_input(input))


class Digamma(SpecialUnary):
    """z = psi(a) = Gamma'(a) / Gamma(a);  dz/da = polygamma(1, a) = sum_{k>=0} 1 / (a + k)^2."""

    function = special.psi

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * value_or_op(polygamma, special.polygamma, 1, a)


def digamma(input: Any) -> Tensor:  # noqa: A002
    """The digamma function psi(x) = d/dx ln Gamma(x) element-wise (torch.digamma, torch.special.psi)."""
    return Digamma.apply(float_input(input))


class Polygamma(Op):
    """z = psi^(n)(x) = (-1)^(n+1) n! zeta(n + 1, x) for n >= 1;  dz/dx = psi^(n+1)(x) = polygamma(n + 1, x)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, n: int) -> Any:
        ctx.save_for_backward(x)
        ctx.n = n
        return scipy_values(special.polygamma, n, x)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad * value_or_op(polygamma, special.polygamma, ctx.n + 1, x)


def _order(n: Any) -> int:
    """polygamma's n as torch takes it: a Python int (not a bool, not a float), at least 0."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return n


def polygamma(n: int, input: Any) -> Tensor:  # noqa: A002
    """The n-th derivative of the digamma function element-wise (torch.polygamma(n, input))."""
    return Polygamma.apply(float_input(input), n=_order(n))


class Mvlgamma(Op):
    """z = p (p - 1) / 4 ln(pi) + sum_{j=0}^{p-1} ln Gamma(x - j/2);  dz/dx = sum_{j=0}^{p-1} digamma(x - j/2)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, p: int) -> Any:
        ctx.save_for_backward(x)
        ctx.p = p
        with quiet_float_errors():
            total = sum(Lgamma.value(x - j / 2) for j in range(p))
            return (total + p * (p - 1) / 4 * math.log(math.pi)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        with quiet_float_errors():
            return grad * sum(value_or_op(digamma, special.psi, x - j / 2) for j in range(ctx.p))


def mvlgamma(input: Any, p: int) -> Tensor:  # noqa: A002
    """The log of the multivariate gamma function of dimension p, element-wise (torch.mvlgamma,
    torch.special.multigammaln). As torch, x <= (p - 1)/2 is not refused: a term's pole gives inf."""
    if isinstance(p, bool) or not isinstance(p, int):
        raise TypeError(f"mvlgamma(): argument 'p' (position 2) must be int, not {type(p).__name__}")
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    return Mvlgamma.apply(float_input(input), p=p)
