"""Reading the pickled batch files of CIFAR's "python version" without running anything from them.

A pickle is a small program: its GLOBAL / STACK_GLOBAL opcodes import any callable by name and
REDUCE calls it, so ``pickle.load`` on a file from the internet runs whatever the file says.
CIFAR's batches only need plain containers (dict, list, tuple), str / bytes / int / float, and
the few NumPy functions that rebuild an array:

- ``numpy.core.multiarray._reconstruct(numpy.ndarray, shape, typecode)`` followed by the array's
  ``__setstate__`` (protocols 0-4; ``numpy._core`` in files written by NumPy 2);
- ``numpy._core.numeric._frombuffer(buffer, dtype, shape, order)`` (protocol 5);
- ``numpy.dtype(...)`` for the element type, and ``_codecs.encode(text, "latin1")``, which
  protocol 2 uses to store bytes.

:class:`RestrictedUnpickler` resolves only those names (each to a checking wrapper); any other
global, and any persistent id, stops the load with an ``UnpicklingError`` naming the file and
the global. Object arrays (dtype ``O``) are refused too: their elements would be arbitrary objects.
"""

from __future__ import annotations

import io
import os
import pickle
from typing import Any

import numpy as np


def _reconstruct(subtype: Any, shape: Any, typecode: Any) -> np.ndarray:
    """``ndarray.__reduce__``'s rebuilder, for plain ndarrays only (the state comes next, by BUILD)."""
    if subtype is not np.ndarray:
        raise pickle.UnpicklingError(f"only numpy.ndarray can be rebuilt, not {subtype!r}")
    return np.ndarray.__new__(np.ndarray, shape, _dtype(typecode))


def _dtype(spec: Any, align: bool = False, copy: bool = False) -> np.dtype:
    """``numpy.dtype(spec)`` for a plain (non-object) element type."""
    if not isinstance(spec, str | bytes | np.dtype):
        raise pickle.UnpicklingError(f"a dtype must be given by its name, not {type(spec).__name__}")
    dtype = np.dtype(spec.decode("latin1") if isinstance(spec, bytes) else spec, align=align, copy=copy)
    if dtype.hasobject:
        raise pickle.UnpicklingError(f"object arrays (dtype {dtype}) are refused: their items could be any object")
    return dtype


def _frombuffer(buffer: Any, dtype: Any, shape: Any, order: str) -> np.ndarray:
    """Protocol 5's array rebuilder: the raw bytes viewed as ``dtype`` in ``shape``."""
    array = np.frombuffer(buffer, dtype=_dtype(dtype))
    if order == "K":
        return array.reshape(shape)
    return array.reshape(shape, order=order)


def _encode(text: str, encoding: str = "utf-8") -> bytes:
    """``_codecs.encode`` for the latin-1 text protocol 2 stores bytes as."""
    if str(encoding).lower().replace("_", "-") not in ("latin1", "latin-1", "iso-8859-1"):
        raise pickle.UnpicklingError(f"_codecs.encode with encoding {encoding!r} is refused (only latin1)")
    return text.encode("latin1")


ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy.core.numeric", "_frombuffer"): _frombuffer,
    ("numpy._core.numeric", "_frombuffer"): _frombuffer,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): _dtype,
    ("_codecs", "encode"): _encode,
}


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that resolves only :data:`ALLOWED_GLOBALS` (``source`` names the file in errors)."""

    def __init__(self, file: Any, source: str, encoding: str = "latin1") -> None:
        super().__init__(file, encoding=encoding)
        self.source = source

    def find_class(self, module: str, name: str) -> Any:
        allowed = ALLOWED_GLOBALS.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(f"{self.source}: refusing to load global {module}.{name}: only plain "
                                         "containers, strings, numbers and NumPy arrays are allowed in this file")
        return allowed

    def persistent_load(self, pid: Any) -> Any:
        raise pickle.UnpicklingError(f"{self.source}: refusing persistent id {pid!r}")


def load_pickle(path: str | os.PathLike, encoding: str = "latin1") -> Any:
    """The object pickled in ``path``, read by :class:`RestrictedUnpickler`.

    ``encoding="latin1"`` reads Python 2 pickles (CIFAR's) as torchvision does: their ``str``
    values become ``str``. Errors name the file: a refused global, a truncated or corrupt file.
    """
    source = os.fspath(path)
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        return RestrictedUnpickler(io.BytesIO(data), source, encoding).load()
    except pickle.UnpicklingError as error:
        if str(error).startswith(source):  # refused by find_class / persistent_load: already says which file
            raise
        raise pickle.UnpicklingError(f"{source}: {error}") from error
    except (EOFError, ValueError, TypeError, AttributeError, IndexError, KeyError) as error:
        raise pickle.UnpicklingError(f"{source}: not a readable pickle ({type(error).__name__}: {error})") from error
