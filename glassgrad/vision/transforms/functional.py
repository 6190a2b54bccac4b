"""The image functions behind ``vision.transforms`` (torchvision's ``transforms.functional``).

Two kinds of "image" are accepted, as torchvision accepts PIL images and tensors:

- a NumPy array (H, W) or (H, W, C), usually uint8: glassgrad's stand-in for a
  PIL image (what ``datasets.MNIST`` hands to its transform);
- a Tensor (..., C, H, W) (or (H, W)), usually float.

Each function returns the kind it was given. Resizing is a product with two
weight matrices, ``out = W_h @ image @ W_w^T`` (one row of weights per output
pixel), so on Tensors it is differentiable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.tensor import Tensor

Image = Any  # np.ndarray (H, W[, C]) or Tensor (..., C, H, W)


def _is_array(img: Image) -> bool:
    if isinstance(img, np.ndarray):
        if img.ndim not in (2, 3):
            raise ValueError(f"an image array must be (H, W) or (H, W, C), got shape {img.shape}")
        return True
    if isinstance(img, Tensor):
        if img.ndim < 2:
            raise ValueError(f"an image tensor must be (..., C, H, W) or (H, W), got shape {tuple(img.shape)}")
        return False
    raise TypeError(f"image should be a NumPy array (H, W[, C]) or a Tensor (..., C, H, W), got {type(img).__name__}")


def get_size(img: Image) -> tuple[int, int]:
    """(height, width) of an image of either kind."""
    return (int(img.shape[0]), int(img.shape[1])) if _is_array(img) else (int(img.shape[-2]), int(img.shape[-1]))


def to_tensor(pic: np.ndarray) -> Tensor:
    """(H, W) or (H, W, C) array -> (C, H, W) Tensor; uint8 is scaled to float in [0, 1], other dtypes kept."""
    if isinstance(pic, Tensor) or not isinstance(pic, np.ndarray):
        raise TypeError(f"to_tensor: pic should be an image array (H, W[, C]). Got {type(pic).__name__}")
    _is_array(pic)
    chw = (pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)).copy()  # (C, H, W)
    if chw.dtype == np.uint8:
        chw = chw.astype(backend.get_default_dtype()) / np.asarray(255, dtype=backend.get_default_dtype())
    return Tensor._make(backend.xp.asarray(chw), False)


def normalize(tensor: Tensor, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> Tensor:
    """``(tensor - mean[c]) / std[c]`` for each channel c of a (..., C, H, W) float Tensor."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"normalize: img should be a Tensor. Got {type(tensor).__name__}")
    if tensor.dtype.kind != "f":
        raise TypeError(f"normalize: input tensor should be a float tensor. Got {tensor.dtype}")
    if tensor.ndim < 3:
        raise ValueError(f"normalize: expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tuple(tensor.shape)}")
    mean_array = np.asarray(mean, dtype=tensor.dtype).reshape(-1, 1, 1)  # (C, 1, 1)
    std_array = np.asarray(std, dtype=tensor.dtype).reshape(-1, 1, 1)
    if np.any(std_array == 0):
        raise ValueError(f"normalize: std evaluated to zero after conversion to {tensor.dtype}, leading to division "
                         "by zero.")
    if not (np.isfinite(mean_array).all() and np.isfinite(std_array).all()):
        raise ValueError(f"normalize: mean {list(mean)} and std {list(std)} must be finite")
    channels = tensor.shape[-3]
    for name, values in (("mean", mean_array), ("std", std_array)):
        if values.shape[0] not in (1, channels):
            raise ValueError(f"normalize: {name} has {values.shape[0]} values but the image has {channels} channels "
                             f"(shape {tuple(tensor.shape)})")
    if inplace:
        return tensor.sub_(Tensor(mean_array)).div_(Tensor(std_array))
    return (tensor - Tensor(mean_array)) / Tensor(std_array)


