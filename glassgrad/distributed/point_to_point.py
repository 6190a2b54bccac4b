"""Point-to-point messages: ``send(t, dst)`` on one process, ``recv(t, src)`` on another.

Each message travels in two parts: a small header (the tensor's dtype and shape, as a fixed-size int64
array) and then the bytes. The receiver reads the header first, so a tensor of the wrong shape is an
error naming both shapes, and ``recv(t)`` without ``src`` learns who sent it. Tags keep messages apart:
the header of tag t travels on MPI tag 2t, its data on 2t + 1.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from glassgrad.distributed import agreement, mpi, waiting
from glassgrad.distributed.buffers import from_raw, raw, require_tensor, write
from glassgrad.distributed.collectives import member
from glassgrad.distributed.process_group import ProcessGroup
from glassgrad.distributed.waiting import Work
from glassgrad.tensor import Tensor


def _header(tensor: Tensor) -> np.ndarray:
    return agreement.signature("send", tuple(tensor.shape), tensor.dtype)


def isend(tensor: Tensor, dst: int, group: ProcessGroup | None = None, tag: int = 0) -> Work | None:
    """Start sending ``tensor`` to global rank ``dst``; ``wait()`` on the result before editing the tensor."""
    require_tensor(tensor, "send")
    g = member(group, "send")
    if g is None:
        return None
    peer = g.group_rank(dst, "send")
    if peer == g.rank():
        raise ValueError(f"send: rank {dst} cannot send to itself")
    header, data = _header(tensor), raw(tensor.array).copy()
    requests = [g.comm.Isend(header, dest=peer, tag=2 * tag), g.comm.Isend(data, dest=peer, tag=2 * tag + 1)]
    return Work(requests, g, f"send to rank {dst}")


def send(tensor: Tensor, dst: int, group: ProcessGroup | None = None, tag: int = 0) -> None:
    """Send ``tensor`` to global rank ``dst`` (returns once it has been received)."""
    work = isend(tensor, dst, group, tag)
    if work is not None:
        work.wait()


class _ReceiveWork(Work):
    """A receive in two steps: the header (checked against the tensor), then the data from that sender."""

    def __init__(self, tensor: Tensor, group: ProcessGroup, src: int | None, tag: int) -> None:
        MPI = mpi.load()  # noqa: N806
        self._tensor, self._tag = tensor, tag
        self._header = np.empty_like(_header(tensor))
        self._status = MPI.Status()
        source = MPI.ANY_SOURCE if src is None else group.group_rank(src, "recv")
        what = "recv" + ("" if src is None else f" from rank {src}")
        super().__init__([group.comm.Irecv(self._header, source=source, tag=2 * tag)], group, what)
        self.sender = -1

    def wait(self, timeout: Any = None) -> bool:
        if self._done:
            return True
        seconds = timeout.total_seconds() if hasattr(timeout, "total_seconds") else timeout
        waiting.wait_all(self._requests, self._group, self._what, seconds, [self._status])  # the header
        peer = self._status.Get_source()
        self.sender = self._group.ranks[peer]
        expected = _header(self._tensor)
        if not np.array_equal(self._header, expected):
            self._discard_data(peer, seconds)
            raise RuntimeError(f"recv: rank {self.sender} sent a {agreement.describe(self._header)[5:]}, but the "
                               f"receiving tensor is {agreement.describe(expected)[5:]}")
        data = np.empty(raw(self._tensor.array).size, dtype=np.uint8)
        body = self._group.comm.Irecv(data, source=peer, tag=2 * self._tag + 1)
        waiting.wait_all([body], self._group, f"recv from rank {self.sender}", seconds)
        write(self._tensor, from_raw(data, self._tensor.dtype, tuple(self._tensor.shape)))
        self._done = True
        return True

    def _discard_data(self, peer: int, seconds: float | None) -> None:
        """Receive (and drop) the data of a message that does not fit, so none is left pending."""
        MPI = mpi.load()  # noqa: N806
        status, deadline = MPI.Status(), time.monotonic() + (seconds or self._group.timeout)
        while not self._group.comm.Iprobe(source=peer, tag=2 * self._tag + 1, status=status):
            if time.monotonic() > deadline:
                return
            time.sleep(1e-4)
        scratch = np.empty(status.Get_count(MPI.BYTE), dtype=np.uint8)
        waiting.wait_all([self._group.comm.Irecv(scratch, source=peer, tag=2 * self._tag + 1)], self._group, "recv")

    def source_rank(self) -> int:
        return self.sender


def irecv(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None, tag: int = 0) -> Work | None:
    """Start receiving into ``tensor`` from global rank ``src`` (any rank when None)."""
    require_tensor(tensor, "recv")
    g = member(group, "recv")
    if g is None:
        return None
    return _ReceiveWork(tensor, g, src, tag)


def recv(tensor: Tensor, src: int | None = None, group: ProcessGroup | None = None, tag: int = 0) -> int:
    """Receive into ``tensor`` from global rank ``src`` (any rank when None); returns the sender's rank."""
    work = irecv(tensor, src, group, tag)
    if work is None:
        return -1
    work.wait()
    return work.sender
