"""InterpolationMode: how resizing and warping compute new pixels (torchvision's names and values)."""

from __future__ import annotations

import enum
from typing import Any


class InterpolationMode(enum.Enum):
    """The interpolation methods. Tensors support NEAREST, NEAREST_EXACT, BILINEAR and BICUBIC
    (rotations and affine warps only NEAREST and BILINEAR); PIL images all of them."""

    NEAREST = "nearest"
    NEAREST_EXACT = "nearest-exact"
    BILINEAR = "bilinear"
    BICUBIC = "bicubic"
    BOX = "box"  # the rest exist for PIL images
    HAMMING = "hamming"
    LANCZOS = "lanczos"


# Pillow's integer constants (``PIL.Image.Resampling``) for each mode, and back
PIL_MODES = {InterpolationMode.NEAREST: 0, InterpolationMode.NEAREST_EXACT: 0, InterpolationMode.BILINEAR: 2,
             InterpolationMode.BICUBIC: 3, InterpolationMode.BOX: 4, InterpolationMode.HAMMING: 5,
             InterpolationMode.LANCZOS: 1}
_FROM_PIL = {0: InterpolationMode.NEAREST, 1: InterpolationMode.LANCZOS, 2: InterpolationMode.BILINEAR,
             3: InterpolationMode.BICUBIC, 4: InterpolationMode.BOX, 5: InterpolationMode.HAMMING}


def to_mode(interpolation: Any) -> InterpolationMode:
    """An InterpolationMode from itself, a Pillow integer constant, or a mode's name ("bilinear")."""
    if isinstance(interpolation, InterpolationMode):
        return interpolation
    if isinstance(interpolation, int) and interpolation in _FROM_PIL:
        return _FROM_PIL[interpolation]
    if isinstance(interpolation, str):
        try:
            return InterpolationMode(interpolation.lower())
        except ValueError:
            pass
    raise TypeError("Argument interpolation should be a InterpolationMode or a corresponding Pillow integer "
                    f"constant, got {interpolation!r}")
