"""Resizing as two matrix products: the weight matrices of each interpolation mode.

Resizing an image (..., H, W) to (h, w) mixes input pixels linearly, separately along each
axis, so ``out = W_h @ image @ W_w^T`` where ``W_h`` is (h, H): row i holds the weights that
output pixel i gives the input pixels. With ``scale = in / out`` (torch's ``align_corners=False``):

- **nearest**: output pixel i copies input pixel ``floor(i * scale)``; **nearest-exact**
  copies ``floor((i + 0.5) * scale)`` (the pixel under the output pixel's centre, as PIL);
- **bilinear / bicubic** without antialiasing: output pixel i samples the input at
  ``s = (i + 0.5) * scale - 0.5``; bilinear mixes ``floor(s)`` and ``floor(s) + 1`` by the
  fractional part (s clamped at 0), bicubic four neighbours by Keys' cubic with a = -0.75
  (torch's), indices clamped to the image;
- **antialiased** (PIL's method, torch's ``antialias=True``): a filter (triangle for bilinear,
  Keys' cubic with a = -0.5 for bicubic, box, Hamming, Lanczos-3) centred at
  ``c = (i + 0.5) * scale``, stretched by ``scale`` when shrinking so every input pixel under
  output pixel i contributes, and the taps normalised to sum to 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np


def _triangle(x: np.ndarray) -> np.ndarray:
    return np.clip(1.0 - np.abs(x), 0.0, None)


def keys_cubic(x: np.ndarray, a: float) -> np.ndarray:
    """Keys' cubic convolution kernel: 1 at 0, 0 at the other integers, support [-2, 2]."""
    x = np.abs(x)
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return np.where(x <= 1, near, np.where(x < 2, far, 0.0))


def _box(x: np.ndarray) -> np.ndarray:
    return ((x >= -0.5) & (x < 0.5)).astype(np.float64)


def _hamming(x: np.ndarray) -> np.ndarray:
    x = np.abs(x)
    safe = np.where(x == 0, 1.0, x)
    value = np.sin(np.pi * safe) / (np.pi * safe) * (0.54 + 0.46 * np.cos(np.pi * safe))
    return np.where(x == 0, 1.0, np.where(x < 1, value, 0.0))


def _lanczos(x: np.ndarray) -> np.ndarray:
    safe = np.where(x == 0, 1.0, x)
    value = np.sin(np.pi * safe) / (np.pi * safe) * np.sin(np.pi * safe / 3) / (np.pi * safe / 3)
    return np.where(x == 0, 1.0, np.where(np.abs(x) < 3, value, 0.0))


# mode -> (filter, half-width of its support in input pixels at scale 1)
FILTERS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], float]] = {
    "bilinear": (_triangle, 1.0),
    "bicubic": (lambda x: keys_cubic(x, -0.5), 2.0),
    "box": (_box, 0.5),
    "hamming": (_hamming, 1.0),
    "lanczos": (_lanczos, 3.0),
}


def antialiased_weights(in_size: int, out_size: int, mode: str) -> np.ndarray:
    """(out_size, in_size) weights of PIL's separable filter resampling (see the module docstring)."""
    kernel, support = FILTERS[mode]
    scale = in_size / out_size
    stretch = max(scale, 1.0)
    support *= stretch
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        center = scale * (i + 0.5)
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), in_size)
        taps = np.arange(lo, hi)
        w = kernel((taps - center + 0.5) / stretch)
        total = w.sum()
        weights[i, lo:hi] = w / total if total != 0 else w
    return weights


def bilinear_weights(in_size: int, out_size: int) -> np.ndarray:
    """(out_size, in_size) weights of torch's bilinear interpolation without antialiasing."""
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        s = max((i + 0.5) * scale - 0.5, 0.0)
        i0 = int(math.floor(s))
        i1 = min(i0 + 1, in_size - 1)
        frac = s - i0
        weights[i, i0] += 1.0 - frac
        weights[i, i1] += frac
    return weights


def bicubic_weights(in_size: int, out_size: int) -> np.ndarray:
    """(out_size, in_size) weights of torch's bicubic interpolation (a = -0.75) without antialiasing."""
    scale = in_size / out_size
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        s = (i + 0.5) * scale - 0.5
        i0 = int(math.floor(s))
        t = s - i0
        for k, distance in zip(range(-1, 3), (1 + t, t, 1 - t, 2 - t)):
            weights[i, min(max(i0 + k, 0), in_size - 1)] += float(keys_cubic(np.asarray(distance), -0.75))
    return weights


def nearest_weights(in_size: int, out_size: int, exact: bool = False) -> np.ndarray:
    """(out_size, in_size) one-hot rows: input pixel ``floor(i * scale)`` (``exact``: ``floor((i + 0.5) * scale)``)."""
    scale = np.float32(in_size) / np.float32(out_size)  # torch computes the scale in float32
    weights = np.zeros((out_size, in_size), dtype=np.float64)
    for i in range(out_size):
        position = (np.float32(i) + np.float32(0.5)) * scale if exact else np.float32(i) * scale
        weights[i, min(int(math.floor(position)), in_size - 1)] = 1.0
    return weights


def resize_weights(in_size: int, out_size: int, mode: str, antialias: bool) -> np.ndarray:
    """The (out_size, in_size) weight matrix of ``mode`` ("nearest", "nearest-exact", "bilinear", "bicubic",
    and with ``antialias`` also "box", "hamming", "lanczos")."""
    if mode == "nearest":
        return nearest_weights(in_size, out_size)
    if mode == "nearest-exact":
        return nearest_weights(in_size, out_size, exact=True)
    if antialias:
        return antialiased_weights(in_size, out_size, mode)
    if mode == "bilinear":
        return bilinear_weights(in_size, out_size)
    if mode == "bicubic":
        return bicubic_weights(in_size, out_size)
    raise ValueError(f"resize: interpolation {mode!r} is only supported for PIL images")
