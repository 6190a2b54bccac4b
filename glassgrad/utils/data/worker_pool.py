"""The main process's side of ``DataLoader(num_workers=N)``: hand out tasks, give back batches in order.

Task ``t`` (the ``t``-th batch's indices from the sampler) goes to worker ``t mod N``, skipping
workers whose iterable stream has ended. At most ``prefetch_factor * N`` tasks are out at once;
each batch delivered sends the next task. Answers arrive in any order; the iterator keeps those
that came early and yields batch ``t`` only after batch ``t - 1``, so the order is the sampler's,
the same as with ``num_workers=0``.

The workers stop (and their shared blocks are removed) when the epoch ends, when the iterator is
garbage collected (a ``break`` out of the loop, Ctrl-C unwinding the loop), when the program
exits, or when a worker fails: its exception is raised here with the worker's id and traceback.
A worker that dies without a word (killed, out of memory) is noticed within a second.
"""

from __future__ import annotations

import atexit
import itertools
import multiprocessing
import os
import queue
import time
import weakref
from typing import Any

from glassgrad.utils.data.fetch import IterableFetcher, MapFetcher, as_arrays
from glassgrad.utils.data.shared_batch import discard, remove_blocks_of, remove_orphaned_blocks, unpack
from glassgrad.utils.data.worker import Exhausted, Restart, WorkerError, worker_loop

# how long a stopping worker may take before it is terminated (seconds)
JOIN_SECONDS = 5.0
# how often the main process checks that its workers are alive while it waits (seconds)
CHECK_SECONDS = 1.0

_live_iterators: weakref.WeakSet[WorkerPoolIterator] = weakref.WeakSet()


def _stop_all_at_exit() -> None:
    for iterator in list(_live_iterators):
        iterator.shutdown()


atexit.register(_stop_all_at_exit)


def resolve_context(choice: Any) -> Any:
    """The multiprocessing context from DataLoader's ``multiprocessing_context`` (a name, a context or None)."""
    if choice is None:
        return multiprocessing.get_context()
    if isinstance(choice, str):
        if choice not in multiprocessing.get_all_start_methods():
            raise ValueError(f"multiprocessing_context option should specify a valid start method in "
                             f"{multiprocessing.get_all_start_methods()!r}, but got multiprocessing_context={choice!r}")
        return multiprocessing.get_context(choice)
    if not hasattr(choice, "Process"):
        raise TypeError(f"multiprocessing_context option should be a valid context object or a string specifying "
                        f"the start method, but got multiprocessing_context={choice!r}")
    return choice


