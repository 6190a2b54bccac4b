"""Colour adjustments: grey, brightness, contrast, saturation, hue, gamma, and AutoAugment's
invert, posterize, solarize, autocontrast, equalize, sharpness.

Most are a *blend* of the image with a second image: ``out = f * img + (1 - f) * other``,
clipped to the pixel range, where ``other`` is black (brightness), the mean grey level
(contrast), the grey version (saturation) or a smoothed version (sharpness): ``f = 1`` keeps the
image, ``f = 0`` gives ``other``, ``f > 1`` pushes away from it. Hue rotates the H of HSV.

PIL images use Pillow (``ImageEnhance``, ``ImageOps``), as torchvision does; arrays and
Tensors use torchvision's tensor formulas on (..., C, H, W), computed in float32 for uint8
images and cast back by truncation, as torch's ``.to(uint8)`` does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad.vision.transforms.blur import smooth_planar
from glassgrad.vision.transforms.image_kinds import Image, apply_planar, get_dimensions, kind, max_value, work_dtype


def _check_channels(img: Image, permitted: tuple[int, ...]) -> None:
    channels = get_dimensions(img)[0]
    if channels not in permitted:
        raise TypeError(f"Input image tensor permitted channel values are {list(permitted)}, but found {channels}")


def _truncate(values: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Float values in an image dtype, as torch's ``.to(dtype)``: integers truncate toward zero."""
    return values.astype(dtype)


def _blend(img: np.ndarray, other: np.ndarray, ratio: float) -> np.ndarray:
    """``clip(ratio * img + (1 - ratio) * other, 0, max)`` in the image's dtype."""
    dtype = work_dtype(img.dtype)
    mixed = dtype.type(ratio) * img.astype(dtype) + dtype.type(1.0 - ratio) * np.asarray(other).astype(dtype)
    return _truncate(np.clip(mixed, 0, max_value(img.dtype)), img.dtype)


def _gray_planar(x: np.ndarray) -> np.ndarray:
    """(..., 1, H, W) luma ``0.2989 R + 0.587 G + 0.114 B`` (one channel: a copy)."""
    if x.shape[-3] == 1:
        return x.copy()
    dtype = work_dtype(x.dtype)
    r, g, b = (x[..., k, :, :].astype(dtype) for k in range(3))
    gray = dtype.type(0.2989) * r + dtype.type(0.587) * g + dtype.type(0.114) * b
    return _truncate(gray, x.dtype)[..., None, :, :]


# ----- grey ------------------------------------------------------------------------------------------
def rgb_to_grayscale(img: Image, num_output_channels: int = 1) -> Image:
    """Luma ``0.2989 R + 0.587 G + 0.114 B`` (PIL images and arrays: PIL's integer ``L`` conversion),
    as 1 channel or repeated to 3."""
    if num_output_channels not in (1, 3):
        raise ValueError("num_output_channels should be either 1 or 3")
    which = kind(img)
    if which == "pil":
        gray = img.convert("L")
        if num_output_channels == 1:
            return gray
        from glassgrad.vision.image_backend import pil_image_module

        return pil_image_module().fromarray(np.dstack([np.asarray(gray)] * 3))
    if which == "array":
        if img.ndim == 2:
            gray = img
        else:
            r, g, b = (img[..., k].astype(np.int64) for k in range(3))
            gray = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).astype(img.dtype)
        return np.stack([gray] * 3, axis=-1) if num_output_channels == 3 else gray.copy()
    if img.ndim < 3:
        raise TypeError(f"Input image tensor should have at least 3 dimensions, but found {img.ndim}")
    _check_channels(img, (1, 3))
    if not img.requires_grad:
        return apply_planar(img, lambda x: np.repeat(_gray_planar(x), num_output_channels, axis=-3))
    gray = img[..., 0:1, :, :] * 0.2989 + img[..., 1:2, :, :] * 0.587 + img[..., 2:3, :, :] * 0.114 \
        if img.shape[-3] == 3 else img
    if num_output_channels == 3:
        from glassgrad.ops import concatenate

        return concatenate([gray, gray, gray], -3)
    return gray


