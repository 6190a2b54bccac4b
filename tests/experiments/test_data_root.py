"""The experiments' data: one data root (--data-dir, then $GLASSGRAD_DATA, then the cache), checked
downloads into the cache with a progress bar, and one-line errors when the data cannot be had.

Every test builds its own tiny IDX files and serves them through a fake opener: nothing reads the
real data sets or the network (conftest.py points the cache at tmp_path and unsets GLASSGRAD_DATA).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import urllib.error

import numpy as np
import pytest

from glassgrad import cli
from glassgrad.data import download
from glassgrad.data.idx import idx_bytes, write_idx
from glassgrad_experiments.common import data as experiment_data

SPLITS = {"train": "train", "test": "t10k"}


def write_set(folder, n_train, n_test, seed=0):
    """Fake MNIST-format files: n_train training and n_test test images in ``folder``."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28), dtype=np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", rng.integers(0, 10, n).astype(np.uint8))


class FakeResponse(io.BytesIO):
    """What urlopen returns, as far as fetch reads it: bytes and a Content-Length header."""

    def __init__(self, payload: bytes) -> None:
        super().__init__(payload)
        self.headers = {"Content-Length": str(len(payload))}


@pytest.fixture
def no_pause(monkeypatch):
    monkeypatch.setattr(download.time, "sleep", lambda seconds: None)  # the back-off between download rounds


@pytest.fixture
def fake_mnist_server(monkeypatch):
    """Serve four small gzipped IDX files as "mnist" (with their true SHA-256s); returns the requested URLs."""
    rng = np.random.default_rng(1)
    payloads = {}
    for prefix, n in (("train", 6), ("t10k", 4)):
        payloads[f"{prefix}-images-idx3-ubyte.gz"] = gzip.compress(
            idx_bytes(rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)), mtime=0)
        payloads[f"{prefix}-labels-idx1-ubyte.gz"] = gzip.compress(
            idx_bytes(rng.integers(0, 10, n).astype(np.uint8)), mtime=0)
    files = tuple(download.RemoteFile(name, sha256=hashlib.sha256(body).hexdigest()) for name, body in payloads.items())
    monkeypatch.setitem(download.DATASETS, "mnist", (("https://mirror.test/mnist/",), files))
    requested = []

    def opener(url, timeout):
        requested.append(url)
        return FakeResponse(payloads[url.rsplit("/", 1)[-1]])

    monkeypatch.setattr(download, "default_opener", opener)
    return requested


def test_the_data_root_is_the_flag_then_the_environment_then_the_cache(tmp_path, monkeypatch):
    write_set(tmp_path / "cache" / "mnist", 3, 2)
    write_set(tmp_path / "env" / "mnist", 4, 2)
    write_set(tmp_path / "flag", 5, 2)  # the files may also sit directly in the root
    assert len(experiment_data.load_images("mnist", download=False).x_train) == 3
    monkeypatch.setenv("GLASSGRAD_DATA", str(tmp_path / "env"))
    assert len(experiment_data.load_images("mnist", download=False).x_train) == 4
    data = experiment_data.load_images("mnist", str(tmp_path / "flag"), download=False)
    assert len(data.x_train) == 5 and data.x_train.shape[1:] == (1, 28, 28) and data.x_train.dtype == np.float32
    assert download.data_root(str(tmp_path / "flag")) == tmp_path / "flag"
    assert download.data_root() == tmp_path / "env"


def test_data_dir_is_honoured_for_fashion_mnist_whatever_its_name(tmp_path):
    write_set(tmp_path / "clothes", 7, 3)
    data = experiment_data.load_images("fashion", str(tmp_path / "clothes"), download=False)
    assert (len(data.x_train), len(data.x_test)) == (7, 3)
    assert data.mean == pytest.approx(0.2860)  # standardised with Fashion-MNIST's statistics


def test_no_download_fails_with_one_line_naming_the_folder(tmp_path, fake_mnist_server):
    with pytest.raises(experiment_data.DataNotFoundError) as caught:
        experiment_data.load_images("fashion", str(tmp_path / "empty"), download=False)
    message = str(caught.value)
    assert "\n" not in message and str(tmp_path / "empty" / "fashion-mnist") in message
    assert "--no-download" in message and "t10k-labels-idx1-ubyte.gz" in message
    assert fake_mnist_server == []  # nothing was fetched


