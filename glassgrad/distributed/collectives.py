"""Collectives on Tensors: every process of a group calls the same function, and data moves among them.

    all_reduce(t, op)          every process ends with op(t_0, t_1, ..., t_{n-1})  (element by element)
    reduce(t, dst, op)         only rank dst does
    broadcast(t, src)          every process ends with src's t
    all_gather(list, t)        list[i] = t_i on every process        (all_gather_into_tensor: one tensor)
    gather(t, list, dst)       list[i] = t_i on rank dst
    scatter(t, list, src)      t = list[i] of rank src on process i
    reduce_scatter_tensor(out, inp, op)   out on process i = chunk i of op(inp_0, ..., inp_{n-1})
    barrier()                  nobody leaves until everybody has arrived

Tensors are edited in place, as torch does. With ``async_op=True`` the call returns a ``Work`` at once
(the MPI operation is under way) and ``work.wait()`` completes it; otherwise it returns None when done.
Each call first checks that the processes agree (``agreement.py``), so mismatched shapes are an error
naming them rather than a hang, and waits with the group's timeout (``waiting.py``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from glassgrad.distributed import agreement, mpi, waiting
from glassgrad.distributed.buffers import from_raw, raw, reducible, require_tensor, write
from glassgrad.distributed.process_group import ProcessGroup, resolve
from glassgrad.distributed.reduce_op import ReduceOp, mpi_op
from glassgrad.distributed.waiting import Work
from glassgrad.tensor import Tensor

_OP_CODES = {op: i for i, op in enumerate(ReduceOp)}


def member(group: ProcessGroup | None, what: str) -> ProcessGroup | None:
    """The group to use; None (after torch's warning) when this process is not in it."""
    target = resolve(group)
    waiting.check_usable()
    if target.comm is None:
        warnings.warn(f"Running {what} on a process which does not belong to the given group.", stacklevel=3)
        return None
    return target


def run(work: Work, async_op: bool) -> Work | None:
    """Return the Work for async_op, else wait for it here."""
    if async_op:
        return work
    work.wait()
    return None


def _start(group: ProcessGroup, what: str, tensor: Tensor, check: bool, root: int = -1,
           op: ReduceOp | None = None) -> None:
    if check:
        code = -1 if op is None else _OP_CODES[op]
        agreement.agree(group, agreement.signature(what, tuple(tensor.shape), tensor.dtype, root, code), what)


def all_reduce(tensor: Tensor, op: ReduceOp = ReduceOp.SUM, group: ProcessGroup | None = None,
               async_op: bool = False, *, check: bool = True) -> Work | None:
    """Replace ``tensor`` on every process by op over the processes' tensors (``check=False``: skip the
    agreement check, for callers that verified the shapes already, as DistributedDataParallel)."""
    require_tensor(tensor, "all_reduce")
    g = member(group, "all_reduce")
    if g is None:
        return None
    _start(g, "all_reduce", tensor, check, op=op)
    buffer, mpi_reduce, own = reducible(tensor.array, op, "all_reduce")
    request = g.comm.Iallreduce(mpi.load().IN_PLACE, buffer, op=mpi_op(mpi.load(), mpi_reduce))

    def finish() -> None:
        if op is ReduceOp.AVG:
            buffer[...] /= g.size()
        write(tensor, buffer.view(np.bool_) if tensor.dtype.name == "bool" else buffer)

    return run(Work([request], g, "all_reduce", finish), async_op)


def reduce(tensor: Tensor, dst: int = 0, op: ReduceOp = ReduceOp.SUM, group: ProcessGroup | None = None,
           async_op: bool = False) -> Work | None:
    """Reduce the processes' tensors into ``tensor`` on global rank ``dst`` (the others keep theirs)."""
    require_tensor(tensor, "reduce")
    g = member(group, "reduce")
    if g is None:
        return None
    root = g.group_rank(dst, "reduce")
    _start(g, "reduce", tensor, True, root, op)
    buffer, mpi_reduce, own = reducible(tensor.array, op, "reduce")
    result = np.empty_like(buffer) if g.rank() == root else None
    request = g.comm.Ireduce(buffer, result, op=mpi_op(mpi.load(), mpi_reduce), root=root)

    def finish() -> None:
        if result is None:
            return
        if op is ReduceOp.AVG:
            result[...] /= g.size()
        write(tensor, result.view(np.bool_) if tensor.dtype.name == "bool" else result)

    return run(Work([request], g, "reduce", finish), async_op)


def broadcast(tensor: Tensor, src: int = 0, group: ProcessGroup | None = None, async_op: bool = False,
              *, check: bool = True) -> Work | None:
    """Copy global rank ``src``'s tensor into ``tensor`` on every process."""
    require_tensor(tensor, "broadcast")
    g = member(group, "broadcast")
    if g is None:
        return None
    root = g.group_rank(src, "broadcast")
    _start(g, "broadcast", tensor, check, root)
    data = raw(tensor.array)  # the tensor's own memory when it is contiguous
    request = g.comm.Ibcast(data, root=root)

    def finish() -> None:
        if g.rank() != root:
            write(tensor, from_raw(data, tensor.dtype, tuple(tensor.shape)))

    return run(Work([request], g, "broadcast", finish), async_op)


def _gathered(g: ProcessGroup, what: str, tensor: Tensor, root: int | None,
              deliver: Callable[[np.ndarray], None], async_op: bool) -> Work | None:
    """Gather every process's bytes into one (size, nbytes) array (at ``root`` only, or everywhere)."""
    mine = raw(tensor.array)
    everyone = root is None or g.rank() == root
    table = np.empty((g.size(), mine.size), dtype=np.uint8) if everyone else None
    request = g.comm.Iallgather(mine, table) if root is None else g.comm.Igather(mine, table, root=root)

    def finish() -> None:
        if table is not None:
            deliver(table)

    return run(Work([request], g, what, finish), async_op)


def _check_list(tensors: Any, size: int, like: Tensor, what: str, name: str) -> list[Tensor]:
    if not isinstance(tensors, list | tuple) or len(tensors) != size:
        got = len(tensors) if isinstance(tensors, list | tuple) else type(tensors).__name__
        raise ValueError(f"{what}: {name} must be a list of {size} tensors (one per process), got {got}")
    for i, t in enumerate(tensors):
        require_tensor(t, what, f"{name}[{i}]")
        if tuple(t.shape) != tuple(like.shape) or t.dtype != like.dtype:
            raise ValueError(f"{what}: {name}[{i}] has shape {tuple(t.shape)} {t.dtype}; every entry must match the "
                             f"tensor's shape {tuple(like.shape)} {like.dtype}")
    return list(tensors)


def all_gather(tensor_list: list[Tensor], tensor: Tensor, group: ProcessGroup | None = None,
               async_op: bool = False) -> Work | None:
    """``tensor_list[i]`` becomes process i's ``tensor``, on every process."""
    require_tensor(tensor, "all_gather")
    g = member(group, "all_gather")
    if g is None:
        return None
    outputs = _check_list(tensor_list, g.size(), tensor, "all_gather", "tensor_list")
    _start(g, "all_gather", tensor, True)

    def deliver(table: np.ndarray) -> None:
        for out, row in zip(outputs, table):
            write(out, from_raw(row, out.dtype, tuple(out.shape)))

    return _gathered(g, "all_gather", tensor, None, deliver, async_op)


def all_gather_into_tensor(output_tensor: Tensor, input_tensor: Tensor, group: ProcessGroup | None = None,
                           async_op: bool = False) -> Work | None:
    """The processes' inputs, in rank order, written into one output: concatenated along dim 0
    (world*n, ...) or stacked (world, n, ...), as torch accepts either shape."""
    require_tensor(input_tensor, "all_gather_into_tensor", "input_tensor")
    require_tensor(output_tensor, "all_gather_into_tensor", "output_tensor")
    g = member(group, "all_gather_into_tensor")
    if g is None:
        return None
    if output_tensor.numel() != g.size() * input_tensor.numel() or output_tensor.dtype != input_tensor.dtype:
        raise ValueError(f"all_gather_into_tensor: output of shape {tuple(output_tensor.shape)} {output_tensor.dtype} "
                         f"cannot hold {g.size()} inputs of shape {tuple(input_tensor.shape)} {input_tensor.dtype}")
    _start(g, "all_gather_into_tensor", input_tensor, True)

    def deliver(table: np.ndarray) -> None:
        write(output_tensor, from_raw(table.reshape(-1), output_tensor.dtype, tuple(output_tensor.shape)))

    return _gathered(g, "all_gather_into_tensor", input_tensor, None, deliver, async_op)


def gather(tensor: Tensor, gather_list: list[Tensor] | None = None, dst: int = 0,
           group: ProcessGroup | None = None, async_op: bool = False) -> Work | None:
    """On global rank ``dst``, ``gather_list[i]`` becomes process i's ``tensor`` (others pass no list)."""
    require_tensor(tensor, "gather")
    g = member(group, "gather")
    if g is None:
        return None
    root = g.group_rank(dst, "gather")
    outputs = _check_list(gather_list, g.size(), tensor, "gather", "gather_list") if g.rank() == root else []
    if g.rank() != root and gather_list:
        raise ValueError("gather: gather_list must be given only on the destination rank")
    _start(g, "gather", tensor, True, root)

    def deliver(table: np.ndarray) -> None:
        for out, row in zip(outputs, table):
            write(out, from_raw(row, out.dtype, tuple(out.shape)))

    return _gathered(g, "gather", tensor, root, deliver, async_op)


def scatter(tensor: Tensor, scatter_list: list[Tensor] | None = None, src: int = 0,
            group: ProcessGroup | None = None, async_op: bool = False) -> Work | None:
    """Process i's ``tensor`` becomes ``scatter_list[i]`` of global rank ``src``."""
    require_tensor(tensor, "scatter")
    g = member(group, "scatter")
    if g is None:
        return None
    root = g.group_rank(src, "scatter")
    if g.rank() == root:
        inputs = _check_list(scatter_list, g.size(), tensor, "scatter", "scatter_list")
        table = np.stack([raw(t.array) for t in inputs])
    elif scatter_list:
        raise ValueError("scatter: scatter_list must be given only on the source rank")
    else:
        table = None
    _start(g, "scatter", tensor, True, root)
    mine = np.empty(raw(tensor.array).size, dtype=np.uint8)
    request = g.comm.Iscatter(table, mine, root=root)

    def finish() -> None:
        write(tensor, from_raw(mine, tensor.dtype, tuple(tensor.shape)))

    return run(Work([request], g, "scatter", finish), async_op)


def reduce_scatter_tensor(output: Tensor, input: Tensor, op: ReduceOp = ReduceOp.SUM,  # noqa: A002 (torch's name)
                          group: ProcessGroup | None = None, async_op: bool = False) -> Work | None:
    """Reduce the processes' inputs, then give process i the i-th of ``world`` equal chunks (along dim 0)."""
    require_tensor(input, "reduce_scatter_tensor", "input")
    require_tensor(output, "reduce_scatter_tensor", "output")
    g = member(group, "reduce_scatter_tensor")
    if g is None:
        return None
    if input.numel() != g.size() * output.numel() or output.dtype != input.dtype:
        raise ValueError(f"reduce_scatter_tensor: input of shape {tuple(input.shape)} {input.dtype} does not split "
                         f"into {g.size()} outputs of shape {tuple(output.shape)} {output.dtype}")
    _start(g, "reduce_scatter_tensor", input, True, op=op)
    send, mpi_reduce, _ = reducible(input.array, op, "reduce_scatter_tensor")
    send = send.reshape(-1)
    mine = np.empty(send.size // g.size(), dtype=send.dtype)
    request = g.comm.Ireduce_scatter_block(send, mine, op=mpi_op(mpi.load(), mpi_reduce))

    def finish() -> None:
        if op is ReduceOp.AVG:
            mine[...] /= g.size()
        values = mine.view(np.bool_) if output.dtype.name == "bool" else mine
        write(output, values.reshape(tuple(output.shape)))

    return run(Work([request], g, "reduce_scatter_tensor", finish), async_op)


def barrier(group: ProcessGroup | None = None, async_op: bool = False, device_ids: Any = None) -> Work | None:
    """Wait until every process of the group has called barrier."""
    g = member(group, "barrier")
    if g is None:
        return None
    return run(Work([g.comm.Ibarrier()], g, "barrier"), async_op)
