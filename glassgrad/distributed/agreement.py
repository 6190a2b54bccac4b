"""Checking, before a collective, that every process made the same call with matching tensors.

MPI trusts its callers: if rank 0 all-reduces 3 numbers and rank 1 all-reduces 4, it reads past a
buffer or waits forever. So each collective first exchanges a short signature (which call, its root
and reduction, the tensor's dtype and shape) among the processes of the group, and raises on every
process, naming each rank's shapes, when they differ. The signature is a fixed-size int64 array, so
the exchange unpickles nothing. It costs one small all-gather; DistributedDataParallel checks its
parameters once at construction and then skips it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad.distributed import waiting
from glassgrad.distributed.process_group import ProcessGroup

_CALLS = ("all_reduce", "broadcast", "reduce", "all_gather", "all_gather_into_tensor", "reduce_scatter_tensor",
          "gather", "scatter", "barrier", "send", "all_gather_object", "broadcast_object_list")
_MAX_DIMS = 8
_KNOWN = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "uint16", "uint32", "uint64", "complex64", "complex128")


def dtype_code(dtype: Any) -> int:
    name = np.dtype(dtype).name if not hasattr(dtype, "name") else dtype.name
    return _KNOWN.index(name) if name in _KNOWN else 100 + sum(name.encode())


def dtype_name(code: int) -> str:
    return _KNOWN[code] if code < len(_KNOWN) else f"dtype#{code}"


def signature(call: str, shape: tuple[int, ...], dtype: Any, root: int = -1, op: int = -1) -> np.ndarray:
    """[call, root, op, dtype, ndim, dims...]: what must agree across the processes."""
    dims = list(shape[:_MAX_DIMS]) + [int(np.prod(shape[_MAX_DIMS:], dtype=np.int64))] * (len(shape) > _MAX_DIMS)
    dims += [-1] * (_MAX_DIMS + 1 - len(dims))
    return np.array([_CALLS.index(call), root, op, dtype_code(dtype), len(shape), *dims], dtype=np.int64)


def describe(row: np.ndarray) -> str:
    call, root, op, dtype, ndim = (int(v) for v in row[:5])
    shape = tuple(int(d) for d in row[5:5 + min(ndim, _MAX_DIMS + 1)])
    text = f"{_CALLS[call]}"
    from glassgrad.distributed.reduce_op import ReduceOp

    extras = [f"root {root}"] * (root >= 0) + [f"op {list(ReduceOp)[op].name}"] * (op >= 0)
    if extras:
        text += f" ({', '.join(extras)})"
    return f"{text} of shape {shape} {dtype_name(dtype)}"


def agree(group: ProcessGroup, mine: np.ndarray, what: str) -> None:
    """All-gather the signatures; raise (on every process alike) when they are not all the same."""
    every = np.empty((group.size(), mine.size), dtype=np.int64)
    request = group.comm.Iallgather(mine, every)
    waiting.wait_all([request], group, f"{what} (checking that the ranks agree)")
    if (every == every[0]).all():
        return
    lines = "; ".join(f"rank {group.ranks[i]}: {describe(row)}" for i, row in enumerate(every))
    raise RuntimeError(f"{what}: the processes' calls do not match (shapes must be equal on every rank): {lines}")
