"""The process group: which processes take part, and the MPI communicator that connects them.

``init_process_group`` joins the processes a launcher started (``python -m glassgrad.distributed.run``,
or ``mpiexec``) into the default group, ``WORLD``; ``new_group(ranks)`` makes a smaller one. A group is
an MPI intra-communicator (its own copy of ``MPI_COMM_WORLD`` or a part of it), so messages of
different groups never mix. Ranks given to the collectives (``src``, ``dst``) are always global ranks,
as in torch; the group translates them to its own numbering.

The rendezvous that ``env://`` means in torch (every process dials ``MASTER_ADDR:MASTER_PORT``) is done
here by MPI itself when the processes start: the launcher serves MPI's process-management interface
(PMI) on ``MASTER_ADDR:MASTER_PORT`` and each process's MPI library registers there. What
``init_process_group`` adds is a check that ``RANK`` / ``WORLD_SIZE`` (or the ``rank`` / ``world_size``
arguments) agree with what MPI started, and a record of each process's host and process id, so a wait
can tell that a peer on this machine has died instead of hanging until the timeout.
"""

from __future__ import annotations

import atexit
import datetime
import os
import socket
import sys
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from glassgrad.distributed import mpi

DEFAULT_TIMEOUT = datetime.timedelta(minutes=30)  # torch's default for its CPU backend
BACKENDS = ("mpi", "gloo")  # "gloo" is served by MPI too, so torch programs that ask for it run unchanged
_HOST_BYTES = 64


@dataclass
class ProcessGroup:
    """A set of processes that run collectives together.

    Attributes:
        comm: the MPI communicator (None on a process that is not a member).
        ranks: the members' global ranks, in the group's order (group rank i is global rank ranks[i]).
        timeout: seconds a collective may wait for the others before it fails.
        backend: the backend name given at init ("mpi" or "gloo").
    """

    comm: Any
    ranks: list[int]
    timeout: float
    backend: str = "mpi"
    freed: bool = field(default=False, repr=False)

    def rank(self) -> int:
        """This process's rank within the group (-1 when it is not a member)."""
        return -1 if self.comm is None else self.comm.Get_rank()

    def size(self) -> int:
        return len(self.ranks)

    def group_rank(self, global_rank: int, what: str) -> int:
        """The group's own number for ``global_rank``; an error naming ``what`` when it is not a member."""
        if global_rank not in self.ranks:
            raise ValueError(f"{what}: global rank {global_rank} is not part of the group (ranks {self.ranks})")
        return self.ranks.index(global_rank)

    def __repr__(self) -> str:
        return f"ProcessGroup(backend={self.backend!r}, ranks={self.ranks})"


@dataclass
class _State:
    """The default group and what is known about every process of the job."""

    world: ProcessGroup | None = None
    hosts: list[str] = field(default_factory=list)  # by global rank
    pids: list[int] = field(default_factory=list)
    groups: list[ProcessGroup] = field(default_factory=list)  # made by new_group, freed with the default group
    broken: str = ""  # why the job can no longer communicate (a peer died, a timeout): MPI is not finalized
    exit_hook_installed: bool = False


state = _State()


class GroupMember:
    """torch's sentinels: ``GroupMember.WORLD`` is the default group (None means the same)."""

    WORLD = None
    NON_GROUP_MEMBER = -100


def default_group() -> ProcessGroup:
    """The default group; the error torch gives before ``init_process_group``."""
    if state.world is None:
        raise ValueError("Default process group has not been initialized, please make sure to call "
                         "init_process_group.")
    return state.world


def resolve(group: ProcessGroup | None) -> ProcessGroup:
    """``group`` itself, or the default group for None (raising before init)."""
    world = default_group()
    if group is None:
        return world
    if not isinstance(group, ProcessGroup):
        raise TypeError(f"group must be a ProcessGroup from new_group() or None, got {type(group).__name__}")
    if group.freed:
        raise RuntimeError(f"{group} was destroyed by destroy_process_group")
    return group


