"""Per-sample routing: send each sample of a batch down its own branch.

A conditional network (a mixture of experts, a tree of classifiers, a trunk
that picks a sub-network) decides *per sample* which branch to run. Looping
over the samples one at a time is correct but slow; routing does the same
arithmetic in a few large calls:

1. ``make_routing(decisions, K)`` sorts the batch positions by decision:
   ``indices[b]`` = the rows (ascending) whose decision is ``b``;
2. ``dispatch(x, routing)`` gathers one sub-batch per branch, ``x[indices[b]]``;
3. each branch runs once on its whole sub-batch;
4. ``combine(outputs, routing)`` scatters the branch outputs back, so row ``i``
   of the result is the output of the branch sample ``i`` went to.

Both moves are differentiable and each is the adjoint of the other:

- gather  ``y_b = x[idx_b]``              backward: ``dx[idx_b] += dy_b``  (a scatter)
- scatter ``y[idx_b] = out_b`` for all b   backward: ``d out_b = dy[idx_b]`` (a gather)

The decisions themselves are integers, so no gradient flows into whatever
computed them (an argmax, a label); a branch only receives gradient from the
samples sent to it, exactly as in the one-sample-at-a-time loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["Routing", "combine", "dispatch", "make_routing", "route"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []


@dataclass(frozen=True)
class Routing:
    """Which rows of a batch go to which branch.

    Attributes:
        decisions: (N,) int64, the branch of each sample.
        num_branches: K; every decision lies in [0, K).
        indices: K arrays; ``indices[b]`` holds the rows sent to branch b, ascending.
    """

    decisions: Any
    num_branches: int
    indices: tuple[Any, ...]

    @property
    def batch_size(self) -> int:
        return int(self.decisions.shape[0])

    @property
    def counts(self) -> list[int]:
        """How many samples each branch receives."""
        return [int(idx.shape[0]) for idx in self.indices]


def make_routing(decisions: Any, num_branches: int) -> Routing:
    """Group the batch positions by decision (a stable sort, so each branch keeps batch order).

    Args:
        decisions: (N,) integers in [0, num_branches): a list, array or integer Tensor.
        num_branches: the number of branches K (>= 1).
    """
    xp = backend.xp
    if isinstance(num_branches, bool) or not isinstance(num_branches, int) or num_branches < 1:
        raise ValueError(f"make_routing: num_branches must be a positive int, got {num_branches!r}")
    data = decisions.array if isinstance(decisions, Tensor) else xp.asarray(decisions)
    if data.ndim != 1:
        raise ValueError(f"make_routing: decisions must be 1-D (one per sample), got shape {data.shape}")
    if data.size and data.dtype.kind not in "iu":
        raise TypeError(f"make_routing: decisions must be integers, got dtype {data.dtype}")
    data = data.astype(xp.int64)
    if data.size and (int(data.min()) < 0 or int(data.max()) >= num_branches):
        bad = int(data.min()) if int(data.min()) < 0 else int(data.max())
        raise ValueError(f"make_routing: decision {bad} is out of range for {num_branches} branches "
                         f"(valid: 0..{num_branches - 1})")
    order = xp.argsort(data, kind="stable")  # (N,) rows grouped by branch
    bounds = xp.searchsorted(data[order], xp.arange(num_branches + 1))
    indices = tuple(order[bounds[b]:bounds[b + 1]] for b in range(num_branches))
    return Routing(decisions=data, num_branches=num_branches, indices=indices)


class Dispatch(Op):
    """y = x[index] (the rows sent to one branch);  dx = zeros with dy written at rows ``index``.

    Within one branch every row appears at most once, so the backward writes
    instead of adding; the engine adds up the contributions of all branches.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, *, index: Any) -> Any:
        ctx.shape, ctx.index = x.shape, index
        return x[index]  # (n_b, ...)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        dx = backend.xp.zeros(ctx.shape, dtype=grad.dtype)  # (N, ...)
        dx[ctx.index] = grad
        return dx


class Combine(Op):
    """y[index_b] = out_b for every branch b;  d out_b = dy[index_b]."""

    @staticmethod
    def forward(ctx: Context, *outputs: Any, indices: tuple[Any, ...], batch_size: int) -> Any:
        ctx.indices = indices
        first = outputs[0]
        y = backend.xp.empty((batch_size,) + first.shape[1:], dtype=first.dtype)  # (N, ...)
        for out, index in zip(outputs, indices):
            y[index] = out
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        return tuple(grad[index] for index in ctx.indices)


def dispatch(x: Any, routing: Routing) -> list[Tensor]:
    """Split a batch into one sub-batch per branch: ``[x[indices[0]], ..., x[indices[K-1]]]``.

    A branch that receives no sample gets an empty (0, ...) tensor.
    """
    x = as_tensor(x)
    if x.ndim == 0 or x.shape[0] != routing.batch_size:
        raise ValueError(f"dispatch: input of shape {x.shape} does not have the routing's batch size "
                         f"{routing.batch_size} on axis 0")
    return [Dispatch.apply(x, index=index) for index in routing.indices]


def combine(outputs: Sequence[Any], routing: Routing) -> Tensor:
    """Put the branch outputs back in batch order: row i comes from the branch sample i went to.

    ``outputs[b]`` must have ``routing.counts[b]`` rows; it may be None when
    that count is 0 (a branch that was not run). All outputs share their
    trailing shape and dtype.
    """
    if len(outputs) != routing.num_branches:
        raise ValueError(f"combine: got {len(outputs)} outputs for {routing.num_branches} branches")
    used, indices = [], []
    for b, (out, index) in enumerate(zip(outputs, routing.indices)):
        n = int(index.shape[0])
        if out is None:
            if n:
                raise ValueError(f"combine: branch {b} received {n} samples but its output is None")
            continue
        out = as_tensor(out)
        if out.ndim == 0 or out.shape[0] != n:
            raise ValueError(f"combine: branch {b} output has shape {out.shape}; expected {n} rows")
        used.append(out)
        indices.append(index)
    if not used:
        raise ValueError("combine: no branch output to combine (empty batch?)")
    for out in used:
        if out.shape[1:] != used[0].shape[1:] or out.dtype != used[0].dtype:
            raise ValueError(f"combine: branch outputs differ in trailing shape or dtype: "
                             f"{[(o.shape, str(o.dtype)) for o in used]}")
    return Combine.apply(*used, indices=tuple(indices), batch_size=routing.batch_size)


def route(x: Any, decisions: Any, num_branches: int) -> tuple[list[Tensor], Routing]:
    """``dispatch(x, make_routing(decisions, num_branches))``, returning the routing too
    (pass it to ``combine``)."""
    x = as_tensor(x)
    routing = make_routing(decisions, num_branches)
    if x.ndim == 0 or x.shape[0] != routing.batch_size:
        raise ValueError(f"route: {routing.batch_size} decisions for an input of shape {x.shape}")
    return dispatch(x, routing), routing
