"""The LocalResponseNorm layer: a Module over ``glassgrad/ops/local_response_norm.py`` (the formula is there)."""

from __future__ import annotations

from glassgrad.nn.module import Module
from glassgrad.ops.local_response_norm import local_response_norm
from glassgrad.tensor import Tensor


class LocalResponseNorm(Module):
    """y = x / (k + alpha / size * sum of x^2 over ``size`` neighbouring channels)^beta.
    Shape: (N, C, *) -> the same."""

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x: Tensor) -> Tensor:
        return local_response_norm(x, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"
