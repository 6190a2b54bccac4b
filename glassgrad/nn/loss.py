"""Loss layers: Modules over the fused loss ops in ``glassgrad.ops.losses`` (torch's names and arguments).

Call as ``loss_fn(input, target)``; the math and derivatives are documented on the ops.
Every loss takes ``reduction="mean" | "sum" | "none"`` (KLDivLoss also ``"batchmean"``);
the deprecated ``size_average`` / ``reduce`` flags are accepted and mapped as torch maps them.
"""

from __future__ import annotations

from typing import Any

from glassgrad.nn.module import Module
from glassgrad.ops import losses
from glassgrad.ops.loss_reduction import check_reduction, legacy_reduction
from glassgrad.tensor import Tensor, as_tensor


class _Loss(Module):
    _extra_reductions: tuple[str, ...] = ()

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__()
        reduction = legacy_reduction(size_average, reduce, reduction)
        check_reduction(reduction, type(self).__name__, self._extra_reductions)
        self.reduction = reduction


class _WeightedLoss(_Loss):
    """A loss with an optional weight tensor, kept as a (non-learned) buffer as in torch."""

    def __init__(self, weight: Any = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", None if weight is None else as_tensor(weight))


# ----- classification -------------------------------------------------------------
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

    def __init__(self, weight: Any = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.cross_entropy(input, target, weight=self.weight, ignore_index=self.ignore_index,
                                    reduction=self.reduction, label_smoothing=self.label_smoothing)


class NLLLoss(_WeightedLoss):
    """Negative log-likelihood from log-probabilities (pair with LogSoftmax(dim=1)).

    Args: weight, ignore_index, reduction as ``CrossEntropyLoss``.

    Shape: as ``CrossEntropyLoss`` with index targets.
    """

    def __init__(self, weight: Any = None, size_average: bool | None = None, ignore_index: int = -100,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                               reduction=self.reduction)


class BCELoss(_WeightedLoss):
    """Binary cross-entropy from probabilities (pair with Sigmoid; BCEWithLogitsLoss is more stable).

    Args:
        weight: optional per-element weights broadcast to the input's shape.
        reduction: "mean" (default), "sum" or "none".

    Shape: input (*) in [0, 1], target (*) the same shape.
    """

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.binary_cross_entropy(input, target, weight=self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    """Sigmoid + binary cross-entropy in one stable op.

    Args:
        weight: optional per-element weights broadcast to the input's shape.
        reduction: "mean" (default), "sum" or "none".
        pos_weight: optional weight of the positive term per class (broadcast along the last axis).

    Shape: input (*) logits, target (*) the same shape.
    """

    def __init__(self, weight: Any = None, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean", pos_weight: Any = None) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.register_buffer("pos_weight", None if pos_weight is None else as_tensor(pos_weight))

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.binary_cross_entropy_with_logits(input, target, weight=self.weight, reduction=self.reduction,
                                                       pos_weight=self.pos_weight)


# ----- regression -------------------------------------------------------------------
class MSELoss(_Loss):
    """Mean squared error (x - y)^2.

    Shape: input (*), target the same shape (other broadcastable shapes work, with torch's warning).
    """

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error |x - y|.  Shape: as ``MSELoss``."""

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Quadratic for |x - y| < beta, linear beyond (Fast R-CNN's box loss).  Shape: as ``MSELoss``.

    Args:
        beta: where the quadratic turns linear (default 1.0; 0 gives L1Loss).
    """

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Quadratic for |x - y| <= delta, linear with slope delta beyond.  Shape: as ``MSELoss``.

    Args:
        delta: where the quadratic turns linear (default 1.0).
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


# ----- distributions and pairs --------------------------------------------------------
class KLDivLoss(_Loss):
    """KL divergence; ``input`` holds the model's LOG-probabilities.

    Args:
        reduction: "batchmean" (the true KL per sample), "mean" (torch's default, with its warning),
            "sum" or "none".
        log_target: the target holds log-probabilities too.

    Shape: input (*), target broadcastable to it.
    """

    _extra_reductions = ("batchmean",)

    def __init__(self, size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean",
                 log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class CosineEmbeddingLoss(_Loss):
    """1 - cos(x1, x2) for similar pairs (y = 1), max(0, cos - margin) for dissimilar ones (y = -1).

    Shape: input1, input2 (N, D) or (D,); target (N,) or ().
    """

    def __init__(self, margin: float = 0.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Any) -> Tensor:
        return losses.cosine_embedding_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)


class MarginRankingLoss(_Loss):
    """max(0, -y (x1 - x2) + margin): x1 should rank above x2 when y = 1.

    Shape: input1, input2, target of one number of dims (broadcast).
    """

    def __init__(self, margin: float = 0.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Any) -> Tensor:
        return losses.margin_ranking_loss(input1, input2, target, margin=self.margin, reduction=self.reduction)
