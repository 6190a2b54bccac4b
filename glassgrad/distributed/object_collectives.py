"""Collectives on Python objects: ``all_gather_object`` and ``broadcast_object_list``.

torch pickles the objects, and unpickling bytes from another process can run any code. Here an
object travels in glassgrad's checkpoint format (``glassgrad.save``: a JSON tree plus arrays) and is
read back with ``weights_only=True``, so only what a safe checkpoint may hold crosses: None, bools,
numbers, strings, bytes, lists, tuples, dicts, sets, NumPy arrays, Tensors and the classes allowed by
``glassgrad.serialization.add_safe_globals``. Anything else is refused on the sending process,
with the class named, before anything is sent.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from glassgrad.distributed import agreement, waiting
from glassgrad.distributed.collectives import member
from glassgrad.distributed.process_group import ProcessGroup


def encode(obj: Any, what: str) -> np.ndarray:
    """The object's bytes in the checkpoint format; TypeError for a type that is not safe to send."""
    from glassgrad.serialization import get_unsafe_globals_in_checkpoint, save

    stream = io.BytesIO()
    try:
        save(obj, stream)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{what}: cannot send {type(obj).__name__}: {error}") from None
    data = stream.getvalue()
    unsafe = get_unsafe_globals_in_checkpoint(io.BytesIO(data))
    if unsafe:
        raise TypeError(f"{what}: objects of {', '.join(unsafe)} cannot be sent: only safe types travel between "
                        "processes (numbers, strings, lists, dicts, tuples, arrays, Tensors, or classes allowed by "
                        "glassgrad.serialization.add_safe_globals)")
    return np.frombuffer(data, dtype=np.uint8)


def decode(data: np.ndarray) -> Any:
    from glassgrad.serialization import load

    return load(io.BytesIO(data.tobytes()), weights_only=True)


def _lengths(g: ProcessGroup, mine: int, what: str) -> np.ndarray:
    lengths = np.empty(g.size(), dtype=np.int64)
    waiting.wait_all([g.comm.Iallgather(np.array([mine], dtype=np.int64), lengths)], g, what)
    return lengths


def all_gather_object(object_list: list[Any], obj: Any, group: ProcessGroup | None = None) -> None:
    """``object_list[i]`` becomes process i's ``obj``, on every process (object_list has one slot per process)."""
    g = member(group, "all_gather_object")
    if g is None:
        return
    if not isinstance(object_list, list) or len(object_list) != g.size():
        raise ValueError(f"all_gather_object: object_list must be a list of {g.size()} slots, got "
                         f"{len(object_list) if isinstance(object_list, list) else type(object_list).__name__}")
    data = encode(obj, "all_gather_object")
    agreement.agree(g, agreement.signature("all_gather_object", (), np.uint8), "all_gather_object")
    lengths = _lengths(g, data.size, "all_gather_object")
    received = np.empty(int(lengths.sum()), dtype=np.uint8)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    request = g.comm.Iallgatherv(data, [received, lengths, offsets, mpi_byte()])
    waiting.wait_all([request], g, "all_gather_object")
    for i in range(g.size()):
        object_list[i] = decode(received[offsets[i]:offsets[i] + lengths[i]])


def broadcast_object_list(object_list: list[Any], src: int = 0, group: ProcessGroup | None = None,
                          device: Any = None) -> None:
    """Replace ``object_list``'s entries, on every process, by those of global rank ``src``'s list
    (all lists must have the same length, as torch)."""
    g = member(group, "broadcast_object_list")
    if g is None:
        return
    if not isinstance(object_list, list):
        raise TypeError(f"broadcast_object_list: object_list must be a list, got {type(object_list).__name__}")
    root = g.group_rank(src, "broadcast_object_list")
    agreement.agree(g, agreement.signature("broadcast_object_list", (len(object_list),), np.uint8, root),
                    "broadcast_object_list")
    data = encode(list(object_list), "broadcast_object_list") if g.rank() == root else np.empty(0, np.uint8)
    length = np.array([data.size], dtype=np.int64)
    waiting.wait_all([g.comm.Ibcast(length, root=root)], g, "broadcast_object_list")
    if g.rank() != root:
        data = np.empty(int(length[0]), dtype=np.uint8)
    waiting.wait_all([g.comm.Ibcast(data, root=root)], g, "broadcast_object_list")
    if g.rank() != root:
        object_list[:] = decode(data)


def mpi_byte() -> Any:
    from glassgrad.distributed import mpi

    return mpi.load().BYTE