class WorkerPoolIterator:
    """Iterates over one DataLoader's batches, read by ``loader.num_workers`` worker processes."""

    def __init__(self, loader: Any, base_seed: int) -> None:
        # the loader's settings, not the loader: a loader dropped by its user must take its workers along
        self.persistent, self.as_tensors = loader.persistent_workers, loader.as_tensors
        self.index_source = None if loader._iterable else \
            (loader.batch_sampler if loader._auto_collation else loader.sampler)
        self.num_workers = loader.num_workers
        self.iterable = loader._iterable
        self.prefetch = max(1, loader.prefetch_factor) * self.num_workers
        self.timeout = loader.timeout
        self.closed = True  # until the workers run: nothing to shut down
        remove_orphaned_blocks()  # left by loaders killed with their workers (see shared_batch.py)
        context = resolve_context(loader.multiprocessing_context)
        if self.iterable:
            fetcher: Any = IterableFetcher(loader.dataset, loader.batch_size, loader.drop_last, loader.collate_fn)
        else:
            fetcher = MapFetcher(loader.dataset, loader._auto_collation, loader.collate_fn, loader._default_collate)
        self.result_queue = context.Queue()
        self.done_event = context.Event()
        self.index_queues = []
        self.workers = []
        for worker_id in range(self.num_workers):
            index_queue = context.Queue()
            index_queue.cancel_join_thread()
            process = context.Process(
                target=worker_loop, args=(fetcher, index_queue, self.result_queue, self.done_event),
                kwargs={"worker_id": worker_id, "num_workers": self.num_workers, "base_seed": base_seed,
                        "dataset": loader.dataset, "worker_init_fn": loader.worker_init_fn,
                        "parent_pid": os.getpid()},
                daemon=True)
            process.start()
            self.index_queues.append(index_queue)
            self.workers.append(process)
        self.closed = False
        _live_iterators.add(self)
        self.sent = 0  # task ids handed out so far (they keep counting across epochs)
        self.received = 0  # the next task id whose batch is due
        self.owner: dict[int, int] = {}  # task id -> worker, for tasks not yet yielded
        self.arrived: dict[int, Any] = {}  # answers that came before their turn
        self.epoch_start = 0  # the first task id of this pass: answers to older tasks are stale
        self.start_epoch(first=True)

    # ----- one epoch ------------------------------------------------------------------------------------
    def start_epoch(self, first: bool = False) -> None:
        """Begin a pass over the data (a persistent loader calls this at each epoch after the first)."""
        if not first:
            self._forget_epoch()
            if self.iterable:
                for index_queue in self.index_queues:
                    index_queue.put((-1, Restart()))
        self.active = [True] * self.num_workers
        self.next_worker = itertools.cycle(range(self.num_workers))
        self.tasks = itertools.repeat(None) if self.iterable else iter(self.index_source)
        for _ in range(self.prefetch):
            self._send_task()

    def _send_task(self) -> None:
        for _ in range(self.num_workers):
            worker = next(self.next_worker)
            if self.active[worker]:
                break
        else:
            return  # every worker's stream has ended
        try:
            work = next(self.tasks)
        except StopIteration:
            return
        self.index_queues[worker].put((self.sent, work))
        self.owner[self.sent] = worker
        self.sent += 1

    def __iter__(self) -> WorkerPoolIterator:
        return self

    def __next__(self) -> Any:
        while True:
            # tasks of workers whose stream ended, with no batch: nothing will come for them
            while self.received < self.sent and self.received not in self.arrived \
                    and not self.active[self.owner[self.received]]:
                del self.owner[self.received]
                self.received += 1
            if self.received == self.sent:
                if not self.persistent:
                    self.shutdown()
                raise StopIteration
            if self.received in self.arrived:
                message = self.arrived.pop(self.received)
                del self.owner[self.received]
                self.received += 1
                return self._deliver(message)
            task_id, message = self._receive()
            if task_id < self.epoch_start:  # from a pass left before its end
                discard(message)
            elif isinstance(message, Exhausted):
                self.active[message.worker_id] = False
            elif task_id in self.owner:
                self.arrived[task_id] = message
            else:  # a task dropped above: its worker had run dry when it was due
                discard(message)

    def _deliver(self, message: Any) -> Any:
        if isinstance(message, WorkerError):
            self.shutdown()
            message.reraise()
        self._send_task()
        batch = unpack(message)
        return batch if self.as_tensors else as_arrays(batch)

    def _receive(self) -> tuple[int, Any]:
        """The next answer from any worker; errors if a worker died or the loader's timeout passed."""
        deadline = time.monotonic() + self.timeout if self.timeout > 0 else None
        while True:
            wait = CHECK_SECONDS if deadline is None else min(CHECK_SECONDS, max(deadline - time.monotonic(), 0))
            try:
                return self.result_queue.get(timeout=wait)
            except queue.Empty:
                pass
            dead = [p for p in self.workers if not p.is_alive()]
            if dead:
                self.shutdown()
                pids = ", ".join(str(p.pid) for p in dead)
                codes = ", ".join(str(p.exitcode) for p in dead)
                raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly (exit code {codes})")
            if deadline is not None and time.monotonic() >= deadline:
                self.shutdown()
                raise RuntimeError(f"DataLoader timed out after {self.timeout} seconds")

    def _forget_epoch(self) -> None:
        """Leave the current pass: batches still due from it are dropped when they arrive."""
        for message in self.arrived.values():
            discard(message)
        self.arrived.clear()
        self.owner.clear()
        self.received = self.epoch_start = self.sent

    # ----- the end ----------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the workers, remove the shared blocks of batches never delivered. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        self.done_event.set()
        for index_queue in self.index_queues:
            try:
                index_queue.put(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + JOIN_SECONDS
        while any(p.is_alive() for p in self.workers) and time.monotonic() < deadline:
            self._discard_waiting()  # a worker cannot exit while its last answer waits in a full pipe
            for process in self.workers:
                process.join(timeout=0.05)
        for process in self.workers:
            if process.is_alive():
                process.terminate()
                process.join(timeout=1.0)
        self._discard_waiting()
        for message in self.arrived.values():
            discard(message)
        self.arrived.clear()
        for process in self.workers:  # a worker killed between writing a block and sending it
            if not process.is_alive():
                remove_blocks_of(process.pid)
        for q in [*self.index_queues, self.result_queue]:
            q.cancel_join_thread()
            q.close()
        _live_iterators.discard(self)

    def _discard_waiting(self) -> None:
        while True:
            try:
                _, message = self.result_queue.get_nowait()
            except (queue.Empty, OSError, ValueError, EOFError):
                return
            discard(message)

    def __del__(self) -> None:
        self.shutdown()
