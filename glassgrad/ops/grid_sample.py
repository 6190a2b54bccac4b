"""Spatial transformers: F.affine_grid makes a sampling grid from affine matrices, F.grid_sample reads an
image at the grid's points (bilinear or nearest), both differentiable in the image and in the grid.

Coordinates. A grid point (x, y) in [-1, 1] names a position in an image of width W (likewise y, H):

    align_corners=True:   ix = (x + 1) / 2 * (W - 1)     (-1 and 1 are the centres of the corner pixels)
    align_corners=False:  ix = ((x + 1) W - 1) / 2       (-1 and 1 are the outer edges of the corner pixels)

``padding_mode`` decides what lies outside the image: 'zeros' (out-of-image neighbours read 0),
'border' (ix is clamped into [0, W - 1]) or 'reflection' (ix is mirrored at the image's edges -- the
corner centres with align_corners, the outer edges without -- then clamped). Each of these maps
is piecewise linear, so d ix / d x is the scale above times +-1 (the sign of the mirror) or 0 where
the clamp holds, as torch's.

Bilinear: with x0 = floor(ix), a = ix - x0 (likewise y0, b), and v_ij = image[y0 + i, x0 + j]:

    out = (1-a)(1-b) v_00 + a(1-b) v_01 + (1-a) b v_10 + a b v_11
    d out / d image[y0 + i, x0 + j] = its weight          (scattered back, overlapping points add up)
    d out / d ix = (1-b)(v_01 - v_00) + b (v_11 - v_10),   d out / d iy = (1-a)(v_10 - v_00) + a (v_11 - v_01)

Nearest: out = image[round(iy), round(ix)] (halves to even, as torch); d out / d grid = 0.

affine_grid(theta, size) is a composition: the grid point of output pixel (h, w) is
theta @ (x_w, y_h, 1), with x_w the pixel's normalised coordinate (the inverse of the map above),
so its gradient is the matrix product's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from glassgrad import backend, ops
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.indexing import ArrayIndex, written_at
from glassgrad.tensor import Tensor, as_tensor

MODES = ("bilinear", "nearest")
PADDING_MODES = ("zeros", "border", "reflection")
_DEFAULT_WARNING = ("Default grid_sample and affine_grid behavior has changed to align_corners=False since 1.3.0. "
                    "Please specify align_corners=True if the old behavior is desired. See the documentation of "
                    "grid_sample for details.")


def _reflect(coord: Any, twice_low: int, twice_high: int) -> tuple[Any, Any]:
    """coord mirrored into [twice_low / 2, twice_high / 2], and d(result)/d(coord) (+-1)."""
    xp = backend.xp
    if twice_low == twice_high:
        return xp.zeros_like(coord), xp.zeros_like(coord)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    shifted = coord - low
    sign = xp.where(shifted < 0, -1.0, 1.0)
    distance = xp.abs(shifted)
    extra, flips = xp.fmod(distance, span), xp.floor(distance / span)
    even = flips % 2 == 0
    return xp.where(even, extra + low, span - extra + low), sign * xp.where(even, 1.0, -1.0)


def source_index(coord: Any, size: int, padding_mode: str, align_corners: bool) -> tuple[Any, Any]:
    """The pixel coordinate of each normalised grid coordinate and its derivative (see the module docstring)."""
    xp = backend.xp
    if align_corners:
        index, slope = (coord + 1) / 2 * (size - 1), (size - 1) / 2 * xp.ones_like(coord)
    else:
        index, slope = ((coord + 1) * size - 1) / 2, size / 2 * xp.ones_like(coord)
    if padding_mode == "reflection":
        bounds = (0, 2 * (size - 1)) if align_corners else (-1, 2 * size - 1)
        index, mirror = _reflect(index, *bounds)
        slope = slope * mirror
    if padding_mode in ("border", "reflection"):
        inside = (index > 0) & (index < size - 1)
        index, slope = xp.clip(index, 0, size - 1), slope * inside
    return index, slope


class GridSample2d(Op):
    """out[n, c, p] = the image n, c read at grid point p, bilinear or nearest; the derivatives are in the
    module docstring (the image's gradient is scattered back to the pixels each point read).

    Sums and writes are out of place (no ``+=``, no ``add.at``): a backward that records its graph runs the
    forward again and this backward on Tensors."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, image: Any, grid: Any, *, mode: str, padding_mode: str, align_corners: bool) -> Any:
        xp = backend.xp
        n, c, h, w = image.shape
        ix, dix = source_index(grid[..., 0], w, padding_mode, align_corners)
        iy, diy = source_index(grid[..., 1], h, padding_mode, align_corners)
        if mode == "nearest":
            corners = [(xp.rint(iy).astype(xp.int64), xp.rint(ix).astype(xp.int64), xp.ones_like(ix))]
        else:
            x_floor, y_floor = xp.floor(ix), xp.floor(iy)  # (constants: zero derivative)
            x0, y0 = x_floor.astype(xp.int64), y_floor.astype(xp.int64)
            a, b = ix - x_floor, iy - y_floor  # in the grid's dtype
            corners = [(y0, x0, (1 - a) * (1 - b)), (y0, x0 + 1, a * (1 - b)),
                       (y0 + 1, x0, (1 - a) * b), (y0 + 1, x0 + 1, a * b)]
            ctx.save_for_backward(a, b, dix, diy)
        pixels = xp.transpose(image, (0, 2, 3, 1)).reshape(n * h * w, c)  # one row of channels per pixel
        batch = xp.arange(n).reshape(n, 1, 1)
        out = 0
        reads = []
        for rows, cols, weight in corners:
            inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
            flat = (batch * h + xp.clip(rows, 0, h - 1)) * w + xp.clip(cols, 0, w - 1)
            values = pixels[flat] * inside[..., None]  # (N, Ho, Wo, C), 0 outside the image
            out = out + values * weight[..., None]
            reads.append((flat, inside, weight, values))
        ctx.reads, ctx.mode, ctx.image_shape = reads, mode, image.shape
        return xp.ascontiguousarray(xp.transpose(out, (0, 3, 1, 2)))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        n, c, h, w = ctx.image_shape
        g = xp.transpose(grad, (0, 2, 3, 1))  # (N, Ho, Wo, C)
        dimage = dgrid = None
        if ctx.needs_input_grad[0]:
            pixels = 0
            for flat, inside, weight, _ in ctx.reads:
                pixels = pixels + written_at((n * h * w, c), ArrayIndex(flat[inside]), (g * weight[..., None])[inside],
                                             accumulate=True)
            dimage = xp.transpose(pixels.reshape(n, h, w, c), (0, 3, 1, 2))
        if ctx.needs_input_grad[1]:
            if ctx.mode == "bilinear":
                a, b, dix, diy = ctx.saved
                v00, v01, v10, v11 = (values for *_, values in ctx.reads)
                d_ix = (1 - b)[..., None] * (v01 - v00) + b[..., None] * (v11 - v10)
                d_iy = (1 - a)[..., None] * (v10 - v00) + a[..., None] * (v11 - v01)
                dgrid = xp.stack([(g * d_ix).sum(axis=-1) * dix, (g * d_iy).sum(axis=-1) * diy], axis=-1)
            else:
                dgrid = xp.zeros(tuple(g.shape[:3]) + (2,), dtype=grad.dtype)
        return dimage, dgrid


def _align(align_corners: bool | None) -> bool:
    if align_corners is None:
        warnings.warn(_DEFAULT_WARNING, UserWarning, stacklevel=3)
        return False
    return bool(align_corners)


def grid_sample(input: Any, grid: Any, mode: str = "bilinear", padding_mode: str = "zeros",  # noqa: A002
                align_corners: bool | None = None) -> Tensor:
    """Read (N, C, H, W) images at the points of a (N, Ho, Wo, 2) grid of (x, y) in [-1, 1] -> (N, C, Ho, Wo)
    (torch's F.grid_sample for 4-D inputs; 'bicubic' and 5-D volumes are not implemented)."""
    x, g = as_tensor(input), as_tensor(grid)
    if mode not in MODES:
        if mode == "bicubic":
            raise NotImplementedError("grid_sample: mode='bicubic' is not implemented (use 'bilinear' or 'nearest')")
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
                         f"but got: '{mode}'")
    if padding_mode not in PADDING_MODES:
        raise ValueError(f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
                         f"'reflection', but got: '{padding_mode}'")
    if x.ndim == 5:
        raise NotImplementedError("grid_sample: 5-D (volumetric) inputs are not implemented")
    if x.ndim != 4 or g.ndim != 4 or g.shape[-1] != 2 or g.shape[0] != x.shape[0]:
        raise OpInputError(f"grid_sample: expected input (N, C, H, W) and grid (N, Ho, Wo, 2) with one N, got "
                           f"{tuple(x.shape)} and {tuple(g.shape)}")
    if x.dtype.kind != "f" or g.dtype != x.dtype:
        raise OpInputError(f"grid_sample: expected input and grid of one floating dtype, got {x.dtype} and {g.dtype}")
    return GridSample2d.apply(x, g, mode=mode, padding_mode=padding_mode, align_corners=_align(align_corners))


