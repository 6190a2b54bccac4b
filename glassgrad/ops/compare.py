"""Comparisons (boolean results, no gradient), the NaN/inf tests, isclose, and dtype casts.

A comparison's output is piecewise constant in its inputs, so it carries no
gradient; its result never requires grad.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy

from glassgrad import backend, bfloat16_math, complex_math
from glassgrad.errors import broadcast_checked
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "allclose", "cast", "eq", "equal", "ge", "greater", "greater_equal", "gt", "isclose", "isfinite", "isinf",
    "isnan", "isneginf", "isposinf", "le", "less", "less_equal", "lt", "ne", "not_equal",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _compare(a: Any, b: Any, ufunc_name: str) -> Tensor:
    ta, tb = as_tensor_pair(a, b)
    if (ta.array.dtype.kind == "c" or tb.array.dtype.kind == "c") and ufunc_name not in ("equal", "not_equal"):
        complex_math.refuse_unordered(ufunc_name, ta, tb)
    return Tensor._make(broadcast_checked(ufunc_name, getattr(backend.xp, ufunc_name), ta.array, tb.array), False)


def eq(a: Any, b: Any) -> Tensor:
    """a == b element-wise (bool)."""
    return _compare(a, b, "equal")


def ne(a: Any, b: Any) -> Tensor:
    """a != b element-wise (bool)."""
    return _compare(a, b, "not_equal")


def lt(a: Any, b: Any) -> Tensor:
    """a < b element-wise (bool)."""
    return _compare(a, b, "less")


def le(a: Any, b: Any) -> Tensor:
    """a <= b element-wise (bool)."""
    return _compare(a, b, "less_equal")


def gt(a: Any, b: Any) -> Tensor:
    """a > b element-wise (bool)."""
    return _compare(a, b, "greater")


def ge(a: Any, b: Any) -> Tensor:
    """a >= b element-wise (bool)."""
    return _compare(a, b, "greater_equal")


# torch's longer names for the same comparisons
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _test(x: Any, test: Any) -> Tensor:
    x = as_tensor(x)
    if not backend.is_float(x.dtype) and x.dtype.kind != "c":  # an integer or bool is never NaN nor infinite
        return Tensor._make(test(x.array.astype(backend.get_default_dtype())), False)
    return Tensor._make(test(x.array), False)


def isnan(input: Any) -> Tensor:  # noqa: A002
    """True where the element is NaN (bool)."""
    return _test(input, backend.xp.isnan)


def isinf(input: Any) -> Tensor:  # noqa: A002
    """True where the element is +inf or -inf (bool)."""
    return _test(input, backend.xp.isinf)


def isfinite(input: Any) -> Tensor:  # noqa: A002
    """True where the element is neither NaN nor infinite (bool)."""
    return _test(input, backend.xp.isfinite)


def isposinf(input: Any) -> Tensor:  # noqa: A002
    """True where the element is +inf (bool)."""
    return _test(input, lambda a: a == backend.xp.inf)


def isneginf(input: Any) -> Tensor:  # noqa: A002
    """True where the element is -inf (bool)."""
    return _test(input, lambda a: a == -backend.xp.inf)


def isclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
            equal_nan: bool = False) -> Tensor:
    """True where |input - other| <= atol + rtol * |other| (bool); equal infinities are close,
    NaNs only with ``equal_nan``. Both tensors must have the same dtype, as torch requires."""
    a, b = as_tensor_pair(input, other)
    if isinstance(input, Tensor) and isinstance(other, Tensor) and input.dtype != other.dtype:
        raise RuntimeError(f"isclose: {other.dtype} did not match {input.dtype}; both tensors need one dtype")
    if rtol < 0 or atol < 0:
        raise RuntimeError(f"isclose: rtol ({rtol}) and atol ({atol}) must be non-negative")
    close = broadcast_checked("isclose", lambda p, q: backend.xp.isclose(p, q, rtol=rtol, atol=atol,
                                                                        equal_nan=equal_nan), a.array, b.array)
    return Tensor._make(backend.xp.asarray(close), False)


def allclose(input: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:
    """True (a Python bool) when every element pair is ``isclose``."""
    return bool(isclose(input, other, rtol, atol, equal_nan).array.all())


def equal(input: Any, other: Any) -> bool:  # noqa: A002
    """True (a Python bool) when both have the same shape and the same elements (NaN never equals)."""
    a, b = as_tensor(input), as_tensor(other)
    return a.shape == b.shape and bool((a.array == b.array).all())


class Cast(Op):
    """y = x converted to another dtype;  dx = dy converted back.

    To bfloat16 through float32, as torch (``glassgrad/bfloat16_math.py``)."""

    differentiable_backward = True
    bfloat16_in_float32 = False  # its result has the dtype it is asked for

    @staticmethod
    def forward(ctx: Context, x: Any, *, dtype: Any) -> Any:
        ctx.dtype = x.dtype
        if x.dtype.kind == "c" and dtype.kind != "c":  # complex to real keeps the real part, as torch
            warnings.warn("Casting complex values to real discards the imaginary part", UserWarning, stacklevel=4)
            x = x.real
        return complex_math.mark(bfloat16_math.cast(x, dtype))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        if grad.dtype.kind == "c" and ctx.dtype.kind != "c":  # real to complex: the adjoint keeps the real part
            grad = grad.real
        return bfloat16_math.cast(grad, ctx.dtype)


def cast(x: Any, dtype: Any) -> Tensor:
    """A copy of x in ``dtype``; gradients flow only between floating dtypes."""
    x = as_tensor(x)
    dtype = numpy.dtype(dtype)
    if x.requires_grad and not (backend.is_float(dtype) or dtype.kind == "c"):
        return Tensor(x.array.astype(dtype))
    return Cast.apply(x, dtype=dtype)
