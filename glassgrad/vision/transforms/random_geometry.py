"""Random geometric augmentation: RandomResizedCrop, RandomRotation, RandomAffine (torchvision's).

Each draws its parameters with a ``get_params`` static method (torchvision's signature, plus a
``generator=`` keyword) from glassgrad's module generator or the one given, then calls the
deterministic function in :mod:`glassgrad.vision.transforms.functional`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor
from glassgrad.vision.transforms import functional as F
from glassgrad.vision.transforms.arguments import (
    check_fill,
    check_sequence_input,
    setup_angle,
    setup_size,
    tensor_fill,
)
from glassgrad.vision.transforms.interpolation import InterpolationMode, to_mode


class RandomResizedCrop:
    """Crop a random window of random area and aspect ratio, then resize it to ``size``.

    The window's area is ``scale`` (a range, a fraction of the image's area) and its aspect ratio
    w / h is drawn log-uniformly from ``ratio``; after 10 draws that do not fit, the central crop
    of the ratio nearest the image's own is taken (the Inception-style crop of Szegedy et al. 2015).

    Args:
        size: output (h, w) or an int.
        scale, ratio: the ranges above (default (0.08, 1.0) and (3/4, 4/3)).
        interpolation, antialias: as :class:`Resize`.
        generator: as :class:`RandomCrop`.
    """

    def __init__(self, size: int | Sequence[int], scale: Sequence[float] = (0.08, 1.0),
                 ratio: Sequence[float] = (3.0 / 4.0, 4.0 / 3.0), interpolation: Any = InterpolationMode.BILINEAR,
                 antialias: bool | None = True, generator: Any = None) -> None:
        self.size = setup_size(size, "Please provide only two dimensions (h, w) for size.")
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)", stacklevel=2)
        self.interpolation, self.antialias = to_mode(interpolation), antialias
        self.scale, self.ratio, self.generator = scale, ratio, generator

    @staticmethod
    def get_params(img: Any, scale: Sequence[float], ratio: Sequence[float],
                   generator: Any = None) -> tuple[int, int, int, int]:
        """(top, left, height, width) of the random window (see the class docstring)."""
        _, height, width = F.get_dimensions(img)
        area = height * width
        rng = resolve_rng(generator)
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            target_area = area * rng.uniform(scale[0], scale[1])
            aspect_ratio = math.exp(rng.uniform(log_ratio[0], log_ratio[1]))
            w = int(round(math.sqrt(target_area * aspect_ratio)))
            h = int(round(math.sqrt(target_area / aspect_ratio)))
            if 0 < w <= width and 0 < h <= height:
                return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w
        in_ratio = float(width) / float(height)
        if in_ratio < min(ratio):
            w, h = width, int(round(width / min(ratio)))
        elif in_ratio > max(ratio):
            h, w = height, int(round(height * max(ratio)))
        else:
            w, h = width, height
        return (height - h) // 2, (width - w) // 2, h, w

    def __call__(self, img: Any) -> Any:
        top, left, h, w = self.get_params(img, self.scale, self.ratio, self.generator)
        return F.resized_crop(img, top, left, h, w, self.size, self.interpolation, antialias=self.antialias)

    def __repr__(self) -> str:
        return (f"RandomResizedCrop(size={self.size}, scale={tuple(round(s, 4) for s in self.scale)}, "
                f"ratio={tuple(round(r, 4) for r in self.ratio)}, interpolation={self.interpolation.value}, "
                f"antialias={self.antialias})")


class RandomRotation:
    """Rotate by an angle drawn uniformly from ``degrees`` ((min, max), or d for (-d, d)).

    Args:
        degrees: the range of angles, in degrees (counter-clockwise).
        interpolation: NEAREST (default) or BILINEAR (PIL images: any).
        expand: grow the output to hold the whole rotated image.
        center: the pivot (x, y); default the image centre.
        fill: the colour of the corners that come from outside the image.
        generator: as :class:`RandomCrop`.
    """

    def __init__(self, degrees: float | Sequence[float], interpolation: Any = InterpolationMode.NEAREST,
                 expand: bool = False, center: Sequence[int] | None = None, fill: Any = 0,
                 generator: Any = None) -> None:
        self.degrees = setup_angle(degrees, name="degrees", req_sizes=(2,))
        if center is not None:
            check_sequence_input(center, "center", req_sizes=(2,))
        self.interpolation, self.expand, self.center = to_mode(interpolation), expand, center
        self.fill, self.generator = check_fill(fill), generator

    @staticmethod
    def get_params(degrees: Sequence[float], generator: Any = None) -> float:
        """An angle uniform in [degrees[0], degrees[1]]."""
        return float(resolve_rng(generator).uniform(float(degrees[0]), float(degrees[1])))

    def __call__(self, img: Any) -> Any:
        fill = self.fill
        if isinstance(img, Tensor):
            fill = tensor_fill(fill, F.get_dimensions(img)[0])
        angle = self.get_params(self.degrees, self.generator)
        return F.rotate(img, angle, self.interpolation, self.expand, self.center, fill)

    def __repr__(self) -> str:
        return (f"RandomRotation(degrees={self.degrees}, interpolation={self.interpolation.value}, "
                f"expand={self.expand}, center={self.center}, fill={self.fill})")


class RandomAffine:
    """A random affine warp keeping the centre: rotation, translation, scale and shear.

    Args:
        degrees: rotation range ((min, max), or d for (-d, d); 0 for none).
        translate: (a, b): horizontal shift uniform in ±a * width, vertical in ±b * height.
        scale: (min, max) scale factor.
        shear: shear along x ((min, max) or s for (-s, s)), or 4 numbers: x range then y range.
        interpolation, fill, center: as :class:`RandomRotation`.
        generator: as :class:`RandomCrop`.
    """

    def __init__(self, degrees: float | Sequence[float], translate: Sequence[float] | None = None,
                 scale: Sequence[float] | None = None, shear: float | Sequence[float] | None = None,
                 interpolation: Any = InterpolationMode.NEAREST, fill: Any = 0, center: Sequence[int] | None = None,
                 generator: Any = None) -> None:
        self.degrees = setup_angle(degrees, name="degrees", req_sizes=(2,))
        if translate is not None:
            check_sequence_input(translate, "translate", req_sizes=(2,))
            if not all(0.0 <= t <= 1.0 for t in translate):
                raise ValueError("translation values should be between 0 and 1")
        if scale is not None:
            check_sequence_input(scale, "scale", req_sizes=(2,))
            if any(s <= 0 for s in scale):
                raise ValueError("scale values should be positive")
        self.translate, self.scale = translate, scale
        self.shear = setup_angle(shear, name="shear", req_sizes=(2, 4)) if shear is not None else None
        if center is not None:
            check_sequence_input(center, "center", req_sizes=(2,))
        self.interpolation, self.fill, self.center = to_mode(interpolation), check_fill(fill), center
        self.generator = generator

    @staticmethod
    def get_params(degrees: Sequence[float], translate: Sequence[float] | None, scale_ranges: Sequence[float] | None,
                   shears: Sequence[float] | None, img_size: Sequence[int],
                   generator: Any = None) -> tuple[float, tuple[int, int], float, tuple[float, float]]:
        """(angle, (tx, ty), scale, (shear_x, shear_y)) for an image of ``img_size`` = [width, height]."""
        rng = resolve_rng(generator)
        angle = float(rng.uniform(float(degrees[0]), float(degrees[1])))
        if translate is not None:
            max_dx, max_dy = float(translate[0] * img_size[0]), float(translate[1] * img_size[1])
            translations = (int(round(rng.uniform(-max_dx, max_dx))), int(round(rng.uniform(-max_dy, max_dy))))
        else:
            translations = (0, 0)
        scale = float(rng.uniform(scale_ranges[0], scale_ranges[1])) if scale_ranges is not None else 1.0
        shear_x = shear_y = 0.0
        if shears is not None:
            shear_x = float(rng.uniform(shears[0], shears[1]))
            if len(shears) == 4:
                shear_y = float(rng.uniform(shears[2], shears[3]))
        return angle, translations, scale, (shear_x, shear_y)

    def __call__(self, img: Any) -> Any:
        channels, height, width = F.get_dimensions(img)
        fill = tensor_fill(self.fill, channels) if isinstance(img, Tensor) else self.fill
        angle, translations, scale, shear = self.get_params(self.degrees, self.translate, self.scale, self.shear,
                                                            [width, height], self.generator)
        return F.affine(img, angle, list(translations), scale, list(shear), interpolation=self.interpolation,
                        fill=fill, center=self.center)

    def __repr__(self) -> str:
        return (f"RandomAffine(degrees={self.degrees}, translate={self.translate}, scale={self.scale}, "
                f"shear={self.shear}, interpolation={self.interpolation.value}, fill={self.fill})")


