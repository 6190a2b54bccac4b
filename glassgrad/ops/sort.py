"""Sorting and order statistics: sort, argsort, msort, topk, kthvalue, median, mode.

Each one first finds the ORDER of the elements along a dim (an int64 index
array, no gradient) and then picks the values at those indices with
``TakeAlongDim`` (reduce_select.py), so every returned value carries its
gradient back to the position it came from.

Order rules, as torch: NaN counts as larger than every number (last in an
ascending sort, first in a descending one); equal elements keep their
original order (glassgrad always sorts stably, so ``stable=False`` gives the
same result as ``stable=True``).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.ops.reduce_dims import check_dim
from glassgrad.ops.reduce_select import equal_share, index_result, take_along_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["argsort", "kthvalue", "median", "mode", "msort", "sort", "topk"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def sorted_order(array: Any, axis: int, descending: bool = False) -> Any:
    """Indices that sort ``array`` along ``axis`` stably (ties keep their order; NaN is largest)."""
    xp = backend.xp
    if not descending:
        return xp.argsort(array, axis=axis, kind="stable")
    # descending and stable: sort the reversed array ascending, then read that order backwards
    n = array.shape[axis]
    order_of_reversed = xp.argsort(xp.flip(array, axis=axis), axis=axis, kind="stable")
    return xp.flip(n - 1 - order_of_reversed, axis=axis).copy()  # a copy, not a reversed view


def _as_rows(input: Any, dim: int, op_name: str) -> tuple[Tensor, Any, int]:  # noqa: A002
    """The tensor, its array with at least one axis, and ``dim`` as a non-negative axis."""
    x = as_tensor(input)
    axis = check_dim(dim, x.ndim, op_name)
    return x, x.array.reshape(x.shape or (1,)), axis


def sort(input: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> Any:  # noqa: A002, ARG001
    """``(values, indices)``: the elements along ``dim`` in order; gradients go back to their positions."""
    x, array, axis = _as_rows(input, dim, "sort")
    order = sorted_order(array, axis, descending)
    return return_types.sort(take_along_dim(x, order, axis), index_result(order, True, axis, x.ndim))


def argsort(input: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:  # noqa: A002, ARG001
    """The indices that sort ``input`` along ``dim`` (int64)."""
    x, array, axis = _as_rows(input, dim, "argsort")
    return index_result(sorted_order(array, axis, descending), True, axis, x.ndim)


def msort(input: Any) -> Tensor:  # noqa: A002
    """``input`` sorted along its first dim (the values of ``sort(input, dim=0)``)."""
    return sort(input, dim=0).values


def topk(input: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> Any:  # noqa: A002, ARG001
    """``(values, indices)`` of the k largest (or smallest) elements along ``dim``, in order.

    The result is always sorted; among equal elements the earlier ones come first.
    """
    x, array, axis = _as_rows(input, dim, "topk")
    if not 0 <= k <= array.shape[axis]:
        raise RuntimeError(f"topk: selected index k={k} is out of range for dim {dim} of size {array.shape[axis]} "
                           f"(input shape {tuple(x.shape)})")
    if x.ndim == 0:
        k = 1  # torch returns the one element of a 0-d tensor for k = 0 too
    order = sorted_order(array, axis, descending=largest)
    order = backend.xp.take(order, backend.xp.arange(k), axis=axis)  # the first k along ``axis``
    return return_types.topk(take_along_dim(x, order, axis), index_result(order, True, axis, x.ndim))


def _order_statistic(x: Tensor, array: Any, axis: int, position: Any, keepdim: bool, result: Any) -> Any:
    """The element at ``position`` (per slice, keepdim shape) of the sorted slices along ``axis``."""
    order = sorted_order(array, axis)
    indices = backend.xp.take_along_axis(order, position, axis=axis)
    return result(take_along_dim(x, indices, axis, keepdim=keepdim), index_result(indices, keepdim, axis, x.ndim))


def _refuse_empty_dim(x: Tensor, array: Any, axis: int, op_name: str) -> None:
    """torch's IndexError for a selection along an empty dim (there is nothing to select)."""
    if array.shape[axis] == 0:
        raise IndexError(f"{op_name}(): Expected reduction dim {axis} to have non-zero size "
                         f"(input shape {tuple(x.shape)})")


