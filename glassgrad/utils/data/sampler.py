"""Samplers: the order in which a DataLoader visits a data set's indices (torch's classes).

A sampler is an iterable of indices; ``BatchSampler`` groups them into lists,
one list per batch. Random samplers take ``generator``: a
``numpy.random.Generator`` (or None for glassgrad's module generator, which
``glassgrad.manual_seed`` seeds). Each ``iter()`` draws a new order.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from typing import Any

import numpy as np

from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor


def numpy_generator(generator: Any) -> np.random.Generator:
    """The NumPy generator behind ``generator`` (None means the module generator)."""
    if generator is None or isinstance(generator, np.random.Generator):
        return resolve_rng(generator)
    for name in ("numpy", "rng", "_rng", "generator"):  # glassgrad.Generator (.numpy) or another wrapper
        inner = getattr(generator, name, None)
        if isinstance(inner, np.random.Generator):
            return inner
    raise TypeError(f"generator must be a numpy.random.Generator or None, got {type(generator).__name__}")


class Sampler:
    """Base class: an iterable of data set indices, with ``len`` when known."""

    def __init__(self, data_source: Sized | None = None) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1, in order."""

    def __init__(self, data_source: Sized) -> None:
        self.data_source = data_source

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)


CHUNK = 32  # indices drawn at a time with replacement, as torch's RandomSampler draws them


def epoch_generator(generator: Any) -> np.random.Generator:
    """A generator for one pass, seeded by ONE draw from ``generator`` (None: the module generator).

    So a pass costs its source the same single draw however many indices it yields, as torch's
    samplers cost the global generator one seed per epoch.
    """
    return np.random.default_rng(int(numpy_generator(generator).integers(0, 2**63 - 1)))


class RandomSampler(Sampler):
    """A random order: a fresh permutation each epoch, or draws with replacement.

    Args:
        data_source: the data set (only its length is used).
        replacement: draw ``num_samples`` indices independently (repeats possible).
        num_samples: how many indices per epoch (default: the data set's length);
            without replacement, more than the length repeats whole permutations.
        generator: a ``glassgrad.Generator`` or ``numpy.random.Generator``; None: each epoch
            takes one seed from the module generator (``glassgrad.manual_seed``) and draws from it.

    Indices are drawn as they are consumed, as torch's are: with replacement ``CHUNK`` (32) at a
    time, without it one permutation of the data set at a time. So
    ``RandomSampler(data, replacement=True, num_samples=10**10)`` costs nothing until iterated
    and little after (an "infinite" loader).
    """

    def __init__(self, data_source: Sized, replacement: bool = False, num_samples: int | None = None,
                 generator: Any = None) -> None:
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement}")
        self.data_source, self.replacement, self._num_samples = data_source, replacement, num_samples
        self.generator = generator
        if not isinstance(self.num_samples, int | np.integer) or self.num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={self.num_samples}")

    @property
    def num_samples(self) -> int:
        """Indices per epoch; without ``num_samples``, the data set's length now (it may change)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _source(self) -> Callable[[], np.random.Generator]:
        """Where this epoch's draws come from: the given generator (looked up at each draw, so a
        ``manual_seed`` mid-epoch takes effect), or a private one seeded from the module generator."""
        if self.generator is None:
            private = epoch_generator(None)
            return lambda: private
        return lambda: numpy_generator(self.generator)

    def __iter__(self) -> Iterator[int]:
        n, source = len(self.data_source), self._source()
        if n == 0:
            raise ValueError(f"RandomSampler: cannot draw {self.num_samples} indices from an empty data set")
        if self.replacement:
            full, rest = divmod(int(self.num_samples), CHUNK)
            for _ in range(full):
                yield from source().integers(0, n, size=CHUNK).tolist()
            yield from source().integers(0, n, size=rest).tolist()
        else:
            full, rest = divmod(int(self.num_samples), n)
            for _ in range(full):
                yield from source().permutation(n).tolist()
            yield from source().permutation(n)[:rest].tolist()

    def __len__(self) -> int:
        return int(self.num_samples)


class SubsetRandomSampler(Sampler):
    """The given indices, in a random order each epoch (drawn when the epoch starts)."""

    def __init__(self, indices: Sequence[int], generator: Any = None) -> None:
        self.indices, self.generator = indices, generator

    def __iter__(self) -> Iterator[int]:
        for i in numpy_generator(self.generator).permutation(len(self.indices)).tolist():
            yield int(self.indices[i])

    def __len__(self) -> int:
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices drawn with probability proportional to ``weights[i]``.

    Args:
        weights: one non-negative weight per index (need not sum to 1).
        num_samples: how many indices per epoch.
        replacement: draw with replacement (the default) or without (then each index at most once).
        generator: a ``glassgrad.Generator`` or ``numpy.random.Generator``, or None for the module generator.

    Each epoch takes one seed from ``generator`` when iteration starts. With replacement the indices
    are then drawn ``CHUNK`` at a time as they are consumed (inverse transform sampling: a uniform
    number ``u`` in [0, total) picks the first index whose running sum of weights exceeds ``u``), so a
    huge ``num_samples`` costs nothing up front; without replacement all are drawn at once (at most
    ``len(weights)`` of them).
    """

    def __init__(self, weights: Any, num_samples: int, replacement: bool = True, generator: Any = None) -> None:
        if not isinstance(num_samples, int | np.integer) or isinstance(num_samples, bool) or num_samples <= 0:
            raise ValueError(f"num_samples should be a positive integer value, but got num_samples={num_samples}")
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement}")
        array = np.asarray(weights, dtype=np.float64)
        if array.ndim != 1:
            raise ValueError(f"weights should be a 1d sequence but given weights have shape {array.shape}")
        if np.any(array < 0) or not np.all(np.isfinite(array)) or array.sum() <= 0:
            raise ValueError("WeightedRandomSampler: weights must be finite, non-negative and not all zero")
        if not replacement and num_samples > np.count_nonzero(array):
            raise ValueError(f"WeightedRandomSampler: cannot draw {num_samples} samples without replacement "
                             f"from {np.count_nonzero(array)} non-zero weights")
        self.weights = Tensor._make(array, False)  # float64, as torch keeps them
        self.num_samples, self.replacement, self.generator = int(num_samples), replacement, generator

    def __iter__(self) -> Iterator[int]:
        weights = self.weights.numpy()
        rng = epoch_generator(self.generator)
        if not self.replacement:
            yield from rng.choice(len(weights), size=self.num_samples, replace=False,
                                  p=weights / weights.sum()).tolist()
            return
        running = np.cumsum(weights)  # index i covers [running[i-1], running[i])
        last = int(np.flatnonzero(weights)[-1])  # a u rounded up to the total still lands on a real index
        full, rest = divmod(self.num_samples, CHUNK)
        for size in itertools.chain(itertools.repeat(CHUNK, full), [rest]):
            picked = np.searchsorted(running, rng.random(size) * running[-1], side="right")
            yield from np.minimum(picked, last).tolist()

    def __len__(self) -> int:
        return self.num_samples


class BatchSampler(Sampler):
    """Group another sampler's indices into lists of ``batch_size`` (the last may be shorter).

    Example: ``list(BatchSampler(SequentialSampler(range(5)), 2, False))`` is ``[[0, 1], [2, 3], [4]]``.
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        if not isinstance(batch_size, int | np.integer) or isinstance(batch_size, bool) or batch_size <= 0:
            raise ValueError(f"batch_size should be a positive integer value, but got batch_size={batch_size}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last}")
        self.sampler, self.batch_size, self.drop_last = sampler, int(batch_size), drop_last

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