def _normalised_positions(steps: int, align_corners: bool, dtype: Any) -> Any:
    """The normalised coordinate of each of ``steps`` pixel centres (0 for a single pixel, as torch)."""
    if steps <= 1:
        return np.zeros(max(steps, 0), dtype=dtype)
    positions = np.linspace(-1.0, 1.0, steps, dtype=dtype)
    return positions if align_corners else positions * (steps - 1) / steps


def affine_grid(theta: Any, size: Any, align_corners: bool | None = None) -> Tensor:
    """The sampling grid of affine transforms: theta (N, 2, 3) and size (N, C, H, W) -> (N, H, W, 2), or theta
    (N, 3, 4) and size (N, C, D, H, W) -> (N, D, H, W, 3) (torch's F.affine_grid)."""
    t = as_tensor(theta)
    corners = _align(align_corners)
    if t.dtype.kind != "f":
        raise ValueError(f"Expected theta to have floating point type, but got {t.dtype}")
    size = [int(s) for s in size]
    spatial = len(size) - 2
    if spatial not in (2, 3):
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
                                  f"respectively. Got size {size}.")
    if t.ndim != 3 or tuple(t.shape[1:]) != (spatial, spatial + 1):
        raise ValueError(f"Expected a batch of {spatial}D affine matrices of shape Nx{spatial}x{spatial + 1} for "
                         f"size {size}. Got {tuple(t.shape)}.")
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    dtype = np.dtype(t.dtype)
    axes = [_normalised_positions(steps, corners, dtype) for steps in reversed(size[2:])]  # x (width) first
    mesh = list(np.meshgrid(*axes[::-1], indexing="ij"))[::-1]  # coordinates over (D,) H, W; x first
    base = np.stack(mesh + [np.ones_like(mesh[0])], axis=-1).reshape(-1, spatial + 1)  # (points, spatial + 1)
    base_t = Tensor._make(backend.xp.asarray(base), False)
    points = ops.matmul(base_t, t.transpose(1, 2))  # (N, points, spatial)
    return points.reshape([size[0]] + size[2:] + [spatial])
