"""DistributedDataParallel's gradient averaging: parameters in buckets, each all-reduced when it is ready.

After ``loss.backward()`` every process must hold the same gradient: the average over the processes
of their local gradients, which (each process having the same number of samples) is the gradient of
the loss on the whole global batch. One all-reduce per parameter would pay MPI's latency hundreds of
times; one all-reduce after the backward would leave the network idle while computing and the CPU
idle while communicating. So, as torch:

1. the parameters are put into **buckets** of about ``bucket_cap_mb`` megabytes (the first one small,
   1 MB), in reverse order of ``model.parameters()``, roughly the order backward produces their
   gradients (the last layer first);
2. each parameter has a post-accumulate-grad hook (``Tensor.register_post_accumulate_grad_hook``), which
   the engine fires as soon as that parameter's gradient is complete; it copies the gradient into its
   bucket's flat buffer;
3. when a bucket's last gradient has arrived, its all-reduce is **started** (non-blocking) and the
   backward goes on computing the gradients of earlier layers meanwhile. Buckets are started in
   bucket order on every process (a bucket ready early waits for those before it), because MPI must
   see the collectives in the same order everywhere;
4. when the last bucket has been started, the reducer waits for all of them, divides by the number of
   processes and writes the averages back into each ``param.grad``.

With ``find_unused_parameters=True`` the forward's graph is searched for the parameters it did not
use; they count as ready (a zero gradient) at the first hook, and a small all-reduce of "who used
what" tells which parameters no process used: their ``.grad`` is left as it was, as torch does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import distributed as dist
from glassgrad.autograd.graph import inputs_as_used
from glassgrad.tensor import Tensor

FIRST_BUCKET_BYTES = 1024 * 1024  # torch's default for the first bucket


class Bucket:
    """Parameters whose gradients travel together in one flat buffer (all of one dtype)."""

    def __init__(self, params: list[tuple[int, Tensor]]) -> None:
        self.indices = [i for i, _ in params]  # the parameters' positions in the reducer's list
        self.offsets, total = [], 0
        for _, p in params:
            self.offsets.append(total)
            total += p.numel()
        self.flat = np.zeros(total, dtype=params[0][1].array.dtype)
        self.pending = len(params)
        self.work: dist.Work | None = None

    def reset(self) -> None:
        self.pending, self.work = len(self.indices), None


def assign_buckets(params: list[Tensor], cap_bytes: int, first_bytes: int = FIRST_BUCKET_BYTES) -> list[Bucket]:
    """Group the parameters, last first, into buckets of at most ``cap_bytes`` (the first ``first_bytes``);
    a bucket holds one dtype, and a parameter larger than the cap gets a bucket of its own."""
    buckets: list[Bucket] = []
    open_buckets: dict[Any, list[tuple[int, Tensor]]] = {}
    sizes: dict[Any, int] = {}
    for index in reversed(range(len(params))):
        p = params[index]
        dtype = p.array.dtype
        limit = first_bytes if not buckets and not any(open_buckets.values()) else cap_bytes
        current = open_buckets.setdefault(dtype, [])
        if current and sizes[dtype] + p.array.nbytes > limit:
            buckets.append(Bucket(current))
            current = open_buckets[dtype] = []
            sizes[dtype] = 0
        current.append((index, p))
        sizes[dtype] = sizes.get(dtype, 0) + p.array.nbytes
    buckets.extend(Bucket(rest) for rest in open_buckets.values() if rest)
    return buckets


class Reducer:
    """Averages the gradients of ``params`` across ``group`` during backward (see the module docstring)."""

    def __init__(self, params: list[Tensor], names: list[str], group: Any, cap_bytes: int,
                 find_unused: bool) -> None:
        self.params, self.names, self.group, self.find_unused = params, names, group, find_unused
        self.buckets = assign_buckets(params, cap_bytes)
        self.where = {}  # parameter index -> (bucket, position in it)
        for bucket in self.buckets:
            for position, index in enumerate(bucket.indices):
                self.where[index] = (bucket, position)
        self.world = dist.get_world_size(group)
        self.expecting = False  # a forward prepared a backward whose gradients must be averaged
        self.started = False  # some hook of that backward has fired
        self.ready = [False] * len(params)
        self.unused: set[int] = set()
        self.used_map: np.ndarray | None = None
        self.used_work: dist.Work | None = None
        self.next_bucket = 0
        self.ready_at_launch: list[int] = []  # per bucket: how many gradients were in when it started (overlap)
        self.handles = [p.register_post_accumulate_grad_hook(self._hook_for(i)) for i, p in enumerate(params)]

    def _hook_for(self, index: int) -> Any:
        def hook(param: Tensor) -> None:
            self.mark_ready(index)

        return hook

    # ----- forward side ------------------------------------------------------
    def prepare_for_backward(self, outputs: Any) -> None:
        """Called at the end of a forward whose backward must average gradients."""
        self.check_finished()
        self.expecting, self.started = True, False
        self.ready = [False] * len(self.params)
        self.next_bucket, self.ready_at_launch = 0, []
        for bucket in self.buckets:
            bucket.reset()
        self.unused = self._unused(outputs) if self.find_unused else set()

    def check_finished(self) -> None:
        """torch's error when the previous backward did not give every parameter a gradient."""
        if not (self.expecting and self.started):
            return
        missing = [f"{self.names[i]} (index {i})" for i, done in enumerate(self.ready) if not done]
        raise RuntimeError(
            "Expected to have finished reduction in the prior iteration before starting a new one. This error "
            "indicates that your module has parameters that were not used in producing loss. You can enable "
            "unused parameter detection by passing the keyword argument `find_unused_parameters=True` to "
            f"DistributedDataParallel. Parameters that did not receive a gradient on rank {dist.get_rank()}: "
            + ", ".join(missing))

    def _unused(self, outputs: Any) -> set[int]:
        """Indices of the parameters the graph of ``outputs`` does not reach."""
        reached: set[int] = set()
        stack = [t for t in _tensors_in(outputs) if t._node is not None]
        seen: set[int] = set()
        while stack:
            tensor = stack.pop()
            if id(tensor) in seen:
                continue
            seen.add(id(tensor))
            for parent in inputs_as_used(tensor._node):
                if parent._node is None:
                    reached.add(id(parent))
                else:
                    stack.append(parent)
        for t in _tensors_in(outputs):
            if t._node is None:
                reached.add(id(t))
        return {i for i, p in enumerate(self.params) if id(p) not in reached}

    # ----- backward side -----------------------------------------------------
    def mark_ready(self, index: int) -> None:
        if not self.expecting:
            return  # a backward not prepared by DDP's forward (no_sync, or the wrapped module called directly)
        if not self.started:
            self.started = True
            if self.find_unused:
                self._share_usage()
                for unused in sorted(self.unused):
                    self._put(unused)
        self._put(index)

    def _share_usage(self) -> None:
        """Start the all-reduce of the 'used here' flags (before any bucket: the same order everywhere)."""
        used = np.ones(len(self.params), dtype=np.int32)
        used[sorted(self.unused)] = 0
        self.used_map = used
        self.used_work = dist.all_reduce(Tensor._make(used, False), group=self.group, async_op=True, check=False)

    def _put(self, index: int) -> None:
        if self.ready[index]:
            return
        self.ready[index] = True
        bucket, position = self.where[index]
        param = self.params[index]
        start = bucket.offsets[position]
        values = bucket.flat[start:start + param.numel()]
        values[...] = 0 if param.grad is None or index in self.unused else param.grad.array.reshape(-1)
        bucket.pending -= 1
        self._launch_ready_buckets()

    def _launch_ready_buckets(self) -> None:
        while self.next_bucket < len(self.buckets) and self.buckets[self.next_bucket].pending == 0:
            bucket = self.buckets[self.next_bucket]
            self.ready_at_launch.append(sum(self.ready))
            bucket.work = dist.all_reduce(Tensor._make(bucket.flat, False), group=self.group, async_op=True,
                                          check=False)
            self.next_bucket += 1
        for bucket in self.buckets[:self.next_bucket]:
            bucket.work.is_completed()  # lets MPI progress the ones in flight
        if self.next_bucket == len(self.buckets):
            self._finish()

    def _finish(self) -> None:
        """Wait for every bucket, then write the averages into the gradients."""
        if self.used_work is not None:
            self.used_work.wait()
        for bucket in self.buckets:
            bucket.work.wait()
            bucket.flat /= self.world
            for position, index in enumerate(bucket.indices):
                self._write_back(index, bucket, position)
        self.expecting = self.started = False
        self.used_work = None

    def _write_back(self, index: int, bucket: Bucket, position: int) -> None:
        param = self.params[index]
        if self.find_unused and self.used_map is not None and index in self.unused and self.used_map[index] == 0:
            return  # no process used it: its gradient stays as it was
        start = bucket.offsets[position]
        average = bucket.flat[start:start + param.numel()].reshape(param.shape)
        if param.grad is None:
            param.grad = Tensor._make(average.copy(), False)
        else:
            param.grad.array[...] = average

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


def _tensors_in(value: Any) -> list[Tensor]:
    """The Tensors in a forward's output (a tensor, or lists / tuples / dicts of them)."""
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        return [t for item in value for t in _tensors_in(item)]
    return []
