"""``python -m glassgrad.distributed.run``: torchrun's launcher, on MPI.

    python -m glassgrad.distributed.run --nproc-per-node 2 train.py --epochs 3

starts ``--nproc-per-node`` copies of the script on this machine, each with torchrun's variables:

    RANK              global rank: node_rank * nproc_per_node + local_rank
    LOCAL_RANK        rank on this machine
    WORLD_SIZE        nnodes * nproc_per_node
    LOCAL_WORLD_SIZE  nproc_per_node
    GROUP_RANK        node_rank
    MASTER_ADDR, MASTER_PORT   where the rendezvous is served

On several machines run it once on each, with the same ``--nnodes``, ``--master-addr`` (the first
machine's address) and ``--master-port``, and ``--node-rank`` 0, 1, ... The launcher of node 0 serves
the MPI rendezvous (a PMI server, ``pmi_server.py``) on MASTER_ADDR:MASTER_PORT; every process's MPI
connects there at start, so all of them form one ``MPI_COMM_WORLD``. MPI talks to it again as each
process exits, so that launcher, once its own processes have finished, waits (up to ``EXIT_WAIT``
seconds, as torchrun's exit barrier) until the other machines' processes have exited too.

Signals sent to the launcher (Ctrl-C, SIGTERM, SIGHUP) are forwarded to every process. If a process
fails, the others are stopped, and the launcher exits with code 1 naming the process that failed
first. Once this machine's processes have all exited, the launcher removes the job's MPICH shared memory
in ``/dev/shm`` that a process which did not finalize (killed, failed) left behind (``mpich_shm.py``).
``mpiexec -n N python train.py`` works as well: then ``glassgrad.distributed`` takes the ranks
from MPI's own variables.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import time
from typing import Any

from glassgrad.distributed import mpich_shm, workers
from glassgrad.distributed.pmi_server import PMIServer

DEFAULT_PORT = 29500  # torchrun's
EXIT_WAIT = 300.0  # seconds node 0 serves the rendezvous for the other nodes' processes (torchrun's exit barrier)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m glassgrad.distributed.run",
                                     description="Start a data-parallel job: torchrun's contract, on MPI.")
    for name, kind, default, text in (
            ("nproc-per-node", str, "1", "processes on this machine (a number, or 'cpu' for one per core)"),
            ("nnodes", str, "1", "number of machines (a number; torchrun's MIN:MAX ranges are not supported)"),
            ("node-rank", int, 0, "this machine's index, 0 .. nnodes-1"),
            ("master-addr", str, "127.0.0.1", "address of node 0, where the rendezvous is served"),
            ("master-port", int, None, f"its port (default {DEFAULT_PORT} across machines; on one machine a free "
                                       "port)")):
        parser.add_argument(f"--{name}", f"--{name.replace('-', '_')}", type=kind, default=default, help=text)
    parser.add_argument("--standalone", action="store_true", help="one machine, any free port (torchrun's)")
    parser.add_argument("--max-restarts", "--max_restarts", type=int, default=0, help="only 0 is supported")
    parser.add_argument("-m", "--module", action="store_true", help="run the target as a module (python -m)")
    parser.add_argument("--no-python", "--no_python", action="store_true", help="run the target as a program")
    parser.add_argument("script", help="the training script (or module / program)")
    parser.add_argument("script_args", nargs=argparse.REMAINDER, help="its arguments")
    args = parser.parse_args(argv)
    args.nproc_per_node = (os.cpu_count() or 1) if args.nproc_per_node == "cpu" else int(args.nproc_per_node)
    if ":" in args.nnodes:
        parser.error("--nnodes: elastic ranges (MIN:MAX) are not supported; give the number of machines")
    args.nnodes = int(args.nnodes)
    if args.nproc_per_node < 1 or args.nnodes < 1 or not 0 <= args.node_rank < args.nnodes:
        parser.error(f"need --nproc-per-node >= 1, --nnodes >= 1 and 0 <= --node-rank < nnodes "
                     f"(got {args.nproc_per_node}, {args.nnodes}, {args.node_rank})")
    if args.max_restarts:
        parser.error("--max-restarts: restarting failed workers is not supported")
    return args


def _wait_for_master(host: str, port: int, timeout: float = 300.0) -> str:
    """On nodes other than 0: wait until node 0's rendezvous answers; returns the job's kvsname (the
    name MPICH derives its shared-memory blocks' names from, see ``mpich_shm.py``)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection((host, port), timeout=2) as connection:
                connection.sendall(b"cmd=get_my_kvsname\n")
                answer = connection.makefile("r", encoding="ascii").readline()
            fields = dict(word.split("=", 1) for word in answer.split() if "=" in word)
            if "kvsname" in fields:
                return fields["kvsname"]
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"glassgrad.distributed.run: no rendezvous at {host}:{port} after {timeout:g} s "
                             "(is the launcher of node 0 running?)")
        time.sleep(0.5)