def test_offline_the_cli_prints_one_line_saying_where_to_put_the_files(tmp_path, monkeypatch, capsys, no_pause):
    def offline(url, timeout):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(download, "default_opener", offline)
    code = cli.main(["run", "mnist-mlp", "--data-dir", str(tmp_path / "mine"), "--epochs", "1",
                     "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert code == 2
    lines = [line for line in err.splitlines() if line.startswith("glassgrad: error")]
    assert len(lines) == 1, err
    assert str(tmp_path / "mine" / "mnist") in lines[0] and "--data-dir" in lines[0]
    assert "name resolution" in lines[0] and "put train-images-idx3-ubyte.gz" in lines[0]
    assert not list((tmp_path / "cache").rglob("*.part"))  # nothing half-written stays behind


def test_a_missing_set_is_downloaded_into_the_cache_checked_and_with_a_progress_bar(tmp_path, capsys,
                                                                                   fake_mnist_server):
    data = experiment_data.load_images("mnist")  # no flag, no $GLASSGRAD_DATA: the cache
    assert (len(data.x_train), len(data.x_test)) == (6, 4)
    cached = tmp_path / "cache" / "mnist"
    assert sorted(p.name for p in cached.iterdir()) == sorted(name.rsplit("/", 1)[-1] for name in fake_mnist_server)
    err = capsys.readouterr().err
    assert "train-images-idx3-ubyte.gz [" in err and "100%" in err  # the bar reached its end
    experiment_data.load_images("mnist")
    assert len(fake_mnist_server) == 4  # the second time the files come from the cache


def test_a_download_with_the_wrong_checksum_is_refused(tmp_path, monkeypatch, fake_mnist_server, no_pause):
    mirrors, files = download.DATASETS["mnist"]
    monkeypatch.setitem(download.DATASETS, "mnist", (mirrors, (download.RemoteFile(files[0].name, sha256="0" * 64),
                                                                *files[1:])))
    with pytest.raises(experiment_data.DataNotFoundError, match="SHA-256 mismatch") as caught:
        experiment_data.load_images("mnist")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "cache" / "mnist" / files[0].name).exists()


def test_text_sets_come_from_the_root_or_a_checked_download(tmp_path, monkeypatch, capsys, no_pause):
    (tmp_path / "root" / "text").mkdir(parents=True)
    (tmp_path / "root" / "text" / "dinos.txt").write_text("Aardonyx\nAbelisaurus\n")
    assert experiment_data.load_text("dinos", str(tmp_path / "root")).split() == ["Aardonyx", "Abelisaurus"]
    with pytest.raises(experiment_data.DataNotFoundError, match="cannot be downloaded") as caught:
        experiment_data.load_text("dinos", str(tmp_path / "elsewhere"))
    assert str(tmp_path / "elsewhere" / "text") in str(caught.value)
    body = b"First Citizen:\nBefore we proceed any further, hear me speak.\n"
    monkeypatch.setitem(experiment_data.TEXT_SETS, "tinyshakespeare", experiment_data.TextFile(
        "tinyshakespeare.txt", ("https://mirror.test/input.txt",), hashlib.sha256(body).hexdigest()))
    monkeypatch.setattr(download, "default_opener", lambda url, timeout: FakeResponse(body))
    assert experiment_data.load_text("tinyshakespeare") == body.decode()
    assert (tmp_path / "cache" / "text" / "tinyshakespeare.txt").read_bytes() == body
    assert "100%" in capsys.readouterr().err


def test_synthetic_needs_no_files_and_unknown_sets_are_named():
    data = experiment_data.load_images("synthetic", n_train=20, n_test=10)
    assert data.x_train.shape == (20, 1, 28, 28) and abs(float(data.x_train.mean())) < 1e-5
    assert "Citizen" not in experiment_data.load_text("synthetic")
    with pytest.raises(ValueError, match="mnist, fashion, synthetic"):
        experiment_data.load_images("cifar")
