"""Running a job of several processes from a test, and skipping when MPI is not installed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from glassgrad.distributed import mpi

JOBS = Path(__file__).parent / "jobs"
ROOT = Path(__file__).parents[2]

needs_mpi = pytest.mark.skipif(not mpi.available(), reason="mpi4py is not installed (pip install -e '.[distributed]')")
needs_mpiexec = pytest.mark.skipif(mpi.mpiexec_path() is None, reason="no mpiexec (pip install mpich)")


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "PMI_RANK",
                                                            "PMI_SIZE", "PMI_FD", "PMI_PORT")}
    env.update(OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", PYTHONPATH=str(ROOT))
    return env


def launch(job: str, *args: str, nproc: int = 2, timeout: float = 120, launcher: list[str] | None = None,
           ) -> subprocess.CompletedProcess:
    """Run tests/distributed/jobs/<job> on ``nproc`` processes through the launcher (or ``launcher``)."""
    start = launcher or [sys.executable, "-m", "glassgrad.distributed.run", "--nproc-per-node", str(nproc)]
    return subprocess.run([*start, str(JOBS / job), *args], capture_output=True, text=True, timeout=timeout,
                          env=environment(), cwd=ROOT)


def launch_as_two_machines(job: str, *args: str, nproc: int = 1, timeout: float = 120,
                           ) -> list[tuple[int, str, str]]:
    """Run tests/distributed/jobs/<job> as two machines of ``nproc`` processes each: one launcher per node,
    the same master address and port. Each launcher's (return code, stdout, stderr)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    nodes = [subprocess.Popen([sys.executable, "-m", "glassgrad.distributed.run", "--nnodes", "2", "--node-rank",
                               str(k), "--nproc-per-node", str(nproc), "--master-addr", "127.0.0.1", "--master-port",
                               str(port), str(JOBS / job), *args],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(), cwd=ROOT)
             for k in (0, 1)]
    outputs = [node.communicate(timeout=timeout) for node in nodes]
    return [(node.returncode, out, err) for node, (out, err) in zip(nodes, outputs, strict=True)]
