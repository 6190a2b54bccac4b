"""Shrinkage, thresholding and gated activation layers: Hardshrink, Softshrink, Threshold, RReLU, GLU,
and Softmin (torch's names, constructor arguments and reprs).

Thin Modules over ``glassgrad/ops/activation_shrink.py`` (the math and derivatives are there);
each maps (*) -> (*) except GLU, which halves ``dim``.
"""

from __future__ import annotations

from glassgrad.nn.activation import apply_activation
from glassgrad.nn.module import Module
from glassgrad.ops.activation_shrink import glu, hardshrink, rrelu, softshrink, threshold
from glassgrad.tensor import Tensor


class Hardshrink(Module):
    """y = x where |x| > lambd, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, x: Tensor) -> Tensor:
        return hardshrink(x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """y = x - lambd where x > lambd, x + lambd where x < -lambd, else 0."""

    def forward(self, x: Tensor) -> Tensor:
        return softshrink(x, self.lambd)


class Threshold(Module):
    """y = x where x > threshold, else value."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, x: Tensor) -> Tensor:
        return apply_activation(threshold, x, self.inplace, self.threshold, self.value)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}" + (", inplace=True" if self.inplace else "")


class RReLU(Module):
    """Leaky ReLU with a random negative slope in [lower, upper] per element while training,
    (lower + upper) / 2 in evaluation."""

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False) -> None:
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace

    def forward(self, x: Tensor) -> Tensor:
        return apply_activation(rrelu, x, self.inplace, self.lower, self.upper, self.training)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}" + (", inplace=True" if self.inplace else "")


class GLU(Module):
    """y = a * sigmoid(b), with a, b the two halves of the input along ``dim``."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return glu(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmin(Module):
    """y_i = e^{-x_i} / sum_j e^{-x_j} along ``dim`` (None: torch's legacy implicit choice, with its warning)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        from glassgrad.nn.functional import softmin

        return softmin(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
