"""Writes at flat positions and reductions into slices: put and index_reduce.

    put(x, index, source)          = x with x.flat[index[k]] = source.flat[k]  (accumulate: +=)
    index_reduce(x, d, index, s, r) = x with slice index[i] along d combined with slice i of s by r
                                      (r: 'prod', 'mean', 'amax', 'amin'; include_self=False
                                      leaves x's own value out of each combination it takes part in)

put is ``index_put`` on the flattened tensor; index_reduce is ``scatter_reduce``
with the index repeated across the other dims. So both have those ops'
gradients (a tie of amax/amin shares the gradient evenly, as torch).
"""

from __future__ import annotations

import numpy

from glassgrad import backend
from glassgrad.ops.index_dtypes import LONG, LONG_OR_INT, check_index_dtype
from glassgrad.ops.indexing import index_put
from glassgrad.ops.indexing_scatter import scatter_reduce
from glassgrad.ops.movement import wrap_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["index_reduce", "put"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def put(input: Tensor, index: Tensor, source: Tensor, accumulate: bool = False) -> Tensor:  # noqa: A002
    """A copy of ``input`` with ``source``'s elements written (or, with ``accumulate``, added) at the flat
    positions ``index`` (torch.put; negative positions count from the end)."""
    x, idx, src = as_tensor(input), as_tensor(index), as_tensor(source)
    check_index_dtype("put_", idx.array, LONG)
    if src.dtype != x.dtype:
        raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = {x.dtype} "
                           f"and source.dtype = {src.dtype}")
    if idx.numel() != src.numel():
        raise RuntimeError(f"put_(): Expected source and index to have the same number of elements, but got "
                           f"source.numel() = {src.numel()}, index.numel() = {idx.numel()}")
    n = x.numel()
    positions = backend.xp.asarray(idx.array).reshape(-1)
    if positions.size and (positions.min() < -n or positions.max() >= n):
        bad = int(positions[(positions < -n) | (positions >= n)][0])
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
    flat = index_put(x.reshape(-1), (Tensor._make(positions % max(n, 1), False),), src.reshape(-1), accumulate)
    return flat.reshape(tuple(x.shape))


def index_reduce(input: Tensor, dim: int, index: Tensor, source: Tensor, reduce: str, *,  # noqa: A002
                 include_self: bool = True) -> Tensor:
    """A copy of ``input`` whose slice ``index[i]`` (0 <= index[i] < its size) along ``dim`` is combined
    with slice i of ``source`` by ``reduce`` (torch.index_reduce)."""
    x, src, idx = as_tensor(input), as_tensor(source), as_tensor(index)
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got {reduce}.")
    if idx.ndim > 1:
        raise IndexError("index_reduce_(): Index is supposed to be a vector")
    check_index_dtype("index_reduce_", idx.array, LONG_OR_INT)
    axis = wrap_dim(dim, max(x.ndim, 1), "index_reduce")
    positions = backend.xp.asarray(idx.array).reshape(-1).astype(numpy.int64)
    source_shape = tuple(src.shape) or (1,)
    if (x.ndim != src.ndim and src.ndim) or positions.size != source_shape[axis] or any(
            a != b for d, (a, b) in enumerate(zip(x.shape, src.shape)) if d != axis):
        raise RuntimeError(f"index_reduce_(): Source {list(src.shape)} and index ({positions.size}) do not fit "
                           f"input {list(x.shape)} along dim {dim}")
    length = x.shape[axis] if x.ndim else 1
    if positions.size and (positions.min() < 0 or positions.max() >= length):  # torch takes no negative index here
        raise IndexError(f"index out of range in self (index_reduce: dim {dim} of size {length}, index "
                         f"{positions.min() if positions.min() < 0 else positions.max()})")
    along = [1] * len(source_shape)
    along[axis] = positions.size
    spread = backend.xp.broadcast_to(positions.reshape(along), source_shape)
    return scatter_reduce(x, axis, Tensor._make(backend.xp.ascontiguousarray(spread), False), src, reduce,
                          include_self=include_self)
