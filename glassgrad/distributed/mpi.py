"""The MPI library, loaded on first use through ``mpi4py``.

Importing ``mpi4py.MPI`` initialises MPI, which costs time and, outside a launcher, makes the process
a one-process MPI job; so nothing here imports it until ``init_process_group`` asks. Two of mpi4py's
defaults are changed before that first import:

* ``finalize = False``: MPI_Finalize waits for the other processes, so after a failure (a peer died,
  a collective timed out) it would hang the exit. ``process_group.py`` finalizes at exit only when
  every collective so far succeeded.
* ``thread_level = "funneled"``: only the main thread calls MPI (DDP's hooks run in the backward,
  on the main thread), and MPICH is cheaper without the locks of "multiple".
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from typing import Any

_MPI: Any = None


def available() -> bool:
    """True when mpi4py can be imported (without importing it, so MPI is not initialised)."""
    return importlib.util.find_spec("mpi4py") is not None


def mpiexec_path() -> str | None:
    """The ``mpiexec`` of this Python's environment (the ``mpich`` wheel puts it beside python), or on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    return beside if os.access(beside, os.X_OK) else shutil.which("mpiexec")


def load() -> Any:
    """``mpi4py.MPI``, imported (and MPI initialised) on the first call."""
    global _MPI
    if _MPI is None:
        if not available():
            raise RuntimeError(
                "glassgrad.distributed needs mpi4py and an MPI library: pip install 'glassgrad[distributed]' "
                "(mpi4py and the mpich wheel), or mpi4py built against your cluster's MPI"
            )
        import mpi4py

        mpi4py.rc.finalize = False
        mpi4py.rc.thread_level = "funneled"
        from mpi4py import MPI

        _MPI = MPI
    return _MPI
