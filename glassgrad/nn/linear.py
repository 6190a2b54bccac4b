"""Linear (Keras: Dense), Bilinear and Identity (Flatten lives in ``flatten.py``; re-exported here)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend, ops
from glassgrad.nn import init
from glassgrad.nn.flatten import Flatten as Flatten
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.bilinear import bilinear
from glassgrad.tensor import Tensor


class Linear(Module):
    """y = x W^T + b.

    Args:
        in_features: size of each input sample.
        out_features: size of each output sample.
        bias: learn an additive bias (default True).
        device: where the parameters live (default: the default device).
        dtype: parameter dtype (default float32).
        rng: generator for the initial weights (default: the module generator; keyword only).

    Shape:
        input (..., in_features) -> output (..., out_features).

    Attributes:
        weight: (out_features, in_features), U(-1/sqrt(in), 1/sqrt(in)) as torch.
        bias: (out_features,), same distribution.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        for name, value in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
                raise ValueError(f"Linear: {name} must be a non-negative integer, got {value!r}")
        self.in_features, self.out_features = in_features, out_features
        dtype = dtype or backend.get_default_dtype()
        self.weight = Parameter(backend.xp.zeros((out_features, in_features), dtype=dtype))
        if bias:
            self.bias = Parameter(backend.xp.zeros(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(rng)
        if device is not None:
            self.to(device)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        init.default_layer_init_(self.weight, self.bias, rng)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002  (torch's name: forward(input=x) works)
        return ops.linear(input, self.weight, self.bias)  # which checks the input (once)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


Dense = Linear


class NonDynamicallyQuantizableLinear(Linear):
    """A ``Linear`` under the name torch gives ``MultiheadAttention.out_proj``'s class (torch keeps it
    apart so that dynamic quantization skips it). Nothing else differs; it exists so that programs
    naming it (``torch.serialization.add_safe_globals([...NonDynamicallyQuantizableLinear])``,
    ``isinstance`` checks) find it at ``nn.modules.linear``."""


class Identity(Module):
    """y = x; any constructor arguments are accepted and ignored (torch's placeholder layer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:  # noqa: ARG002
        super().__init__()

    def forward(self, input: Any) -> Any:  # noqa: A002
        return input


class Bilinear(Module):
    """y_k = x1^T A_k x2 + b_k for each output k.

    Args:
        in1_features, in2_features: sizes of the two inputs' last axes.
        out_features: size of the output's last axis.
        bias: learn an additive bias (default True).

    Shape:
        x1 (..., in1), x2 (..., in2) -> (..., out).

    Attributes:
        weight: (out, in1, in2), U(-1/sqrt(in1), 1/sqrt(in1)) as torch; bias (out,), the same.
    """

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.in1_features, self.in2_features, self.out_features = in1_features, in2_features, out_features
        dtype = dtype or backend.get_default_dtype()
        self.weight = Parameter(backend.xp.zeros((out_features, in1_features, in2_features), dtype=dtype))
        if bias:
            self.bias = Parameter(backend.xp.zeros(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(rng)
        if device is not None:
            self.to(device)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        bound = 1 / math.sqrt(self.in1_features)
        init.uniform_(self.weight, -bound, bound, rng=rng)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound, rng=rng)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
