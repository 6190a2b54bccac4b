"""A small PMI server: the meeting point where the MPI processes of one job find each other.

MPI libraries do not find their peers on their own. A process manager (``mpiexec``'s hydra, Slurm)
runs a PMI server ("process management interface") and tells each process, through environment
variables, where it is and which rank it has. Every process's MPI library then, inside MPI_Init,

1. connects to the server (``PMI_PORT=host:port``) and introduces itself (``cmd=initack pmiid=<rank>``);
   the server answers with the job's size and the process's rank;
2. ``put``s its address ("business card") into a key-value space and waits at a ``barrier`` until
   every process has done so;
3. ``get``s the peers' addresses when it first talks to them.

That is the whole of torch's ``env://`` rendezvous (every process dials ``MASTER_ADDR:MASTER_PORT``),
so ``glassgrad.distributed.run`` serves this protocol (PMI version 1, the text wire protocol MPICH
speaks) on ``MASTER_ADDR:MASTER_PORT``, and the processes it starts, on this machine or on others,
become one ``MPI_COMM_WORLD``. Messages are lines of ``key=value`` words::

    client: cmd=put kvsname=kvs_1 key=P0-businesscard value=...   server: cmd=put_result rc=0 msg=success
    client: cmd=barrier_in                                         server (to all, once all came): cmd=barrier_out

A process talks to the server until it exits: MPICH's PMI client sends ``cmd=finalize`` from the
C library's exit handlers, after Python has finished, and crashes (SIGSEGV) when the server is gone
by then. So the launcher that serves the rendezvous keeps serving until every process has said
goodbye or closed its connection (:meth:`PMIServer.wait_for_goodbyes`), not just its own processes:
on several machines the others may exit later.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable

_VALUE_MAX = 4096


class PMIServer:
    """Serve PMI-1 for a job of ``size`` processes on a listening socket.

    Args:
        size: the number of processes (the world size).
        host, port: where to listen (port 0: any free port; ``address`` tells which).
        nodes, per_node: the job's layout, ``nodes`` machines with ``per_node`` processes each, ranks
            numbered node by node (MPI uses shared memory between processes it knows share a machine).
    """

    def __init__(self, size: int, host: str = "127.0.0.1", port: int = 0, nodes: int = 1,
                 per_node: int | None = None) -> None:
        self.size = size
        self._listener = socket.create_server((host, port), backlog=max(16, 2 * size), reuse_port=False)
        self.address = self._listener.getsockname()[:2]
        self.kvsname = f"kvs_{os.getpid()}_{self.address[1]}"
        per_node = size if per_node is None else per_node
        self._values = {"PMI_process_mapping": f"(vector,(0,{nodes},{per_node}))"}
        self._lock = threading.Lock()
        self._waiting: list[socket.socket] = []  # connections inside the current barrier
        self._open: dict[int, int] = {}  # rank -> its connections still open (counted from cmd=initack)
        self.aborts: list[tuple[int, str]] = []  # (rank, exit code) of processes that called MPI_Abort
        self._closed = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Accept connections in a background thread (one more thread per connected process)."""
        self._thread = threading.Thread(target=self._accept, name="pmi-server", daemon=True)
        self._thread.start()

    def wait_for_goodbyes(self, timeout: float, interrupted: Callable[[], bool] = lambda: False) -> bool:
        """Wait until every process that connected has closed its connection (or sent ``cmd=finalize``);
        True if they all did within ``timeout`` seconds (``interrupted()`` true ends the wait early).

        Processes that never connected are not waited for (a script that does not use MPI): once a
        process has passed MPI_Init, every other one has connected, since MPI_Init's barrier needs them all.
        """
        deadline = time.monotonic() + timeout
        while not self._all_gone():
            if time.monotonic() > deadline or interrupted():
                return False
            time.sleep(0.05)
        return True

    def _all_gone(self) -> bool:
        with self._lock:
            return not any(self._open.values())

    def close(self) -> None:
        self._closed = True
        try:
            self._listener.close()
        except OSError:
            pass

    def _accept(self) -> None:
        while not self._closed:
            try:
                connection, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        stream = connection.makefile("r", encoding="ascii", newline="\n")  # written to with sendall
        rank = -1
        try:
            for line in stream:
                fields = dict(word.split("=", 1) for word in line.split() if "=" in word)
                command = fields.get("cmd", "")
                if command == "initack":
                    rank = int(fields.get("pmiid", -1))
                    with self._lock:
                        self._open[rank] = self._open.get(rank, 0) + 1
                    self._send(connection, "cmd=initack", f"cmd=set size={self.size}", f"cmd=set rank={rank}",
                               "cmd=set debug=0")
                elif command == "finalize":
                    self._send(connection, "cmd=finalize_ack")
                    return
                else:
                    self._answer(connection, command, fields, rank)
        except (OSError, ValueError):
            return  # the process went away; the launcher sees its exit
        finally:
            connection.close()
            if rank in self._open:
                with self._lock:
                    self._open[rank] -= 1

    def _answer(self, connection: socket.socket, command: str, fields: dict[str, str], rank: int) -> None:
        if command == "init":
            self._send(connection, "cmd=response_to_init pmi_version=1 pmi_subversion=1 rc=0")
        elif command == "get_maxes":
            self._send(connection, f"cmd=maxes kvsname_max=256 keylen_max=256 vallen_max={_VALUE_MAX} rc=0")
        elif command == "get_appnum":
            self._send(connection, "cmd=appnum appnum=0 rc=0")
        elif command == "get_my_kvsname":
            self._send(connection, f"cmd=my_kvsname kvsname={self.kvsname} rc=0")
        elif command == "get_universe_size":
            self._send(connection, f"cmd=universe_size size={self.size} rc=0")
        elif command == "put":
            with self._lock:
                self._values[fields["key"]] = fields.get("value", "")
            self._send(connection, "cmd=put_result rc=0 msg=success")
        elif command == "get":
            with self._lock:
                value = self._values.get(fields.get("key", ""))
            self._send(connection, "cmd=get_result rc=-1 msg=key_not_found" if value is None
                       else f"cmd=get_result rc=0 msg=success value={value}")
        elif command == "barrier_in":
            self._barrier(connection)
        elif command == "abort":
            self.aborts.append((rank, fields.get("exitcode", "?")))
        else:
            self._send(connection, f"cmd={command}_result rc=-1 msg=unsupported")

    def _barrier(self, connection: socket.socket) -> None:
        with self._lock:
            self._waiting.append(connection)
            if len(self._waiting) < self.size:
                return
            everyone, self._waiting = self._waiting, []
        for other in everyone:
            try:
                self._send(other, "cmd=barrier_out")
            except OSError:
                pass

    @staticmethod
    def _send(connection: socket.socket, *lines: str) -> None:
        connection.sendall("".join(line + "\n" for line in lines).encode("ascii"))
