"""safetensors: state dicts in the format PyTorch and the Hugging Face tools read, written over NumPy.

A ``.safetensors`` file is::

    8 bytes        N, the header length, an unsigned 64-bit little-endian integer
    N bytes        a JSON object, padded with spaces so that the data starts at a multiple of 8:
                   {"__metadata__": {"format": "pt"},                   (optional; str -> str)
                    "fc.weight": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]}, ...}
    the rest       the raw little-endian bytes of every tensor, back to back, in C order;
                   ``data_offsets`` are [begin, end) within this part

Tensors are laid out as the ``safetensors`` package lays them out (larger dtypes
first, then by name), so a file written here is byte-for-byte the one
``safetensors.torch.save_file`` writes for the same tensors and metadata. dtypes:
F16, F32, F64, I8, I16, I32, I64, U8, U16, U32, U64, BOOL; BF16 is read (as
float32, exactly) but not written.

Tied weights: like ``safetensors.torch.save_file``, :func:`save_file` refuses two
names that share memory (one file cannot say that two names are one tensor).
Use :func:`save_model` / :func:`load_model`, which store a tied tensor once and
record the dropped name in the metadata (``{dropped name: kept name}``), as the
package's functions of the same names do.
"""

from __future__ import annotations

import json
import os
import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from glassgrad import backend, bfloat16_math
from glassgrad.serialization.atomic import atomic_write
from glassgrad.serialization.errors import CheckpointError
from glassgrad.tensor import Tensor

