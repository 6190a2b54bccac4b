"""Modified Bessel functions of orders 0 and 1: I0, I1 (first kind), K0, K1 (second kind), and their
exponentially scaled forms.

    I_nu(x) = sum_{k>=0} (x/2)^(2k+nu) / (k! (k + nu)!)      grows like e^|x| / sqrt(2 pi |x|)
    K_nu(x)                                                   decays like e^-x sqrt(pi / 2x), x > 0
    i0e(x) = e^-|x| I0(x),  i1e(x) = e^-|x| I1(x),  k0e(x) = e^x K0(x),  k1e(x) = e^x K1(x)

The scaled forms stay finite where I overflows and K underflows (x in the hundreds).

Derivatives, from the series (or the recurrences I0' = I1, I1' = I0 - I1/x, K0' = -K1,
K1' = -K0 - K1/x) and the product rule for the scale factors (d/dx e^-|x| = -sign(x) e^-|x|);
docs/derivations/special.md derives them:

    i0'(x)  = i1(x)                        i0e'(x) = i1e(x) - sign(x) i0e(x)
    i1'(x)  = i0(x) - i1(x)/x  (1/2 at 0)   i1e'(x) = i0e(x) - i1e(x) (sign(x) + 1/x)  (1/2 at 0)
    k0'(x)  = -k1(x)                       k0e'(x) = k0e(x) - k1e(x)
    k1'(x)  = -k0(x) - k1(x)/x             k1e'(x) = k1e(x) (1 - 1/x) - k0e(x)

torch differentiates i0, i0e, i1 and i1e, but not its ``modified_bessel_*`` functions (their results
do not require grad); glassgrad's ``modified_bessel_i0``/``i1`` are ``i0``/``i1`` and every one of these
has its derivative. K0 and K1 are infinite at 0 and NaN for x < 0.
"""

from __future__ import annotations

from typing import Any

from scipy import special

from glassgrad import backend
from glassgrad.ops.promotion import float_input
from glassgrad.ops.special_values import SpecialUnary, over_x, value_or_op
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["i0"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class I0(SpecialUnary):
    """z = I0(a);  dz/da = I1(a)."""

    function = special.i0

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * value_or_op(i1, special.i1, a)


def i0(input: Any) -> Tensor:  # noqa: A002
    """The modified Bessel function of the first kind of order 0 (torch.i0, special.i0, modified_bessel_i0)."""
    return I0.apply(float_input(input))


class I0e(SpecialUnary):
    """z = e^-|a| I0(a);  dz/da = i1e(a) - sign(a) z."""

    function = special.i0e

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * (value_or_op(i1e, special.i1e, a) - backend.xp.sign(a) * z)


def i0e(input: Any) -> Tensor:  # noqa: A002
    """e^-|x| I0(x), finite where I0 overflows (torch.special.i0e)."""
    return I0e.apply(float_input(input))


class I1(SpecialUnary):
    """z = I1(a);  dz/da = I0(a) - z / a, and 1/2 at a = 0."""

    function = special.i1

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * (value_or_op(i0, special.i0, a) - over_x(z, a, 0.5))


def i1(input: Any) -> Tensor:  # noqa: A002
    """The modified Bessel function of the first kind of order 1 (torch.special.i1, modified_bessel_i1)."""
    return I1.apply(float_input(input))


class I1e(SpecialUnary):
    """z = e^-|a| I1(a);  dz/da = i0e(a) - z (sign(a) + 1/a), and 1/2 at a = 0."""

    function = special.i1e

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        xp = backend.xp
        return grad * (value_or_op(i0e, special.i0e, a) - xp.sign(a) * z - over_x(z, a, 0.5))


def i1e(input: Any) -> Tensor:  # noqa: A002
    """e^-|x| I1(x), finite where I1 overflows (torch.special.i1e)."""
    return I1e.apply(float_input(input))


class K0(SpecialUnary):
    """z = K0(a) (a > 0);  dz/da = -K1(a)."""

    function = special.k0

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return -grad * value_or_op(modified_bessel_k1, special.k1, a)


def modified_bessel_k0(input: Any) -> Tensor:  # noqa: A002
    """The modified Bessel function of the second kind of order 0 (torch.special.modified_bessel_k0)."""
    return K0.apply(float_input(input))


class K1(SpecialUnary):
    """z = K1(a) (a > 0);  dz/da = -K0(a) - z / a."""

    function = special.k1

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return -grad * (value_or_op(modified_bessel_k0, special.k0, a) + z / a)


def modified_bessel_k1(input: Any) -> Tensor:  # noqa: A002
    """The modified Bessel function of the second kind of order 1 (torch.special.modified_bessel_k1)."""
    return K1.apply(float_input(input))


class K0e(SpecialUnary):
    """z = e^a K0(a);  dz/da = z - k1e(a)."""

    function = special.k0e

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * (z - value_or_op(scaled_modified_bessel_k1, special.k1e, a))


def scaled_modified_bessel_k0(input: Any) -> Tensor:  # noqa: A002
    """e^x K0(x), finite where K0 underflows (torch.special.scaled_modified_bessel_k0)."""
    return K0e.apply(float_input(input))


class K1e(SpecialUnary):
    """z = e^a K1(a);  dz/da = z (1 - 1/a) - k0e(a)."""

    function = special.k1e

    @staticmethod
    def input_grad(grad: Any, a: Any, z: Any) -> Any:
        return grad * (z * (1 - 1 / a) - value_or_op(scaled_modified_bessel_k0, special.k0e, a))


def scaled_modified_bessel_k1(input: Any) -> Tensor:  # noqa: A002
    """e^x K1(x), finite where K1 underflows (torch.special.scaled_modified_bessel_k1)."""
    return K1e.apply(float_input(input))
