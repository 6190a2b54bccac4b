"""Array transforms for image data: to float, normalise, flatten, one-hot.

Functions work on whole arrays at once (NumPy), so a data set is transformed
once, before training, rather than sample by sample.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081          # over the 60k MNIST training pixels in [0, 1]
FASHION_MNIST_MEAN, FASHION_MNIST_STD = 0.2860, 0.3530


def to_float(images: Any, dtype: Any = np.float32) -> np.ndarray:
    """uint8 pixels 0..255 -> floats in [0, 1]; float input is only cast."""
    images = np.asarray(images)
    if images.dtype == np.uint8:
        return images.astype(dtype) * np.asarray(1.0 / 255.0, dtype=dtype)
    return images.astype(dtype, copy=False)


def normalize(x: Any, mean: Any, std: Any) -> np.ndarray:
    """(x - mean) / std, keeping x's floating dtype."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        raise TypeError(f"normalize: expects floats, got {x.dtype}; call to_float first")
    mean = np.asarray(mean, dtype=x.dtype)
    std = np.asarray(std, dtype=x.dtype)
    if np.any(std <= 0):
        raise ValueError(f"normalize: std must be positive, got {std}")
    return (x - mean) / std


def standardize(train: Any, *others: Any, axis: Any = 0, eps: float = 1e-8) -> tuple[np.ndarray, ...]:
    """Standardise ``train`` by its own mean/std along ``axis``; apply the same to ``others``."""
    train = np.asarray(train)
    mean = train.mean(axis=axis, keepdims=True)
    std = train.std(axis=axis, keepdims=True) + eps
    return tuple(((np.asarray(a) - mean) / std).astype(train.dtype) for a in (train, *others))


def flatten(images: Any) -> np.ndarray:
    """(N, H, W) or (N, C, H, W) -> (N, H*W*...)."""
    images = np.asarray(images)
    return images.reshape(images.shape[0], -1)


def one_hot(labels: Any, num_classes: int, dtype: Any = np.float32) -> np.ndarray:
    """Integer labels (N,) -> (N, num_classes) rows with a single 1."""
    labels = np.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"one_hot: labels must lie in [0, {num_classes}), got {labels.min()}..{labels.max()}")
    out = np.zeros((labels.shape[0], num_classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1
    return out


class Normalize:
    """Callable form of :func:`normalize` (e.g. ``Normalize(MNIST_MEAN, MNIST_STD)``)."""

    def __init__(self, mean: Any, std: Any) -> None:
        self.mean, self.std = mean, std

    def __call__(self, x: Any) -> np.ndarray:
        return normalize(x, self.mean, self.std)

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean}, std={self.std})"
