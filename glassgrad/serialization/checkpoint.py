"""``save(obj, f)`` / ``load(f)``: checkpoints without pickle, shaped like torch >= 2.6.

A checkpoint is a NumPy ``.npz`` archive (a zip of ``.npy`` files):

- every array or tensor in the object is one entry, named by its path in the
  nesting (``"model/0.weight"``, ``"optimizer/state/0/exp_avg"``);
- the entry ``__structure__`` holds the nesting as JSON (see ``encode.py`` for
  the tags), with classes stored by name only.

``load`` reads the arrays without pickle, each entry's declared dtype (numbers only) and size
checked against the bytes present before anything is allocated (``npz_reader.py``), and rebuilds classes only
from the allow-list (glassgrad's own, and what ``add_safe_globals`` names), so
a checkpoint holds data, never code: nothing outside the list is imported or
called. State dicts, tensors, arrays, numbers, strings and containers always
load. Checkpoints of version 1 (glassgrad's older ``.npz`` files) load as before.

A name ending in ``.safetensors`` (or ``format="safetensors"``) writes and
reads the safetensors format instead (flat dicts of tensors only).

Typical use::

    glassgrad.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, "ckpt.pt")
    ckpt = glassgrad.load("ckpt.pt")
    model.load_state_dict(ckpt["model"]); opt.load_state_dict(ckpt["optimizer"])
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from pathlib import Path
from typing import IO, Any

import numpy as np

from glassgrad.device import device as Device
from glassgrad.serialization.allowlist import resolve_global
from glassgrad.serialization.atomic import atomic_write
from glassgrad.serialization.decode import Decoder
from glassgrad.serialization.encode import STRUCTURE_ENTRY, Encoder
from glassgrad.serialization.errors import CheckpointError, UnsafeGlobalError
from glassgrad.serialization.npz_reader import NpzEntries
from glassgrad.tensor import Tensor

FORMAT = "glassgrad-checkpoint"
VERSION = 2
FORMATS = ("glassgrad", "safetensors")
FileLike = str | os.PathLike | IO[bytes]


def _is_path(f: Any) -> bool:
    return isinstance(f, str | os.PathLike)


def _pick_format(f: Any, format: str | None) -> str:  # noqa: A002 (torch-style keyword)
    if format is None:
        return "safetensors" if _is_path(f) and str(f).endswith(".safetensors") else "glassgrad"
    if format not in FORMATS and format != "npz":
        raise ValueError(f"save/load: format must be one of {FORMATS}, got {format!r}")
    return "glassgrad" if format == "npz" else format


def _write_npz(obj: Any, handle: IO[bytes]) -> None:
    encoder = Encoder()
    structure = {"format": FORMAT, "version": VERSION, "root": encoder.encode(obj)}
    text = json.dumps(structure, allow_nan=True)
    arrays = dict(encoder.arrays)
    arrays[STRUCTURE_ENTRY] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    np.savez(handle, **arrays)


def _safetensors_dict(obj: Any) -> dict[str, Any]:
    state = obj.state_dict() if hasattr(obj, "state_dict") and callable(obj.state_dict) else obj
    if not isinstance(state, dict) or not all(isinstance(v, Tensor | np.ndarray) for v in state.values()):
        raise TypeError("save: the safetensors format holds a flat dict of name -> tensor (a model's state_dict); "
                        "save nested checkpoints (optimizer state, epoch, ...) in glassgrad's format instead")
    return state


def save(obj: Any, f: FileLike, pickle_module: Any = None, pickle_protocol: int = 2, *,  # noqa: ARG001
         format: str | None = None, **torch_options: Any) -> Path | None:  # noqa: A002
    """Write ``obj`` to ``f``: a path (written atomically) or an open binary file (``io.BytesIO`` too).

    ``obj`` may be a state dict, nested dicts/lists/tuples of tensors, arrays, numbers,
    strings and None, an optimizer's ``state_dict()``, or a whole Module or Tensor.
    ``pickle_module``, ``pickle_protocol`` and torch's other options are accepted and unused
    (nothing is pickled). Returns the path when ``f`` is one (torch returns None).
    """
    del torch_options
    if _pick_format(f, format) == "safetensors":
        from glassgrad.safetensors import save as safetensors_bytes

        payload = io.BytesIO(safetensors_bytes(_safetensors_dict(obj)))
    else:
        payload = io.BytesIO()
        _write_npz(obj, payload)  # encode first: an unsupported object leaves no file behind

    def write(handle: IO[bytes]) -> None:
        handle.write(payload.getbuffer())

    if _is_path(f):
        return atomic_write(f, write)
    if not hasattr(f, "write"):
        raise TypeError(f"save: f must be a path or a binary file opened for writing, got {type(f).__name__}")
    write(f)
    return None


def _read_source(f: Any) -> tuple[bytes, str]:
    if _is_path(f):
        path = Path(f)
        if not path.is_file():
            raise FileNotFoundError(f"load: no checkpoint at {path}")
        return path.read_bytes(), str(path)
    if not hasattr(f, "read"):
        raise TypeError(f"load: f must be a path or a binary file opened for reading, got {type(f).__name__}")
    data = f.read()
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("load: the file must be opened in binary mode ('rb')")
    return bytes(data), getattr(f, "name", None) or f"<{type(f).__name__}>"


def _move(obj: Any, map_location: Any) -> Any:
    """Apply ``map_location`` to every Tensor (a device, a device name, a {from: to} dict or a function)."""
    if map_location is None:
        return obj
    if isinstance(map_location, dict):
        map_location = map_location.get("cpu")
        if map_location is None:
            return obj
    if callable(map_location) and not isinstance(map_location, Device):
        fn = map_location
    else:
        target = Device(map_location)

        def fn(tensor: Tensor, _location: str) -> Tensor:
            if tensor.device == target:
                return tensor
            return type(tensor)._make(tensor.to(target).array, tensor.requires_grad)  # a leaf on the target

    def walk(value: Any) -> Any:
        if isinstance(value, Tensor):
            moved = fn(value, "cpu")
            return value if moved is None else moved
        if isinstance(value, dict):
            return type(value)((k, walk(v)) for k, v in value.items())
        if isinstance(value, list | tuple):
            return type(value)(walk(v) for v in value)
        return value

    return walk(obj)


def _structure(archive: Any, source: str) -> dict[str, Any]:
    """The checked JSON structure of an open ``.npz`` checkpoint."""
    if STRUCTURE_ENTRY not in archive.files:
        raise CheckpointError(f"load: {source} is not a glassgrad checkpoint (no {STRUCTURE_ENTRY} entry)")
    structure = json.loads(archive[STRUCTURE_ENTRY].tobytes().decode("utf-8"))
    if not isinstance(structure, dict) or structure.get("format") != FORMAT:
        found = structure.get("format") if isinstance(structure, dict) else type(structure).__name__
        raise CheckpointError(f"load: {source} has format {found!r}, expected {FORMAT!r}")
    version = structure.get("version", 0)
    if not isinstance(version, int) or version > VERSION:
        raise CheckpointError(f"load: {source} is checkpoint version {version!r}; this glassgrad reads up to {VERSION}")
    if "root" not in structure:
        raise CheckpointError(f"load: {source} is not a valid checkpoint: no 'root' in its structure")
    return structure


def _load_npz(data: bytes, source: str, weights_only: bool) -> Any:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    if "data.pkl" in names or any(n.endswith("/data.pkl") for n in names):
        raise CheckpointError(f"load: {source} is a PyTorch pickle checkpoint (torch.save); glassgrad never runs "
                              "pickle. Re-save it from PyTorch with safetensors.torch.save_file(model.state_dict(), "
                              "'model.safetensors') and load that file.")
    with NpzEntries(data, source) as archive:
        structure = _structure(archive, source)

        def entry(name: str) -> np.ndarray:
            if name not in archive.files or name == STRUCTURE_ENTRY:
                raise CheckpointError(f"load: {source} is not a valid checkpoint: it refers to a missing array "
                                      f"entry {name!r}")
            return archive[name]

        return Decoder(source, entry, weights_only).decode(structure["root"])


def _named_globals(node: Any) -> list[list[Any]]:
    """Every [module, qualname] that a structure names (objects, globals, tensor classes)."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found += [item[key] for key in ("__object__", "__global__", "class") if key in item]
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def get_unsafe_globals_in_checkpoint(f: FileLike) -> list[str]:
    """The classes and functions a checkpoint names that ``load`` would refuse; nothing is imported or built."""
    data, source = _read_source(f)
    try:
        with NpzEntries(data, source) as archive:
            structure = _structure(archive, source)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, UnicodeDecodeError, NotImplementedError) as exc:
        if isinstance(exc, CheckpointError):
            raise
        raise CheckpointError(f"load: {source} is not a readable checkpoint ({type(exc).__name__}: {exc})") from None
    unsafe = []
    for name in _named_globals(structure["root"]):
        if not (isinstance(name, list) and len(name) == 2 and all(isinstance(part, str) for part in name)):
            unsafe.append(repr(name))
            continue
        try:
            resolve_global(name[0], name[1], True, source)
        except UnsafeGlobalError:
            unsafe.append(f"{name[0]}.{name[1]}")
    return sorted(set(unsafe))


