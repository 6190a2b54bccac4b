"""Samplers draw lazily as torch's do: a huge num_samples costs nothing until iterated."""

from __future__ import annotations

import inspect
import tracemalloc

import numpy as np
import pytest

import glassgrad
from glassgrad.utils.data import (
    BatchSampler,
    DataLoader,
    RandomSampler,
    SequentialSampler,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
)

HUGE = 10**10  # 74 GiB of int64 indices if drawn up front


def peak_bytes(work) -> int:
    """The most memory Python allocated while ``work()`` ran."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("make", [
    lambda: RandomSampler(range(10), replacement=True, num_samples=HUGE),
    lambda: RandomSampler(range(10), replacement=True, num_samples=HUGE, generator=glassgrad.Generator()),
    lambda: RandomSampler(range(1000), replacement=False, num_samples=HUGE),
    lambda: WeightedRandomSampler([0.1, 0.0, 2.0, 1.0], HUGE),
], ids=["random", "random-generator", "random-permutations", "weighted"])
def test_a_huge_num_samples_costs_nothing_until_iterated(make):
    def take_five():
        sampler = make()
        assert len(sampler) == HUGE
        stream = iter(sampler)
        drawn = [next(stream) for _ in range(5)]
        assert all(isinstance(i, int) and 0 <= i < 1000 for i in drawn)

    assert peak_bytes(take_five) < 1_000_000


def test_an_infinite_loader_yields_batches_at_once():
    dataset = TensorDataset(glassgrad.arange(20.0))
    loader = DataLoader(dataset, batch_size=4, sampler=RandomSampler(dataset, replacement=True, num_samples=HUGE))

    def two_batches():
        batches = iter(loader)
        assert [tuple(next(batches)[0].shape) for _ in range(2)] == [(4,), (4,)]

    assert len(loader) == HUGE // 4
    assert peak_bytes(two_batches) < 5_000_000


def test_an_epoch_takes_one_seed_from_the_module_generator_however_long():
    def next_draw_after(num_samples: int) -> float:
        glassgrad.manual_seed(5)
        stream = iter(RandomSampler(range(7), replacement=True, num_samples=num_samples))
        assert glassgrad.rand(1).item() == after_seed  # iter() alone draws nothing
        glassgrad.manual_seed(5)
        drawn = list(stream)
        assert len(drawn) == num_samples and set(drawn) <= set(range(7))
        return glassgrad.rand(1).item()

    glassgrad.manual_seed(5)
    after_seed = glassgrad.rand(1).item()
    assert next_draw_after(3) == next_draw_after(1000) != after_seed


def test_a_seeded_generator_repeats_and_draws_in_chunks_of_32():
    def draws(num_samples: int, replacement: bool) -> list[int]:
        sampler = RandomSampler(range(10), replacement, num_samples, generator=glassgrad.Generator().manual_seed(1))
        return list(sampler)

    assert draws(100, True) == draws(100, True)
    assert draws(100, True)[:64] == draws(64, True)  # the first chunks do not depend on the total
    permutations = draws(25, False)  # two whole permutations, then 5 of a third
    assert sorted(permutations[:10]) == sorted(permutations[10:20]) == list(range(10))
    assert len(set(permutations[20:])) == 5


def test_a_generator_reseeded_mid_epoch_takes_effect():
    generator = glassgrad.Generator().manual_seed(0)
    stream = iter(RandomSampler(range(10), replacement=True, num_samples=64, generator=generator))
    first = [next(stream) for _ in range(32)]
    generator.manual_seed(0)
    assert [next(stream) for _ in range(32)] == first


def test_weighted_draws_follow_the_weights_and_never_pick_a_zero_weight():
    weights = [1.0, 0.0, 3.0, 0.0, 4.0]
    drawn = np.array(list(WeightedRandomSampler(weights, 8000, generator=np.random.default_rng(0))))
    frequencies = np.bincount(drawn, minlength=5) / len(drawn)
    np.testing.assert_allclose(frequencies, np.array(weights) / 8, atol=0.02)
    assert frequencies[1] == frequencies[3] == 0
    unique = list(WeightedRandomSampler(weights, 3, replacement=False, generator=np.random.default_rng(0)))
    assert sorted(unique) == [0, 2, 4]
    sampler = WeightedRandomSampler(weights, 3)
    assert sampler.weights.dtype == glassgrad.float64 and sampler.weights.tolist() == weights


def test_bad_arguments_raise_as_torch():
    with pytest.raises(ValueError, match="num_samples=0"):
        RandomSampler([])  # torch checks the length of an empty data set up front
    with pytest.raises(TypeError, match="replacement"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="empty data set"):
        next(iter(RandomSampler([], replacement=True, num_samples=3)))
    with pytest.raises(ValueError, match="non-zero weights"):
        WeightedRandomSampler([1.0, 0.0], 2, replacement=False)


@pytest.mark.torch_live  # inspects torch's classes themselves
def test_signatures_match_torch(torch):
    ours = {"RandomSampler": RandomSampler, "WeightedRandomSampler": WeightedRandomSampler,
            "SubsetRandomSampler": SubsetRandomSampler, "BatchSampler": BatchSampler,
            "SequentialSampler": SequentialSampler}
    for name, cls in ours.items():
        theirs = getattr(torch.utils.data, name)
        params = list(inspect.signature(cls.__init__).parameters.values())
        assert str([(p.name, p.default) for p in params]) == \
            str([(p.name, p.default) for p in inspect.signature(theirs.__init__).parameters.values()]), name
