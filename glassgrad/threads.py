"""``set_num_threads`` / ``get_num_threads``: how many threads NumPy's BLAS may use.

With threadpoolctl installed the limit is applied to the BLAS and OpenMP
pools; without it the number is only recorded (and ``get_num_threads``
reports it), since NumPy has no thread setting of its own.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

_num_threads: int | None = None
_num_interop_threads: int | None = None
_limiter: Any = None  # threadpoolctl's limiter, kept so the limit stays in force


def set_num_threads(n: int) -> None:
    """Use at most ``n`` threads for array math (torch.set_num_threads)."""
    global _num_threads, _limiter
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"set_num_threads: expected a positive int, got {n!r}")
    _num_threads = n
    try:
        threadpoolctl = importlib.import_module("threadpoolctl")
    except ImportError:
        return
    _limiter = threadpoolctl.threadpool_limits(limits=n)


def get_num_threads() -> int:
    """The number set by ``set_num_threads``; else, as torch, ``$OMP_NUM_THREADS`` when it holds a
    positive number (at most the number of CPUs, as torch 2.13 reports it); else the number of CPUs."""
    if _num_threads is not None:
        return _num_threads
    cpus = os.cpu_count() or 1
    from_environment = os.environ.get("OMP_NUM_THREADS", "").strip()
    if from_environment.isdigit() and int(from_environment) > 0:
        return min(int(from_environment), cpus)
    return cpus


def set_num_interop_threads(n: int) -> None:
    """Recorded only: glassgrad runs ops one at a time."""
    global _num_interop_threads
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"set_num_interop_threads: expected a positive int, got {n!r}")
    _num_interop_threads = n


def get_num_interop_threads() -> int:
    """The number set by ``set_num_interop_threads`` (default 1)."""
    return _num_interop_threads or 1
