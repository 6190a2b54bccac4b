"""Every collective on 2 processes, checked against values computed here; prints 'rank R ok' at the end.
argv[1] (optional): a file where rank 0 writes the torchrun variables it saw, one 'NAME=value' a line."""

import os
import sys
import warnings

import numpy as np

import glassgrad as gg
import glassgrad.distributed as dist

dist.init_process_group("gloo")
rank, world = dist.get_rank(), dist.get_world_size()
assert world == 2 and dist.is_initialized() and dist.get_backend() == "gloo"
if len(sys.argv) > 1 and rank == 0:
    with open(sys.argv[1], "w") as f:
        for name in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "LOCAL_WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"):
            f.write(f"{name}={os.environ.get(name)}\n")
values = [np.array([1.0, -2.0, 3.0]), np.array([4.0, 5.0, -6.0])]  # rank 0's and rank 1's
ops = {dist.ReduceOp.SUM: np.add, dist.ReduceOp.PRODUCT: np.multiply, dist.ReduceOp.MIN: np.minimum,
       dist.ReduceOp.MAX: np.maximum}
for op, combine in ops.items():
    for dtype in (gg.float32, gg.float64, gg.int64, gg.float16):
        t = gg.tensor(values[rank], dtype=dtype)
        dist.all_reduce(t, op=op)
        assert t.dtype == dtype and np.array_equal(t.array, combine(*values).astype(t.array.dtype)), (op, dtype, t)
t = gg.tensor(values[rank])
work = dist.all_reduce(t, op=dist.ReduceOp.AVG, async_op=True)
assert work.wait() is True and work.is_completed()
assert np.allclose(t.array, (values[0] + values[1]) / 2)
flags = gg.tensor([rank == 0, rank == 1, False])
dist.all_reduce(flags)  # bool: SUM is "or"
assert flags.array.tolist() == [True, True, False]
bits = gg.tensor([0b1100 + rank])
dist.all_reduce(bits, op=dist.ReduceOp.BXOR)
assert int(bits) == 1
try:
    dist.all_reduce(gg.tensor([1, 2]), op=dist.ReduceOp.AVG)
    raise AssertionError("AVG of integers was accepted")
except RuntimeError as error:
    assert "floating" in str(error)
# reduce to rank 1; the other keeps its tensor
t = gg.tensor(values[rank])
dist.reduce(t, dst=1, op=dist.ReduceOp.MAX)
assert np.array_equal(t.array, np.maximum(*values) if rank == 1 else values[0])
# broadcast (a non-contiguous tensor too)
t = gg.tensor(values[rank])
dist.broadcast(t, src=1)
assert np.array_equal(t.array, values[1])
m = gg.tensor(np.arange(6.0).reshape(2, 3) * (rank + 1)).t()
dist.broadcast(m, src=0)
assert np.array_equal(m.array, np.arange(6.0).reshape(2, 3).T)
# gathers
out = [gg.zeros(3, dtype=gg.float64) for _ in range(world)]
dist.all_gather(out, gg.tensor(values[rank]))
assert all(np.array_equal(o.array, v) for o, v in zip(out, values))
flat, stacked = gg.zeros(6, dtype=gg.float64), gg.zeros(2, 3, dtype=gg.float64)
dist.all_gather_into_tensor(flat, gg.tensor(values[rank]))
dist.all_gather_into_tensor(stacked, gg.tensor(values[rank]), async_op=True).wait()
assert np.array_equal(flat.array, np.concatenate(values)) and np.array_equal(stacked.array, np.stack(values))
got = [gg.zeros(3, dtype=gg.float64) for _ in range(world)] if rank == 0 else None
dist.gather(gg.tensor(values[rank]), got, dst=0)
assert rank != 0 or all(np.array_equal(o.array, v) for o, v in zip(got, values))
t = gg.zeros(3, dtype=gg.float64)
dist.scatter(t, [gg.tensor(v) for v in values] if rank == 1 else None, src=1)
assert np.array_equal(t.array, values[rank])
half = gg.zeros(2, dtype=gg.float64)
dist.reduce_scatter_tensor(half, gg.tensor(np.arange(4.0) * (rank + 1)), op=dist.ReduceOp.SUM)
assert np.array_equal(half.array, (np.arange(4.0) * 3)[2 * rank:2 * rank + 2])
# point to point, both directions, any source
if rank == 0:
    dist.send(gg.tensor([7.0, 8.0]), dst=1, tag=3)
    t = gg.zeros(2, 2, dtype=gg.int64)
    assert dist.recv(t) == 1 and t.array.tolist() == [[1, 2], [3, 4]]
else:
    t = gg.zeros(2)
    dist.irecv(t, src=0, tag=3).wait()
    assert t.array.tolist() == [7.0, 8.0]
    dist.isend(gg.tensor([[1, 2], [3, 4]]), dst=0).wait()
# a mismatched receive names both shapes
if rank == 0:
    dist.send(gg.zeros(5), dst=1)
else:
    try:
        dist.recv(gg.zeros(4), src=0)
        raise AssertionError("a mismatched recv was accepted")
    except RuntimeError as error:
        assert "(5,)" in str(error) and "(4,)" in str(error), error
# object collectives: safe types only
objects = [None] * world
dist.all_gather_object(objects, {"rank": rank, "data": [1.5, "text", (2, 3)], "t": gg.ones(2) * rank})
assert [o["rank"] for o in objects] == [0, 1] and objects[1]["data"] == [1.5, "text", (2, 3)]
assert objects[1]["t"].array.tolist() == [1.0, 1.0]
listing = [rank, f"from rank {rank}", {"k": rank}]
dist.broadcast_object_list(listing, src=1)
assert listing == [1, "from rank 1", {"k": 1}]


class Opaque:
    pass


try:
    dist.all_gather_object(objects, Opaque())
    raise AssertionError("an arbitrary object was sent")
except TypeError as error:
    assert "Opaque" in str(error), error
# mismatched shapes: both processes get the same error, naming both shapes, and go on
try:
    dist.all_reduce(gg.zeros(3 + rank))
    raise AssertionError("mismatched shapes were accepted")
except RuntimeError as error:
    assert "rank 0: all_reduce (op SUM) of shape (3,)" in str(error), error
    assert "rank 1: all_reduce (op SUM) of shape (4,)" in str(error), error
# groups: one of rank 1 alone; rank 0 is not a member
solo = dist.new_group([1])
assert dist.get_rank(solo) == (0 if rank == 1 else -1)
t = gg.tensor([float(rank)])
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    dist.all_reduce(t, group=solo)
assert float(t) == rank and (len(caught) == (1 if rank == 0 else 0))
pair = dist.new_group()
t = gg.tensor([1.0])
dist.all_reduce(t, group=pair)
assert float(t) == 2.0 and dist.get_process_group_ranks(pair) == [0, 1]
try:
    dist.init_process_group("gloo")
    raise AssertionError("a second init was accepted")
except ValueError as error:
    assert "twice" in str(error)
dist.barrier()
dist.destroy_process_group()
assert not dist.is_initialized()
print(f"rank {rank} ok", flush=True)
