"""Dataset, random_split, DataLoader, MNIST file discovery and the generated data sets."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import Tensor
from glassgrad.data import (
    MNIST,
    DataLoader,
    Dataset,
    FashionMNIST,
    Subset,
    TensorDataset,
    load_mnist,
    random_split,
    synthetic,
    transforms,
    write_idx,
)
from glassgrad.data import mnist as mnist_module


def _data(n=10):
    return np.arange(n * 2, dtype=np.float32).reshape(n, 2), np.arange(n, dtype=np.int64)


def test_tensor_dataset_indexing_and_errors():
    x, y = _data()
    ds = TensorDataset(Tensor(x), y)
    assert len(ds) == 10
    xi, yi = ds[3]
    np.testing.assert_array_equal(xi, x[3]) and yi == 3
    with pytest.raises(ValueError, match="first axis"):
        TensorDataset(x, y[:5])


def test_batches_cover_everything_in_order():
    x, y = _data(10)
    batches = list(DataLoader(TensorDataset(x, y), batch_size=4))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    assert all(isinstance(t, Tensor) and not t.requires_grad for b in batches for t in b)
    np.testing.assert_array_equal(np.concatenate([b[1].data for b in batches]), y)
    assert len(DataLoader(TensorDataset(x, y), batch_size=4)) == 3


def test_drop_last():
    x, y = _data(10)
    loader = DataLoader((x, y), batch_size=4, drop_last=True)
    assert len(loader) == 2 and [len(b[0]) for b in loader] == [4, 4]


def test_shuffle_is_reproducible_and_a_permutation():
    x, y = _data(50)
    a = [b[1].numpy().copy() for b in DataLoader((x, y), batch_size=8, shuffle=True, seed=3)]
    b = [b[1].numpy().copy() for b in DataLoader((x, y), batch_size=8, shuffle=True, seed=3)]
    assert all(np.array_equal(p, q) for p, q in zip(a, b))
    order = np.concatenate(a)
    assert sorted(order.tolist()) == list(range(50)) and not np.array_equal(order, y)
    loader = DataLoader((x, y), batch_size=50, shuffle=True, rng=np.random.default_rng(0))
    first, second = next(iter(loader))[1].data, next(iter(loader))[1].data
    assert not np.array_equal(first, second)  # a new order each epoch
    for xb, yb in DataLoader((x, y), batch_size=7, shuffle=True, seed=1):
        np.testing.assert_array_equal(xb.data[:, 0], 2 * yb.data)  # x and y stay paired


def test_rng_and_seed_exclusive_and_bad_batch_size():
    with pytest.raises(ValueError, match="rng or seed"):
        DataLoader(_data(), rng=np.random.default_rng(0), seed=1)
    with pytest.raises(ValueError, match="batch_size"):
        DataLoader(_data(), batch_size=0)


class Squares(Dataset):
    def __len__(self):
        return 6

    def __getitem__(self, i):
        return np.array([i, i * i], dtype=np.float32), i


def test_generic_dataset_uses_per_sample_path():
    batches = list(DataLoader(Squares(), batch_size=4))
    np.testing.assert_array_equal(batches[0][0].data[:, 1], [0, 1, 4, 9])
    assert batches[1][1].data.tolist() == [4, 5]


def test_random_split_counts_and_fractions(rng):
    ds = TensorDataset(*_data(10))
    parts = random_split(ds, [7, 3], rng=rng)
    assert [len(p) for p in parts] == [7, 3]
    assert sorted(np.concatenate([p.indices for p in parts]).tolist()) == list(range(10))
    assert [len(p) for p in random_split(ds, [0.5, 0.25, 0.25], rng=rng)] == [6, 2, 2]
    with pytest.raises(ValueError, match="add up"):
        random_split(ds, [5, 4])
    batch = next(iter(DataLoader(parts[0], batch_size=3)))
    np.testing.assert_array_equal(batch[1].data, parts[0].indices[:3])
    assert isinstance(Subset(Squares(), [1, 2])[0][1], int)


def _fake_mnist(folder, prefix, n, rng):
    folder.mkdir(parents=True, exist_ok=True)
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
    write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, 10, n).astype(np.uint8))
    return images


def test_mnist_search_order_and_subset_names(tmp_path, rng, monkeypatch):
    monkeypatch.setenv("GLASSGRAD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("GLASSGRAD_DATA", str(tmp_path / "env"))
    env_images = _fake_mnist(tmp_path / "env" / "mnist", "train24k", 5, rng)
    ds = MNIST(train=True)
    assert len(ds) == 5 and ds.data.dtype == np.float32 and ds.targets.dtype == np.int64
    np.testing.assert_allclose(ds.data, env_images / 255.0, rtol=1e-6)
    root_images = _fake_mnist(tmp_path / "root", "train", 4, rng)
    x, _ = load_mnist(tmp_path / "root", dtype="uint8", flatten=True)
    np.testing.assert_array_equal(x, root_images.reshape(4, 784))
    _fake_mnist(tmp_path / "root", "t10k", 3, rng)
    assert len(MNIST(tmp_path / "root", train=False, limit=2)) == 2
    monkeypatch.setitem(mnist_module.SYSTEM_DIRS, "fashion-mnist", ())
    with pytest.raises(FileNotFoundError, match="GLASSGRAD_DATA"):
        FashionMNIST(tmp_path / "nowhere", train=False)


def test_mismatched_image_and_label_counts(tmp_path, rng):
    write_idx(tmp_path / "t10k-images-idx3-ubyte", rng.integers(0, 256, (3, 28, 28), dtype=np.uint8))
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.zeros(2, np.uint8))
    with pytest.raises(ValueError, match="3 images but"):
        load_mnist(tmp_path, train=False)


def test_synthetic_sets(rng):
    x, y = synthetic.spirals(20, classes=3, rng=rng)
    assert x.shape == (60, 2) and x.dtype == np.float32 and set(y.tolist()) == {0, 1, 2}
    images, labels = synthetic.digits(40, rng=rng)
    assert images.shape == (40, 28, 28) and images.dtype == np.float32 and labels.dtype == np.int64
    assert 0.0 <= images.min() and images.max() <= 1.0 and images.mean() > 0.05
    ones = images[labels == 1].mean(axis=0)
    eights = images[labels == 8].mean(axis=0)
    assert eights.sum() > ones.sum()  # an 8 lights all seven segments, a 1 only two
    bx, by = synthetic.blobs(30, classes=2, dim=3, rng=rng)
    assert bx.shape == (30, 3) and by.max() <= 1


def test_transforms():
    u8 = np.array([[0, 255]], dtype=np.uint8)
    np.testing.assert_allclose(transforms.to_float(u8), [[0.0, 1.0]])
    np.testing.assert_allclose(transforms.normalize(np.array([1.0, 3.0]), 1.0, 2.0), [0.0, 1.0])
    with pytest.raises(TypeError, match="to_float"):
        transforms.normalize(u8, 0, 1)
    a, b = transforms.standardize(np.array([[1.0], [3.0]]), np.array([[5.0]]))
    np.testing.assert_allclose(a.ravel(), [-1, 1], atol=1e-6) and np.testing.assert_allclose(b, [[3.0]], rtol=1e-6)
    np.testing.assert_array_equal(transforms.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    assert transforms.flatten(np.zeros((2, 3, 4))).shape == (2, 12)