def to_grayscale(img: Image, num_output_channels: int = 1) -> Image:
    """A PIL image (or image array) in grey; see :func:`rgb_to_grayscale`."""
    if kind(img) == "tensor":
        raise TypeError("Input should be PIL Image")
    return rgb_to_grayscale(img, num_output_channels)


# ----- the blends --------------------------------------------------------------------------------------
def _pil_enhance(img: Any, name: str, factor: float) -> Any:
    from PIL import ImageEnhance

    return getattr(ImageEnhance, name)(img).enhance(factor)


def adjust_brightness(img: Image, brightness_factor: float) -> Image:
    """Blend with black: 0 gives a black image, 1 the original, 2 twice as bright."""
    if brightness_factor < 0:
        raise ValueError(f"brightness_factor ({brightness_factor}) is not non-negative.")
    if kind(img) == "pil":
        return _pil_enhance(img, "Brightness", brightness_factor)
    _check_channels(img, (1, 3))
    return apply_planar(img, lambda x: _blend(x, np.zeros((), x.dtype), brightness_factor))


def adjust_contrast(img: Image, contrast_factor: float) -> Image:
    """Blend with the image's mean grey level: 0 gives a uniform grey image, 1 the original."""
    if contrast_factor < 0:
        raise ValueError(f"contrast_factor ({contrast_factor}) is not non-negative.")
    if kind(img) == "pil":
        return _pil_enhance(img, "Contrast", contrast_factor)
    _check_channels(img, (1, 3))

    def contrast(x: np.ndarray) -> np.ndarray:
        dtype = work_dtype(x.dtype)
        mean = _gray_planar(x).astype(np.float64).mean(axis=(-3, -2, -1), keepdims=True).astype(dtype)
        return _blend(x, mean, contrast_factor)

    return apply_planar(img, contrast)


def adjust_saturation(img: Image, saturation_factor: float) -> Image:
    """Blend with the grey image: 0 gives grey, 1 the original, 2 doubled saturation."""
    if saturation_factor < 0:
        raise ValueError(f"saturation_factor ({saturation_factor}) is not non-negative.")
    if kind(img) == "pil":
        return _pil_enhance(img, "Color", saturation_factor)
    _check_channels(img, (1, 3))
    if get_dimensions(img)[0] == 1:
        return img
    return apply_planar(img, lambda x: _blend(x, _gray_planar(x), saturation_factor))


def adjust_sharpness(img: Image, sharpness_factor: float) -> Image:
    """Blend with PIL's SMOOTH-filtered image: 0 blurs, 1 keeps, 2 sharpens."""
    if sharpness_factor < 0:
        raise ValueError(f"sharpness_factor ({sharpness_factor}) is not non-negative.")
    if kind(img) == "pil":
        return _pil_enhance(img, "Sharpness", sharpness_factor)
    _check_channels(img, (1, 3))
    _, height, width = get_dimensions(img)
    if height <= 2 or width <= 2:
        return img
    return apply_planar(img, lambda x: _blend(x, smooth_planar(x), sharpness_factor))


# ----- hue and gamma ----------------------------------------------------------------------------------
def _to_unit_float(x: np.ndarray) -> np.ndarray:
    """Pixels in [0, 1] as float32 (``convert_image_dtype`` to float)."""
    if x.dtype.kind == "f":
        return x.astype(np.float32) if x.dtype != np.float32 else x
    return x.astype(np.float32) / np.float32(max_value(x.dtype))


