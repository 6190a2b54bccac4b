"""The three kinds of image the transforms take, and moving between them.

- a PIL image (``PIL.Image.Image``): what torchvision's data sets return;
- a NumPy array (H, W) or (H, W, C), usually uint8: glassgrad's stand-in for a PIL image
  (what data sets return with the numpy image backend);
- a Tensor (..., C, H, W) (or (H, W)), uint8 or float.

Most pixel algorithms are written once, on a *planar* NumPy array (..., C, H, W) with
torchvision's tensor semantics (uint8 images stay uint8, float images are in [0, 1]):
:func:`apply_planar` hands an array or a Tensor to such a function and gives the result back
as the kind that came in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.autograd import is_grad_enabled
from glassgrad.tensor import Tensor
from glassgrad.vision.image_backend import is_pil_image

Image = Any  # PIL.Image.Image, np.ndarray (H, W[, C]) or Tensor (..., C, H, W)


def kind(img: Image) -> str:
    """``"pil"``, ``"array"`` or ``"tensor"``; a clear error for anything else or a wrong shape."""
    if is_pil_image(img):
        return "pil"
    if isinstance(img, np.ndarray):
        if img.ndim not in (2, 3):
            raise ValueError(f"an image array must be (H, W) or (H, W, C), got shape {img.shape}")
        return "array"
    if isinstance(img, Tensor):
        if img.ndim < 2:
            raise ValueError(f"an image tensor must be (..., C, H, W) or (H, W), got shape {tuple(img.shape)}")
        return "tensor"
    raise TypeError(f"img should be PIL Image, a NumPy array (H, W[, C]) or a Tensor (..., C, H, W). "
                    f"Got {type(img).__name__}")


def get_dimensions(img: Image) -> list[int]:
    """[channels, height, width] of an image of any kind."""
    which = kind(img)
    if which == "pil":
        return [len(img.getbands()), img.size[1], img.size[0]]
    if which == "array":
        return [1 if img.ndim == 2 else img.shape[2], img.shape[0], img.shape[1]]
    channels = 1 if img.ndim == 2 else int(img.shape[-3])
    return [channels, int(img.shape[-2]), int(img.shape[-1])]


def get_image_size(img: Image) -> list[int]:
    """[width, height], as torchvision's ``get_image_size``."""
    _, height, width = get_dimensions(img)
    return [width, height]


def get_image_num_channels(img: Image) -> int:
    return get_dimensions(img)[0]


def get_size(img: Image) -> tuple[int, int]:
    """(height, width) of an image of any kind."""
    _, height, width = get_dimensions(img)
    return height, width


def tensor_from_array(values: np.ndarray) -> Tensor:
    return Tensor._make(backend.xp.asarray(values), False)


def to_planar(img: Image) -> np.ndarray:
    """An array (H, W[, C]) or Tensor (..., C, H, W) as a NumPy array (..., C, H, W)."""
    if kind(img) == "array":
        return img[None] if img.ndim == 2 else np.moveaxis(img, -1, 0)
    if img.requires_grad and is_grad_enabled():
        raise RuntimeError("this image transform is not differentiable in glassgrad: call it on a tensor that "
                           "does not require grad (detach it, or run under no_grad)")
    values = backend.to_numpy(img.array)
    return values[None] if values.ndim == 2 else values


def from_planar(values: np.ndarray, like: Image) -> Image:
    """The planar result back in the kind (and layout) of ``like``."""
    if kind(like) == "array":
        out = values[0] if like.ndim == 2 and values.shape[0] == 1 else np.moveaxis(values, 0, -1)
        return np.ascontiguousarray(out)
    if like.ndim == 2 and values.shape[0] == 1:
        values = values[0]
    return tensor_from_array(np.ascontiguousarray(values))


def apply_planar(img: Image, function: Callable[[np.ndarray], np.ndarray]) -> Image:
    """``function`` on the (..., C, H, W) pixels of an array or Tensor, returned as the same kind."""
    return from_planar(function(to_planar(img)), img)


def max_value(dtype: np.dtype) -> float:
    """The brightest value of an image dtype: 255 for uint8, the integer maximum, 1.0 for floats."""
    dtype = np.dtype(dtype)
    return float(np.iinfo(dtype).max) if dtype.kind in "ui" else 1.0


def cast_back(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Float results back to the image's dtype: integers are rounded (half to even) and clipped first."""
    dtype = np.dtype(dtype)
    if dtype.kind in "ui":
        info = np.iinfo(dtype)
        return np.clip(np.round(values), info.min, info.max).astype(dtype)
    return values.astype(dtype, copy=False)


def work_dtype(dtype: np.dtype) -> np.dtype:
    """The float dtype pixels are computed in: the image's own when float, else float32."""
    dtype = np.dtype(dtype)
    return dtype if dtype.kind == "f" else np.dtype(np.float32)
