"""Which dimensions a reduction runs over, checked the way torch checks them.

``dim=None`` (or an empty tuple) means every dimension. A negative dim counts
from the end. A 0-d tensor accepts dim 0 and -1, as if it had one axis of size 1.
"""

from __future__ import annotations

import builtins
import operator
from typing import Any

Dims = int | tuple[int, ...] | list[int] | None


def check_dim(dim: Any, ndim: int, op_name: str) -> int:
    """One dim as a non-negative axis (0 for a 0-d tensor); IndexError when out of range."""
    if isinstance(dim, bool) or not hasattr(dim, "__index__"):
        raise TypeError(f"{op_name}: dim must be an int, got {dim!r}")
    dim = operator.index(dim)  # a NumPy integer or a one-element int tensor works too
    n = builtins.max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"{op_name}: Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n if ndim else 0


def reduction_dims(dim: Dims, ndim: int, op_name: str) -> tuple[int, ...]:
    """``dim`` as a sorted tuple of non-negative axes; None or () = every axis.

    For a 0-d tensor the result is always () (there is no axis to reduce).
    """
    if dim is None:
        return tuple(range(ndim))
    if not hasattr(dim, "__index__") and not isinstance(dim, list | tuple):
        raise TypeError(f"{op_name}: dim must be an int or a tuple of ints, got {dim!r}")
    dims = (dim,) if hasattr(dim, "__index__") else tuple(dim)
    if not dims:
        return tuple(range(ndim))
    axes = [check_dim(d, ndim, op_name) for d in dims]
    for a in axes:
        if axes.count(a) > 1:
            raise RuntimeError(f"{op_name}: dim {a} appears multiple times in the list of dims")
    return tuple(sorted(axes)) if ndim else ()


def expand_reduced(grad: Any, axes: tuple[int, ...], keepdim: bool) -> Any:
    """Put back the reduced axes as size-1 axes, so ``grad`` broadcasts against the input."""
    if keepdim or not axes:
        return grad
    shape = list(grad.shape)
    for axis in sorted(axes):  # axes are non-negative and name positions in the input
        shape.insert(axis, 1)
    return grad.reshape(shape)


def count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    """How many elements each output of a reduction over ``axes`` gathers."""
    n = 1
    for a in axes:
        n *= shape[a]
    return n


def reduced_shape(shape: tuple[int, ...], axes: tuple[int, ...], keepdim: bool) -> tuple[int, ...]:
    """The output shape of a reduction over ``axes``."""
    if keepdim:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)
