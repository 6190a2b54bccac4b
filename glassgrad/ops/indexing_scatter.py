"""Gather and scatter along a dim: gather, take_along_dim, take, scatter, scatter_add,
scatter_reduce.

With ``index`` of the same number of dims as ``x``::

    gather:   y[i][j][k] = x[index[i][j][k]][j][k]          (dim = 0)
    scatter:  y[index[i][j][k]][j][k] = src[i][j][k]         (other positions keep x)

They are each other's adjoint: the backward of gather is a scatter-add of dy,
the backward of scatter is a gather of dy.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.index_dtypes import LONG, LONG_OR_INT, check_index_dtype
from glassgrad.ops.indexing import ArrayIndex, read_at, written_at, zeroed_at
from glassgrad.ops.movement import broadcast_shapes, expand, reshape, wrap_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["gather", "scatter", "scatter_add", "scatter_reduce", "take", "take_along_dim"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")


def along_dim(index: Any, dim: int) -> tuple[Any, ...]:
    """The NumPy index that addresses position ``index[p]`` along ``dim`` for every position p of
    ``index``: ``x[along_dim(index, dim)]`` is the gather, assigning to it the scatter."""
    xp = backend.xp
    grid = []
    for d, n in enumerate(index.shape):
        if d == dim:
            grid.append(index)
        else:
            shape = [1] * index.ndim
            shape[d] = n
            grid.append(xp.arange(n).reshape(shape))
    return tuple(grid)


def _check_index(x: Tensor, dim: int, index: Any, op: str, src: Any = None) -> Any:
    array = index.array if isinstance(index, Tensor) else backend.xp.asarray(index)
    if array.size:  # torch checks the dtype of an index with elements only
        check_index_dtype(op, array, LONG_OR_INT)
    if array.ndim != x.ndim:
        raise OpInputError(f"{op}: Index tensor must have the same number of dimensions as the input tensor "
                           f"(index {tuple(array.shape)}, input {tuple(x.shape)})")
    for d in range(x.ndim):
        if d != dim and array.shape[d] > x.shape[d]:
            raise OpInputError(f"{op}: Size does not match at dimension {d}: index {tuple(array.shape)} is larger "
                               f"than input {tuple(x.shape)} outside dim {dim}")
        if src is not None and array.shape[d] > src.shape[d]:
            raise OpInputError(f"{op}: index {tuple(array.shape)} is larger than src {tuple(src.shape)} at dim {d}")
    if array.size and (array.min() < 0 or array.max() >= x.shape[dim]):
        bad = int(array.min()) if array.min() < 0 else int(array.max())
        raise IndexError(f"{op}: index {bad} is out of bounds for dimension {dim} with size {x.shape[dim]}")
    return array.astype(backend.xp.int64, copy=False)


class Gather(Op):
    """y = x[... index ...] along ``dim``;  dx = zeros with dy added back at the read positions."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, dim: int, index: Any) -> Any:
        ctx.grid, ctx.shape = along_dim(index, dim), x.shape
        return x[ctx.grid]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return written_at(ctx.shape, ArrayIndex(ctx.grid), grad, accumulate=True)


