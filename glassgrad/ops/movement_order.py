"""Reordering and repeating: flip (fliplr, flipud), roll, repeat, tile, repeat_interleave,
unfold (sliding windows).

Flip and roll permute the elements, so the backward applies the inverse
permutation; repeating (and overlapping windows) copy them, so the backward
sums the copies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.index_dtypes import LONG_OR_INT, check_index_dtype
from glassgrad.ops.indexing_select import added_along_dim
from glassgrad.ops.movement import reshape, sizes_argument, wrap_dim
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["flip", "fliplr", "flipud", "repeat", "repeat_interleave", "roll", "tile", "unfold"]
TORCH_NAMES = ["flip", "fliplr", "flipud", "repeat_interleave", "roll", "tile"]
FUNCTIONAL_NAMES = []


def _dims_argument(dims: Any, ndim: int, op: str) -> tuple[int, ...]:
    dims = (dims,) if isinstance(dims, int) else sizes_argument(tuple(dims))
    wrapped = tuple(wrap_dim(d, ndim, op) for d in dims)
    if len(set(wrapped)) != len(wrapped):
        raise OpInputError(f"{op}: dim appears multiple times in the list of dims {dims}")
    return wrapped


class Flip(Op):
    """y = x reversed along ``dims``;  dx = dy reversed along the same dims."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, dims: tuple[int, ...]) -> Any:
        ctx.dims = dims
        # a copy, as torch's flip (NumPy's flip is a view with negative strides)
        return backend.xp.flip(x, axis=dims).copy() if dims else x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.flip(grad, axis=ctx.dims) if ctx.dims else grad


def flip(x: Any, dims: int | Sequence[int]) -> Tensor:
    """Reverse the order of elements along ``dims``."""
    x = as_tensor(x)
    return Flip.apply(x, dims=_dims_argument(dims, x.ndim, "flip") if x.ndim else ())


