"""IDX files: the MNIST container format, read and written with validation.

An IDX file is a 4-byte magic number, one big-endian uint32 per dimension, then
the values in C order, big-endian::

    magic = 0x00 0x00 <dtype code> <number of dims>
    0x00000801  a vector of uint8 (labels, shape (N,))
    0x00000803  a 3-D array of uint8 (images, shape (N, rows, cols))

Files may be gzip-compressed (``.gz``) or raw. A file that is truncated,
padded, corrupt or has the wrong magic number raises ``ValueError`` naming the
file: a silently short array would train on garbage.
"""

from __future__ import annotations

import gzip
import math
import os
import struct
import sys
import zlib
from pathlib import Path
from typing import Any

import numpy as np

# IDX dtype code -> big-endian NumPy dtype
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {dt.newbyteorder("="): code for code, dt in IDX_DTYPES.items()}


def _read_bytes(path: Path) -> bytes:
    """All bytes of ``path``, decompressed when it is gzip (detected by content)."""
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"IDX file {path}: corrupt or truncated gzip data ({exc})") from exc


def parse_idx(buffer: bytes, name: str = "<bytes>", expected_ndim: int | None = None) -> np.ndarray:
    """Decode IDX bytes into an array in native byte order.

    Args:
        buffer: the (decompressed) file content.
        name: file name used in error messages.
        expected_ndim: if given, the number of dims the magic must announce
            (1 for labels, 3 for images).
    """
    if len(buffer) < 4:
        raise ValueError(f"IDX file {name}: {len(buffer)} bytes is too short for a header")
    zero, code, ndim = struct.unpack(">HBB", buffer[:4])
    if zero != 0 or code not in IDX_DTYPES:
        raise ValueError(f"IDX file {name}: bad magic number 0x{buffer[:4].hex()} "
                         "(expected 0x0000 then a dtype code such as 0x08 and the number of dims)")
    if expected_ndim is not None and ndim != expected_ndim:
        magic = 0x800 + expected_ndim
        raise ValueError(f"IDX file {name}: magic 0x{buffer[:4].hex()} announces {ndim} dims, "
                         f"expected {expected_ndim} (magic 0x{magic:08x})")
    header = 4 + 4 * ndim
    if len(buffer) < header:
        raise ValueError(f"IDX file {name}: truncated header ({len(buffer)} bytes, need {header})")
    dims = struct.unpack(f">{ndim}I", buffer[4:header])
    dtype = IDX_DTYPES[code]
    count = math.prod(dims)  # Python ints: np.prod would wrap around silently past 2**63
    expected = count * dtype.itemsize
    if expected > sys.maxsize:
        raise ValueError(f"IDX file {name}: header dims {dims} overflow: {count} values of {dtype.itemsize} "
                         f"bytes cannot be held in memory (the file has {len(buffer) - header} data bytes)")
    actual = len(buffer) - header
    if actual != expected:
        kind = "truncated" if actual < expected else "has trailing bytes"
        raise ValueError(f"IDX file {name}: {kind}: dims {dims} need {expected} data bytes, found {actual}")
    array = np.frombuffer(buffer, dtype=dtype, offset=header).reshape(dims)
    return array.astype(dtype.newbyteorder("="))  # a native, writable copy


def read_idx(path: str | os.PathLike, expected_ndim: int | None = None) -> np.ndarray:
    """Read an IDX file (``.gz`` or raw); ``ValueError`` naming the file if it is malformed."""
    path = Path(path)
    return parse_idx(_read_bytes(path), str(path), expected_ndim)


def idx_bytes(array: Any) -> bytes:
    """Encode an array as IDX bytes (uncompressed)."""
    array = np.asarray(array)
    dtype = array.dtype.newbyteorder("=")
    if dtype not in _CODES:
        raise TypeError(f"idx_bytes: dtype {array.dtype} has no IDX code; use uint8, int8, int16, int32, "
                        "float32 or float64")
    if not 1 <= array.ndim <= 255:
        raise ValueError(f"idx_bytes: an IDX array needs 1..255 dims, got shape {array.shape}")
    if max(array.shape) > 0xFFFFFFFF:
        raise ValueError(f"idx_bytes: shape {array.shape} has a dim over 2**32 - 1, which an IDX header cannot hold")
    code = _CODES[dtype]
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=IDX_DTYPES[code]).tobytes()


def write_idx(path: str | os.PathLike, array: Any) -> Path:
    """Write ``array`` as an IDX file, gzip-compressed when the name ends in ``.gz``."""
    path = Path(path)
    data = idx_bytes(array)
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path
