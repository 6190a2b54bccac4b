"""IDX reading and writing: round trips, and clear errors on bad files."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest

from glassgrad.data.idx import idx_bytes, parse_idx, read_idx, write_idx


@pytest.mark.parametrize("name", ["x.idx", "x.idx.gz"])
def test_round_trip_images_and_labels(tmp_path, rng, name):
    images = rng.integers(0, 256, size=(7, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7).astype(np.uint8)
    write_idx(tmp_path / ("img-" + name), images)
    write_idx(tmp_path / ("lab-" + name), labels)
    np.testing.assert_array_equal(read_idx(tmp_path / ("img-" + name), expected_ndim=3), images)
    np.testing.assert_array_equal(read_idx(tmp_path / ("lab-" + name), expected_ndim=1), labels)


def test_magic_numbers_are_the_classic_ones():
    assert idx_bytes(np.zeros(3, np.uint8))[:4] == bytes.fromhex("00000801")
    assert idx_bytes(np.zeros((2, 4, 4), np.uint8))[:4] == bytes.fromhex("00000803")


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.float32, np.float64])
def test_other_dtypes_round_trip(rng, dtype):
    a = (rng.normal(size=(3, 5)) * 50).astype(dtype)
    back = parse_idx(idx_bytes(a))
    assert back.dtype == a.dtype
    np.testing.assert_array_equal(back, a)


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_file_is_an_error_naming_the_file(tmp_path, gz):
    data = idx_bytes(np.arange(100, dtype=np.uint8).reshape(4, 5, 5))[:-3]
    path = tmp_path / ("short.idx.gz" if gz else "short.idx")
    path.write_bytes(gzip.compress(data) if gz else data)
    with pytest.raises(ValueError, match=r"short\.idx.*truncated"):
        read_idx(path)


def test_trailing_bytes_are_an_error(tmp_path):
    path = tmp_path / "long.idx"
    path.write_bytes(idx_bytes(np.zeros(5, np.uint8)) + b"\x00")
    with pytest.raises(ValueError, match="trailing"):
        read_idx(path)


def test_wrong_magic(tmp_path):
    path = tmp_path / "bad.idx"
    path.write_bytes(b"\x12\x34\x08\x01" + struct.pack(">I", 2) + b"\x00\x01")
    with pytest.raises(ValueError, match=r"bad\.idx.*magic"):
        read_idx(path)


def test_wrong_number_of_dims_for_labels(tmp_path):
    path = write_idx(tmp_path / "img.idx", np.zeros((2, 3, 3), np.uint8))
    with pytest.raises(ValueError, match="expected 1"):
        read_idx(path, expected_ndim=1)


def test_corrupt_gzip(tmp_path):
    good = gzip.compress(idx_bytes(np.arange(1000, dtype=np.int32)))
    path = tmp_path / "cut.idx.gz"
    path.write_bytes(good[: len(good) // 2])
    with pytest.raises(ValueError, match=r"cut\.idx\.gz"):
        read_idx(path)


def test_header_too_short():
    with pytest.raises(ValueError, match="too short"):
        parse_idx(b"\x00\x00", "tiny")
    with pytest.raises(ValueError, match="truncated header"):
        parse_idx(b"\x00\x00\x08\x03\x00\x00\x00\x01", "hdr")


def test_unsupported_dtype_to_write():
    with pytest.raises(TypeError, match="no IDX code"):
        idx_bytes(np.zeros(3, np.uint16))
