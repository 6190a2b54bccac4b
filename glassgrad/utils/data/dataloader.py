"""DataLoader: batches from a data set, with torch's arguments.

One epoch (``for batch in loader``) of a map-style data set is::

    for indices in batch_sampler:                   # e.g. [[3, 0, 7, 1], [5, 2, 6, 4]]
        samples = [dataset[i] for i in indices]
        yield collate_fn(samples)                   # default_collate: stack into Tensors (B, ...)

where ``batch_sampler`` is ``BatchSampler(sampler, batch_size, drop_last)`` and
``sampler`` is sequential, or random when ``shuffle=True``. An
``IterableDataset`` is read in order and grouped ``batch_size`` at a time.

A data set with a ``batch(indices)`` method (``TensorDataset``, a ``Subset`` of
one) hands over a whole batch in one array lookup when ``collate_fn`` is the
default: same values, no per-sample Python loop.

Workers: with ``num_workers > 0`` batches are read by that many worker processes
(``worker_pool.py``, ``worker.py``): the main process hands each worker the indices of
the batches it is to make, the workers read and collate them in parallel and send them
back through shared memory (``shared_batch.py``), and the loader yields them in the
sampler's order: the same batches as ``num_workers=0`` for the same generator.
``get_worker_info()`` inside a worker gives its id, the number of workers, its seed
and its copy of the data set, so an ``IterableDataset`` can take its share of a stream.
``pin_memory`` is accepted and has no effect (no pinned memory on NumPy).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from glassgrad.utils.data.collate import default_collate, default_convert
from glassgrad.utils.data.dataset import IterableDataset, TensorDataset
from glassgrad.utils.data.fetch import IterableFetcher, MapFetcher, as_arrays
from glassgrad.utils.data.sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, numpy_generator
from glassgrad.utils.data.worker import WorkerInfo as WorkerInfo
from glassgrad.utils.data.worker import get_worker_info as get_worker_info
from glassgrad.utils.data.worker_pool import WorkerPoolIterator, resolve_context


def _pick_generator(generator: Any, rng: np.random.Generator | None, seed: int | None) -> Any:
    """One generator from torch's ``generator`` or glassgrad's older ``rng`` / ``seed`` (at most one given)."""
    if sum(x is not None for x in (generator, rng, seed)) > 1:
        raise ValueError("DataLoader: pass only one of generator, rng or seed")
    if seed is not None:
        return np.random.default_rng(seed)
    generator = generator if generator is not None else rng
    if generator is not None:
        numpy_generator(generator)  # a clear TypeError now, not at the first epoch
    return generator


def _check_workers(num_workers: int, timeout: float, prefetch_factor: int | None, persistent_workers: bool) -> None:
    """torch's checks of the worker options (which otherwise do nothing here)."""
    if not isinstance(num_workers, int | np.integer) or num_workers < 0:
        raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable multiprocessing.")
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    if num_workers == 0 and prefetch_factor is not None:
        raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers > 0 "
                         "to enable multiprocessing, otherwise set prefetch_factor to None.")
    if prefetch_factor is not None and prefetch_factor < 0:
        raise ValueError("prefetch_factor option should be non-negative")
    if persistent_workers and num_workers == 0:
        raise ValueError("persistent_workers option needs num_workers > 0")


