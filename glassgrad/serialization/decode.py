"""Loading side: the JSON tree of ``encode.py`` plus the array entries -> Python objects.

Every node is checked before it is used: a crafted or damaged tree gives a
:class:`CheckpointError` naming the file and the node, and a class or function
name goes through the allow-list (``allowlist.resolve_global``) before anything
is imported or called.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

from glassgrad import backend, bfloat16_math
from glassgrad.device import device
from glassgrad.serialization.allowlist import resolve_global
from glassgrad.serialization.errors import CheckpointError
from glassgrad.tensor import Size, Tensor

# tag -> the Decoder method that rebuilds it (one method per tag, below)
_HANDLERS = {
    "__array__": "_array", "__tensor__": "_tensor", "__ref__": "_ref", "__tuple__": "_tuple", "__dict__": "_dict",
    "__ordered_dict__": "_ordered_dict", "__set__": "_set", "__frozenset__": "_frozenset", "__bytes__": "_bytes",
    "__dtype__": "_dtype", "__size__": "_size", "__device__": "_device", "__rng__": "_rng", "__global__": "_global",
    "__object__": "_object",
}


class Decoder:
    """Rebuilds objects from a tree; ``array(name)`` returns an array entry of the file."""

    def __init__(self, source: str, array: Callable[[str], np.ndarray], weights_only: bool = True) -> None:
        self.source, self._entry, self.weights_only = source, array, weights_only
        self.memo: dict[int, Any] = {}
        self.tensor_arrays: dict[str, Any] = {}  # entry name -> array, so tensors that shared one still do

    def fail(self, problem: str) -> CheckpointError:
        return CheckpointError(f"load: {self.source} is not a valid checkpoint: {problem}")

    def array(self, name: Any) -> np.ndarray:
        if not isinstance(name, str):
            raise self.fail(f"an array reference {name!r} is not a name")
        return self._entry(name)

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, bool | int | float | str):
            return node
        if isinstance(node, list):
            return [self.decode(v) for v in node]
        if not isinstance(node, dict):
            raise self.fail(f"unexpected node {node!r}")
        tag = next((t for t in _HANDLERS if t in node), None)
        if tag is None:
            raise self.fail(f"a node has no known tag (keys {sorted(node)[:5]})")
        handler = getattr(self, _HANDLERS[tag])
        return handler(node[tag], node)

    def _list_of(self, value: Any, what: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(f"{what} must be a list, got {type(value).__name__}")
        return value

    def _name(self, value: Any) -> tuple[str, str]:
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            raise self.fail(f"a class name must be [module, qualname], got {value!r}")
        return value[0], value[1]

    def _resolve(self, value: Any) -> Any:
        module, qualname = self._name(value)
        return resolve_global(module, qualname, self.weights_only, self.source)

    def _register(self, node: dict, obj: Any) -> None:
        ref = node.get("id")
        if not isinstance(ref, int) or isinstance(ref, bool):
            raise self.fail(f"an object's id must be an int, got {ref!r}")
        self.memo[ref] = obj

    # ----- one method per tag -------------------------------------------------
    def _array(self, value: Any, node: dict) -> Any:
        array = self._stored_dtype(self.array(value), node, value)
        return array[()] if node.get("scalar") else array

    def _stored_dtype(self, array: np.ndarray, node: dict, name: Any) -> np.ndarray:
        """An entry as its node says it was stored: ``"dtype": "bfloat16"`` marks bfloat16 bit patterns."""
        if "dtype" not in node:
            return array
        if node["dtype"] != "bfloat16" or array.dtype != np.uint16:
            raise self.fail(f"entry {name!r}: dtype {node['dtype']!r} over stored {array.dtype} (only bfloat16 "
                            "over uint16 is known)")
        return bfloat16_math.mark(array.view(bfloat16_math.bfloat16))

    def _tensor(self, value: Any, node: dict) -> Tensor:
        cls = Tensor if "class" not in node else self._resolve(node["class"])
        if not (isinstance(cls, type) and issubclass(cls, Tensor)):
            raise self.fail(f"{cls!r} is not a Tensor class")
        if not isinstance(value, str):
            raise self.fail(f"a tensor's array reference {value!r} is not a name")
        if value not in self.tensor_arrays:
            self.tensor_arrays[value] = backend.xp.asarray(self._stored_dtype(self.array(value), node, value))
        tensor = cls._make(self.tensor_arrays[value], False)
        if node.get("requires_grad"):
            if tensor.array.dtype.kind not in "fc" and not backend.is_float(tensor.array.dtype):
                raise self.fail(f"tensor {value!r} requires grad but has dtype {tensor.array.dtype}")
            tensor.requires_grad = True
        self._register(node, tensor)
        return tensor

    def _ref(self, value: Any, node: dict) -> Any:  # noqa: ARG002
        if value not in self.memo:
            raise self.fail(f"a reference to object {value!r}, which does not come before it")
        return self.memo[value]

    def _tuple(self, value: Any, node: dict) -> tuple:  # noqa: ARG002
        return tuple(self.decode(v) for v in self._list_of(value, "a tuple"))

    def _pairs(self, value: Any) -> list[tuple[Any, Any]]:
        pairs = []
        for item in self._list_of(value, "a dict"):
            if not (isinstance(item, list) and len(item) == 2):
                raise self.fail(f"a dict item must be [key, value], got {item!r}")
            key = self.decode(item[0])
            try:
                hash(key)
            except TypeError:
                raise self.fail(f"a dict key of type {type(key).__name__} is not hashable") from None
            pairs.append((key, self.decode(item[1])))
        return pairs

    def _dict(self, value: Any, node: dict) -> dict:  # noqa: ARG002
        return dict(self._pairs(value))

    def _ordered_dict(self, value: Any, node: dict) -> OrderedDict:  # noqa: ARG002
        return OrderedDict(self._pairs(value))

    def _set(self, value: Any, node: dict) -> set:  # noqa: ARG002
        return set(self._tuple(value, node))

    def _frozenset(self, value: Any, node: dict) -> frozenset:  # noqa: ARG002
        return frozenset(self._tuple(value, node))

    def _bytes(self, value: Any, node: dict) -> bytes:  # noqa: ARG002
        return self.array(value).tobytes()

    def _dtype(self, value: Any, node: dict) -> np.dtype:  # noqa: ARG002
        try:
            dtype = np.dtype(value) if isinstance(value, str) else None
        except TypeError:
            dtype = None
        if dtype is None or dtype.kind not in "biufc":
            raise self.fail(f"{value!r} is not a numeric dtype")
        return dtype

    def _size(self, value: Any, node: dict) -> Size:  # noqa: ARG002
        dims = self._list_of(value, "a Size")
        if not all(isinstance(d, int) and not isinstance(d, bool) for d in dims):
            raise self.fail(f"a Size holds non-integers {dims!r}")
        return Size(dims)

    def _device(self, value: Any, node: dict) -> device:  # noqa: ARG002
        if not isinstance(value, str):
            raise self.fail(f"a device must be a string, got {value!r}")
        return device(value)

    def _rng(self, value: Any, node: dict) -> np.random.Generator:  # noqa: ARG002
        if not (isinstance(value, dict) and value.get("bit_generator") == "PCG64"):
            raise self.fail("a random generator's state is not a PCG64 state")
        generator = np.random.Generator(np.random.PCG64())
        try:
            generator.bit_generator.state = value
        except (TypeError, ValueError, KeyError) as exc:
            raise self.fail(f"bad random generator state ({exc})") from None
        return generator

    def _global(self, value: Any, node: dict) -> Any:  # noqa: ARG002
        return self._resolve(value)

    def _object(self, value: Any, node: dict) -> Any:
        cls = self._resolve(value)
        if not isinstance(cls, type):
            raise self.fail(f"{value!r} is a function, not a class: it cannot be rebuilt as an object")
        obj = cls.__new__(cls)
        self._register(node, obj)
        state = self.decode(node.get("state"))
        if not (isinstance(state, dict) and all(isinstance(k, str) for k in state)):
            raise self.fail(f"the attributes of a {value[1]} must be a dict with string keys")
        setstate = getattr(obj, "__setstate__", None)
        if setstate is not None:
            setstate(state)
        else:
            obj.__dict__.update(state)
        return obj
