"""Dropout layer."""

from __future__ import annotations

import numpy as np

from glassgrad.nn.module import Module
from glassgrad.ops.dropout import dropout
from glassgrad.tensor import Tensor


class Dropout(Module):
    """Inverted dropout during training, the identity in eval mode.

    Each element is zeroed with probability p and the survivors are scaled by
    1 / (1 - p), so the expected activation is unchanged.

    Args:
        p: probability of zeroing an element (default 0.5).
        inplace: accepted for torch compatibility; glassgrad never edits in place.
        rng: generator for the masks (default: the module generator at each call; keyword only).

    Shape:
        input (*) -> output (*), the same shape.
    """

    def __init__(self, p: float = 0.5, inplace: bool = False, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace, self.rng = p, inplace, rng

    def forward(self, x: Tensor) -> Tensor:
        return dropout(x, self.p, self.training, self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"
