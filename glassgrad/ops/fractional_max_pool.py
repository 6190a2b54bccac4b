"""Fractional max pooling (Graham 2014): max pooling whose stride is a fraction, so the output can shrink
the input by any ratio, with pseudo-random window positions.

Along an axis of length L pooled by windows of k to n outputs, each (n, c) plane draws a sample
u in [0, 1) (``_random_samples``, or uniform draws from glassgrad's generator) and its windows start at

    s_i = floor((i + u) a) - floor(u a)  (i < n - 1),   s_{n-1} = L - k,    a = (L - k) / (n - 1)

(torch's sequence, computed in the input's dtype). Window i covers s_i .. s_i + k - 1. The 2-D form
takes u[..., 0] for the width and u[..., 1] for the height; the 3-D form u[..., 0], u[..., 1], u[..., 2]
for depth, height and width.

The search for each window's first maximum (a NaN wins, as torch) takes no gradient; the values
are read by ``pool_nd.GatherPositions``, so d y / d x is dy added at the winners, as max pooling's.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.ops.conv_nd import ntuple
from glassgrad.ops.pool_nd import GatherPositions
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor


def window_starts(samples: Any, size: int, kernel: int, out: int) -> Any:
    """The start of each of ``out`` windows for every plane's sample (..., ) -> (..., out)."""
    xp = backend.xp
    starts = xp.empty(samples.shape + (out,), dtype=xp.int64)
    if out > 1:
        alpha = samples.dtype.type((size - kernel) / (out - 1))
        steps = xp.arange(out - 1).astype(samples.dtype)
        starts[..., :-1] = ((steps + samples[..., None]) * alpha).astype(xp.int64) - (
            samples[..., None] * alpha).astype(xp.int64)
    starts[..., -1] = size - kernel
    return starts


def fractional_indices(x: Any, kernel: tuple[int, ...], out: tuple[int, ...], samples: Any,
                       order: tuple[int, ...]) -> Any:
    """The flat index (into each (n, c) plane) of every window's first maximum; ``order[a]`` names the
    sample column of spatial axis a."""
    xp = backend.xp
    n, c, sizes = x.shape[0], x.shape[1], x.shape[2:]
    spatial = len(sizes)
    plane_strides = [math.prod(sizes[a + 1:]) for a in range(spatial)]
    starts = []
    for a in range(spatial):  # start positions broadcast over the output grid: (N, C, 1.., out_a, ..1)
        shape = (n, c) + tuple(out[a] if b == a else 1 for b in range(spatial))
        starts.append(window_starts(samples[:, :, order[a]], sizes[a], kernel[a], out[a]).reshape(shape))
    flat_x = x.reshape(n, c, -1)
    best = best_index = None
    for tap in itertools.product(*(range(k) for k in kernel)):
        index = sum((starts[a] + tap[a]) * plane_strides[a] for a in range(spatial))
        index = xp.broadcast_to(index, (n, c) + tuple(out))
        candidate = xp.take_along_axis(flat_x, index.reshape(n, c, -1), axis=2).reshape(index.shape)
        if best is None:
            best, best_index = candidate, index.copy()
            continue
        better = candidate > best
        if x.dtype.kind == "f":
            better |= xp.isnan(candidate)  # a later NaN takes over: the last NaN wins, as torch's
        best, best_index = xp.where(better, candidate, best), xp.where(better, index, best_index)
    return best_index


def fractional_max_pool_nd(op: str, input: Any, spatial: int, kernel_size: Any, output_size: Any = None,  # noqa: A002
                           output_ratio: Any = None, return_indices: bool = False, _random_samples: Any = None,
                           order: tuple[int, ...] = (0, 1, 2)) -> Any:
    """Fractional max pooling over ``spatial`` axes (torch's F.fractional_max_pool{2,3}d)."""
    x = as_tensor(input)
    if x.ndim not in (spatial + 1, spatial + 2):
        raise OpInputError(f"{op}: expected a {spatial + 1}-D or {spatial + 2}-D input, got shape {tuple(x.shape)}")
    unbatched = x.ndim == spatial + 1
    if unbatched:
        x = x.unsqueeze(0)
    if output_size is None and output_ratio is None:
        raise ValueError(f"{op} requires specifying either an output_size or an output_ratio")
    sizes = tuple(x.shape[2:])
    kernel = ntuple(kernel_size, spatial, "kernel_size", op)
    if output_size is None:
        ratios = (output_ratio,) * spatial if isinstance(output_ratio, int | float) else tuple(output_ratio)
        out = tuple(int(size * r) for size, r in zip(sizes, ratios))
    else:
        out = ntuple(output_size, spatial, "output_size", op)
    for size, k, o in zip(sizes, kernel, out):  # torch's 3-D check is strict, its 2-D one is not
        if o < 1 or o + k - 1 > size or (spatial == 3 and o + k - 1 == size):
            raise OpInputError(f"{op}: pool size {kernel} too large relative to the input {sizes} for the output "
                               f"size {out}")
    n, c = x.shape[:2]
    if _random_samples is None:
        samples = resolve_rng(None).random((n, c, spatial)).astype(x.dtype)
    else:
        samples = backend.xp.asarray(as_tensor(_random_samples).array, dtype=x.dtype)
        if samples.ndim != 3 or samples.shape[0] < n or samples.shape[1:] != (c, spatial):
            raise OpInputError(f"{op}: _random_samples must have shape (at least {n}, {c}, {spatial}), got "
                               f"{samples.shape}")
        samples = samples[:n]  # torch reads the first N planes' samples
    indices = fractional_indices(x.array, kernel, out, backend.xp.asarray(samples), order[:spatial])
    y = GatherPositions.apply(x, indices=indices)
    if unbatched:
        y, indices = y.squeeze(0), indices[0]
    return (y, Tensor._make(indices, False)) if return_indices else y


def fractional_max_pool2d(input: Any, kernel_size: Any, output_size: Any = None,  # noqa: A002
                          output_ratio: Any = None, return_indices: bool = False,
                          _random_samples: Any = None) -> Any:
    """Max pooling of (N, C, H, W) or (C, H, W) to ``output_size`` (or ``output_ratio`` of the input) with
    pseudo-random (kh, kw) windows."""
    return fractional_max_pool_nd("fractional_max_pool2d", input, 2, kernel_size, output_size, output_ratio,
                                  return_indices, _random_samples, order=(1, 0))


def fractional_max_pool3d(input: Any, kernel_size: Any, output_size: Any = None,  # noqa: A002
                          output_ratio: Any = None, return_indices: bool = False,
                          _random_samples: Any = None) -> Any:
    """Max pooling of (N, C, D, H, W) or (C, D, H, W) to ``output_size`` (or ``output_ratio``) with
    pseudo-random (kd, kh, kw) windows."""
    return fractional_max_pool_nd("fractional_max_pool3d", input, 3, kernel_size, output_size, output_ratio,
                                  return_indices, _random_samples, order=(0, 1, 2))

