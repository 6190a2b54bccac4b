"""Shape and layout ops: reshape/view, permute, transpose, movedim, expand,
squeeze, unsqueeze, flatten, unflatten, broadcast_tensors, atleast_nd.

None of these changes a value, so each backward only moves the gradient back
into the input's layout. Joining and cutting (cat, stack, split, chunk) live in
``movement_join.py``; flip, roll, repeat and tile in ``movement_order.py``;
padding in ``movement_pad.py``; triangles and diagonals in ``movement_diag.py``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.arguments import pick_dim
from glassgrad.tensor import Size, Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "broadcast_to", "expand",
    "expand_as", "flatten", "moveaxis", "movedim", "permute", "ravel", "reshape", "squeeze", "swapaxes",
    "swapdims", "transpose", "unflatten", "unsqueeze", "view",
]
TORCH_NAMES = [
    "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "broadcast_to", "expand",
    "flatten", "moveaxis", "movedim", "permute", "ravel", "reshape", "squeeze", "swapaxes", "swapdims",
    "transpose", "unflatten", "unsqueeze",
]
FUNCTIONAL_NAMES = []


def wrap_dim(dim: Any, ndim: int, op: str) -> int:
    """``dim`` as an axis in ``range(ndim)`` (negative counts from the end), as torch.

    A 0-d tensor accepts 0 and -1. Out of range is torch's IndexError.
    """
    n = max(ndim, 1)
    dim = int(dim)
    if not -n <= dim < n:
        raise IndexError(f"{op}: Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})")
    return dim % n if ndim else 0


def sizes_argument(sizes: tuple[Any, ...]) -> tuple[int, ...]:
    """``f(2, 3)`` and ``f((2, 3))`` both mean the sizes (2, 3) (torch's varargs rule)."""
    if len(sizes) == 1 and isinstance(sizes[0], Sequence):
        sizes = tuple(sizes[0])
    return tuple(int(n) for n in sizes)


class Reshape(Op):
    """y = x with a new shape;  dx = dy reshaped back."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, shape: tuple[int, ...]) -> Any:
        ctx.shape = x.shape
        return x.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad.reshape(ctx.shape)


def infer_shape(shape: tuple[int, ...], numel: int, op: str, have: Any) -> tuple[int, ...]:
    """Replace the one -1 in ``shape`` so that the product is ``numel``; check it fits."""
    known = math.prod(n for n in shape if n != -1)
    if shape.count(-1) > 1 or any(n < -1 for n in shape):
        raise OpInputError(f"{op}: invalid shape {shape} for a tensor of shape {have} (at most one -1, no other "
                           "negative sizes)")
    if -1 in shape:
        if known == 0 or numel % known:
            raise OpInputError(f"{op}: cannot reshape a tensor of shape {have} ({numel} elements) to {shape}")
        return tuple(numel // known if n == -1 else n for n in shape)
    if known != numel:
        raise OpInputError(f"{op}: cannot reshape a tensor of shape {have} ({numel} elements) to {shape}")
    return shape


def reshape(x: Any, *shape: Any) -> Tensor:
    """New shape, same elements in row-major order (one dim may be -1): ``reshape(x, 2, -1)``."""
    x = as_tensor(x)
    target = infer_shape(sizes_argument(shape), x.numel(), "reshape", tuple(x.shape))
    return Reshape.apply(x, shape=target)


view = reshape


class Permute(Op):
    """y = x with axes reordered by ``dims``;  dx = dy with the inverse order."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, dims: tuple[int, ...]) -> Any:
        ctx.inverse = tuple(sorted(range(len(dims)), key=dims.__getitem__))
        return x.transpose(dims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.transpose(grad, ctx.inverse)  # xp's form: a Tensor's transpose(d0, d1) is torch's


def permute(x: Any, *dims: Any) -> Tensor:
    """Reorder the axes: ``permute(x, 0, 2, 1)`` or ``permute(x, (0, 2, 1))``."""
    x = as_tensor(x)
    dims = sizes_argument(dims)
    wrapped = [d % x.ndim if x.ndim and -x.ndim <= d < x.ndim else d for d in dims]
    if len(dims) != x.ndim or sorted(wrapped) != list(range(x.ndim)):
        raise OpInputError(f"permute: {dims} is not a permutation of the {x.ndim} dims of shape {tuple(x.shape)}")
    return Permute.apply(x, dims=tuple(wrapped))


def transpose(x: Any, dim0: int, dim1: int) -> Tensor:
    """Swap dims ``dim0`` and ``dim1``.

    A 0-d or 1-d tensor accepts dims 0 and -1 and is returned as it is.
    """
    x = as_tensor(x)
    dim0, dim1 = wrap_dim(dim0, x.ndim, "transpose"), wrap_dim(dim1, x.ndim, "transpose")
    if x.ndim < 2:
        return x
    dims = list(range(x.ndim))
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return Permute.apply(x, dims=tuple(dims))


swapaxes = transpose
swapdims = transpose


def movedim(x: Any, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """Move dims ``source`` to positions ``destination``; the others keep their order."""
    x = as_tensor(x)
    src = [source] if isinstance(source, int) else list(source)
    dst = [destination] if isinstance(destination, int) else list(destination)
    if len(src) != len(dst):
        raise OpInputError(f"movedim: source {src} and destination {dst} must have the same length")
    src = [wrap_dim(d, x.ndim, "movedim") for d in src]
    dst = [wrap_dim(d, x.ndim, "movedim") for d in dst]
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise OpInputError(f"movedim: repeated dim in source {src} or destination {dst}")
    rest = iter(d for d in range(x.ndim) if d not in src)
    placed = dict(zip(dst, src))
    return permute(x, tuple(placed[i] if i in placed else next(rest) for i in range(x.ndim)))


moveaxis = movedim


class Expand(Op):
    """y = x broadcast to ``shape`` (a read-only view);  dx = sum of dy over the copies
    (the engine's ``unbroadcast`` does that sum)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, shape: tuple[int, ...]) -> Any:
        return backend.xp.broadcast_to(x, shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad


def expand(x: Any, *sizes: Any) -> Tensor:
    """Broadcast to a larger shape without copying; -1 keeps a dim: ``expand(x, 4, -1)``."""
    x = as_tensor(x)
    sizes = sizes_argument(sizes)
    lead = len(sizes) - x.ndim
    if lead < 0:
        raise OpInputError(f"expand: target {sizes} has fewer dims than the tensor's shape {tuple(x.shape)}")
    if any(n == -1 for n in sizes[:lead]):
        raise OpInputError(f"expand: -1 is not allowed for a new leading dim, got {sizes} for shape {tuple(x.shape)}")
    target = tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(sizes))
    for have, want in zip(x.shape, target[lead:]):
        if have != want and have != 1:
            raise OpInputError(f"expand: cannot broadcast shape {tuple(x.shape)} to {target}")
    return Expand.apply(x, shape=target)


def expand_as(x: Any, other: Any) -> Tensor:
    """``x`` expanded to ``other``'s shape."""
    return expand(x, tuple(as_tensor(other).shape))


broadcast_to = expand


def broadcast_shapes(*shapes: Any) -> Size:
    """The shape that all ``shapes`` broadcast to (NumPy's rule, as torch)."""
    try:
        return Size(backend.xp.broadcast_shapes(*(tuple(s) if isinstance(s, Sequence) else (int(s),) for s in shapes)))
    except ValueError as err:
        raise OpInputError(f"broadcast_shapes: shapes {list(shapes)} do not broadcast: {err}") from None


def broadcast_tensors(*tensors: Any) -> tuple[Tensor, ...]:
    """Every tensor expanded to their common broadcast shape."""
    ts = [as_tensor(t) for t in tensors]
    shape = broadcast_shapes(*(t.shape for t in ts))
    return tuple(t if t.shape == shape else expand(t, shape) for t in ts)


def squeeze(x: Any, dim: int | Sequence[int] | None = None, *, axis: Any = None) -> Tensor:
    """Drop size-1 dims (all of them, or those named); a named dim of size > 1 is kept, as torch."""
    x = as_tensor(x)
    dim = pick_dim(dim, axis, "squeeze")
    if dim is None:
        drop = {i for i, n in enumerate(x.shape) if n == 1}
    else:
        named = (dim,) if isinstance(dim, int) else tuple(dim)
        drop = {wrap_dim(d, x.ndim, "squeeze") for d in named}
        drop = {d for d in drop if x.ndim and x.shape[d] == 1}
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in drop))


def unsqueeze(x: Any, dim: int | None = None, *, axis: Any = None) -> Tensor:
    """Insert a size-1 dim at ``dim`` (negative counts from the new end)."""
    x = as_tensor(x)
    dim = pick_dim(dim, axis, "unsqueeze")
    if dim is None:
        raise TypeError("unsqueeze: missing the dim argument")
    dim = wrap_dim(dim, x.ndim + 1, "unsqueeze")
    return reshape(x, x.shape[:dim] + (1,) + x.shape[dim:])


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Dims ``start_dim``..``end_dim`` (inclusive) merged into one, as torch.flatten."""
    x = as_tensor(x)
    if x.ndim == 0:
        return reshape(x, 1)
    start, end = wrap_dim(start_dim, x.ndim, "flatten"), wrap_dim(end_dim, x.ndim, "flatten")
    if start > end:
        raise OpInputError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {tuple(x.shape)}")
    merged = math.prod(x.shape[start:end + 1])
    return reshape(x, tuple(x.shape[:start]) + (merged,) + tuple(x.shape[end + 1:]))


def ravel(x: Any) -> Tensor:
    """All elements in one dim, row-major: ``reshape(x, -1)``."""
    return reshape(x, -1)


def unflatten(x: Any, dim: int, sizes: Sequence[int]) -> Tensor:
    """Dim ``dim`` split into several of ``sizes`` (one may be -1): the inverse of flatten."""
    x = as_tensor(x)
    dim = wrap_dim(dim, x.ndim, "unflatten")
    sizes = tuple(int(n) for n in sizes)
    if not sizes:
        raise OpInputError("unflatten: sizes must be non-empty")
    sizes = infer_shape(sizes, x.shape[dim], "unflatten", tuple(x.shape))
    return reshape(x, tuple(x.shape[:dim]) + sizes + tuple(x.shape[dim + 1:]))


def _atleast(ndim: int, tensors: tuple[Any, ...]) -> Any:
    out = []
    for t in (tensors[0] if len(tensors) == 1 and isinstance(tensors[0], list | tuple) else tensors):
        t = as_tensor(t)
        if t.ndim < ndim:
            if ndim == 3 and t.ndim == 2:
                shape = tuple(t.shape) + (1,)  # (M, N) -> (M, N, 1)
            elif ndim == 3 and t.ndim == 1:
                shape = (1,) + tuple(t.shape) + (1,)  # (N,) -> (1, N, 1)
            else:
                shape = (1,) * (ndim - t.ndim) + tuple(t.shape)
            t = reshape(t, shape)
        out.append(t)
    return out[0] if len(out) == 1 and not (len(tensors) == 1 and isinstance(tensors[0], list | tuple)) else tuple(out)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least 1 dim (a 0-d one becomes shape (1,))."""
    return _atleast(1, tensors)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least 2 dims (new dims in front)."""
    return _atleast(2, tensors)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least 3 dims: (N,) -> (1, N, 1), (M, N) -> (M, N, 1), as torch."""
    return _atleast(3, tensors)