# ----- resizing ------------------------------------------------------------
def _bilinear_weights(in_size: int, out_size: int, antialias: bool) -> np.ndarray:
    """(out_size, in_size) weights: row i mixes the input pixels that output pixel i is made of.

    Without antialiasing (and always when enlarging), output pixel i samples the input at
    ``s = (i + 0.5) * in/out - 0.5`` (clamped at 0) between its two neighbours:
    ``(1 - (s - floor s)) * x[floor s] + (s - floor s) * x[floor s + 1]``. When shrinking with
    ``antialias``, the triangle filter is stretched by ``scale = in/out`` so every input pixel
    under output pixel i contributes (PIL's and torch's antialiased bilinear).
    """
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    if antialias and scale > 1.0:
        support = scale  # half-width of the stretched triangle, in input pixels
        for i in range(out_size):
            center = scale * (i + 0.5)
            lo = max(int(center - support + 0.5), 0)
            hi = min(int(center + support + 0.5), in_size)
            taps = np.arange(lo, hi)
            w = np.clip(1.0 - np.abs((taps - center + 0.5) / scale), 0.0, None)
            weights[i, lo:hi] = w / w.sum()
        return weights
    for i in range(out_size):
        s = max((i + 0.5) * scale - 0.5, 0.0)
        i0 = int(math.floor(s))
        i1 = min(i0 + 1, in_size - 1)
        frac = s - i0
        weights[i, i0] += 1.0 - frac
        weights[i, i1] += frac
    return weights


def _nearest_weights(in_size: int, out_size: int) -> np.ndarray:
    """(out_size, in_size) one-hot rows: output pixel i copies input pixel ``floor(i * in/out)``."""
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        weights[i, min(int(math.floor(i * scale)), in_size - 1)] = 1.0
    return weights


def resized_size(height: int, width: int, size: int | Sequence[int], max_size: int | None = None) -> tuple[int, int]:
    """The output (height, width): ``size`` itself, or, for one number, the smaller edge set to it
    and the other scaled to keep the aspect ratio (truncated), capped by ``max_size``."""
    if isinstance(size, Sequence) and len(size) == 2:
        if max_size is not None:
            raise ValueError("resize: max_size should only be passed if size specifies the length of the smaller "
                             "edge, i.e. size should be an int or a sequence of length 1")
        return int(size[0]), int(size[1])
    requested = int(size[0] if isinstance(size, Sequence) else size)
    short, long = (width, height) if width <= height else (height, width)
    new_short, new_long = requested, int(requested * long / short)
    if max_size is not None:
        if max_size <= requested:
            raise ValueError(f"resize: max_size = {max_size} must be strictly greater than the requested size for "
                             f"the smaller edge size = {size}")
        if new_long > max_size:
            new_short, new_long = int(max_size * new_short / new_long), max_size
    return (new_long, new_short) if width <= height else (new_short, new_long)


def resize(img: Image, size: int | Sequence[int], interpolation: str = "bilinear", max_size: int | None = None,
           antialias: bool | None = True) -> Image:
    """Resize the last two (tensor) or first two (array) axes; see :func:`_bilinear_weights`.

    Arrays (the PIL stand-in) are always antialiased, as PIL is, and come back rounded in their dtype.
    """
    mode = str(getattr(interpolation, "value", interpolation)).lower()
    if mode not in ("bilinear", "nearest"):
        raise ValueError(f"resize: interpolation {mode!r} is not supported; use 'bilinear' or 'nearest'")
    as_array = _is_array(img)
    height, width = get_size(img)
    out_h, out_w = resized_size(height, width, size, max_size)
    if out_h <= 0 or out_w <= 0:
        raise ValueError(f"resize: output size ({out_h}, {out_w}) must be positive")
    if mode == "nearest":
        w_h, w_w = _nearest_weights(height, out_h), _nearest_weights(width, out_w)
    else:
        smooth = True if as_array else bool(antialias)
        w_h, w_w = _bilinear_weights(height, out_h, smooth), _bilinear_weights(width, out_w, smooth)
    if as_array:
        values = img.astype(np.float64)
        values = np.moveaxis(values, (0, 1), (-2, -1)) if values.ndim == 3 else values  # (C, H, W)
        out = w_h @ values @ w_w.T
        out = np.moveaxis(out, (-2, -1), (0, 1)) if out.ndim == 3 else out
        return _back_to_dtype(out, img.dtype)
    dtype = img.dtype if img.dtype.kind == "f" else np.dtype(backend.get_default_dtype())
    x = img if img.dtype.kind == "f" else Tensor._make(img.array.astype(dtype), False)
    out = Tensor(w_h.astype(dtype)) @ x @ Tensor(w_w.T.astype(dtype))  # (..., out_h, out_w)
    if img.dtype.kind == "f":
        return out
    return Tensor._make(backend.xp.asarray(_back_to_dtype(backend.to_numpy(out.array), img.dtype)), False)


