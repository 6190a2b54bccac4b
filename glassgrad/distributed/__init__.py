"""torch.distributed on MPI: several processes training one model together.

    import glassgrad.distributed as dist
    dist.init_process_group("gloo")               # or "mpi": both run on MPI (mpi4py)
    dist.all_reduce(t, op=dist.ReduceOp.SUM)      # every process now holds the sum

Start the processes with ``python -m glassgrad.distributed.run --nproc-per-node N script.py`` (torchrun's
contract) or ``mpiexec -n N python script.py``. What lives where:

    process_group.py        init_process_group, new_group, ranks, destroy_process_group
    collectives.py          all_reduce, broadcast, reduce, all_gather(_into_tensor), gather, scatter,
                            reduce_scatter_tensor, barrier
    point_to_point.py       send, recv, isend, irecv
    object_collectives.py   all_gather_object, broadcast_object_list (safe types only, no pickle)
    waiting.py              Work (async_op=True), timeouts, detecting a dead peer
    agreement.py            the check that every process made the same call with matching shapes
    run.py, workers.py, pmi_server.py    the launcher and the MPI rendezvous it serves

See docs/distributed.md for ring all-reduce, DistributedDataParallel's buckets, and several machines.
"""

from glassgrad.distributed import environment as _environment
from glassgrad.distributed.collectives import all_gather as all_gather
from glassgrad.distributed.collectives import all_gather_into_tensor as all_gather_into_tensor
from glassgrad.distributed.collectives import all_reduce as all_reduce
from glassgrad.distributed.collectives import barrier as barrier
from glassgrad.distributed.collectives import broadcast as broadcast
from glassgrad.distributed.collectives import gather as gather
from glassgrad.distributed.collectives import reduce as reduce
from glassgrad.distributed.collectives import reduce_scatter_tensor as reduce_scatter_tensor
from glassgrad.distributed.collectives import scatter as scatter
from glassgrad.distributed.object_collectives import all_gather_object as all_gather_object
from glassgrad.distributed.object_collectives import broadcast_object_list as broadcast_object_list
from glassgrad.distributed.point_to_point import irecv as irecv
from glassgrad.distributed.point_to_point import isend as isend
from glassgrad.distributed.point_to_point import recv as recv
from glassgrad.distributed.point_to_point import send as send
from glassgrad.distributed.process_group import GroupMember as GroupMember
from glassgrad.distributed.process_group import ProcessGroup as ProcessGroup
from glassgrad.distributed.process_group import destroy_process_group as destroy_process_group
from glassgrad.distributed.process_group import get_backend as get_backend
from glassgrad.distributed.process_group import get_global_rank as get_global_rank
from glassgrad.distributed.process_group import get_group_rank as get_group_rank
from glassgrad.distributed.process_group import get_process_group_ranks as get_process_group_ranks
from glassgrad.distributed.process_group import get_rank as get_rank
from glassgrad.distributed.process_group import get_world_size as get_world_size
from glassgrad.distributed.process_group import init_process_group as init_process_group
from glassgrad.distributed.process_group import is_available as is_available
from glassgrad.distributed.process_group import is_gloo_available as is_gloo_available
from glassgrad.distributed.process_group import is_initialized as is_initialized
from glassgrad.distributed.process_group import is_mpi_available as is_mpi_available
from glassgrad.distributed.process_group import is_nccl_available as is_nccl_available
from glassgrad.distributed.process_group import new_group as new_group
from glassgrad.distributed.reduce_op import ReduceOp as ReduceOp
from glassgrad.distributed.waiting import Work as Work

_environment.fill_from_mpiexec()  # RANK, WORLD_SIZE, ... under a bare mpiexec (environment.py)

group = GroupMember  # torch.distributed.group.WORLD

__all__ = [
    "GroupMember", "ProcessGroup", "ReduceOp", "Work", "all_gather", "all_gather_into_tensor", "all_gather_object",
    "all_reduce", "barrier", "broadcast", "broadcast_object_list", "destroy_process_group", "gather", "get_backend",
    "get_global_rank", "get_group_rank", "get_process_group_ranks", "get_rank", "get_world_size", "group",
    "init_process_group", "irecv", "is_available", "is_gloo_available", "is_initialized", "is_mpi_available",
    "is_nccl_available", "isend", "new_group", "recv", "reduce", "reduce_scatter_tensor", "scatter", "send",
]
