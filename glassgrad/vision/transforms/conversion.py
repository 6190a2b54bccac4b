"""Converting between PIL images, NumPy image arrays and Tensors, and between pixel dtypes.

- ``to_tensor``: PIL image or array (H, W[, C]) -> Tensor (C, H, W); uint8 becomes float in
  [0, 1] (divided by 255), other dtypes are kept;
- ``pil_to_tensor``: PIL image -> Tensor (C, H, W) of the image's own dtype (no scaling);
- ``to_pil_image``: Tensor (C, H, W) or array (H, W[, C]) -> PIL image, the mode read from the
  channel count and dtype (float is scaled by 255 first, unless mode "F");
- ``convert_image_dtype``: a Tensor image to another dtype, rescaling 0..max to 0..max'.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.dtypes import to_dtype
from glassgrad.tensor import Tensor
from glassgrad.vision.image_backend import is_pil_image, pil_image_module
from glassgrad.vision.transforms.image_kinds import max_value, tensor_from_array

_PIL_DTYPES = {"I": np.int32, "I;16" if sys.byteorder == "little" else "I;16B": np.int16, "F": np.float32}


def _pil_pixels(pic: Any) -> np.ndarray:
    """The pixels of a PIL image as an array (H, W, C) of the mode's dtype (uint8 for most)."""
    values = np.array(pic, _PIL_DTYPES.get(pic.mode, np.uint8), copy=True)
    if pic.mode == "1":
        values = 255 * values
    return values.reshape(pic.size[1], pic.size[0], len(pic.getbands()))


def to_tensor(pic: Any) -> Tensor:
    """A PIL image or an array (H, W[, C]) as a Tensor (C, H, W); uint8 is divided by 255 (default float dtype)."""
    if is_pil_image(pic):
        chw = _pil_pixels(pic).transpose(2, 0, 1)
    elif isinstance(pic, np.ndarray) and not isinstance(pic, Tensor):
        if pic.ndim not in (2, 3):
            raise ValueError(f"pic should be 2/3 dimensional. Got {pic.ndim} dimensions.")
        chw = pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)
    else:
        raise TypeError(f"pic should be PIL Image or ndarray. Got {type(pic).__name__}")
    chw = np.ascontiguousarray(chw)  # (C, H, W)
    if chw.dtype == np.uint8:
        dtype = backend.get_default_dtype()
        chw = chw.astype(dtype) / np.asarray(255, dtype=dtype)
    return tensor_from_array(chw)


def pil_to_tensor(pic: Any) -> Tensor:
    """A PIL image (or glassgrad's image array (H, W[, C])) as a Tensor (C, H, W) of the same dtype, unscaled."""
    if is_pil_image(pic):
        pixels = np.array(pic, copy=True).reshape(pic.size[1], pic.size[0], len(pic.getbands()))  # mode "1": bool
        return tensor_from_array(np.ascontiguousarray(pixels.transpose(2, 0, 1)))
    if isinstance(pic, np.ndarray) and pic.ndim in (2, 3):
        return tensor_from_array(np.ascontiguousarray(pic[None] if pic.ndim == 2 else pic.transpose(2, 0, 1)))
    raise TypeError(f"pic should be PIL Image. Got {type(pic).__name__}")


def _mode_for(npimg: np.ndarray, mode: str | None) -> str:
    """The PIL mode for an (H, W, C) array, checking a requested ``mode`` against it."""
    channels = npimg.shape[2]
    if channels == 1:
        expected = {np.dtype(np.uint8): "L", np.dtype(np.int16): "I;16" if sys.byteorder == "little" else "I;16B",
                    np.dtype(np.int32): "I", np.dtype(np.float32): "F"}.get(npimg.dtype)
        if mode is not None and mode != expected:
            raise ValueError(f"Incorrect mode ({mode}) supplied for input type {npimg.dtype}. Should be {expected}")
        mode = expected
    else:
        permitted = {2: ["LA"], 4: ["RGBA", "CMYK", "RGBX"], 3: ["RGB", "YCbCr", "HSV"]}[channels]
        if mode is not None and mode not in permitted:
            raise ValueError(f"Only modes {permitted} are supported for {channels}D inputs")
        if mode is None and npimg.dtype == np.uint8:
            mode = permitted[0]
    if mode is None:
        raise TypeError(f"Input type {npimg.dtype} is not supported")
    return mode


