"""Shape and layout ops: reshape, permute/transpose, expand, squeeze,
unsqueeze, pad, concatenate, stack, split.

None of these changes a value, so each backward only moves the gradient back
into the input's layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.tensor import Tensor, as_tensor


class Reshape(Function):
    """y = x with a new shape;  dx = dy reshaped back."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, shape: tuple[int, ...]) -> Any:
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad.reshape(ctx.shape)


def reshape(x: Any, *shape: Any) -> Tensor:
    """New shape, same elements in row-major order (one dim may be -1)."""
    x = as_tensor(x)
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    target = tuple(int(n) for n in shape)
    known = 1
    for n in target:
        known *= n if n != -1 else 1
    if target.count(-1) > 1 or (-1 not in target and known != x.size) or (
        -1 in target and (known == 0 or x.size % known)
    ):
        raise ValueError(f"reshape: cannot reshape a tensor of shape {x.shape} ({x.size} elements) to {target}")
    return Reshape.apply(x, shape=target)


class Permute(Function):
    """y = x with axes reordered by ``axes``;  dx = dy with the inverse order."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, axes: tuple[int, ...]) -> Any:
        ctx.inverse = tuple(sorted(range(len(axes)), key=axes.__getitem__))
        return x.transpose(axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad.transpose(ctx.inverse)


def permute(x: Any, *axes: Any) -> Tensor:
    """Reorder the axes: ``permute(x, 0, 2, 1)``."""
    x = as_tensor(x)
    if len(axes) == 1 and isinstance(axes[0], tuple | list):
        axes = tuple(axes[0])
    if sorted(a % x.ndim for a in axes) != list(range(x.ndim)) or len(axes) != x.ndim:
        raise ValueError(f"permute: {axes} is not a permutation of the {x.ndim} axes of shape {x.shape}")
    return Permute.apply(x, axes=tuple(a % x.ndim for a in axes))


def transpose(x: Any, axis0: int = -2, axis1: int = -1) -> Tensor:
    """Swap two axes (default: the last two)."""
    x = as_tensor(x)
    if x.ndim < 2:
        return x
    axes = list(range(x.ndim))
    axes[axis0], axes[axis1] = axes[axis1], axes[axis0]
    return permute(x, tuple(axes))


class Expand(Function):
    """y = x broadcast to ``shape`` (a read-only view);  dx = sum of dy over the copies
    (the engine's ``unbroadcast`` does that sum)."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, shape: tuple[int, ...]) -> Any:
        return backend.xp.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad


def expand(x: Any, *shape: Any) -> Tensor:
    """Broadcast to a larger shape without copying (-1 keeps a dim)."""
    x = as_tensor(x)
    if len(shape) == 1 and isinstance(shape[0], tuple | list):
        shape = tuple(shape[0])
    lead = len(shape) - x.ndim
    if lead < 0:
        raise ValueError(f"expand: target {shape} has fewer dims than the tensor's shape {x.shape}")
    target = tuple(x.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(shape))
    for have, want in zip(x.shape, target[lead:]):
        if have != want and have != 1:
            raise ValueError(f"expand: cannot broadcast shape {x.shape} to {target}")
    return Expand.apply(x, shape=target)


def squeeze(x: Any, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Drop size-1 axes (all of them, or those named; a named axis of size > 1 is kept, as torch)."""
    x = as_tensor(x)
    if axis is None:
        axes = {i for i, n in enumerate(x.shape) if n == 1}
    else:
        named = (axis,) if isinstance(axis, int) else axis
        axes = {a % x.ndim for a in named if x.shape[a] == 1} if x.ndim else set()
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def unsqueeze(x: Any, axis: int) -> Tensor:
    """Insert a size-1 axis at ``axis`` (negative counts from the new end)."""
    x = as_tensor(x)
    if not -x.ndim - 1 <= axis <= x.ndim:
        raise ValueError(f"unsqueeze: axis {axis} out of range for shape {x.shape}")
    axis = axis % (x.ndim + 1)
    return reshape(x, x.shape[:axis] + (1,) + x.shape[axis:])


class Pad(Function):
    """y = x surrounded by a constant;  dx = the centre of dy."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, widths: tuple[tuple[int, int], ...], value: float) -> Any:
        ctx.centre = tuple(slice(lo, lo + n) for (lo, _), n in zip(widths, x.shape))
        return backend.xp.pad(x, widths, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad[ctx.centre]


def pad(x: Any, widths: Sequence[tuple[int, int]], value: float = 0.0) -> Tensor:
    """Pad each axis with (before, after) elements of ``value`` (NumPy's order:
    one pair per axis, first axis first). Negative widths are refused."""
    x = as_tensor(x)
    widths = tuple((int(lo), int(hi)) for lo, hi in widths)
    if len(widths) != x.ndim or any(lo < 0 or hi < 0 for lo, hi in widths):
        raise ValueError(f"pad: need {x.ndim} non-negative (before, after) pairs for shape {x.shape}, got {widths}")
    return Pad.apply(x, widths=widths, value=value)


class Concatenate(Function):
    """y = the inputs joined along ``axis``;  dx_i = the slice of dy that x_i filled."""

    @staticmethod
    def forward(ctx: Context, *xs: Any, axis: int) -> Any:
        ctx.axis = axis
        ctx.bounds = backend.xp.cumsum([x.shape[axis] for x in xs])[:-1].tolist()
        return backend.xp.concatenate(xs, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        return tuple(backend.xp.split(grad, ctx.bounds, axis=ctx.axis))


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis (``torch.cat``)."""
    ts = [as_tensor(t) for t in tensors]
    if not ts:
        raise ValueError("concatenate: need at least one tensor")
    ndim = ts[0].ndim
    if ndim == 0:
        raise ValueError("concatenate: zero-dimensional tensors cannot be concatenated")
    axis = axis % ndim
    for t in ts:
        if t.ndim != ndim or any(a != b for i, (a, b) in enumerate(zip(t.shape, ts[0].shape)) if i != axis):
            shapes = [t.shape for t in ts]
            raise ValueError(f"concatenate: shapes {shapes} differ outside axis {axis}")
    return Concatenate.apply(*ts, axis=axis)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join same-shaped tensors along a new axis."""
    ts = [as_tensor(t) for t in tensors]
    if not ts:
        raise ValueError("stack: need at least one tensor")
    if any(t.shape != ts[0].shape for t in ts):
        raise ValueError(f"stack: all shapes must match, got {[t.shape for t in ts]}")
    return concatenate([unsqueeze(t, axis) for t in ts], axis=axis % (ts[0].ndim + 1))


def split(x: Any, split_size_or_sections: int | Sequence[int], axis: int = 0) -> tuple[Tensor, ...]:
    """Cut into chunks along ``axis``: an int is the chunk size (the last may be smaller),
    a list gives each chunk's size (they must add up), as torch.split."""
    x = as_tensor(x)
    n = x.shape[axis]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size <= 0:
            raise ValueError(f"split: chunk size must be positive, got {size}")
        sizes = [size] * (n // size) + ([n % size] if n % size else [])
    else:
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n:
            raise ValueError(f"split: sizes {sizes} do not add up to {n} (axis {axis} of {x.shape})")
    chunks, start = [], 0
    index = [slice(None)] * x.ndim
    for size in sizes:
        index[axis] = slice(start, start + size)
        chunks.append(x[tuple(index)])
        start += size
    return tuple(chunks)
