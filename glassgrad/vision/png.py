"""A tiny PNG writer (8-bit gray, RGB or RGBA) in pure Python + zlib, so images save without Pillow.

A PNG file is the 8-byte signature, then chunks ``length | type | data | CRC-32``:

- ``IHDR``: width, height, bit depth 8, colour type (0 gray, 2 RGB, 6 RGBA), compression,
  filter and interlace methods (all 0);
- ``IDAT``: the zlib-compressed scanlines, each prefixed by its filter byte (0: none);
- ``IEND``: empty, marks the end.
"""

from __future__ import annotations

import os
import struct
import zlib
from typing import IO

import numpy as np

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOUR_TYPES = {1: 0, 3: 2, 4: 6}  # channels -> PNG colour type


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(pixels: np.ndarray) -> bytes:
    """The PNG encoding of a uint8 image (H, W), (H, W, 1), (H, W, 3) or (H, W, 4)."""
    pixels = np.asarray(pixels)
    if pixels.dtype != np.uint8:
        raise TypeError(f"png_bytes: pixels must be uint8, got {pixels.dtype}")
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    if pixels.ndim != 3 or pixels.shape[2] not in _COLOUR_TYPES or 0 in pixels.shape[:2]:
        raise ValueError(f"png_bytes: expects a non-empty (H, W) or (H, W, 1|3|4) image, got shape {pixels.shape}")
    height, width, channels = pixels.shape
    header = struct.pack(">IIBBBBB", width, height, 8, _COLOUR_TYPES[channels], 0, 0, 0)
    rows = np.concatenate([np.zeros((height, 1), np.uint8), pixels.reshape(height, width * channels)], axis=1)
    return SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + \
        _chunk(b"IEND", b"")


def write_png(fp: str | os.PathLike | IO[bytes], pixels: np.ndarray) -> None:
    """Write ``pixels`` (see :func:`png_bytes`) to a path or a binary file."""
    data = png_bytes(pixels)
    if isinstance(fp, str | os.PathLike):
        with open(fp, "wb") as handle:
            handle.write(data)
    else:
        fp.write(data)