def load(f: FileLike, map_location: Any = None, pickle_module: Any = None, *, weights_only: bool | None = None,
         mmap: bool | None = None, format: str | None = None, **pickle_load_args: Any) -> Any:  # noqa: A002
    """Read a checkpoint written by :func:`save` (or a ``.safetensors`` file) from a path or binary file.

    Args:
        f: a path, or a binary file (``open(path, "rb")``, ``io.BytesIO``).
        map_location: where tensors go: a device or its name ("cpu"), a {saved: target} dict, or a function.
        pickle_module: must be None (glassgrad never unpickles).
        weights_only: True (None, the default, means True, as torch >= 2.6): classes only from the
            allow-list. False also allows classes from modules the program has already imported
            (it still never imports anything).
        mmap: accepted for torch's signature; the file is read into memory.
        format: "glassgrad" or "safetensors"; by default recognised from the content.

    Raises:
        CheckpointError: the file is not a readable checkpoint (the message names the file and the problem).
        UnsafeGlobalError: it names a class or function not on the allow-list (nothing was imported or called).
    """
    del mmap
    if pickle_module is not None:
        raise TypeError("load: pickle_module is not supported: glassgrad checkpoints hold no pickle")
    if pickle_load_args:
        raise TypeError(f"load: unexpected arguments {sorted(pickle_load_args)} (glassgrad does not use pickle)")
    data, source = _read_source(f)
    kind = _pick_format(f, format) if format is not None else (
        "glassgrad" if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06" else "safetensors")
    if kind == "safetensors":
        from glassgrad.safetensors import decode  # (safetensors.py imports this package: loaded on first use)

        if data[:4].startswith(b"PK") or len(data) < 9 or data[8:9] != b"{":
            raise CheckpointError(f"load: {source} is neither a glassgrad checkpoint (a zip archive) nor a "
                                  "safetensors file")
        return _move(decode(data, source)[0], map_location)
    try:
        obj = _load_npz(data, source, weights_only is not False)
    except CheckpointError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError, TypeError, UnicodeDecodeError,
            zlib.error, RecursionError, NotImplementedError) as exc:  # NotImplementedError: a corrupt zip method
        raise CheckpointError(f"load: {source} is not a readable checkpoint ({type(exc).__name__}: {exc})") from None
    return _move(obj, map_location)


__all__ = ["CheckpointError", "UnsafeGlobalError", "get_unsafe_globals_in_checkpoint", "load", "save"]
