"""Fast kernel for sums along the last axis or over the leading axes: one product with a vector of ones.

The readable twin is NumPy's own ``x.sum(axis=...)``. The ops call the functions below where they
would write it (each call with a comment naming that ``x.sum``); in the "reference" kernel mode,
and for any array the kernel does not serve, each function returns ``x.sum`` itself. The sums are
the same with a different rounding order:

    rows:     s[i] = sum_j x[i, j]   =  (x @ 1)[i]          (x viewed as (rows, n), 1 of length n)
    columns:  s[j] = sum_i x[i, j]   =  (1^T @ x)[j]

NumPy reduces a C-contiguous array along its last axis one short row at a time; a matrix-vector
product does the same additions in BLAS's vector registers and on its threads. Measured (2-core
machine, float32, 2 BLAS threads, medians of 5 x 200 calls): a LayerNorm's row sums over
(12, 64, 128) 22 us -> 4.8 us; an attention softmax's over (12, 4, 64, 64) 62 us -> 7.9 us;
the sums over the batch of a Linear's (768, 128) bias gradient 14 us -> 4.2 us. The float32
results differ from NumPy's in the last bits only (largest difference 4e-6 on those shapes, where
each is 3e-6 from the float64 sums).

The kernel serves C-contiguous float32 and float64 arrays; anything else (integers, views with
other strides, and every array in "reference" mode) takes ``x.sum``.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend, kernels

SMALLEST = 4096  # fewer elements: NumPy's own sum is quicker than a BLAS call (measured on (32, 64): 1.3 vs 1.7 us)
LONGEST_ROW = 1 << 16  # longer rows keep NumPy's pairwise summation (BLAS adds each lane's share in turn)

_ONES: dict[tuple[int, Any, str], Any] = {}


def _serves(x: Any) -> bool:
    # kernels.fast() first: a backward recording its graph (reference mode) passes Tensors, whose size is a method
    return (kernels.fast() and x.size >= SMALLEST and x.ndim >= 2 and x.dtype.kind == "f" and x.itemsize >= 4
            and x.flags.c_contiguous)


def _ones(n: int, dtype: Any) -> Any:
    """A vector of n ones (kept: the same lengths come back every step; never written to)."""
    key = (n, dtype, backend.name)
    if key not in _ONES:
        if len(_ONES) > 256:  # lengths that vary from call to call: start over rather than grow
            _ONES.clear()
        _ONES[key] = backend.xp.ones(n, dtype=dtype)
    return _ONES[key]


def sum_last(x: Any) -> Any:
    """x.sum(axis=-1, keepdims=True)."""
    n = x.shape[-1]
    if not _serves(x) or n > LONGEST_ROW:
        return x.sum(axis=-1, keepdims=True)
    return (x.reshape(-1, n) @ _ones(n, x.dtype)).reshape(x.shape[:-1] + (1,))


def sum_leading(x: Any, n_axes: int) -> Any:
    """x.sum(axis=(0, ..., n_axes - 1)): the sum over the first ``n_axes`` axes, shape x.shape[n_axes:]."""
    if not _serves(x) or n_axes < 1:
        return x.sum(axis=tuple(range(n_axes)))
    rows = math.prod(x.shape[:n_axes])
    return (_ones(rows, x.dtype) @ x.reshape(rows, -1)).reshape(x.shape[n_axes:])


def sum_axes(x: Any, axes: tuple[int, ...], keepdims: bool) -> Any:
    """x.sum(axis=axes, keepdims=keepdims) for axes given as non-negative ints, through a product
    with ones when they are the last k axes or the first k (but not all of them: a whole-array sum
    keeps NumPy's pairwise summation, more accurate over millions of elements)."""
    k = len(axes)
    if k == 0 or k == x.ndim or not _serves(x):
        return x.sum(axis=axes, keepdims=keepdims)
    if axes == tuple(range(x.ndim - k, x.ndim)) and math.prod(x.shape[x.ndim - k:]) <= LONGEST_ROW:
        rows = math.prod(x.shape[:x.ndim - k])
        y = x.reshape(rows, -1) @ _ones(x.size // rows, x.dtype)
        return y.reshape(x.shape[:x.ndim - k] + (1,) * k if keepdims else x.shape[:x.ndim - k])
    if axes == tuple(range(k)):
        y = sum_leading(x, k)
        return y.reshape((1,) * k + y.shape) if keepdims else y
    return x.sum(axis=axes, keepdims=keepdims)


def sum_along(x: Any, axis: int) -> Any:
    """x.sum(axis=axis, keepdims=True) for one axis, negative or not."""
    if x.ndim == 0:
        return x.sum(axis=axis, keepdims=True)
    return sum_axes(x, (axis % x.ndim,), keepdims=True)


def mean_keepdims(x: Any, axes: tuple[int, ...]) -> Any:
    """x.mean(axis=axes, keepdims=True); NaN over an empty slice (0 / 0, as torch) without NumPy's warning."""
    if x.size == 0:
        with backend.xp.errstate(invalid="ignore"):
            return x.sum(axis=axes, keepdims=True) / x.dtype.type(0)
    return x.mean(axis=axes, keepdims=True)


def mean_axes(x: Any, axes: tuple[int, ...]) -> Any:
    """x.mean(axis=axes, keepdims=True) for sorted non-negative axes (NaN over an empty slice)."""
    if not _serves(x):
        return mean_keepdims(x, axes)
    total = sum_axes(x, axes, keepdims=True)
    total *= total.dtype.type(total.size / x.size)  # 1 / (number of elements summed)
    return total
