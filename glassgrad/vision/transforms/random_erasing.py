"""RandomErasing (Zhong et al. 2017): blank out a random rectangle of a Tensor image."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor
from glassgrad.vision.transforms import functional as F
from glassgrad.vision.transforms.image_kinds import tensor_from_array


class RandomErasing:
    """With probability ``p``, set a random rectangle of a Tensor (..., C, H, W) to ``value``.

    The rectangle's area is uniform in ``scale`` (a fraction of the image) and its aspect ratio
    h / w log-uniform in ``ratio``; if 10 draws do not fit, the image is returned unchanged.

    Args:
        p: probability of erasing.
        scale, ratio: the ranges above.
        value: a number, one number per channel, or ``"random"`` (standard normal noise).
        inplace: write into the input tensor.
        generator: as :class:`RandomCrop`.
    """

    def __init__(self, p: float = 0.5, scale: Sequence[float] = (0.02, 0.33), ratio: Sequence[float] = (0.3, 3.3),
                 value: Any = 0, inplace: bool = False, generator: Any = None) -> None:
        if not isinstance(value, int | float | str | tuple | list):
            raise TypeError("Argument value should be either a number or str or a sequence")
        if isinstance(value, str) and value != "random":
            raise ValueError("If value is str, it should be 'random'")
        if not isinstance(scale, Sequence):
            raise TypeError("Scale should be a sequence")
        if not isinstance(ratio, Sequence):
            raise TypeError("Ratio should be a sequence")
        if scale[0] > scale[1] or ratio[0] > ratio[1]:
            warnings.warn("Scale and ratio should be of kind (min, max)", stacklevel=2)
        if scale[0] < 0 or scale[1] > 1:
            raise ValueError("Scale should be between 0 and 1")
        if p < 0 or p > 1:
            raise ValueError("Random erasing probability should be between 0 and 1")
        self.p, self.scale, self.ratio, self.value, self.inplace = p, scale, ratio, value, inplace
        self.generator = generator

    @staticmethod
    def get_params(img: Tensor, scale: Sequence[float], ratio: Sequence[float], value: Sequence[float] | None = None,
                   generator: Any = None) -> tuple[int, int, int, int, Any]:
        """(top, left, h, w, fill): the fill is a (C, h, w) noise Tensor when ``value`` is None; when nothing
        fits, (0, 0, H, W, img)."""
        channels, height, width = img.shape[-3], img.shape[-2], img.shape[-1]
        area = height * width
        rng = resolve_rng(generator)
        log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
        for _ in range(10):
            erase_area = area * rng.uniform(scale[0], scale[1])
            aspect_ratio = math.exp(rng.uniform(log_ratio[0], log_ratio[1]))
            h = int(round(math.sqrt(erase_area * aspect_ratio)))
            w = int(round(math.sqrt(erase_area / aspect_ratio)))
            if not (h < height and w < width):
                continue
            if value is None:
                fill = tensor_from_array(rng.standard_normal((channels, h, w)).astype(np.float32))
            else:
                fill = tensor_from_array(np.asarray(value, dtype=np.float32)[:, None, None])
            return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w, fill
        return 0, 0, height, width, img

    def __call__(self, img: Any) -> Any:
        if not isinstance(img, Tensor):
            raise TypeError(f"RandomErasing: img should be a Tensor (..., C, H, W). Got {type(img).__name__}")
        rng = resolve_rng(self.generator)
        if rng.random() >= self.p:
            return img
        if isinstance(self.value, int | float):
            value: list[float] | None = [float(self.value)]
        elif isinstance(self.value, str):
            value = None
        else:
            value = [float(v) for v in self.value]
        if value is not None and len(value) not in (1, img.shape[-3]):
            raise ValueError("If value is a sequence, it should have either a single value or "
                             f"{img.shape[-3]} (number of input channels)")
        top, left, h, w, fill = self.get_params(img, self.scale, self.ratio, value, rng)
        return F.erase(img, top, left, h, w, fill, self.inplace)

    def __repr__(self) -> str:
        return (f"RandomErasing(p={self.p}, scale={self.scale}, ratio={self.ratio}, value={self.value}, "
                f"inplace={self.inplace})")
