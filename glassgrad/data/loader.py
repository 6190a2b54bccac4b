"""DataLoader: batches of Tensors from a data set, shuffled reproducibly.

For ``TensorDataset`` (and ``Subset`` of one) a batch is gathered with one
index-array lookup per array; other data sets fall back to ``ds[i]`` per
sample and stacking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from glassgrad.data.dataset import Dataset, TensorDataset, collate
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor


class DataLoader:
    """Iterate over ``dataset`` in batches.

    Args:
        dataset: a Dataset, or a tuple of arrays (wrapped in a TensorDataset).
        batch_size: samples per batch.
        shuffle: a new random order each epoch (each ``iter``).
        drop_last: skip the last batch when it is smaller than ``batch_size``.
        rng: generator for the shuffles (default: the module generator).
        seed: shorthand for ``rng=np.random.default_rng(seed)``.
        collate_fn: turns a list of samples into a tuple of arrays (slow path only).
        as_tensors: yield Tensors (default) or raw arrays.

    Yields:
        a tuple with one Tensor per array of the data set, each of shape (B, ...).
    """

    def __init__(self, dataset: Any, batch_size: int = 1, shuffle: bool = False, drop_last: bool = False,
                 rng: np.random.Generator | None = None, seed: int | None = None,
                 collate_fn: Callable[[list[Any]], tuple[Any, ...]] | None = None, as_tensors: bool = True) -> None:
        if isinstance(dataset, tuple):
            dataset = TensorDataset(*dataset)
        if not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        if rng is not None and seed is not None:
            raise ValueError("DataLoader: pass rng or seed, not both")
        self.dataset: Dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last
        self.rng = np.random.default_rng(seed) if seed is not None else rng
        self.collate_fn = collate_fn or collate
        self.as_tensors = as_tensors

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _order(self) -> np.ndarray | None:
        n = len(self.dataset)
        return resolve_rng(self.rng).permutation(n) if self.shuffle else None

    def _gather(self, order: np.ndarray | None, start: int, stop: int) -> tuple[Any, ...]:
        fast = getattr(self.dataset, "batch", None)
        if order is None:
            if isinstance(self.dataset, TensorDataset):
                return tuple(a[start:stop] for a in self.dataset.arrays)  # views, no copy
            indices = np.arange(start, stop)
        else:
            indices = order[start:stop]
        if fast is not None:
            return fast(indices)
        return self.collate_fn([self.dataset[int(i)] for i in indices])

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        n = len(self.dataset)
        order = self._order()
        stop_at = n - n % self.batch_size if self.drop_last else n
        wrap = Tensor._make if self.as_tensors else None
        for start in range(0, stop_at, self.batch_size):
            arrays = self._gather(order, start, min(start + self.batch_size, n))
            yield tuple(wrap(a, False) for a in arrays) if wrap else arrays