def _seconds(timeout: datetime.timedelta | float | None) -> float:
    if timeout is None:
        return DEFAULT_TIMEOUT.total_seconds()
    seconds = timeout.total_seconds() if isinstance(timeout, datetime.timedelta) else float(timeout)
    if seconds <= 0:
        raise ValueError(f"timeout must be positive, got {timeout}")
    return seconds


def _expected(argument: int, variable: str, name: str) -> int | None:
    """The rank or world size the program asked for: the argument, else the environment variable."""
    if argument is not None and argument != -1:
        return int(argument)
    if os.environ.get(variable):
        try:
            return int(os.environ[variable])
        except ValueError:
            raise ValueError(f"init_process_group: {variable}={os.environ[variable]!r} is not an integer "
                             f"({name})") from None
    return None


def _check_backend(backend: str | None) -> str:
    name = "mpi" if backend is None else str(backend).lower()
    if name.startswith("cpu:"):
        name = name[4:]
    if name == "nccl":
        raise RuntimeError("init_process_group: backend 'nccl' needs NVIDIA GPUs; glassgrad runs on the CPU: use "
                           "'gloo' or 'mpi' (both served by MPI here)")
    if name not in BACKENDS:
        raise ValueError(f"init_process_group: unknown backend {backend!r}; glassgrad offers {BACKENDS}")
    return name


def init_process_group(backend: str | None = None, init_method: str | None = None,
                       timeout: datetime.timedelta | None = None, world_size: int = -1, rank: int = -1,
                       store: Any = None, group_name: str = "", pg_options: Any = None,
                       device_id: Any = None) -> None:
    """Join this process to the default group (torch.distributed.init_process_group).

    Args:
        backend: "mpi" or "gloo" (both run on MPI); None means "mpi".
        init_method: "env://" (the default) or a "tcp://" / "file://" URL, accepted for compatibility: the
            processes have already met through the launcher's MPI rendezvous (see the module docstring).
        timeout: how long a collective waits for the others before it fails (default 30 minutes).
        world_size, rank: expected values (else ``WORLD_SIZE`` / ``RANK``); an error if MPI disagrees.
        store, pg_options, device_id, group_name: torch's; a store cannot be used (MPI does the rendezvous).
    """
    if state.world is not None:
        raise ValueError("trying to initialize the default process group twice!")
    name = _check_backend(backend)
    if store is not None:
        raise ValueError("init_process_group: glassgrad's processes meet through MPI; a store cannot be given")
    if init_method is not None and not str(init_method).startswith(("env://", "tcp://", "file://")):
        raise ValueError(f"init_process_group: unsupported init_method {init_method!r}")
    seconds = _seconds(timeout)
    MPI = mpi.load()  # noqa: N806 (the module's own name)
    started_size, started_rank = MPI.COMM_WORLD.Get_size(), MPI.COMM_WORLD.Get_rank()
    size = _expected(world_size, "WORLD_SIZE", "the number of processes")
    if size is not None and size != started_size:
        raise RuntimeError(
            f"init_process_group: the world size is {size} but MPI started {started_size} process(es): start "
            f"the script with `python -m glassgrad.distributed.run --nproc-per-node {size} script.py` or "
            f"`mpiexec -n {size} python script.py`")
    expected_rank = _expected(rank, "RANK", "this process's rank")
    if expected_rank is not None and expected_rank != started_rank:
        raise RuntimeError(f"init_process_group: rank {expected_rank} was asked for, but MPI numbers this process "
                           f"{started_rank}; let the launcher set RANK")
    comm = MPI.COMM_WORLD.Dup()
    comm.Set_errhandler(MPI.ERRORS_RETURN)  # MPI failures raise here instead of aborting the process
    state.hosts, state.pids = _gather_identities(comm)
    state.broken = ""
    state.world = ProcessGroup(comm, list(range(started_size)), seconds, name)
    _install_exit_hook()


def _gather_identities(comm: Any) -> tuple[list[str], list[int]]:
    """Every process's host name and process id, by rank (fixed-size arrays: nothing is unpickled)."""
    host = socket.gethostname().encode()[:_HOST_BYTES].ljust(_HOST_BYTES, b"\0")
    mine = np.frombuffer(host + int(os.getpid()).to_bytes(8, "little"), dtype=np.uint8)
    every = np.empty((comm.Get_size(), mine.size), dtype=np.uint8)
    comm.Allgather(mine, every)
    hosts = [bytes(row[:_HOST_BYTES]).rstrip(b"\0").decode(errors="replace") for row in every]
    pids = [int.from_bytes(bytes(row[_HOST_BYTES:]), "little") for row in every]
    return hosts, pids


