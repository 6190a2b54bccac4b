"""CIFAR-10 / CIFAR-100: torchvision's layout and behaviour on small archives these tests write, the
restricted unpickler refusing anything but data, and the checked download (fake opener, local server)."""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import struct
import tarfile

import numpy as np
import pytest
from PIL import Image

from glassgrad.data.download import DownloadError
from glassgrad.utils.data import DataLoader
from glassgrad.vision import datasets, transforms
from glassgrad.vision.datasets.archive import extract_archive
from glassgrad.vision.datasets.safe_pickle import load_pickle
from tests.helpers.local_files import FakeOpener, serve_folder

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def _batch(rng, n, classes=10, label_key="labels"):
    images = rng.integers(0, 256, (n, 3072), dtype=np.uint8)  # each row: the R, G, B planes of 32 x 32
    labels = [int(y) for y in rng.integers(0, classes, n)]
    return {"batch_label": "a test batch", label_key: labels, "data": images,
            "filenames": [f"img_{i}.png" for i in range(n)]}


def _cifar10_files(rng, sizes=(3, 2, 4, 1, 2), test_size=3):
    files = {f"data_batch_{k + 1}": _batch(rng, n) for k, n in enumerate(sizes)}
    files["test_batch"] = _batch(rng, test_size)
    files["batches.meta"] = {"label_names": CLASSES, "num_cases_per_batch": 10000, "num_vis": 3072}
    return files


def _write_folder(root, folder, files, protocol=2):
    (root / folder).mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (root / folder / name).write_bytes(pickle.dumps(content, protocol=protocol))


