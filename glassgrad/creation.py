"""Ways to make a tensor: from data, filled, ranged, random."""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor


def _shape(shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    return tuple(int(n) for n in shape)


def _float_dtype(dtype: Any) -> numpy.dtype:
    return backend.get_default_dtype() if dtype is None else numpy.dtype(dtype)


def tensor(data: Any, requires_grad: bool = False, dtype: Any = None) -> Tensor:
    """A new tensor holding a copy-free view of ``data`` where possible."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of zeros."""
    return Tensor(backend.xp.zeros(_shape(shape), dtype=_float_dtype(dtype)), requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor of ones."""
    return Tensor(backend.xp.ones(_shape(shape), dtype=_float_dtype(dtype)), requires_grad)


def full(shape: Any, value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor filled with ``value``."""
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    return Tensor(backend.xp.full(shape, value, dtype=_float_dtype(dtype)), requires_grad)


def zeros_like(other: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape (and, by default, dtype) of ``other``."""
    return zeros(other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad)


def ones_like(other: Tensor, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape (and, by default, dtype) of ``other``."""
    return ones(other.shape, dtype=dtype or other.dtype, requires_grad=requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values in [start, stop); int64 for integer arguments, as torch."""
    if stop is None:
        start, stop = 0, start
    if dtype is None and all(isinstance(v, int) for v in (start, stop, step)):
        dtype = numpy.int64
    return Tensor(backend.xp.arange(start, stop, step, dtype=_float_dtype(dtype)))


def randn(*shape: Any, dtype: Any = None, requires_grad: bool = False,
          rng: numpy.random.Generator | None = None) -> Tensor:
    """Standard normal samples (from ``rng``, default the module generator)."""
    values = resolve_rng(rng).standard_normal(_shape(shape)).astype(_float_dtype(dtype))
    return Tensor(backend.xp.asarray(values), requires_grad)


def rand(*shape: Any, dtype: Any = None, requires_grad: bool = False,
         rng: numpy.random.Generator | None = None) -> Tensor:
    """Uniform samples in [0, 1)."""
    values = resolve_rng(rng).random(_shape(shape)).astype(_float_dtype(dtype))
    return Tensor(backend.xp.asarray(values), requires_grad)
