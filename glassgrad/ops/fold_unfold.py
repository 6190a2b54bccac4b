"""Sliding blocks of an image as columns, and back: F.unfold (im2col) and F.fold (col2im).

unfold copies every (kh, kw) block of a zero-padded (N, C, H, W) image into a column:

    cols[n, (c, i, j), l] = xpad[n, c, y_l * sh + i * dh, x_l * sw + j * dw]     -> (N, C kh kw, L)

with l = (y_l, x_l) running row-major over the L = Ho * Wo block positions. fold is its adjoint:
every column element is added back at the pixel it came from (overlapping blocks add up), and
the padding is cropped. So each is the other's backward:

    unfold:  dx = fold(d cols)            fold:  d cols = unfold(dy)

Both are the convolution's own ``im2col``/``col2im`` (``im2col.py``), with the batch axis moved
in front; fold(unfold(x)) multiplies each pixel by the number of blocks that cover it.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.arrays.im2col import channel_major, crop2d
from glassgrad.arrays.window import ConvGeometry, pair
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.im2col_ops import col2im, im2col
from glassgrad.tensor import Tensor, as_tensor


def _to_columns(x: Any, geometry: ConvGeometry) -> Any:
    """(N, C, H, W) -> (N, C kh kw, L): im2col with the batch axis first."""
    n, c = x.shape[:2]
    cols = im2col(channel_major(x, geometry.pads), geometry.kernel, geometry.stride, geometry.dilation,
                  geometry.out_hw)  # (C, kh, kw, N, Ho, Wo)
    cols = backend.xp.moveaxis(cols, 3, 0)  # (N, C, kh, kw, Ho, Wo)
    return backend.xp.ascontiguousarray(cols).reshape(n, c * math.prod(geometry.kernel), math.prod(geometry.out_hw))


def _to_image(cols: Any, geometry: ConvGeometry) -> Any:
    """(N, C kh kw, L) -> (N, C, H, W): col2im (overlaps add up), padding cropped."""
    n = cols.shape[0]
    channels = cols.shape[1] // math.prod(geometry.kernel)
    blocks = cols.reshape((n, channels) + tuple(geometry.kernel) + tuple(geometry.out_hw))
    blocks = backend.xp.moveaxis(blocks, 0, 3)  # (C, kh, kw, N, Ho, Wo)
    image = col2im(blocks, geometry.padded_hw, geometry.stride, geometry.dilation)  # (C, N, Hp, Wp)
    return backend.xp.ascontiguousarray(crop2d(image, geometry.pads).swapaxes(0, 1))


class Unfold(Op):
    """cols = im2col(xpad) with the batch first;  dx = crop(col2im(d cols))."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, geometry: ConvGeometry) -> Any:
        ctx.geometry = geometry
        return _to_columns(x, geometry)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _to_image(grad, ctx.geometry)


class Fold(Op):
    """y = crop(col2im(cols)), the adjoint of Unfold;  d cols = im2col(pad(dy))."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, cols: Any, *, geometry: ConvGeometry) -> Any:
        ctx.geometry = geometry
        return _to_image(cols, geometry)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _to_columns(grad, ctx.geometry)


def _geometry(op: str, image_hw: tuple[int, int], kernel_size: Any, dilation: Any, padding: Any,
              stride: Any) -> ConvGeometry:
    kernel, dilation = pair(kernel_size, "kernel_size"), pair(dilation, "dilation")
    padding, stride = pair(padding, "padding"), pair(stride, "stride")
    if min(kernel) < 1 or min(dilation) < 1 or min(stride) < 1 or min(padding) < 0:
        raise OpInputError(f"{op}: kernel_size {kernel}, dilation {dilation} and stride {stride} must be positive "
                           f"and padding {padding} non-negative")
    geometry = ConvGeometry.of(image_hw, kernel, stride, (padding[0], padding[0], padding[1], padding[1]), dilation)
    if min(geometry.out_hw) < 1:
        raise OpInputError(f"{op}: the (dilated) kernel {kernel} does not fit the padded image {geometry.padded_hw}")
    return geometry


def unfold(input: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:  # noqa: A002
    """Every (kh, kw) block of (N, C, H, W) (or (C, H, W)) as a column: -> (N, C kh kw, L) (torch's F.unfold)."""
    x = as_tensor(input)
    if x.ndim not in (3, 4):
        raise OpInputError(f"unfold: expected a 3-D or 4-D (batched) image input, got shape {tuple(x.shape)}")
    unbatched = x.ndim == 3
    if unbatched:
        x = x.unsqueeze(0)
    y = Unfold.apply(x, geometry=_geometry("unfold", tuple(x.shape[2:]), kernel_size, dilation, padding, stride))
    return y.squeeze(0) if unbatched else y


def fold(input: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,  # noqa: A002
         stride: Any = 1) -> Tensor:
    """Columns (N, C kh kw, L) (or (C kh kw, L)) summed back into an (N, C, *output_size) image (torch's F.fold)."""
    cols = as_tensor(input)
    if cols.ndim not in (2, 3):
        raise OpInputError(f"fold: expected a 2-D or 3-D (batched) input, got shape {tuple(cols.shape)}")
    unbatched = cols.ndim == 2
    if unbatched:
        cols = cols.unsqueeze(0)
    geometry = _geometry("fold", pair(output_size, "output_size"), kernel_size, dilation, padding, stride)
    block = math.prod(geometry.kernel)
    if cols.shape[1] % block:
        raise OpInputError(f"fold: expected size of input's dimension 1 to be divisible by the product of "
                           f"kernel_size, but got input.size(1)={cols.shape[1]} and kernel_size={geometry.kernel}")
    if cols.shape[2] != math.prod(geometry.out_hw):
        raise OpInputError(f"fold: output_size={tuple(geometry.in_hw)} with kernel_size={geometry.kernel} gives "
                           f"{geometry.out_hw[0]} * {geometry.out_hw[1]} = {math.prod(geometry.out_hw)} sliding "
                           f"blocks, but got input.size(2)={cols.shape[2]}")
    y = Fold.apply(cols, geometry=geometry)
    return y.squeeze(0) if unbatched else y
