"""Run an element-wise kernel on several threads at once.

NumPy's ufuncs run on one core, but they release Python's GIL while they loop over
an array. So a kernel applied to the two halves of an array by two Python threads
uses two cores. ``split_run`` cuts flat (1-D, contiguous) arrays into one slice per
thread and runs the kernel on the slices: one on the calling thread, the others on
a small pool. Every slice is a view, so writes into output slices land in the
caller's arrays.

The number of threads is ``glassgrad.get_num_threads()`` (torch's setting: by default
the CPU count; ``set_num_threads(1)`` turns the splitting off). Handing work to a
thread costs tens of microseconds, so arrays below ``MIN_ELEMENTS`` per thread stay
on the calling thread.

Only kernels whose every element is independent of the others may be split; the
readable twins never are (they are the plain formulas).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from glassgrad import backend, threads

MIN_ELEMENTS = 32768  # per thread; below this one thread is faster (measured on 2 cores)

_pool: ThreadPoolExecutor | None = None
_pool_size = 0
_pool_pid = 0  # the process that made the pool: a forked child (DataLoader workers, sweeps) makes its own


def _workers(size: int) -> int:
    if backend.name != "numpy":  # CuPy runs its kernels on the GPU already
        return 1
    return max(1, min(threads.get_num_threads(), size // MIN_ELEMENTS))


def _executor(n: int) -> ThreadPoolExecutor:
    """The worker pool, made on first use (and again in a forked child, whose copy has no threads)."""
    global _pool, _pool_size, _pool_pid
    if _pool is None or _pool_size < n or _pool_pid != os.getpid():
        _pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="glassgrad")
        _pool_size, _pool_pid = n, os.getpid()
    return _pool


def split_run(kernel: Callable[..., None], arrays: tuple[Any, ...], **params: Any) -> None:
    """``kernel(*slices, **params)`` for each of a few contiguous slices of the flat ``arrays``
    (all of one length), in parallel; returns when every slice is done."""
    size = arrays[0].shape[0]
    parts = _workers(size)
    if parts == 1:
        kernel(*arrays, **params)
        return
    bounds = [size * i // parts for i in range(parts + 1)]
    pool = _executor(parts - 1)
    futures = [pool.submit(kernel, *(a[bounds[i]:bounds[i + 1]] for a in arrays), **params)
               for i in range(1, parts)]
    kernel(*(a[bounds[0]:bounds[1]] for a in arrays), **params)
    for future in futures:
        future.result()
