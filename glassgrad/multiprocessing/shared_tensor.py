"""Tensors whose array lives in shared memory: several processes read and write the same numbers.

``t.share_memory_()`` moves the tensor's array into a block of shared memory (a file in ``/dev/shm``
mapped with ``mmap(MAP_SHARED)``) and points the tensor at it; from then on, every process that has
the tensor sees every other's writes, which is what Hogwild training needs: worker processes run
``optimizer.step()`` on the parameters (an in-place update, ``p -= lr * g``) and the parent's model moves.

How a block reaches another process:

* ``fork`` (Linux's default start method): the child inherits the mapping itself; nothing is sent.
* ``spawn`` / ``forkserver``, ``Pool`` arguments, ``Queue`` messages: ``glassgrad.multiprocessing``
  registers a reduction with multiprocessing's pickler, so a shared tensor travels as the block's
  path, shape and dtype, and the receiving process maps the same block (no copy). A tensor that is
  not shared travels as a copy, as with ``pickle``.

The process that created a block removes its file when the tensor is garbage-collected or at exit;
processes that mapped it keep their mapping until they drop it. A block outlives a process killed with
SIGKILL (then its ``/dev/shm/glassgrad_shared_*`` file must be removed by hand), as torch's
file-system sharing strategy.
"""

from __future__ import annotations

import itertools
import mmap
import os
import tempfile
import weakref
from typing import Any

import numpy as np

from glassgrad.tensor import Tensor

PREFIX = "glassgrad_shared_"
_counter = itertools.count()


def _directory() -> str:
    return "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()  # noqa: S108 (shared memory)


class Block:
    """One mapped shared-memory file and the array viewing it."""

    def __init__(self, path: str, shape: tuple[int, ...], dtype: np.dtype, create: bool) -> None:
        self.path, self.owner = path, create
        size = max(int(np.prod(shape, dtype=np.int64)) * dtype.itemsize, 1)
        flags = os.O_RDWR | (os.O_CREAT | os.O_EXCL if create else 0)
        fd = os.open(path, flags, 0o600)
        try:
            if create:
                os.ftruncate(fd, size)
            self.map = mmap.mmap(fd, size, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
        finally:
            os.close(fd)
        self.array = np.ndarray(shape, dtype=dtype, buffer=self.map)
        if create:
            weakref.finalize(self, _remove, path)


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def share_memory_(tensor: Tensor) -> Tensor:
    """Move ``tensor``'s array into shared memory (a no-op when it is there already); returns the tensor."""
    if is_shared(tensor):
        return tensor
    source = np.asarray(tensor.array)
    path = os.path.join(_directory(), f"{PREFIX}{os.getpid()}_{next(_counter)}")
    block = Block(path, source.shape, source.dtype, create=True)
    block.array[...] = source
    tensor.array = block.array
    tensor.__dict__["_shared_block"] = block
    return tensor


def is_shared(tensor: Tensor) -> bool:
    """True when the tensor's array is (still) the shared block's."""
    block = tensor.__dict__.get("_shared_block")
    return block is not None and tensor.array is block.array


def attach(path: str, shape: tuple[int, ...], dtype: str) -> Block:
    """Map an existing block (in the receiving process)."""
    return Block(path, tuple(shape), np.dtype(dtype), create=False)


def rebuild(cls: type, path: str, shape: tuple[int, ...], dtype: str, requires_grad: bool) -> Tensor:
    """Unpickle a shared tensor: a tensor (or Parameter) on the same block."""
    block = attach(path, shape, dtype)
    tensor = Tensor._make(block.array, False)
    if cls is not Tensor:
        tensor = cls(tensor, requires_grad=requires_grad)  # a Parameter keeps the tensor's array
    elif requires_grad:
        tensor.requires_grad_(True)
    tensor.array = block.array
    tensor.__dict__["_shared_block"] = block
    return tensor


def reduce_tensor(tensor: Tensor) -> Any:
    """multiprocessing's pickling of a Tensor: shared ones by reference to their block, others by value."""
    if is_shared(tensor):
        block = tensor.__dict__["_shared_block"]
        return rebuild, (type(tensor), block.path, tuple(tensor.shape), tensor.array.dtype.str, tensor.requires_grad)
    return tensor.__reduce_ex__(2)
