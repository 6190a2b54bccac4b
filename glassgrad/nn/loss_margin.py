"""Margin loss layers: SoftMarginLoss, HingeEmbeddingLoss, MultiMarginLoss, MultiLabelMarginLoss,
MultiLabelSoftMarginLoss, TripletMarginLoss, TripletMarginWithDistanceLoss.

Modules over ``glassgrad/ops/losses_margin.py`` (torch's names, arguments and reprs; the math and
derivatives are documented on the ops).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from glassgrad.nn.layers_misc import PairwiseDistance
from glassgrad.nn.loss import _Loss, _WeightedLoss
from glassgrad.ops import losses_margin
from glassgrad.ops.loss_reduction import check_reduction
from glassgrad.tensor import Tensor


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y x)) with targets y = +-1.  Shape: input (*), target the same shape."""

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses_margin.soft_margin_loss(input, target, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    """x for y = 1, max(0, margin - x) for y = -1 (x is typically a distance).  Shape: input (*), target (*)."""

    def __init__(self, margin: float = 1.0, size_average: bool | None = None, reduce: bool | None = None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses_margin.hinge_embedding_loss(input, target, margin=self.margin, reduction=self.reduction)


class MultiMarginLoss(_WeightedLoss):
    """Multi-class hinge sum_{i != y} max(0, margin - x_y + x_i)^p / C.
    Shape: input (N, C) or (C,); target (N,) or ()."""

    def __init__(self, p: int = 1, margin: float = 1.0, weight: Any = None, size_average: bool | None = None,
                 reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise ValueError("only p == 1 and p == 2 supported")
        if weight is not None and self.weight.ndim != 1:
            raise ValueError(f"MultiMarginLoss: expected weight to be a 1D tensor but got: {self.weight.ndim}D")
        self.p, self.margin = p, margin

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses_margin.multi_margin_loss(input, target, p=self.p, margin=self.margin, weight=self.weight,
                                               reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """Multi-label hinge against the classes listed in the target (up to its first -1).
    Shape: input (N, C) or (C,); target the same shape, int64."""

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses_margin.multilabel_margin_loss(input, target, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """One-versus-all logistic loss averaged over the classes.  Shape: input (N, C), target (N, C) in [0, 1]."""

    def forward(self, input: Tensor, target: Any) -> Tensor:  # noqa: A002
        return losses_margin.multilabel_soft_margin_loss(input, target, weight=self.weight, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)) with d the pairwise p-norm distance.  Shape: (N, D) or (D,) each."""

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average: bool | None = None, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        if margin <= 0:
            raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got {margin} instead")
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return losses_margin.triplet_margin_loss(anchor, positive, negative, margin=self.margin, p=self.p,
                                                 eps=self.eps, swap=self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(_Loss):
    """max(0, margin + d(a, p) - d(a, n)) for any distance function d (default: ``PairwiseDistance()``)."""

    def __init__(self, *, distance_function: Callable[[Tensor, Tensor], Tensor] | None = None, margin: float = 1.0,
                 swap: bool = False, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        check_reduction(reduction, "TripletMarginWithDistanceLoss")
        if margin <= 0:
            raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} "
                             "instead")
        self.distance_function = distance_function if distance_function is not None else PairwiseDistance()
        self.margin, self.swap = margin, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return losses_margin.triplet_margin_with_distance_loss(
            anchor, positive, negative, distance_function=self.distance_function, margin=self.margin,
            swap=self.swap, reduction=self.reduction)
