"""Rank 1 leaves the MPI library's own exit work (its PMI_Finalize, sent to the rendezvous of node 0's
launcher) until 2 s after rank 0 has gone: the launcher of node 0 must still be serving then.
Prints 'rank R ok' when the collectives are done."""

import atexit
import os
import time

import glassgrad as gg
import glassgrad.distributed as dist

if os.environ.get("RANK") == "1":
    atexit.register(time.sleep, 2.0)  # registered before MPI's: runs after MPI_Finalize, before the C exit work
dist.init_process_group("gloo")
rank = dist.get_rank()
t = gg.ones(3)
dist.all_reduce(t)
assert t.array.tolist() == [2.0, 2.0, 2.0]
dist.destroy_process_group()
print(f"rank {rank} ok", flush=True)