def environments(args: argparse.Namespace, port: int) -> list[tuple[int, int, dict[str, str]]]:
    """Each local process's (rank, local_rank, environment)."""
    world = args.nnodes * args.nproc_per_node
    result = []
    for local_rank in range(args.nproc_per_node):
        rank = args.node_rank * args.nproc_per_node + local_rank
        env = dict(os.environ)
        env.update(RANK=str(rank), LOCAL_RANK=str(local_rank), WORLD_SIZE=str(world),
                   LOCAL_WORLD_SIZE=str(args.nproc_per_node), GROUP_RANK=str(args.node_rank),
                   ROLE_RANK=str(rank), ROLE_WORLD_SIZE=str(world), MASTER_ADDR=args.master_addr,
                   MASTER_PORT=str(port), TORCHELASTIC_RUN_ID="none",
                   PMI_PORT=f"{args.master_addr}:{port}", PMI_ID=str(rank))
        for stale in ("PMI_FD", "PMI_RANK", "PMI_SIZE", "MPI_LOCALRANKID", "MPI_LOCALNRANKS"):  # an outer mpiexec's
            env.pop(stale, None)
        if args.nproc_per_node > 1:
            env.setdefault("OMP_NUM_THREADS", "1")  # as torchrun: N processes, not N x cores threads
        result.append((rank, local_rank, env))
    return result


def command(args: argparse.Namespace) -> list[str]:
    if args.no_python:
        return [args.script, *args.script_args]
    return [sys.executable, "-u", *(["-m"] if args.module else []), args.script, *args.script_args]


def _serve_until_all_exit(server: PMIServer, received: list[int]) -> None:
    """On node 0, once its own processes have succeeded: serve until every process of the job has left.

    MPI's exit work talks to the rendezvous (PMI_Finalize, after the script has ended); a process on
    another machine that gets there after this launcher has exited is killed by SIGSEGV inside MPICH.
    A signal to the launcher (Ctrl-C) ends the wait.
    """
    if not server.wait_for_goodbyes(EXIT_WAIT, interrupted=lambda: bool(received)) and not received:
        print(f"glassgrad.distributed.run: processes on the other machines were still connected {EXIT_WAIT:g} s "
              "after this machine's had finished; the rendezvous closes now", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    port = args.master_port
    if port is None:  # on one machine any free port (the server's socket picks it: no race with other jobs)
        port = 0 if args.nnodes == 1 or args.standalone else DEFAULT_PORT
    server = None
    if args.node_rank == 0:
        host = args.master_addr if args.nnodes == 1 else "0.0.0.0"  # noqa: S104 (other machines must reach it)
        server = PMIServer(args.nnodes * args.nproc_per_node, host, port, args.nnodes, args.nproc_per_node)
        port, kvsname = server.address[1], server.kvsname
    else:
        kvsname = _wait_for_master(args.master_addr, port)
    started = workers.start(command(args), environments(args, port))
    if server is not None:
        server.start()
    received: list[int] = []

    def forward(signum: int, frame: Any) -> None:
        received.append(signum)
        workers.signal_all(started, signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, forward)
    try:
        failure = workers.watch(started)
        if failure is None and server is not None:  # the other machines' processes still need the rendezvous
            _serve_until_all_exit(server, received)
    finally:
        workers.stop(started)
        mpich_shm.remove_segments(kvsname, args.node_rank)  # left when a process did not reach MPI_Finalize
        if server is not None:
            server.close()
    if failure is not None:
        cause = f" after the launcher received {signal.Signals(received[0]).name}" if received else ""
        print(f"glassgrad.distributed.run: FAILED: {failure.describe()}{cause}; the other processes were stopped",
              file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
