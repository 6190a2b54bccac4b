"""Reading a checkpoint's ``.npz`` entries with every header checked before anything is allocated.

A ``.npy`` entry starts with a header that declares its dtype and shape; ``numpy.load`` believes
it, allocates ``prod(shape) * itemsize`` bytes and only then reads the data. A crafted header that
declares 2**40 elements over 16 bytes thus asks for 8 TiB (``MemoryError``), and one that declares
strings or datetimes gives an array of them. :class:`NpzEntries` reads the header itself and

- refuses any dtype but booleans, integers, floats and complex numbers (no strings, bytes,
  datetimes, timedeltas, records or objects), naming the entry and the file;
- reads the entry's bytes (never more than it declares, plus one) and refuses a count that
  differs from what the header declares, before the array is made: the memory used is bounded
  by the bytes actually present, at every declared size.
"""

from __future__ import annotations

import io
import math
import zipfile
from typing import Any

import numpy as np
from numpy.lib import format as npy_format

from glassgrad.serialization.errors import CheckpointError

NUMERIC_KINDS = "biufc"  # bool, signed and unsigned integers, floats, complex
_KIND_WORDS = {"U": "strings", "S": "bytes", "M": "datetimes", "m": "timedeltas", "O": "objects", "V": "raw bytes"}
_CHUNK = 1 << 24  # read 16 MiB at a time: the buffer grows only with the bytes present


class NpzEntries:
    """The ``.npy`` entries of an ``.npz`` archive held in memory, by name (without ``.npy``)."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._names = {info.filename.removesuffix(".npy"): info for info in self._zip.infolist()
                       if info.filename.endswith(".npy")}

    @property
    def files(self) -> list[str]:
        return list(self._names)

    def __enter__(self) -> NpzEntries:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._zip.close()

    def fail(self, name: str, problem: str) -> CheckpointError:
        return CheckpointError(f"load: {self.source} is not a valid checkpoint: entry {name!r} {problem}")

    def __getitem__(self, name: str) -> np.ndarray:
        """The entry's array, after its header's dtype and size were checked against the bytes present."""
        with self._zip.open(self._names[name]) as stream:
            dtype, shape, fortran_order = self._header(name, stream)
            expected = math.prod(shape) * dtype.itemsize  # Python ints: no overflow
            data = _read_at_most(stream, expected + 1)
        if len(data) != expected:
            held = f"more than {expected}" if len(data) > expected else str(len(data))
            raise self.fail(name, f"declares shape {shape} of {dtype} ({expected} bytes) but holds {held} bytes")
        array = np.frombuffer(data, dtype=dtype).reshape(shape, order="F" if fortran_order else "C")
        return array.astype(dtype.newbyteorder("="), copy=False) if not dtype.isnative else array

    def _header(self, name: str, stream: Any) -> tuple[np.dtype, tuple[int, ...], bool]:
        version = npy_format.read_magic(stream)
        if version == (1, 0):
            shape, fortran_order, dtype = npy_format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran_order, dtype = npy_format.read_array_header_2_0(stream)
        else:  # 3.0 only adds UTF-8 field names, which numeric dtypes never have
            raise self.fail(name, f"has .npy format version {version}; numeric arrays use 1.0 or 2.0")
        if dtype.kind not in NUMERIC_KINDS or dtype.fields is not None or dtype.subdtype is not None:
            what = _KIND_WORDS.get(dtype.kind, "values") if dtype.fields is None else "records"
            raise self.fail(name, f"holds {what} (dtype {dtype.str!r}); a checkpoint's arrays hold only booleans, "
                                  "integers, floats and complex numbers")
        return dtype, tuple(shape), bool(fortran_order)


def _read_at_most(stream: Any, limit: int) -> bytearray:
    """Up to ``limit`` bytes of ``stream``, in a writable buffer that grows only as data arrives."""
    buffer = bytearray()
    while len(buffer) < limit:
        chunk = stream.read(min(_CHUNK, limit - len(buffer)))
        if not chunk:
            break
        buffer += chunk
    return buffer


__all__ = ["NUMERIC_KINDS", "NpzEntries"]