def _archive_bytes(folder, files):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            data = pickle.dumps(content, protocol=2)
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_cifar10_reads_torchvision_layout(tmp_path, rng):
    files = _cifar10_files(rng)
    _write_folder(tmp_path, "cifar-10-batches-py", files)
    train = datasets.CIFAR10(tmp_path, train=True)
    expected = np.concatenate([files[f"data_batch_{k}"]["data"] for k in range(1, 6)])
    assert len(train) == 12 and train.data.shape == (12, 32, 32, 3) and train.data.dtype == np.uint8
    np.testing.assert_array_equal(train.data, expected.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
    assert train.targets == sum((files[f"data_batch_{k}"]["labels"] for k in range(1, 6)), [])
    assert train.classes == CLASSES and train.class_to_idx["truck"] == 9
    image, target = train[4]
    assert isinstance(image, Image.Image) and image.mode == "RGB" and image.size == (32, 32)
    red = expected[4, :1024].reshape(32, 32)
    np.testing.assert_array_equal(np.asarray(image)[..., 0], red)  # the first plane is red
    assert target == train.targets[4] and isinstance(target, int)
    test = datasets.CIFAR10(str(tmp_path), train=False, transform=transforms.ToTensor(),
                            target_transform=lambda y: y + 100)
    x, y = test[2]
    assert x.shape == (3, 32, 32) and x.dtype == np.float32 and y == files["test_batch"]["labels"][2] + 100
    np.testing.assert_allclose(x.numpy(), files["test_batch"]["data"][2].reshape(3, 32, 32) / 255.0, rtol=1e-6)
    assert "Split: Test" in repr(test) and "Number of datapoints: 3" in repr(test)
    batch = next(iter(DataLoader(test, batch_size=3)))
    assert batch[0].shape == (3, 3, 32, 32) and batch[1].tolist() == [v + 100 for v in test.targets]


def test_cifar100_and_every_pickle_protocol(tmp_path, rng):
    meta = {"fine_label_names": [f"class_{i}" for i in range(100)], "coarse_label_names": ["c"] * 20}
    for protocol in (2, 4, 5):
        root = tmp_path / f"p{protocol}"
        train, test = _batch(rng, 5, 100, "fine_labels"), _batch(rng, 2, 100, "fine_labels")
        train["coarse_labels"] = [0] * 5
        _write_folder(root, "cifar-100-python", {"train": train, "test": test, "meta": meta}, protocol)
        ds = datasets.CIFAR100(root)
        assert len(ds) == 5 and ds.targets == train["fine_labels"] and ds.classes[42] == "class_42"
        np.testing.assert_array_equal(ds.data[3], train["data"][3].reshape(3, 32, 32).transpose(1, 2, 0))


def _python2_pickle(labels, data):
    """A batch as Python 2's cPickle wrote CIFAR's files (protocol 2, str as BINSTRING, numpy.core paths)."""
    def short(text):
        raw = text.encode("latin1")
        return b"U" + bytes([len(raw)]) + raw  # SHORT_BINSTRING

    out = b"\x80\x02}q\x00(" + short("data")
    out += b"cnumpy.core.multiarray\n_reconstruct\nq\x01cnumpy\nndarray\nq\x02K\x00\x85" + short("b") + b"\x87R"
    out += b"(K\x01K" + bytes([data.shape[0]]) + b"M" + struct.pack("<H", data.shape[1]) + b"\x86"
    out += b"cnumpy\ndtype\nq\x03" + short("u1") + b"K\x00K\x01\x87R(K\x03" + short("|")
    out += b"NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89T" + struct.pack("<I", data.size)
    out += data.tobytes() + b"tb" + short("labels") + b"]("
    out += b"".join(b"K" + bytes([y]) for y in labels) + b"e" + short("batch_label") + short("training batch")
    return out + b"u."


def test_reads_the_published_python2_format(tmp_path, rng):
    data = rng.integers(0, 256, (3, 3072), dtype=np.uint8)
    path = tmp_path / "data_batch_1"
    path.write_bytes(_python2_pickle([4, 0, 9], data))
    entry = load_pickle(path)
    assert entry["labels"] == [4, 0, 9] and entry["batch_label"] == "training batch"
    np.testing.assert_array_equal(entry["data"], data)
    assert pickle.loads(path.read_bytes(), encoding="latin1")["labels"] == [4, 0, 9]  # what torchvision reads


class _Exploit:
    def __reduce__(self):
        return (os.system, ("echo this must never run",))


@pytest.mark.parametrize("payload, message", [
    ({"data": _Exploit()}, "refusing to load global posix.system|refusing to load global nt.system"),
    (np.array([1, "a"], dtype=object), "object arrays"),
    (np.ma.masked_array([1, 2]), "refusing to load global numpy.ma"),
])
def test_restricted_unpickler_refuses_code_and_objects(tmp_path, payload, message):
    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps(payload, protocol=2))
    with pytest.raises(pickle.UnpicklingError, match=message) as caught:
        load_pickle(path)
    assert str(path) in str(caught.value)


def test_malicious_or_malformed_batches_fail_with_the_file_named(tmp_path, rng):
    files = _cifar10_files(rng)
    files["data_batch_3"] = {"data": _Exploit(), "labels": []}
    _write_folder(tmp_path, "cifar-10-batches-py", files)
    with pytest.raises(pickle.UnpicklingError, match="data_batch_3.*refusing to load global"):
        datasets.CIFAR10(tmp_path)
    files["data_batch_3"] = {"data": np.zeros((2, 100), np.uint8), "labels": [0, 1]}
    _write_folder(tmp_path, "cifar-10-batches-py", files)
    with pytest.raises(RuntimeError, match=r"data_batch_3: 'data' must be a uint8 array \(N, 3072\)"):
        datasets.CIFAR10(tmp_path)
    files["data_batch_3"] = _batch(rng, 2)
    files["data_batch_3"]["labels"] = [3, 12]
    _write_folder(tmp_path, "cifar-10-batches-py", files)
    with pytest.raises(RuntimeError, match=r"labels must lie in \[0, 10\)"):
        datasets.CIFAR10(tmp_path)
    (tmp_path / "cifar-10-batches-py" / "data_batch_3").write_bytes(pickle.dumps(_batch(rng, 2))[:50])
    with pytest.raises(pickle.UnpicklingError, match="data_batch_3: .*truncated"):
        datasets.CIFAR10(tmp_path)
    (tmp_path / "cifar-10-batches-py" / "test_batch").unlink()
    with pytest.raises(RuntimeError, match="Dataset not found or corrupted.*test_batch"):
        datasets.CIFAR10(tmp_path / "nowhere")
        datasets.CIFAR10(tmp_path)


