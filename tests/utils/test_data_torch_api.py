"""glassgrad.utils.data with torch's names and arguments: collate, samplers, DataLoader, splits."""

from __future__ import annotations

from collections import namedtuple

import numpy as np
import pytest

import glassgrad
from glassgrad import Tensor
from glassgrad.utils.data import (
    BatchSampler,
    ConcatDataset,
    DataLoader,
    Dataset,
    IterableDataset,
    RandomSampler,
    SequentialSampler,
    Subset,
    SubsetRandomSampler,
    TensorDataset,
    WeightedRandomSampler,
    default_collate,
    get_worker_info,
    random_split,
)
from tests.helpers.torch_proxy import torch_submodule

Point = namedtuple("Point", "x y")


class Squares(Dataset):
    def __init__(self, n=6):
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))


def test_default_collate_follows_torch(torch):
    torch_collate = torch_submodule(torch, "torch.utils.data").default_collate

    samples = [
        {"x": np.ones((2, 3), np.float32) * k, "n": k, "f": 0.5 * k, "b": bool(k % 2), "s": f"s{k}",
         "pair": (np.int32(k), [k, k + 1]), "p": Point(k, 1.0)}
        for k in range(3)
    ]
    ours, theirs = default_collate(samples), torch_collate(samples)
    assert set(ours) == set(theirs)
    for key in ("x", "n", "f", "b"):
        assert isinstance(ours[key], Tensor)
        np.testing.assert_array_equal(ours[key].numpy(), theirs[key].numpy())
        assert ours[key].dtype == theirs[key].numpy().dtype, key  # float64 for floats, int64 for ints
    assert ours["s"] == theirs["s"] == ["s0", "s1", "s2"]
    assert isinstance(ours["pair"], list) and isinstance(theirs["pair"], list)
    assert ours["pair"][0].dtype == np.int32
    assert [t.tolist() for t in ours["pair"][1]] == [t.tolist() for t in theirs["pair"][1]]
    assert isinstance(ours["p"], Point) and ours["p"].y.dtype == np.float64


def test_default_collate_errors():
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [1]])
    with pytest.raises(TypeError, match="found"):
        default_collate([object(), object()])
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([glassgrad.zeros(2), glassgrad.zeros(3)])


def test_tensor_dataset_gives_tensors_and_batches_as_lists():
    x, y = np.arange(20, dtype=np.float32).reshape(10, 2), np.arange(10)
    ds = TensorDataset(glassgrad.tensor(x), y)
    xi, yi = ds[3]
    assert isinstance(xi, Tensor) and xi.tolist() == [6.0, 7.0] and yi.item() == 3
    assert len(ds.tensors) == 2
    batches = list(DataLoader(ds, batch_size=4))
    assert all(isinstance(b, list) and len(b) == 2 for b in batches)
    assert [len(b[1]) for b in batches] == [4, 4, 2] and batches[0][1].dtype == np.int64
    with pytest.raises(ValueError, match="size mismatch"):
        TensorDataset(x, y[:3])


def test_fast_path_equals_per_sample_collate():
    x, y = np.random.default_rng(0).normal(size=(9, 3)), np.arange(9)
    fast = list(DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True, generator=np.random.default_rng(5)))
    slow = list(DataLoader(TensorDataset(x, y), batch_size=4, shuffle=True, generator=np.random.default_rng(5),
                           collate_fn=default_collate))
    for a, b in zip(fast, slow, strict=True):
        for ta, tb in zip(a, b, strict=True):
            assert ta.dtype == tb.dtype
            np.testing.assert_array_equal(ta.numpy(), tb.numpy())


def test_generic_dataset_and_custom_collate():
    batches = list(DataLoader(Squares(), batch_size=4))
    assert batches[0][0].shape == (4, 2) and batches[1][1].tolist() == [4, 5]
    sizes = list(DataLoader(Squares(), batch_size=4, collate_fn=len))
    assert sizes == [4, 2]
    unbatched = list(DataLoader(Squares(3), batch_size=None))
    assert len(unbatched) == 3 and isinstance(unbatched[1][0], Tensor) and unbatched[1][1] == 1


def test_samplers():
    assert list(SequentialSampler(range(4))) == [0, 1, 2, 3]
    order = list(RandomSampler(range(10), generator=np.random.default_rng(0)))
    assert sorted(order) == list(range(10)) and order != list(range(10))
    drawn = list(RandomSampler(range(3), replacement=True, num_samples=7, generator=np.random.default_rng(0)))
    assert len(drawn) == 7 and set(drawn) <= {0, 1, 2}
    assert len(list(RandomSampler(range(3), num_samples=7))) == 7
    assert sorted(SubsetRandomSampler([5, 7, 9])) == [5, 7, 9]
    weighted = list(WeightedRandomSampler([0.0, 1.0, 0.0], 5, generator=np.random.default_rng(0)))
    assert weighted == [1] * 5
    assert list(BatchSampler(SequentialSampler(range(5)), 2, False)) == [[0, 1], [2, 3], [4]]
    assert len(BatchSampler(SequentialSampler(range(5)), 2, True)) == 2
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        BatchSampler(range(3), 0, False)
    with pytest.raises(ValueError, match="num_samples"):
        WeightedRandomSampler([1.0], 0)


