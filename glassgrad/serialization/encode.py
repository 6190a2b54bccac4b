"""Saving side: any supported object -> a JSON-ready tree plus a dict of named arrays.

The tree uses plain JSON for None, bools, numbers, strings and lists; everything
else is a one-key tag object::

    {"__array__": "model/0.weight"}                       a NumPy array (the entry of that name)
    {"__tensor__": "w", "class": [module, qualname],       a Tensor or Parameter; "id" lets a second
     "requires_grad": true, "id": 3}                        use of the same tensor say {"__ref__": 3}
    {"__tuple__": [...]}  {"__dict__": [[key, value], ...]}  {"__ordered_dict__": [...]}
    {"__set__": [...]}  {"__frozenset__": [...]}  {"__bytes__": "entry"}  {"__dtype__": "float32"}
    {"__size__": [2, 3]}  {"__device__": "cpu"}  {"__rng__": {...bit generator state...}}
    {"__global__": [module, qualname]}                   a class or function, by name
    {"__object__": [module, qualname], "id": 4,          an instance: its class by name and its
     "state": {"__dict__": [...]}}                          attributes (rebuilt without calling __init__)

Nothing is pickled: a class is stored by name only, and ``load`` rebuilds it only
when the allow-list permits (see ``allowlist.py``).
"""

from __future__ import annotations

import types
from collections import OrderedDict
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.bfloat16_math import bfloat16
from glassgrad.device import device
from glassgrad.serialization.allowlist import global_name
from glassgrad.tensor import Size, Tensor

STRUCTURE_ENTRY = "__structure__"
_PLAIN = (type(None), bool, int, float, str)


def _refuse(obj: Any, path: str, why: str = "") -> TypeError:
    where = path or "top level"
    return TypeError(f"save: cannot store {type(obj).__name__} at {where} without pickle{why}; use tensors, "
                     "arrays, numbers, strings, None, dicts/lists/tuples of them, modules and optimizers")


def _storable(array: np.ndarray) -> tuple[np.ndarray, dict[str, str]]:
    """(what the archive stores, what the node must say to undo it): a bfloat16 array is stored as its
    16-bit patterns (uint16, a dtype every .npy reader knows) with ``"dtype": "bfloat16"`` on its node."""
    if array.dtype == bfloat16:
        return array.view(np.uint16), {"dtype": "bfloat16"}
    return array, {}