def test_urls_and_checksums_are_torchvisions(tv):
    _, torchvision = tv
    for name in ("CIFAR10", "CIFAR100"):
        theirs, ours = getattr(torchvision.datasets, name), getattr(datasets, name)
        assert (ours.url, ours.filename, ours.tgz_md5, ours.base_folder) == \
            (theirs.url, theirs.filename, theirs.tgz_md5, theirs.base_folder)
        assert ours.train_list == list(theirs.train_list) and ours.test_list == list(theirs.test_list)
        assert ours.meta == dict(theirs.meta)
    assert datasets.SVHN.split_list == dict(torchvision.datasets.SVHN.split_list)


def test_download_checks_the_md5_then_unpacks(tmp_path, rng, monkeypatch):
    files = _cifar10_files(rng)
    archive = _archive_bytes("cifar-10-batches-py", files)
    monkeypatch.setattr(datasets.CIFAR10, "download_retries", 1)
    opener = FakeOpener({datasets.CIFAR10.url: archive})
    monkeypatch.setattr(datasets.CIFAR10, "opener", opener)
    with pytest.raises(DownloadError, match="MD5 mismatch"):  # the real checksum: our archive is not CIFAR's
        datasets.CIFAR10(tmp_path, download=True)
    assert not (tmp_path / "cifar-10-batches-py").exists()
    monkeypatch.setattr(datasets.CIFAR10, "tgz_md5", hashlib.md5(archive).hexdigest())  # noqa: S324
    ds = datasets.CIFAR10(tmp_path, download=True)
    assert len(ds) == 12 and (tmp_path / "cifar-10-python.tar.gz").is_file()
    datasets.CIFAR10(tmp_path, train=False, download=True)  # already there: nothing fetched
    assert opener.calls == [datasets.CIFAR10.url] * 2


def test_download_from_a_local_server(tmp_path, rng, monkeypatch):
    files = _cifar10_files(rng)
    archive = _archive_bytes("cifar-10-batches-py", files)
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "cifar-10-python.tar.gz").write_bytes(archive)

    with serve_folder(tmp_path / "www") as url:
        monkeypatch.setattr(datasets.CIFAR10, "url", url + "cifar-10-python.tar.gz")
        monkeypatch.setattr(datasets.CIFAR10, "tgz_md5", hashlib.md5(archive).hexdigest())  # noqa: S324
        ds = datasets.CIFAR10(tmp_path / "data", train=False, download=True)
    assert ds.targets == files["test_batch"]["labels"]


def test_archive_members_cannot_escape_the_folder(tmp_path):
    for name, kind in (("../evil.txt", tarfile.REGTYPE), ("/abs/evil.txt", tarfile.REGTYPE),
                       ("link", tarfile.SYMTYPE)):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
            info = tarfile.TarInfo(name)
            info.type = kind
            info.linkname = "/etc/passwd" if kind == tarfile.SYMTYPE else ""
            info.size = 0 if kind == tarfile.SYMTYPE else 4
            archive.addfile(info, None if kind == tarfile.SYMTYPE else io.BytesIO(b"evil"))
        path = tmp_path / "bad.tar.gz"
        path.write_bytes(buffer.getvalue())
        with pytest.raises(tarfile.TarError, match="outside|not a plain file"):
            extract_archive(path, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "out" / "link").exists()


def test_numpy_image_backend(tmp_path, rng):
    from glassgrad import vision

    _write_folder(tmp_path, "cifar-10-batches-py", _cifar10_files(rng))
    ds = datasets.CIFAR10(tmp_path, train=False)
    vision.set_image_backend("numpy")
    try:
        image, _ = ds[1]
        assert vision.get_image_backend() == "numpy"
    finally:
        vision.set_image_backend("PIL")
    assert isinstance(image, np.ndarray) and image.shape == (32, 32, 3)
    np.testing.assert_array_equal(image, ds.data[1])
    with pytest.raises(ValueError, match="Invalid backend"):
        vision.set_image_backend("accimage")