def test_sampler_and_batch_sampler_arguments():
    ds = Squares(6)
    got = [b[1].tolist() for b in DataLoader(ds, batch_size=2, sampler=[5, 4, 3, 2, 1, 0])]
    assert got == [[5, 4], [3, 2], [1, 0]]
    got = [b[1].tolist() for b in DataLoader(ds, batch_sampler=[[0, 5], [2]])]
    assert got == [[0, 5], [2]]
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(ds, sampler=[0], shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(ds, batch_size=2, batch_sampler=[[0]])
    with pytest.raises(ValueError, match="drop_last"):
        DataLoader(ds, batch_size=None, drop_last=True)


def test_worker_arguments_are_accepted_and_checked():
    loader = DataLoader(Squares(5), batch_size=2, num_workers=2, pin_memory=True, timeout=5, prefetch_factor=2,
                        persistent_workers=True)
    assert [len(b[1]) for b in loader] == [2, 2, 1]
    assert get_worker_info() is None  # outside a worker process
    # each worker takes its share of the stream; batches alternate between workers, as torch's
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2, num_workers=2)] == [[0, 2], [1, 3], [4]]
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(Squares(), num_workers=-1)
    with pytest.raises(ValueError, match="prefetch_factor"):
        DataLoader(Squares(), prefetch_factor=2)
    with pytest.raises(ValueError, match="persistent_workers"):
        DataLoader(Squares(), persistent_workers=True)
    with pytest.raises(ValueError, match="timeout"):
        DataLoader(Squares(), timeout=-1)


def test_iterable_dataset():
    loader = DataLoader(Stream(7), batch_size=3)
    assert [b.tolist() for b in loader] == [[0, 1, 2], [3, 4, 5], [6]]
    assert [b.tolist() for b in DataLoader(Stream(7), batch_size=3, drop_last=True)] == [[0, 1, 2], [3, 4, 5]]
    with pytest.raises(ValueError, match="expected unspecified shuffle"):
        DataLoader(Stream(3), shuffle=True)
    with pytest.raises(TypeError):
        len(loader)  # the stream does not know its length


def test_generator_and_seed_reproduce_the_order():
    x = np.arange(30)
    a = [b[0].tolist() for b in DataLoader(TensorDataset(x), batch_size=7, shuffle=True, seed=3)]
    b = [b[0].tolist() for b in DataLoader(TensorDataset(x), batch_size=7, shuffle=True,
                                           generator=np.random.default_rng(3))]
    assert a == b and sorted(sum(a, [])) == list(range(30))
    glassgrad.manual_seed(11)
    c = [b[0].tolist() for b in DataLoader(TensorDataset(x), batch_size=30, shuffle=True)]
    glassgrad.manual_seed(11)
    assert c == [b[0].tolist() for b in DataLoader(TensorDataset(x), batch_size=30, shuffle=True)]
    with pytest.raises(TypeError, match="generator"):
        DataLoader(TensorDataset(x), shuffle=True, generator=42)


def test_random_split_lengths_fractions_and_generator():
    ds = TensorDataset(np.arange(10))
    parts = random_split(ds, [0.5, 0.3, 0.2], generator=np.random.default_rng(0))
    assert [len(p) for p in parts] == [5, 3, 2]
    assert sorted(i for p in parts for i in p.indices) == list(range(10))
    again = random_split(ds, [5, 3, 2], generator=np.random.default_rng(0))
    assert [p.indices for p in again] == [p.indices for p in parts]
    assert [len(p) for p in random_split(ds, [0.33, 0.33, 0.34])] == [4, 3, 3]  # remainder round-robin, as torch
    with pytest.raises(ValueError, match="does not equal the length"):
        random_split(ds, [3, 3])
    with pytest.warns(UserWarning, match="Length of split at index 1 is 0"):
        random_split(TensorDataset(np.arange(2)), [0.9, 0.1])


def test_random_split_fraction_counts_match_torch(torch):
    torch_split = torch_submodule(torch, "torch.utils.data").random_split

    for n, fractions in ((10, [0.5, 0.25, 0.25]), (7, [0.3, 0.3, 0.4]), (13, [0.1, 0.2, 0.7])):
        ours = [len(p) for p in random_split(TensorDataset(np.arange(n)), fractions)]
        assert ours == [len(p) for p in torch_split(range(n), fractions)]


def test_subset_and_concat():
    base = Squares(6)
    sub = Subset(base, [4, 1])
    assert len(sub) == 2 and sub[0][1] == 4 and sub[1][1] == 1
    cat = ConcatDataset([Squares(2), Squares(3)])
    assert len(cat) == 5 and cat[2][1] == 0 and cat[-1][1] == 2 and cat.cumulative_sizes == [2, 5]
    assert len(Squares(2) + Squares(2)) == 4
    assert [b[1].tolist() for b in DataLoader(cat, batch_size=5)] == [[0, 1, 0, 1, 2]]
    with pytest.raises(ValueError, match="empty"):
        ConcatDataset([])
    fast = Subset(TensorDataset(np.arange(10) * 10), [9, 3, 5])
    assert [b[0].tolist() for b in DataLoader(fast, batch_size=2)] == [[90, 30], [50]]


def test_glassgrad_data_is_the_same_implementation():
    from glassgrad import data

    assert data.DataLoader is DataLoader and data.TensorDataset is TensorDataset and data.Subset is Subset
    loader = data.DataLoader((np.arange(4.0), np.arange(4)), batch_size=2, seed=0, shuffle=True)
    assert len(loader) == 2 and sorted(sum((b[1].tolist() for b in loader), [])) == [0, 1, 2, 3]
    arrays = next(iter(data.DataLoader((np.arange(4.0),), batch_size=4, as_tensors=False)))
    assert isinstance(arrays[0], np.ndarray)


def test_pytorch_style_training_loop():
    import glassgrad as torch
    from glassgrad import nn

    torch.manual_seed(0)
    x = torch.randn(32, 3)
    y = (x.sum(dim=1) > 0).long()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=8, shuffle=True,
                                         num_workers=2, pin_memory=True)
    model = nn.Linear(3, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(3):
        for data, target in loader:
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(data), target)
            loss.backward()
            optimizer.step()
    assert loss.item() < 0.7
