"""make_grid and save_image (torchvision.utils' layout): a batch of images as one picture.

``make_grid`` tiles a batch (B, C, H, W) into ``nrow`` columns::

    grid (C, rows * (H + padding) + padding, cols * (W + padding) + padding), filled with pad_value,
    image k at row k // cols, column k % cols, its top-left corner at
    (padding + row * (H + padding), padding + col * (W + padding))

One-channel images are repeated to three channels (RGB), as torchvision does.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import numpy as np

from glassgrad import backend
from glassgrad.tensor import Tensor
from glassgrad.vision.png import write_png


def _as_batch(tensor: Any) -> np.ndarray:
    """The images as a float array (B, C, H, W)."""
    if isinstance(tensor, list | tuple):
        tensor = np.stack([_values(t) for t in tensor])
    values = _values(tensor)
    if values.ndim == 2:  # one image (H, W)
        values = values[None]
    if values.ndim == 3:  # one image (C, H, W)
        values = values[None]
    if values.ndim != 4:
        raise ValueError(f"make_grid: expects a tensor (B, C, H, W), (C, H, W) or (H, W), got shape {values.shape}")
    if values.shape[1] == 1:
        values = np.concatenate([values] * 3, axis=1)  # gray -> RGB
    return values


def _values(tensor: Any) -> np.ndarray:
    if isinstance(tensor, Tensor):
        return backend.to_numpy(tensor.array)
    if isinstance(tensor, np.ndarray):
        return tensor
    raise TypeError(f"make_grid: tensor or list of tensors expected, got {type(tensor).__name__}")


def _rescale(values: np.ndarray, value_range: Sequence[float] | None) -> np.ndarray:
    """Clamp to [low, high] (default: the values' own min and max) and map that range onto [0, 1]."""
    low, high = (float(values.min()), float(values.max())) if value_range is None else value_range
    return (np.clip(values, low, high) - low) / max(high - low, 1e-5)


def make_grid(tensor: Any, nrow: int = 8, padding: int = 2, normalize: bool = False,
              value_range: tuple[float, float] | None = None, scale_each: bool = False, pad_value: float = 0.0
              ) -> Tensor:
    """Tile images into a grid Tensor (C, H', W') (see the module docstring for the layout).

    Args:
        tensor: (B, C, H, W), (C, H, W), (H, W), or a list of (C, H, W) images.
        nrow: images per row.
        padding: pixels between images and around the border.
        normalize: map each grid's (or, with ``scale_each``, each image's) ``value_range``
            (default: its min..max) onto [0, 1].
        pad_value: the value of the padding pixels.
    """
    if value_range is not None and not isinstance(value_range, tuple):
        raise TypeError("make_grid: value_range has to be a tuple (min, max) if specified. min and max are numbers")
    if isinstance(tensor, list | tuple) and not tensor:
        raise ValueError("make_grid: got an empty list of images")
    values = _as_batch(tensor)
    dtype = values.dtype if values.dtype.kind == "f" else np.float32
    values = values.astype(dtype)
    if normalize:
        if scale_each:
            values = np.stack([_rescale(image, value_range) for image in values]).astype(dtype)
        else:
            values = _rescale(values, value_range).astype(dtype)
    if values.shape[0] == 1:
        return Tensor._make(backend.xp.asarray(values[0]), False)
    count, channels, height, width = values.shape
    cols = min(nrow, count)
    rows = int(math.ceil(count / cols))
    cell_h, cell_w = height + padding, width + padding
    grid = np.full((channels, rows * cell_h + padding, cols * cell_w + padding), pad_value, dtype=dtype)
    for k in range(count):
        top, left = padding + (k // cols) * cell_h, padding + (k % cols) * cell_w
        grid[:, top:top + height, left:left + width] = values[k]
    return Tensor._make(backend.xp.asarray(grid), False)


def to_uint8_image(grid: Tensor) -> np.ndarray:
    """A (C, H, W) tensor in [0, 1] as (H, W, C) uint8: ``clamp(x * 255 + 0.5, 0, 255)``, truncated."""
    values = backend.to_numpy(grid.array).astype(np.float64)
    return np.clip(values * 255.0 + 0.5, 0, 255).astype(np.uint8).transpose(1, 2, 0)


def save_image(tensor: Any, fp: str | os.PathLike | IO[bytes], format: str | None = None,  # noqa: A002
               **grid_kwargs: Any) -> None:
    """Save a batch as one image through :func:`make_grid` (``nrow``, ``padding``, ``normalize``, ...).

    PNG (the default, and any ``.png`` name) is written by glassgrad's own encoder; other
    formats (``.jpg``, ...) need matplotlib.
    """
    pixels = to_uint8_image(make_grid(tensor, **grid_kwargs))
    suffix = Path(fp).suffix.lower().lstrip(".") if isinstance(fp, str | os.PathLike) else ""
    kind = (format or suffix or "png").lower()
    if kind == "png":
        write_png(fp, pixels)
        return
    try:
        import matplotlib.image
    except ImportError:
        raise ValueError(f"save_image: format {kind!r} needs matplotlib (pip install matplotlib); PNG works "
                         "without it") from None
    matplotlib.image.imsave(fp, pixels, format=kind)
