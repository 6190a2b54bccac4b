"""Rounding, signs and integer-style division: floor, ceil, round, trunc, frac,
sign, sgn, signbit, div with a rounding mode, floor_divide, remainder, fmod.

A rounding op is piecewise constant, so its derivative is 0 wherever it exists
(torch returns 0 at the jumps too); these ops still get a backward, which
returns zeros. On integer tensors floor, ceil, round, trunc and sign return
the values unchanged (same dtype), as torch.

Integer division by zero raises (torch: "ZeroDivisionError"); float division
by zero gives inf or NaN without a warning.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpDtypeError
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import quiet_float_errors
from glassgrad.ops.promotion import is_integral
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "ceil", "fix", "floor", "floor_divide", "fmod", "frac", "remainder", "round", "sgn", "sign", "signbit",
    "trunc",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class PiecewiseConstant(Op):
    """Base of the rounding ops: z = step(a) is flat between its jumps, so dz/da = 0."""

    differentiable_backward = True

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.zeros_like(grad)


class Floor(PiecewiseConstant):
    """z = the largest integer <= a;  dz/da = 0."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return backend.xp.floor(a)


class Ceil(PiecewiseConstant):
    """z = the smallest integer >= a;  dz/da = 0."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return backend.xp.ceil(a)


class Trunc(PiecewiseConstant):
    """z = a rounded toward zero;  dz/da = 0."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return backend.xp.trunc(a)


class Round(PiecewiseConstant):
    """z = a rounded to ``decimals`` places, halves to even (torch.round);  dz/da = 0.

    With decimals d > 0: rint(a * 10^d) / 10^d; with d < 0: rint(a / 10^-d) * 10^-d.
    """

    @staticmethod
    def forward(ctx: Context, a: Any, *, decimals: int) -> Any:
        xp = backend.xp
        if decimals == 0:
            return xp.rint(a)
        scale = a.dtype.type(10.0 ** abs(decimals))
        with xp.errstate(over="ignore", invalid="ignore"):
            if decimals > 0:
                return xp.rint(a * scale) / scale
            return xp.rint(a / scale) * scale


