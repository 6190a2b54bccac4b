"""Activation layers: thin Modules over the ops in ``glassgrad.ops`` (torch's names,
constructor arguments and reprs).

Each has no parameters and maps input (*) -> output (*) of the same shape,
except Softmax/LogSoftmax, which normalise along ``dim``. The math and the
derivatives are documented with the ops (``ops/activation.py``,
``ops/activation_hard.py``). ``inplace=True`` overwrites the input tensor
(through the safe in-place machinery, ``Tensor._inplace``) and returns it.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from glassgrad import ops
from glassgrad.nn.module import Module
from glassgrad.ops.activation import gelu as gelu  # kept for ``nn.functional``'s import
from glassgrad.ops.softmax import legacy_softmax_dim
from glassgrad.tensor import Tensor, as_tensor


def apply_activation(op: Callable[..., Tensor], x: Any, inplace: bool, *args: Any, **kwargs: Any) -> Tensor:
    """``op(x, ...)``, or, with ``inplace``, the same result written into ``x`` (which is returned)."""
    if inplace:
        return as_tensor(x)._inplace(op, *args, **kwargs)
    return op(x, *args, **kwargs)


def _inplace_repr(inplace: bool) -> str:
    return "inplace=True" if inplace else ""


class _InplaceActivation(Module):
    """Base of the parameter-free activations that take only ``inplace``."""

    op: Callable[..., Tensor]

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        return apply_activation(type(self).op, x, self.inplace)

    def extra_repr(self) -> str:
        return _inplace_repr(self.inplace)


class ReLU(_InplaceActivation):
    """y = max(x, 0)."""

    op = staticmethod(ops.relu)


class SiLU(_InplaceActivation):
    """y = x * sigmoid(x) (also called swish)."""

    op = staticmethod(ops.silu)


class SELU(_InplaceActivation):
    """y = scale * elu(x, alpha) with the self-normalising constants alpha ~ 1.6733, scale ~ 1.0507."""

    op = staticmethod(ops.selu)


class Mish(_InplaceActivation):
    """y = x * tanh(softplus(x))."""

    op = staticmethod(ops.mish)


class ReLU6(_InplaceActivation):
    """y = min(max(x, 0), 6)."""

    op = staticmethod(ops.relu6)


class Hardswish(_InplaceActivation):
    """y = x * relu6(x + 3) / 6 (torch prints no arguments for it)."""

    op = staticmethod(ops.hardswish)

    def extra_repr(self) -> str:
        return ""


class Hardsigmoid(_InplaceActivation):
    """y = relu6(x + 3) / 6 (torch prints no arguments for it)."""

    op = staticmethod(ops.hardsigmoid)

    def extra_repr(self) -> str:
        return ""


class LeakyReLU(Module):
    """y = x for x > 0, negative_slope * x otherwise."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Tensor) -> Tensor:
        return apply_activation(ops.leaky_relu, x, self.inplace, self.negative_slope)

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [f"negative_slope={self.negative_slope}", _inplace_repr(self.inplace)]))


class ELU(Module):
    """y = x for x > 0, alpha * (e^x - 1) otherwise."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Tensor) -> Tensor:
        return apply_activation(ops.elu, x, self.inplace, self.alpha)

    def extra_repr(self) -> str:
        return ", ".join(filter(None, [f"alpha={self.alpha}", _inplace_repr(self.inplace)]))


class CELU(ELU):
    """y = max(0, x) + min(0, alpha * (e^(x / alpha) - 1))."""

    def forward(self, x: Tensor) -> Tensor:
        return apply_activation(ops.celu, x, self.inplace, self.alpha)


class Hardtanh(Module):
    """y = min(max(x, min_val), max_val)."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None) -> None:
        super().__init__()
        for old, new, value in (("min_value", "min_val", min_value), ("max_value", "max_val", max_value)):
            if value is not None:  # torch's deprecated spellings, with its warning
                warnings.warn(f"keyword argument `{old}` is deprecated and rename to `{new}`", FutureWarning,
                              stacklevel=2)
        min_val = min_val if min_value is None else min_value
        max_val = max_val if max_value is None else max_value
        if min_val > max_val:
            raise ValueError(f"Hardtanh: min_val ({min_val}) cannot be greater than max_val ({max_val})")
        self.min_val, self.max_val, self.inplace = min_val, max_val, inplace

    def forward(self, x: Tensor) -> Tensor:
        return apply_activation(ops.hardtanh, x, self.inplace, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        bounds = f"min_val={self.min_val}, max_val={self.max_val}"
        return ", ".join(filter(None, [bounds, _inplace_repr(self.inplace)]))


class Softplus(Module):
    """y = ln(1 + e^(beta x)) / beta, and y = x where beta x > threshold."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Tensor) -> Tensor:
        return ops.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Sigmoid(Module):
    """y = 1 / (1 + e^-x)."""

    def forward(self, x: Tensor) -> Tensor:
        return ops.sigmoid(x)


class LogSigmoid(Module):
    """y = ln(1 / (1 + e^-x))."""

    def forward(self, x: Tensor) -> Tensor:
        return ops.logsigmoid(x)


class Tanh(Module):
    """y = tanh(x)."""

    def forward(self, x: Tensor) -> Tensor:
        return ops.tanh(x)


class Softsign(Module):
    """y = x / (1 + |x|)."""

    def forward(self, x: Tensor) -> Tensor:
        return ops.softsign(x)


class Tanhshrink(Module):
    """y = x - tanh(x)."""

    def forward(self, x: Tensor) -> Tensor:
        return ops.tanhshrink(x)


class GELU(Module):
    """y = x Phi(x) (``approximate="none"``, the exact erf form, torch's default) or
    y = x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2 (``approximate="tanh"``)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, x: Tensor) -> Tensor:
        return ops.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softmax(Module):
    """y_i = e^{x_i} / sum_j e^{x_j} along ``dim`` (None: torch's legacy implicit choice, with its warning:
    dim 0 for 0-, 1- and 3-D inputs, else 1)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        return ops.softmax(x, legacy_softmax_dim(x.ndim, "softmax") if self.dim is None else self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Module):
    """y_i = x_i - log sum_j e^{x_j} along ``dim`` (None: torch's legacy implicit choice, as Softmax)."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        return ops.log_softmax(x, legacy_softmax_dim(x.ndim, "log_softmax") if self.dim is None else self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"
