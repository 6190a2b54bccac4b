"""Activation functions: relu, leaky_relu, sigmoid, tanh, gelu.

At a kink (relu and leaky_relu at 0) the derivative follows PyTorch: relu'(0)
= 0 and leaky_relu'(0) = slope.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.tensor import Tensor, as_tensor


class ReLU(Function):
    """y = max(x, 0);  dy/dx = 1 where x > 0, else 0."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = backend.xp.maximum(x, 0)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        return grad * (y > 0)


def relu(x: Any) -> Tensor:
    """Rectified linear unit."""
    return ReLU.apply(as_tensor(x))


class LeakyReLU(Function):
    """y = x where x > 0, else slope * x;  dy/dx = 1 where x > 0, else slope."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, slope: float) -> Any:
        positive = x > 0
        ctx.save_for_backward(positive)
        ctx.slope = slope
        return backend.xp.where(positive, x, x * slope)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (positive,) = ctx.saved
        return backend.xp.where(positive, grad, grad * ctx.slope)


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor:
    """Leaky ReLU with the given slope for x <= 0."""
    return LeakyReLU.apply(as_tensor(x), slope=float(negative_slope))


def stable_sigmoid(x: Any) -> Any:
    """1 / (1 + e^-x) without overflow: e^-|x| never exceeds 1."""
    xp = backend.xp
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Sigmoid(Function):
    """y = 1 / (1 + e^-x);  dy/dx = y (1 - y)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = stable_sigmoid(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        return grad * y * (1 - y)


def sigmoid(x: Any) -> Tensor:
    """Logistic sigmoid, stable for large |x|."""
    return Sigmoid.apply(as_tensor(x))


class Tanh(Function):
    """y = tanh x;  dy/dx = 1 - y^2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = backend.xp.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        return grad * (1 - y * y)


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent."""
    return Tanh.apply(as_tensor(x))


class GELU(Function):
    """y = x Phi(x), Phi the standard normal CDF (the exact, erf form, as torch's default);
    dy/dx = Phi(x) + x phi(x),  phi(x) = e^(-x^2/2) / sqrt(2 pi)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        cdf = (0.5 * (1 + _erf(x / math.sqrt(2)))).astype(x.dtype, copy=False)
        ctx.save_for_backward(x, cdf)
        return x * cdf

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        x, cdf = ctx.saved
        pdf = xp.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return grad * (cdf + x * pdf)


def _erf(x: Any) -> Any:
    """erf element-wise: SciPy's ufunc when installed, else math.erf per element
    (NumPy has no erf)."""
    try:
        from scipy.special import erf  # type: ignore[import-untyped]

        return erf(x)
    except ImportError:
        xp = backend.xp
        return xp.vectorize(math.erf, otypes=[x.dtype])(x)


def gelu(x: Any) -> Tensor:
    """Gaussian error linear unit (exact erf form)."""
    return GELU.apply(as_tensor(x))
