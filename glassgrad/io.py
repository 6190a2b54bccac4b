"""Checkpoints: ``save(obj, path)`` / ``load(path)`` for (nested) state dicts, no pickle.

A checkpoint is a NumPy ``.npz`` archive:

- every array in the object becomes one entry, named by its path in the
  nesting joined with ``/`` (``"model/0.weight"``, ``"optimizer/state/0/exp_avg"``);
- the nesting itself (dicts with str or int keys, lists, tuples, numbers,
  strings, booleans, None, and references to the array entries) is stored as
  JSON in the entry ``__structure__``.

Loading uses ``allow_pickle=False``, so a checkpoint can hold data but never
code. The file is written to a temporary name in the same folder and renamed
into place (``os.replace``), so a crash mid-save leaves the old file intact.

Typical use::

    gg.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, "ckpt.npz")
    ckpt = gg.load("ckpt.npz")
    model.load_state_dict(ckpt["model"]); opt.load_state_dict(ckpt["optimizer"])
"""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from glassgrad import backend

FORMAT = "glassgrad-checkpoint"
VERSION = 1
_STRUCTURE = "__structure__"


def _encode(obj: Any, path: str, arrays: dict[str, np.ndarray]) -> Any:
    """The JSON form of ``obj``; arrays are moved into ``arrays`` under their path."""
    if hasattr(obj, "data") and type(obj).__name__ in ("Tensor", "Parameter"):
        obj = backend.to_numpy(obj.data)
    if isinstance(obj, (np.ndarray, np.generic)):
        array = np.asarray(obj)
        if array.dtype.kind not in "biufc":
            raise TypeError(f"save: {path or 'object'} has dtype {array.dtype}; only numeric and bool arrays "
                            "can be saved without pickle")
        name, k = path or "array", 1
        while name in arrays or name == _STRUCTURE:
            name, k = f"{path}#{k}", k + 1
        arrays[name] = array
        return {"__array__": name}
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, dict):
        items = []
        for key, value in obj.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"save: dict keys must be str or int, got {key!r} at {path or 'top level'}")
            items.append([key, _encode(value, f"{path}/{key}" if path else str(key), arrays)])
        return {"__dict__": items}
    if isinstance(obj, (list, tuple)):
        encoded = [_encode(v, f"{path}/{i}" if path else str(i), arrays) for i, v in enumerate(obj)]
        return {"__tuple__": encoded} if isinstance(obj, tuple) else encoded
    if hasattr(obj, "state_dict") and callable(obj.state_dict):
        return _encode(obj.state_dict(), path, arrays)
    raise TypeError(f"save: cannot store {type(obj).__name__} at {path or 'top level'} without pickle; "
                    "use arrays, numbers, strings, None and dicts/lists/tuples of them")


def _decode(node: Any, archive: Any) -> Any:
    if isinstance(node, list):
        return [_decode(v, archive) for v in node]
    if isinstance(node, dict):
        if "__array__" in node:
            return archive[node["__array__"]]
        if "__tuple__" in node:
            return tuple(_decode(v, archive) for v in node["__tuple__"])
        return {key: _decode(value, archive) for key, value in node["__dict__"]}
    return node


def save(obj: Any, path: str | os.PathLike) -> Path:
    """Write ``obj`` (a state dict, or nested dicts/lists of them) to ``path`` atomically.

    Modules and optimizers may be passed directly: their ``state_dict()`` is saved.
    """
    path = Path(path)
    arrays: dict[str, np.ndarray] = {}
    structure = {"format": FORMAT, "version": VERSION, "root": _encode(obj, "", arrays)}
    text = json.dumps(structure, allow_nan=True)
    arrays[_STRUCTURE] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(tmp_name, path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return path


def load(path: str | os.PathLike) -> Any:
    """Read a checkpoint written by :func:`save`; arrays come back as NumPy arrays."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load: no checkpoint at {path}")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"load: {path} is not a .npz checkpoint (not a zip archive)")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if _STRUCTURE not in archive.files:
                raise ValueError(f"load: {path} is not a glassgrad checkpoint (no {_STRUCTURE} entry)")
            structure = json.loads(archive[_STRUCTURE].tobytes().decode("utf-8"))
            if structure.get("format") != FORMAT:
                raise ValueError(f"load: {path} has format {structure.get('format')!r}, expected {FORMAT!r}")
            if structure.get("version", 0) > VERSION:
                raise ValueError(f"load: {path} is checkpoint version {structure['version']}; this glassgrad "
                                 f"reads up to {VERSION}")
            return _decode(structure["root"], {name: archive[name] for name in archive.files})
    except (zipfile.BadZipFile, EOFError) as exc:
        raise ValueError(f"load: {path} is not a readable .npz checkpoint ({exc})") from exc