def _from_unit_float(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """Back from [0, 1] floats: integers take ``x * (max + 1 - 0.001)``, truncated (``convert_image_dtype``)."""
    if np.dtype(dtype).kind == "f":
        return x.astype(dtype)
    return (x * np.float32(max_value(dtype) + 1.0 - 1e-3)).astype(dtype)


def rgb_to_hsv(x: np.ndarray) -> np.ndarray:
    """(..., 3, H, W) RGB in [0, 1] -> HSV in [0, 1] (H as a fraction of the colour circle)."""
    r, g, b = x[..., 0, :, :], x[..., 1, :, :], x[..., 2, :, :]
    maxc, minc = x.max(axis=-3), x.min(axis=-3)
    equal = maxc == minc
    chroma = maxc - minc
    ones = np.ones_like(maxc)
    s = chroma / np.where(equal, ones, maxc)
    divisor = np.where(equal, ones, chroma)
    rc, gc, bc = (maxc - r) / divisor, (maxc - g) / divisor, (maxc - b) / divisor
    hr = (maxc == r) * (bc - gc)
    hg = ((maxc == g) & (maxc != r)) * (2.0 + rc - bc)
    hb = ((maxc != g) & (maxc != r)) * (4.0 + gc - rc)
    h = np.fmod((hr + hg + hb) / 6.0 + 1.0, 1.0).astype(x.dtype)
    return np.stack((h, s, maxc), axis=-3)


def hsv_to_rgb(x: np.ndarray) -> np.ndarray:
    """(..., 3, H, W) HSV in [0, 1] -> RGB: the colour circle's sextant i picks which of v, p, q, t each channel is."""
    h, s, v = x[..., 0, :, :], x[..., 1, :, :], x[..., 2, :, :]
    sextant = np.floor(h * 6.0)
    f = h * 6.0 - sextant
    i = sextant.astype(np.int32) % 6
    p = np.clip(v * (1.0 - s), 0.0, 1.0)
    q = np.clip(v * (1.0 - s * f), 0.0, 1.0)
    t = np.clip(v * (1.0 - s * (1.0 - f)), 0.0, 1.0)
    red = np.choose(i, (v, q, p, p, t, v))
    green = np.choose(i, (t, v, v, q, p, p))
    blue = np.choose(i, (p, p, t, v, v, q))
    return np.stack((red, green, blue), axis=-3).astype(x.dtype)


def adjust_hue(img: Image, hue_factor: float) -> Image:
    """Turn every colour's hue by ``hue_factor`` of the colour circle (in [-0.5, 0.5])."""
    if not -0.5 <= hue_factor <= 0.5:
        raise ValueError(f"hue_factor ({hue_factor}) is not in [-0.5, 0.5].")
    if kind(img) == "pil":
        if img.mode in {"L", "1", "I", "F"}:
            return img
        from glassgrad.vision.image_backend import pil_image_module

        image_module = pil_image_module()
        h, s, v = img.convert("HSV").split()
        hue = np.array(h, dtype=np.uint8)
        hue += np.int32(hue_factor * 255).astype(np.uint8)  # wraps around modulo 256, as torchvision
        return image_module.merge("HSV", (image_module.fromarray(hue), s, v)).convert(img.mode)
    _check_channels(img, (1, 3))
    if get_dimensions(img)[0] == 1:
        return img

    def hue(x: np.ndarray) -> np.ndarray:
        hsv = rgb_to_hsv(_to_unit_float(x))
        hsv[..., 0, :, :] = np.mod(hsv[..., 0, :, :] + np.float32(hue_factor), np.float32(1.0))
        return _from_unit_float(hsv_to_rgb(hsv), x.dtype)

    return apply_planar(img, hue)


def adjust_gamma(img: Image, gamma: float, gain: float = 1) -> Image:
    """``gain * x^gamma`` on pixels scaled to [0, 1] (gamma < 1 brightens the shadows)."""
    if gamma < 0:
        raise ValueError("Gamma should be a non-negative real number")
    if kind(img) == "pil":
        table = [int((255 + 1 - 1e-3) * gain * pow(value / 255.0, gamma)) for value in range(256)] * 3
        return img.convert("RGB").point(table).convert(img.mode)
    _check_channels(img, (1, 3))

    def gamma_curve(x: np.ndarray) -> np.ndarray:
        unit = x.astype(np.float32) / np.float32(max_value(x.dtype)) if x.dtype.kind != "f" else x
        out = np.clip(unit.dtype.type(gain) * unit ** unit.dtype.type(gamma), 0, 1)
        return _from_unit_float(out, x.dtype) if x.dtype.kind != "f" else out.astype(x.dtype)

    return apply_planar(img, gamma_curve)


# ----- AutoAugment's point operations --------------------------------------------------------------------
def invert(img: Image) -> Image:
    """``max - x`` (255 - x for uint8, 1 - x for floats)."""
    if kind(img) == "pil":
        from PIL import ImageOps

        return ImageOps.invert(img)
    _check_channels(img, (1, 3))
    return apply_planar(img, lambda x: (x.dtype.type(max_value(x.dtype)) - x).astype(x.dtype))


def posterize(img: Image, bits: int) -> Image:
    """Keep the ``bits`` highest bits of each uint8 value (the others set to 0)."""
    if kind(img) == "pil":
        from PIL import ImageOps

        return ImageOps.posterize(img, bits)
    _check_channels(img, (1, 3))

    def keep_bits(x: np.ndarray) -> np.ndarray:
        if x.dtype != np.uint8:
            raise TypeError(f"Only torch.uint8 image tensors are supported, but found {x.dtype}")
        return x & np.uint8((256 - 2 ** (8 - bits)) % 256)

    return apply_planar(img, keep_bits)


def solarize(img: Image, threshold: float) -> Image:
    """Invert the pixels at or above ``threshold``."""
    if kind(img) == "pil":
        from PIL import ImageOps

        return ImageOps.solarize(img, threshold)
    _check_channels(img, (1, 3))

    def flip_bright(x: np.ndarray) -> np.ndarray:
        if threshold > max_value(x.dtype):
            raise TypeError("Threshold should be less than bound of img.")
        return np.where(x >= threshold, (x.dtype.type(max_value(x.dtype)) - x).astype(x.dtype), x)

    return apply_planar(img, flip_bright)


def autocontrast(img: Image) -> Image:
    """Stretch each channel so its darkest pixel becomes 0 and its brightest the maximum."""
    if kind(img) == "pil":
        from PIL import ImageOps

        return ImageOps.autocontrast(img)
    _check_channels(img, (1, 3))

    def stretch(x: np.ndarray) -> np.ndarray:
        dtype, bound = work_dtype(x.dtype), max_value(x.dtype)
        low = x.min(axis=(-2, -1), keepdims=True).astype(dtype)
        high = x.max(axis=(-2, -1), keepdims=True).astype(dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = (dtype.type(1) / (high - low)) * dtype.type(bound)  # torch's ``bound / t``: a reciprocal, scaled
        flat = ~np.isfinite(scale)
        low, scale = np.where(flat, 0, low).astype(dtype), np.where(flat, 1, scale).astype(dtype)
        return _truncate(np.clip((x.astype(dtype) - low) * scale, 0, bound), x.dtype)

    return apply_planar(img, stretch)


def _equalize_channel(channel: np.ndarray) -> np.ndarray:
    """PIL's histogram equalisation of one uint8 channel (H, W)."""
    hist = np.bincount(channel.reshape(-1), minlength=256)
    nonzero = hist[hist != 0]
    step = int(nonzero[:-1].sum()) // 255
    if step == 0:
        return channel
    lut = (np.cumsum(hist) + step // 2) // step
    lut = np.clip(np.concatenate([[0], lut[:-1]]), 0, 255)
    return lut[channel.astype(np.int64)].astype(np.uint8)


def equalize(img: Image) -> Image:
    """Spread each channel's histogram evenly over 0..255 (uint8 images)."""
    if kind(img) == "pil":
        from PIL import ImageOps

        return ImageOps.equalize(img)
    _check_channels(img, (1, 3))

    def spread(x: np.ndarray) -> np.ndarray:
        if x.dtype != np.uint8:
            raise TypeError(f"Only torch.uint8 image tensors are supported, but found {x.dtype}")
        flat = x.reshape(-1, *x.shape[-2:])
        return np.stack([_equalize_channel(c) for c in flat]).reshape(x.shape)

    return apply_planar(img, spread)
