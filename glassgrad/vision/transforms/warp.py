"""Rotations and affine warps: each output pixel looks up where it came from in the input.

An affine warp maps input points to output points by ``p_out = A p_in + t`` about a centre. To
draw the output, each output pixel centre is sent back through the *inverse* map and the input
is sampled there (nearest pixel, or bilinear between the four around it); points that land
outside the image take the ``fill`` colour.

torchvision's parametrisation (``_get_inverse_affine_matrix``): rotation by ``angle`` degrees
(counter-clockwise), shear ``(sx, sy)`` degrees, ``scale``, translation ``(tx, ty)`` pixels, about
``center``. With ``C`` the translation to the centre, ``T`` the translation, ``R`` the
rotation-scale and ``S`` the shear, the forward map is ``M = T C R S C^-1`` and the inverse is

    M^-1 = C S^-1 R^-1 C^-1 T^-1,
    R S (2 x 2) = scale * [[a, b], [c, d]] with
    a = cos(r - sy) / cos(sy),  b = -cos(r - sy) tan(sx) / cos(sy) - sin(r),
    c = sin(r - sy) / cos(sy),  d = -sin(r - sy) tan(sx) / cos(sy) + cos(r).

PIL images are warped by Pillow (``Image.rotate``, ``Image.transform(AFFINE)``); arrays and Tensors
by the sampling above on pixel centres (torch's ``grid_sample`` with ``align_corners=False``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad.vision.transforms.geometry import _fill_for
from glassgrad.vision.transforms.image_kinds import Image, apply_planar, cast_back, get_dimensions, kind, work_dtype
from glassgrad.vision.transforms.interpolation import PIL_MODES, InterpolationMode, to_mode


def inverse_affine_matrix(center: Sequence[float], angle: float, translate: Sequence[float], scale: float,
                          shear: Sequence[float], inverted: bool = True) -> list[float]:
    """The 2 x 3 matrix (row-major, 6 numbers) of the inverse map (``inverted``) or the forward map."""
    rot, sx, sy = math.radians(angle), math.radians(shear[0]), math.radians(shear[1])
    cx, cy = center
    tx, ty = translate
    a = math.cos(rot - sy) / math.cos(sy)
    b = -math.cos(rot - sy) * math.tan(sx) / math.cos(sy) - math.sin(rot)
    c = math.sin(rot - sy) / math.cos(sy)
    d = -math.sin(rot - sy) * math.tan(sx) / math.cos(sy) + math.cos(rot)
    if inverted:
        matrix = [x / scale for x in (d, -b, 0.0, -c, a, 0.0)]  # (R S)^-1 = adj / det, det = scale^2
        matrix[2] += matrix[0] * (-cx - tx) + matrix[1] * (-cy - ty) + cx
        matrix[5] += matrix[3] * (-cx - tx) + matrix[4] * (-cy - ty) + cy
        return matrix
    matrix = [x * scale for x in (a, b, 0.0, c, d, 0.0)]
    matrix[2] += matrix[0] * (-cx) + matrix[1] * (-cy) + cx + tx
    matrix[5] += matrix[3] * (-cx) + matrix[4] * (-cy) + cy + ty
    return matrix


def _sample_grid(x: np.ndarray, grid_x: np.ndarray, grid_y: np.ndarray, mode: str) -> np.ndarray:
    """(..., C, H, W) sampled at input pixel coordinates (grid_x, grid_y) (oh, ow); outside counts as 0."""
    height, width = x.shape[-2:]
    if mode == "nearest":
        ix, iy = np.rint(grid_x).astype(np.int64), np.rint(grid_y).astype(np.int64)  # half to even, as torch
        inside = (ix >= 0) & (ix < width) & (iy >= 0) & (iy < height)
        values = x[..., np.clip(iy, 0, height - 1), np.clip(ix, 0, width - 1)]
        return np.where(inside, values, 0).astype(x.dtype)
    x0, y0 = np.floor(grid_x), np.floor(grid_y)
    out = np.zeros(x.shape[:-2] + grid_x.shape, dtype=x.dtype)
    for dx in (0, 1):
        for dy in (0, 1):
            cx, cy = x0 + dx, y0 + dy
            weight = (1 - np.abs(grid_x - cx)) * (1 - np.abs(grid_y - cy))  # (oh, ow)
            inside = (cx >= 0) & (cx < width) & (cy >= 0) & (cy < height)
            ix, iy = np.clip(cx, 0, width - 1).astype(np.int64), np.clip(cy, 0, height - 1).astype(np.int64)
            out += np.where(inside, weight, 0).astype(x.dtype) * x[..., iy, ix]
    return out


def linspace(start: float, stop: float, num: int, dtype: Any = np.float32) -> np.ndarray:
    """``num`` evenly spaced values as torch.linspace computes them: a step in ``dtype``, the first half
    counted up from ``start`` and the rest down from ``stop``, each rounded once (a fused multiply-add)."""
    dtype = np.dtype(dtype)
    begin, end = dtype.type(start), dtype.type(stop)
    step = np.float64((end - begin) / dtype.type(max(num - 1, 1)))
    i = np.arange(num)
    up, down = np.float64(begin) + step * i, np.float64(end) - step * (num - 1 - i)
    return np.where(i < num // 2, up, down).astype(dtype)


def _warp_planar(x: np.ndarray, matrix: Sequence[float], mode: str, fill: Any, out_h: int, out_w: int) -> np.ndarray:
    """Sample (..., C, H, W) at the output pixel centres sent through ``matrix`` (the inverse map).

    The arithmetic follows torchvision's (an affine grid normalised to [-1, 1], then torch's
    ``grid_sample`` un-normalising it) step by step in the same precision, so that nearest
    sampling picks the same pixels at exact half-way points.
    """
    dtype = work_dtype(x.dtype)
    height, width = x.shape[-2:]
    xs = linspace(-out_w * 0.5 + 0.5, out_w * 0.5 - 0.5, out_w, dtype)[None, :]  # (1, ow), from the output centre
    ys = linspace(-out_h * 0.5 + 0.5, out_h * 0.5 - 0.5, out_h, dtype)[:, None]  # (oh, 1)
    theta = np.asarray(matrix, dtype=dtype).reshape(2, 3).T / np.array([0.5 * width, 0.5 * height], dtype=dtype)
    grid_x = xs * theta[0, 0] + ys * theta[1, 0] + theta[2, 0]  # in [-1, 1] across the input
    grid_y = xs * theta[0, 1] + ys * theta[1, 1] + theta[2, 1]
    src_x = ((grid_x + dtype.type(1)) * dtype.type(width) - dtype.type(1)) / dtype.type(2)  # input pixel coordinates
    src_y = ((grid_y + dtype.type(1)) * dtype.type(height) - dtype.type(1)) / dtype.type(2)
    out = _sample_grid(x.astype(dtype), src_x, src_y, mode)
    if fill is not None:
        inside = _sample_grid(np.ones((1, height, width), dtype), src_x, src_y, mode)  # (1, oh, ow)
        colour = np.asarray(fill if isinstance(fill, list | tuple) else [fill], dtype=dtype).reshape(-1, 1, 1)
        out = np.where(inside < 0.5, colour, out) if mode == "nearest" else out * inside + (1.0 - inside) * colour
    return cast_back(out.astype(dtype), x.dtype)


def _expanded_size(matrix: Sequence[float], width: int, height: int) -> tuple[int, int]:
    """(width, height) that holds the whole rotated image (PIL's rule)."""
    corners = np.array([[-0.5 * width, -0.5 * height, 1.0], [-0.5 * width, 0.5 * height, 1.0],
                        [0.5 * width, 0.5 * height, 1.0], [0.5 * width, -0.5 * height, 1.0]], dtype=np.float32)
    moved = corners @ np.asarray(matrix, dtype=np.float32).reshape(2, 3).T
    low = moved.min(axis=0) + np.array([width * 0.5, height * 0.5], dtype=np.float32)
    high = moved.max(axis=0) + np.array([width * 0.5, height * 0.5], dtype=np.float32)
    tol = 1e-4
    size = np.ceil(np.trunc(high / tol) * tol) - np.floor(np.trunc(low / tol) * tol)
    return int(size[0]), int(size[1])


def _check_tensor_warp(img: Image, mode: InterpolationMode, fill: Any) -> None:
    if mode not in (InterpolationMode.NEAREST, InterpolationMode.BILINEAR):
        raise ValueError(f"Interpolation mode '{mode.value}' is unsupported with Tensor input")
    channels = get_dimensions(img)[0]
    if isinstance(fill, list | tuple) and len(fill) > 1 and len(fill) != channels:
        raise ValueError("The number of elements in 'fill' cannot broadcast to match the number of channels of the "
                         f"image ({len(fill)} != {channels})")


def rotate(img: Image, angle: float, interpolation: Any = InterpolationMode.NEAREST, expand: bool = False,
           center: Sequence[int] | None = None, fill: Any = None) -> Image:
    """Rotate by ``angle`` degrees counter-clockwise about ``center`` (default: the image centre);
    ``expand`` grows the output to hold the whole rotated image."""
    mode = to_mode(interpolation)
    if not isinstance(angle, int | float):
        raise TypeError("Argument angle should be int or float")
    if center is not None and not isinstance(center, list | tuple):
        raise TypeError("Argument center should be a sequence")
    if kind(img) == "pil":
        fill_color = _fill_for(fill, len(img.getbands()), img.mode != "F")
        return img.rotate(angle, PIL_MODES[mode], expand, center, fillcolor=fill_color)
    _check_tensor_warp(img, mode, fill)
    _, height, width = get_dimensions(img)
    center_f = [0.0, 0.0] if center is None else [c - s * 0.5 for c, s in zip(center, (width, height))]
    matrix = inverse_affine_matrix(center_f, -angle, [0.0, 0.0], 1.0, [0.0, 0.0])
    out_w, out_h = _expanded_size(matrix, width, height) if expand else (width, height)
    return apply_planar(img, lambda x: _warp_planar(x, matrix, mode.value, fill, out_h, out_w))


def affine(img: Image, angle: float, translate: Sequence[int], scale: float, shear: float | Sequence[float],
           interpolation: Any = InterpolationMode.NEAREST, fill: Any = None,
           center: Sequence[int] | None = None) -> Image:
    """Rotate by ``angle``, translate, scale and shear (degrees: one number is a shear along x) about ``center``."""
    mode = to_mode(interpolation)
    if not isinstance(angle, int | float):
        raise TypeError("Argument angle should be int or float")
    if not isinstance(translate, list | tuple):
        raise TypeError("Argument translate should be a sequence")
    if len(translate) != 2:
        raise ValueError("Argument translate should be a sequence of length 2")
    if scale <= 0.0:
        raise ValueError("Argument scale should be positive")
    if isinstance(shear, int | float):
        shear = [float(shear), 0.0]
    if not isinstance(shear, list | tuple):
        raise TypeError("Shear should be either a single value or a sequence of two values")
    shear = [shear[0], shear[0]] if len(shear) == 1 else list(shear)
    if len(shear) != 2:
        raise ValueError(f"Shear should be a sequence containing two values. Got {shear}")
    if center is not None and not isinstance(center, list | tuple):
        raise TypeError("Argument center should be a sequence")
    _, height, width = get_dimensions(img)
    if kind(img) == "pil":
        pil_center = [width * 0.5, height * 0.5] if center is None else center
        matrix = inverse_affine_matrix(pil_center, float(angle), translate, scale, shear)
        fill_color = _fill_for(fill, len(img.getbands()), img.mode != "F")
        return img.transform(img.size, 0, matrix, PIL_MODES[mode], fillcolor=fill_color)  # 0: Image.AFFINE
    _check_tensor_warp(img, mode, fill)
    center_f = [0.0, 0.0] if center is None else [c - s * 0.5 for c, s in zip(center, (width, height))]
    matrix = inverse_affine_matrix(center_f, float(angle), [float(t) for t in translate], scale, shear)
    return apply_planar(img, lambda x: _warp_planar(x, matrix, mode.value, fill, height, width))
