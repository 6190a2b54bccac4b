"""Moving a batch from a worker process to the main process through shared memory.

A batch is a nested structure (lists, tuples, dicts, named tuples) whose leaves are Tensors,
NumPy arrays, numbers or strings. Pickling a large array through a pipe copies it twice
(into the pickle, then out of it) and runs the pickler over every byte. Instead the worker
writes each array into a block of POSIX shared memory and sends only a small descriptor::

    worker:  array (B, C, H, W) float32  ->  SharedArray(name="psm_1a2b", shape, dtype, is_tensor)
    main:    attach "psm_1a2b", copy the bytes out into a fresh array, unlink the block

The main process owns the received array (the copy), so the block can be removed at once and
nothing outlives the batch. Small arrays (under ``SMALL_BYTES``) travel inside the message:
a shared block costs more than copying a few hundred bytes.

A block outlives its batch when nobody is left to unpack it: the main process killed (SIGKILL) with
batches on their way, a worker killed between writing a block and sending it. The block's name
carries the pid of the worker that wrote it (``glassgrad_batch_<pid>_<random>``), so

* a worker removes its own remaining blocks when it stops (its main process has stopped reading, or
  is gone: nothing will unpack them), :func:`remove_blocks_of`;
* the main process removes its workers' remaining blocks once they have exited (killed ones too);
* a new loader removes the blocks of processes that no longer exist (all of them killed at once),
  :func:`remove_orphaned_blocks`.

Listing the blocks needs ``/dev/shm`` (Linux); elsewhere the last two do nothing.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from multiprocessing import shared_memory
from typing import Any

import numpy as np

SMALL_BYTES = 4096
# the shared blocks' names start with this (in /dev/shm on Linux), so a leftover is easy to recognise
BLOCK_PREFIX = "glassgrad_batch_"
SHM_DIR = "/dev/shm"  # noqa: S108 (where Linux lists POSIX shared memory)


@dataclass(frozen=True)
class SharedArray:
    """Where a worker left one array: the shared block's name, the array's shape and dtype."""

    name: str
    shape: tuple[int, ...]
    dtype: str
    is_tensor: bool


@dataclass(frozen=True)
class InlineTensor:
    """A small Tensor's array, sent inside the message."""

    array: np.ndarray


def pack(batch: Any) -> Any:
    """In the worker: the batch with every large array moved to shared memory (descriptors in its place)."""
    from glassgrad.tensor import Tensor

    if isinstance(batch, Tensor):
        return _share(np.asarray(batch.array), is_tensor=True)
    if isinstance(batch, np.ndarray) and batch.dtype != object:
        return _share(batch, is_tensor=False)
    return _map(batch, pack)


def unpack(message: Any) -> Any:
    """In the main process: the batch again, each shared block copied out and removed."""
    from glassgrad.tensor import Tensor

    if isinstance(message, SharedArray):
        array = _take(message)
        return Tensor._make(array, False) if message.is_tensor else array
    if isinstance(message, InlineTensor):
        return Tensor._make(message.array, False)
    return _map(message, unpack)


def discard(message: Any) -> None:
    """Remove the shared blocks of a message that will never be unpacked (shutdown, error)."""
    if isinstance(message, SharedArray):
        try:
            block = shared_memory.SharedMemory(name=message.name)
        except FileNotFoundError:
            return
        block.close()
        block.unlink()
    elif isinstance(message, list | tuple):
        for item in message:
            discard(item)
    elif isinstance(message, dict):
        for item in message.values():
            discard(item)


def remove_blocks_of(pid: int) -> int:
    """Remove every block written by process ``pid`` that is still there (call it only when nothing will
    unpack them any more); returns how many there were."""
    return _remove(name for name in _block_names() if _writer(name) == pid)


def remove_orphaned_blocks() -> int:
    """Remove the blocks whose writer and its main process are gone (their pid no longer exists: a worker
    outlives its main process by at most a second, and removes its own blocks); returns how many."""
    return _remove(name for name in _block_names() if not _alive(_writer(name)))


def _block_names() -> list[str]:
    try:
        return [name for name in os.listdir(SHM_DIR) if name.startswith(BLOCK_PREFIX)]
    except OSError:  # no /dev/shm (not Linux)
        return []


def _writer(name: str) -> int:
    """The pid in ``glassgrad_batch_<pid>_<random>`` (-1 for a name of another form)."""
    pid = name[len(BLOCK_PREFIX):].split("_", 1)[0]
    return int(pid) if pid.isdigit() else -1


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True  # not a name we made: leave it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove(names: Any) -> int:
    removed = 0
    for name in names:
        try:
            os.unlink(os.path.join(SHM_DIR, name))
            removed += 1
        except OSError:  # removed meanwhile (unpacked, discarded), or not ours
            pass
    return removed


def _map(value: Any, convert: Any) -> Any:
    """``convert`` applied to each element of a list, tuple, named tuple or dict; other values as they are."""
    if isinstance(value, dict):
        return {key: convert(item) for key, item in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a named tuple
        return type(value)(*(convert(item) for item in value))
    if isinstance(value, list | tuple):
        return type(value)(convert(item) for item in value)
    return value


def _share(array: np.ndarray, is_tensor: bool) -> Any:
    if array.nbytes < SMALL_BYTES:
        return InlineTensor(np.array(array)) if is_tensor else np.array(array)
    name = f"{BLOCK_PREFIX}{os.getpid()}_{secrets.token_hex(6)}"
    block = shared_memory.SharedMemory(name=name, create=True, size=array.nbytes)
    np.ndarray(array.shape, array.dtype, buffer=block.buf)[...] = array
    descriptor = SharedArray(block.name, tuple(array.shape), array.dtype.str, is_tensor)
    block.close()  # the main process unlinks it after copying
    _forget(block)
    return descriptor


def _take(descriptor: SharedArray) -> np.ndarray:
    block = shared_memory.SharedMemory(name=descriptor.name)
    try:
        view = np.ndarray(descriptor.shape, np.dtype(descriptor.dtype), buffer=block.buf)
        array = view.copy()
        del view
    finally:
        block.close()
        block.unlink()
    return array


def _forget(block: shared_memory.SharedMemory) -> None:
    """The worker hands the block over: its resource tracker must not remove it when the worker exits.

    (The main process's ``unlink`` is what removes it; the tracker is told there.)"""
    try:
        from multiprocessing import resource_tracker

        resource_tracker.unregister(block._name, "shared_memory")  # type: ignore[attr-defined]
    except Exception:  # noqa: S110 - a tracker that is not running has nothing to forget
        pass
