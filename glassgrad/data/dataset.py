"""Data sets: anything with ``__len__`` and ``__getitem__``, plus in-memory arrays.

``TensorDataset(x, y)`` holds whole arrays and can hand out a batch with one
index-array lookup (``batch(indices)``), which is what makes ``DataLoader``
fast: no per-sample Python loop. ``Subset`` keeps that path by composing the
index arrays.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.random import resolve_rng


class Dataset:
    """The protocol: ``len(ds)`` samples, ``ds[i]`` one sample (often a tuple ``(x, y)``)."""

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")


def _as_array(value: Any) -> Any:
    data = getattr(value, "data", value) if type(value).__name__ == "Tensor" else value
    return backend.xp.asarray(data)


class TensorDataset(Dataset):
    """Arrays (or Tensors) sharing their first axis; sample i is ``(a[i], b[i], ...)``.

    Args:
        *arrays: NumPy arrays or Tensors, each of shape (N, ...).

    Attributes:
        arrays: the arrays as held (Tensors are unwrapped, not copied).
    """

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise ValueError("TensorDataset needs at least one array")
        self.arrays = tuple(_as_array(a) for a in arrays)
        lengths = [a.shape[0] if a.ndim else None for a in self.arrays]
        if None in lengths or len(set(lengths)) != 1:
            raise ValueError(f"TensorDataset: arrays must share their first axis, got shapes "
                             f"{[a.shape for a in self.arrays]}")

    def __len__(self) -> int:
        return int(self.arrays[0].shape[0])

    def __getitem__(self, index: Any) -> tuple[Any, ...]:
        return tuple(a[index] for a in self.arrays)

    def batch(self, indices: Any) -> tuple[Any, ...]:
        """The samples at an index array, each array gathered in one call."""
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices`` (in that order)."""

    def __init__(self, dataset: Dataset, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: Any) -> Any:
        inner = self.indices[index]
        return self.dataset[int(inner)] if np.ndim(inner) == 0 else self.dataset[inner]

    def batch(self, indices: Any) -> tuple[Any, ...]:
        inner = self.indices[indices]
        if hasattr(self.dataset, "batch"):
            return self.dataset.batch(inner)
        return collate([self.dataset[int(i)] for i in inner])


def collate(samples: Sequence[Any]) -> tuple[Any, ...]:
    """Stack a list of samples (tuples of arrays/numbers) into a tuple of batch arrays."""
    if not samples:
        raise ValueError("collate: no samples")
    first = samples[0]
    if not isinstance(first, (tuple, list)):
        return (np.stack([np.asarray(s) for s in samples]),)
    return tuple(np.stack([np.asarray(s[k]) for s in samples]) for k in range(len(first)))


def random_split(dataset: Dataset, lengths: Sequence[int | float],
                 rng: np.random.Generator | None = None) -> list[Subset]:
    """Split into non-overlapping random Subsets of the given lengths.

    ``lengths`` are counts summing to ``len(dataset)``, or fractions summing to 1
    (the remainder left by flooring goes to the first parts, one each, as torch).
    """
    n = len(dataset)
    if lengths and all(isinstance(x, float) for x in lengths) and abs(sum(lengths) - 1.0) < 1e-6:
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    else:
        counts = [int(x) for x in lengths]
    if any(c < 0 for c in counts) or sum(counts) != n:
        raise ValueError(f"random_split: lengths {list(lengths)} do not add up to the data set's {n} samples")
    order = resolve_rng(rng).permutation(n)
    bounds = np.cumsum([0] + counts)
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
