"""Turning one task into one batch: the work a DataLoader does per batch, in or out of a worker.

The main process decides *which* samples make each batch (the sampler); a fetcher reads
them and merges them (``collate_fn``). The same fetchers serve the single-process loader
and every worker process, so both give the same batch for the same indices.

* map-style data set, batching on:   indices [3, 0, 7] -> collate_fn([ds[3], ds[0], ds[7]])
* map-style data set, batching off:  index 3           -> collate_fn(ds[3])
* iterable data set:                 (no index)        -> collate_fn(next batch_size samples)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from glassgrad.tensor import Tensor
from glassgrad.utils.data.dataset import batch_gatherer


class MapFetcher:
    """Reads the samples of a map-style data set at the indices it is given."""

    def __init__(self, dataset: Any, auto_collation: bool, collate_fn: Callable[[Any], Any],
                 default_collate: bool) -> None:
        self.dataset, self.auto_collation, self.collate_fn = dataset, auto_collation, collate_fn
        # a data set that gathers a whole batch in one array lookup (TensorDataset): no per-sample loop
        self.gather = batch_gatherer(dataset) if auto_collation and default_collate else None

    def __call__(self, indices: Any) -> Any:
        if not self.auto_collation:
            return self.collate_fn(self.dataset[indices])
        if self.gather is not None:
            return [Tensor._make(a, False) for a in self.gather(np.asarray(indices, dtype=np.int64))]
        many = getattr(self.dataset, "__getitems__", None)
        samples = many(indices) if callable(many) else [self.dataset[i] for i in indices]
        return self.collate_fn(samples)


class IterableFetcher:
    """Reads the next batch from an iterable data set's stream; StopIteration when it runs dry."""

    def __init__(self, dataset: Any, batch_size: int | None, drop_last: bool,
                 collate_fn: Callable[[Any], Any]) -> None:
        self.dataset, self.batch_size, self.drop_last, self.collate_fn = dataset, batch_size, drop_last, collate_fn
        self.stream: Iterator[Any] | None = None

    def restart(self) -> None:
        """Begin a new pass over the data set (``iter(dataset)`` on the next fetch)."""
        self.stream = None

    def __call__(self, _task: Any = None) -> Any:
        if self.stream is None:
            self.stream = iter(self.dataset)
        if self.batch_size is None:
            return self.collate_fn(next(self.stream))
        batch: list[Any] = []
        for sample in self.stream:
            batch.append(sample)
            if len(batch) == self.batch_size:
                break
        if not batch or (self.drop_last and len(batch) < self.batch_size):
            raise StopIteration
        return self.collate_fn(batch)


def as_arrays(batch: Any) -> Any:
    """The ``as_tensors=False`` form of a batch: Tensors replaced by their arrays."""
    if isinstance(batch, Tensor):
        return batch.array
    if isinstance(batch, list | tuple):
        return tuple(as_arrays(b) for b in batch)
    if isinstance(batch, dict):
        return {k: as_arrays(v) for k, v in batch.items()}
    return batch
