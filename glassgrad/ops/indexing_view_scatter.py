"""A view's values written into a copy of a tensor: slice_scatter, select_scatter,
diagonal_scatter, as_strided_scatter; and as_strided, the view itself.

    slice_scatter(x, src, dim, start, end, step)  = x with x[..., start:end:step, ...] replaced by src
    select_scatter(x, src, dim, index)            = x with x.select(dim, index) replaced by src
    diagonal_scatter(x, src, offset, dim1, dim2)  = x with x.diagonal(offset, dim1, dim2) replaced by src
    as_strided_scatter(x, src, size, stride, storage_offset) = x with x.as_strided(...) replaced by src

Each view is a set of element positions of x (``src`` must have the view's
shape exactly). The result is a new tensor of x's shape and dtype (src is cast);
x keeps its values. The gradient of x is the output gradient with the view's
positions zeroed, that of src the output gradient read at those positions.

``as_strided`` counts positions in the memory the tensor's array lives in, as
torch counts them in a tensor's storage: element (i, j, ...) of the result is
storage element ``storage_offset + i stride_0 + j stride_1 + ...``. glassgrad
follows it for C-contiguous tensors only (their memory order is torch's); a
position outside the tensor's own elements raises instead of reading memory
the tensor does not own. The result is a NumPy view of that memory, as torch's
is a view of its storage: an in-place edit of it reaches the input. Where two of
its elements name one position the view is read-only (an edit would be ill-defined;
torch refuses the stride-0 case and leaves the others unspecified).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.indexing import ArrayIndex, read_at, written_at, zeroed_at
from glassgrad.ops.movement import wrap_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["as_strided", "as_strided_scatter", "diagonal_scatter", "select_scatter", "slice_scatter"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class ScatterAtPositions(Op):
    """y = x with y.flat[p] = src.flat (p: distinct flat positions);  dx = dy with dy.flat[p] = 0,
    dsrc = dy.flat[p]."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, src: Any, *, positions: Any) -> Any:
        ctx.positions = positions
        out = x.copy().reshape(-1)
        out[positions.reshape(-1)] = src.reshape(-1)
        return out.reshape(x.shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        flat = grad.reshape(-1)
        dsrc = read_at(ArrayIndex(ctx.positions), flat) if ctx.needs_input_grad[1] else None
        dx = None
        if ctx.needs_input_grad[0]:
            dx = zeroed_at(flat, ArrayIndex(ctx.positions.reshape(-1))).reshape(tuple(grad.shape))
        return dx, dsrc


def _scatter(x: Tensor, src: Any, positions: Any) -> Tensor:
    """x with the view at ``positions`` (an int array of the view's shape) replaced by src."""
    src = as_tensor(src)
    if tuple(src.shape) != tuple(positions.shape):
        raise RuntimeError(f"expected src to have a size equal to the slice of self. src size = {list(src.shape)}, "
                           f"slice size = {list(positions.shape)}")
    if src.dtype != x.dtype:
        src = src.to(x.dtype)
    return ScatterAtPositions.apply(x, src, positions=backend.xp.asarray(positions))


def _positions(x: Tensor) -> Any:
    """The flat position of every element of x, shaped like x."""
    return numpy.arange(x.numel(), dtype=numpy.int64).reshape(x.shape)


def slice_scatter(input: Tensor, src: Tensor, dim: int = 0, start: int | None = None,  # noqa: A002
                  end: int | None = None, step: int = 1) -> Tensor:
    """``input`` with the slice start:end:step along ``dim`` replaced by ``src`` (torch.slice_scatter)."""
    x = as_tensor(input)
    axis = wrap_dim(dim, max(x.ndim, 1), "slice_scatter")
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    key = (slice(None),) * axis + (slice(start, end, step),)
    return _scatter(x, src, _positions(x)[key])


def select_scatter(input: Tensor, src: Tensor, dim: int, index: int) -> Tensor:  # noqa: A002
    """``input`` with ``input.select(dim, index)`` replaced by ``src`` (torch.select_scatter)."""
    x = as_tensor(input)
    axis = wrap_dim(dim, max(x.ndim, 1), "select_scatter")
    size = x.shape[axis] if x.ndim else 1
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(x.shape)} at dimension {dim}")
    positions = _positions(x).reshape(x.shape or (1,))
    return _scatter(x, src, numpy.take(positions, index, axis=axis))


