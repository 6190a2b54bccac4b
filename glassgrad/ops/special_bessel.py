"""Bessel functions of the first and second kind (J0, J1, Y0, Y1), the spherical j0, and Airy's Ai.

    J_nu, Y_nu solve Bessel's equation x^2 y'' + x y' + (x^2 - nu^2) y = 0 (Y_nu is infinite at 0)
    j0(x) = sin(x) / x                      (the spherical Bessel function of order 0; 1 at 0)
    Ai(x) solves Airy's equation y'' = x y and decays for x -> +inf

Derivatives (the recurrences J0' = -J1, J1' = J0 - J1/x, the same for Y; the quotient rule for j0;
Airy's equation for Ai'' = x Ai; docs/derivations/special.md):

    bessel_j0'(x) = -J1(x)                  bessel_y0'(x) = -Y1(x)
    bessel_j1'(x) = J0(x) - J1(x)/x  (1/2 at 0)   bessel_y1'(x) = Y0(x) - Y1(x)/x
    spherical_bessel_j0'(x) = (cos x - j0(x)) / x  (0 at 0)
    airy_ai'(x) = Ai'(x),  and Ai''(x) = x Ai(x)  (so Ai' is an op of its own, with that derivative)

torch gives these functions no gradient (their results do not require grad); glassgrad does. The
values come from scipy.special; integers give the default float dtype.
"""

from __future__ import annotations

from typing import Any

from scipy import special

from glassgrad import backend
from glassgrad.ops.promotion import float_input
from glassgrad.ops.special_values import SpecialUnary, over_x, value_or_op
from glassgrad.tensor import Tensor


class J0(SpecialUnary):
    """z = J0(a);  dz/da = -J1(a)."""

    function = special.j0

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return -grad * value_or_op(bessel_j1, special.j1, a)


def bessel_j0(input: Any) -> Tensor:  # noqa: A002
    """The Bessel function of the first kind of order 0 (torch.special.bessel_j0)."""
    return J0.apply(float_input(input))


class J1(SpecialUnary):
    """z = J1(a);  dz/da = J0(a) - z / a, and 1/2 at a = 0."""

    function = special.j1

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * (value_or_op(bessel_j0, special.j0, a) - over_x(z, a, 0.5))


def bessel_j1(input: Any) -> Tensor:  # noqa: A002
    """The Bessel function of the first kind of order 1 (torch.special.bessel_j1)."""
    return J1.apply(float_input(input))


class Y0(SpecialUnary):
    """z = Y0(a) (a > 0);  dz/da = -Y1(a)."""

    function = special.y0

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return -grad * value_or_op(bessel_y1, special.y1, a)


def bessel_y0(input: Any) -> Tensor:  # noqa: A002
    """The Bessel function of the second kind of order 0 (torch.special.bessel_y0; -inf at 0, NaN below)."""
    return Y0.apply(float_input(input))


class Y1(SpecialUnary):
    """z = Y1(a) (a > 0);  dz/da = Y0(a) - z / a."""

    function = special.y1

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * (value_or_op(bessel_y0, special.y0, a) - z / a)


def bessel_y1(input: Any) -> Tensor:  # noqa: A002
    """The Bessel function of the second kind of order 1 (torch.special.bessel_y1; -inf at 0, NaN below)."""
    return Y1.apply(float_input(input))


def _spherical_j0(x: Any) -> Any:
    return special.spherical_jn(0, x)


class SphericalJ0(SpecialUnary):
    """z = sin(a) / a (1 at 0);  dz/da = (cos a - z) / a, and 0 at a = 0."""

    function = _spherical_j0

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * over_x(backend.xp.cos(a) - z, a, 0.0)


def spherical_bessel_j0(input: Any) -> Tensor:  # noqa: A002
    """The spherical Bessel function of the first kind of order 0, sin(x)/x (torch.special.spherical_bessel_j0)."""
    return SphericalJ0.apply(float_input(input))


def _airy_ai(x: Any) -> Any:
    return special.airy(x)[0]


def _airy_ai_prime(x: Any) -> Any:
    return special.airy(x)[1]


class AiryAi(SpecialUnary):
    """z = Ai(a);  dz/da = Ai'(a)."""

    function = _airy_ai

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * value_or_op(airy_ai_prime, _airy_ai_prime, a)


def airy_ai(input: Any) -> Tensor:  # noqa: A002
    """The Airy function Ai element-wise (torch.special.airy_ai)."""
    return AiryAi.apply(float_input(input))


class AiryAiPrime(SpecialUnary):
    """z = Ai'(a);  dz/da = Ai''(a) = a Ai(a) (Airy's equation)."""

    function = _airy_ai_prime

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * a * value_or_op(airy_ai, _airy_ai, a)


def airy_ai_prime(input: Any) -> Tensor:  # noqa: A002
    """The derivative Ai' of the Airy function (airy_ai's gradient; torch has no function of this name)."""
    return AiryAiPrime.apply(float_input(input))
