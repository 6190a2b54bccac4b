"""An exponential moving average of a network's weights, for sampling from a GAN's generator.

A GAN's generator moves every step as the critic moves; its weights oscillate around what the
samples should be. A copy whose weights follow the trained ones slowly,

    w_avg <- decay * w_avg + (1 - decay) * w        after each optimiser step,

averages the oscillation out (Yazici et al. 2019, "The unusual effectiveness of averaging in GAN
training"; used by ProGAN, StyleGAN, BigGAN). It costs one multiply-add per weight per step and is
never trained itself. Buffers (batch norm's running statistics) are copied, not averaged: they
describe the current network's activations.
"""

from __future__ import annotations

import copy

import glassgrad as gg
from glassgrad import nn


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
            for avg, b in zip(self.average.buffers(), self.model.buffers()):
                avg.copy_(b)
