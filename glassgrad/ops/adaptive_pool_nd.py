"""Adaptive pooling over 1 or 3 spatial axes: adaptive_avg_pool3d, adaptive_max_pool1d, adaptive_max_pool3d.

The windows are torch's adaptive ones (``adaptive_max_pool.window_bounds``): output cell i of an
axis of length L pooled to n cells covers floor(i L / n) .. ceil((i + 1) L / n) - 1.

Average: the windows are separable, so each axis is one constant matrix M_a (n_a, L_a) whose row i
averages window i (``resample.adaptive_avg_matrix``), applied along its axis:

    y = x x_1 M_1 x_2 M_2 x_3 M_3,    dx = dy x_1 M_1^T x_2 M_2^T x_3 M_3^T   (x_a: product along axis a)

Max: a search (no gradient) finds the flat index of each window's first maximum, and
``pool_nd.GatherPositions`` reads those positions (its gradient adds dy back at them), as in
max pooling.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.adaptive_max_pool import window_argmax, window_bounds
from glassgrad.ops.pool_nd import GatherPositions
from glassgrad.ops.resample import adaptive_avg_matrix
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool3d"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool3d"]


class AxisMatrices(Op):
    """y = x multiplied along each spatial axis a by a constant matrix M_a (out_a, in_a);
    dx = dy multiplied along each axis by M_a^T."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, matrices: tuple[Any, ...]) -> Any:
        ctx.matrices = matrices
        return _along_axes(x, matrices, transpose=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _along_axes(grad, ctx.matrices, transpose=True)


def _along_axes(x: Any, matrices: tuple[Any, ...], transpose: bool) -> Any:
    xp = backend.xp
    for offset, m in enumerate(matrices):
        axis = 2 + offset
        x = xp.moveaxis(xp.tensordot(x, m.T if transpose else m, axes=([axis], [1])), -1, axis)
    return x


def _output_sizes(op: str, x: Tensor, output_size: Any, spatial: int) -> tuple[int, ...]:
    sizes = (output_size,) * spatial if output_size is None or isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != spatial:
        raise OpInputError(f"{op}: output_size must be an int or {spatial} values, got {output_size}")
    out = tuple(x.shape[2 + a] if sizes[a] is None else int(sizes[a]) for a in range(spatial))
    if min(out) < 1 or min(x.shape[2:]) < 1:
        raise OpInputError(f"{op}: output_size {out} and the input's spatial sizes {tuple(x.shape[2:])} must be "
                           "positive")
    return out


def _batch(op: str, input: Any, spatial: int) -> tuple[Tensor, bool]:  # noqa: A002
    x = as_tensor(input)
    if x.ndim not in (spatial + 1, spatial + 2):
        raise OpInputError(f"{op}: expected a {spatial + 1}-D or {spatial + 2}-D input, got shape {tuple(x.shape)}")
    return (x.unsqueeze(0), True) if x.ndim == spatial + 1 else (x, False)


def adaptive_avg_pool3d(input: Any, output_size: Any) -> Tensor:  # noqa: A002
    """Average pooling of (N, C, D, H, W) or (C, D, H, W) to ``output_size`` (an int or a triple, None keeps a size)."""
    x, unbatched = _batch("adaptive_avg_pool3d", input, 3)
    out = _output_sizes("adaptive_avg_pool3d", x, output_size, 3)
    matrices = tuple(backend.xp.asarray(adaptive_avg_matrix(size, o, np.dtype(x.dtype)))
                     for size, o in zip(x.shape[2:], out))
    y = AxisMatrices.apply(x, matrices=matrices)
    return y.squeeze(0) if unbatched else y


def adaptive_max_indices(x: Any, out: tuple[int, ...]) -> Any:
    """The flat index (into each (n, c) plane) of the first maximum of every adaptive window."""
    xp = backend.xp
    n, c, sizes = x.shape[0], x.shape[1], x.shape[2:]
    bounds = [window_bounds(size, o) for size, o in zip(sizes, out)]
    indices = xp.empty((n, c) + out, dtype=xp.int64)
    for cell in itertools.product(*(range(o) for o in out)):
        window = tuple(slice(*bounds[a][i]) for a, i in enumerate(cell))
        values = x[(slice(None), slice(None)) + window]
        local = window_argmax(values.reshape(n, c, -1))  # the first maximum, or the last NaN (as torch)
        coords = xp.unravel_index(local, values.shape[2:])
        starts = [s.start for s in window]
        indices[(slice(None), slice(None)) + cell] = xp.ravel_multi_index(
            tuple(k + start for k, start in zip(coords, starts)), sizes)
    return indices


def adaptive_max_pool_nd(op: str, input: Any, output_size: Any, spatial: int,  # noqa: A002
                         return_indices: bool = False) -> Any:
    """The max over torch's adaptive windows; with ``return_indices`` also each maximum's flat index."""
    x, unbatched = _batch(op, input, spatial)
    indices = adaptive_max_indices(x.array, _output_sizes(op, x, output_size, spatial))
    y = GatherPositions.apply(x, indices=indices)
    if unbatched:
        y, indices = y.squeeze(0), indices[0]
    return (y, Tensor._make(indices, False)) if return_indices else y


def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False) -> Any:  # noqa: A002
    """Max pooling of (N, C, L) or (C, L) to ``output_size`` cells with torch's adaptive windows."""
    return adaptive_max_pool_nd("adaptive_max_pool1d", input, output_size, 1, return_indices)


def adaptive_max_pool3d(input: Any, output_size: Any, return_indices: bool = False) -> Any:  # noqa: A002
    """Max pooling of (N, C, D, H, W) or (C, D, H, W) to ``output_size`` with torch's adaptive windows."""
    return adaptive_max_pool_nd("adaptive_max_pool3d", input, output_size, 3, return_indices)
