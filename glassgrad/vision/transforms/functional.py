"""The image functions behind ``vision.transforms`` (torchvision's ``transforms.functional``).

Three kinds of image are accepted (see :mod:`glassgrad.vision.transforms.image_kinds`): PIL
images, NumPy arrays (H, W[, C]) standing in for them, and Tensors (..., C, H, W). Each function
returns the kind it was given. The implementations live by concept:

- :mod:`~glassgrad.vision.transforms.conversion`: to_tensor, pil_to_tensor, to_pil_image, convert_image_dtype;
- :mod:`~glassgrad.vision.transforms.geometry`: resize, crop, center_crop, resized_crop, pad, flips, five/ten crop;
- :mod:`~glassgrad.vision.transforms.warp`: rotate, affine;
- :mod:`~glassgrad.vision.transforms.color`: grey, brightness, contrast, saturation, hue, gamma, sharpness,
  invert, posterize, solarize, autocontrast, equalize;
- :mod:`~glassgrad.vision.transforms.blur`: gaussian_blur;
- here: normalize and erase, which take Tensors only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad.tensor import Tensor
from glassgrad.vision.transforms.blur import gaussian_blur as gaussian_blur
from glassgrad.vision.transforms.color import adjust_brightness as adjust_brightness
from glassgrad.vision.transforms.color import adjust_contrast as adjust_contrast
from glassgrad.vision.transforms.color import adjust_gamma as adjust_gamma
from glassgrad.vision.transforms.color import adjust_hue as adjust_hue
from glassgrad.vision.transforms.color import adjust_saturation as adjust_saturation
from glassgrad.vision.transforms.color import adjust_sharpness as adjust_sharpness
from glassgrad.vision.transforms.color import autocontrast as autocontrast
from glassgrad.vision.transforms.color import equalize as equalize
from glassgrad.vision.transforms.color import invert as invert
from glassgrad.vision.transforms.color import posterize as posterize
from glassgrad.vision.transforms.color import rgb_to_grayscale as rgb_to_grayscale
from glassgrad.vision.transforms.color import solarize as solarize
from glassgrad.vision.transforms.color import to_grayscale as to_grayscale
from glassgrad.vision.transforms.conversion import convert_image_dtype as convert_image_dtype
from glassgrad.vision.transforms.conversion import pil_to_tensor as pil_to_tensor
from glassgrad.vision.transforms.conversion import to_pil_image as to_pil_image
from glassgrad.vision.transforms.conversion import to_tensor as to_tensor
from glassgrad.vision.transforms.geometry import center_crop as center_crop
from glassgrad.vision.transforms.geometry import crop as crop
from glassgrad.vision.transforms.geometry import five_crop as five_crop
from glassgrad.vision.transforms.geometry import hflip as hflip
from glassgrad.vision.transforms.geometry import pad as pad
from glassgrad.vision.transforms.geometry import resize as resize
from glassgrad.vision.transforms.geometry import resized_crop as resized_crop
from glassgrad.vision.transforms.geometry import resized_size as resized_size
from glassgrad.vision.transforms.geometry import ten_crop as ten_crop
from glassgrad.vision.transforms.geometry import vflip as vflip
from glassgrad.vision.transforms.image_kinds import get_dimensions as get_dimensions
from glassgrad.vision.transforms.image_kinds import get_image_num_channels as get_image_num_channels
from glassgrad.vision.transforms.image_kinds import get_image_size as get_image_size
from glassgrad.vision.transforms.image_kinds import get_size as get_size
from glassgrad.vision.transforms.interpolation import InterpolationMode as InterpolationMode
from glassgrad.vision.transforms.warp import affine as affine
from glassgrad.vision.transforms.warp import rotate as rotate


def normalize(tensor: Tensor, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> Tensor:
    """``(tensor - mean[c]) / std[c]`` for each channel c of a (..., C, H, W) float Tensor (differentiable)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(tensor).__name__}")
    if tensor.dtype.kind != "f":
        raise TypeError(f"Input tensor should be a float tensor. Got {tensor.dtype}.")
    if tensor.ndim < 3:
        raise ValueError(f"Expected tensor to be a tensor image of size (..., C, H, W). Got "
                         f"tensor.size() = {tuple(tensor.shape)}")
    mean_array = np.asarray(mean, dtype=tensor.dtype).reshape(-1, 1, 1)  # (C, 1, 1)
    std_array = np.asarray(std, dtype=tensor.dtype).reshape(-1, 1, 1)
    if np.any(std_array == 0):
        raise ValueError(f"std evaluated to zero after conversion to {tensor.dtype}, leading to division by zero.")
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


def erase(img: Tensor, i: int, j: int, h: int, w: int, v: Any, inplace: bool = False) -> Tensor:
    """The (h, w) window at row i, column j of a Tensor image set to ``v`` (a number or a Tensor that broadcasts)."""
    if not isinstance(img, Tensor):
        raise TypeError(f"img should be Tensor Image. Got {type(img).__name__}")
    out = img if inplace else img.clone()
    out[..., i:i + h, j:j + w] = v
    return out


__all__ = [
    "InterpolationMode", "adjust_brightness", "adjust_contrast", "adjust_gamma", "adjust_hue", "adjust_saturation",
    "adjust_sharpness", "affine", "autocontrast", "center_crop", "convert_image_dtype", "crop", "equalize", "erase",
    "five_crop", "gaussian_blur", "get_dimensions", "get_image_num_channels", "get_image_size", "get_size", "hflip",
    "invert", "normalize", "pad", "pil_to_tensor", "posterize", "resize", "resized_crop", "resized_size",
    "rgb_to_grayscale", "rotate", "solarize", "ten_crop", "to_grayscale", "to_pil_image", "to_tensor", "vflip",
]
