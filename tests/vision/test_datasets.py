"""vision.datasets: torchvision's MNIST / FashionMNIST / FakeData on local files and a fake downloader."""

from __future__ import annotations

import gzip
import hashlib
import io

import numpy as np
import pytest
from PIL import Image

import glassgrad as torch
from glassgrad import vision
from glassgrad.data import mnist as data_mnist
from glassgrad.data import write_idx
from glassgrad.data.download import RemoteFile
from glassgrad.data.idx import idx_bytes
from glassgrad.vision import datasets, transforms

PREFIXES = {"train": "train", "test": "t10k"}


@pytest.fixture(autouse=True)
def no_real_data(tmp_path, monkeypatch):
    """Nothing outside tmp_path is ever found: the cache, GLASSGRAD_DATA and system folders point nowhere."""
    monkeypatch.setenv("GLASSGRAD_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("GLASSGRAD_DATA", raising=False)
    monkeypatch.setitem(data_mnist.SYSTEM_DIRS, "fashion-mnist", ())


def _idx_files(rng, n):
    images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, n).astype(np.uint8)
    return images, labels


def _write_split(folder, split, images, labels, gz=True):
    folder.mkdir(parents=True, exist_ok=True)
    ext = ".gz" if gz else ""
    write_idx(folder / f"{PREFIXES[split]}-images-idx3-ubyte{ext}", images)
    write_idx(folder / f"{PREFIXES[split]}-labels-idx1-ubyte{ext}", labels)


def test_torchvision_layout_and_items(tmp_path, rng):
    images, labels = _idx_files(rng, 5)
    _write_split(tmp_path / "MNIST" / "raw", "train", images, labels)
    ds = datasets.MNIST(tmp_path, train=True)
    assert len(ds) == 5 and ds.data.dtype == np.uint8 and ds.data.shape == (5, 28, 28)
    assert ds.targets.dtype == np.int64 and ds.targets.tolist() == labels.tolist()
    image, label = ds[2]
    assert isinstance(image, Image.Image) and image.mode == "L" and image.size == (28, 28)  # as torchvision
    np.testing.assert_array_equal(np.asarray(image), images[2])
    assert isinstance(label, int) and label == labels[2]
    vision.set_image_backend("numpy")
    try:
        array, _ = ds[2]
    finally:
        vision.set_image_backend("PIL")
    assert isinstance(array, np.ndarray) and array.dtype == np.uint8 and array.shape == (28, 28)
    np.testing.assert_array_equal(array, images[2])
    assert ds.classes[3] == "3 - three" and ds.class_to_idx["9 - nine"] == 9
    assert "Split: Train" in repr(ds)


def test_pytorch_examples_mnist_pipeline(tmp_path, rng):
    images, labels = _idx_files(rng, 6)
    _write_split(tmp_path / "data", "train", images, labels, gz=False)  # root holds the IDX files themselves
    dataset = datasets.MNIST(tmp_path / "data", train=True, download=True, transform=transforms.Compose([
        transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]), target_transform=lambda y: y + 100)
    image, target = dataset[0]
    assert image.shape == (1, 28, 28) and image.dtype == np.float32 and target == labels[0] + 100
    np.testing.assert_allclose(image.numpy()[0], (images[0] / 255.0 - 0.1307) / 0.3081, rtol=1e-5, atol=1e-6)
    loader = torch.utils.data.DataLoader(dataset, batch_size=4, shuffle=True, num_workers=1, pin_memory=True)
    data, target = next(iter(loader))
    assert data.shape == (4, 1, 28, 28) and data.dtype == np.float32 and target.dtype == np.int64


def test_dcgan_pipeline_with_glassgrad_data(tmp_path, rng, monkeypatch):
    images, labels = _idx_files(rng, 3)
    _write_split(tmp_path / "env" / "mnist", "test", images, labels)
    monkeypatch.setenv("GLASSGRAD_DATA", str(tmp_path / "env"))
    dataset = datasets.MNIST(root=str(tmp_path / "elsewhere"), train=False, download=True,
                             transform=transforms.Compose([transforms.Resize(64), transforms.ToTensor(),
                                                           transforms.Normalize((0.5,), (0.5,))]))
    image, _ = dataset[1]
    assert image.shape == (1, 64, 64) and -1.0 <= image.numpy().min() and image.numpy().max() <= 1.0
    assert not (tmp_path / "elsewhere").exists()  # found locally: nothing downloaded


def test_download_uses_the_checked_fetcher(tmp_path, rng, monkeypatch):
    files = {}
    for split, (images, labels) in {"train": _idx_files(rng, 4), "test": _idx_files(rng, 2)}.items():
        files[f"{PREFIXES[split]}-images-idx3-ubyte.gz"] = gzip.compress(idx_bytes(images), mtime=0)
        files[f"{PREFIXES[split]}-labels-idx1-ubyte.gz"] = gzip.compress(idx_bytes(labels), mtime=0)
    requested = []

    def fake_opener(url, timeout):
        requested.append(url)
        return io.BytesIO(files[url.rsplit("/", 1)[1]])

    monkeypatch.setattr(datasets.FashionMNIST, "mirrors", ["https://mirror.invalid/"])
    monkeypatch.setattr(datasets.FashionMNIST, "resources",
                        [RemoteFile(name, md5=hashlib.md5(data).hexdigest()) for name, data in files.items()])
    monkeypatch.setattr(datasets.FashionMNIST, "opener", fake_opener)
    ds = datasets.FashionMNIST(tmp_path, train=False, download=True)
    assert len(ds) == 2 and ds.classes[9] == "Ankle boot"
    assert sorted(p.name for p in (tmp_path / "FashionMNIST" / "raw").iterdir()) == sorted(files)
    assert len(requested) == 4
    datasets.FashionMNIST(tmp_path, train=True, download=True)
    assert len(requested) == 4  # already there: not fetched again
    bad = dict(files)
    bad["t10k-labels-idx1-ubyte.gz"] = b"garbage"
    monkeypatch.setattr(datasets.FashionMNIST, "opener", lambda url, t: io.BytesIO(bad[url.rsplit("/", 1)[1]]))
    monkeypatch.setattr(datasets.FashionMNIST, "download_retries", 1)
    with pytest.raises(Exception, match="MD5 mismatch"):
        datasets.FashionMNIST(tmp_path / "other", train=False, download=True)


def test_missing_files_give_one_clear_error(tmp_path):
    with pytest.raises(RuntimeError, match="download=True"):
        datasets.MNIST(tmp_path / "nothing", train=True)


def test_fake_data():
    ds = datasets.FakeData(size=5, image_size=(3, 8, 6), num_classes=4, transform=transforms.ToTensor())
    image, label = ds[1]
    assert image.shape == (3, 8, 6) and image.dtype == np.float32 and 0 <= label < 4
    np.testing.assert_array_equal(ds[1][0].numpy(), image.numpy())  # the same sample every time
    gray, _ = datasets.FakeData(2, (1, 4, 4))[0]
    assert isinstance(gray, Image.Image) and gray.mode == "L" and gray.size == (4, 4)
    batch = next(iter(torch.utils.data.DataLoader(ds, batch_size=5)))
    assert batch[0].shape == (5, 3, 8, 6) and batch[1].dtype == np.int64
    with pytest.raises(IndexError):
        ds[5]
