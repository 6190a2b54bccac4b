"""Failures on 2 processes (or more: ranks other than 1 do as rank 0); argv[1] picks one:

dies      rank 1 exits (code 3) while rank 0 waits in all_reduce; rank 0 ignores the launcher's SIGTERM
          for a moment, to show that its own wait notices the dead peer and names it
hangs     rank 1 stays alive but never joins; rank 0's all_reduce times out (2 s)
sleeps    both sleep (the test signals the launcher)

Each process first writes its pid to argv[2].<rank>, so the test can check that none is left, and the
MPICH shared-memory blocks it has mapped (from /proc/self/maps) to argv[2].shm.<rank>, so the test can
check that the launcher removed them.
"""

import os
import signal
import sys
import time
from datetime import timedelta

import glassgrad as gg
import glassgrad.distributed as dist

mode = sys.argv[1]
dist.init_process_group("mpi", timeout=timedelta(seconds=2))
rank = dist.get_rank()
with open(f"{sys.argv[2]}.shm.{rank}", "w") as f:
    if os.path.exists("/proc/self/maps"):  # Linux
        with open("/proc/self/maps") as maps:
            f.write("\n".join(sorted({line.split()[-1] for line in maps if "/dev/shm/mpich_" in line})))
with open(f"{sys.argv[2]}.{rank}", "w") as f:
    f.write(str(os.getpid()))
if mode == "sleeps":
    time.sleep(60)
if rank == 1:
    if mode == "dies":
        os._exit(3)
    time.sleep(30)
signal.signal(signal.SIGTERM, lambda *_: print("rank 0 got SIGTERM", flush=True))
try:
    dist.all_reduce(gg.ones(3))
except RuntimeError as error:
    print(f"rank 0 error: {error}", flush=True)
    try:
        dist.all_reduce(gg.ones(3))
    except RuntimeError as again:
        print(f"rank 0 again: {again}", flush=True)
    sys.exit(5)
