"""Resizing, cropping, padding and flipping, for PIL images, image arrays and Tensors.

PIL images go through Pillow (``Image.resize``, ``Image.crop``, ``ImageOps.expand``), as
torchvision does. Tensors are resized by the weight matrices of
:mod:`glassgrad.vision.transforms.resize_weights` (``out = W_h @ x @ W_w^T``, differentiable),
and cropped and flipped by indexing (differentiable too). Image arrays, the PIL stand-in, follow
PIL's conventions: bilinear and bicubic are always antialiased, nearest takes the pixel under
each output pixel's centre.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.tensor import Tensor
from glassgrad.vision.transforms.image_kinds import (
    Image,
    apply_planar,
    cast_back,
    get_dimensions,
    get_size,
    kind,
    tensor_from_array,
)
from glassgrad.vision.transforms.interpolation import PIL_MODES, InterpolationMode, to_mode
from glassgrad.vision.transforms.resize_weights import resize_weights


def resized_size(height: int, width: int, size: int | Sequence[int], max_size: int | None = None) -> tuple[int, int]:
    """The output (height, width): ``size`` itself, or, for one number, the smaller edge set to it
    and the other scaled to keep the aspect ratio (truncated), capped by ``max_size``."""
    if isinstance(size, Sequence) and len(size) == 2:
        if max_size is not None:
            raise ValueError("max_size should only be passed if size specifies the length of the smaller edge, "
                             "i.e. size should be an int or a sequence of length 1 in torchscript mode.")
        return int(size[0]), int(size[1])
    requested = int(size[0] if isinstance(size, Sequence) else size)
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = requested, int(requested * long / short)
    if max_size is not None:
        if max_size <= requested:
            raise ValueError(f"max_size = {max_size} must be strictly greater than the requested size for the "
                             f"smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return (new_long, new_short) if width <= height else (new_short, new_long)


def resize(img: Image, size: int | Sequence[int], interpolation: Any = InterpolationMode.BILINEAR,
           max_size: int | None = None, antialias: bool | None = True) -> Image:
    """Resize to ``size`` ((h, w), or one number for the smaller edge); see the module docstring.

    ``antialias`` matters for tensors only (PIL images and arrays are always antialiased when
    bilinear or bicubic); None means False for tensors, as torchvision.
    """
    mode = to_mode(interpolation)
    if isinstance(size, Sequence) and len(size) not in (1, 2):
        raise ValueError(f"Size must be an int or a 1 or 2 element tuple/list, not a {len(size)} element tuple/list")
    if not isinstance(size, int | Sequence):
        raise TypeError(f"Size should be int or sequence. Got {type(size).__name__}")
    which = kind(img)
    height, width = get_size(img)
    out_h, out_w = resized_size(height, width, size, max_size)
    if out_h <= 0 or out_w <= 0:
        raise ValueError(f"resize: output size ({out_h}, {out_w}) must be positive")
    if (out_h, out_w) == (height, width):
        return img
    if which == "pil":
        if antialias is False:
            warnings.warn("Anti-alias option is always applied for PIL Image input. Argument antialias is ignored.",
                          stacklevel=2)
        return img.resize((out_w, out_h), PIL_MODES[mode])
    if which == "array":
        name = "nearest-exact" if mode in (InterpolationMode.NEAREST, InterpolationMode.NEAREST_EXACT) else mode.value
        w_h, w_w = resize_weights(height, out_h, name, True), resize_weights(width, out_w, name, True)
        values = img.astype(np.float64)
        values = np.moveaxis(values, -1, 0) if values.ndim == 3 else values  # (C, H, W)
        out = w_h @ values @ w_w.T
        return cast_back(np.moveaxis(out, 0, -1) if out.ndim == 3 else out, img.dtype)
    if mode not in (InterpolationMode.NEAREST, InterpolationMode.NEAREST_EXACT, InterpolationMode.BILINEAR,
                    InterpolationMode.BICUBIC):
        raise ValueError(f"Interpolation mode '{mode.value}' is unsupported with Tensor input")
    smooth = bool(antialias) and mode in (InterpolationMode.BILINEAR, InterpolationMode.BICUBIC)
    w_h, w_w = resize_weights(height, out_h, mode.value, smooth), resize_weights(width, out_w, mode.value, smooth)
    is_float = img.dtype.kind == "f"
    dtype = img.dtype if is_float else np.dtype(np.float32)
    x = img if is_float else tensor_from_array(backend.to_numpy(img.array).astype(dtype))
    out = Tensor(w_h.astype(dtype)) @ x @ Tensor(w_w.T.astype(dtype))  # (..., out_h, out_w)
    if is_float:
        return out
    return tensor_from_array(cast_back(backend.to_numpy(out.array), img.dtype))


# ----- padding ----------------------------------------------------------------------------------------
def pad_widths(padding: int | Sequence[int]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) from torchvision's 1-, 2- or 4-number padding."""
    if isinstance(padding, int):
        return padding, padding, padding, padding
    if not isinstance(padding, Sequence):
        raise TypeError("Got inappropriate padding arg")
    if len(padding) not in (1, 2, 4):
        raise ValueError(f"Padding must be an int or a 1, 2, or 4 element tuple, not a {len(padding)} element tuple")
    values = [int(p) for p in padding]
    if len(values) == 1:
        return values[0], values[0], values[0], values[0]
    if len(values) == 2:
        return values[0], values[1], values[0], values[1]
    return values[0], values[1], values[2], values[3]


