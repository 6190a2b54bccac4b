"""DistributedSampler: each process of a data-parallel job reads its own share of the data set.

With ``num_replicas`` processes, each epoch's order of the ``n`` indices (shuffled or not) is cut
into interleaved shares, as torch does::

    num_samples = ceil(n / R)                        (drop_last and R not dividing n: floor(n / R))
    total = num_samples * R
    order = permutation(n) seeded by seed + epoch    (or 0, 1, ..., n - 1 without shuffle)
    order = order + order[:total - n]                (padding: repeat from the start; drop_last cuts instead)
    share of rank r = order[r], order[r + R], order[r + 2R], ...

Every process must see the same permutation, so it comes from a generator seeded with ``seed + epoch``,
not from the module generator: call ``set_epoch(epoch)`` at the start of each epoch, or every epoch
repeats the first one's order. The permutation is drawn by NumPy's PCG64 (glassgrad's random stream),
so its values differ from torch's randperm; how it is cut into shares is torch's.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sized

import numpy as np

from glassgrad.utils.data.sampler import Sampler


def _from_process_group(what: str) -> int:
    from glassgrad import distributed as dist

    if not dist.is_available() or not dist.is_initialized():
        raise RuntimeError(f"DistributedSampler: {what} was not given and the default process group is not "
                           "initialized (call dist.init_process_group first, or pass num_replicas and rank)")
    return dist.get_world_size() if what == "num_replicas" else dist.get_rank()


class DistributedSampler(Sampler):
    """Indices of this process's share of ``dataset`` (see the module docstring).

    Args:
        dataset: a sized data set.
        num_replicas: number of processes (default: the default group's world size).
        rank: this process's rank (default: from the default group).
        shuffle: shuffle the order each epoch (default True).
        seed: the shared seed; must be the same in every process (default 0).
        drop_last: drop the tail so that the shares are equal without padding (default False: pad).
    """

    def __init__(self, dataset: Sized, num_replicas: int | None = None, rank: int | None = None,
                 shuffle: bool = True, seed: int = 0, drop_last: bool = False) -> None:
        super().__init__(dataset)
        num_replicas = _from_process_group("num_replicas") if num_replicas is None else num_replicas
        rank = _from_process_group("rank") if rank is None else rank
        if rank >= num_replicas or rank < 0:
            raise ValueError(f"Invalid rank {rank}, rank should be in the interval [0, {num_replicas - 1}]")
        self.dataset, self.num_replicas, self.rank = dataset, num_replicas, rank
        self.shuffle, self.seed, self.drop_last, self.epoch = shuffle, seed, drop_last, 0
        n = len(dataset)
        if drop_last and n % num_replicas != 0:
            self.num_samples = math.ceil((n - num_replicas) / num_replicas)
        else:
            self.num_samples = math.ceil(n / num_replicas)
        self.total_size = self.num_samples * num_replicas

    def __iter__(self) -> Iterator[int]:
        n = len(self.dataset)
        if self.shuffle:
            order = np.random.default_rng(self.seed + self.epoch).permutation(n).tolist()
        else:
            order = list(range(n))
        if not self.drop_last:
            padding = self.total_size - len(order)
            if padding <= len(order):
                order += order[:padding]
            else:
                order += (order * math.ceil(padding / len(order)))[:padding]
        else:
            order = order[:self.total_size]
        return iter(order[self.rank:self.total_size:self.num_replicas])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Use epoch ``epoch``'s order (same in every process: the seed is ``seed + epoch``)."""
        self.epoch = epoch
