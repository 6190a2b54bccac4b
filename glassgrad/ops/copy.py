"""Copies: ``clone`` (new memory, same device) and ``to_device`` (between NumPy and CuPy)."""

from __future__ import annotations

from typing import Any

from glassgrad import device as devices
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["clone", "to_device"]
TORCH_NAMES = ["clone"]
FUNCTIONAL_NAMES = []


class Clone(Op):
    """y = x in new memory;  dy/dx = 1."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return x.copy()

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad


def clone(x: Any) -> Tensor:
    """A copy of ``x`` with its own memory; gradients flow back to ``x``."""
    return Clone.apply(as_tensor(x))


class ToDevice(Op):
    """y = x on another device;  dy/dx = 1 (the gradient travels back to x's device)."""

    @staticmethod
    def forward(ctx: Context, x: Any, *, target: Any) -> Any:
        ctx.source = devices.device_of(x)
        return devices.move_array(x, target)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return devices.move_array(grad, ctx.source)


def to_device(x: Any, target: Any) -> Tensor:
    """``x`` on device ``target`` ('cpu' or 'cuda')."""
    return ToDevice.apply(as_tensor(x), target=devices.device(target))
