"""Turning what torch gave back into storable data and back again, without pickle.

A recorded torch oracle is a list of events (see ``torch_proxy.py``); every value in it is
encoded by :func:`encode` into JSON-able data, with NumPy arrays set aside in an
:class:`ArrayStore` (one flat buffer per dtype, written to an ``.npz`` file). Values that
cannot be stored this way (a tensor, a module, a dtype) never are: the proxy gives them an
id and the replay hands out a stand-in object in their place.

Tags of the encoding (a dict with exactly one key):

    {"a": [dtype, offset, shape]}   a NumPy array        {"t": [...]}   a tuple
    {"g": [dtype, value]}           a NumPy scalar       {"d": [[k, v], ...]}  a dict
    {"sl": [start, stop, step]}     a slice              {"e": 0}      Ellipsis
    {"b": "hex"}                    bytes                {"c": [re, im]}  a complex
    {"dt": "float64"}               a NumPy dtype        {"dc": [module:qualname, {field: value}]}  a dataclass
    {"sig": [[name, kind, [default] or None], ...]}  an inspect.Signature
    {"nt": [name, fields, [...]]}   torch's named tuples (``max(dim)``'s (values, indices))
    {"p": id}                       a new stand-in       {"ref": id}   a stand-in seen before
    {"pm": id}, {"ps": id}          a new stand-in for a dict / a list that holds torch objects
"""

from __future__ import annotations

import collections
import dataclasses
import functools
import importlib
import inspect
import math
import os
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np


class ArrayStore:
    """NumPy arrays packed into one flat buffer per dtype (few entries in the .npz file)."""

    def __init__(self, buffers: dict[str, np.ndarray] | None = None) -> None:
        self.buffers = dict(buffers or {})
        self._pending: dict[str, list[np.ndarray]] = {}
        self._sizes: dict[str, int] = {key: buf.size for key, buf in self.buffers.items()}
        self._recent: dict[tuple[str, int], np.ndarray] = {}  # pending arrays, readable before a flush

    def put(self, array: np.ndarray) -> list[Any]:
        if array.dtype.hasobject:
            raise TypeError("an object array cannot be stored without pickle")
        key = array.dtype.str.lstrip("<>|=")
        offset = self._sizes.get(key, 0)
        flat = np.ascontiguousarray(array).reshape(-1).copy()
        self._pending.setdefault(key, []).append(flat)
        if flat.size:
            self._recent[(key, offset)] = flat
        self._sizes[key] = offset + array.size
        return [array.dtype.str, offset, list(array.shape)]

    def get(self, ref: list[Any]) -> np.ndarray:
        dtype, offset, shape = np.dtype(ref[0]), ref[1], tuple(ref[2])
        key = dtype.str.lstrip("<>|=")
        if math.prod(shape) == 0:
            return np.zeros(shape, dtype)
        if (key, offset) in self._recent:
            return self._recent[(key, offset)].astype(dtype).reshape(shape)
        return self.buffers[key][offset : offset + math.prod(shape)].astype(dtype).reshape(shape)

    def flush(self) -> None:
        for key, parts in self._pending.items():
            old = [self.buffers[key]] if key in self.buffers else []
            self.buffers[key] = np.concatenate(old + parts)
        self._pending, self._recent = {}, {}


