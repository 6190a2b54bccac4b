"""A Python number written into a tensor (``x[i] = 5``, ``x[mask] = 0.5``), converted as torch converts it.

torch turns the number into the tensor's dtype and refuses, with a RuntimeError ("value cannot be
converted to type ... without overflow"), a value the dtype cannot hold, where NumPy would wrap it
silently (``int8`` gets 200 as -56) or refuse a float meeting an integer tensor that torch accepts
(``counts[i] = 2.5`` writes 2). The rules, checked against torch 2.13 for every index kind:

* bool tensors take the number's truth (any number);
* integer tensors take an int inside the dtype's range (an unsigned dtype also takes -max..-1, as
  two's complement: ``uint8`` gets -1 as 255) and a float inside it, truncated toward zero
  (NaN and infinities refused);
* float32 refuses a finite value beyond its largest (float64 holds every Python float), float16
  and bfloat16 round it (to their largest, or an infinity); complex64 refuses a part beyond float32's largest;
* a complex number with a nonzero imaginary part is refused by every real dtype but bool;
* a Python int beyond 64 bits is refused by every dtype (torch's ValueError).
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend

NUMBERS = frozenset({int, float, bool, complex})  # the exact types converted here (a NumPy scalar is an array)

_INT64 = 2**63
_FLOAT32_MAX = 3.4028234663852886e38
_INTEGER_RANGES: dict[Any, tuple[int, int]] = {}  # integer dtype -> (least, largest) value it takes, as torch
_LARGEST_FLOATS: dict[Any, float] = {}  # float16, bfloat16 -> the largest finite value


def written_number(value: int | float | bool | complex, dtype: Any) -> Any:
    """``value`` (of a type in ``NUMBERS``) as torch writes it into a tensor of ``dtype``: a Python number
    that NumPy stores exactly so, or torch's error for a value the dtype cannot hold."""
    if value.__class__ is int and not -_INT64 <= value < _INT64:
        raise ValueError(f"setitem: {value} does not fit a 64-bit integer (torch: Overflow when unpacking long long)")
    kind = dtype.kind
    if kind == "b":
        return bool(value)
    if kind == "c":
        parts = (value.real, value.imag) if value.__class__ is complex else (value,)
        if dtype.itemsize == 8 and any(math.isfinite(p) and abs(p) > _FLOAT32_MAX for p in parts):
            _refuse(value, dtype)
        return value
    if value.__class__ is complex:
        if value.imag:
            _refuse(value, dtype)
        value = value.real
    if kind in "iu":
        least, largest = _integer_range(dtype)
        if value.__class__ is float:
            if not (0 if kind == "u" else least) <= value <= largest:  # (NaN and the infinities fail too)
                _refuse(value, dtype)
            return int(value)
        if not least <= value <= largest:
            _refuse(value, dtype)
        return value % (largest + 1) if value < 0 and kind == "u" else int(value)
    value = float(value)
    if dtype.itemsize <= 4 and math.isfinite(value) and abs(value) > _largest_float(dtype):
        if dtype.itemsize == 4:
            _refuse(value, dtype)
        with backend.xp.errstate(over="ignore"):  # float16, bfloat16: rounded (to the largest or an infinity)
            return backend.xp.asarray(value).astype(dtype)
    return value


def _integer_range(dtype: Any) -> tuple[int, int]:
    """The least and largest Python int torch writes into ``dtype`` (unsigned: from -max, wrapping)."""
    known = _INTEGER_RANGES.get(dtype)
    if known is None:
        info = backend.xp.iinfo(dtype)
        known = _INTEGER_RANGES[dtype] = (-int(info.max) if dtype.kind == "u" else int(info.min), int(info.max))
    return known


def _largest_float(dtype: Any) -> float:
    """The largest finite value of a float dtype of at most 4 bytes (float32 read first: the common one)."""
    if dtype.itemsize == 4:
        return _FLOAT32_MAX
    known = _LARGEST_FLOATS.get(dtype)
    if known is None:
        known = _LARGEST_FLOATS[dtype] = float(backend.xp.finfo(dtype).max)
    return known


def _refuse(value: Any, dtype: Any) -> None:
    raise RuntimeError(f"setitem: value {value!r} cannot be converted to type {dtype} without overflow")
