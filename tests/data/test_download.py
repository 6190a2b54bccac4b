"""fetch / download_dataset with a fake opener and a local HTTP server: never the network."""

from __future__ import annotations

import gzip
import hashlib

import numpy as np
import pytest

from glassgrad.data import download
from glassgrad.data.download import DownloadError, fetch, file_digest
from glassgrad.data.idx import idx_bytes
from tests.helpers.local_files import FakeOpener, serve_folder

PAYLOAD = b"glassgrad test payload " * 100
SHA = hashlib.sha256(PAYLOAD).hexdigest()
MD5 = hashlib.md5(PAYLOAD).hexdigest()  # noqa: S324 (a checksum, not security)


def _no_sleep(seconds):
    pass


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_checksum_ok(tmp_path):
    opener = FakeOpener({"http://a/f": PAYLOAD})
    path = fetch("http://a/f", tmp_path / "f", sha256=SHA, opener=opener, sleep=_no_sleep)
    assert path.read_bytes() == PAYLOAD
    assert _leftovers(tmp_path) == []


def test_md5_when_sha_unknown(tmp_path):
    opener = FakeOpener({"http://a/f": PAYLOAD})
    fetch("http://a/f", tmp_path / "f", md5=MD5, opener=opener, sleep=_no_sleep)
    with pytest.raises(DownloadError, match="MD5 mismatch"):
        fetch("http://a/f", tmp_path / "g", md5="0" * 32, opener=opener, retries=1, sleep=_no_sleep)


def test_checksum_bad_leaves_no_file(tmp_path):
    opener = FakeOpener({"http://a/f": PAYLOAD})
    with pytest.raises(DownloadError, match="SHA-256 mismatch"):
        fetch("http://a/f", tmp_path / "f", sha256="0" * 64, opener=opener, retries=2, sleep=_no_sleep)
    assert not (tmp_path / "f").exists()
    assert _leftovers(tmp_path) == []
    assert len(opener.calls) == 2


def test_retry_after_failures_and_backoff(tmp_path):
    opener = FakeOpener({"http://a/f": PAYLOAD}, failures=2)
    slept = []
    fetch("http://a/f", tmp_path / "f", sha256=SHA, opener=opener, retries=3, backoff=0.5, sleep=slept.append)
    assert len(opener.calls) == 3
    assert slept == [0.5, 1.0]


def test_second_mirror_used_when_first_fails(tmp_path):
    opener = FakeOpener({"http://b/f": PAYLOAD})
    fetch(["http://a/f", "http://b/f"], tmp_path / "f", sha256=SHA, opener=opener, retries=1, sleep=_no_sleep)
    assert opener.calls == ["http://a/f", "http://b/f"]


def test_cache_hit_makes_no_request(tmp_path):
    (tmp_path / "f").write_bytes(PAYLOAD)
    opener = FakeOpener({})
    fetch("http://a/f", tmp_path / "f", sha256=SHA, opener=opener, sleep=_no_sleep)
    assert opener.calls == []


def test_stale_cache_is_replaced(tmp_path):
    (tmp_path / "f").write_bytes(b"old and wrong")
    opener = FakeOpener({"http://a/f": PAYLOAD})
    fetch("http://a/f", tmp_path / "f", sha256=SHA, opener=opener, sleep=_no_sleep)
    assert (tmp_path / "f").read_bytes() == PAYLOAD


class Interrupted:
    """A stream that dies half way: the partial bytes must not become the file."""

    def __init__(self):
        self.sent = False

    def read(self, n):
        if not self.sent:
            self.sent = True
            return PAYLOAD[:100]
        raise ConnectionError("stream cut (fake)")


def test_interrupted_download_is_atomic(tmp_path):
    with pytest.raises(DownloadError, match="stream cut"):
        fetch("http://a/f", tmp_path / "f", sha256=SHA, opener=lambda url, t: Interrupted(), retries=1,
              sleep=_no_sleep)
    assert list(tmp_path.iterdir()) == []


def test_unknown_hash_validates_content_and_records_it(tmp_path):
    opener = FakeOpener({"http://a/f": PAYLOAD})

    def reject(path):
        raise ValueError("not an IDX file")

    with pytest.raises(DownloadError, match="not an IDX"):
        fetch("http://a/f", tmp_path / "f", validate=reject, opener=opener, retries=1, sleep=_no_sleep)
    fetch("http://a/f", tmp_path / "f", validate=lambda p: None, opener=opener, sleep=_no_sleep)
    recorded = (tmp_path / "f.sha256").read_text().split()[0]
    assert recorded == SHA == file_digest(tmp_path / "f")
    calls = len(opener.calls)
    fetch("http://a/f", tmp_path / "f", opener=opener, sleep=_no_sleep)  # cache hit via the record
    assert len(opener.calls) == calls


def test_download_dataset_checks_idx_structure(tmp_path, rng):
    images = gzip.compress(idx_bytes(rng.integers(0, 256, (3, 28, 28), dtype=np.uint8)))
    labels = gzip.compress(idx_bytes(np.array([1, 2, 3], np.uint8)))
    pages = {"http://m/t10k-images-idx3-ubyte.gz": images, "http://m/t10k-labels-idx1-ubyte.gz": labels}
    fake_files = (download.RemoteFile("t10k-images-idx3-ubyte.gz"), download.RemoteFile("t10k-labels-idx1-ubyte.gz"))
    original = download.DATASETS["mnist"]
    download.DATASETS["mnist"] = (("http://m/",), fake_files)
    try:
        folder = download.download_dataset("mnist", tmp_path, opener=FakeOpener(pages), sleep=_no_sleep)
        from glassgrad.data.mnist import load_mnist

        x, y = load_mnist(tmp_path, train=False)
        assert folder == tmp_path / "mnist" and x.shape == (3, 28, 28) and y.tolist() == [1, 2, 3]
        pages["http://m/t10k-labels-idx1-ubyte.gz"] = b"\x00\x00\x08\x01garbage"
        (folder / "t10k-labels-idx1-ubyte.gz").unlink()
        (folder / "t10k-labels-idx1-ubyte.gz.sha256").unlink()
        with pytest.raises(DownloadError, match="truncated|trailing"):
            download.download_dataset("mnist", tmp_path, opener=FakeOpener(pages), retries=1, sleep=_no_sleep)
    finally:
        download.DATASETS["mnist"] = original


def test_unknown_dataset_name():
    with pytest.raises(ValueError, match="unknown data set"):
        download.download_dataset("cifar")


@pytest.fixture
def local_server(tmp_path):
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "f").write_bytes(PAYLOAD)
    with serve_folder(tmp_path / "www") as url:
        yield url


def test_real_opener_against_local_server(tmp_path, local_server):
    dest = tmp_path / "out" / "f"
    fetch([local_server + "missing", local_server + "f"], dest, sha256=SHA, retries=1, timeout=5, sleep=_no_sleep)
    assert dest.read_bytes() == PAYLOAD
