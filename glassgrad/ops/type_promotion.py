"""torch's type promotion for any number of operands: ``result_type``, ``promote_types``, ``can_cast``.

Every operand falls in a category, bool < integer < floating, and in one of
three ranks:

* a tensor with at least one dimension,
* a 0-d tensor,
* a Python number (``True``, ``2``, ``2.5``; a float number counts as the
  default float dtype).

The result comes from the highest rank present, unless a lower rank brings a
higher category: ``float32 vector + float64 0-d tensor`` is float32, but
``int64 vector + float64 0-d tensor`` is float64 and ``int32 vector + 2.5`` is
the default float dtype. Two dtypes of one rank meet in ``promote_types``,
which differs from NumPy's in one way: an integer meeting a float always gives
that float (``int64 + float16`` is float16; NumPy says float64).
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy

from glassgrad import backend, complex_math
from glassgrad.dtypes import complex_of, to_dtype
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["can_cast", "promote_types", "result_type"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []

_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def category(dtype: Any) -> int:
    """0 for bool, 1 for the integers, 2 for the floats (bfloat16 too), 3 for complex."""
    return 2 if backend.is_float(dtype) else _CATEGORY[numpy.dtype(dtype).kind]


def promote_types(type1: Any, type2: Any) -> numpy.dtype:
    """The smallest dtype both ``type1`` and ``type2`` convert to without losing their category
    (torch.promote_types): bool < integers < floats; an integer meeting a float gives the float."""
    a, b = to_dtype(type1), to_dtype(type2)
    if a.kind == "c" or b.kind == "c":
        return complex_math.promote(a, b)
    if category(a) != category(b) and 2 in (category(a), category(b)):
        return a if category(a) > category(b) else b
    return numpy.promote_types(a, b)


def _number_dtype(value: Any) -> numpy.dtype:
    """The dtype a Python number stands for: bool, int64, or the default float dtype."""
    if isinstance(value, builtins.bool | numpy.bool_):
        return numpy.dtype(numpy.bool_)
    if isinstance(value, builtins.int | numpy.integer):
        return numpy.dtype(numpy.int64)
    if isinstance(value, builtins.float | numpy.floating):
        return numpy.dtype(backend.get_default_dtype())
    if isinstance(value, builtins.complex | numpy.complexfloating):
        return complex_of(backend.get_default_dtype())
    raise TypeError(f"result_type: expected a Tensor or a Python number, got {type(value).__name__}")


def _combine(higher: numpy.dtype | None, lower: numpy.dtype | None) -> numpy.dtype | None:
    """Merge the result of a higher rank with a lower one's: the lower rank only counts when it
    brings a higher category (or when the higher rank is bool)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if category(lower) == 3 and category(higher) < 3:  # complex from a lower rank: a float keeps its precision
        return complex_of(higher) if category(higher) == 2 else lower
    if category(higher) >= 2:
        return higher
    if category(higher) == 0 or category(lower) == 2:
        return promote_types(higher, lower)
    return higher


def result_type(*operands: Any) -> numpy.dtype:
    """The dtype torch computes ``operands`` in (tensors and Python numbers, see the module docstring)."""
    ranks: list[numpy.dtype | None] = [None, None, None]  # dimensioned tensors, 0-d tensors, numbers
    for operand in operands:
        if isinstance(operand, Tensor):
            rank, dtype = (0 if operand.ndim else 1), operand.dtype
        elif isinstance(operand, numpy.ndarray):
            rank, dtype = (0 if operand.ndim else 1), operand.dtype
        else:
            rank, dtype = 2, _number_dtype(operand)
        current = ranks[rank]
        ranks[rank] = dtype if current is None else promote_types(current, dtype)
    result = _combine(ranks[0], _combine(ranks[1], ranks[2]))
    if result is None:
        raise TypeError("result_type: expected at least one operand")
    return result


def can_cast(from_: Any, to: Any) -> bool:
    """True when torch allows an op's result of dtype ``from_`` to be written into ``to``: never
    down a category (float to int, int to bool); within one, any size."""
    return category(to_dtype(from_)) <= category(to_dtype(to))


def promoted(*operands: Any, floating: bool = False) -> list[Tensor]:
    """Every operand as a Tensor of the common ``result_type`` (with ``floating``, an integral
    result becomes the default float dtype, as torch's float functions do)."""
    dtype = result_type(*operands)
    if floating and category(dtype) < 2:
        dtype = numpy.dtype(backend.get_default_dtype())
    out = []
    for operand in operands:
        if isinstance(operand, Tensor):
            out.append(operand if operand.dtype == dtype else operand.to(dtype))
        else:
            out.append(Tensor._make(backend.xp.asarray(operand, dtype=dtype), False))
    return out