def _fill_for(fill: Any, channels: int, integer: bool) -> tuple[Any, ...] | Any:
    """PIL's fill colour: one number per channel (ints unless the image is float)."""
    fill = 0 if fill is None else fill
    if isinstance(fill, int | float) and channels > 1:
        fill = (fill,) * channels
    if isinstance(fill, list | tuple):
        if len(fill) == 1:
            fill = tuple(fill) * channels
        elif len(fill) != channels:
            raise ValueError(f"The number of elements in 'fill' does not match the number of channels of the image "
                             f"({len(fill)} != {channels})")
        return tuple(int(v) if integer else v for v in fill)
    return int(fill) if integer else fill


def pad(img: Image, padding: int | Sequence[int], fill: Any = 0, padding_mode: str = "constant") -> Image:
    """Add ``padding`` pixels around the image: constant ``fill``, or 'edge', 'reflect', 'symmetric'.
    Negative widths crop instead."""
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
    widths = pad_widths(padding)
    which = kind(img)
    if which == "pil" and padding_mode == "constant" and min(widths) >= 0:
        from PIL import ImageOps

        fill_color = _fill_for(fill, len(img.getbands()), img.mode != "F")
        return ImageOps.expand(img, border=widths, fill=fill_color)
    if which == "pil":
        from glassgrad.vision.image_backend import pil_image_module

        return pil_image_module().fromarray(pad(np.asarray(img), padding, fill, padding_mode))
    if which == "tensor" and fill is not None and not isinstance(fill, int | float):
        raise TypeError("Got inappropriate fill arg")
    return apply_planar(img, lambda x: _pad_planar(x, widths, 0 if fill is None else fill, padding_mode))


def _pad_planar(x: np.ndarray, widths: tuple[int, int, int, int], fill: Any, padding_mode: str) -> np.ndarray:
    left, top, right, bottom = widths
    height, width = x.shape[-2:]
    x = x[..., max(-top, 0):height - max(-bottom, 0), max(-left, 0):width - max(-right, 0)]  # negative: crop
    spec = [(0, 0)] * (x.ndim - 2) + [(max(top, 0), max(bottom, 0)), (max(left, 0), max(right, 0))]
    if padding_mode == "constant":
        if isinstance(fill, list | tuple):
            fill = np.asarray(fill, dtype=x.dtype).reshape(-1, 1, 1)
            out = np.pad(x, spec)
            mask = np.pad(np.zeros(x.shape[-2:], bool), spec[-2:], constant_values=True)
            return np.where(mask, fill, out).astype(x.dtype)
        return np.pad(x, spec, mode="constant", constant_values=np.asarray(fill).astype(x.dtype))
    return np.pad(x, spec, mode=padding_mode)


