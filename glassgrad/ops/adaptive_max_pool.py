"""Adaptive max pooling: the max over windows chosen so that the output has a fixed size.

Output cell i of an axis of length L pooled to n cells reads the input positions
``floor(i * L / n)`` up to ``ceil((i + 1) * L / n)`` (excluded): the windows cover the axis,
neighbouring ones may overlap by one, and their sizes differ by at most one (torch's rule).

    y[n, c, i, j] = max over the window (i, j) of x[n, c, :, :]
    dx = dy sent to the position that won each window (its first maximum); windows that
         overlap add their shares at a shared winner.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor


def window_bounds(length: int, cells: int) -> list[tuple[int, int]]:
    """(start, stop) of each of the ``cells`` adaptive windows over an axis of ``length``."""
    return [((i * length) // cells, -((-(i + 1) * length) // cells)) for i in range(cells)]


def window_argmax(values: Any) -> Any:
    """The position along the last axis of each row's maximum: the first maximum, or the last NaN where
    the row holds one (torch's winner: a NaN is the maximum, and a later NaN takes over)."""
    xp = backend.xp
    best = values.argmax(axis=-1)
    if values.dtype.kind == "f":
        nan = xp.isnan(values)
        has_nan = nan.any(axis=-1)
        if has_nan.any():
            best = xp.where(has_nan, values.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1), best)
    return best


class AdaptiveMaxPool2d(Op):
    """y = max over each adaptive window; dx = dy at each window's (first) maximum (last NaN), 0 elsewhere."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, out_hw: tuple[int, int]) -> Any:
        xp = backend.xp
        n, c, h, w = x.shape
        rows, cols = window_bounds(h, out_hw[0]), window_bounds(w, out_hw[1])
        y = xp.empty((n, c, *out_hw), dtype=x.dtype)
        winners = xp.empty((n, c, *out_hw), dtype=xp.int64)  # flat index h * W + w of each window's max
        for i, (r0, r1) in enumerate(rows):
            for j, (c0, c1) in enumerate(cols):
                window = x[:, :, r0:r1, c0:c1].reshape(n, c, -1)
                best = window_argmax(window)
                y[:, :, i, j] = xp.take_along_axis(window, best[..., None], axis=-1)[..., 0]
                winners[:, :, i, j] = (r0 + best // (c1 - c0)) * w + c0 + best % (c1 - c0)
        ctx.x_shape, ctx.winners = x.shape, winners
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        n, c, h, w = ctx.x_shape
        dx = xp.zeros((n * c, h * w), dtype=grad.dtype)
        rows = xp.repeat(xp.arange(n * c), grad[0, 0].size)
        xp.add.at(dx, (rows, ctx.winners.reshape(-1)), grad.reshape(-1))
        return dx.reshape(ctx.x_shape)


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False) -> Any:  # noqa: A002
    """F.adaptive_max_pool2d: (N, C, H, W) or (C, H, W) -> (..., Ho, Wo); ``output_size`` an int or a pair
    whose entries may be None (keep that size). ``return_indices`` also gives each max's flat index h * W + w."""
    x = as_tensor(input)
    if x.ndim not in (3, 4):
        raise OpInputError(f"adaptive_max_pool2d: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape "
                           f"{tuple(x.shape)}")
    unbatched = x.ndim == 3
    if unbatched:
        x = x.unsqueeze(0)
    sizes = (output_size, output_size) if output_size is None or isinstance(output_size, int) else output_size
    out_hw = tuple(x.shape[2 + k] if sizes[k] is None else int(sizes[k]) for k in range(2))
    if min(out_hw) < 1:
        raise OpInputError(f"adaptive_max_pool2d: output_size must be positive, got {output_size}")
    if x.shape[2] == 0 or x.shape[3] == 0:
        raise OpInputError(f"adaptive_max_pool2d: the input has an empty spatial dimension (shape {tuple(x.shape)})")
    y = AdaptiveMaxPool2d.apply(x, out_hw=out_hw)
    if not return_indices:
        return y.squeeze(0) if unbatched else y
    winners = _winner_indices(x, out_hw)
    if unbatched:
        return y.squeeze(0), winners.squeeze(0)
    return y, winners


def _winner_indices(x: Tensor, out_hw: tuple[int, ...]) -> Tensor:
    """The flat index of each window's max (the forward run again on the array: indices take no gradient)."""
    ctx = Context()
    AdaptiveMaxPool2d.forward(ctx, x.array, out_hw=out_hw)
    return Tensor._make(ctx.winners, False)