DTYPE_NAMES: dict[np.dtype, str] = {
    np.dtype(np.float16): "F16", np.dtype(np.float32): "F32", np.dtype(np.float64): "F64",
    np.dtype(np.int8): "I8", np.dtype(np.int16): "I16", np.dtype(np.int32): "I32", np.dtype(np.int64): "I64",
    np.dtype(np.uint8): "U8", np.dtype(np.uint16): "U16", np.dtype(np.uint32): "U32", np.dtype(np.uint64): "U64",
    np.dtype(np.bool_): "BOOL", bfloat16_math.bfloat16: "BF16",
}
NUMPY_DTYPES = {name: dtype for dtype, name in DTYPE_NAMES.items()}
# The package's order of dtypes; tensors are written from the highest rank down, then by name.
_RANK = {name: rank for rank, name in enumerate(
    ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"])}
MAX_HEADER = 100_000_000


def _to_numpy(name: str, value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        return backend.to_numpy(value.array)
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        return value.detach().cpu().numpy()
    array = np.asarray(value)
    if array.dtype.newbyteorder("=") not in DTYPE_NAMES:
        raise TypeError(f"safetensors: {name!r} has dtype {array.dtype}, which the format cannot hold; use one of "
                        f"{', '.join(sorted(set(DTYPE_NAMES.values())))}")
    return array


def _check_shared(tensors: Mapping[str, Any], arrays: dict[str, np.ndarray]) -> None:
    names = list(arrays)
    groups: list[set[str]] = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            same = tensors[a] is tensors[b]
            if same or (arrays[a].size and arrays[b].size and np.may_share_memory(arrays[a], arrays[b])):
                group = next((g for g in groups if a in g or b in g), None)
                if group is None:
                    groups.append({a, b})
                else:
                    group.update((a, b))
    if groups:
        raise RuntimeError(f"Some tensors share memory, this will lead to duplicate memory on disk and potential "
                           f"differences when loading them again: {[sorted(g) for g in groups]}. A potential way to "
                           "correctly save your model is to use `save_model` (glassgrad.safetensors.save_model).")


def save(tensors: Mapping[str, Any], metadata: Mapping[str, str] | None = None) -> bytes:
    """The bytes of a safetensors file holding ``tensors`` (name -> Tensor or array)."""
    if not isinstance(tensors, Mapping):
        raise TypeError(f"safetensors.save: expects a dict of name -> tensor, got {type(tensors).__name__}")
    if metadata is not None and not (isinstance(metadata, Mapping) and
                                     all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())):
        raise TypeError(f"safetensors.save: metadata must be a dict of str -> str, got {metadata!r}")
    arrays: dict[str, np.ndarray] = {}
    for name, value in tensors.items():
        if not isinstance(name, str) or name == "__metadata__":
            raise TypeError(f"safetensors.save: tensor names must be strings other than '__metadata__', got {name!r}")
        arrays[name] = _to_numpy(name, value)
    _check_shared(tensors, arrays)
    order = sorted(arrays, key=lambda n: (-_RANK[DTYPE_NAMES[arrays[n].dtype.newbyteorder("=")]], n))
    header: dict[str, Any] = {}
    if metadata:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    chunks, offset = [], 0
    for name in order:
        array = arrays[name]
        dtype = array.dtype.newbyteorder("=")
        data = np.ascontiguousarray(array, dtype=dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPE_NAMES[dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)  # the data starts 8-byte aligned
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save_file(tensors: Mapping[str, Any], filename: str | os.PathLike, metadata: Mapping[str, str] | None = None
              ) -> None:
    """Write ``tensors`` (name -> Tensor or array) to ``filename`` (atomically), with optional str metadata."""
    data = save(tensors, metadata)
    atomic_write(filename, lambda handle: handle.write(data))


def _header(data: bytes, source: str) -> tuple[dict[str, Any], int]:
    def fail(problem: str) -> CheckpointError:
        return CheckpointError(f"load: {source} is not a valid safetensors file: {problem}")

    if len(data) < 8:
        raise fail(f"{len(data)} bytes is too short for the 8-byte header length")
    (size,) = struct.unpack("<Q", data[:8])
    if size > MAX_HEADER or 8 + size > len(data):
        raise fail(f"the header claims {size} bytes but the file holds {len(data)}")
    try:
        header = json.loads(data[8:8 + size].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise fail(f"the header is not JSON ({exc})") from None
    if not isinstance(header, dict):
        raise fail("the header is not a JSON object")
    metadata = header.get("__metadata__", {})
    if not (isinstance(metadata, dict) and all(isinstance(v, str) for v in metadata.values())):
        raise fail("__metadata__ must map strings to strings")
    spans = []
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if not (isinstance(info, dict) and isinstance(info.get("shape"), list)
                and isinstance(info.get("data_offsets"), list) and len(info["data_offsets"]) == 2):
            raise fail(f"entry {name!r} lacks dtype/shape/data_offsets")
        dtype, shape, (begin, end) = info.get("dtype"), info["shape"], info["data_offsets"]
        if dtype not in NUMPY_DTYPES and dtype != "BF16":
            raise fail(f"entry {name!r} has unknown dtype {dtype!r}")
        if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape + [begin, end]):
            raise fail(f"entry {name!r} has a bad shape {shape} or offsets {[begin, end]}")
        itemsize = 2 if dtype == "BF16" else NUMPY_DTYPES[dtype].itemsize
        if end - begin != int(np.prod(shape, dtype=object)) * itemsize:
            raise fail(f"entry {name!r}: shape {shape} of {dtype} needs {int(np.prod(shape, dtype=object)) * itemsize}"
                       f" bytes, its offsets span {end - begin}")
        spans.append((begin, end, name))
    position = 0
    for begin, end, name in sorted(spans):
        if begin != position:
            raise fail(f"entry {name!r} starts at byte {begin}, expected {position} (gap or overlap)")
        position = end
    if position != len(data) - 8 - size:
        raise fail(f"the tensors cover {position} data bytes but the file holds {len(data) - 8 - size}")
    return header, 8 + size


def decode(data: bytes, source: str) -> tuple[dict[str, Tensor], dict[str, str]]:
    """The tensors and the metadata of a whole safetensors file held in ``data`` (``source`` names it in errors)."""
    header, start = _header(data, source)
    tensors: dict[str, Tensor] = {}
    for name, info in header.items():
        if name != "__metadata__":
            begin, end = info["data_offsets"]
            tensors[name] = _array_of(data[start + begin:start + end], info)
    return tensors, dict(header.get("__metadata__", {}))


def _array_of(raw: bytes, info: dict[str, Any]) -> Tensor:
    """One tensor from its bytes and its (checked) header entry."""
    if info["dtype"] == "BF16":  # bfloat16, as torch reads it (the bits are the top half of a float32)
        array = bfloat16_math.mark(np.frombuffer(raw, dtype="<u2").astype(np.uint16).view(bfloat16_math.bfloat16))
    else:
        array = np.frombuffer(raw, dtype=NUMPY_DTYPES[info["dtype"]].newbyteorder("<"))
        array = array.astype(array.dtype.newbyteorder("="))  # native and writable
    return Tensor._make(backend.xp.asarray(array.reshape(info["shape"])), False)


def load(data: bytes) -> dict[str, Tensor]:
    """The tensors in the bytes of a safetensors file."""
    return decode(bytes(data), "<bytes>")[0]


def load_file(filename: str | os.PathLike, device: str = "cpu") -> dict[str, Tensor]:
    """The tensors of a safetensors file, by name (as ``safetensors.torch.load_file``)."""
    tensors, _ = load_file_with_metadata(filename)
    if str(device) != "cpu":
        tensors = {k: v.to(device) for k, v in tensors.items()}
    return tensors


def load_file_with_metadata(filename: str | os.PathLike) -> tuple[dict[str, Tensor], dict[str, str]]:
    """(tensors, metadata) of a safetensors file."""
    path = Path(filename)
    if not path.is_file():
        raise FileNotFoundError(f"load: no safetensors file at {path}")
    return decode(path.read_bytes(), str(path))


class safe_open:  # noqa: N801 (the package's name)
    """``with safe_open(filename, framework="pt") as f:`` then ``f.keys()``, ``f.get_tensor(name)``, ``f.metadata()``.

    The whole file is checked when opened; tensors are decoded one at a time, on request.
    """

    def __init__(self, filename: str | os.PathLike, framework: str = "pt", device: str = "cpu") -> None:
        path = Path(filename)
        if not path.is_file():
            raise FileNotFoundError(f"safe_open: no safetensors file at {path}")
        self._data, self._source, self.framework, self.device = path.read_bytes(), str(path), framework, device
        self._header, self._start = _header(self._data, self._source)

    def __enter__(self) -> safe_open:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._data = b""

    def keys(self) -> list[str]:
        return sorted(k for k in self._header if k != "__metadata__")

    def metadata(self) -> dict[str, str] | None:
        return self._header.get("__metadata__")

    def get_tensor(self, name: str) -> Tensor:
        if name not in self._header or name == "__metadata__":
            raise KeyError(f"safe_open: {self._source} has no tensor {name!r}")
        info = self._header[name]
        begin, end = info["data_offsets"]
        tensor = _array_of(self._data[self._start + begin:self._start + end], info)
        return tensor if str(self.device) == "cpu" else tensor.to(self.device)


def _tied_groups(model: Any) -> list[list[str]]:
    """Groups of state_dict names that are one tensor in ``model`` (tied weights), each sorted."""
    by_tensor: dict[int, list[str]] = {}
    for name, tensor in model.state_dict(keep_vars=True).items():
        by_tensor.setdefault(id(tensor), []).append(name)
    return [sorted(names) for names in by_tensor.values() if len(names) > 1]


def save_model(model: Any, filename: str | os.PathLike, metadata: Mapping[str, str] | None = None) -> None:
    """Save ``model.state_dict()``, storing each tied tensor once under its first name (sorted).

    The dropped names go into the metadata as ``{dropped: kept}``, as ``safetensors.torch.save_model`` does.
    """
    state = dict(model.state_dict())  # tensors that share memory with the model (tied ones too)
    metadata = dict(metadata or {})
    for names in _tied_groups(model):
        for dropped in names[1:]:
            metadata.setdefault(dropped, names[0])
            state.pop(dropped, None)
    save_file(state, filename, metadata or None)


def load_model(model: Any, filename: str | os.PathLike, strict: bool = True) -> tuple[list[str], list[str]]:
    """Load a file into ``model``; names tied in the model may be absent from it. Returns (missing, unexpected)."""
    state = load_file(filename)
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = list(missing)
    for names in _tied_groups(model):
        if any(n in state for n in names):
            missing = [m for m in missing if m not in names]
    if strict and (missing or unexpected):
        raise RuntimeError(f"load_model: {filename}: missing keys {missing}, unexpected keys {list(unexpected)}")
    return missing, list(unexpected)
