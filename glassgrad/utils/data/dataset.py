"""Data sets (torch's classes): map-style and iterable, in-memory tensors, subsets, concatenation.

A map-style data set has ``len(ds)`` samples and ``ds[i]`` returns one (often a
tuple ``(x, y)``). An ``IterableDataset`` only has ``iter(ds)``.

``TensorDataset(x, y)`` holds whole arrays and can also hand out a batch with one
index-array lookup (``batch(indices)``), which lets the DataLoader skip the
per-sample Python loop; ``Subset`` and ``ConcatDataset`` keep that fast path
where their parts have it (see :func:`batch_gatherer`).
"""

from __future__ import annotations

import bisect
import math
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.tensor import Tensor
from glassgrad.utils.data.sampler import numpy_generator


class Dataset:
    """The map-style protocol: ``len(ds)`` samples, ``ds[i]`` one sample. ``a + b`` concatenates.

    Subclasses define ``__getitem__`` and ``__len__``.
    """

    def __getitem__(self, index: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    # No __len__ here (as in torch): a subclass defines it, and len() of one that does not is a TypeError.

    def __add__(self, other: Dataset) -> ConcatDataset:
        return ConcatDataset([self, other])


class IterableDataset(Dataset):
    """A stream of samples: subclasses define ``__iter__`` (and ``__len__`` only if they know it)."""

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")

    def __add__(self, other: Any) -> ChainDataset:
        return ChainDataset([self, other])


class ChainDataset(IterableDataset):
    """Several iterable data sets, one after the other."""

    def __init__(self, datasets: Iterable[IterableDataset]) -> None:
        self.datasets = list(datasets)

    def __iter__(self) -> Iterator[Any]:
        for dataset in self.datasets:
            yield from dataset

    def __len__(self) -> int:
        return sum(len(d) for d in self.datasets)


def _as_array(value: Any) -> Any:
    if isinstance(value, Tensor):
        return value.array
    return backend.xp.asarray(value)


class TensorDataset(Dataset):
    """Tensors (or arrays) sharing their first axis; sample i is ``(a[i], b[i], ...)`` as Tensors.

    Args:
        *tensors: Tensors or NumPy arrays, each of shape (N, ...).

    Attributes:
        arrays: the arrays as held (Tensors are unwrapped, not copied).
        tensors: the same, as Tensors (torch's attribute).
    """

    def __init__(self, *tensors: Any) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor")
        for i, t in enumerate(tensors):
            if t is None or isinstance(t, str):
                raise TypeError(f"TensorDataset: argument {i} is {t!r}; pass tensors or arrays of shape (N, ...)")
        self.arrays = tuple(_as_array(t) for t in tensors)
        lengths = [a.shape[0] if a.ndim else None for a in self.arrays]
        if None in lengths or len(set(lengths)) != 1:
            raise ValueError(f"TensorDataset: size mismatch between tensors: they must share their first axis, "
                             f"got shapes {[tuple(a.shape) for a in self.arrays]}")

    @property
    def tensors(self) -> tuple[Tensor, ...]:
        return tuple(Tensor._make(a, False) for a in self.arrays)

    def __len__(self) -> int:
        return int(self.arrays[0].shape[0])

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        if isinstance(index, Tensor):
            index = index.array
        if isinstance(index, int | np.integer) and not -len(self) <= index < len(self):
            raise IndexError(f"TensorDataset: index {index} is out of range for {len(self)} samples")
        return tuple(Tensor._make(a[index], False) for a in self.arrays)

    def batch(self, indices: Any) -> tuple[Any, ...]:
        """The samples at an index array, as arrays (B, ...), each gathered in one call."""
        return tuple(a[indices] for a in self.arrays)


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order (``subset[i] = dataset[indices[i]]``)."""

    def __init__(self, dataset: Any, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = indices

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        inner = self.indices[index]
        return self.dataset[int(inner)] if np.ndim(inner) == 0 else self.dataset[inner]

    def __getitems__(self, indices: list[int]) -> list[Any]:
        inner = [int(self.indices[i]) for i in indices]
        if callable(getattr(self.dataset, "__getitems__", None)):
            return self.dataset.__getitems__(inner)
        return [self.dataset[i] for i in inner]


class ConcatDataset(Dataset):
    """Several map-style data sets as one: indices run through the first, then the second, ...

    Attributes:
        cumulative_sizes: the running totals of the parts' lengths.
    """

    def __init__(self, datasets: Iterable[Dataset]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        for dataset in self.datasets:
            if isinstance(dataset, IterableDataset):
                raise TypeError("ConcatDataset does not support IterableDataset")
        self.cumulative_sizes = np.cumsum([len(d) for d in self.datasets]).tolist()

    def __len__(self) -> int:
        return int(self.cumulative_sizes[-1])

    def __getitem__(self, index: int) -> Any:
        if index < 0:
            if -index > len(self):
                raise ValueError("ConcatDataset: absolute value of index should not exceed dataset length")
            index += len(self)
        if index >= len(self):
            raise IndexError(f"ConcatDataset: index {index} is out of range for {len(self)} samples")
        part = bisect.bisect_right(self.cumulative_sizes, index)
        start = self.cumulative_sizes[part - 1] if part > 0 else 0
        return self.datasets[part][index - start]


def batch_gatherer(dataset: Any) -> Callable[[np.ndarray], tuple[Any, ...]] | None:
    """A function ``indices -> tuple of batch arrays`` when ``dataset`` can gather a batch at once.

    That is a data set with a ``batch(indices)`` method (TensorDataset, or one of
    your own), or a Subset of one. None means: fetch sample by sample.
    """
    if isinstance(dataset, Subset):
        inner = batch_gatherer(dataset.dataset)
        if inner is None:
            return None
        positions = np.asarray(dataset.indices, dtype=np.int64)
        return lambda indices: inner(positions[indices])
    method = getattr(dataset, "batch", None)
    return method if callable(method) else None


def _split_counts(n: int, lengths: Sequence[int | float]) -> list[int]:
    total = sum(lengths)
    if math.isclose(total, 1) and total <= 1:  # fractions
        for i, fraction in enumerate(lengths):
            if not 0 <= fraction <= 1:
                raise ValueError(f"random_split: fraction at index {i} is not between 0 and 1")
        counts = [int(math.floor(n * fraction)) for fraction in lengths]
        for i in range(n - sum(counts)):  # the remainder, one each, round-robin
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              UserWarning, stacklevel=3)
        return counts
    if any(int(x) != x or x < 0 for x in lengths):
        raise ValueError(f"random_split: lengths must be non-negative integers or fractions summing to 1, "
                         f"got {list(lengths)}")
    return [int(x) for x in lengths]


def random_split(dataset: Any, lengths: Sequence[int | float], generator: Any = None, *,
                 rng: np.random.Generator | None = None) -> list[Subset]:
    """Split into non-overlapping random Subsets of the given lengths (torch's ``random_split``).

    Args:
        dataset: the data set to split.
        lengths: counts summing to ``len(dataset)``, or fractions summing to 1 (each part gets
            ``floor(n * fraction)``, and the samples left over go to the first parts, one each).
        generator: a ``numpy.random.Generator`` (None: the module generator).
        rng: glassgrad's older name for ``generator``.
    """
    if rng is not None and generator is not None:
        raise ValueError("random_split: pass generator or rng, not both")
    n = len(dataset)
    counts = _split_counts(n, lengths)
    if sum(counts) != n:
        raise ValueError(f"random_split: sum of input lengths does not equal the length of the input dataset "
                         f"(lengths {list(lengths)} add up to {sum(counts)}, the data set has {n} samples)")
    order = numpy_generator(generator if generator is not None else rng).permutation(n).tolist()
    parts, start = [], 0
    for count in counts:
        parts.append(Subset(dataset, order[start:start + count]))
        start += count
    return parts
