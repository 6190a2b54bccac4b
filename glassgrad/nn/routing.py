"""Switch: run one of several branches per sample (hard, per-sample routing)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad import ops
from glassgrad.nn.containers import ModuleList
from glassgrad.nn.module import Module
from glassgrad.ops.routing import combine, dispatch, make_routing
from glassgrad.tensor import Tensor


class Switch(Module):
    """y_i = branches[d_i](x_i): each sample goes through the branch its decision names.

    The batch is split once per call (``glassgrad.ops.routing``), each branch
    runs on its whole sub-batch, and the outputs are put back in batch order.
    A branch that receives no sample is not run, so its parameters get no
    gradient from this call (their ``.grad`` stays as it was). Gradients reach
    a branch only from the samples routed to it; no gradient flows into the
    decisions (they are integers).

    ``forward_per_sample`` is the slow, readable reference: the same result
    computed one sample at a time.

    Args:
        branches: K modules that map (n, ...) to (n, ...out) with the same
            trailing output shape.

    Shape:
        x (N, ...), decisions (N,) integers in [0, K) -> (N, ...out).
    """

    def __init__(self, branches: Sequence[Module]) -> None:
        super().__init__()
        if len(branches) == 0:
            raise ValueError("Switch: needs at least one branch")
        self.branches = ModuleList(branches)

    def forward(self, x: Tensor, decisions: Any) -> Tensor:
        routing = make_routing(decisions, len(self.branches))
        parts = dispatch(x, routing)
        outputs = [branch(part) if count else None
                   for branch, part, count in zip(self.branches, parts, routing.counts)]
        return combine(outputs, routing)

    def forward_per_sample(self, x: Tensor, decisions: Any) -> Tensor:
        """The reference loop: sample i alone through branch d_i, then stacked."""
        routing = make_routing(decisions, len(self.branches))
        if x.shape[0] != routing.batch_size:
            raise ValueError(f"Switch: {routing.batch_size} decisions for an input of shape {x.shape}")
        rows = [self.branches[int(d)](x[i:i + 1]) for i, d in enumerate(routing.decisions.tolist())]
        return ops.concatenate(rows, axis=0)

    def extra_repr(self) -> str:
        return f"num_branches={len(self.branches)}"
