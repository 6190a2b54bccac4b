"""Smooth activations and the relu family: relu, leaky_relu, sigmoid, tanh, gelu,
silu, softplus, mish, logsigmoid, softsign, tanhshrink, elu, selu, celu.
(The piecewise-linear "hard" ones live in ``activation_hard.py``.)

This file is the one home of the sigmoid and GELU formulas: losses, the fused
recurrent kernels and ``nn`` call the functions here.

At a kink the derivative follows PyTorch: relu'(0) = 0, leaky_relu'(0) =
slope, elu'(0) = alpha (the x <= 0 branch). At NaN too: relu's gradient is 1 (torch
zeroes it where x <= 0, false for NaN), leaky_relu's the slope, elu's NaN (torch's vectorised
kernel, what every tensor but a few trailing elements goes through). An integer input gives
the default float dtype, as torch.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend, kernels
from glassgrad.arrays.erf import erf_array
from glassgrad.arrays.sigmoid import stable_sigmoid
from glassgrad.errors import OpInputError
from glassgrad.kernels import gelu as gelu_kernel
from glassgrad.op import Context, Op
from glassgrad.ops.promotion import float_input
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "celu", "elu", "gelu", "leaky_relu", "logsigmoid", "mish", "relu", "selu", "sigmoid", "silu", "softplus",
    "softsign", "tanh", "tanhshrink",
]
TORCH_NAMES = ["celu", "relu", "selu", "sigmoid", "tanh"]
FUNCTIONAL_NAMES = []


class ReLU(Op):
    """y = max(x, 0);  dy/dx = 0 where x <= 0, else 1 (1 at NaN, as torch)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = relu_array(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        return grad * (y != 0)  # y is 0 where x <= 0, positive or NaN elsewhere


def relu_array(x: Any) -> Any:
    """max(x, 0) of an array. For a float array of at least 4,096 elements, as ``clip(x, 0, inf)``:
    NumPy's ``maximum`` of an array and a scalar does not run its vectorised loop, its ``clip`` with
    both bounds does (the CNN's first ReLU, float32 (64, 32, 28, 28): ``maximum(x, 0)`` 0.83-0.90 ms,
    ``clip`` 0.26-0.30 ms; float64 1.23 against 0.95 ms; 1 thread, CPU time, medians of 40). The same
    values; a NaN stays NaN, and -0.0 stays -0.0 (torch's answer; ``maximum`` gives +0.0). Integers,
    small arrays and a Tensor (a forward run again to record a graph) take ``maximum(x, 0)``."""
    xp = backend.xp
    if not hasattr(x, "strides") or x.dtype.kind != "f" or x.size < 4096:
        return xp.maximum(x, 0)
    return xp.clip(x, 0, math.inf)


def relu(x: Any) -> Tensor:
    """Rectified linear unit (an integer tensor stays an integer tensor, as torch)."""
    return ReLU.apply(as_tensor(x))


class LeakyReLU(Op):
    """y = x where x > 0, else slope * x;  dy/dx = 1 where x > 0, else slope."""

    differentiable_backward = True

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
    return LeakyReLU.apply(float_input(x), slope=float(negative_slope))


class Sigmoid(Op):
    """y = 1 / (1 + e^-x);  dy/dx = y (1 - y)."""

    differentiable_backward = True

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
    return Sigmoid.apply(float_input(x))


class Tanh(Op):
    """y = tanh x;  dy/dx = 1 - y^2."""

    differentiable_backward = True

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
    return Tanh.apply(float_input(x))


# ----- GELU: the one home of the formula -------------------------------------------------------
GELU_TANH_SCALE = math.sqrt(2 / math.pi)
GELU_TANH_CUBIC = 0.044715


class GELU(Op):
    """Gaussian error linear unit, as torch.nn.functional.gelu.

    ``approximate="none"`` (torch's default, exact):
        y = x Phi(x),  Phi(x) = (1 + erf(x / sqrt 2)) / 2 the standard normal CDF;
        dy/dx = Phi(x) + x phi(x),  phi(x) = e^(-x^2/2) / sqrt(2 pi).
    ``approximate="tanh"``:
        y = x (1 + tanh u) / 2,  u = sqrt(2/pi) (x + 0.044715 x^3);
        dy/dx = (1 + tanh u) / 2 + x/2 (1 - tanh^2 u) sqrt(2/pi) (1 + 3 * 0.044715 x^2).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, approximate: str) -> Any:
        ctx.approximate = approximate
        if approximate == "tanh":
            tanh_u = backend.xp.tanh(GELU_TANH_SCALE * (x + GELU_TANH_CUBIC * x * x * x))
            ctx.save_for_backward(x, tanh_u)
            return 0.5 * x * (1 + tanh_u)
        ctx.fast = kernels.fast() and gelu_kernel.applies(x)  # float32: glassgrad/kernels/gelu.py, tested equal
        if ctx.fast:  # x saved as on the plain path, so an in-place edit of it is caught alike
            y, ctx.dydx = gelu_kernel.gelu_forward(x, derivative=ctx.needs_input_grad[0])  # dy/dx in the same pass
            ctx.save_for_backward(x)
            return y
        cdf = 0.5 * (1 + erf_array(x / math.sqrt(2)))
        ctx.save_for_backward(x, cdf)
        return x * cdf

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        if ctx.approximate == "tanh":
            x, tanh_u = ctx.saved
            du_dx = GELU_TANH_SCALE * (1 + 3 * GELU_TANH_CUBIC * x * x)
            return grad * (0.5 * (1 + tanh_u) + 0.5 * x * (1 - tanh_u * tanh_u) * du_dx)
        if ctx.fast:  # the fast kernel's forward computed dy/dx already
            return grad * ctx.dydx
        x, cdf = ctx.saved
        pdf = xp.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return grad * (cdf + x * pdf)


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """GELU: exact (erf) form by default, or ``approximate="tanh"``."""
    if approximate not in ("none", "tanh"):
        raise OpInputError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return GELU.apply(float_input(x), approximate=approximate)


# ----- sigmoid-weighted and softplus-based --------------------------------------------------------
class SiLU(Op):
    """y = x sigma(x) (swish);  dy/dx = sigma(x) (1 + x (1 - sigma(x)))."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        s = stable_sigmoid(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, s = ctx.saved
        return grad * s * (1 + x * (1 - s))


def silu(x: Any) -> Tensor:
    """Sigmoid-weighted linear unit x * sigmoid(x)."""
    return SiLU.apply(float_input(x))


class Softplus(Op):
    """y = ln(1 + e^(beta x)) / beta, and y = x where beta x > threshold (torch's cut-off);
    dy/dx = sigma(beta x) (1 where beta x > threshold)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, beta: float, threshold: float) -> Any:
        xp = backend.xp
        scaled = x * beta
        linear = scaled > threshold
        ctx.save_for_backward(scaled, linear)
        return xp.where(linear, x, xp.logaddexp(0, scaled) / beta).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        scaled, linear = ctx.saved
        return backend.xp.where(linear, grad, grad * stable_sigmoid(scaled))


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """A smooth relu: ln(1 + e^(beta x)) / beta (linear above threshold / beta)."""
    return Softplus.apply(float_input(x), beta=float(beta), threshold=float(threshold))


class Mish(Op):
    """y = x tanh(softplus(x));  with t = tanh(softplus(x)):  dy/dx = t + x sigma(x) (1 - t^2)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        t = backend.xp.tanh(backend.xp.logaddexp(0, x))
        ctx.save_for_backward(x, t)
        return x * t

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, t = ctx.saved
        return grad * (t + x * stable_sigmoid(x) * (1 - t * t))


def mish(x: Any) -> Tensor:
    """x * tanh(softplus(x))."""
    return Mish.apply(float_input(x))


class LogSigmoid(Op):
    """y = ln sigma(x) = -ln(1 + e^-x);  dy/dx = 1 - sigma(x) = sigma(-x)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return 0 - backend.xp.logaddexp(0, -x)  # 0 - 0 is 0.0 at x = inf (a negation would give -0.0)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad * stable_sigmoid(-x)


def logsigmoid(x: Any) -> Tensor:
    """log(sigmoid(x)), stable for large |x|."""
    return LogSigmoid.apply(float_input(x))


class Softsign(Op):
    """y = x / (1 + |x|);  dy/dx = 1 / (1 + |x|)^2."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x / (1 + backend.xp.abs(x))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad / (1 + backend.xp.abs(x)) ** 2


def softsign(x: Any) -> Tensor:
    """x / (1 + |x|)."""
    return Softsign.apply(float_input(x))


class Tanhshrink(Op):
    """y = x - tanh x;  dy/dx = tanh^2 x."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        t = backend.xp.tanh(x)
        ctx.save_for_backward(t)
        return x - t

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (t,) = ctx.saved
        return grad * t * t


def tanhshrink(x: Any) -> Tensor:
    """x - tanh(x)."""
    return Tanhshrink.apply(float_input(x))


# ----- the ELU family: elu, selu, celu are one op with three constants -------------------------------
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class ELU(Op):
    """y = scale x where x > 0, else scale alpha (e^(c x) - 1)  (c = input_scale);
    dy/dx = scale where x > 0, else scale alpha c e^(c x).

    elu: scale = c = 1;  selu: alpha, scale the SELU constants, c = 1;  celu: scale = 1, c = 1 / alpha.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, alpha: float, scale: float, input_scale: float) -> Any:
        xp = backend.xp
        positive = x > 0
        exp_part = xp.exp(xp.minimum(x, 0) * input_scale)  # e^(c x) on the negative side, never overflows
        ctx.save_for_backward(positive, exp_part)
        ctx.alpha, ctx.scale, ctx.input_scale = alpha, scale, input_scale
        negative_side = alpha * xp.expm1(xp.minimum(x, 0) * input_scale)
        return (scale * xp.where(positive, x, negative_side)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        positive, exp_part = ctx.saved
        slope = backend.xp.where(positive, ctx.scale, ctx.scale * ctx.alpha * ctx.input_scale * exp_part)
        return grad * slope.astype(grad.dtype, copy=False)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """Exponential linear unit: x for x > 0, alpha (e^x - 1) otherwise."""
    return ELU.apply(float_input(x), alpha=float(alpha), scale=1.0, input_scale=1.0)


def selu(x: Any) -> Tensor:
    """Scaled ELU with the self-normalising constants (alpha ~ 1.6733, scale ~ 1.0507)."""
    return ELU.apply(float_input(x), alpha=SELU_ALPHA, scale=SELU_SCALE, input_scale=1.0)


def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """Continuously differentiable ELU: max(0, x) + min(0, alpha (e^(x/alpha) - 1))."""
    if alpha == 0:
        raise ZeroDivisionError("celu: alpha must not be 0 (ZeroDivisionError, as torch)")
    return ELU.apply(float_input(x), alpha=float(alpha), scale=1.0, input_scale=1.0 / alpha)
