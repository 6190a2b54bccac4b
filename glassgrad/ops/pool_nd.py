"""Pooling over any number of spatial axes: max pooling with indices, average pooling, max unpooling.

The window geometry is ``window.py``'s (``PoolGeometry``, the taps of ``tap_slices``), the same as
the 2-D ops of ``pool.py``; these plain N-d versions serve max_pool3d / avg_pool3d, the poolings
torch options that the 2-D fast path leaves out (``return_indices``, avg_pool's ``ceil_mode`` and
``divisor_override``), and max unpooling.

Max pooling is split in two. A search (no gradient) finds each window's winner as a flat index
into its (n, c) plane of the unpadded input, torch's ``indices``: a running maximum over the
taps, where a later tap takes over only when strictly greater (or NaN), so ties go to the
first tap in row-major order and a NaN window to its last NaN, as torch. Then one differentiable op reads the winners:

    GatherPositions:  y[n, c, j] = x[n, c, idx[n, c, j]];   dx[n, c, i] = sum_{j: idx[n, c, j] = i} dy[n, c, j]
    ScatterPositions: its adjoint, max unpooling: y[n, c, idx[n, c, j]] = x[n, c, j];  dx[n, c, j] = dy[n, c, idx]

(positions flattened over the spatial axes). Adaptive and fractional max pooling reuse the pair
with their own window search.

Average pooling: y = (sum over the window's taps of xpad) / divisor; dx = the share dy / divisor
added back to every tap. The divisor is torch's: the window clipped to the padded input
(``count_include_pad``) or to the real input, or ``divisor_override``. Integer inputs divide with
truncation toward zero, as torch's.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.arrays.window import PoolGeometry, lowest, out_size
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.conv_nd import ntuple
from glassgrad.ops.pool import sum_of_taps
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["avg_pool3d", "max_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d"]
TORCH_NAMES = ["max_pool3d"]
FUNCTIONAL_NAMES = ["avg_pool3d", "max_pool3d", "max_unpool1d", "max_unpool2d", "max_unpool3d"]


# ----- reading and writing at flat positions -------------------------------------------------------
class GatherPositions(Op):
    """y[n, c, j] = x[n, c, idx[n, c, j]] (positions flattened over the spatial axes);
    dx = dy added at idx (windows sharing a winner add their shares)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, indices: Any) -> Any:
        n, c = x.shape[:2]
        flat = indices.reshape(n, c, -1)
        ctx.x_shape, ctx.flat = x.shape, flat
        return backend.xp.take_along_axis(x.reshape(n, c, -1), flat, axis=2).reshape(indices.shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return scatter_add(grad, ctx.flat, ctx.x_shape)


class ScatterPositions(Op):
    """Max unpooling: y = zeros of ``out_shape`` with y[n, c, idx[n, c, j]] = x[n, c, j];
    dx[n, c, j] = dy[n, c, idx[n, c, j]] (the adjoint of GatherPositions)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, indices: Any, out_shape: tuple[int, ...]) -> Any:
        xp = backend.xp
        n, c = x.shape[:2]
        flat = indices.reshape(n, c, -1)
        y = xp.zeros((n, c, math.prod(out_shape[2:])), dtype=x.dtype)
        xp.put_along_axis(y, flat, x.reshape(n, c, -1), axis=2)
        ctx.flat, ctx.x_shape = flat, x.shape
        return y.reshape(out_shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        n, c = grad.shape[:2]
        return backend.xp.take_along_axis(grad.reshape(n, c, -1), ctx.flat, axis=2).reshape(ctx.x_shape)


def scatter_add(values: Any, flat: Any, shape: tuple[int, ...]) -> Any:
    """zeros(shape) with values (N, C, ...) added at the flat spatial positions ``flat`` (N, C, M)."""
    from glassgrad.ops.indexing import ArrayIndex, written_at  # (the WriteAt op on a Tensor: differentiable)

    xp = backend.xp
    n, c = shape[:2]
    rows = xp.repeat(xp.arange(n * c), flat.shape[2])
    positions = ArrayIndex((rows, flat.reshape(-1)))
    return written_at((n * c, math.prod(shape[2:])), positions, values.reshape(-1), accumulate=True).reshape(shape)


# ----- max pooling ---------------------------------------------------------------------------------
def max_pool_indices(x: Any, geometry: PoolGeometry) -> Any:
    """The flat index (into each (n, c) plane of x) of every window's maximum; ties to the first tap."""
    xp = backend.xp
    spatial = x.shape[2:]
    xpad = xp.pad(x, ((0, 0), (0, 0)) + geometry.pads, constant_values=lowest(x.dtype))
    strides = [math.prod(spatial[a + 1:]) for a in range(len(spatial))]  # flat-index step per axis
    grids = xp.meshgrid(*(xp.arange(o) for o in geometry.out_hw), indexing="ij")
    base = sum((g * s - p) * m for g, s, p, m in zip(grids, geometry.stride, geometry.padding, strides))
    best = best_index = None
    for tap, window in zip(itertools.product(*(range(k) for k in geometry.kernel)), geometry.taps()):
        candidate = xpad[(slice(None), slice(None)) + window]
        index = base + sum(t * d * m for t, d, m in zip(tap, geometry.dilation, strides))
        if best is None:
            best, best_index = candidate.copy(), xp.broadcast_to(index, candidate.shape).copy()
            continue
        better = candidate > best
        if x.dtype.kind == "f":  # a NaN wins, and a later NaN takes over (torch's winner is the last NaN)
            better |= xp.isnan(candidate)
        best = xp.where(better, candidate, best)
        best_index = xp.where(better, index, best_index)
    return best_index


def _pool_arguments(op: str, x: Tensor, spatial: int, kernel_size: Any, stride: Any, padding: Any,
                    dilation: Any = 1) -> tuple[tuple[int, ...], ...]:
    if x.ndim != spatial + 2:
        raise OpInputError(f"{op}: expected a {spatial + 1}-D (unbatched) or {spatial + 2}-D (batched) input, "
                           f"got shape {tuple(x.shape)}")
    kernel = ntuple(kernel_size, spatial, "kernel_size", op)
    stride = kernel if stride is None or stride == () or stride == [] else ntuple(stride, spatial, "stride", op)
    padding, dilation = ntuple(padding, spatial, "padding", op), ntuple(dilation, spatial, "dilation", op)
    if min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1 or min(padding) < 0:
        raise OpInputError(f"{op}: kernel {kernel}, stride {stride}, dilation {dilation} must be >= 1 and "
                           f"padding {padding} >= 0")
    if any(2 * p > d * (k - 1) + 1 for p, k, d in zip(padding, kernel, dilation)):
        raise OpInputError(f"{op}: pad should be at most half of effective kernel size, but got pad={padding}, "
                           f"kernel_size={kernel} and dilation={dilation}")
    return kernel, stride, padding, dilation


def _batch(x: Any, spatial: int) -> tuple[Tensor, bool]:
    t = as_tensor(x)
    return (t.unsqueeze(0), True) if t.ndim == spatial + 1 else (t, False)


def _geometry(op: str, x: Tensor, kernel: tuple[int, ...], stride: tuple[int, ...], padding: tuple[int, ...],
              dilation: tuple[int, ...], ceil_mode: bool) -> PoolGeometry:
    out = tuple(out_size(size, k, s, 2 * p, d, ceil_mode)
                for size, k, s, p, d in zip(x.shape[2:], kernel, stride, padding, dilation))
    if min(out) < 1:
        raise OpInputError(f"{op}: the window does not fit the input of shape {tuple(x.shape)} (output size {out})")
    return PoolGeometry.of(tuple(x.shape[2:]), kernel, stride, padding, dilation, out)


def max_pool_nd(op: str, input: Any, spatial: int, kernel_size: Any, stride: Any = None,  # noqa: A002
                padding: Any = 0, dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max pooling over ``spatial`` axes, torch's semantics (padding with -inf, ties to the first tap,
    NaN wins); with ``return_indices`` also the flat index of each maximum in its (n, c) plane."""
    x, unbatched = _batch(input, spatial)
    kernel, stride, padding, dilation = _pool_arguments(op, x, spatial, kernel_size, stride, padding, dilation)
    geometry = _geometry(op, x, kernel, stride, padding, dilation, ceil_mode)
    indices = max_pool_indices(x.array, geometry)
    y = GatherPositions.apply(x, indices=indices)
    if unbatched:
        y, indices = y.squeeze(0), indices[0]
    return (y, Tensor._make(indices, False)) if return_indices else y


def max_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,  # noqa: A002
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over (kd, kh, kw) windows (torch.nn.functional.max_pool3d): (N, C, D, H, W) or (C, D, H, W)."""
    return max_pool_nd("max_pool3d", input, 3, kernel_size, stride, padding, dilation, ceil_mode, return_indices)


# ----- average pooling -----------------------------------------------------------------------------
class AvgPoolNd(Op):
    """y = (sum over the taps of xpad) / divisor;  dx = crop(sum over the taps of dy / divisor)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, geometry: PoolGeometry, divisor: Any) -> Any:
        xp = backend.xp
        xpad = xp.pad(x, ((0, 0), (0, 0)) + geometry.pads)
        taps = geometry.taps()
        total = xp.copy(xpad[(slice(None), slice(None)) + taps[0]])
        for window in taps[1:]:
            total += xpad[(slice(None), slice(None)) + window]
        ctx.geometry, ctx.divisor, ctx.padded_shape = geometry, divisor, xpad.shape
        if x.dtype.kind in "iu":  # integers: the sum divided with truncation toward zero, as torch
            return (xp.sign(total) * (xp.abs(total) // divisor)).astype(x.dtype)
        return total / divisor

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        geometry = ctx.geometry
        share = grad / ctx.divisor
        taps = geometry.taps()
        dx = sum_of_taps(ctx.padded_shape, taps, [share] * len(taps))
        inner = tuple(slice(before, size - after) for (before, after), size in zip(geometry.pads, dx.shape[2:]))
        return dx[(slice(None), slice(None)) + inner]


def avg_divisor(geometry: PoolGeometry, sizes: tuple[int, ...], count_include_pad: bool,
                divisor_override: int | None, dtype: Any) -> Any:
    """Each window's divisor (out shape): torch's count of the window's positions inside the padded input
    (``count_include_pad``) or inside the input itself, or ``divisor_override``."""
    xp = backend.xp
    if divisor_override is not None:
        return xp.asarray(divisor_override, dtype=dtype)
    counts = []
    for size, k, s, p, o in zip(sizes, geometry.kernel, geometry.stride, geometry.padding, geometry.out_hw):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, size + p)
        if not count_include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, size)
        counts.append(end - start)
    divisor = counts[0]
    for count in counts[1:]:
        divisor = np.multiply.outer(divisor, count)
    return xp.asarray(divisor, dtype=dtype)


def avg_pool_nd(op: str, input: Any, spatial: int, kernel_size: Any, stride: Any = None,  # noqa: A002
                padding: Any = 0, ceil_mode: bool = False, count_include_pad: bool = True,
                divisor_override: int | None = None) -> Tensor:
    """Average pooling over ``spatial`` axes with torch's options (ceil_mode, count_include_pad, divisor_override)."""
    x, unbatched = _batch(input, spatial)
    kernel, stride, padding, _ = _pool_arguments(op, x, spatial, kernel_size, stride, padding)
    if divisor_override is not None and divisor_override == 0:
        raise OpInputError(f"{op}: divisor must be not zero")
    if x.dtype.kind == "b":
        raise NotImplementedError(f"{op}: not implemented for bool inputs (as torch)")
    geometry = _geometry(op, x, kernel, stride, padding, (1,) * spatial, ceil_mode)
    divisor = avg_divisor(geometry, tuple(x.shape[2:]), count_include_pad, divisor_override, x.dtype)
    y = AvgPoolNd.apply(x, geometry=geometry, divisor=divisor)
    return y.squeeze(0) if unbatched else y


def avg_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,  # noqa: A002
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over (kd, kh, kw) windows (torch.nn.functional.avg_pool3d): (N, C, D, H, W) or (C, D, H, W)."""
    return avg_pool_nd("avg_pool3d", input, 3, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override)


# ----- max unpooling -------------------------------------------------------------------------------
def max_unpool_nd(op: str, input: Any, indices: Any, spatial: int, kernel_size: Any, stride: Any = None,  # noqa: A002
                  padding: Any = 0, output_size: Any = None) -> Tensor:
    """Put each value back at its max pooling index, zeros elsewhere (torch's F.max_unpool{1,2,3}d)."""
    x, unbatched = _batch(input, spatial)
    idx = as_tensor(indices)
    idx_array = (idx.array[None] if unbatched else idx.array).astype(np.int64)
    if x.ndim != spatial + 2 or idx_array.shape != tuple(x.shape):
        raise OpInputError(f"{op}: expected input and indices of one shape, {spatial + 1}-D or {spatial + 2}-D, got "
                           f"{tuple(as_tensor(input).shape)} and {tuple(idx.shape)}")
    kernel = ntuple(kernel_size, spatial, "kernel_size", op)
    stride = kernel if stride is None else ntuple(stride, spatial, "stride", op)
    padding = ntuple(padding, spatial, "padding", op)
    default = tuple((size - 1) * s - 2 * p + k for size, s, p, k in zip(x.shape[2:], stride, padding, kernel))
    if output_size is None:
        sizes = default
    else:
        sizes = tuple(int(v) for v in output_size)[-spatial:]
        if len(tuple(output_size)) not in (spatial, spatial + 1, spatial + 2):
            raise OpInputError(f"{op}: output_size must have {spatial} or {spatial + 2} elements, got {output_size}")
        for size, base, s in zip(sizes, default, stride):
            if not base - s < size < base + s:
                raise OpInputError(f"{op}: invalid output_size {tuple(output_size)} (expected sizes between "
                                   f"{tuple(b - s + 1 for b, s in zip(default, stride))} and "
                                   f"{tuple(b + s - 1 for b, s in zip(default, stride))})")
    plane = math.prod(sizes)
    if idx_array.size and (idx_array.min() < 0 or idx_array.max() >= plane):
        raise OpInputError(f"{op}: found an invalid max index {int(idx_array.max())} for an output of size {sizes}")
    y = ScatterPositions.apply(x, indices=idx_array, out_shape=tuple(x.shape[:2]) + sizes)
    return y.squeeze(0) if unbatched else y


def max_unpool1d(input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
                 output_size: Any = None) -> Tensor:
    """The partial inverse of max_pool1d: (N, C, L) values and indices -> (N, C, Lo), zeros off the maxima."""
    return max_unpool_nd("max_unpool1d", input, indices, 1, kernel_size, stride, padding, output_size)


def max_unpool2d(input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
                 output_size: Any = None) -> Tensor:
    """The partial inverse of max_pool2d: (N, C, H, W) values and indices -> (N, C, Ho, Wo)."""
    return max_unpool_nd("max_unpool2d", input, indices, 2, kernel_size, stride, padding, output_size)


def max_unpool3d(input: Any, indices: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
                 output_size: Any = None) -> Tensor:
    """The partial inverse of max_pool3d: (N, C, D, H, W) values and indices -> (N, C, Do, Ho, Wo)."""
    return max_unpool_nd("max_unpool3d", input, indices, 3, kernel_size, stride, padding, output_size)
