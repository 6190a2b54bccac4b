"""A float's parts, sign, exponent and mantissa, taken apart and put together:
copysign, ldexp, frexp, nextafter.

    copysign(a, b)  = |a| with the sign of b (the sign bit: b = -0.0 counts as negative)
    ldexp(m, e)     = m * 2^e
    frexp(x)        = (m, e) with x = m * 2^e, 0.5 <= |m| < 1 (m = e = 0 for x = 0)
    nextafter(a, b) = the float next to a in the direction of b

Integer inputs to copysign and ldexp give the default float dtype, as torch.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.elementwise import mul
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.power import pow as power
from glassgrad.ops.type_promotion import category, promoted
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["copysign", "frexp", "ldexp", "nextafter"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class CopySign(Op):
    """z = |a| sign(b);  dz/da = z / a (+1 or -1; 0 at a = 0, as torch),  dz/db = 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        z = backend.xp.copysign(a, b)
        ctx.save_for_backward(a, z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, z = ctx.saved
        xp = backend.xp
        flipped = xp.signbit(a) != xp.signbit(z)
        da = xp.where(a == 0, 0, xp.where(flipped, -grad, grad)) if ctx.needs_input_grad[0] else None
        return da, (xp.zeros_like(grad) if ctx.needs_input_grad[1] else None)


def copysign(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The magnitude of ``input`` with the sign of ``other``, element-wise (torch.copysign)."""
    return CopySign.apply(*promoted(as_tensor(input), other, floating=True))


def ldexp(input: Any, other: Any) -> Tensor:  # noqa: A002
    """input * 2^other (torch.ldexp; torch composes it from mul and pow, and so does this:
    d/dinput = 2^other, d/dother = input 2^other ln 2)."""
    a, e = promoted(as_tensor(input), other, floating=True)
    return mul(a, power(2.0, e))


class Frexp(Op):
    """(m, e) = frexp(x), x = m 2^e;  dm/dx = 2^-e (e is piecewise constant), e has no gradient."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        mantissa, exponent = backend.xp.frexp(x)
        ctx.exponent = exponent
        return mantissa

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.ldexp(grad, -ctx.exponent)


def frexp(input: Tensor) -> tuple[Tensor, Tensor]:  # noqa: A002
    """The mantissa (same dtype, 0.5 <= |m| < 1) and the int32 exponent of each element (torch.frexp)."""
    x = as_tensor(input)
    if category(x.dtype) != 2:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    mantissa = Frexp.apply(x)
    exponent = Tensor._make(backend.xp.frexp(x.array)[1].astype(numpy.int32), False)
    return return_types.frexp(mantissa, exponent)


class NextAfter(Op):
    """z = the next float after a towards b (b itself when a == b);  torch's gradient:
    dz/da = 1 where a != b, 0 where a == b (z = b there), and dz/db = 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a != b)
        return backend.xp.nextafter(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        (moved,) = ctx.saved
        return grad * moved, (backend.xp.zeros_like(grad) if ctx.needs_input_grad[1] else None)


def nextafter(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """The next representable float after ``input`` towards ``other`` (torch.nextafter); both
    promote to a common float dtype (torch refuses integer tensors)."""
    a, b = promoted(as_tensor(input), other)
    if category(a.dtype) != 2:
        raise NotImplementedError(f'"nextafter_cpu" not implemented for \'{_torch_name(a.dtype)}\'')
    with quiet_float_errors():
        return NextAfter.apply(a, b)


def _torch_name(dtype: Any) -> str:
    """torch's C++ name of a dtype, as its 'not implemented for' messages print it."""
    names = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
             "float32": "Float", "float64": "Double", "float16": "Half"}
    return names.get(str(numpy.dtype(dtype)), str(dtype))
