"""Powers: ``a ** b`` with torch's dtype rules and its gradients at a zero base.

* An integer tensor to a non-negative integer power stays an integer tensor;
  to a negative integer (number) power it is an error, as torch; to a float
  power it gives the default float dtype.
* Integer tensor ** integer tensor with negative entries gives what torch's
  integer pow gives: 1 for base 1, +-1 for base -1, 0 otherwise.
* Outside the real domain (a negative base to a fractional power, 0 to a
  negative power) the result is NaN or inf, without a warning.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.promotion import float_input, is_integral
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair


class PowScalar(Op):
    """z = a^p for a constant number p;  dz/da = p * a^(p-1), and 0 everywhere when p = 0.

    As torch: a negative base with a fractional p gives NaN and 0 to a negative
    power gives inf, without a warning; at a = 0 the gradient is 0 for p > 1,
    1 for p = 1, inf for 0 < p < 1 and -inf (times the sign) for p < 0.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, *, exponent: float) -> Any:
        ctx.save_for_backward(a)
        ctx.exponent = exponent
        if exponent == 2:
            return a * a
        with quiet_float_errors():
            return a**exponent

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        p = ctx.exponent
        if p == 0:
            return backend.xp.zeros_like(grad)
        if p == 2:
            return grad * (2 * a)
        with quiet_float_errors():
            return grad * (p * a ** (p - 1))


class Pow(Op):
    """z = a^b for tensors;  dz/da = b * a^(b-1),  dz/db = a^b * ln(a).

    As in PyTorch: dz/da is 0 where b == 0; dz/db is NaN where a < 0 (ln
    undefined) and 0 where a == 0 and b >= 0 (the limit of a^b ln a).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        with quiet_float_errors():
            z = a**b
        ctx.save_for_backward(a, b, z)
        return z

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        a, b, z = ctx.saved
        da = db = None
        with quiet_float_errors():
            if ctx.needs_input_grad[0]:
                da = xp.where(b == 0, 0, grad * b * a ** (b - 1)).astype(grad.dtype, copy=False)
            if ctx.needs_input_grad[1]:
                db = xp.where((a == 0) & (b >= 0), 0, grad * z * xp.log(a)).astype(grad.dtype, copy=False)
        return da, db


def _integer_power(base: Any, exponent: Any) -> Any:
    """base ** exponent for integer arrays; a negative exponent gives what torch's
    integer pow gives: 1 for base 1, +-1 for base -1, 0 otherwise."""
    xp = backend.xp
    base = base.astype(xp.int64) if base.dtype.kind == "b" else base
    exponent = exponent.astype(xp.int64) if exponent.dtype.kind == "b" else exponent
    negative = exponent < 0
    z = base ** xp.where(negative, 0, exponent)
    if negative.any():
        odd = exponent % 2 == 1
        inverse = xp.where(base == 1, 1, xp.where(base == -1, xp.where(odd, -1, 1), 0))
        z = xp.where(negative, inverse, z).astype(z.dtype, copy=False)
    return z


def pow(a: Any, exponent: Any) -> Tensor:  # noqa: A001  (mirrors torch.pow)
    """a ** exponent; a number exponent is a constant, a tensor one gets a gradient.

    dtypes as torch: an integer tensor to a non-negative integer power stays an
    integer tensor; to a negative integer (number) power it is an error; to a
    float power it gives the default float dtype.
    """
    if isinstance(exponent, bool | int | float) and not isinstance(a, bool | int | float):
        base = as_tensor(a)
        if not is_integral(base):
            return PowScalar.apply(base, exponent=exponent)
        if isinstance(exponent, float):
            return PowScalar.apply(float_input(base), exponent=exponent)
        if exponent < 0:
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        values = base.array.astype(backend.xp.int64) if base.dtype.kind == "b" else base.array
        return Tensor._make(values ** int(exponent), False)
    base, power = as_tensor_pair(a, exponent)
    if is_integral(base) and is_integral(power):
        return Tensor._make(_integer_power(base.array, power.array), False)
    return Pow.apply(base, power)
