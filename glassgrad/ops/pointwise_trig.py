"""Trigonometric and hyperbolic functions: sin, cos, tan, asin, acos, atan, atan2,
sinh, cosh, tanh's siblings asinh, acosh, atanh (tanh itself is an activation).

An integer or bool input gives the default float dtype (torch's rule). Outside
a function's domain (asin(2), acosh(0.5), atanh(1)) the result is NaN or inf,
without a warning, as in torch. torch's ``arc*`` spellings are aliases.

Each one-input op is a ``UnaryPointwise`` (``pointwise_base.py``): its forward
formula ``value`` and backward formula ``input_grad`` sit side by side.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import UnaryPointwise, quiet_float_errors
from glassgrad.ops.promotion import float_input, float_pair
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "acos", "acosh", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "asin", "asinh",
    "atan", "atan2", "atanh", "cos", "cosh", "sin", "sinh", "tan",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Sin(UnaryPointwise):
    """z = sin a;  dz/da = cos a."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.sin(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad * backend.xp.cos(a)


def sin(input: Any) -> Tensor:  # noqa: A002
    """Sine element-wise (radians)."""
    return Sin.apply(float_input(input))


class Cos(UnaryPointwise):
    """z = cos a;  dz/da = -sin a."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.cos(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return -grad * backend.xp.sin(a)


def cos(input: Any) -> Tensor:  # noqa: A002
    """Cosine element-wise (radians)."""
    return Cos.apply(float_input(input))


class Tan(UnaryPointwise):
    """z = tan a;  dz/da = 1 / cos^2 a = 1 + z^2."""

    saves_output = True

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.tan(a)

    @staticmethod
    def input_grad(grad: Any, z: Any) -> Any:
        return grad * (1 + z * z)


def tan(input: Any) -> Tensor:  # noqa: A002
    """Tangent element-wise (radians)."""
    return Tan.apply(float_input(input))


class Asin(UnaryPointwise):
    """z = asin a (|a| <= 1);  dz/da = 1 / sqrt(1 - a^2)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.arcsin(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / backend.xp.sqrt(1 - a * a)


def asin(input: Any) -> Tensor:  # noqa: A002
    """Inverse sine element-wise (NaN outside [-1, 1])."""
    return Asin.apply(float_input(input))


class Acos(UnaryPointwise):
    """z = acos a (|a| <= 1);  dz/da = -1 / sqrt(1 - a^2)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.arccos(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return -grad / backend.xp.sqrt(1 - a * a)


def acos(input: Any) -> Tensor:  # noqa: A002
    """Inverse cosine element-wise (NaN outside [-1, 1])."""
    return Acos.apply(float_input(input))


class Atan(UnaryPointwise):
    """z = atan a;  dz/da = 1 / (1 + a^2)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.arctan(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / (1 + a * a)


def atan(input: Any) -> Tensor:  # noqa: A002
    """Inverse tangent element-wise."""
    return Atan.apply(float_input(input))


class Atan2(Op):
    """z = atan2(y, x), the angle of the point (x, y);
    dz/dy = x / (x^2 + y^2),  dz/dx = -y / (x^2 + y^2)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, y: Any, x: Any) -> Any:
        ctx.save_for_backward(y, x)
        return backend.xp.arctan2(y, x)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        y, x = ctx.saved
        with quiet_float_errors():
            scale = grad / (x * x + y * y)
        dy = scale * x if ctx.needs_input_grad[0] else None
        dx = -scale * y if ctx.needs_input_grad[1] else None
        return dy, dx


def atan2(input: Any, other: Any) -> Tensor:  # noqa: A002
    """atan2(input, other): the angle of (other, input) in (-pi, pi], with broadcasting."""
    return Atan2.apply(*float_pair(input, other))


class Sinh(UnaryPointwise):
    """z = sinh a;  dz/da = cosh a."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.sinh(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad * backend.xp.cosh(a)


def sinh(input: Any) -> Tensor:  # noqa: A002
    """Hyperbolic sine element-wise."""
    return Sinh.apply(float_input(input))


class Cosh(UnaryPointwise):
    """z = cosh a;  dz/da = sinh a."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.cosh(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad * backend.xp.sinh(a)


def cosh(input: Any) -> Tensor:  # noqa: A002
    """Hyperbolic cosine element-wise."""
    return Cosh.apply(float_input(input))


class Asinh(UnaryPointwise):
    """z = asinh a;  dz/da = 1 / sqrt(a^2 + 1)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.arcsinh(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / backend.xp.sqrt(a * a + 1)


def asinh(input: Any) -> Tensor:  # noqa: A002
    """Inverse hyperbolic sine element-wise."""
    return Asinh.apply(float_input(input))


class Acosh(UnaryPointwise):
    """z = acosh a (a >= 1);  dz/da = 1 / sqrt(a^2 - 1)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.arccosh(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / backend.xp.sqrt(a * a - 1)


def acosh(input: Any) -> Tensor:  # noqa: A002
    """Inverse hyperbolic cosine element-wise (NaN below 1)."""
    return Acosh.apply(float_input(input))


class Atanh(UnaryPointwise):
    """z = atanh a (|a| < 1);  dz/da = 1 / (1 - a^2)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.arctanh(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / (1 - a * a)


def atanh(input: Any) -> Tensor:  # noqa: A002
    """Inverse hyperbolic tangent element-wise (+-inf at +-1, NaN beyond)."""
    return Atanh.apply(float_input(input))


# torch's numpy-style aliases
arcsin, arccos, arctan, arctan2 = asin, acos, atan, atan2
arcsinh, arccosh, arctanh = asinh, acosh, atanh