# ----- cropping and flipping ------------------------------------------------------------------------
def crop(img: Image, top: int, left: int, height: int, width: int) -> Image:
    """The ``height`` x ``width`` window whose top-left corner is (top, left); parts outside the image are 0."""
    which = kind(img)
    if which == "pil":
        return img.crop((left, top, left + width, top + height))
    image_h, image_w = get_size(img)
    bottom, right = top + height, left + width
    if top < 0 or left < 0 or bottom > image_h or right > image_w:
        widths = (max(-left, 0), max(-top, 0), max(right - image_w, 0), max(bottom - image_h, 0))
        img = crop(img, max(top, 0), max(left, 0), min(bottom, image_h) - max(top, 0),
                   min(right, image_w) - max(left, 0))
        return pad(img, list(widths))
    if which == "array":
        return img[top:bottom, left:right]
    return img[..., top:bottom, left:right]


def center_crop(img: Image, output_size: int | Sequence[int]) -> Image:
    """The central window of ``output_size`` (zero-padded first when the image is smaller)."""
    if isinstance(output_size, int | float):
        out_h, out_w = int(output_size), int(output_size)
    elif isinstance(output_size, Sequence) and len(output_size) == 1:
        out_h, out_w = int(output_size[0]), int(output_size[0])
    else:
        out_h, out_w = int(output_size[0]), int(output_size[1])
    height, width = get_size(img)
    if out_h > height or out_w > width:
        img = pad(img, [(out_w - width) // 2 if out_w > width else 0, (out_h - height) // 2 if out_h > height else 0,
                        (out_w - width + 1) // 2 if out_w > width else 0,
                        (out_h - height + 1) // 2 if out_h > height else 0])
        height, width = get_size(img)
        if (out_h, out_w) == (height, width):
            return img
    return crop(img, int(round((height - out_h) / 2.0)), int(round((width - out_w) / 2.0)), out_h, out_w)


def resized_crop(img: Image, top: int, left: int, height: int, width: int, size: int | Sequence[int],
                 interpolation: Any = InterpolationMode.BILINEAR, antialias: bool | None = True) -> Image:
    """:func:`crop`, then :func:`resize` to ``size``."""
    return resize(crop(img, top, left, height, width), size, interpolation, antialias=antialias)


def hflip(img: Image) -> Image:
    """Mirror left-right."""
    which = kind(img)
    if which == "pil":
        return img.transpose(0)  # Image.Transpose.FLIP_LEFT_RIGHT
    return img[:, ::-1].copy() if which == "array" else img.flip(-1)


def vflip(img: Image) -> Image:
    """Mirror top-bottom."""
    which = kind(img)
    if which == "pil":
        return img.transpose(1)  # Image.Transpose.FLIP_TOP_BOTTOM
    return img[::-1].copy() if which == "array" else img.flip(-2)


def five_crop(img: Image, size: int | Sequence[int]) -> tuple[Image, Image, Image, Image, Image]:
    """The four corner crops and the central crop of ``size``."""
    crop_h, crop_w = (int(size), int(size)) if isinstance(size, int) else \
        (int(size[0]), int(size[0] if len(size) == 1 else size[1]))
    _, height, width = get_dimensions(img)
    if crop_w > width or crop_h > height:
        raise ValueError(f"Requested crop size {(crop_h, crop_w)} is bigger than input size {(height, width)}")
    return (crop(img, 0, 0, crop_h, crop_w), crop(img, 0, width - crop_w, crop_h, crop_w),
            crop(img, height - crop_h, 0, crop_h, crop_w), crop(img, height - crop_h, width - crop_w, crop_h, crop_w),
            center_crop(img, [crop_h, crop_w]))


def ten_crop(img: Image, size: int | Sequence[int], vertical_flip: bool = False) -> tuple[Image, ...]:
    """:func:`five_crop` of the image and of its mirror image (``vertical_flip``: flipped top-bottom)."""
    return five_crop(img, size) + five_crop(vflip(img) if vertical_flip else hflip(img), size)