class DataLoader:
    """Iterate over ``dataset`` in batches (torch's ``DataLoader``).

    Args:
        dataset: a map-style Dataset, an IterableDataset, or a tuple of arrays (wrapped in a TensorDataset).
        batch_size: samples per batch; None turns batching off (each sample is converted, not stacked).
        shuffle: a new random order each epoch.
        sampler: the order of indices (exclusive with ``shuffle``).
        batch_sampler: yields whole lists of indices (exclusive with batch_size, shuffle, sampler, drop_last).
        num_workers: worker processes reading batches in parallel (0: read in this process).
        collate_fn: merges a list of samples into a batch (default: :func:`default_collate`).
        pin_memory: accepted, no effect (no pinned memory on NumPy).
        drop_last: skip the last batch when it is smaller than ``batch_size``.
        timeout: seconds to wait for a worker's batch before raising (0: wait as long as it takes).
        worker_init_fn: called as ``worker_init_fn(worker_id)`` in each worker process as it starts.
        multiprocessing_context: the start method ("fork", "spawn", "forkserver") or a context.
        generator: ``numpy.random.Generator`` for the shuffles (None: the module generator).
        prefetch_factor: batches each worker reads ahead (default 2); needs ``num_workers > 0``.
        persistent_workers: keep the worker processes from one epoch to the next.
        rng: glassgrad's older name for ``generator``.
        seed: shorthand for ``generator=numpy.random.default_rng(seed)``.
        as_tensors: False yields tuples of raw arrays instead of Tensors.

    Yields:
        batches: for a data set of ``(x, y)`` tuples, a list ``[x (B, ...), y (B,)]`` of Tensors.
    """

    def __init__(self, dataset: Any, batch_size: int | None = 1, shuffle: bool | None = None,
                 sampler: Any = None, batch_sampler: Any = None, num_workers: int = 0,
                 collate_fn: Callable[[list[Any]], Any] | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn: Callable[[int], None] | None = None,
                 multiprocessing_context: Any = None, generator: Any = None, *, prefetch_factor: int | None = None,
                 persistent_workers: bool = False, pin_memory_device: str = "", in_order: bool = True,
                 rng: np.random.Generator | None = None, seed: int | None = None, as_tensors: bool = True) -> None:
        if isinstance(dataset, tuple):
            dataset = TensorDataset(*dataset)
        if dataset is None:
            raise TypeError("DataLoader: dataset is None; pass a Dataset, a sequence of samples or a tuple of tensors")
        _check_workers(num_workers, timeout, prefetch_factor, persistent_workers)
        if multiprocessing_context is not None:
            if num_workers == 0:
                raise ValueError(f"multiprocessing_context can only be used with multi-process loading "
                                 f"(num_workers > 0), but got num_workers={num_workers}")
            resolve_context(multiprocessing_context)  # a clear error now, not at the first epoch
        self.dataset = dataset
        self.generator = _pick_generator(generator, rng, seed)
        self.num_workers, self.pin_memory, self.timeout = num_workers, pin_memory, timeout
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        if prefetch_factor is None and num_workers > 0:
            prefetch_factor = 2  # torch's default
        self.prefetch_factor, self.persistent_workers = prefetch_factor, persistent_workers
        self.pin_memory_device, self.in_order, self.as_tensors = pin_memory_device, in_order, as_tensors
        self._iterable = isinstance(dataset, IterableDataset)
        self.batch_size, self.drop_last = (None, False) if batch_sampler is not None else (batch_size, drop_last)
        self._check_batching(batch_size, shuffle, sampler, batch_sampler, drop_last)
        if sampler is None and not self._iterable:
            sampler = RandomSampler(dataset, generator=self.generator) if shuffle else SequentialSampler(dataset)
        if batch_sampler is None and self.batch_size is not None and not self._iterable:
            batch_sampler = BatchSampler(sampler, int(self.batch_size), bool(drop_last))
        self.sampler: Sampler | None = sampler
        self.batch_sampler = batch_sampler
        self._default_collate = collate_fn is None
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self._pool: WorkerPoolIterator | None = None  # the persistent workers, once started

    def _check_batching(self, batch_size: Any, shuffle: Any, sampler: Any, batch_sampler: Any,
                        drop_last: bool) -> None:
        """torch's rules for which of these options go together."""
        if self._iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(f"DataLoader with IterableDataset: expected unspecified {name} option, "
                                     f"but got {name}={value}")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
        elif batch_size is None:
            if drop_last:
                raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                                 "drop_last")
        elif not isinstance(batch_size, int | np.integer) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"DataLoader: batch_size should be a positive integer value, but got "
                             f"batch_size={batch_size!r}")
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None or (self._iterable and self.batch_size is not None)

    @property
    def shuffle(self) -> bool:
        return isinstance(self.sampler, RandomSampler)

    def __len__(self) -> int:
        if self._iterable:
            n = len(self.dataset)  # TypeError when the stream does not know its length, as torch
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        return len(self.sampler)  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Any]:
        if self.num_workers > 0 and self.persistent_workers and self._pool is not None and not self._pool.closed:
            self._pool.start_epoch()  # the same workers, a new pass (no new seed, as torch)
            return self._pool
        # drawn for every new iterator, with or without workers (as torch), so that the shuffle that
        # follows is the same whatever num_workers is
        base_seed = int(numpy_generator(self.generator).integers(0, 2**63 - 1))
        if self.num_workers == 0:
            return self._in_this_process()
        pool = WorkerPoolIterator(self, base_seed)
        self._pool = pool if self.persistent_workers else None
        return pool

    def _in_this_process(self) -> Iterator[Any]:
        """The batches, read one after another in this process."""
        if self._iterable:
            fetch: Any = IterableFetcher(self.dataset, self.batch_size, self.drop_last, self.collate_fn)
            tasks: Any = iter(int, 1)  # endless: the stream says when it is done
        else:
            fetch = MapFetcher(self.dataset, self._auto_collation, self.collate_fn, self._default_collate)
            tasks = self.batch_sampler if self._auto_collation else self.sampler
        for task in tasks:
            try:
                batch = fetch(task)
            except StopIteration:
                return
            yield batch if self.as_tensors else as_arrays(batch)

    def __repr__(self) -> str:
        return (f"DataLoader({type(self.dataset).__name__}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last})")
