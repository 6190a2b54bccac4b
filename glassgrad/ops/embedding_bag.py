"""Bags of embeddings: the sum, mean or max of the rows of a table looked up by each bag's indices,
without materialising the (bag, index, D) lookups (torch's F.embedding_bag).

A bag b holds the indices i_1..i_m (a row of a 2-D input, or a slice of a 1-D input between
two ``offsets``); indices equal to ``padding_idx`` are left out (they neither add nor count):

    sum:   y_b = sum_k w_k W[i_k]           dW[i_k] += w_k dy_b,   dw_k = dy_b . W[i_k]   (w: per_sample_weights)
    mean:  y_b = (1/m) sum_k W[i_k]         dW[i_k] += dy_b / m
    max:   y_b[d] = max_k W[i_k, d]         dW[i_k*, d] += dy_b[d]  (k* the first maximum, per feature d)

An empty bag gives zeros (and no gradient).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.embedding import renorm_rows
from glassgrad.ops.index_dtypes import LONG_OR_INT, check_index_dtype
from glassgrad.ops.indexing import ArrayIndex, read_at, written_at
from glassgrad.tensor import Tensor, as_tensor

MODES = ("sum", "mean", "max")


class EmbeddingBag(Op):
    """Per-bag sum, mean or max of table rows; the derivatives are in the module docstring.

    ``indices`` and ``bag_of`` (the bag of each index) list only the indices that count (padding
    removed), in input order, so each bag's indices are one contiguous run starting at ``starts[b]``.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, weight: Any, sample_weights: Any = None, *, indices: Any, bag_of: Any, starts: Any,
                counts: Any, mode: str) -> Any:
        xp = backend.xp
        rows = weight[indices]  # (M, D)
        n_bags, dim = counts.shape[0], weight.shape[1]
        y = xp.zeros((n_bags, dim), dtype=weight.dtype)
        ctx.save_for_backward(weight, sample_weights)
        ctx.indices, ctx.bag_of, ctx.counts, ctx.mode = indices, bag_of, counts, mode
        if mode == "max":
            ctx.winners = _bag_argmax(rows, starts, counts)  # (B, D) positions into rows, -1 for empty bags
            filled = counts > 0
            y[filled] = xp.take_along_axis(rows, ctx.winners[filled], axis=0)
            return y
        if sample_weights is not None:
            rows = rows * sample_weights[:, None]
        xp.add.at(y, bag_of, rows)
        if mode == "mean":
            y /= xp.maximum(counts, 1)[:, None].astype(weight.dtype)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xp = backend.xp
        weight, sample_weights = ctx.saved
        shape = tuple(weight.shape)
        if ctx.mode == "max":
            filled = ctx.counts > 0
            winners = ctx.indices[ctx.winners[filled]]  # (B', D) table rows
            columns = xp.broadcast_to(xp.arange(shape[1]), winners.shape)
            dweight = written_at(shape, ArrayIndex((winners, columns)), read_at(ArrayIndex(filled), grad), True)
            return dweight if sample_weights is None else (dweight, None)
        per_index = read_at(ArrayIndex(ctx.bag_of), grad)  # (M, D): each index's bag gradient
        if ctx.mode == "mean":
            per_index = per_index / xp.maximum(ctx.counts, 1)[ctx.bag_of][:, None].astype(per_index.dtype)
        rows = ArrayIndex(ctx.indices)
        if sample_weights is None:
            return written_at(shape, rows, per_index, accumulate=True)
        dweight = written_at(shape, rows, per_index * sample_weights[:, None], accumulate=True)
        dsample = None
        if ctx.needs_input_grad[1]:
            dsample = (per_index * read_at(rows, weight)).sum(axis=1)
        return dweight, dsample


def _bag_argmax(rows: Any, starts: Any, counts: Any) -> Any:
    """For each bag and feature, the position (into ``rows``) of the first maximum; -1 for an empty bag."""
    xp = backend.xp
    winners = xp.full((counts.shape[0], rows.shape[1]), -1, dtype=xp.int64)
    for b in range(counts.shape[0]):
        if counts[b]:
            winners[b] = starts[b] + rows[starts[b]:starts[b] + counts[b]].argmax(axis=0)
    return winners