def to_pil_image(pic: Any, mode: str | None = None) -> Any:
    """A Tensor (C, H, W) / (H, W) or an array (H, W[, C]) as a PIL image.

    Float pixels are multiplied by 255 and truncated to uint8 (unless ``mode="F"``); the mode
    comes from the channels and dtype: L, I;16, I, F (one channel), LA, RGB, RGBA.
    """
    if isinstance(pic, Tensor):
        values = backend.to_numpy(pic.detach().array)
        npimg = values.transpose(1, 2, 0) if values.ndim == 3 else values
    elif isinstance(pic, np.ndarray):
        npimg = pic
    else:
        raise TypeError(f"pic should be Tensor or ndarray. Got {type(pic).__name__}.")
    if npimg.ndim == 2:
        npimg = npimg[:, :, None]
    if npimg.ndim != 3:
        raise ValueError(f"pic should be 2/3 dimensional. Got {npimg.ndim} dimensions.")
    if npimg.shape[-1] > 4:
        raise ValueError(f"pic should not have > 4 channels. Got {npimg.shape[-1]} channels.")
    if npimg.dtype.kind == "f" and mode != "F":
        npimg = (npimg * 255).astype(np.uint8)
    mode = _mode_for(npimg, mode)
    pixels = np.ascontiguousarray(npimg[:, :, 0] if npimg.shape[2] == 1 else npimg)
    raw_mode = _RAW_MODES.get((mode, pixels.dtype.str), mode)  # how the bytes are laid out
    return pil_image_module().frombuffer(mode, (pixels.shape[1], pixels.shape[0]), pixels.tobytes(), "raw",
                                         raw_mode, 0, 1)


# PIL's "raw" decoder names for the non-8-bit modes (8-bit modes read their own name)
_RAW_MODES = {("I", "<i4"): "I;32", ("I", ">i4"): "I;32B", ("F", "<f4"): "F;32F", ("F", ">f4"): "F;32BF",
              ("I;16", "<i2"): "I;16", ("I;16B", ">i2"): "I;16B"}


def convert_image_dtype(image: Tensor, dtype: Any = None) -> Tensor:
    """``image`` in ``dtype`` with its range rescaled: ints 0..max map to floats 0..1, floats to
    ints by ``x * (max + 1 - 0.001)`` truncated, ints to ints by a power-of-two factor."""
    if not isinstance(image, Tensor):
        raise TypeError("Input img should be Tensor Image")
    source = np.dtype(image.dtype)
    target = np.dtype(to_dtype(dtype)) if dtype is not None else np.dtype(np.float32)
    if source == target:
        return image
    values = backend.to_numpy(image.detach().array)
    if source.kind == "f":
        if target.kind == "f":
            return tensor_from_array(values.astype(target))
        if (source == np.float32 and target in (np.int32, np.int64)) or (source == np.float64 and target == np.int64):
            raise RuntimeError(f"The cast from {image.dtype} to {target} cannot be performed safely.")
        return tensor_from_array((values * source.type(max_value(target) + 1.0 - 1e-3)).astype(target))
    input_max = max_value(source)
    if target.kind == "f":
        return tensor_from_array(values.astype(target) / target.type(input_max))
    output_max = max_value(target)
    if input_max > output_max:
        factor = int((input_max + 1) // (output_max + 1))
        return tensor_from_array((values // factor).astype(target))
    factor = int((output_max + 1) // (input_max + 1))
    return tensor_from_array(values.astype(target) * target.type(factor))
