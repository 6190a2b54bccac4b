"""Image grids: samples, and first-layer weights pictured as images.

``weight_images(W)`` turns a first layer's weight matrix (units, 784) into
one 28x28 picture per unit: what pattern of input pixels excites that unit.
matplotlib is imported only when a file is written.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np


def tile(images: Any, ncols: int | None = None, pad: int = 1, normalize: str = "each",
         pad_value: float = 1.0) -> np.ndarray:
    """Arrange images (N, H, W) into one (rows*(H+pad)-pad, cols*(W+pad)-pad) array.

    Args:
        normalize: ``"each"`` scales every image to [0, 1] on its own,
            ``"symmetric"`` maps each image's [-max|v|, max|v|] to [0, 1] so 0 sits at 0.5
            (weights: sign shown by a diverging colour map), ``"all"`` one scale for all,
            ``"none"`` keeps the values.
        pad_value: value of the separating lines (after normalising).
    """
    images = np.asarray(getattr(images, "data", images), dtype=np.float64)
    if images.ndim != 3:
        raise ValueError(f"tile: images must be (N, H, W), got {images.shape}")
    if normalize == "each":
        low = images.min(axis=(1, 2), keepdims=True)
        span = images.max(axis=(1, 2), keepdims=True) - low
        images = (images - low) / np.where(span > 0, span, 1.0)
    elif normalize == "symmetric":
        peak = np.abs(images).max(axis=(1, 2), keepdims=True)
        images = 0.5 + 0.5 * images / np.where(peak > 0, peak, 1.0)
    elif normalize == "all":
        low, span = images.min(), images.max() - images.min()
        images = (images - low) / (span if span > 0 else 1.0)
    elif normalize != "none":
        raise ValueError(f"tile: normalize must be 'each', 'symmetric', 'all' or 'none', got {normalize!r}")
    n, h, w = images.shape
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    grid = np.full((nrows * (h + pad) - pad, ncols * (w + pad) - pad), pad_value)
    for i in range(n):
        r, c = divmod(i, ncols)
        grid[r * (h + pad): r * (h + pad) + h, c * (w + pad): c * (w + pad) + w] = images[i]
    return grid


def weight_images(weight: Any, shape: tuple[int, int] = (28, 28), max_units: int | None = 64) -> np.ndarray:
    """First-layer weights (units, H*W) -> (units, H, W) pictures (the first ``max_units``)."""
    w = np.asarray(getattr(weight, "data", weight))
    if w.ndim != 2 or w.shape[1] != shape[0] * shape[1]:
        raise ValueError(f"weight_images: weight must be (units, {shape[0] * shape[1]}), got {w.shape}")
    if max_units is not None:
        w = w[:max_units]
    return w.reshape(-1, *shape)


def save_image_grid(images: Any, path: str | os.PathLike, *, ncols: int | None = None, title: str | None = None,
                    normalize: str = "each", cmap: str = "gray", labels: Sequence[str] | None = None,
                    pad_value: float = 1.0) -> Path:
    """Write images (N, H, W) as one grid PNG; ``labels`` (one per image) are drawn as small titles."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    images = np.asarray(getattr(images, "data", images))
    n = images.shape[0]
    ncols = ncols or math.ceil(math.sqrt(n))
    nrows = math.ceil(n / ncols)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if labels is None:
        grid = tile(images, ncols, normalize=normalize, pad_value=pad_value)
        fig = Figure(figsize=(max(2.0, ncols * 0.6), max(2.0, nrows * 0.6) + (0.3 if title else 0)))
        ax = fig.add_axes((0, 0, 1, 0.92 if title else 1))
        ax.imshow(grid, cmap=cmap, interpolation="nearest", vmin=0.0, vmax=1.0)
        ax.set_axis_off()
    else:
        fig = Figure(figsize=(ncols * 1.1, nrows * 1.25 + (0.3 if title else 0)), layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=False)
        singles = tile(images, 1, pad=0, normalize=normalize).reshape(n, *images.shape[1:]) \
            if normalize != "none" else images
        for i, ax in enumerate(axes.ravel()):
            ax.set_axis_off()
            if i < n:
                ax.imshow(singles[i], cmap=cmap, interpolation="nearest", vmin=0.0, vmax=1.0)
                ax.set_title(str(labels[i]), fontsize=7)
    if title:
        fig.suptitle(title)
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=100)
    return path


def save_weight_images(weight: Any, path: str | os.PathLike, *, shape: tuple[int, int] = (28, 28),
                       max_units: int | None = 64, title: str | None = None) -> Path:
    """First-layer units of an MLP pictured as ``shape`` images, one grid PNG."""
    return save_image_grid(weight_images(weight, shape, max_units), path, title=title, cmap="RdBu_r",
                           normalize="symmetric", pad_value=0.5)
