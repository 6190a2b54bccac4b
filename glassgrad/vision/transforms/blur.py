"""Blurring: the Gaussian blur of ``GaussianBlur`` and the small smoothing behind ``adjust_sharpness``.

A blur is a depthwise 2-D convolution of each channel with a kernel that sums to 1. The
Gaussian kernel is separable: ``K = k_y k_x^T`` with ``k[j] ∝ exp(-x_j^2 / (2 sigma^2))`` at the
``size`` positions ``x_j = -(size-1)/2 .. (size-1)/2``. The image is padded by reflection
(torchvision's choice) so the output keeps its size. Integer images are computed in float32
and rounded back, as torchvision's tensor path does; PIL images take that same path.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad.vision.transforms.image_kinds import Image, apply_planar, cast_back, kind, work_dtype


def gaussian_kernel1d(size: int, sigma: float, dtype: Any = np.float32) -> np.ndarray:
    """The normalised Gaussian weights at ``size`` positions centred on 0."""
    half = (size - 1) * 0.5
    x = np.linspace(-half, half, size).astype(dtype)
    pdf = np.exp(-0.5 * (x / np.asarray(sigma, dtype)) ** 2)
    return pdf / pdf.sum()


def correlate_planar(x: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Each channel of (..., C, H, W) against ``kernel`` (kh, kw), no padding: (..., C, H-kh+1, W-kw+1)."""
    kh, kw = kernel.shape
    out_h, out_w = x.shape[-2] - kh + 1, x.shape[-1] - kw + 1
    out = np.zeros(x.shape[:-2] + (out_h, out_w), dtype=x.dtype)
    for a in range(kh):
        for b in range(kw):
            out += kernel[a, b] * x[..., a:a + out_h, b:b + out_w]
    return out


def _gaussian_blur_planar(x: np.ndarray, kernel_size: Sequence[int], sigma: Sequence[float]) -> np.ndarray:
    dtype = work_dtype(x.dtype)
    kernel = np.outer(gaussian_kernel1d(kernel_size[1], sigma[1], dtype), gaussian_kernel1d(kernel_size[0], sigma[0],
                                                                                            dtype))  # (kh, kw)
    pad_h, pad_w = kernel_size[1] // 2, kernel_size[0] // 2
    spec = [(0, 0)] * (x.ndim - 2) + [(pad_h, pad_h), (pad_w, pad_w)]
    padded = np.pad(x.astype(dtype), spec, mode="reflect")
    return cast_back(correlate_planar(padded, kernel), x.dtype)


def gaussian_blur(img: Image, kernel_size: int | Sequence[int], sigma: float | Sequence[float] | None = None) -> Image:
    """Blur with a Gaussian of ``kernel_size`` (odd, (kx, ky) or one int) and ``sigma`` ((sx, sy) or one
    number; None: ``0.3 * ((k - 1) / 2 - 1) + 0.8`` written as ``0.15 k + 0.35``)."""
    if not isinstance(kernel_size, int | list | tuple):
        raise TypeError(f"kernel_size should be int or a sequence of integers. Got {type(kernel_size).__name__}")
    sizes = [kernel_size, kernel_size] if isinstance(kernel_size, int) else list(kernel_size)
    if len(sizes) != 2:
        raise ValueError(f"If kernel_size is a sequence its length should be 2. Got {len(sizes)}")
    if any(k % 2 == 0 or k < 0 for k in sizes):
        raise ValueError(f"kernel_size should have odd and positive integers. Got {sizes}")
    if sigma is None:
        sigmas = [k * 0.15 + 0.35 for k in sizes]
    elif isinstance(sigma, int | float):
        sigmas = [float(sigma), float(sigma)]
    elif isinstance(sigma, list | tuple):
        sigmas = [sigma[0], sigma[0]] if len(sigma) == 1 else list(sigma)
    else:
        raise TypeError(f"sigma should be either float or sequence of floats. Got {type(sigma).__name__}")
    if len(sigmas) != 2:
        raise ValueError(f"If sigma is a sequence, its length should be 2. Got {len(sigmas)}")
    if any(s <= 0.0 for s in sigmas):
        raise ValueError(f"sigma should have positive values. Got {sigmas}")
    if kind(img) == "pil":
        from glassgrad.vision.image_backend import pil_image_module

        blurred = gaussian_blur(np.asarray(img), sizes, sigmas)
        return pil_image_module().fromarray(blurred).convert(img.mode)
    return apply_planar(img, lambda x: _gaussian_blur_planar(x, sizes, sigmas))


def smooth_planar(x: np.ndarray) -> np.ndarray:
    """PIL's SMOOTH filter (3 x 3 ones with 5 at the centre, over 13) inside the border; the border kept."""
    dtype = work_dtype(x.dtype)
    kernel = np.ones((3, 3), dtype=dtype)
    kernel[1, 1] = 5.0
    kernel /= kernel.sum()
    out = x.copy()
    out[..., 1:-1, 1:-1] = cast_back(correlate_planar(x.astype(dtype), kernel), x.dtype)
    return out
