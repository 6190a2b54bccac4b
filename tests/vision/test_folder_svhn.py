"""ImageFolder / DatasetFolder against torchvision's on folders these tests write; SVHN on a small .mat file."""

from __future__ import annotations

import hashlib
import io
import os

import numpy as np
import pytest
import scipy.io
from PIL import Image

from glassgrad.vision import datasets, transforms
from glassgrad.vision.datasets import folder as folder_module


def _image_tree(root, rng):
    """dog/{a,b}.png, dog/nested/c.jpg, cat/d.PNG, cat/notes.txt, empty/, a stray file at the top."""
    layout = {"dog/a.png": (5, 6), "dog/b.png": (4, 4), "dog/nested/c.jpg": (3, 7), "cat/d.PNG": (6, 5)}
    pixels = {}
    for relative, (h, w) in layout.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        array = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        image = Image.fromarray(array)
        image.save(path, format="PNG")  # PNG bytes even for .jpg: lossless, and Pillow reads by content
        pixels[relative] = array
    (root / "cat" / "notes.txt").write_text("not an image")
    (root / "empty").mkdir()
    (root / "stray.png").write_bytes((root / "dog" / "b.png").read_bytes())
    return pixels


def _relative(samples):
    """(path, target) pairs with paths relative to the current folder (the tests run in their tmp_path, so that
    the paths torchvision answered with when recorded are the paths of a replay)."""
    return [(os.path.relpath(path), target) for path, target in samples]


def test_image_folder_matches_torchvision(tv, tmp_path, rng, monkeypatch):
    _, torchvision = tv
    pixels = _image_tree(tmp_path, rng)
    (tmp_path / "empty").rmdir()
    monkeypatch.chdir(tmp_path)
    theirs = torchvision.datasets.ImageFolder(".")
    ours = datasets.ImageFolder(".")
    assert ours.classes == list(theirs.classes) == ["cat", "dog"]
    assert ours.class_to_idx == dict(theirs.class_to_idx)
    assert _relative(ours.samples) == _relative(list(theirs.samples))
    assert ours.targets == list(theirs.targets) == [0, 1, 1, 1] and ours.imgs is ours.samples
    for k, (path, _) in enumerate(ours.samples):
        image, target = ours[k]
        assert isinstance(image, Image.Image) and image.mode == "RGB" and target == ours.targets[k]
        np.testing.assert_array_equal(np.asarray(image), pixels[os.path.relpath(path)])
    tensor, _ = datasets.ImageFolder(tmp_path, transform=transforms.Compose([transforms.Resize((4, 4)),
                                                                              transforms.ToTensor()]))[0]
    assert tensor.shape == (3, 4, 4)


def test_dataset_folder_options(tv, tmp_path, rng, monkeypatch):
    _, torchvision = tv
    _image_tree(tmp_path, rng)
    monkeypatch.chdir(tmp_path)
    def read_bytes(path):
        with open(path, "rb") as handle:
            return handle.read(8)

    theirs = torchvision.datasets.DatasetFolder(".", read_bytes, extensions=(".txt", ".jpg"), allow_empty=True)
    ours = datasets.DatasetFolder(".", read_bytes, extensions=(".txt", ".jpg"), allow_empty=True)
    assert ours.classes == list(theirs.classes) == ["cat", "dog", "empty"]
    assert _relative(ours.samples) == _relative(list(theirs.samples))
    assert ours[0] == (b"not an i", 0)
    only_b = datasets.ImageFolder(tmp_path, is_valid_file=lambda p: p.endswith(("b.png", "d.PNG")), allow_empty=True)
    assert _relative(only_b.samples) == [("cat/d.PNG", 0), ("dog/b.png", 1)]
    with pytest.raises(FileNotFoundError, match="Found no valid file for the classes empty"):
        datasets.ImageFolder(tmp_path)
    with pytest.raises(ValueError, match="Both extensions and is_valid_file cannot be None"):
        datasets.DatasetFolder(tmp_path, read_bytes)
    with pytest.raises(ValueError, match="Both extensions and is_valid_file cannot be None"):
        folder_module.make_dataset(tmp_path, {"cat": 0}, extensions=".png", is_valid_file=lambda p: True)
    with pytest.raises(FileNotFoundError, match="Couldn't find any class folder"):
        datasets.ImageFolder(tmp_path / "cat")
    assert folder_module.has_file_allowed_extension("X.JPEG", (".jpeg",)) and not folder_module.is_image_file("a.gif")

    class OnlyDogs(datasets.ImageFolder):
        def find_classes(self, directory):
            return ["dog"], {"dog": 7}

    assert set(OnlyDogs(tmp_path).targets) == {7}


def test_image_folder_with_the_numpy_backend(tmp_path, rng):
    from glassgrad import vision

    pixels = _image_tree(tmp_path, rng)
    vision.set_image_backend("numpy")
    try:
        image, _ = datasets.ImageFolder(tmp_path, allow_empty=True)[0]
    finally:
        vision.set_image_backend("PIL")
    np.testing.assert_array_equal(image, pixels["cat/d.PNG"])


def _write_svhn(path, rng, n):
    images = rng.integers(0, 256, (32, 32, 3, n), dtype=np.uint8)
    labels = rng.integers(1, 11, (n, 1)).astype(np.uint8)  # 1..10, 10 meaning the digit 0
    labels[0] = 10
    scipy.io.savemat(path, {"X": images, "y": labels})
    return images, labels


def test_svhn_reads_the_mat_files(tmp_path, rng):
    images, labels = _write_svhn(tmp_path / "test_32x32.mat", rng, 5)
    ds = datasets.SVHN(tmp_path, split="test")
    assert len(ds) == 5 and ds.data.shape == (5, 3, 32, 32) and ds.labels[0] == 0
    np.testing.assert_array_equal(ds.labels[1:], labels[1:, 0] % 10)
    image, target = ds[2]
    assert isinstance(image, Image.Image) and image.size == (32, 32) and target == labels[2, 0] % 10
    np.testing.assert_array_equal(np.asarray(image), images[..., 2])
    assert "Split: test" in repr(ds)
    with pytest.raises(ValueError, match="Unknown value 'valid' for argument split"):
        datasets.SVHN(tmp_path, split="valid")
    with pytest.raises(RuntimeError, match="Dataset not found"):
        datasets.SVHN(tmp_path, split="train")


def test_svhn_download_is_checked(tmp_path, rng, monkeypatch):
    _write_svhn(tmp_path / "made.mat", rng, 3)
    payload = (tmp_path / "made.mat").read_bytes()
    url = datasets.SVHN.split_list["extra"][0]
    monkeypatch.setattr(datasets.SVHN, "opener", lambda u, timeout: io.BytesIO(payload) if u == url else None)
    monkeypatch.setattr(datasets.SVHN, "download_retries", 1)
    with pytest.raises(Exception, match="MD5 mismatch"):
        datasets.SVHN(tmp_path / "root", split="extra", download=True)
    split_list = dict(datasets.SVHN.split_list)
    split_list["extra"] = [url, "extra_32x32.mat", hashlib.md5(payload).hexdigest()]  # noqa: S324
    monkeypatch.setattr(datasets.SVHN, "split_list", split_list)
    assert len(datasets.SVHN(tmp_path / "root", split="extra", download=True)) == 3
