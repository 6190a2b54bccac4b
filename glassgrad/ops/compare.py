"""Comparisons (boolean results, no gradient) and dtype casts.

A comparison's output is piecewise constant in its inputs, so it carries no
gradient; its result never requires grad.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair


def _compare(a: Any, b: Any, ufunc_name: str) -> Tensor:
    ta, tb = as_tensor_pair(a, b)
    return Tensor(getattr(backend.xp, ufunc_name)(ta.data, tb.data))


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


class Cast(Function):
    """y = x converted to another dtype;  dx = dy converted back."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, dtype: Any) -> Any:
        ctx.dtype = x.dtype
        return x.astype(dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad.astype(ctx.dtype)


def cast(x: Any, dtype: Any) -> Tensor:
    """A copy of x in ``dtype``; gradients flow only between floating dtypes."""
    x = as_tensor(x)
    dtype = numpy.dtype(dtype)
    if x.requires_grad and not backend.is_float(dtype):
        return Tensor(x.data.astype(dtype))
    return Cast.apply(x, dtype=dtype)
