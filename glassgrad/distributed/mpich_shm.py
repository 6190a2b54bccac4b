"""Removing the shared memory that MPICH leaves in ``/dev/shm`` when a job's processes do not finalize.

The processes of one job on one machine talk through a block of POSIX shared memory. The first of
them to start creates it, under a name every one of them can work out alone::

    /dev/shm/mpich_shm_<world id>_<node id>      (and mpich_vci_<world id>_<node id> with several VCIs)

    world id = FNV-1a hash (32 bits, in hex) of the job's PMI kvsname, the name of the key-value space
               the rendezvous hands out (``PMIServer.kvsname``: ``kvs_<launcher pid>_<port>``)
    node id  = the machine's index in the job, ``--node-rank``

MPICH removes the block in MPI_Finalize. A job that fails does not get there: a killed process never
does, and ``glassgrad.distributed`` skips MPI_Finalize after a failed collective (it would wait for the
dead peer forever). So each such job left its block (2 MB for two processes) behind. The launcher knows
the kvsname, and once its processes have all exited and been reaped, nothing uses this machine's block
of the job any more: :func:`remove_segments` deletes it then. A job started with ``mpiexec`` (hydra)
is not covered: hydra's kvsname is its own.

FNV-1a: start from 2166136261; for each byte, ``h = (h XOR byte) * 16777619 mod 2**32``.
"""

from __future__ import annotations

import os

SHM_DIR = "/dev/shm"  # noqa: S108 (where Linux keeps POSIX shared memory)
_PREFIXES = ("mpich_shm", "mpich_vci")


def world_id(kvsname: str) -> int:
    """MPICH's id of the job: the 32-bit FNV-1a hash of its kvsname."""
    value = 2166136261
    for byte in kvsname.encode():
        value = ((value ^ byte) * 16777619) & 0xFFFFFFFF
    return value


def segment_names(kvsname: str, node_rank: int) -> list[str]:
    """The names of the shared-memory blocks MPICH creates for job ``kvsname`` on machine ``node_rank``."""
    return [f"{prefix}_{world_id(kvsname):x}_{node_rank}" for prefix in _PREFIXES]


def remove_segments(kvsname: str, node_rank: int) -> list[str]:
    """Delete this machine's blocks of the job (call it once every process of the job here has exited);
    returns the names of those that were there. Does nothing where there is no ``/dev/shm``."""
    removed = []
    for name in segment_names(kvsname, node_rank):
        try:
            os.unlink(os.path.join(SHM_DIR, name))
        except OSError:  # not there (the job finalized, or never got so far), or not ours to remove
            continue
        removed.append(name)
    return removed
