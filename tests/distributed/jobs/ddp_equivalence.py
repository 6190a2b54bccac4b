"""Train an MLP, a CNN with BatchNorm and an LSTM with DistributedDataParallel; rank 0 saves the final
states to the .npz file named by argv[1]. Also exercises no_sync and find_unused_parameters."""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", ".."))

import glassgrad as gg  # noqa: E402
import glassgrad.distributed as dist  # noqa: E402
import glassgrad.nn as nn  # noqa: E402
from glassgrad.nn.parallel import DistributedDataParallel as DDP  # noqa: E402
from tests.distributed import models  # noqa: E402

dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()
saved = {}
for kind in ("mlp", "cnn", "lstm"):
    model = models.build(kind)
    if rank == 1:  # a different start: DDP must copy rank 0's parameters and buffers
        for p in model.parameters():
            p.data.array[...] += 1.0
    ddp = DDP(model, bucket_cap_mb=0.0005)  # ~500 bytes: several buckets
    models.train(ddp, kind, rank, world)
    for name, value in models.state(ddp).items():
        saved[f"{kind}/{name}"] = value
    saved[f"{kind}/buckets"] = np.array(len(ddp.reducer.buckets))
    saved[f"{kind}/ready_at_launch"] = np.array(ddp.reducer.ready_at_launch)
    saved[f"{kind}/parameters"] = np.array(len(ddp.reducer.params))

# no_sync: accumulate one micro-batch locally, average the sum at the second
model = models.build("mlp")
ddp = DDP(model)
x, y = models.batches("mlp")[0]
share = slice(rank * 4, rank * 4 + 4)
with ddp.no_sync():
    nn.functional.cross_entropy(ddp(x[share][:2]), y[share][:2]).backward()
local = [p.grad.array.copy() for p in model.parameters()]
nn.functional.cross_entropy(ddp(x[share][2:]), y[share][2:]).backward()
for i, p in enumerate(model.parameters()):
    saved[f"no_sync/local{i}"] = local[i]
    saved[f"no_sync/grad{i}"] = p.grad.array.copy()


# find_unused_parameters: 'never' is used by no rank, 'odd' only by rank 1
class Branchy(nn.Module):
    def __init__(self):
        super().__init__()
        self.used, self.odd, self.never = nn.Linear(3, 2), nn.Linear(3, 2), nn.Linear(3, 2)

    def forward(self, x):
        return self.used(x) + (self.odd(x) if rank == 1 else 0)


gg.manual_seed(3)
branchy = Branchy().double()
ddp = DDP(branchy, find_unused_parameters=True)
inputs = gg.ones(2, 3, dtype=gg.float64) * (rank + 1)
ddp(inputs).sum().backward()
saved["unused/never_is_none"] = np.array(branchy.never.weight.grad is None)
saved["unused/odd"] = branchy.odd.weight.grad.array.copy()
saved["unused/used"] = branchy.used.weight.grad.array.copy()
ddp(inputs).sum().backward()  # a second iteration works too

# without find_unused_parameters, the next forward names the parameters that got no gradient
ddp = DDP(Branchy().double())
ddp(inputs).sum().backward()
try:
    ddp(inputs)
    saved["unused/error"] = np.array("")
except RuntimeError as error:
    saved["unused/error"] = np.array(str(error))

if rank == 0:
    np.savez(sys.argv[1], **saved)
dist.destroy_process_group()
