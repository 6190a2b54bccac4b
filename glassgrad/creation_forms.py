"""torch's other factories: scalar_tensor, empty_strided, empty_permuted, range.

glassgrad tensors are dense and row-major, so the strides of ``empty_strided``
and the physical order of ``empty_permuted`` are checked (one per dim) and
otherwise ignored: the values of an empty tensor are unspecified either way.
"""

from __future__ import annotations

import builtins
import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy

from glassgrad import backend
from glassgrad.factory_args import any_dtype, check_options, finish
from glassgrad.tensor import Tensor


def scalar_tensor(s: Any, *, dtype: Any = None, device: Any = None, requires_grad: bool = False,
                  **options: Any) -> Tensor:
    """A 0-d tensor holding the number ``s``, of the default float dtype unless ``dtype`` says (torch.scalar_tensor)."""
    check_options("scalar_tensor", options)
    value = s.item() if hasattr(s, "item") else s
    return finish(backend.xp.asarray(value, dtype=any_dtype(dtype, None)), device, requires_grad, "scalar_tensor")


def _empty(op: str, size: Sequence[int], other: Sequence[int], what: str, dtype: Any, device: Any,
           requires_grad: bool, options: dict[str, Any]) -> Tensor:
    check_options(op, options)
    size = tuple(int(n) for n in size)
    if len(other) != len(size):
        raise RuntimeError(f"{op}: {what} {list(other)} has {len(other)} entries for a size of {len(size)} dims")
    return finish(backend.xp.empty(size, dtype=any_dtype(dtype, None)), device, requires_grad, op)


def empty_strided(size: Sequence[int], stride: Sequence[int], *, dtype: Any = None, device: Any = None,
                  requires_grad: bool = False, **options: Any) -> Tensor:
    """An uninitialised tensor of ``size`` (torch.empty_strided; the strides are not kept)."""
    return _empty("empty_strided", size, stride, "stride", dtype, device, requires_grad, options)


def empty_permuted(size: Sequence[int], physical_layout: Sequence[int], *, dtype: Any = None, device: Any = None,
                   requires_grad: bool = False, **options: Any) -> Tensor:
    """An uninitialised tensor of ``size`` (torch.empty_permuted; the memory order is not kept)."""
    if sorted(int(d) for d in physical_layout) != list(builtins.range(len(physical_layout))):
        raise RuntimeError(f"empty_permuted: physical_layout {list(physical_layout)} is not a permutation of the dims")
    return _empty("empty_permuted", size, physical_layout, "physical_layout", dtype, device, requires_grad, options)


def range(start: float = 0, end: float | None = None, step: float = 1, *, dtype: Any = None,  # noqa: A001
          device: Any = None, requires_grad: bool = False, **options: Any) -> Tensor:
    """start, start + step, ... up to and including ``end`` (torch.range, deprecated there in favour of
    ``arange``, whose end is excluded; it warns as torch does). The default float dtype unless given."""
    if end is None:
        raise TypeError('range() missing 1 required positional arguments: "end"')
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in "
                  "[start, end).", UserWarning, stacklevel=2)
    check_options("range", options)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    count = int(math.floor((end - start) / step)) + 1
    values = start + step * numpy.arange(count, dtype=numpy.float64)
    return finish(backend.xp.asarray(values.astype(any_dtype(dtype, None))), device, requires_grad, "range")