def _back_to_dtype(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        return np.clip(np.round(values), info.min, info.max).astype(dtype)
    return values.astype(dtype)


# ----- cropping, padding, flipping -----------------------------------------
def _pad_widths(padding: int | Sequence[int]) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) from torchvision's 1-, 2- or 4-number padding."""
    if isinstance(padding, int):
        return padding, padding, padding, padding
    padding = [int(p) for p in padding]
    if len(padding) == 1:
        return padding[0], padding[0], padding[0], padding[0]
    if len(padding) == 2:
        return padding[0], padding[1], padding[0], padding[1]
    if len(padding) == 4:
        return padding[0], padding[1], padding[2], padding[3]
    raise ValueError(f"pad: padding must be an int or a sequence of 1, 2 or 4 ints, got {padding}")


def pad(img: Image, padding: int | Sequence[int], fill: float = 0, padding_mode: str = "constant") -> Image:
    """Add ``padding`` pixels around the image (constant ``fill``, or 'edge', 'reflect', 'symmetric')."""
    if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
        raise ValueError(f"pad: padding_mode should be constant, edge, reflect or symmetric, got {padding_mode!r}")
    left, top, right, bottom = _pad_widths(padding)
    as_array = _is_array(img)
    values = img if as_array else backend.to_numpy(img.array)
    widths = [(0, 0)] * values.ndim
    h_axis, w_axis = (0, 1) if as_array else (values.ndim - 2, values.ndim - 1)
    widths[h_axis], widths[w_axis] = (top, bottom), (left, right)
    extra = {"constant_values": fill} if padding_mode == "constant" else {}
    out = np.pad(values, widths, mode=padding_mode, **extra)
    return out if as_array else Tensor._make(backend.xp.asarray(out), False)


def crop(img: Image, top: int, left: int, height: int, width: int) -> Image:
    """The ``height`` x ``width`` window whose top-left corner is (top, left)."""
    if _is_array(img):
        return img[top:top + height, left:left + width]
    return img[..., top:top + height, left:left + width]


def center_crop(img: Image, output_size: int | Sequence[int]) -> Image:
    """The central window of ``output_size`` (zero-padded first when the image is smaller)."""
    if isinstance(output_size, int):
        out_h, out_w = output_size, output_size
    else:
        out_h, out_w = (int(output_size[0]), int(output_size[0] if len(output_size) == 1 else output_size[1]))
    height, width = get_size(img)
    if out_h > height or out_w > width:
        img = pad(img, [(out_w - width) // 2 if out_w > width else 0, (out_h - height) // 2 if out_h > height else 0,
                        (out_w - width + 1) // 2 if out_w > width else 0,
                        (out_h - height + 1) // 2 if out_h > height else 0])
        height, width = get_size(img)
    return crop(img, int(round((height - out_h) / 2.0)), int(round((width - out_w) / 2.0)), out_h, out_w)


def hflip(img: Image) -> Image:
    """Mirror left-right."""
    return img[:, ::-1].copy() if _is_array(img) else img.flip(-1)


def vflip(img: Image) -> Image:
    """Mirror top-bottom."""
    return img[::-1].copy() if _is_array(img) else img.flip(-2)


def rgb_to_grayscale(img: Image, num_output_channels: int = 1) -> Image:
    """Luma ``0.2989 R + 0.587 G + 0.114 B`` (arrays: PIL's integer rule), repeated to 1 or 3 channels."""
    if num_output_channels not in (1, 3):
        raise ValueError(f"rgb_to_grayscale: num_output_channels should be either 1 or 3, got {num_output_channels}")
    if _is_array(img):
        if img.ndim == 2:
            gray = img
        else:
            r, g, b = (img[..., k].astype(np.int64) for k in range(3))
            gray = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).astype(img.dtype)
        return np.stack([gray] * 3, axis=-1) if num_output_channels == 3 else gray
    if img.shape[-3] == 1:
        gray = img
    else:
        gray = (img[..., 0:1, :, :] * 0.2989 + img[..., 1:2, :, :] * 0.587 + img[..., 2:3, :, :] * 0.114)
    if num_output_channels == 3:
        from glassgrad.ops import concatenate

        return concatenate([gray, gray, gray], -3)
    return gray
