"""Failures: a dead process is named by its peers' waits and by the launcher, a missing one times out,
signals reach every process, and no process is left behind; errors before init_process_group."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import glassgrad as gg
import glassgrad.distributed as dist
from tests.distributed.launch import JOBS, ROOT, environment, launch, launch_as_two_machines, needs_mpi


def _pids(prefix, size: int = 2) -> list[int]:
    return [int(Path(f"{prefix}.{rank}").read_text()) for rank in range(size)]


def _segments(prefix, size: int = 2) -> set[str]:
    """The MPICH shared-memory blocks (/dev/shm paths) the job's processes had mapped."""
    return {path for rank in range(size) for path in Path(f"{prefix}.shm.{rank}").read_text().split()}


def _nothing_left(prefix, size: int = 2) -> set[str]:
    """No process of the job is alive, and the launcher removed the job's MPICH shared memory, which
    MPI_Finalize (never reached here) would have removed: each such job left 2 MB in /dev/shm.
    Returns the blocks the job had used."""
    assert all(_gone(pid) for pid in _pids(prefix, size))
    segments = _segments(prefix, size)
    if os.path.exists("/proc/self/maps"):  # Linux, where the job could list the blocks it used
        assert any("/mpich_shm_" in path for path in segments), segments  # it did use one (its ranks share it)
    assert [path for path in segments if os.path.exists(path)] == []
    return segments


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


@needs_mpi
def test_dead_process_is_named_and_nothing_is_left(tmp_path):
    """Nothing left: no process, and no MPICH shared memory of the job in /dev/shm (a block of 2 MB was left
    by every job whose processes did not all reach MPI_Finalize, three per run of this file)."""
    done = launch("faults.py", "dies", str(tmp_path / "pid"))
    assert done.returncode == 1
    assert "rank 1 (local_rank 1, pid" in done.stderr and "exited with code 3" in done.stderr, done.stderr
    assert "rank 0 error: rank 0: all_reduce" in done.stdout and "rank 1 (pid" in done.stdout, done.stdout
    assert "has exited" in done.stdout
    assert "can no longer be used" in done.stdout  # a later collective fails at once
    _nothing_left(tmp_path / "pid")


@needs_mpi
@pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="the job lists its blocks from /proc/self/maps")
def test_each_machine_removes_its_own_shared_memory(tmp_path):
    """Two launchers standing for two machines of two processes each, rank 1 dies: each machine has its
    block (mpich_shm_<id>_<node>), and node 1's launcher, which learnt the job's kvsname from node 0's
    rendezvous, removes its own."""
    outputs = launch_as_two_machines("faults.py", "dies", str(tmp_path / "pid"), nproc=2)
    assert [code for code, _, _ in outputs] == [1, 1], outputs
    used = _nothing_left(tmp_path / "pid", size=4)
    assert {path.rsplit("_", 1)[1] for path in used if "/mpich_shm_" in path} == {"0", "1"}, used


@needs_mpi
def test_missing_process_times_out(tmp_path):
    done = launch("faults.py", "hangs", str(tmp_path / "pid"))
    assert done.returncode == 1
    assert "timed out after 2 s" in done.stdout, done.stdout
    assert "rank 0 (local_rank 0, pid" in done.stderr and "exited with code 5" in done.stderr, done.stderr
    _nothing_left(tmp_path / "pid")


@needs_mpi
def test_signal_reaches_every_process(tmp_path):
    prefix = tmp_path / "pid"
    launcher = subprocess.Popen([sys.executable, "-m", "glassgrad.distributed.run", "--nproc-per-node", "2",
                                 str(JOBS / "faults.py"), "sleeps", str(prefix)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(), cwd=ROOT)
    deadline = time.monotonic() + 60
    while not all(os.path.exists(f"{prefix}.{r}") for r in (0, 1)):
        assert time.monotonic() < deadline and launcher.poll() is None, launcher.communicate()
        time.sleep(0.1)
    time.sleep(0.2)  # the pid is written before the file is closed
    launcher.send_signal(signal.SIGTERM)
    _, err = launcher.communicate(timeout=30)
    assert launcher.returncode == 1
    assert "killed by signal SIGTERM after the launcher received SIGTERM" in err, err
    _nothing_left(prefix)


def test_collective_before_init():
    assert not dist.is_initialized()
    for call in (lambda: dist.all_reduce(gg.ones(2)), dist.get_rank, dist.get_world_size, dist.barrier,
                 lambda: dist.new_group([0])):
        with pytest.raises(ValueError, match="Default process group has not been initialized"):
            call()


def test_bad_backend_and_arguments():
    with pytest.raises(RuntimeError, match="nccl"):
        dist.init_process_group("nccl")
    with pytest.raises(ValueError, match="unknown backend"):
        dist.init_process_group("ucc")
    with pytest.raises(TypeError, match="Tensor"):
        dist.all_reduce([1.0, 2.0])
    assert not dist.is_initialized()
