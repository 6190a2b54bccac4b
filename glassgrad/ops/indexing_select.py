"""Selecting by index list or by mask: index_select, index_add, index_copy, index_fill,
masked_fill, masked_select, masked_scatter, nonzero (argwhere).

Reading picks elements, so its backward adds each output gradient back where the
element came from (an index may be read twice: those contributions add up);
writing overwrites elements, so its backward sends nothing back to the
overwritten ones.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpDtypeError, OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.index_dtypes import LONG, LONG_OR_INT, check_index_dtype
from glassgrad.ops.indexing import ArrayIndex, read_at, written_at, zeroed_at
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "argwhere", "index_add", "index_copy", "index_fill", "index_select", "masked_fill", "masked_scatter",
    "masked_select", "nonzero",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def add_along_dim(target: Any, dim: int, index: Any, values: Any) -> None:
    """``target[..., index[i], ...] += values[..., i, ...]`` along ``dim``, in place; repeated
    indices add up (the adjoint of ``take(target, index, dim)``)."""
    xp = backend.xp
    xp.add.at(xp.moveaxis(target, dim, 0), index, xp.moveaxis(values, dim, 0))


def added_along_dim(shape: tuple[int, ...], dim: int, index: Any, values: Any) -> Any:
    """Zeros of ``shape`` with ``values[..., i, ...]`` added at ``index[i]`` along ``dim`` (repeats add up):
    the adjoint of ``take(x, index, dim)``, as a new array; on a Tensor, the differentiable ``WriteAt`` op."""
    from glassgrad.ops.indexing import ArrayIndex, written_at

    return written_at(tuple(shape), ArrayIndex((slice(None),) * dim + (index,)), values, accumulate=True)


def _index_array(index: Any, op: str, max_dims: int = 1, allowed: tuple[str, ...] = LONG_OR_INT,
                 error: type[Exception] = OpDtypeError) -> Any:
    array = index.array if isinstance(index, Tensor) else backend.xp.asarray(index)
    check_index_dtype(op, array, allowed, error)
    if array.ndim > max_dims:
        raise IndexError(f"{op}: index must be an integer tensor with at most {max_dims} dim(s), got dtype "
                         f"{array.dtype} and shape {tuple(array.shape)}")
    return array.astype(backend.xp.int64, copy=False)


def _check_range(index: Any, size: int, op: str, negative: bool = False) -> None:
    """Indices must lie in [0, size) (in [-size, size) where torch accepts negative ones)."""
    if index.size and (index.min() < (-size if negative else 0) or index.max() >= size):
        raise IndexError(f"{op}: index out of range for a dim of size {size} (got values from {index.min()} "
                         f"to {index.max()})")


def _dim(x: Tensor, dim: int, op: str) -> int:
    from glassgrad.ops.movement import wrap_dim

    return wrap_dim(dim, x.ndim, op)


def _value_tensor(value: Any, x: Tensor, op: str) -> Tensor:
    """The fill value as a 0-d tensor of x's dtype (differentiable if it is a tensor that needs grad)."""
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise OpInputError(f"{op}: only supports a 0-dimensional value tensor, but got one with "
                               f"{value.ndim} dimension(s)")
        return value if value.dtype == x.dtype else value.to(x.dtype)
    return Tensor._make(backend.xp.asarray(value, dtype=x.dtype), False)


class IndexSelect(Op):
    """y = x taken at ``index`` along ``dim``;  dx = dy added back at those positions."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, dim: int, index: Any) -> Any:
        ctx.dim, ctx.index, ctx.shape = dim, index, x.shape
        return backend.xp.take(x, index, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return added_along_dim(ctx.shape, ctx.dim, ctx.index, grad)


def index_select(x: Any, dim: int, index: Any) -> Tensor:
    """The slices of ``x`` along ``dim`` listed in ``index`` (a 1-d integer tensor), in that order."""
    x = as_tensor(x)
    dim = _dim(x, dim, "index_select")
    idx = _index_array(index, "index_select").reshape(-1)
    if x.ndim == 0:
        _check_range(idx, 1, "index_select")
        return x.reshape(1)[Tensor._make(idx, False)].reshape(())
    _check_range(idx, x.shape[dim], "index_select")
    return IndexSelect.apply(x, dim=dim, index=idx)


class IndexAdd(Op):
    """y = x with alpha * source[i] added at slice index[i] along ``dim``;
    dx = dy;  dsource = alpha * dy taken at ``index``."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, source: Any, *, dim: int, index: Any, alpha: Any) -> Any:
        ctx.dim, ctx.index, ctx.alpha = dim, index, alpha
        y = x.copy()
        add_along_dim(y, dim, index, source * alpha if alpha != 1 else source)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        dsource = backend.xp.take(grad, ctx.index, axis=ctx.dim) if ctx.needs_input_grad[1] else None
        return grad, (dsource * ctx.alpha if dsource is not None and ctx.alpha != 1 else dsource)


