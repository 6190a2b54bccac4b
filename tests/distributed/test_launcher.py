"""The launcher and the collectives on 2 processes: python -m glassgrad.distributed.run (torchrun's variables),
a bare mpiexec, and two launchers standing for two machines (--nnodes 2)."""

from __future__ import annotations

import subprocess
import sys

from glassgrad.distributed import mpi, run
from tests.distributed.launch import launch, launch_as_two_machines, needs_mpi, needs_mpiexec


def _ok(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    assert "rank 0 ok" in done.stdout and "rank 1 ok" in done.stdout, done.stdout


@needs_mpi
def test_collectives_under_the_launcher(tmp_path):
    seen = tmp_path / "env.txt"
    _ok(launch("collectives.py", str(seen)))
    variables = dict(line.split("=", 1) for line in seen.read_text().splitlines())
    assert variables["RANK"] == "0" and variables["LOCAL_RANK"] == "0"
    assert variables["WORLD_SIZE"] == "2" and variables["LOCAL_WORLD_SIZE"] == "2"
    assert variables["MASTER_ADDR"] == "127.0.0.1" and int(variables["MASTER_PORT"]) > 0


@needs_mpi
@needs_mpiexec
def test_collectives_under_mpiexec(tmp_path):
    """No torchrun variables: the ranks come from MPI's (glassgrad.distributed fills RANK etc. in)."""
    seen = tmp_path / "env.txt"
    _ok(launch("collectives.py", str(seen), launcher=[mpi.mpiexec_path(), "-n", "2", sys.executable]))
    variables = dict(line.split("=", 1) for line in seen.read_text().splitlines())
    assert variables["RANK"] == "0" and variables["WORLD_SIZE"] == "2" and variables["LOCAL_WORLD_SIZE"] == "2"


def _two_machines(job: str) -> None:
    """Run tests/distributed/jobs/<job> as two machines of one process each; both must succeed."""
    (code0, out0, err0), (code1, out1, err1) = launch_as_two_machines(job)
    assert (code0, code1) == (0, 0), (out0, err0, out1, err1)
    assert "rank 0 ok" in out0 and "rank 1 ok" in out1


@needs_mpi
def test_two_launchers_as_two_machines():
    """torchrun's multi-machine contract: one launcher per node, the same master address and port."""
    _two_machines("collectives.py")


@needs_mpi
def test_node_0_serves_the_rendezvous_until_the_other_machine_exits():
    """MPICH's exit work (PMI_Finalize, after the script) reaches node 0's rendezvous; a process of node 1
    that gets there after node 0's launcher has gone was killed by SIGSEGV (a flaky CI failure under load).
    Here rank 1 gets there 2 s after rank 0 has exited."""
    _two_machines("slow_exit.py")


def test_torchrun_variables():
    args = run.parse(["--nnodes", "2", "--node-rank", "1", "--nproc-per-node", "3", "--master-addr", "10.0.0.1",
                      "train.py", "--lr", "0.1"])
    assert args.script == "train.py" and args.script_args == ["--lr", "0.1"]
    envs = run.environments(args, 29500)
    assert [(rank, local) for rank, local, _ in envs] == [(3, 0), (4, 1), (5, 2)]
    env = envs[2][2]
    assert (env["RANK"], env["LOCAL_RANK"], env["WORLD_SIZE"], env["LOCAL_WORLD_SIZE"], env["GROUP_RANK"]) == \
        ("5", "2", "6", "3", "1")
    assert (env["MASTER_ADDR"], env["MASTER_PORT"], env["PMI_PORT"], env["PMI_ID"]) == \
        ("10.0.0.1", "29500", "10.0.0.1:29500", "5")
    assert run.command(args)[-3:] == ["train.py", "--lr", "0.1"]


def test_launcher_refuses_bad_arguments(capsys):
    for bad in (["--nnodes", "1:2", "x.py"], ["--node-rank", "1", "x.py"], ["--max-restarts", "3", "x.py"]):
        try:
            run.parse(bad)
            raise AssertionError(f"{bad} was accepted")
        except SystemExit as exit_:
            assert exit_.code == 2
    assert "elastic" in capsys.readouterr().err


def test_environment_from_mpiexec_variables():
    from glassgrad.distributed.environment import fill_from_mpiexec

    env = {"PMI_RANK": "1", "PMI_SIZE": "4", "MPI_LOCALRANKID": "1", "MPI_LOCALNRANKS": "2"}
    assert fill_from_mpiexec(env)
    assert (env["RANK"], env["WORLD_SIZE"], env["LOCAL_RANK"], env["LOCAL_WORLD_SIZE"]) == ("1", "4", "1", "2")
    ompi = {"OMPI_COMM_WORLD_RANK": "2", "OMPI_COMM_WORLD_SIZE": "3"}
    assert fill_from_mpiexec(ompi) and ompi["RANK"] == "2" and "LOCAL_RANK" not in ompi
    assert not fill_from_mpiexec({"RANK": "0", "PMI_RANK": "1"})  # torchrun's win
    assert not fill_from_mpiexec({})


def test_other_nodes_learn_the_kvsname_of_the_rendezvous():
    """A launcher of node k > 0 asks node 0's rendezvous for the job's kvsname, to know the names of the MPICH
    shared-memory blocks it removes after its processes (mpich_shm.py); the name MPICH gave the block of a job
    with kvsname kvs_18511_42859 (mpich 5.0.2) was mpich_shm_3aac5453_0."""
    from glassgrad.distributed import mpich_shm
    from glassgrad.distributed.pmi_server import PMIServer

    server = PMIServer(2)
    server.start()
    try:
        assert run._wait_for_master(*server.address, timeout=10) == server.kvsname
    finally:
        server.close()
    assert mpich_shm.segment_names("kvs_18511_42859", 0)[0] == "mpich_shm_3aac5453_0"
    assert mpich_shm.segment_names("kvs_18511_42859", 1) == ["mpich_shm_3aac5453_1", "mpich_vci_3aac5453_1"]