def encode(value: Any, store: ArrayStore, opaque: Callable[[Any], Any] | None = None, fresh: bool = True) -> Any:
    """``value`` as JSON-able data; ``opaque(v)`` encodes what is not plain data (or raises TypeError).

    ``fresh``: the value was just made (a call's answer), so its lists and dicts may be copied. An
    attribute's list or dict that holds torch objects may be a live one that the test edits (an
    optimizer's ``param_groups``): it is kept opaque, so that edits reach the real one.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"f": repr(value)}
    if isinstance(value, np.ndarray):
        return {"a": store.put(value)}
    if isinstance(value, np.generic):
        return {"g": [value.dtype.str, encode(value.item(), store)]}
    if isinstance(value, np.dtype):
        return {"dt": value.str}
    if isinstance(value, slice):
        return {"sl": [encode(value.start, store), encode(value.stop, store), encode(value.step, store)]}
    if value is Ellipsis:
        return {"e": 0}
    if isinstance(value, bytes):
        return {"b": value.hex()}
    if isinstance(value, complex):
        return {"c": [value.real, value.imag]}
    if type(value) in (list, dict, OrderedDict) and opaque is not None and not fresh:
        try:
            return encode(value, store)
        except TypeError:
            return opaque(value)
    if type(value) is list:
        return [encode(v, store, opaque, fresh) for v in value]
    if type(value).__module__ == "torch.return_types" and _field_names(value):  # torch's (values, indices)
        items = [encode(v, store, opaque, fresh) for v in value]
        return {"nt": [type(value).__name__, list(_field_names(value)), items]}
    if type(value) is tuple or _is_torch_size(value):
        return {"t": [encode(v, store, opaque, fresh) for v in value]}
    if type(value) in (dict, OrderedDict):
        return {"d": [[encode(k, store, opaque, fresh), encode(v, store, opaque, fresh)] for k, v in value.items()]}
    if isinstance(value, inspect.Signature):  # (name, kind, default) of each parameter; no annotations
        empty = inspect.Parameter.empty
        return {"sig": [[p.name, int(p.kind), None if p.default is empty else [encode(p.default, store, opaque)]]
                        for p in value.parameters.values()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = f"{type(value).__module__}:{type(value).__qualname__}"
        fields = {f.name: encode(getattr(value, f.name), store, opaque) for f in dataclasses.fields(value)}
        return {"dc": [name, fields]}
    if opaque is None:
        raise TypeError(f"cannot store a {type(value).__name__} in a recorded oracle")
    return opaque(value)


def decode(data: Any, store: ArrayStore, opaque: Callable[[str, int], Any] | None = None) -> Any:
    """The inverse of :func:`encode`; ``opaque(tag, id)`` gives the stand-in for {"p"|"ref": id}."""
    if isinstance(data, list):
        return [decode(v, store, opaque) for v in data]
    if not isinstance(data, dict):
        return data
    ((tag, body),) = data.items()
    if tag == "a":
        return store.get(body)
    if tag == "t":
        return tuple(decode(v, store, opaque) for v in body)
    if tag == "d":
        return {decode(k, store, opaque): decode(v, store, opaque) for k, v in body}
    if tag == "nt":
        name, fields, items = body
        return _named_tuple(name, tuple(fields))(*(decode(v, store, opaque) for v in items))
    if tag == "sig":
        return inspect.Signature([
            inspect.Parameter(name, inspect._ParameterKind(kind),
                              default=inspect.Parameter.empty if default is None else decode(default[0], store, opaque))
            for name, kind, default in body])
    if tag == "f":
        return float(body)
    if tag == "g":
        return np.dtype(body[0]).type(decode(body[1], store))
    if tag == "dt":
        return np.dtype(body)
    if tag == "sl":
        return slice(*(decode(v, store) for v in body))
    if tag == "e":
        return Ellipsis
    if tag == "b":
        return bytes.fromhex(body)
    if tag == "c":
        return complex(*body)
    if tag == "dc":
        module, qualname = body[0].split(":")
        cls: Any = importlib.import_module(module)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        return cls(**{k: decode(v, store, opaque) for k, v in body[1].items()})
    if tag in ("p", "pm", "ps", "ref"):
        if opaque is None:
            raise ValueError("a recorded stand-in outside a replay")
        return opaque(tag, body)
    raise ValueError(f"unknown tag {tag!r} in a recorded oracle")


def _field_names(value: tuple[Any, ...]) -> tuple[str, ...]:
    names = getattr(type(value), "_fields", None) or getattr(type(value), "__match_args__", None) or ()
    return tuple(names) if len(names) == len(value) else ()


@functools.cache
def _named_tuple(name: str, fields: tuple[str, ...]) -> type:
    return collections.namedtuple(name, fields)  # type: ignore[misc]


def _is_torch_size(value: Any) -> bool:
    return isinstance(value, tuple) and type(value).__name__ == "Size" and type(value).__module__.startswith("torch")


# ----- summaries: what a call was given, to notice a test that no longer matches its recording ----------
def summarize(value: Any, proxy_id: Callable[[Any], int | None]) -> Any:
    """A small, JSON-able fingerprint of an argument: arrays by shape, dtype and two sums."""
    ident = proxy_id(value)
    if ident is not None:
        return {"p": ident}
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, str):
        return value if len(value) <= 80 and os.sep not in value else "<str>"
    if isinstance(value, np.generic):
        return summarize(value.item(), proxy_id)
    if isinstance(value, np.ndarray) or hasattr(value, "__array__") and hasattr(value, "shape"):
        array = np.asarray(value)
        if array.dtype.kind in "biufc":
            numbers = array.astype(np.complex128 if array.dtype.kind == "c" else np.float64)
            sums = [float(np.abs(numbers).sum()), float(np.real(numbers.sum()))]
            return {"arr": [list(array.shape), array.dtype.str, *[s if math.isfinite(s) else repr(s) for s in sums]]}
        return {"arr": [list(array.shape), array.dtype.str]}
    if isinstance(value, list | tuple):
        return [summarize(v, proxy_id) for v in value]
    if isinstance(value, dict):
        return [[summarize(k, proxy_id), summarize(v, proxy_id)] for k, v in value.items()]
    if isinstance(value, slice):
        return ["slice", summarize(value.start, proxy_id), summarize(value.stop, proxy_id), value.step]
    if isinstance(value, type):
        return f"<class {value.__qualname__}>"
    return f"<{type(value).__name__}>"


def same(recorded: Any, now: Any, rtol: float = 1e-5, atol: float = 1e-7) -> bool:
    """Whether two decoded values agree: numbers to a tolerance, everything else exactly."""
    if isinstance(recorded, np.ndarray) or isinstance(now, np.ndarray):
        if not (isinstance(recorded, np.ndarray) and isinstance(now, np.ndarray)):
            return False
        if recorded.shape != now.shape or recorded.dtype != now.dtype:
            return False
        if recorded.dtype.kind in "fc":
            if recorded.dtype.itemsize <= 4 and recorded.size:  # float32: torch's vectorised kernels differ
                # by CPU (AVX2 vs AVX-512): by a few ulps of the answer's largest value, and far more in
                # relative terms in a function's tail (GELU(-3.7): 1e-4 apart from the true value on one CPU,
                # 2e-3 between two CPUs). A stale recording (other inputs, another torch) differs grossly.
                finite = np.abs(recorded[np.isfinite(recorded)])
                atol = max(atol, 16 * float(np.finfo(recorded.dtype).eps) * float(finite.max(initial=0.0)))
                rtol = max(rtol, 1e-2)
            return bool(np.allclose(recorded, now, rtol=rtol, atol=atol, equal_nan=True))
        return bool(np.array_equal(recorded, now))
    if isinstance(recorded, float) and isinstance(now, float):
        return math.isclose(recorded, now, rel_tol=rtol, abs_tol=atol) or (math.isnan(recorded) and math.isnan(now))
    if isinstance(recorded, list | tuple) and isinstance(now, list | tuple):
        return type(recorded) is type(now) and len(recorded) == len(now) and all(
            same(a, b, rtol, atol) for a, b in zip(recorded, now))
    if isinstance(recorded, dict) and isinstance(now, dict):
        return recorded.keys() == now.keys() and all(same(recorded[k], now[k], rtol, atol) for k in recorded)
    if type(recorded) is not type(now) and not (isinstance(recorded, int | float) and isinstance(now, int | float)):
        return False
    if dataclasses.is_dataclass(recorded):
        return all(same(getattr(recorded, f.name), getattr(now, f.name), rtol, atol)
                   for f in dataclasses.fields(recorded))
    if isinstance(recorded, int | float) and isinstance(now, int | float):
        return math.isclose(recorded, now, rel_tol=rtol, abs_tol=atol)
    return bool(recorded == now)