def fliplr(x: Any) -> Tensor:
    """Reverse along dim 1 (left/right); needs at least 2 dims."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise OpInputError(f"fliplr: input must be >= 2-d, got shape {tuple(x.shape)}")
    return flip(x, (1,))


def flipud(x: Any) -> Tensor:
    """Reverse along dim 0 (up/down); needs at least 1 dim."""
    x = as_tensor(x)
    if x.ndim < 1:
        raise OpInputError(f"flipud: input must be >= 1-d, got shape {tuple(x.shape)}")
    return flip(x, (0,))


class Roll(Op):
    """y[i] = x[i - shift] (indices wrap around);  dx = dy rolled by -shift."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, shifts: tuple[int, ...], dims: tuple[int, ...] | None) -> Any:
        ctx.shifts, ctx.dims = shifts, dims
        return backend.xp.roll(x, shifts if dims is not None else shifts[0], axis=dims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        back = tuple(-s for s in ctx.shifts)
        return backend.xp.roll(grad, back if ctx.dims is not None else back[0], axis=ctx.dims)


def roll(x: Any, shifts: int | Sequence[int], dims: int | Sequence[int] | None = None) -> Tensor:
    """Shift elements along ``dims`` by ``shifts``, wrapping around the end.

    With ``dims=None`` the tensor is flattened, rolled, and given its shape back.
    """
    x = as_tensor(x)
    shifts_t = (int(shifts),) if isinstance(shifts, int) else tuple(int(s) for s in shifts)
    if dims is None:
        if len(shifts_t) != 1:
            raise OpInputError(f"roll: with dims=None, shifts must be a single int, got {shifts}")
        return Roll.apply(x, shifts=shifts_t, dims=None)
    dims_t = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(dims_t) != len(shifts_t):
        raise OpInputError(f"roll: shifts {shifts} and dims {dims} must have the same length")
    return Roll.apply(x, shifts=shifts_t, dims=tuple(wrap_dim(d, x.ndim, "roll") for d in dims_t))


class Repeat(Op):
    """y = x tiled ``reps[k]`` times along dim k (torch's repeat = NumPy's tile);
    dx = the sum of dy over the copies."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, reps: tuple[int, ...]) -> Any:
        shape = (1,) * (len(reps) - x.ndim) + x.shape  # new leading dims are size 1 before tiling
        ctx.shape, ctx.reps, ctx.padded = x.shape, reps, shape
        return backend.xp.tile(x.reshape(shape), reps)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        interleaved = [n for pair in zip(ctx.reps, ctx.padded) for n in pair]  # (r0, n0, r1, n1, ...)
        copies = tuple(range(0, 2 * len(ctx.reps), 2))
        return grad.reshape(interleaved).sum(axis=copies).reshape(ctx.shape)


def repeat(x: Any, *sizes: Any) -> Tensor:
    """Tile the whole tensor ``sizes[k]`` times along dim k (torch's ``Tensor.repeat``:
    NumPy's ``tile``; for NumPy's ``repeat`` use ``repeat_interleave``).
    ``sizes`` may be longer than ``x.ndim``: new leading dims are added."""
    x = as_tensor(x)
    reps = sizes_argument(sizes)
    if len(reps) < x.ndim:
        raise OpInputError(f"repeat: number of repeat dims {reps} can not be smaller than the number of dims "
                           f"of the tensor, shape {tuple(x.shape)}")
    if any(r < 0 for r in reps):
        raise OpInputError(f"repeat: repeats must be non-negative, got {reps}")
    return Repeat.apply(x, reps=reps)


def tile(x: Any, dims: Sequence[int]) -> Tensor:
    """Like ``repeat``, but fewer ``dims`` than the tensor has are padded with 1s in front."""
    x = as_tensor(x)
    reps = (int(dims),) if isinstance(dims, int) else tuple(int(d) for d in dims)
    return repeat(x, (1,) * (x.ndim - len(reps)) + reps)


class RepeatInterleave(Op):
    """y = each element of x along ``dim`` repeated ``repeats[i]`` times in place;
    dx_i = the sum of dy over x_i's copies."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, repeats: Any, dim: int) -> Any:
        ctx.dim, ctx.repeats, ctx.n = dim, repeats, x.shape[dim]
        return backend.xp.repeat(x, repeats, axis=dim)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        source = xp.repeat(xp.arange(ctx.n), ctx.repeats)  # which input element each output came from
        shape = list(grad.shape)
        shape[ctx.dim] = ctx.n
        return added_along_dim(tuple(shape), ctx.dim, source, grad)


def repeat_interleave(x: Any, repeats: Any = None, dim: int | None = None, *,
                      output_size: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times (an int, or one count per element) along ``dim``
    (NumPy's ``repeat``). With ``dim=None`` the tensor is flattened first. Called with
    only a tensor of counts, returns indices: ``repeat_interleave(tensor([2, 1])) = [0, 0, 1]``."""
    x = as_tensor(x)
    xp = backend.xp
    if repeats is None:  # the one-argument form: x holds the counts
        counts = x.array.astype(xp.int64)
        return Tensor._make(xp.repeat(xp.arange(counts.shape[0]), counts), False)
    if dim is None:
        x, dim = reshape(x, -1), 0
    dim = wrap_dim(dim, x.ndim, "repeat_interleave")
    counts = repeats.array if isinstance(repeats, Tensor) else xp.asarray(repeats)
    check_index_dtype("repeat_interleave", counts, LONG_OR_INT, NotImplementedError, what="repeats")
    if counts.ndim > 1 or (counts.ndim == 1 and counts.shape[0] not in (1, x.shape[dim])):
        raise OpInputError(f"repeat_interleave: repeats must have shape ({x.shape[dim]},) or be a single count, "
                           f"got shape {tuple(counts.shape)}")
    if counts.size and counts.min() < 0:
        raise OpInputError("repeat_interleave: repeats can not be negative")
    out = RepeatInterleave.apply(x, repeats=counts, dim=dim)
    if output_size is not None and out.shape[dim] != output_size:
        raise OpInputError(f"repeat_interleave: output_size {output_size} does not match the result's "
                           f"{out.shape[dim]}")
    return out


class Unfold(Op):
    """y[..., i, ..., k] = x[..., i * step + k, ...]: the windows of ``size`` along ``dim``, every
    ``step``, as a new last dim;  dx = each window's gradient added back where it was read."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, dim: int, size: int, step: int) -> Any:
        xp = backend.xp
        ctx.shape, ctx.dim, ctx.size, ctx.step = x.shape, dim, size, step
        windows = xp.lib.stride_tricks.sliding_window_view(x, size, axis=dim)  # (..., n - size + 1, ..., size)
        index = [slice(None)] * windows.ndim
        index[dim] = slice(None, None, step)
        return windows[tuple(index)]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        from glassgrad.ops.indexing import ArrayIndex, written_at

        dx = None
        count = grad.shape[ctx.dim]
        for k in range(ctx.size):  # offset k of every window: positions k, k + step, k + 2 step, ...
            index = [slice(None)] * len(ctx.shape)
            index[ctx.dim] = slice(k, k + ctx.step * (count - 1) + 1, ctx.step)
            part = written_at(ctx.shape, ArrayIndex(tuple(index)), grad[..., k], accumulate=False)
            dx = part if dx is None else dx + part
        return dx


def unfold(x: Any, dimension: int, size: int, step: int) -> Tensor:
    """Sliding windows (torch's ``Tensor.unfold``): dim ``dimension`` becomes the number of windows,
    (n - size) // step + 1, and a new last dim of length ``size`` holds each window."""
    x = as_tensor(x)
    if x.ndim == 0:
        return reshape(unfold(reshape(x, 1), 0, size, step), -1)  # a 0-d tensor has one window: (size,)
    dim = wrap_dim(dimension, x.ndim, "unfold")
    if size < 0 or step <= 0:
        raise OpInputError(f"unfold: size must be >= 0 and step > 0, got size {size}, step {step}")
    if size > x.shape[dim]:
        raise OpInputError(f"unfold: maximum size for tensor at dimension {dim} is {x.shape[dim]} but size is {size} "
                           f"(shape {tuple(x.shape)})")
    return Unfold.apply(x, dim=dim, size=int(size), step=int(step))