class Sign(PiecewiseConstant):
    """z = (a > 0) - (a < 0): -1, 0 or 1 (and 0 for NaN, as torch);  dz/da = 0."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return (a > 0).astype(a.dtype) - (a < 0).astype(a.dtype)


def _rounding(op: type[Op], name: str, a: Any, **params: Any) -> Tensor:
    t = as_tensor(a)
    if is_integral(t):
        if params.get("decimals"):
            raise NotImplementedError(f"{name}: decimals={params['decimals']} is not implemented for integer "
                                      f"tensors (dtype {t.dtype}), as in torch")
        return Tensor._make(t.array.copy(), False)
    return op.apply(t, **params)


def floor(input: Any) -> Tensor:  # noqa: A002
    """Round down element-wise (integer tensors are returned as they are)."""
    return _rounding(Floor, "floor", input)


def ceil(input: Any) -> Tensor:  # noqa: A002
    """Round up element-wise."""
    return _rounding(Ceil, "ceil", input)


def trunc(input: Any) -> Tensor:  # noqa: A002
    """Round toward zero element-wise (torch.trunc, alias fix)."""
    return _rounding(Trunc, "trunc", input)


fix = trunc


def round(input: Any, *, decimals: int = 0) -> Tensor:  # noqa: A001, A002  (mirrors torch.round)
    """Round half to even, to ``decimals`` places (negative: to tens, hundreds, ...)."""
    return _rounding(Round, "round", input, decimals=int(decimals))


def sign(input: Any) -> Tensor:  # noqa: A002
    """-1, 0 or 1 element-wise (an integer tensor keeps its dtype; bool stays bool)."""
    t = as_tensor(input)
    if is_integral(t):
        return Tensor._make(t.array.copy() if t.dtype.kind == "b" else backend.xp.sign(t.array), False)
    return Sign.apply(t)


def sgn(input: Any) -> Tensor:  # noqa: A002
    """sign for real tensors (torch.sgn extends sign to complex numbers, which glassgrad has not)."""
    return sign(input)


def signbit(input: Any) -> Tensor:  # noqa: A002
    """True where the sign bit is set (negative numbers and -0.0); a bool result, no gradient."""
    return Tensor._make(backend.xp.signbit(as_tensor(input).array), False)


class Frac(Op):
    """z = a - trunc(a) (the fractional part, with a's sign);  dz/da = 1."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return a - backend.xp.trunc(a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad


def frac(input: Any) -> Tensor:  # noqa: A002
    """The fractional part a - trunc(a) (floating tensors only, as torch)."""
    t = as_tensor(input)
    if is_integral(t):
        raise OpDtypeError(f"frac: not implemented for integer tensors (dtype {t.dtype}), as in torch")
    return Frac.apply(t)


# ----- division with rounding ------------------------------------------------------------
def _check_integer_divisor(name: str, a: Tensor, b: Tensor) -> None:
    if is_integral(a) and is_integral(b) and (b.array == 0).any():
        raise RuntimeError(f"ZeroDivisionError: {name} of integer tensors by zero")


def _floor_divide_arrays(a: Any, b: Any) -> Any:
    xp = backend.xp
    with quiet_float_errors():
        return xp.floor_divide(a, b)


def _trunc_divide_arrays(a: Any, b: Any) -> Any:
    xp = backend.xp
    if a.dtype.kind in "fc":
        with quiet_float_errors():
            return xp.trunc(a / b)
    down = xp.floor_divide(a, b)  # integers: floor, then one up where the signs differ and it was inexact
    inexact = down * b != a
    return down + (inexact & ((a < 0) != (b < 0))).astype(down.dtype)


class RoundedDiv(PiecewiseConstant):
    """z = a / b rounded toward zero (``mode="trunc"``) or down (``"floor"``);
    piecewise constant in a and b, so dz/da = dz/db = 0 (torch.div's convention)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, *, mode: str) -> Any:
        return _trunc_divide_arrays(a, b) if mode == "trunc" else _floor_divide_arrays(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        zeros = backend.xp.zeros_like(grad)
        return zeros, zeros


def divide_rounded(a: Any, b: Any, mode: str) -> Tensor:
    """``torch.div(a, b, rounding_mode=mode)`` for mode "trunc" or "floor" (integer dtypes kept)."""
    ta, tb = as_tensor_pair(a, b)
    _check_integer_divisor(f"div(rounding_mode={mode!r})", ta, tb)
    return RoundedDiv.apply(ta, tb, mode=mode)


class FloorDivide(Op):
    """z = floor(a / b) (``a // b``).  As in torch, it has no derivative: backward raises."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        return _floor_divide_arrays(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        raise RuntimeError("derivative for floor_divide is not implemented (as in torch); "
                           "use div(a, b, rounding_mode='floor'), whose gradient is 0")


def floor_divide(a: Any, b: Any) -> Tensor:
    """a // b: division rounded down (integer dtypes kept)."""
    ta, tb = as_tensor_pair(a, b)
    _check_integer_divisor("floor_divide", ta, tb)
    return FloorDivide.apply(ta, tb)


class Remainder(Op):
    """z = a - b * floor(a / b) (``a % b``, the sign of b, as Python);
    dz/da = 1,  dz/db = -floor(a / b)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        with backend.xp.errstate(divide="ignore", invalid="ignore"):
            return backend.xp.remainder(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        db = -grad * _floor_divide_arrays(a, b) if ctx.needs_input_grad[1] else None
        return grad, db


def remainder(a: Any, b: Any) -> Tensor:
    """a % b element-wise, with the sign of the divisor (Python's and torch's %)."""
    ta, tb = as_tensor_pair(a, b)
    _check_integer_divisor("remainder", ta, tb)
    return Remainder.apply(ta, tb)


class Fmod(Op):
    """z = a - b * trunc(a / b) (C's fmod, the sign of a);  dz/da = 1,  dz/db = -trunc(a / b)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        with backend.xp.errstate(divide="ignore", invalid="ignore"):
            return backend.xp.fmod(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        db = -grad * _trunc_divide_arrays(a, b) if ctx.needs_input_grad[1] else None
        return grad, db


def fmod(a: Any, b: Any) -> Tensor:
    """C-style remainder element-wise, with the sign of the dividend (torch.fmod)."""
    ta, tb = as_tensor_pair(a, b)
    _check_integer_divisor("fmod", ta, tb)
    return Fmod.apply(ta, tb)