class Encoder:
    """Walks an object once; ``arrays`` collects the array entries, ``memo`` the shared objects."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}
        self.memo: dict[int, tuple[int, Any]] = {}  # id(obj) -> (reference number, obj kept alive)
        self.entries: dict[int, tuple[str, Any]] = {}  # id(array) -> (its entry, array): shared arrays stored once

    def _add_array(self, array: np.ndarray, path: str) -> str:
        if array.dtype.kind not in "biufc":
            raise TypeError(f"save: {path or 'object'} has dtype {array.dtype}; only numeric and bool arrays "
                            "can be saved without pickle")
        name, k = path or "array", 1
        while name in self.arrays or name == STRUCTURE_ENTRY:
            name, k = f"{path}#{k}", k + 1
        self.arrays[name] = array
        return name

    def _remember(self, obj: Any) -> int | None:
        """The reference number if ``obj`` was seen before; else record it and return None."""
        if id(obj) in self.memo:
            return self.memo[id(obj)][0]
        self.memo[id(obj)] = (len(self.memo), obj)
        return None

    def encode(self, obj: Any, path: str = "") -> Any:
        """The JSON form of ``obj`` (``path`` names it in entry names and error messages)."""
        if isinstance(obj, np.ndarray | np.generic):  # before plain numbers: np.float64 is also a float
            array, marks = _storable(np.asarray(obj))
            name = self._add_array(array, path)
            node = {"__array__": name, "scalar": True} if isinstance(obj, np.generic) else {"__array__": name}
            return {**node, **marks}
        if isinstance(obj, _PLAIN):
            if isinstance(obj, int) and not isinstance(obj, bool) and type(obj) is not int:
                return int(obj)  # an IntEnum or other int subclass: its value
            return obj
        if isinstance(obj, Tensor):
            return self._tensor(obj, path)
        if isinstance(obj, Size):
            return {"__size__": [int(d) for d in obj]}
        if isinstance(obj, OrderedDict):
            return {"__ordered_dict__": self._items(obj, path)}
        if isinstance(obj, dict):
            return {"__dict__": self._items(obj, path)}
        if isinstance(obj, list):
            return [self.encode(v, f"{path}/{i}" if path else str(i)) for i, v in enumerate(obj)]
        if isinstance(obj, tuple):
            return {"__tuple__": [self.encode(v, f"{path}/{i}" if path else str(i)) for i, v in enumerate(obj)]}
        if isinstance(obj, set | frozenset):
            tag = "__set__" if isinstance(obj, set) else "__frozenset__"
            return {tag: [self.encode(v, path) for v in obj]}
        if isinstance(obj, bytes):
            return {"__bytes__": self._add_array(np.frombuffer(obj, dtype=np.uint8).copy(), path or "bytes")}
        if isinstance(obj, np.dtype):
            if obj.kind not in "biufc":
                raise _refuse(obj, path, f" (dtype {obj})")
            return {"__dtype__": obj.str}
        if isinstance(obj, device):
            return {"__device__": str(obj)}
        if isinstance(obj, np.random.Generator):
            return self._generator(obj, path)
        if isinstance(obj, type | types.FunctionType):
            return {"__global__": self._global_name(obj, path)}
        return self._object(obj, path)

    def _items(self, mapping: dict, path: str) -> list[list[Any]]:
        items = []
        for key, value in mapping.items():
            items.append([self.encode(key, path), self.encode(value, f"{path}/{key}" if path else str(key))])
        return items

    def _tensor(self, tensor: Tensor, path: str) -> dict[str, Any]:
        ref = self._remember(tensor)
        if ref is not None:
            return {"__ref__": ref}
        array, marks = _storable(backend.to_numpy(tensor.array))
        if id(tensor.array) not in self.entries:  # two tensors on one array (tied state_dict entries) share it
            self.entries[id(tensor.array)] = (self._add_array(array, path or "tensor"), tensor.array)
        name = self.entries[id(tensor.array)][0]
        node: dict[str, Any] = {"__tensor__": name, "requires_grad": bool(tensor.requires_grad),
                                "id": self.memo[id(tensor)][0], **marks}
        if type(tensor) is not Tensor:
            node["class"] = self._global_name(type(tensor), path)
        return node

    def _generator(self, generator: np.random.Generator, path: str) -> dict[str, Any]:
        state = generator.bit_generator.state
        if state.get("bit_generator") != "PCG64":
            raise _refuse(generator, path, f" (only PCG64 generators, this one is {state.get('bit_generator')})")
        return {"__rng__": state}

    def _global_name(self, obj: Any, path: str) -> list[str]:
        module, qualname = global_name(obj)
        if not module or not qualname or "<" in qualname:  # lambdas and local classes have no importable name
            raise _refuse(obj, path, f" ({qualname or obj!r} has no global name: define it at module level)")
        return [module, qualname]

    def _object(self, obj: Any, path: str) -> dict[str, Any]:
        if isinstance(obj, types.ModuleType) or not hasattr(obj, "__dict__"):
            raise _refuse(obj, path)
        ref = self._remember(obj)
        if ref is not None:
            return {"__ref__": ref}
        cls = type(obj)
        getstate = getattr(cls, "__getstate__", None)
        state = obj.__getstate__() if getstate not in (None, object.__getstate__) else vars(obj)
        if not isinstance(state, dict):
            raise _refuse(obj, path, " (its __getstate__ does not return a dict)")
        return {"__object__": self._global_name(cls, path), "id": self.memo[id(obj)][0],
                "state": self.encode(dict(state), path)}