def _check_source(x: Tensor, source: Tensor, dim: int, idx: Any, op: str) -> None:
    want = tuple(x.shape[:dim]) + (idx.shape[0],) + tuple(x.shape[dim + 1:])
    if x.ndim and tuple(source.shape) != want:
        raise OpInputError(f"{op}: source of shape {tuple(source.shape)} does not match {want} (self {tuple(x.shape)}, "
                           f"{idx.shape[0]} indices along dim {dim})")


def index_add(x: Any, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
    """A copy of ``x`` with ``alpha * source`` added at ``index`` along ``dim`` (repeats add up)."""
    x, source = as_tensor(x), as_tensor(source)
    if x.ndim == 0:  # a 0-d tensor counts as one element along dim 0, as torch
        _dim(Tensor._make(x.array.reshape(1), False), dim, "index_add")
        return index_add(x.reshape(1), 0, index, source.reshape(-1), alpha=alpha).reshape(())
    dim = _dim(x, dim, "index_add")
    idx = _index_array(index, "index_add").reshape(-1)
    _check_range(idx, x.shape[dim] if x.ndim else 1, "index_add")
    _check_source(x, source, dim, idx, "index_add")
    return IndexAdd.apply(x, source.to(x.dtype), dim=dim, index=idx, alpha=alpha)


class IndexCopy(Op):
    """y = x with slice index[i] along ``dim`` replaced by source[i];
    dx = dy with those slices zeroed;  dsource = dy taken at ``index``."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, source: Any, *, dim: int, index: Any) -> Any:
        ctx.dim, ctx.index = dim, index
        y = x.copy()
        backend.xp.moveaxis(y, dim, 0)[index] = backend.xp.moveaxis(source, dim, 0)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        dx = zeroed_at(grad, ArrayIndex((slice(None),) * ctx.dim + (ctx.index,)))
        return dx, backend.xp.take(grad, ctx.index, axis=ctx.dim)


def index_copy(x: Any, dim: int, index: Any, source: Any) -> Tensor:
    """A copy of ``x`` whose slices ``index`` along ``dim`` are replaced by ``source``'s."""
    x, source = as_tensor(x), as_tensor(source)
    if x.ndim == 0:  # a 0-d tensor counts as one element along dim 0, as torch
        _dim(Tensor._make(x.array.reshape(1), False), dim, "index_copy")
        return index_copy(x.reshape(1), 0, index, source.reshape(-1)).reshape(())
    dim = _dim(x, dim, "index_copy")
    idx = _index_array(index, "index_copy", allowed=LONG).reshape(-1)
    _check_range(idx, x.shape[dim], "index_copy")
    _check_source(x, source, dim, idx, "index_copy")
    return IndexCopy.apply(x, source.to(x.dtype), dim=dim, index=idx)


class MaskedFill(Op):
    """y = value where mask else x (mask broadcast);
    dx = dy where not mask;  dvalue = sum of dy where mask."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, value: Any, *, mask: Any) -> Any:
        ctx.mask = mask
        return backend.xp.where(mask, value, x)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        zero = xp.zeros((), dtype=grad.dtype)
        dx = xp.where(ctx.mask, zero, grad) if ctx.needs_input_grad[0] else None
        dvalue = xp.where(ctx.mask, grad, zero).sum() if ctx.needs_input_grad[1] else None
        return dx, dvalue


def _mask_array(mask: Any, op: str) -> Any:
    array = mask.array if isinstance(mask, Tensor) else backend.xp.asarray(mask)
    if array.dtype != bool:
        raise OpDtypeError(f"{op}: expected a boolean mask, got dtype {array.dtype}")
    return array


def masked_fill(x: Any, mask: Any, value: Any) -> Tensor:
    """``x`` with ``value`` (a number or a 0-d tensor) wherever ``mask`` is True (mask broadcasts)."""
    x = as_tensor(x)
    mask_array = _mask_array(mask, "masked_fill")
    try:
        backend.xp.broadcast_shapes(mask_array.shape, x.shape)
    except ValueError:
        raise OpInputError(f"masked_fill: mask of shape {tuple(mask_array.shape)} does not broadcast with "
                           f"the tensor's shape {tuple(x.shape)}") from None
    return MaskedFill.apply(x, _value_tensor(value, x, "masked_fill"), mask=mask_array)


class MaskedSelect(Op):
    """y = the elements of x where mask is True, as a 1-d tensor (both broadcast);
    dx = zeros with dy written back at those positions."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, mask: Any) -> Any:
        shape = backend.xp.broadcast_shapes(x.shape, mask.shape)
        ctx.mask = backend.xp.broadcast_to(mask, shape)
        return backend.xp.broadcast_to(x, shape)[ctx.mask]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        # zeros of the broadcast shape with dy at the mask (the engine sums it down to x's shape)
        return written_at(ctx.mask.shape, ArrayIndex(ctx.mask), grad, accumulate=False)


def masked_select(x: Any, mask: Any) -> Tensor:
    """The elements of ``x`` where ``mask`` is True, in row-major order (1-d)."""
    x = as_tensor(x)
    mask_array = _mask_array(mask, "masked_select")
    try:
        backend.xp.broadcast_shapes(mask_array.shape, x.shape)
    except ValueError:
        raise OpInputError(f"masked_select: mask of shape {tuple(mask_array.shape)} does not broadcast with "
                           f"the tensor's shape {tuple(x.shape)}") from None
    return MaskedSelect.apply(x, mask=mask_array)


class MaskedScatter(Op):
    """y = x with the masked positions filled, in row-major order, by source's first elements;
    dx = dy where not mask;  dsource = dy at the masked positions (zero for unused elements)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, source: Any, *, mask: Any) -> Any:
        xp = backend.xp
        shape = xp.broadcast_shapes(x.shape, mask.shape)
        ctx.mask, ctx.source_shape = xp.broadcast_to(mask, shape), source.shape
        ctx.count = int(ctx.mask.sum())
        y = xp.broadcast_to(x, shape).copy()
        y[ctx.mask] = source.reshape(-1)[:ctx.count]
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        dx = xp.where(ctx.mask, xp.zeros((), dtype=grad.dtype), grad)
        picked = read_at(ArrayIndex(ctx.mask), grad)  # dy at the masked positions, in row-major order
        dsource = written_at((math.prod(ctx.source_shape),), ArrayIndex(slice(0, ctx.count)), picked, accumulate=False)
        return dx, dsource.reshape(ctx.source_shape)


def masked_scatter(x: Any, mask: Any, source: Any) -> Tensor:
    """``x`` with its masked positions filled by consecutive elements of ``source``."""
    x, source = as_tensor(x), as_tensor(source)
    mask_array = _mask_array(mask, "masked_scatter")
    try:
        count = int(backend.xp.broadcast_to(mask_array, backend.xp.broadcast_shapes(mask_array.shape, x.shape)).sum())
    except ValueError:
        raise OpInputError(f"masked_scatter: mask of shape {tuple(mask_array.shape)} does not broadcast with "
                           f"the tensor's shape {tuple(x.shape)}") from None
    if source.numel() < count:
        raise OpInputError(f"masked_scatter: the mask selects {count} elements but source has only {source.numel()}")
    return MaskedScatter.apply(x, source.to(x.dtype), mask=mask_array)


def nonzero(x: Any, *, as_tuple: bool = False) -> Any:
    """Indices of the non-zero elements (no gradient): an (n, ndim) int64 tensor, one row per
    element in row-major order, or with ``as_tuple`` one 1-d tensor per dim (``x[nonzero(x, as_tuple=True)]``
    picks them)."""
    x = as_tensor(x)
    xp = backend.xp
    if as_tuple:
        return tuple(Tensor._make(i.astype(xp.int64), False) for i in xp.nonzero(xp.atleast_1d(x.array)))
    return Tensor._make(xp.argwhere(x.array).astype(xp.int64), False)


def argwhere(x: Any) -> Tensor:
    """Same as ``nonzero(x)``: the (n, ndim) indices of the non-zero elements."""
    return nonzero(x)


class IndexFill(Op):
    """y = x with slices ``index`` along ``dim`` set to value;
    dx = dy with those slices zeroed;  dvalue = the sum of dy over them (each slice once)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, value: Any, *, dim: int, index: Any) -> Any:
        ctx.dim, ctx.index = dim, backend.xp.unique(index % x.shape[dim])
        y = x.copy()
        backend.xp.moveaxis(y, dim, 0)[ctx.index] = value
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        dx = zeroed_at(grad, ArrayIndex((slice(None),) * ctx.dim + (ctx.index,)))
        return dx, backend.xp.take(grad, ctx.index, axis=ctx.dim).sum()


def index_fill(x: Any, dim: int, index: Any, value: Any) -> Tensor:
    """A copy of ``x`` with the slices ``index`` along ``dim`` filled with ``value``."""
    x = as_tensor(x)
    dim = _dim(x, dim, "index_fill")
    if x.ndim == 0:
        return index_fill(x.reshape(1), 0, index, value).reshape(())
    idx = _index_array(index, "index_fill", allowed=LONG, error=IndexError).reshape(-1)
    _check_range(idx, x.shape[dim], "index_fill", negative=True)
    return IndexFill.apply(x, _value_tensor(value, x, "index_fill"), dim=dim, index=idx)
