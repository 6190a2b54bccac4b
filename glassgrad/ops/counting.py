"""Counting and bucketing: unique, bincount, histc, searchsorted, bucketize.

None of these is differentiable: their results are counts and positions (integers), or, for
``histc`` and a weighted ``bincount``, sums whose dependence on the values is piecewise constant.
They compute with the array library directly and return tensors that do not require grad.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend, complex_math, dtypes
from glassgrad.ops.histogram import bin_counts, torch_linspace
from glassgrad.ops.pointwise_float_parts import _torch_name
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["bincount", "bucketize", "histc", "searchsorted", "unique"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _index_dtype(out_int32: bool) -> Any:
    return dtypes.to_dtype("int32" if out_int32 else "int64")


def unique(input: Any, sorted: bool = True, return_inverse: bool = False,  # noqa: A002
           return_counts: bool = False, dim: int | None = None) -> Any:
    """The distinct values of ``input`` in ascending order (flattened; or the distinct slices along ``dim``).

    ``return_inverse``: also the position in the result of each input element (shaped like the input;
    with ``dim``, one per slice); ``return_counts``: also how often each distinct value occurs.
    As torch on the CPU, the result is sorted whether or not ``sorted`` is True.
    """
    del sorted  # always sorted, as torch's CPU kernel
    x = as_tensor(input)
    complex_math.refuse_unordered("unique", x)
    xp = backend.xp
    if dim is not None:
        if not -x.ndim <= dim < max(x.ndim, 1):
            raise IndexError(f"unique: dim {dim} is out of range for a tensor of {x.ndim} dimensions "
                             f"(shape {tuple(x.shape)})")
        dim %= max(x.ndim, 1)
    values, inverse, counts = xp.unique(x.array, return_inverse=True, return_counts=True, axis=dim)
    inverse = inverse.reshape(x.array.shape if dim is None else (x.shape[dim],)).astype("int64")
    result: list[Tensor] = [Tensor._make(values, False)]
    if return_inverse:
        result.append(Tensor._make(inverse, False))
    if return_counts:
        result.append(Tensor._make(counts.astype("int64"), False))
    return result[0] if len(result) == 1 else tuple(result)


def bincount(input: Any, weights: Any = None, minlength: int = 0) -> Tensor:  # noqa: A002
    """How often each value 0, 1, ..., max(input) occurs in the 1-D non-negative integer ``input``
    (at least ``minlength`` bins); with ``weights``, the sum of the weights of each value instead."""
    x = as_tensor(input)
    if x.dtype.kind not in "iu":  # torch has no bincount kernel for floats or bools
        raise NotImplementedError(f"bincount: not implemented for dtype {x.dtype} (integer input only)")
    if x.ndim != 1:
        raise RuntimeError(f"bincount: input must be a 1-D tensor of integers, got shape {tuple(x.shape)} and "
                           f"dtype {x.dtype}")
    if x.numel() and int(x.array.min()) < 0:
        raise RuntimeError(f"bincount: input must contain only non-negative integers, got {int(x.array.min())}")
    if minlength < 0:
        raise RuntimeError(f"bincount: minlength should be >= 0, got {minlength}")
    if weights is None:
        return Tensor._make(backend.xp.bincount(x.array, minlength=minlength).astype("int64"), False)
    w = as_tensor(weights)
    if tuple(w.shape) != tuple(x.shape):
        raise RuntimeError(f"bincount: weights should be 1-D and have the same length as input, got weights "
                           f"{tuple(w.shape)} and input {tuple(x.shape)}")
    counts = backend.xp.bincount(x.array, weights=w.array, minlength=minlength)
    out_dtype = w.dtype if w.dtype.kind == "f" else dtypes.to_dtype("float64")
    return Tensor._make(counts.astype(out_dtype), False)


def histc(input: Any, bins: int = 100, min: float = 0, max: float = 0) -> Tensor:  # noqa: A002
    """A histogram of ``input`` with ``bins`` equal-width bins between ``min`` and ``max`` (the data's own
    minimum and maximum when both are equal; widened by 1 each side when those are equal too); values
    outside are ignored; the last bin includes ``max``. Bins as ``histogram``'s (glassgrad/ops/histogram.py)."""
    x = as_tensor(input)
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"histogram_cpu" not implemented for \'{_torch_name(x.dtype)}\'')
    if bins <= 0:
        raise RuntimeError(f"histc: bins must be > 0, got {bins}")
    low, high = float(min), float(max)
    if low == high and x.numel():
        low, high = float(x.array.min()), float(x.array.max())
    if low == high:
        low, high = low - 1, high + 1
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError(f"torch.histc: range of [{low}, {high}] is not finite")
    if not low < high:
        raise RuntimeError("torch.histc: max must be larger than min")
    edges = backend.xp.asarray(torch_linspace(low, high, int(bins) + 1, x.dtype))
    return Tensor._make(bin_counts(x.array, edges, None), False)


def searchsorted(sorted_sequence: Any, input: Any, *, out_int32: bool = False, right: bool = False,  # noqa: A002
                 side: str | None = None, sorter: Any = None) -> Tensor:
    """For each value of ``input``, the index where it would be inserted into ``sorted_sequence`` (sorted
    along its last dimension) to keep it sorted: before equal values (``right=False``, ``side='left'``)
    or after them. An N-D ``sorted_sequence`` is searched row by row; its leading dims match ``input``'s."""
    sequence = as_tensor(sorted_sequence)
    scalar = not isinstance(input, Tensor) and backend.xp.ndim(input) == 0
    values = as_tensor(input)
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"searchsorted: side must be 'left' or 'right', got {side!r}")
        if right and side == "left":
            raise RuntimeError("searchsorted: side='left' and right=True contradict each other")
        right = side == "right"
    side = "right" if right else "left"
    seq = sequence.array
    if sorter is not None:
        seq = backend.xp.take_along_axis(seq, as_tensor(sorter).array, axis=-1)
    if sequence.ndim == 0:
        raise RuntimeError("searchsorted: sorted_sequence must have at least one dimension, got a 0-d tensor")
    if sequence.ndim == 1:
        found = backend.xp.searchsorted(seq, values.array, side=side)
    else:
        if tuple(sequence.shape[:-1]) != tuple(values.shape[:-1]):
            raise RuntimeError(f"searchsorted: boundaries tensor should be 1 dimension or the first N-1 dimensions "
                               f"of boundaries tensor and input value tensor must match, but we got boundaries "
                               f"{tuple(sequence.shape)} and input value {tuple(values.shape)}")
        rows = seq.reshape(-1, seq.shape[-1])
        wanted = values.array.reshape(rows.shape[0], -1)
        found = backend.xp.stack([backend.xp.searchsorted(r, w, side=side) for r, w in zip(rows, wanted)])
        found = found.reshape(values.array.shape)
    found = backend.xp.asarray(found).astype(_index_dtype(out_int32))
    return Tensor._make(found.reshape(()) if scalar else found, False)


def bucketize(input: Any, boundaries: Any, *, out_int32: bool = False, right: bool = False) -> Tensor:  # noqa: A002
    """The bucket of each value of ``input`` given 1-D increasing ``boundaries``: i with
    boundaries[i-1] < x <= boundaries[i] (``right=False``), or boundaries[i-1] <= x < boundaries[i]."""
    edges = as_tensor(boundaries)
    if edges.ndim != 1:
        raise RuntimeError(f"bucketize: boundaries tensor must be 1 dimension, but got dim({edges.ndim})")
    return searchsorted(edges, input, out_int32=out_int32, right=right)