def _bags(op: str, indices: Any, offsets: Any, include_last_offset: bool) -> tuple[Any, int]:
    """(the bag of each flat index, the number of bags) from a 2-D input or a 1-D input with offsets."""
    xp = backend.xp
    if indices.ndim == 2:
        if offsets is not None:
            raise OpInputError(f"{op}: if input is 2D, then offsets has to be None, as input is treated as a "
                               "mini-batch of fixed length sequences")
        n_bags, length = indices.shape
        return xp.repeat(xp.arange(n_bags), length), n_bags
    if indices.ndim != 1 or offsets is None:
        raise OpInputError(f"{op}: input has to be 1D or 2D Tensor, and a 1D input needs offsets, got input shape "
                           f"{tuple(indices.shape)}")
    starts = xp.asarray(as_tensor(offsets).array, dtype=xp.int64).reshape(-1)
    if starts.size == 0 or starts[0] != 0:
        raise OpInputError(f"{op}: offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to start "
                           "from position 0")
    if include_last_offset:
        starts = starts[:-1]
    if xp.any(xp.diff(starts) < 0) or (starts.size and starts[-1] > indices.shape[0]):
        raise OpInputError(f"{op}: offsets must be non-decreasing and at most the input's length {indices.shape[0]}")
    positions = xp.arange(indices.shape[0])
    return xp.searchsorted(starts, positions, side="right") - 1, starts.shape[0]


def embedding_bag(input: Any, weight: Any, offsets: Any = None, max_norm: float | None = None,  # noqa: A002
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Any = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """The sum, mean or max of each bag's embedding rows (torch's F.embedding_bag): input (B, L) bags of fixed
    length, or 1-D indices cut into bags at ``offsets``; weight (N, D); output (B, D)."""
    op = "embedding_bag"
    if scale_grad_by_freq or sparse:
        raise NotImplementedError(f"{op}: scale_grad_by_freq and sparse gradients are not implemented")
    if mode not in MODES:
        raise ValueError(f"{op}: mode has to be one of sum, mean or max, got {mode!r}")
    xp = backend.xp
    idx, w = as_tensor(input), as_tensor(weight)
    check_index_dtype(op, idx.array, LONG_OR_INT, what="input")
    if w.ndim != 2:
        raise OpInputError(f"{op}: weight has to be a 2D Tensor, but got Tensor of dimension {w.ndim}")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"{op}: per_sample_weights was not None. per_sample_weights is only supported for "
                                  f"mode='sum' (got mode='{mode}')")
    flat = xp.asarray(idx.array, dtype=xp.int64)
    bag_of, n_bags = _bags(op, flat, offsets, include_last_offset)
    flat = flat.reshape(-1)
    if flat.size and (flat.min() < 0 or flat.max() >= w.shape[0]):
        raise IndexError(f"{op}: index out of range in self (indices must lie in [0, {w.shape[0]}))")
    if max_norm is not None:
        renorm_rows(idx, w, float(max_norm), float(norm_type))
    keep = xp.ones(flat.shape, dtype=bool) if padding_idx is None else flat != padding_idx % w.shape[0]
    counts = xp.bincount(bag_of[keep], minlength=n_bags)
    starts = xp.concatenate([xp.zeros(1, dtype=xp.int64), xp.cumsum(counts)[:-1]])
    params = dict(indices=flat[keep], bag_of=bag_of[keep], starts=starts, counts=counts, mode=mode)
    if per_sample_weights is None:
        return EmbeddingBag.apply(w, **params)
    sample = as_tensor(per_sample_weights)
    if tuple(sample.shape) != tuple(idx.shape):
        raise OpInputError(f"{op}: per_sample_weights of shape {tuple(sample.shape)} must have the input's shape "
                           f"{tuple(idx.shape)}")
    return EmbeddingBag.apply(w, sample.reshape(-1)[Tensor._make(np.flatnonzero(backend.to_numpy(keep)), False)],
                              **params)
