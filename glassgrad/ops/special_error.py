"""The scaled complementary error function and the standard normal distribution's functions.

    erfcx(x)    = e^(x^2) erfc(x)                    (finite where erfc underflows: erfcx(x) ~ 1/(x sqrt(pi)))
    ndtr(x)     = Phi(x) = (1 + erf(x / sqrt 2)) / 2  (the standard normal CDF)
    ndtri(p)    = Phi^-1(p)                          (its inverse, the probit: -inf at 0, inf at 1)
    log_ndtr(x) = ln Phi(x)                          (accurate far into the left tail)

Derivatives (phi(x) = e^(-x^2/2) / sqrt(2 pi) is the normal density; see docs/derivations/special.md):

    erfcx'(x)    = 2x e^(x^2) erfc(x) + e^(x^2) erfc'(x) = 2x erfcx(x) - 2/sqrt(pi)
    ndtr'(x)     = phi(x)
    ndtri'(p)    = 1 / phi(ndtri(p)) = sqrt(2 pi) e^(ndtri(p)^2 / 2)       (inverse function rule)
    log_ndtr'(x) = phi(x) / Phi(x) = exp(-x^2/2 - log_ndtr(x)) / sqrt(2 pi)  (no 0/0 in the tail)

The values come from scipy.special; integers give the default float dtype.
"""

from __future__ import annotations

import math
from typing import Any

from scipy import special

from glassgrad import backend
from glassgrad.ops.promotion import float_input
from glassgrad.ops.special_values import SpecialUnary
from glassgrad.tensor import Tensor

SQRT_2PI = math.sqrt(2 * math.pi)


class Erfcx(SpecialUnary):
    """z = e^(a^2) erfc(a);  dz/da = 2 a z - 2/sqrt(pi)."""

    function = special.erfcx

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * (2 * a * z - 2 / math.sqrt(math.pi))


def erfcx(input: Any) -> Tensor:  # noqa: A002
    """The scaled complementary error function e^(x^2) erfc(x) element-wise (torch.special.erfcx)."""
    return Erfcx.apply(float_input(input))


class Ndtr(SpecialUnary):
    """z = Phi(a) = (1 + erf(a / sqrt 2)) / 2;  dz/da = phi(a) = e^(-a^2/2) / sqrt(2 pi)."""

    function = special.ndtr

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * backend.xp.exp(-a * a / 2) / SQRT_2PI


def ndtr(input: Any) -> Tensor:  # noqa: A002
    """The standard normal cumulative distribution function element-wise (torch.special.ndtr)."""
    return Ndtr.apply(float_input(input))


class Ndtri(SpecialUnary):
    """z = Phi^-1(a) (0 < a < 1);  dz/da = 1 / phi(z) = sqrt(2 pi) e^(z^2 / 2)."""

    function = special.ndtri

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * SQRT_2PI * backend.xp.exp(z * z / 2)


def ndtri(input: Any) -> Tensor:  # noqa: A002
    """The inverse of the standard normal CDF (the probit) element-wise (torch.special.ndtri)."""
    return Ndtri.apply(float_input(input))


class LogNdtr(SpecialUnary):
    """z = ln Phi(a);  dz/da = phi(a) / Phi(a) = exp(-a^2/2 - z) / sqrt(2 pi)."""

    function = special.log_ndtr

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * backend.xp.exp(-a * a / 2 - z) / SQRT_2PI


def log_ndtr(input: Any) -> Tensor:  # noqa: A002
    """ln of the standard normal CDF element-wise, accurate for very negative x (torch.special.log_ndtr)."""
    return LogNdtr.apply(float_input(input))
