"""``generator=glassgrad.Generator().manual_seed(n)`` in DataLoader, random_split and the samplers, as torch."""

from __future__ import annotations

import glassgrad
from glassgrad.utils.data import DataLoader, RandomSampler, TensorDataset, random_split


def test_a_seeded_glassgrad_generator_repeats_shuffles_and_splits():
    dataset = TensorDataset(glassgrad.arange(10.0))

    def shuffled(seed: int) -> list[float]:
        loader = DataLoader(dataset, batch_size=10, shuffle=True, generator=glassgrad.Generator().manual_seed(seed))
        return next(iter(loader))[0].tolist()

    assert shuffled(0) == shuffled(0) and sorted(shuffled(0)) == list(range(10))
    assert shuffled(0) != shuffled(1)
    train, val = random_split(dataset, [0.8, 0.2], generator=glassgrad.Generator().manual_seed(42))
    again, _ = random_split(dataset, [0.8, 0.2], generator=glassgrad.Generator().manual_seed(42))
    assert (len(train), len(val)) == (8, 2) and list(train.indices) == list(again.indices)
    sampler = RandomSampler(dataset, generator=glassgrad.Generator().manual_seed(3))
    assert sorted(sampler) == list(range(10))