def kthvalue(input: Any, k: int, dim: int = -1, keepdim: bool = False) -> Any:  # noqa: A002
    """``(values, indices)`` of the k-th smallest element (k counts from 1) along ``dim``."""
    x, array, axis = _as_rows(input, dim, "kthvalue")
    _refuse_empty_dim(x, array, axis, "kthvalue")
    if not 1 <= k <= array.shape[axis]:
        raise RuntimeError(f"kthvalue(): selected number k={k} out of range for dim {dim} of size "
                           f"{array.shape[axis]} (input shape {tuple(x.shape)})")
    shape = tuple(1 if a == axis else n for a, n in enumerate(array.shape))
    position = backend.xp.full(shape, k - 1)
    return _order_statistic(x, array, axis, position, keepdim, return_types.kthvalue)


def median(input: Any, dim: int | None = None, keepdim: bool = False) -> Any:  # noqa: A002
    """The lower median (element (n-1)//2 of the sorted values); NaN when the values include NaN.

    ``median(input)``: a 0-d tensor, tied elements share the gradient evenly; NaN for an empty
    floating tensor, as torch.
    ``median(input, dim)``: ``(values, indices)``, the gradient goes to the index returned.
    """
    x = as_tensor(input)
    if dim is None:
        if x.numel() == 0:
            if not backend.is_float(x.dtype):
                raise RuntimeError(f"median() of an empty {x.dtype} tensor: it has no NaN to return")
            return equal_share(x, backend.xp.asarray(backend.xp.nan, dtype=x.dtype))
        flat = backend.xp.sort(x.array.reshape(-1))  # NaN sorts last: check it first
        value = flat[-1] if backend.xp.isnan(flat[-1]) else flat[(flat.size - 1) // 2]
        return equal_share(x, value)
    x, array, axis = _as_rows(x, dim, "median")
    _refuse_empty_dim(x, array, axis, "median")
    n = array.shape[axis]
    nans = backend.xp.isnan(array).sum(axis=axis, keepdims=True) if backend.is_float(array.dtype) else 0
    position = backend.xp.where(nans > 0, n - nans, (n - 1) // 2)  # the first NaN, else the middle
    position = backend.xp.broadcast_to(position, tuple(1 if a == axis else s for a, s in enumerate(array.shape)))
    return _order_statistic(x, array, axis, position, keepdim, return_types.median)


def mode(input: Any, dim: int = -1, keepdim: bool = False) -> Any:  # noqa: A002
    """``(values, indices)``: the most frequent value along ``dim`` (the smallest one if several
    are as frequent) and the index of its last occurrence; the gradient goes to that index."""
    x, array, axis = _as_rows(input, dim, "mode")
    _refuse_empty_dim(x, array, axis, "mode")
    xp = backend.xp
    rows = xp.moveaxis(array, axis, -1)  # (..., n): one slice per row
    flat_rows = rows.reshape(-1, rows.shape[-1])
    last_index = xp.zeros(flat_rows.shape[0], dtype="int64")
    for r, row in enumerate(flat_rows):
        values, counts = xp.unique(row, return_counts=True)  # values sorted: argmax picks the smallest
        most_frequent = values[xp.argmax(counts)]
        last_index[r] = xp.flatnonzero(row == most_frequent)[-1]
    indices = xp.expand_dims(last_index.reshape(rows.shape[:-1]), axis)
    return return_types.mode(take_along_dim(x, indices, axis, keepdim=keepdim),
                             index_result(indices, keepdim, axis, x.ndim))
