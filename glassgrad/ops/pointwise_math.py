"""More element-wise math: exp2, expm1, log2, log10, log1p, rsqrt, reciprocal,
square, erf, erfc, erfinv, xlogy, hypot, logaddexp, lerp, fmax, fmin.

An integer or bool input to one of these float functions gives the default
float dtype (torch's rule; ``square`` of an integer stays an integer). Poles
and out-of-domain inputs give inf or NaN without a warning, as in torch.

Each one-input op is a ``UnaryPointwise`` (``pointwise_base.py``): its forward
formula ``value`` and backward formula ``input_grad`` sit side by side.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.arrays.erf import erf_array, erfc_array, erfinv_array
from glassgrad.arrays.sigmoid import stable_sigmoid
from glassgrad.errors import OpDtypeError
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import UnaryPointwise, quiet_float_errors
from glassgrad.ops.power import pow as power
from glassgrad.ops.promotion import float_input, float_pair, is_integral
from glassgrad.ops.type_promotion import promoted
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "erf", "erfc", "erfinv", "exp2", "expm1", "fmax", "fmin", "hypot", "lerp", "log10", "log1p", "log2",
    "logaddexp", "reciprocal", "rsqrt", "square", "xlogy",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Exp2(UnaryPointwise):
    """z = 2^a;  dz/da = 2^a ln 2 = z ln 2."""

    saves_output = True

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.exp2(a)

    @staticmethod
    def input_grad(grad: Any, z: Any) -> Any:
        return grad * z * math.log(2)


def exp2(input: Any) -> Tensor:  # noqa: A002
    """2 to the power of each element."""
    return Exp2.apply(float_input(input))


class Expm1(UnaryPointwise):
    """z = e^a - 1 (exact for tiny a);  dz/da = e^a = z + 1."""

    saves_output = True

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.expm1(a)

    @staticmethod
    def input_grad(grad: Any, z: Any) -> Any:
        return grad * (z + 1)


def expm1(input: Any) -> Tensor:  # noqa: A002
    """e^x - 1 element-wise, accurate near 0."""
    return Expm1.apply(float_input(input))


class Log2(UnaryPointwise):
    """z = log2 a;  dz/da = 1 / (a ln 2)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.log2(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / (a * math.log(2))


def log2(input: Any) -> Tensor:  # noqa: A002
    """Base-2 logarithm element-wise."""
    return Log2.apply(float_input(input))


class Log10(UnaryPointwise):
    """z = log10 a;  dz/da = 1 / (a ln 10)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.log10(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / (a * math.log(10))


def log10(input: Any) -> Tensor:  # noqa: A002
    """Base-10 logarithm element-wise."""
    return Log10.apply(float_input(input))


class Log1p(UnaryPointwise):
    """z = ln(1 + a) (exact for tiny a);  dz/da = 1 / (1 + a)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.log1p(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad / (1 + a)


def log1p(input: Any) -> Tensor:  # noqa: A002
    """ln(1 + x) element-wise, accurate near 0."""
    return Log1p.apply(float_input(input))


class Rsqrt(UnaryPointwise):
    """z = 1 / sqrt(a);  dz/da = -1/2 a^(-3/2) = -z^3 / 2."""

    saves_output = True

    @staticmethod
    def value(a: Any) -> Any:
        return 1 / backend.xp.sqrt(a)

    @staticmethod
    def input_grad(grad: Any, z: Any) -> Any:
        return grad * (-0.5 * z * z * z)


def rsqrt(input: Any) -> Tensor:  # noqa: A002
    """1 / sqrt(x) element-wise (inf at 0, NaN below)."""
    return Rsqrt.apply(float_input(input))


class Reciprocal(UnaryPointwise):
    """z = 1 / a;  dz/da = -1 / a^2 = -z^2."""

    saves_output = True

    @staticmethod
    def value(a: Any) -> Any:
        return 1 / a

    @staticmethod
    def input_grad(grad: Any, z: Any) -> Any:
        return -grad * z * z


def reciprocal(input: Any) -> Tensor:  # noqa: A002
    """1 / x element-wise (an integer tensor gives the default float dtype)."""
    return Reciprocal.apply(float_input(input))


def square(input: Any) -> Tensor:  # noqa: A002
    """x * x element-wise: ``pow(x, 2)`` (dz/da = 2a); an integer tensor stays an integer."""
    return power(input, 2)


class Erf(UnaryPointwise):
    """z = erf a = 2/sqrt(pi) int_0^a e^(-t^2) dt;  dz/da = 2/sqrt(pi) e^(-a^2)."""

    @staticmethod
    def value(a: Any) -> Any:
        return erf_array(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad * (2 / math.sqrt(math.pi)) * backend.xp.exp(-a * a)


def erf(input: Any) -> Tensor:  # noqa: A002
    """The error function element-wise (see ``glassgrad/arrays/erf.py`` for how it is computed)."""
    return Erf.apply(float_input(input))


class Erfc(UnaryPointwise):
    """z = erfc a = 1 - erf a;  dz/da = -2/sqrt(pi) e^(-a^2)."""

    @staticmethod
    def value(a: Any) -> Any:
        return erfc_array(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        return grad * (-2 / math.sqrt(math.pi)) * backend.xp.exp(-a * a)


def erfc(input: Any) -> Tensor:  # noqa: A002
    """The complementary error function 1 - erf(x), precise in the right tail."""
    return Erfc.apply(float_input(input))


class Erfinv(UnaryPointwise):
    """z = erfinv a (erf z = a);  dz/da = 1 / erf'(z) = sqrt(pi)/2 e^(z^2)."""

    saves_output = True

    @staticmethod
    def value(a: Any) -> Any:
        return erfinv_array(a)

    @staticmethod
    def input_grad(grad: Any, z: Any) -> Any:
        return grad * (math.sqrt(math.pi) / 2) * backend.xp.exp(z * z)


def erfinv(input: Any) -> Tensor:  # noqa: A002
    """The inverse error function on [-1, 1] (+-inf at +-1, NaN outside)."""
    return Erfinv.apply(float_input(input))


class Xlogy(Op):
    """z = x ln y, and 0 where x == 0 (even for y == 0);
    dz/dx = ln y (0 where x == 0 and y <= 0, as torch),  dz/dy = x / y."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any) -> Any:
        xp = backend.xp
        ctx.save_for_backward(x, y)
        with quiet_float_errors():
            z = x * xp.log(y)
        return xp.where((x == 0) & ~xp.isnan(y), 0, z).astype(z.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        x, y = ctx.saved
        dx = dy = None
        with quiet_float_errors():
            if ctx.needs_input_grad[0]:
                dx = grad * xp.where((x == 0) & (y <= 0), 0, xp.log(y))
            if ctx.needs_input_grad[1]:
                dy = grad * x / y
        return dx, dy


def xlogy(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input * ln(other), defined as 0 where input is 0 (entropy terms), with broadcasting; both operands
    in torch's result type first (integers give the default float dtype), either one may be a number."""
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("xlogy(): at least one of input and other must be a Tensor")
    return Xlogy.apply(*promoted(input, other, floating=True))


class Hypot(Op):
    """z = sqrt(a^2 + b^2) (without overflow);  dz/da = a / z,  dz/db = b / z."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        z = backend.xp.hypot(a, b)
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b, z = ctx.saved
        with quiet_float_errors():
            scale = grad / z
        return scale * a, scale * b


def hypot(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The length sqrt(input^2 + other^2) element-wise, with broadcasting."""
    return Hypot.apply(*float_pair(input, other))


class LogAddExp(Op):
    """z = ln(e^a + e^b) = max(a, b) + ln(1 + e^-|a - b|) (stable);
    dz/da = e^a / (e^a + e^b) = sigmoid(a - b),  dz/db = sigmoid(b - a)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        with quiet_float_errors():
            return backend.xp.logaddexp(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        with quiet_float_errors():
            share_a = stable_sigmoid(a - b)
        return grad * share_a, grad * (1 - share_a)


def logaddexp(input: Any, other: Any) -> Tensor:  # noqa: A002
    """ln(e^input + e^other) element-wise, without overflow."""
    return LogAddExp.apply(*float_pair(input, other))


class Lerp(Op):
    """z = start + w (end - start);  dz/dstart = 1 - w,  dz/dend = w,  dz/dw = end - start.

    Computed as torch does: from ``start`` when |w| < 1/2, else from ``end``
    (``end - (end - start)(1 - w)``), so w = 1 gives exactly ``end``.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, start: Any, end: Any, weight: Any) -> Any:
        xp = backend.xp
        ctx.save_for_backward(start, end, weight)
        span = end - start
        return xp.where(xp.abs(weight) < 0.5, start + weight * span, end - span * (1 - weight))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any, Any]:
        start, end, weight = ctx.saved
        d_weight = grad * (end - start) if ctx.needs_input_grad[2] else None
        return grad * (1 - weight), grad * weight, d_weight


def lerp(input: Any, end: Any, weight: Any) -> Tensor:  # noqa: A002
    """Linear interpolation input + weight * (end - input); weight a number or a tensor."""
    start, stop = as_tensor(input), as_tensor(end)
    if is_integral(start) or is_integral(stop):
        raise OpDtypeError(f"lerp: start and end must be floating tensors, got {start.dtype} and {stop.dtype}")
    if start.dtype != stop.dtype:
        raise OpDtypeError(f"lerp: expected start and end of the same dtype, got {start.dtype} and {stop.dtype}")
    if isinstance(weight, Tensor):
        w = weight if weight.dtype == start.dtype else weight.to(start.dtype)
    else:
        w = Tensor._make(backend.xp.asarray(weight, dtype=start.dtype), False)
    return Lerp.apply(start, stop, w)


class NanIgnoringPick(Op):
    """Base of fmax and fmin: z takes a or b element by element; forward saves ``to_a``
    (where z is a), and the gradient goes to the input picked:  dz/da = to_a,  dz/db = not to_a."""

    differentiable_backward = True

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        (to_a,) = ctx.saved
        return backend.xp.where(to_a, grad, 0), backend.xp.where(to_a, 0, grad)


class FMax(NanIgnoringPick):
    """z = max(a, b), ignoring a NaN on one side (NaN only where both are);
    dz/da = 1 where a >= b or b is NaN, else 0;  dz/db = the rest (ties go to a, as torch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        xp = backend.xp
        ctx.save_for_backward((a >= b) | xp.isnan(b))
        return xp.fmax(a, b)


def fmax(input: Any, other: Any) -> Tensor:  # noqa: A002
    """Element-wise maximum that prefers a number to a NaN (integer dtypes kept)."""
    return FMax.apply(*as_tensor_pair(input, other))


class FMin(NanIgnoringPick):
    """z = min(a, b), ignoring a NaN on one side (NaN only where both are);
    dz/da = 1 where a <= b or b is NaN, else 0;  dz/db = the rest (ties go to a, as torch)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        xp = backend.xp
        ctx.save_for_backward((a <= b) | xp.isnan(b))
        return xp.fmin(a, b)


def fmin(input: Any, other: Any) -> Tensor:  # noqa: A002
    """Element-wise minimum that prefers a number to a NaN (integer dtypes kept)."""
    return FMin.apply(*as_tensor_pair(input, other))
