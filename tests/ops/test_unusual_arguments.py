"""Arguments torch accepts that glassgrad used to refuse, against torch: flip(dims=), gather with an
empty index of another rank, index_add / index_copy on a 0-d tensor, scatter_reduce amax/amin on
bool tensors, tensor_split with a tensor of cuts, and to(dtype, non_blocking, copy) positionally."""

from __future__ import annotations

import numpy as np

import glassgrad as gg
from tests.helpers.oracle import compare_with_torch

X = np.arange(12.0).reshape(3, 4) / 5


def test_flip_takes_dims_as_a_keyword(torch) -> None:
    compare_with_torch(lambda a: a.flip(dims=[0, 1]), lambda a: a.flip(dims=[0, 1]), [X], torch)
    assert gg.tensor(X).flip(dims=(1,)).tolist() == gg.tensor(X).flip(1).tolist()


def test_gather_with_an_empty_index_of_another_rank(torch) -> None:
    compare_with_torch(lambda a: gg.gather(a, 0, gg.zeros(2, 0, dtype=gg.int64)),
                       lambda a: torch.gather(a, 0, torch.zeros(2, 0, dtype=torch.int64)), [X[0]], torch)


def test_index_add_and_index_copy_on_a_0d_tensor(torch) -> None:
    compare_with_torch(lambda a, s: gg.index_add(a, 0, gg.tensor([0]), s, alpha=2.0),
                       lambda a, s: torch.index_add(a, 0, torch.tensor([0]), s, alpha=2.0),
                       [np.array(1.5), np.array(0.25)], torch)
    compare_with_torch(lambda a, s: gg.index_copy(a, 0, gg.tensor([0]), s),
                       lambda a, s: torch.index_copy(a, 0, torch.tensor([0]), s), [np.array(1.5), np.array(0.25)],
                       torch)


def test_scatter_reduce_amax_and_amin_on_bools(torch) -> None:
    x, src, index = np.array([True, False, False]), np.array([True, False, False, True]), np.array([0, 1, 1, 2])
    for reduce in ("amax", "amin"):
        for include_self in (True, False):
            ours = gg.tensor(x).scatter_reduce(0, gg.tensor(index), gg.tensor(src), reduce, include_self=include_self)
            theirs = torch.tensor(x).scatter_reduce(0, torch.tensor(index), torch.tensor(src), reduce,
                                                    include_self=include_self)
            assert ours.dtype == gg.bool and ours.tolist() == theirs.tolist()


def test_tensor_split_takes_a_tensor_of_cuts_or_sections(torch) -> None:
    for cuts in (np.array(3), np.array([1, 3])):
        ours = gg.tensor_split(gg.tensor(X), gg.tensor(cuts), 1)
        theirs = torch.tensor_split(torch.tensor(X), torch.tensor(cuts), 1)
        assert [p.tolist() for p in ours] == [p.tolist() for p in theirs]


def test_to_takes_non_blocking_and_copy_positionally_and_copy_makes_a_copy() -> None:
    x = gg.tensor(X)
    assert x.to(gg.float32, True).dtype == gg.float32
    same = x.to(gg.float64, False, True)
    assert same is not x and same.tolist() == x.tolist() and not np.shares_memory(same.numpy(), x.numpy())
    assert x.to(gg.float64) is x and x.to(gg.float64, copy=True) is not x
