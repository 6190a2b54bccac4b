"""Bitwise and logical ops: ``& | ^ ~ << >>`` and logical_and/or/xor/not.

The bitwise ops work on integer and bool tensors only (as torch: a float
tensor is an error); bool with bool stays bool, bool with an integer gives the
integer dtype. Shifts by the type's width or more, or by a negative amount,
give 0 (or -1 for a negative number shifted right), as torch.

The logical ops take any dtype, treat non-zero as True and return bool.
None of these results is differentiable (integer and bool tensors carry no
gradient), so they are plain functions rather than ``Op`` classes.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import broadcast_checked
from glassgrad.ops.promotion import is_integral, require_integral
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "bitwise_and", "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
    "logical_and", "logical_not", "logical_or", "logical_xor",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _integer_pair(name: str, a: Any, b: Any) -> tuple[Any, Any]:
    """The two operands' arrays in their common dtype, after checking both are integer or bool."""
    ta, tb = as_tensor_pair(a, b)
    require_integral(name, ta, tb)
    return ta.array, tb.array


def _result(values: Any) -> Tensor:
    return Tensor._make(values, False)


def bitwise_and(input: Any, other: Any) -> Tensor:  # noqa: A002
    """a & b bit by bit (logical and for bool tensors)."""
    return _result(broadcast_checked("bitwise_and", backend.xp.bitwise_and,
                                     *_integer_pair("bitwise_and", input, other)))


def bitwise_or(input: Any, other: Any) -> Tensor:  # noqa: A002
    """a | b bit by bit (logical or for bool tensors)."""
    return _result(broadcast_checked("bitwise_or", backend.xp.bitwise_or, *_integer_pair("bitwise_or", input, other)))


def bitwise_xor(input: Any, other: Any) -> Tensor:  # noqa: A002
    """a ^ b bit by bit (logical xor for bool tensors)."""
    return _result(broadcast_checked("bitwise_xor", backend.xp.bitwise_xor,
                                     *_integer_pair("bitwise_xor", input, other)))


def bitwise_not(input: Any) -> Tensor:  # noqa: A002
    """~a: every bit flipped (-a - 1 for integers; logical not for bool tensors)."""
    t = as_tensor(input)
    if not is_integral(t):
        raise TypeError(f"bitwise_not: ~ (operator.invert) is only implemented on integer and Boolean-type "
                        f"tensors, got dtype {t.dtype}")
    return _result(backend.xp.invert(t.array))


def bitwise_left_shift(input: Any, other: Any) -> Tensor:  # noqa: A002
    """a << b: a times 2^b, wrapping around the integer type as C does."""
    a, b = _integer_pair("bitwise_left_shift", input, other)
    return _result(_shift(backend.xp.left_shift, a, b))


def bitwise_right_shift(input: Any, other: Any) -> Tensor:  # noqa: A002
    """a >> b: a divided by 2^b, rounded down (arithmetic shift)."""
    a, b = _integer_pair("bitwise_right_shift", input, other)
    return _result(_shift(backend.xp.right_shift, a, b))


def _shift(ufunc: Any, a: Any, b: Any) -> Any:
    """Shift with bools counted as 0/1 integers (True << 1 is 2, as torch)."""
    xp = backend.xp
    if a.dtype.kind == "b":
        a = a.astype(xp.int64)
    if b.dtype.kind == "b":
        b = b.astype(a.dtype)
    return broadcast_checked(ufunc.__name__, ufunc, a, b)


def _truth(value: Any) -> Any:
    return as_tensor(value).array != 0


def logical_and(input: Any, other: Any) -> Tensor:  # noqa: A002
    """True where both are non-zero."""
    return _result(broadcast_checked("logical_and", backend.xp.logical_and, _truth(input), _truth(other)))


def logical_or(input: Any, other: Any) -> Tensor:  # noqa: A002
    """True where either is non-zero."""
    return _result(broadcast_checked("logical_or", backend.xp.logical_or, _truth(input), _truth(other)))


def logical_xor(input: Any, other: Any) -> Tensor:  # noqa: A002
    """True where exactly one is non-zero."""
    return _result(broadcast_checked("logical_xor", backend.xp.logical_xor, _truth(input), _truth(other)))


def logical_not(input: Any) -> Tensor:  # noqa: A002
    """True where the input is zero."""
    return _result(backend.xp.logical_not(_truth(input)))
