"""Joining and cutting: cat (concatenate, concat), stack, hstack/vstack/dstack,
split, chunk, unbind, narrow, meshgrid.

Joining is one op whose backward cuts the gradient back into the pieces;
cutting is slicing (``getitem``), whose backward puts each piece's gradient
back where the piece came from.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.arguments import pick_dim
from glassgrad.ops.movement import atleast_1d, atleast_2d, atleast_3d, expand, reshape, unsqueeze, wrap_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "cat", "chunk", "column_stack", "concat", "concatenate", "dstack", "hstack", "meshgrid", "narrow", "row_stack",
    "select", "split", "stack", "tensor_split", "unbind", "vstack",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Cat(Op):
    """y = the inputs joined along ``dim``;  dx_i = the slice of dy that x_i filled."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, *xs: Any, dim: int) -> Any:
        ctx.dim = dim
        ctx.bounds = backend.xp.cumsum([x.shape[dim] for x in xs])[:-1].tolist()
        return backend.xp.concatenate(xs, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        return tuple(backend.xp.split(grad, ctx.bounds, axis=ctx.dim))


def cat(tensors: Sequence[Any], dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """Join tensors along an existing dim (``torch.cat``; aliases ``concatenate``, ``concat``).

    Shapes must agree outside ``dim``. As in torch, 1-d empty tensors (shape (0,))
    are skipped, and mixed dtypes are promoted (int with float gives float).
    """
    dim = pick_dim(dim, axis, "cat")
    dim = 0 if dim is None else dim
    if isinstance(tensors, Tensor):
        raise TypeError("cat: expected a sequence of tensors, got a single Tensor")
    ts = [as_tensor(t) for t in tensors]
    if not ts:
        raise ValueError("cat: expected a non-empty list of tensors")
    if any(t.ndim == 0 for t in ts):
        raise OpInputError(f"cat: zero-dimensional tensor (at position {[t.ndim for t in ts].index(0)}) cannot be "
                           "concatenated")
    kept = [t for t in ts if not (t.ndim == 1 and t.shape[0] == 0)] or ts[:1]  # torch's legacy rule
    ndim = kept[0].ndim
    dim = wrap_dim(dim, ndim, "cat")
    for t in kept:
        if t.ndim != ndim or any(a != b for i, (a, b) in enumerate(zip(t.shape, kept[0].shape)) if i != dim):
            shapes = [tuple(t.shape) for t in ts]
            raise OpInputError(f"cat: sizes of tensors must match except in dim {dim}; got shapes {shapes}")
    dtype = _common_dtype(kept)
    return Cat.apply(*(t if t.dtype == dtype else t.to(dtype) for t in kept), dim=dim)


def _common_dtype(tensors: list[Tensor]) -> Any:
    """torch's promotion for joined tensors: the widest float if any is a float (int64 with
    float32 gives float32, not NumPy's float64), else the widest integer (or bool)."""
    floats = [t.dtype for t in tensors if t.dtype.kind in "fc"]  # (complex with float: NumPy's pairing is torch's)
    return backend.xp.result_type(*(floats or [t.dtype for t in tensors]))


concatenate = cat
concat = cat


def stack(tensors: Sequence[Any], dim: int | None = None, *, axis: int | None = None) -> Tensor:
    """Join same-shaped tensors along a new dim ``dim``."""
    dim = pick_dim(dim, axis, "stack")
    dim = 0 if dim is None else dim
    ts = [as_tensor(t) for t in tensors]
    if not ts:
        raise OpInputError("stack: expected a non-empty list of tensors")
    if any(t.shape != ts[0].shape for t in ts):
        raise OpInputError(f"stack: all shapes must match, got {[tuple(t.shape) for t in ts]}")
    dim = wrap_dim(dim, ts[0].ndim + 1, "stack")
    return cat([unsqueeze(t, dim) for t in ts], dim)


def hstack(tensors: Sequence[Any]) -> Tensor:
    """Join horizontally: along dim 0 for 1-d tensors, else dim 1."""
    ts = atleast_1d(list(tensors))
    return cat(ts, 0 if all(t.ndim == 1 for t in ts) else 1)


def vstack(tensors: Sequence[Any]) -> Tensor:
    """Join vertically: each made at least 2-d ((N,) -> (1, N)), then along dim 0."""
    return cat(atleast_2d(list(tensors)), 0)


row_stack = vstack


def dstack(tensors: Sequence[Any]) -> Tensor:
    """Join depth-wise: each made at least 3-d, then along dim 2."""
    return cat(atleast_3d(list(tensors)), 2)


def column_stack(tensors: Sequence[Any]) -> Tensor:
    """Columns side by side: 0-d and 1-d tensors become columns (N, 1), then along dim 1."""
    ts = [as_tensor(t) for t in tensors]
    return cat([reshape(t, t.numel(), 1) if t.ndim <= 1 else t for t in ts], 1)


def narrow(x: Any, dim: int, start: Any, length: int) -> Tensor:
    """The slice ``start : start + length`` of dim ``dim`` (a negative start counts from the end)."""
    x = as_tensor(x)
    dim = wrap_dim(dim, x.ndim, "narrow")
    if x.ndim == 0:
        raise OpInputError("narrow: cannot narrow a 0-d tensor")
    n, start, length = x.shape[dim], int(start), int(length)
    if not -n <= start <= n:
        raise IndexError(f"narrow: start {start} out of range for dim {dim} of size {n} (shape {tuple(x.shape)})")
    start = start % n if start < 0 else start
    if length < 0 or start + length > n:
        raise OpInputError(f"narrow: start ({start}) + length ({length}) exceeds dim {dim} of size {n}")
    return x[(slice(None),) * dim + (slice(start, start + length),)]


def select(x: Any, dim: int, index: int) -> Tensor:
    """The slice at ``index`` along ``dim``, with that dim removed: ``x[:, index]`` for dim 1."""
    x = as_tensor(x)
    if x.ndim == 0:
        raise IndexError("select: cannot be applied to a 0-dim tensor")
    dim = wrap_dim(dim, x.ndim, "select")
    return x[(slice(None),) * dim + (int(index),)]


def _cut(x: Tensor, sizes: list[int], dim: int) -> tuple[Tensor, ...]:
    chunks, start = [], 0
    for size in sizes:
        chunks.append(x[(slice(None),) * dim + (slice(start, start + size),)])
        start += size
    return tuple(chunks)


def split(x: Any, split_size_or_sections: int | Sequence[int], dim: int | None = None, *,
          axis: int | None = None) -> tuple[Tensor, ...]:
    """Cut into pieces along ``dim`` (torch.split): an int is each piece's SIZE (the last
    may be smaller); a list gives every piece's size (they must add up to the dim)."""
    x = as_tensor(x)
    dim = pick_dim(dim, axis, "split")
    if x.ndim == 0:
        raise OpInputError("split: cannot split a 0-d tensor")
    dim = wrap_dim(0 if dim is None else dim, x.ndim, "split")
    n = x.shape[dim]
    if isinstance(split_size_or_sections, int) or (hasattr(split_size_or_sections, "ndim")
                                                   and split_size_or_sections.ndim == 0):
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n):
            raise OpInputError(f"split: split_size must be positive, got {size} for dim {dim} of size {n}")
        count = max(math.ceil(n / size), 1) if size else 1
        sizes = [min(size, n - i * size) for i in range(count)]
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise OpInputError(f"split: sizes {sizes} do not add up to {n} (dim {dim} of shape {tuple(x.shape)})")
    return _cut(x, sizes, dim)


def tensor_split(x: Any, indices_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """NumPy's array_split: an int is the NUMBER of pieces (sizes differ by at most one),
    a list gives the indices where to cut."""
    x = as_tensor(x)
    if isinstance(indices_or_sections, Tensor):  # torch: a 0-d tensor is a number of pieces, a 1-d one the cuts
        cuts = indices_or_sections
        indices_or_sections = int(cuts.item()) if cuts.ndim == 0 else [int(c) for c in cuts.tolist()]
    dim = wrap_dim(dim, x.ndim, "tensor_split")
    n = x.shape[dim]
    if isinstance(indices_or_sections, int):
        count = indices_or_sections
        if count <= 0:
            raise OpInputError(f"tensor_split: number of sections must be positive, got {count}")
        sizes = [n // count + (1 if i < n % count else 0) for i in range(count)]
        return _cut(x, sizes, dim)
    bounds = [0] + [int(c) for c in indices_or_sections] + [None]  # piece k is x[bounds[k]:bounds[k + 1]]
    return tuple(x[(slice(None),) * dim + (slice(a, b),)] for a, b in zip(bounds, bounds[1:]))


def chunk(x: Any, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most ``chunks`` pieces along ``dim``, each of size ceil(n / chunks) (the last smaller),
    as torch.chunk: there can be fewer than ``chunks`` pieces."""
    x = as_tensor(x)
    if int(chunks) <= 0:
        raise OpInputError(f"chunk: number of chunks must be positive, got {chunks}")
    if x.ndim == 0:
        raise OpInputError("chunk: cannot chunk a 0-d tensor")
    dim = wrap_dim(dim, x.ndim, "chunk")
    n = x.shape[dim]
    if n == 0:
        return _cut(x, [0] * int(chunks), dim)
    return split(x, math.ceil(n / int(chunks)), dim)


def unbind(x: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """Every slice along ``dim``, with that dim removed: ``unbind(x)[i] == x[i]``."""
    x = as_tensor(x)
    if x.ndim == 0:
        raise OpInputError("unbind: cannot unbind a 0-d tensor")
    dim = wrap_dim(dim, x.ndim, "unbind")
    return tuple(x[(slice(None),) * dim + (i,)] for i in range(x.shape[dim]))


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple[Tensor, ...]:
    """Coordinate grids from 1-d tensors: output k varies along dim k (``indexing="ij"``);
    ``indexing="xy"`` swaps the first two dims (NumPy's and MATLAB's convention)."""
    ts = [as_tensor(t) for t in (tensors[0] if len(tensors) == 1 and isinstance(tensors[0], list | tuple)
                                 else tensors)]
    if indexing not in ("ij", "xy"):
        raise OpInputError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    if any(t.ndim > 1 for t in ts):
        raise OpInputError(f"meshgrid: expects 0-d or 1-d tensors, got shapes {[tuple(t.shape) for t in ts]}")
    ts = [reshape(t, -1) for t in ts]
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(t.shape[0] for t in ts)
    grids = []
    for k, t in enumerate(ts):
        view_shape = [1] * len(ts)
        view_shape[k] = shape[k]
        grids.append(expand(reshape(t, tuple(view_shape)), shape))
    if swap:
        grids[0], grids[1] = grids[1], grids[0]  # shape (len(y), len(x), ...), as torch
    return tuple(grids)
