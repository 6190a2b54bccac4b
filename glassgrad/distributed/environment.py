"""torchrun's variables for processes started by ``mpiexec`` instead of the launcher.

A program written for torchrun reads ``RANK``, ``WORLD_SIZE`` and ``LOCAL_RANK`` from the environment,
often before it calls ``init_process_group`` (nanoGPT: ``ddp = int(os.environ.get("RANK", -1)) != -1``).
``mpiexec`` sets its own variables instead: MPICH's hydra ``PMI_RANK``, ``PMI_SIZE``, ``MPI_LOCALRANKID``,
``MPI_LOCALNRANKS``; Open MPI ``OMPI_COMM_WORLD_RANK``, ``OMPI_COMM_WORLD_SIZE``,
``OMPI_COMM_WORLD_LOCAL_RANK``, ``OMPI_COMM_WORLD_LOCAL_SIZE``. When torchrun's are absent,
``import glassgrad.distributed`` fills them in from these (without starting MPI), so
``mpiexec -n 2 python train.py`` runs such a program unchanged.
"""

from __future__ import annotations

import os

_SOURCES = {  # torchrun's name: MPICH hydra's, Open MPI's
    "RANK": ("PMI_RANK", "OMPI_COMM_WORLD_RANK"),
    "WORLD_SIZE": ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE"),
    "LOCAL_RANK": ("MPI_LOCALRANKID", "OMPI_COMM_WORLD_LOCAL_RANK"),
    "LOCAL_WORLD_SIZE": ("MPI_LOCALNRANKS", "OMPI_COMM_WORLD_LOCAL_SIZE"),
}


def fill_from_mpiexec(environ: dict[str, str] | None = None) -> bool:
    """Set RANK, WORLD_SIZE, LOCAL_RANK, LOCAL_WORLD_SIZE (and a local MASTER_ADDR/MASTER_PORT) from
    an MPI launcher's variables when RANK is not set; True when it did."""
    env = os.environ if environ is None else environ
    if "RANK" in env:
        return False
    found = {name: next((env[s] for s in sources if s in env), None) for name, sources in _SOURCES.items()}
    if found["RANK"] is None or found["WORLD_SIZE"] is None:
        return False
    for name, value in found.items():
        if value is not None:
            env[name] = value
    env.setdefault("MASTER_ADDR", "127.0.0.1")
    env.setdefault("MASTER_PORT", "29500")
    return True
