"""Likelihood loss layers: GaussianNLLLoss, PoissonNLLLoss and CTCLoss.

Modules over ``glassgrad/ops/losses_likelihood.py`` and ``glassgrad/ops/ctc.py`` (torch's names,
arguments and reprs; the math and derivatives are documented on the ops).
"""

from __future__ import annotations

from typing import Any

from glassgrad.nn.loss import _Loss
from glassgrad.ops.ctc import ctc_loss
from glassgrad.ops.losses_likelihood import gaussian_nll_loss, poisson_nll_loss
from glassgrad.tensor import Tensor


class GaussianNLLLoss(_Loss):
    """(log var + (x - t)^2 / var) / 2 with a predicted variance.  Shape: input (N, *), target (N, *),
    var the input's shape or with one axis of size 1 (or its last axis dropped)."""

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input: Tensor, target: Any, var: Any) -> Tensor:  # noqa: A002
        return gaussian_nll_loss(input, target, var, full=self.full, eps=self.eps, reduction=self.reduction)


class PoissonNLLLoss(_Loss):
    """Poisson negative log-likelihood of target counts under a predicted (log-)rate.  Shape: input (*), target (*)."""

    def __init__(self, log_input: bool = True, full: bool = False, size_average: bool | None = None,
                 eps: float = 1e-8, reduce: bool | None = None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input: Tensor, target: Any) -> Tensor:
        return poisson_nll_loss(log_input, target, log_input=self.log_input, full=self.full, eps=self.eps,
                                reduction=self.reduction)


class CTCLoss(_Loss):
    """Connectionist temporal classification.  Shape: log_probs (T, N, C) or (T, C); targets (N, S) or
    concatenated (sum of target_lengths,); input_lengths and target_lengths (N,)."""

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs: Tensor, targets: Any, input_lengths: Any, target_lengths: Any) -> Tensor:
        return ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
                        self.zero_infinity)
