"""The arrays MPI reads and writes, made from a Tensor's array.

Moving data (broadcast, gathers, scatters, send/recv) is done on the raw bytes, so every dtype
travels, float16 and bfloat16 included. Reducing needs a type MPI can add: float32/float64 and the
integers are reduced as they are; float16/bfloat16 are reduced in float32 and rounded back; bool is
reduced as uint8 (SUM and MAX become "or", PRODUCT and MIN "and", as torch's CPU backend).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad.distributed.reduce_op import ReduceOp
from glassgrad.tensor import Tensor

_NATIVE = frozenset(("float32", "float64", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                     "uint64"))


def require_tensor(value: Any, what: str, name: str = "tensor") -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(f"{what}: {name} must be a glassgrad Tensor, got {type(value).__name__}")
    return value


def raw(array: Any) -> np.ndarray:
    """The array's bytes as a flat uint8 array (a view when it is contiguous, else a copy)."""
    return np.ascontiguousarray(array).reshape(-1).view(np.uint8)


def from_raw(data: np.ndarray, dtype: Any, shape: tuple[int, ...]) -> np.ndarray:
    return data.view(dtype).reshape(shape)


def write(tensor: Tensor, values: Any) -> None:
    """Put ``values`` into the tensor's own array (the caller's tensor is edited in place, as torch)."""
    if values is tensor.array:
        pass
    elif isinstance(tensor.array, np.ndarray) and tensor.array.flags.writeable:
        tensor.array[...] = values
    else:  # a 0-d value an op left as a NumPy scalar (BatchNorm's num_batches_tracked), or a read-only view
        tensor.array = np.array(values, dtype=tensor.array.dtype).reshape(tensor.array.shape)
    tensor._version_counter[0] += 1


def reducible(array: Any, op: ReduceOp, what: str) -> tuple[np.ndarray, ReduceOp, bool]:
    """A contiguous array MPI can reduce with ``op``, the op to use on it, and whether it is the tensor's own
    memory (then MPI works in place and nothing needs copying back)."""
    name = array.dtype.name
    if op is ReduceOp.AVG and array.dtype.kind not in "f" and name != "bfloat16":
        raise RuntimeError(f"{what}: ReduceOp.AVG needs a floating tensor, got {name}")
    if op in (ReduceOp.BAND, ReduceOp.BOR, ReduceOp.BXOR) and array.dtype.kind not in "iub":
        raise RuntimeError(f"{what}: {op} needs an integer or bool tensor, got {name}")
    if name == "bool":
        as_bytes = np.ascontiguousarray(array).view(np.uint8).copy()
        logical = {ReduceOp.SUM: ReduceOp.BOR, ReduceOp.MAX: ReduceOp.BOR, ReduceOp.PRODUCT: ReduceOp.BAND,
                   ReduceOp.MIN: ReduceOp.BAND}.get(op, op)
        return as_bytes, logical, False
    if name in _NATIVE:
        own = array.flags.c_contiguous and array.flags.writeable
        return (array if own else np.ascontiguousarray(array)), op, own
    if array.dtype.kind == "f" or name == "bfloat16":
        return np.asarray(array, dtype=np.float32).copy(), op, False
    raise RuntimeError(f"{what}: cannot reduce tensors of dtype {name}")
