"""Loss layers: Modules over the fused loss ops in ``glassgrad.ops.losses`` (torch's names and arguments).

Call as ``loss_fn(input, target)``; the math and derivatives are documented on the ops.
"""

from __future__ import annotations

from typing import Any

from glassgrad.nn.module import Module
from glassgrad.ops import losses
from glassgrad.tensor import Tensor, as_tensor


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(f"{type(self).__name__}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class _WeightedLoss(_Loss):
    """A loss with an optional weight tensor, kept as a (non-learned) buffer as in torch."""

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.register_buffer("weight", None if weight is None else as_tensor(weight))


class CrossEntropyLoss(_WeightedLoss):
    """Softmax cross-entropy from logits (see ``glassgrad.ops.losses.cross_entropy``).

    Args:
        weight: optional per-class weights (C,).
        ignore_index: index targets equal to this are skipped (default -100).
        reduction: "mean" (default), "sum" or "none".
        label_smoothing: eps in [0, 1] mixing the target with the uniform distribution.

    Shape:
        input (N, C), (N, C, d1, ...) or (C,); target class indices (N,), (N, d1, ...) or (),
        or class probabilities of the input's shape; output () or, with "none", the target's positions.
    """

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(weight, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction,
                                    self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood from log-probabilities (pair with LogSoftmax(dim=1)).

    Args: weight, ignore_index, reduction as ``CrossEntropyLoss``.

    Shape: as ``CrossEntropyLoss`` with index targets.
    """

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean") -> None:
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class MSELoss(_Loss):
    """Mean squared error (x - y)^2.

    Shape: input (*), target broadcastable to it; output () or, with "none", the broadcast shape.
    """

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.mse_loss(input, target, self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy from probabilities (pair with Sigmoid; BCEWithLogitsLoss is more stable).

    Args:
        weight: optional per-element weights broadcast to the input's shape.
        reduction: "mean" (default), "sum" or "none".

    Shape: input (*) in [0, 1], target (*) the same shape.
    """

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    """Sigmoid + binary cross-entropy in one stable op.

    Args:
        weight: optional per-element weights broadcast to the input's shape.
        reduction: "mean" (default), "sum" or "none".
        pos_weight: optional weight of the positive term per class (broadcast along the last axis).

    Shape: input (*) logits, target (*) the same shape.
    """

    def __init__(self, weight: Any = None, reduction: str = "mean", pos_weight: Any = None) -> None:
        super().__init__(weight, reduction)
        self.register_buffer("pos_weight", None if pos_weight is None else as_tensor(pos_weight))

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.binary_cross_entropy_with_logits(input, target, self.weight, self.reduction, self.pos_weight)
