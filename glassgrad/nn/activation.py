"""Activation layers: thin Modules over the ops in ``glassgrad.ops`` (torch's names and arguments).

Each has no parameters and maps input (*) -> output (*) of the same shape,
except Softmax/LogSoftmax, which normalise along ``dim``.
"""

from __future__ import annotations

import math

from glassgrad import ops
from glassgrad.nn.module import Module
from glassgrad.tensor import Tensor


class ReLU(Module):
    """y = max(x, 0). ``inplace`` is accepted for torch compatibility and ignored."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        return ops.relu(x)


class LeakyReLU(Module):
    """y = x for x > 0, negative_slope * x otherwise."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Tensor) -> Tensor:
        return ops.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """y = 1 / (1 + e^-x)."""

    def forward(self, x: Tensor) -> Tensor:
        return ops.sigmoid(x)


class Tanh(Module):
    """y = tanh(x)."""

    def forward(self, x: Tensor) -> Tensor:
        return ops.tanh(x)


class GELU(Module):
    """y = x Phi(x) (``approximate="none"``, exact erf form) or
    y = x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2 (``approximate="tanh"``)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


def gelu(x: Tensor, approximate: str = "none") -> Tensor:
    """GELU, exact or with the tanh approximation (a composite of ops; autograd derives it)."""
    if approximate == "none":
        return ops.gelu(x)
    if approximate != "tanh":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    inner = (x + x * x * x * 0.044715) * math.sqrt(2 / math.pi)
    return x * (ops.tanh(inner) + 1) * 0.5


class Softmax(Module):
    """y_i = e^{x_i} / sum_j e^{x_j} along ``dim`` (default -1; torch's implicit-dim rule is not copied)."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return ops.softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """y_i = x_i - log sum_j e^{x_j} along ``dim`` (default -1)."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return ops.log_softmax(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
