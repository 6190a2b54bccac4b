"""Padding layers: ``ZeroPad{1,2,3}d``, ``ConstantPad{1,2,3}d``, ``ReflectionPad{1,2,3}d``,
``ReplicationPad{1,2,3}d``, ``CircularPad{1,2,3}d``.

Each is ``F.pad`` (``glassgrad/ops/movement_pad.py``) with its mode fixed. ``padding`` is an int (the
same on every side) or, as torch, (left, right) for the 1d layers, (left, right, top, bottom) for
the 2d layers and (left, right, top, bottom, front, back) for the 3d layers: the last dimension first.
"""

from __future__ import annotations

from typing import Any

from glassgrad import ops
from glassgrad.nn.module import Module
from glassgrad.tensor import Tensor

_SIDE_NAMES = {2: "left, right", 4: "left, right, top, bottom", 6: "left, right, top, bottom, front, back"}


class _Pad(Module):
    """Pads the last ``sides // 2`` dimensions with the mode the subclass names."""

    mode = "constant"
    sides = 4

    def __init__(self, padding: Any, value: float = 0.0) -> None:
        super().__init__()
        if isinstance(padding, int):
            padding = (padding,) * self.sides
        padding = tuple(int(p) for p in padding)
        if len(padding) != self.sides:
            raise ValueError(f"{type(self).__name__}: padding must be an int or {self.sides} ints "
                             f"({_SIDE_NAMES[self.sides]}), got {padding}")
        self.padding, self.value = padding, float(value)

    def forward(self, x: Tensor) -> Tensor:
        if self.mode == "constant":
            return ops.pad(x, self.padding, "constant", self.value)
        return ops.pad(x, self.padding, self.mode)

    def extra_repr(self) -> str:
        constant = type(self).__name__.startswith("Constant")
        return f"padding={self.padding}, value={self.value}" if constant else f"{self.padding}"


class ZeroPad2d(_Pad):
    """Pads (N, C, H, W) or (C, H, W) with zeros: (left, right, top, bottom)."""

    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)


class ConstantPad2d(_Pad):
    """Pads (N, C, H, W) or (C, H, W) with ``value`` (required, as torch): (left, right, top, bottom)."""

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding, value)


class ReflectionPad2d(_Pad):
    """Pads with the mirror image of the input, the edge not repeated: [1 2 3] padded by 2 -> [3 2 1 2 3 2 1]."""

    mode = "reflect"

    def __init__(self, padding: Any) -> None:
        super().__init__(padding)


class ReplicationPad2d(ReflectionPad2d):
    """Pads by repeating the edge value: [1 2 3] padded by 2 -> [1 1 1 2 3 3 3]."""

    mode = "replicate"


class ZeroPad1d(ZeroPad2d):
    """Pads (N, C, L) or (C, L) with zeros: (left, right)."""

    sides = 2


class ConstantPad1d(ConstantPad2d):
    """Pads (N, C, L) or (C, L) with ``value``: (left, right)."""

    sides = 2


class ReflectionPad1d(ReflectionPad2d):
    """Reflection padding of (N, C, L) or (C, L): (left, right)."""

    sides = 2


class ReplicationPad1d(ReplicationPad2d):
    """Replication padding of (N, C, L) or (C, L): (left, right)."""

    sides = 2


class ZeroPad3d(ZeroPad2d):
    """Pads (N, C, D, H, W) or (C, D, H, W) with zeros: (left, right, top, bottom, front, back)."""

    sides = 6


class ConstantPad3d(ConstantPad2d):
    """Pads (N, C, D, H, W) or (C, D, H, W) with ``value``: (left, right, top, bottom, front, back)."""

    sides = 6


class ReflectionPad3d(ReflectionPad2d):
    """Reflection padding of (N, C, D, H, W) or (C, D, H, W): (left, right, top, bottom, front, back)."""

    sides = 6


class ReplicationPad3d(ReplicationPad2d):
    """Replication padding of (N, C, D, H, W) or (C, D, H, W): (left, right, top, bottom, front, back)."""

    sides = 6


class CircularPad2d(ReflectionPad2d):
    """Pads by wrapping around (the input tiled periodically): [1 2 3] padded by 2 -> [2 3 1 2 3 1 2].
    (N, C, H, W) or (C, H, W): (left, right, top, bottom); no pad may exceed its dimension's size."""

    mode = "circular"


class CircularPad1d(CircularPad2d):
    """Circular padding of (N, C, L) or (C, L): (left, right)."""

    sides = 2


class CircularPad3d(CircularPad2d):
    """Circular padding of (N, C, D, H, W) or (C, D, H, W): (left, right, top, bottom, front, back)."""

    sides = 6
