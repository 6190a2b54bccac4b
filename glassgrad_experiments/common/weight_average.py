"""An exponential moving average of a network's weights, for sampling from a GAN's generator.

A GAN's generator moves every step as the critic moves; its weights oscillate around what the
samples should be. A copy whose weights follow the trained ones slowly,

    w_avg <- decay * w_avg + (1 - decay) * w        after each optimiser step,

averages the oscillation out (Yazici et al. 2019, "The unusual effectiveness of averaging in GAN
training"; used by ProGAN, StyleGAN, BigGAN). It costs one multiply-add per weight per step and is
never trained itself. Batch norm's running statistics are not averaged: they describe the
activations of the network they were measured on, and the averaged weights make other activations
(sampling with the trained network's statistics gives noise). ``refresh_batch_norm`` measures them
again on the average itself, a cumulative mean over a few batches in training mode (what
torch.optim.swa_utils.update_bn does for weight averages).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn.normalization import _BatchNorm


class WeightAverage:
    """``average`` is a copy of ``model`` whose weights trail the model's; call ``update()`` after each step."""

    def __init__(self, model: nn.Module, decay: float) -> None:
        if not 0.0 <= decay < 1.0:
            raise ValueError(f"decay must be in [0, 1), got {decay}")
        self.model, self.decay = model, decay
        self.average = copy.deepcopy(model)
        for p in self.average.parameters():
            p.requires_grad_(False)

    def update(self) -> None:
        with gg.no_grad():
            for avg, p in zip(self.average.parameters(), self.model.parameters()):
                avg.mul_(self.decay).add_(p, alpha=1.0 - self.decay)

    def refresh_batch_norm(self, inputs: Iterable[gg.Tensor]) -> None:
        """Batch norm's running mean and variance of the average, measured afresh over ``inputs``."""
        norms = [m for m in self.average.modules() if isinstance(m, _BatchNorm)]
        momenta = [m.momentum for m in norms]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # the cumulative mean over the batches below
        was_training = self.average.training
        self.average.train()
        with gg.no_grad():
            for x in inputs:
                self.average(x)
        for m, momentum in zip(norms, momenta):
            m.momentum = momentum
        self.average.train(was_training)
