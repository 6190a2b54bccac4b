"""DistributedSampler: torch's shares (padding, drop_last, interleaving), the same shuffle in every process
for one seed and epoch, a new one per epoch."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad.utils.data import DistributedSampler

CASES = [(10, 3, False), (10, 3, True), (2, 5, False), (7, 2, False), (8, 4, True), (9, 4, True), (0, 2, False)]


@pytest.mark.parametrize("n, replicas, drop_last", CASES)
def test_shares_match_torch_without_shuffle(torch, n, replicas, drop_last):
    for rank in range(replicas):
        ours = DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        theirs = torch.utils.data.DistributedSampler(range(n), replicas, rank, shuffle=False, drop_last=drop_last)
        assert list(ours) == list(theirs) and len(ours) == len(theirs)


def test_shuffled_shares_partition_one_permutation():
    n, replicas = 23, 3
    samplers = [DistributedSampler(range(n), replicas, r, shuffle=True, seed=5) for r in range(replicas)]
    for epoch in (0, 1):
        for s in samplers:
            s.set_epoch(epoch)
        shares = [list(s) for s in samplers]
        assert all(len(share) == 8 for share in shares)  # ceil(23 / 3), padded
        union = [i for share in shares for i in share]
        assert sorted(set(union)) == list(range(n))  # every index, one of them twice (padding)
        order = np.random.default_rng(5 + epoch).permutation(n).tolist()
        order += order[:24 - n]
        assert shares[1] == order[1::3]  # torch's interleaving of the epoch's permutation
    epoch_one = list(samplers[0])
    samplers[0].set_epoch(0)
    assert list(samplers[0]) != epoch_one  # a new order each epoch


def test_the_batch_of_two_processes_is_the_batch_of_one():
    """Global batch 8: process r's batch b of 4 together with the other's = the 1-process batch b."""
    one = list(DistributedSampler(range(32), 1, 0, seed=1))
    two = [list(DistributedSampler(range(32), 2, r, seed=1)) for r in (0, 1)]
    for b in range(4):
        assert sorted(two[0][4 * b:4 * b + 4] + two[1][4 * b:4 * b + 4]) == sorted(one[8 * b:8 * b + 8])


def test_errors():
    with pytest.raises(ValueError, match="Invalid rank 2"):
        DistributedSampler(range(4), num_replicas=2, rank=2)
    with pytest.raises(RuntimeError, match="not initialized"):
        DistributedSampler(range(4))
