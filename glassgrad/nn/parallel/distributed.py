"""DistributedDataParallel: the same model in every process, each on its share of the batch.

    model = DistributedDataParallel(model)        # after dist.init_process_group(...)
    loss = loss_fn(model(x_local), y_local)      # x_local: this process's part of the global batch
    loss.backward()                              # grads now hold the average over the processes
    optimizer.step()                             # so every process takes the same step

At construction the parameters and buffers of rank 0 are copied to every process (they start equal),
after a check that every process wraps a model with the same parameter shapes. During each backward
the gradients are averaged in buckets while the backward runs (``reducer.py``). Since every process
then applies the same update to the same weights, the models stay equal without ever being sent again.

Buffers (BatchNorm's running statistics) are not averaged: as torch, with ``broadcast_buffers=True``
each forward first copies rank 0's buffers to every process. A BatchNorm therefore normalises each
process's batch with that process's own batch statistics, and the running statistics are rank 0's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import numpy as np

from glassgrad import autograd
from glassgrad import distributed as dist
from glassgrad.distributed import agreement
from glassgrad.distributed.buffers import write
from glassgrad.nn.module import Module
from glassgrad.nn.parallel.reducer import Reducer
from glassgrad.tensor import Tensor


class DistributedDataParallel(Module):
    """torch's DistributedDataParallel on glassgrad.distributed.

    Args:
        module: the model (the same architecture in every process).
        device_ids, output_device, dim: accepted for torch compatibility (one CPU device).
        broadcast_buffers: copy rank 0's buffers to every process at the start of each forward.
        process_group: the group to average over (default: all processes).
        bucket_cap_mb: bucket size in megabytes (default 25, as torch).
        find_unused_parameters: search each forward's graph for parameters it did not use, so a model
            whose forward skips some parameters still completes its reduction.
        check_reduction, gradient_as_bucket_view, static_graph: accepted; they change nothing here.

    Attributes:
        module: the wrapped model (state_dict keys gain the prefix ``"module."``).
    """

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None, dim: int = 0,
                 broadcast_buffers: bool = True, process_group: Any = None, bucket_cap_mb: float | None = None,
                 find_unused_parameters: bool = False, check_reduction: bool = False,
                 gradient_as_bucket_view: bool = False, static_graph: bool = False, **torch_options: Any) -> None:
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DistributedDataParallel: expected an nn.Module, got {type(module).__name__}")
        if not dist.is_initialized():
            raise ValueError("DistributedDataParallel: Default process group has not been initialized, please make "
                             "sure to call init_process_group.")
        self.module = module
        self.device_ids, self.output_device, self.dim = device_ids, output_device, dim
        self.broadcast_buffers, self.process_group = broadcast_buffers, process_group
        self.find_unused_parameters, self.static_graph = find_unused_parameters, static_graph
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.require_backward_grad_sync = True
        self.require_forward_param_sync = True
        named, seen = [], set()
        for name, p in module.named_parameters():
            if p.requires_grad and id(p) not in seen:
                seen.add(id(p))
                named.append((name, p))
        if not named:
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't have any parameter "
                               "that requires a gradient.")
        self._check_same_model([p for _, p in named])
        self._broadcast([p for _, p in module.named_parameters()] + list(module.buffers()))
        cap = int((25 if bucket_cap_mb is None else bucket_cap_mb) * 1024 * 1024)
        object.__setattr__(self, "reducer", Reducer([p for _, p in named], [n for n, _ in named], process_group,
                                                    cap, find_unused_parameters))

    def _check_same_model(self, params: list[Tensor]) -> None:
        """torch's check that every process wraps the same model: equal parameter counts and shapes."""
        group = dist.collectives.member(self.process_group, "DistributedDataParallel")
        described = [len(params)]
        for p in params:
            described += [p.ndim, *p.shape, agreement.dtype_code(p.dtype)]
        fingerprint = np.array(described, dtype=np.int64)
        lengths = np.empty(group.size(), dtype=np.int64)
        dist.waiting.wait_all([group.comm.Iallgather(np.array([fingerprint.size], dtype=np.int64), lengths)],
                              group, "DistributedDataParallel")
        if (lengths == lengths[0]).all():
            every = np.empty((group.size(), fingerprint.size), dtype=np.int64)
            dist.waiting.wait_all([group.comm.Iallgather(fingerprint, every)], group, "DistributedDataParallel")
            if (every == every[0]).all():
                return
        counts = np.empty(group.size(), dtype=np.int64)
        dist.waiting.wait_all([group.comm.Iallgather(np.array([len(params)], dtype=np.int64), counts)], group,
                              "DistributedDataParallel")
        shapes = ", ".join(f"{tuple(p.shape)}" for p in params)
        raise RuntimeError(f"DistributedDataParallel expects the same model on every process, but the ranks' "
                           f"parameter counts are {counts.tolist()} and rank {dist.get_rank()} has shapes {shapes}")

    def _broadcast(self, tensors: list[Tensor]) -> None:
        """Copy rank 0's (of the group) values of ``tensors`` into every process, one message per dtype."""
        group = dist.collectives.member(self.process_group, "DistributedDataParallel")
        source = group.ranks[0]
        by_dtype: dict[Any, list[Tensor]] = {}
        for t in tensors:
            by_dtype.setdefault(t.array.dtype.str, []).append(t)
        for key in sorted(by_dtype):
            same = by_dtype[key]
            flat = Tensor._make(np.concatenate([np.asarray(t.array).reshape(-1) for t in same]), False)
            dist.broadcast(flat, src=source, group=self.process_group, check=False)
            offset = 0
            for t in same:
                write(t, flat.array[offset:offset + t.numel()].reshape(t.shape))
                offset += t.numel()

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        if self.reducer.expecting and not self.reducer.started:
            self.reducer.expecting = False  # the last forward had no backward (evaluation with grad on)
        self.reducer.check_finished()
        buffers = list(self.module.buffers())
        if self.broadcast_buffers and self.require_forward_param_sync and buffers:
            self._broadcast(buffers)
        outputs = self.module(*inputs, **kwargs)
        if autograd.is_grad_enabled() and self.require_backward_grad_sync:
            self.reducer.prepare_for_backward(outputs)
        return outputs

    @contextlib.contextmanager
    def no_sync(self) -> Iterator[None]:
        """Within this block backward accumulates gradients locally without averaging them; the first
        backward after it averages everything accumulated (gradient accumulation over micro-batches)."""
        before = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = before

    def extra_repr(self) -> str:
        return f"world_size={dist.get_world_size(self.process_group)}, buckets={len(self.reducer.buckets)}"
