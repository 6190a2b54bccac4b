"""The classical orthogonal polynomials of torch.special, evaluated by their three-term recurrences.

Every family here satisfies p_0(x) = 1, p_1(x) = s x + t and, for k >= 1,

    p_{k+1}(x) = (a_k x + b_k) p_k(x) - c_k p_{k-1}(x)

    family                          p_1       a_k            b_k            c_k
    chebyshev_polynomial_t  T_n     x         2              0              1
    chebyshev_polynomial_u  U_n     2x        2              0              1
    chebyshev_polynomial_v  V_n     2x - 1    2              0              1
    chebyshev_polynomial_w  W_n     2x + 1    2              0              1
    hermite_polynomial_h    H_n     2x        2              0              2k
    hermite_polynomial_he   He_n    x         1              0              k
    laguerre_polynomial_l   L_n     1 - x     -1/(k+1)       (2k+1)/(k+1)   k/(k+1)
    legendre_polynomial_p   P_n     x         (2k+1)/(k+1)   0              k/(k+1)

and ``shifted_chebyshev_polynomial_*``(x, n) is the Chebyshev polynomial at 2x - 1.

The derivative in x comes from differentiating the recurrence itself (p_0' = 0, p_1' = s):

    p_{k+1}'(x) = a_k p_k(x) + (a_k x + b_k) p_k'(x) - c_k p_{k-1}'(x)

so value and derivative are carried together, in float64, one step per degree (the shifted
polynomials' derivative has the chain-rule factor 2). The degree n is a tensor (or a number) like x;
as torch, it is cut to an integer toward zero, and a negative degree gives 0; a NaN or infinite
degree gives NaN. n has no derivative: torch gives these polynomials no gradient at all (their
results do not require grad); glassgrad gives the one in x and raises for n.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.type_promotion import promoted
from glassgrad.tensor import Tensor


@dataclass(frozen=True)
class Recurrence:
    """One family: p_1 = slope x + intercept; ``step(k)`` gives (a_k, b_k, c_k); ``shifted``: x -> 2x - 1."""

    name: str
    slope: float
    intercept: float
    step: Callable[[int], tuple[float, float, float]]
    shifted: bool = False


def _chebyshev(k: int) -> tuple[float, float, float]:
    return 2.0, 0.0, 1.0


FAMILIES = {
    family.name: family for family in (
        Recurrence("chebyshev_polynomial_t", 1.0, 0.0, _chebyshev),
        Recurrence("chebyshev_polynomial_u", 2.0, 0.0, _chebyshev),
        Recurrence("chebyshev_polynomial_v", 2.0, -1.0, _chebyshev),
        Recurrence("chebyshev_polynomial_w", 2.0, 1.0, _chebyshev),
        Recurrence("shifted_chebyshev_polynomial_t", 1.0, 0.0, _chebyshev, shifted=True),
        Recurrence("shifted_chebyshev_polynomial_u", 2.0, 0.0, _chebyshev, shifted=True),
        Recurrence("shifted_chebyshev_polynomial_v", 2.0, -1.0, _chebyshev, shifted=True),
        Recurrence("shifted_chebyshev_polynomial_w", 2.0, 1.0, _chebyshev, shifted=True),
        Recurrence("hermite_polynomial_h", 2.0, 0.0, lambda k: (2.0, 0.0, 2.0 * k)),
        Recurrence("hermite_polynomial_he", 1.0, 0.0, lambda k: (1.0, 0.0, float(k))),
        Recurrence("laguerre_polynomial_l", -1.0, 1.0, lambda k: (-1 / (k + 1), (2 * k + 1) / (k + 1), k / (k + 1))),
        Recurrence("legendre_polynomial_p", 1.0, 0.0, lambda k: ((2 * k + 1) / (k + 1), 0.0, k / (k + 1))),
    )
}


def evaluate(family: Recurrence, x: Any, n: Any) -> tuple[Any, Any]:
    """(p_n(x), p_n'(x)) element-wise over the broadcast of x and n, in float64."""
    xp = backend.xp
    x64 = xp.asarray(x, dtype=numpy.float64)
    n64 = xp.asarray(n, dtype=numpy.float64)
    x64, n64 = xp.broadcast_arrays(x64, n64)
    t = 2 * x64 - 1 if family.shifted else x64
    degree = xp.where(xp.isfinite(n64), xp.trunc(n64), -1)
    with quiet_float_errors():
        previous, current = xp.ones_like(t), family.slope * t + family.intercept
        d_previous, d_current = xp.zeros_like(t), xp.full_like(t, family.slope)
        value = xp.where(degree == 0, previous, current)
        slope = xp.where(degree == 0, d_previous, d_current)
        top = int(degree.max(initial=1))
        for k in range(1, top):
            a, b, c = family.step(k)
            factor = a * t + b
            previous, current = current, factor * current - c * previous
            d_previous, d_current = d_current, a * previous + factor * d_current - c * d_previous
            value = xp.where(degree == k + 1, current, value)
            slope = xp.where(degree == k + 1, d_current, slope)
    scale = 2.0 if family.shifted else 1.0
    value = xp.where(degree < 0, 0.0, value)
    slope = xp.where(degree < 0, 0.0, slope * scale)
    undefined = ~xp.isfinite(n64)
    return xp.where(undefined, xp.nan, value), xp.where(undefined, xp.nan, slope)


class OrthogonalPolynomial(Op):
    """z = p_n(x) for one family (``family``, a parameter);  dz/dx = p_n'(x) (by the differentiated
    recurrence);  dz/dn: not implemented (raises; n is a whole number)."""

    @staticmethod
    def forward(ctx: Context, x: Any, n: Any, *, family: str) -> Any:
        value, slope = evaluate(FAMILIES[family], x, n)
        ctx.save_for_backward(slope)
        ctx.family = family
        return value.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        if ctx.needs_input_grad[1]:
            raise NotImplementedError(f"the derivative for '{ctx.family}' with respect to n is not implemented "
                                      "(n is a whole number; torch gives these polynomials no gradient)")
        (slope,) = ctx.saved
        return grad * slope.astype(grad.dtype, copy=False), None


def _polynomial(family: str) -> Callable[..., Tensor]:
    def polynomial(input: Any, n: Any) -> Tensor:  # noqa: A002
        if not isinstance(input, Tensor) and not isinstance(n, Tensor):
            raise TypeError(f"special.{family}(): at least one of input and n must be a Tensor")
        x, degree = promoted(input, n, floating=True)
        return OrthogonalPolynomial.apply(x, degree, family=family)

    polynomial.__name__ = polynomial.__qualname__ = family
    polynomial.__doc__ = (f"special.{family}(input, n): the polynomial of degree n (cut toward zero; 0 for "
                          "n < 0) at input, element-wise with broadcasting; integers give the default float dtype.")
    return polynomial


chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t")
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u")
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v")
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w")
shifted_chebyshev_polynomial_t = _polynomial("shifted_chebyshev_polynomial_t")
shifted_chebyshev_polynomial_u = _polynomial("shifted_chebyshev_polynomial_u")
shifted_chebyshev_polynomial_v = _polynomial("shifted_chebyshev_polynomial_v")
shifted_chebyshev_polynomial_w = _polynomial("shifted_chebyshev_polynomial_w")
hermite_polynomial_h = _polynomial("hermite_polynomial_h")
hermite_polynomial_he = _polynomial("hermite_polynomial_he")
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l")
legendre_polynomial_p = _polynomial("legendre_polynomial_p")
