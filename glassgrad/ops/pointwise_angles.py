"""Angles converted between degrees and radians: deg2rad and rad2deg.

    deg2rad(x) = x pi / 180,   rad2deg(x) = x 180 / pi

Each is a multiplication by a constant (its derivative is that constant), so
each is ``mul``; integer and bool tensors give the default float dtype.
"""

from __future__ import annotations

import math

from glassgrad.ops.elementwise import mul
from glassgrad.ops.promotion import float_input
from glassgrad.tensor import Tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["deg2rad", "rad2deg"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def deg2rad(input: Tensor) -> Tensor:  # noqa: A002
    """Degrees to radians, element-wise (torch.deg2rad)."""
    return mul(float_input(input), math.pi / 180)


def rad2deg(input: Tensor) -> Tensor:  # noqa: A002
    """Radians to degrees, element-wise (torch.rad2deg)."""
    return mul(float_input(input), 180 / math.pi)