def diagonal_scatter(input: Tensor, src: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    """``input`` with ``input.diagonal(offset, dim1, dim2)`` replaced by ``src`` (torch.diagonal_scatter)."""
    x = as_tensor(input)
    d1, d2 = wrap_dim(dim1, x.ndim, "diagonal_scatter"), wrap_dim(dim2, x.ndim, "diagonal_scatter")
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _scatter(x, src, numpy.diagonal(_positions(x), offset, d1, d2))


def _storage_positions(name: str, x: Tensor, size: Sequence[int], stride: Sequence[int],
                       storage_offset: int | None) -> Any:
    """The flat positions (in x's row-major order) of x.as_strided(size, stride, storage_offset)."""
    array = x.array
    if not isinstance(array, numpy.ndarray) or not array.flags.c_contiguous:
        raise NotImplementedError(f"{name}: glassgrad follows torch's storage positions for contiguous tensors "
                                  "only; call .contiguous() first")
    size, stride = [int(n) for n in size], [int(s) for s in stride]
    if len(size) != len(stride):
        raise RuntimeError(f"mismatch in length of strides and shape ({len(stride)} vs {len(size)})")
    if any(n < 0 for n in size) or any(s < 0 for s in stride):
        raise RuntimeError(f"{name}: negative sizes and strides are not supported, got size {size}, stride {stride}")
    root = array
    while isinstance(root.base, numpy.ndarray):
        root = root.base
    own = (array.ctypes.data - root.ctypes.data) // array.itemsize if array.size else 0  # x's own storage offset
    offset = own if storage_offset is None else int(storage_offset)
    flat = _flat_positions(size, stride, offset - own)
    if flat.size and (flat.min() < 0 or flat.max() >= x.numel()):
        raise RuntimeError(f"{name}: sizes {size}, strides {stride} and storage offset {offset} reach storage "
                           f"elements outside this tensor's own {x.numel()} (from storage element {own})")
    return flat


class AsStrided(Op):
    """y[i, j, ...] = x.flat[offset + i stride_0 + j stride_1 + ...], a view of x's memory (read-only
    where two positions coincide);  dx.flat[p] = the sum of dy over the elements that read position p."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, size: tuple[int, ...], stride: tuple[int, ...], offset: int) -> Any:
        xp = backend.xp
        ctx.shape, ctx.size, ctx.stride, ctx.offset = x.shape, size, stride, offset
        flat = xp.ascontiguousarray(x).reshape(-1)  # a gradient given in place of x may not be contiguous
        start = flat[min(offset, flat.size):]
        overlapping = numpy.unique(_flat_positions(size, stride, 0)).size < math.prod(size)
        return xp.lib.stride_tricks.as_strided(start, size, tuple(s * flat.itemsize for s in stride),
                                               writeable=not overlapping)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        positions = ArrayIndex(_flat_positions(ctx.size, ctx.stride, ctx.offset))
        numel = math.prod(ctx.shape)
        return written_at((numel,), positions, grad, accumulate=True).reshape(tuple(ctx.shape))


def _flat_positions(size: Sequence[int], stride: Sequence[int], offset: int) -> Any:
    """offset + i stride_0 + j stride_1 + ... for every element (i, j, ...) of ``size``."""
    grids = numpy.indices(size, dtype=numpy.int64) if size else numpy.zeros((0,), dtype=numpy.int64)
    return offset + sum((g * s for g, s in zip(grids, stride)), numpy.zeros(size, dtype=numpy.int64))


def as_strided(input: Tensor, size: Sequence[int], stride: Sequence[int],  # noqa: A002
               storage_offset: int | None = None) -> Tensor:
    """The view whose element (i, j, ...) is storage element storage_offset + i stride_0 + j stride_1 + ...
    (torch.as_strided; see the module docstring). Gradients add up where positions repeat."""
    x = as_tensor(input)
    positions = _storage_positions("as_strided", x, size, stride, storage_offset)
    offset = int(positions.reshape(-1)[0]) if positions.size else 0  # the first element's position in x
    return AsStrided.apply(x, size=tuple(int(n) for n in size), stride=tuple(int(s) for s in stride), offset=offset)


def as_strided_scatter(input: Tensor, src: Tensor, size: Sequence[int], stride: Sequence[int],  # noqa: A002
                       storage_offset: int | None = None) -> Tensor:
    """``input`` with ``input.as_strided(size, stride, storage_offset)`` replaced by ``src``
    (torch.as_strided_scatter); the view may not name one element twice."""
    x = as_tensor(input)
    positions = _storage_positions("as_strided_scatter", x, size, stride, storage_offset)
    if numpy.unique(positions).size != positions.size:
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers to a "
                           "single memory location. Please clone() the tensor before performing the operation.")
    return _scatter(x, src, positions)


def fill_diagonal(input: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:  # noqa: A002
    """A copy of ``input`` with its main diagonal set to ``fill_value`` (the op of ``Tensor.fill_diagonal_``).

    A 2-d input may be tall; its diagonal then stops at the last column, or, with ``wrap``, starts
    again one row further down (every (cols + 1)-th element), as torch and NumPy do. Tensors of
    more dims need every dim of one length.
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if x.ndim > 2 and len(set(x.shape)) > 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    if x.ndim == 2:
        rows, cols = x.shape
        step = cols + 1
        end = rows * cols if wrap else min(rows, cols) * cols
        positions = numpy.arange(0, end, step, dtype=numpy.int64)
        positions = positions[positions < rows * cols]
    else:
        positions = numpy.arange(x.shape[0], dtype=numpy.int64) * sum(x.shape[0] ** k for k in range(x.ndim))
    values = Tensor._make(backend.xp.full(positions.shape, fill_value, dtype=x.dtype), False)
    return ScatterAtPositions.apply(x, values, positions=backend.xp.asarray(positions))