def gather(x: Any, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:  # noqa: ARG001
    """Values of ``x`` picked along ``dim`` by ``index`` (same number of dims as ``x``); the
    result has index's shape. ``sparse_grad`` is accepted and ignored. A 0-d ``x`` counts as one
    element along dim 0 (or -1), read by a 0-d or 1-d index: ``gather(tensor(5.), 0, tensor([0, 0]))``
    is ``[5., 5.]``, as torch."""
    x = as_tensor(x)
    if x.ndim == 0:
        index = as_tensor(index)
        wrap_dim(dim, 1, "gather")
        if index.ndim > 1:
            raise OpInputError(f"gather: Index tensor must have the same number of dimensions as the input tensor "
                               f"(index {tuple(index.shape)}, input ())")
        return gather(reshape(x, 1), 0, reshape(index, -1)).reshape(tuple(index.shape))
    dim = wrap_dim(dim, x.ndim, "gather")
    empty = as_tensor(index)
    if empty.numel() == 0 and empty.ndim != x.ndim:  # torch takes an empty index of any shape
        return reshape(reshape(x, -1)[:0], tuple(empty.shape))
    return Gather.apply(x, dim=dim, index=_check_index(x, dim, index, "gather"))


def take_along_dim(x: Any, indices: Any, dim: int | None = None) -> Tensor:
    """``gather`` with broadcasting: x and indices broadcast in every dim but ``dim``;
    with ``dim=None`` both are flattened."""
    x, indices = as_tensor(x), as_tensor(indices)
    check_index_dtype("take_along_dim", indices.array, LONG)
    if dim is None:
        return gather(reshape(x, -1), 0, reshape(indices, -1))
    dim = wrap_dim(dim, x.ndim, "take_along_dim")
    if indices.ndim != x.ndim:
        raise OpInputError(f"take_along_dim: input {tuple(x.shape)} and indices {tuple(indices.shape)} should have "
                           "the same number of dimensions")
    if indices.dtype.kind in "iu" and indices.numel() and (indices.array < 0).any():  # torch counts them from the end
        indices = Tensor._make(backend.xp.where(indices.array < 0, indices.array + x.shape[dim], indices.array), False)
    rest = broadcast_shapes(*(tuple(t.shape[:dim]) + (1,) + tuple(t.shape[dim + 1:]) for t in (x, indices)))
    x_shape = rest[:dim] + (x.shape[dim],) + rest[dim + 1:]
    i_shape = rest[:dim] + (indices.shape[dim],) + rest[dim + 1:]
    x = x if tuple(x.shape) == x_shape else expand(x, x_shape)
    indices = indices if tuple(indices.shape) == i_shape else Tensor._make(
        backend.xp.broadcast_to(indices.array, i_shape), False)
    return gather(x, dim, indices)


def take(x: Any, index: Any) -> Tensor:
    """Elements of ``x`` viewed as 1-d, at ``index`` (any shape; the result has its shape)."""
    from glassgrad.ops.indexing_select import index_select

    x = as_tensor(x)
    positions = index.array if isinstance(index, Tensor) else backend.xp.asarray(index)
    check_index_dtype("take", positions, LONG)
    n = x.numel()
    if positions.size and (positions.min() < -n or positions.max() >= n):
        raise IndexError(f"take: index out of range for a tensor of {n} elements (shape {tuple(x.shape)})")
    flat = Tensor._make((positions % max(n, 1)).reshape(-1), False)  # negative positions count from the end
    return index_select(reshape(x, -1), 0, flat).reshape(positions.shape)


class ScatterReduce(Op):
    """y = x with each src element combined (sum, prod, mean, amax or amin) into the position
    ``index`` sends it to along ``dim``; ``include_self=False`` leaves x's value out of it.

    Gradients (t = a target position, y_t its result; the members of t are the src elements sent
    there, and x_t with ``include_self``):
      sum:  dx_t = dy_t (0 if not include_self),  dsrc = dy at its target
      mean: each member of t gets dy_t / count_t
      prod: each member v gets dy_t * (product of the other members of t): y_t / v where v != 0;
            for a zero member, the product of the group's nonzero members if it is the group's only
            zero, else 0 (``_others_product``)
      amax, amin: dy_t shared equally by the members equal to y_t
    A position nothing is scattered to keeps x: dx = dy there.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, src: Any, *, dim: int, index: Any, reduce: str, include_self: bool) -> Any:
        xp = backend.xp
        grid = along_dim(index, dim)
        ctx.used = tuple(slice(0, n) for n in index.shape)  # only src's leading part (index's shape) is used
        full_src, src = src, src[ctx.used]
        count = xp.zeros(x.shape, dtype=xp.int64)
        xp.add.at(count, grid, 1)
        touched = count > 0
        count = count + 1 if include_self else count
        y = x.copy()
        if not include_self:
            y[touched] = _identity(reduce, x.dtype)
        ufunc = {"sum": xp.add, "mean": xp.add, "prod": xp.multiply, "amax": xp.maximum, "amin": xp.minimum}[reduce]
        ufunc.at(y, grid, src)
        if reduce == "mean":
            divisor = xp.maximum(count, 1)
            y = (y / divisor).astype(y.dtype) if y.dtype.kind == "f" else y // divisor
        ctx.grid, ctx.touched, ctx.count, ctx.reduce, ctx.include_self = grid, touched, count, reduce, include_self
        ctx.dim, ctx.index = dim, index
        ctx.save_for_backward(x, full_src, y)  # the arrays themselves: an in-place edit of one is caught
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        x, full_src, y = ctx.saved
        src = full_src[ctx.used]
        at = ArrayIndex(ctx.grid)
        touched, reduce = ctx.touched, ctx.reduce
        if reduce == "sum":
            per_self, per_src = grad, read_at(at, grad)
        elif reduce == "mean":
            share = grad / xp.maximum(ctx.count, 1).astype(grad.dtype)
            per_self, per_src = share, read_at(at, share)
        elif reduce == "prod":
            per_self, per_src = _product_shares(ctx, grad, x, src, y)
        else:  # amax / amin: ties share the gradient equally
            self_wins, src_wins = xp.equal(x, y), xp.equal(src, read_at(at, y))  # (arrays: masks)
            ties = self_wins.astype(xp.int64) if ctx.include_self else xp.zeros(tuple(x.shape), dtype=xp.int64)
            xp.add.at(ties, ctx.grid, src_wins)
            share = grad / xp.maximum(ties, 1).astype(grad.dtype)
            per_self, per_src = share * self_wins, read_at(at, share) * src_wins
        dx = xp.where(touched, per_self if ctx.include_self else 0, grad)
        dsrc = None
        if ctx.needs_input_grad[1]:
            dsrc = written_at(tuple(full_src.shape), ArrayIndex(ctx.used), per_src, accumulate=False)
        return dx, dsrc


def _identity(reduce: str, dtype: Any) -> Any:
    xp = backend.xp
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "b":  # bool: amax starts from False, amin from True
        return reduce != "amax"
    big = xp.inf if dtype.kind == "f" else xp.iinfo(dtype).max
    return -big if reduce == "amax" else big


def _product_shares(ctx: Context, grad: Any, x: Any, src: Any, y: Any) -> tuple[Any, Any]:
    """'prod': dy_t times the product of the other members of t, for x (per_self) and for src (per_src)."""
    xp = backend.xp
    at = ArrayIndex(ctx.grid)
    self_zero, src_zero = xp.equal(x, 0), xp.equal(src, 0)
    zeros = self_zero.astype(xp.int64) if ctx.include_self else xp.zeros(tuple(x.shape), dtype=xp.int64)
    xp.add.at(zeros, ctx.grid, src_zero)  # zero members per target
    base = xp.where(self_zero, 1, x) if ctx.include_self else xp.ones_like(x)
    nonzero_product = _scattered_product(ctx, base, xp.where(src_zero, 1, src))
    per_self = grad * _others_product(x, self_zero, y, nonzero_product, zeros)
    per_src = read_at(at, grad) * _others_product(src, src_zero, read_at(at, y), read_at(at, nonzero_product),
                                                  zeros[ctx.grid])
    return per_self, per_src


def _scattered_product(ctx: Context, base: Any, values: Any) -> Any:
    """``base`` with ``values`` multiplied in at their targets: this op's own 'prod', recorded on Tensors."""
    if not isinstance(base, Tensor) and not isinstance(values, Tensor):
        out = base.copy()
        backend.xp.multiply.at(out, ctx.grid, values)
        return out
    return ScatterReduce.apply(as_tensor(base), as_tensor(values), dim=ctx.dim, index=ctx.index, reduce="prod",
                               include_self=True)


def _others_product(values: Any, is_zero: Any, product: Any, nonzero_product: Any, zeros: Any) -> Any:
    """The product of the OTHER members of each value's group: the group's product divided by the value
    where it is not 0 (exact: ``product`` carries how it depends on every member); for a zero, the product
    of the group's nonzero members if it is the only zero, else 0, whose derivative in another zero member
    is not: a recorded backward refuses that case (as torch does)."""
    xp = backend.xp
    several = is_zero & (zeros > 1)
    if isinstance(product, Tensor) and several.any():
        raise NotImplementedError("scatter_reduce(prod): the second derivative with two or more zeros sent to the "
                                  "same position is not implemented (as in torch)")
    at_zero = xp.where(zeros == 1, nonzero_product, 0)
    return xp.where(is_zero, at_zero, product / xp.where(is_zero, 1, values))


def scatter_reduce(x: Any, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True) -> Tensor:
    """``x`` with each ``src[p]`` combined into position ``index[p]`` along ``dim`` by ``reduce``
    ('sum', 'prod', 'mean', 'amax' or 'amin')."""
    x, src = as_tensor(x), as_tensor(src)
    if reduce not in REDUCTIONS:
        raise OpInputError(f"scatter_reduce: reduce argument must be either sum, prod, mean, amax or amin, "
                           f"got {reduce!r}")
    if x.ndim == 0:
        out = scatter_reduce(reshape(x, 1), 0, as_tensor(index).reshape(1), reshape(src, 1), reduce,
                             include_self=include_self)
        return out.reshape(())
    dim = wrap_dim(dim, x.ndim, "scatter_reduce")
    index = _check_index(x, dim, index, "scatter_reduce", src.array)
    return ScatterReduce.apply(x, src.to(x.dtype), dim=dim, index=index, reduce=reduce, include_self=include_self)


def scatter_add(x: Any, dim: int, index: Any, src: Any) -> Tensor:
    """``x`` with each ``src[p]`` added at position ``index[p]`` along ``dim`` (repeats add up)."""
    return scatter_reduce(x, dim, index, src, "sum")


class Scatter(Op):
    """y = x with y[index[p] along dim] = src[p] (where an index repeats, the last write wins);
    dx = dy with the written positions zeroed;  dsrc = dy read back at index (zero past index's shape)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, src: Any, *, dim: int, index: Any) -> Any:
        ctx.grid, ctx.src_shape, ctx.used = along_dim(index, dim), src.shape, tuple(slice(0, n) for n in index.shape)
        y = x.copy()
        y[ctx.grid] = src[ctx.used] if src.ndim else src
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        written = ArrayIndex(ctx.grid)
        dx = zeroed_at(grad, written)
        dsrc = None
        if ctx.needs_input_grad[1]:
            if len(ctx.src_shape) == 0:  # a scalar value filled in: its gradient sums over the positions
                dsrc = (grad - zeroed_at(grad, written)).sum()  # dy at the written positions, each once
            else:
                dsrc = written_at(ctx.src_shape, ArrayIndex(ctx.used), read_at(written, grad), accumulate=False)
        return dx, dsrc


def scatter(x: Any, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: str | None = None) -> Tensor:
    """``x`` with ``src[p]`` (or the number ``value``) written at position ``index[p]`` along ``dim``.

    ``reduce='add'`` or ``'multiply'`` combines instead of overwriting (as ``scatter_reduce``'s
    'sum' and 'prod'). ``src`` may be a number (torch's ``scatter(dim, index, value)``).
    """
    x = as_tensor(x)
    if (src is None) == (value is None):
        raise TypeError("scatter: give exactly one of src and value")
    if src is None or not isinstance(src, Tensor) and not hasattr(src, "shape"):
        src = Tensor._make(backend.xp.asarray(value if src is None else src, dtype=x.dtype), False)
    src = as_tensor(src)
    if reduce is not None:
        if reduce not in ("add", "multiply"):
            raise OpInputError(f"scatter: reduce argument must be either add or multiply, got {reduce!r}")
        idx = as_tensor(index)
        full = src if src.ndim else expand(src, tuple(idx.shape))
        return scatter_reduce(x, dim, idx, full, "sum" if reduce == "add" else "prod")
    if x.ndim == 0:
        return scatter(reshape(x, 1), 0, as_tensor(index).reshape(1), src.reshape(1) if src.ndim else src).reshape(())
    dim = wrap_dim(dim, x.ndim, "scatter")
    index = _check_index(x, dim, index, "scatter", src.array if src.ndim else None)
    return Scatter.apply(x, src.to(x.dtype), dim=dim, index=index)
