"""Two functions of signal processing: the Heaviside step and the normalised sinc.

    heaviside(x, values) = 0 for x < 0,  values for x == 0,  1 for x > 0
    sinc(x)              = sin(pi x) / (pi x),  sinc(0) = 1
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.pointwise_base import UnaryPointwise
from glassgrad.ops.promotion import float_input
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["heaviside", "sinc"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class Heaviside(Op):
    """The unit step, with ``values`` at x = 0.  As in torch, it has no derivative: backward raises."""

    @staticmethod
    def forward(ctx: Context, x: Any, values: Any) -> Any:
        xp = backend.xp
        return xp.where(x == 0, values, (x > 0).astype(x.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        raise RuntimeError("derivative for heaviside is not implemented (as in torch)")


def heaviside(input: Tensor, values: Tensor) -> Tensor:  # noqa: A002
    """The Heaviside step of each element, ``values`` where it is 0 (torch.heaviside; both tensors
    must have the same dtype)."""
    x, v = as_tensor(input), as_tensor(values)
    if x.dtype != v.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    return Heaviside.apply(x, v)


class Sinc(UnaryPointwise):
    """z = sin(pi a) / (pi a), z(0) = 1;  dz/da = (cos(pi a) - z) / a, and -pi^2 a / 3 at a = 0 (its Taylor
    term there: the value 0, and the right second derivative -pi^2 / 3 when the backward is differentiated)."""

    @staticmethod
    def value(a: Any) -> Any:
        return backend.xp.sinc(a)

    @staticmethod
    def input_grad(grad: Any, a: Any) -> Any:
        xp = backend.xp
        safe = xp.where(a == 0, 1, a)
        slope = (xp.cos(math.pi * a) - xp.sinc(a)) / safe
        return grad * xp.where(a == 0, -math.pi ** 2 / 3 * a, slope)


def sinc(input: Tensor) -> Tensor:  # noqa: A002
    """The normalised sinc sin(pi x) / (pi x) of each element (torch.sinc); integers give floats."""
    return Sinc.apply(float_input(input))