def _install_exit_hook() -> None:
    """Finalize MPI at exit, unless something failed (then MPI_Finalize could wait forever for a dead peer).
    An uncaught exception counts as a failure: the process exits non-zero and the launcher ends the rest."""
    if state.exit_hook_installed:
        return
    state.exit_hook_installed = True
    previous = sys.excepthook

    def note_failure(kind: Any, value: Any, traceback: Any) -> None:
        state.broken = state.broken or f"uncaught {kind.__name__}"
        previous(kind, value, traceback)

    sys.excepthook = note_failure
    atexit.register(_finalize)


def _finalize() -> None:
    MPI = mpi.load()  # noqa: N806
    if not state.broken and not MPI.Is_finalized():
        MPI.Finalize()


def destroy_process_group(group: ProcessGroup | None = None) -> None:
    """Free ``group`` (by default the default group and every group made from it)."""
    target = resolve(group)
    if target is state.world:
        state.world = None
        for made in state.groups:
            if not made.freed:
                _free(made)
        state.groups = []
    _free(target)


def _free(target: ProcessGroup) -> None:
    """Free one group's communicator."""
    if target.comm is not None and not state.broken:
        try:
            target.comm.Free()
        except mpi.load().Exception:  # messages left unreceived: the communicator is dropped all the same
            pass
    target.comm, target.freed = None, True


def new_group(ranks: list[int] | None = None, timeout: datetime.timedelta | None = None, backend: str | None = None,
              pg_options: Any = None, use_local_synchronization: bool = False, group_desc: str | None = None,
              device_id: Any = None) -> ProcessGroup:
    """A group of the processes with global ranks ``ranks`` (default: all). Every process of the default
    group must call it, members or not, with the same ranks (as torch). A non-member gets a group it
    cannot use: ``get_rank(group)`` is -1 and its collectives do nothing."""
    world = default_group()
    members = sorted(set(range(world.size()) if ranks is None else (int(r) for r in ranks)))
    for r in members:
        if not 0 <= r < world.size():
            raise ValueError(f"new_group: rank {r} is outside the world of {world.size()} processes")
    world_group = world.comm.Get_group()
    part = world_group.Incl(members)
    comm = world.comm.Create(part)
    part.Free()
    world_group.Free()
    MPI = mpi.load()  # noqa: N806
    if comm == MPI.COMM_NULL:
        comm = None
    else:
        comm.Set_errhandler(MPI.ERRORS_RETURN)
    seconds = world.timeout if timeout is None else _seconds(timeout)
    group = ProcessGroup(comm, members, seconds, _check_backend(backend) if backend else world.backend)
    state.groups.append(group)
    return group


def is_initialized() -> bool:
    return state.world is not None


def is_available() -> bool:
    """True when MPI can be used (mpi4py is installed); MPI itself starts only at init_process_group."""
    return mpi.available()


def is_mpi_available() -> bool:
    return mpi.available()


def is_gloo_available() -> bool:
    return mpi.available()


def is_nccl_available() -> bool:
    return False


def get_rank(group: ProcessGroup | None = None) -> int:
    """This process's global rank (with ``group``: its rank within that group, -1 when not a member)."""
    target = resolve(group)
    return target.rank()


def get_world_size(group: ProcessGroup | None = None) -> int:
    target = resolve(group)
    return target.size() if target.comm is not None else -1


def get_backend(group: ProcessGroup | None = None) -> str:
    return resolve(group).backend


def get_process_group_ranks(group: ProcessGroup | None) -> list[int]:
    return list(resolve(group).ranks)


def get_global_rank(group: ProcessGroup | None, group_rank: int) -> int:
    return resolve(group).ranks[group_rank]


def get_group_rank(group: ProcessGroup | None, global_rank: int) -> int:
    return resolve(group).group_rank(global_rank, "get_group_rank")
