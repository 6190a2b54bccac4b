"""One DataLoader worker process: take tasks, read and collate batches, send them back.

The main process puts ``(task_id, indices)`` on the worker's own index queue; the worker
answers ``(task_id, message)`` on the shared result queue, where the message is the packed
batch (arrays in shared memory, see ``shared_batch.py``), ``Exhausted`` when an iterable
data set has no more samples for this worker, or ``WorkerError`` with the traceback of an
exception. ``None`` on the index queue (or the done event) ends the worker.

Seeds, as torch's: the loader draws a base seed from its generator once per iterator; worker
``k`` seeds Python's ``random`` and glassgrad's default generator with ``base_seed + k``, and
NumPy's global generator with a state mixed from both (``SeedSequence([k, base_seed])``), so
random augmentations differ across workers and repeat across runs with the same generator.
"""

from __future__ import annotations

import os
import pickle
import queue
import random
import signal
import traceback
from dataclasses import dataclass
from typing import Any

import numpy as np

# How often an idle worker checks that the main process is still there (seconds).
POLL_SECONDS = 1.0


@dataclass
class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker process."""

    id: int
    num_workers: int
    seed: int
    dataset: Any


_current_worker: WorkerInfo | None = None


def get_worker_info() -> WorkerInfo | None:
    """Inside a DataLoader worker: its id, the number of workers, its seed and its copy of the data set.
    In the main process: None."""
    return _current_worker


@dataclass(frozen=True)
class Exhausted:
    """An iterable data set's stream in worker ``worker_id`` has ended."""

    worker_id: int


@dataclass(frozen=True)
class Restart:
    """Task for a persistent worker: start a new pass over its iterable data set."""


@dataclass(frozen=True)
class WorkerError:
    """An exception raised in a worker, carried to the main process to be raised there."""

    worker_id: int
    type_bytes: bytes | None  # the exception class, pickled by reference (None if it cannot be)
    type_name: str
    text: str  # the worker's formatted traceback

    @classmethod
    def capture(cls, worker_id: int, error: BaseException) -> WorkerError:
        try:
            type_bytes: bytes | None = pickle.dumps(type(error))
        except Exception:
            type_bytes = None
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        return cls(worker_id, type_bytes, type(error).__name__, text)

    def reraise(self) -> None:
        message = f"Caught {self.type_name} in DataLoader worker process {self.worker_id}.\nOriginal {self.text}"
        kind: Any = RuntimeError
        if self.type_bytes is not None:
            try:
                kind = pickle.loads(self.type_bytes)  # noqa: S301 - a class sent by our own worker
            except Exception:
                kind = RuntimeError
        try:
            error = kind(message)
        except Exception:  # an exception class whose constructor wants other arguments
            error = RuntimeError(message)
        raise error


def seed_worker(base_seed: int, worker_id: int) -> int:
    """Seed this process's random generators for worker ``worker_id``; returns its seed."""
    import glassgrad

    seed = base_seed + worker_id
    random.seed(seed)
    glassgrad.manual_seed(seed)
    np.random.seed(np.random.SeedSequence([worker_id, base_seed]).generate_state(4))
    return seed


def worker_loop(fetcher: Any, index_queue: Any, result_queue: Any, done_event: Any, *, worker_id: int,
                num_workers: int, base_seed: int, dataset: Any, worker_init_fn: Any, parent_pid: int) -> None:
    """The body of a worker process (runs until told to stop, or until the main process is gone)."""
    global _current_worker
    from glassgrad.utils.data.shared_batch import remove_blocks_of

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle: it stops us
    seed = seed_worker(base_seed, worker_id)
    _current_worker = WorkerInfo(worker_id, num_workers, seed, dataset)
    init_error = None
    if worker_init_fn is not None:
        try:
            worker_init_fn(worker_id)
        except Exception as error:
            init_error = WorkerError.capture(worker_id, error)
    try:
        _serve(fetcher, index_queue, result_queue, done_event, worker_id, init_error, parent_pid)
    finally:  # stopped, or the main process is gone: nobody will unpack the batches still on their way
        remove_blocks_of(os.getpid())


def _serve(fetcher: Any, index_queue: Any, result_queue: Any, done_event: Any, worker_id: int,
           init_error: WorkerError | None, parent_pid: int) -> None:
    """Answer tasks until told to stop (``None``, the done event) or until the main process is gone."""
    from glassgrad.utils.data.shared_batch import pack

    exhausted = False
    while True:
        try:
            task = index_queue.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if done_event.is_set() or os.getppid() != parent_pid:
                return
            continue
        if task is None or done_event.is_set():
            return
        task_id, work = task
        if isinstance(work, Restart):
            fetcher.restart()
            exhausted = False
            continue
        if init_error is not None:
            message: Any = init_error
        elif exhausted:
            message = Exhausted(worker_id)
        else:
            try:
                message = pack(fetcher(work))
            except StopIteration:
                exhausted, message = True, Exhausted(worker_id)
            except Exception as error:
                message = WorkerError.capture(worker_id, error)
        result_queue.put((task_id, message))
