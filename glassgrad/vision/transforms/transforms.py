"""Transforms as callable objects (torchvision's classes), chained with ``Compose``.

The usual MNIST pipeline::

    transform = Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])
    transform(uint8 array (28, 28))  ->  float Tensor (1, 28, 28)

Random transforms draw from glassgrad's module generator (``glassgrad.manual_seed``),
or from the ``generator`` given to them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassgrad.random import resolve_rng
from glassgrad.vision.transforms import functional as F


class InterpolationMode(enum.Enum):
    """How Resize computes new pixels (the modes glassgrad implements)."""

    NEAREST = "nearest"
    BILINEAR = "bilinear"


def _pair(size: int | Sequence[int], name: str) -> tuple[int, int]:
    if isinstance(size, int):
        return size, size
    if isinstance(size, Sequence) and len(size) == 1:
        return int(size[0]), int(size[0])
    if isinstance(size, Sequence) and len(size) == 2:
        return int(size[0]), int(size[1])
    raise ValueError(f"{name}: please provide only two dimensions (h, w) for size, got {size!r}")


class Compose:
    """Apply ``transforms`` one after the other."""

    def __init__(self, transforms: Sequence[Callable[[Any], Any]]) -> None:
        self.transforms = list(transforms)

    def __call__(self, img: Any) -> Any:
        for transform in self.transforms:
            img = transform(img)
        return img

    def __repr__(self) -> str:
        lines = "".join(f"\n    {t}" for t in self.transforms)
        return f"{type(self).__name__}({lines}\n)"


class ToTensor:
    """(H, W[, C]) array -> (C, H, W) Tensor; uint8 0..255 becomes float 0..1."""

    def __call__(self, pic: np.ndarray) -> Any:
        return F.to_tensor(pic)

    def __repr__(self) -> str:
        return "ToTensor()"


class Normalize:
    """``(x - mean[c]) / std[c]`` per channel of a float (..., C, H, W) Tensor."""

    def __init__(self, mean: Sequence[float], std: Sequence[float], inplace: bool = False) -> None:
        self.mean, self.std, self.inplace = mean, std, inplace

    def __call__(self, tensor: Any) -> Any:
        return F.normalize(tensor, self.mean, self.std, self.inplace)

    def __repr__(self) -> str:
        return f"Normalize(mean={self.mean}, std={self.std})"


class Resize:
    """Resize to ``size``: (h, w), or one number for the smaller edge (aspect ratio kept).

    Args:
        size: (h, w) or an int.
        interpolation: ``InterpolationMode.BILINEAR`` (default) or ``NEAREST`` (or their names).
        max_size: cap for the longer edge when ``size`` is an int.
        antialias: smooth when shrinking a tensor (default True, as torchvision); enlarging never needs it.
    """

    def __init__(self, size: int | Sequence[int], interpolation: Any = InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        if not isinstance(size, int | Sequence) or (isinstance(size, Sequence) and len(size) not in (1, 2)):
            raise TypeError(f"Resize: size should be an int or a sequence of 1 or 2 ints, got {size!r}")
        self.size, self.interpolation, self.max_size, self.antialias = size, interpolation, max_size, antialias

    def __call__(self, img: Any) -> Any:
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self) -> str:
        mode = getattr(self.interpolation, "value", self.interpolation)
        return f"Resize(size={self.size}, interpolation={mode}, max_size={self.max_size}, antialias={self.antialias})"


class CenterCrop:
    """The central ``size`` window (zero-padded when the image is smaller)."""

    def __init__(self, size: int | Sequence[int]) -> None:
        self.size = _pair(size, "CenterCrop")

    def __call__(self, img: Any) -> Any:
        return F.center_crop(img, self.size)

    def __repr__(self) -> str:
        return f"CenterCrop(size={self.size})"


class Pad:
    """Pad every side (an int), left/right and top/bottom (2 ints), or each side (4 ints: l, t, r, b)."""

    def __init__(self, padding: int | Sequence[int], fill: float = 0, padding_mode: str = "constant") -> None:
        F._pad_widths(padding)  # checks the form now
        self.padding, self.fill, self.padding_mode = padding, fill, padding_mode

    def __call__(self, img: Any) -> Any:
        return F.pad(img, self.padding, self.fill, self.padding_mode)

    def __repr__(self) -> str:
        return f"Pad(padding={self.padding}, fill={self.fill}, padding_mode={self.padding_mode})"


class RandomCrop:
    """A ``size`` window at a uniformly random position, after optional ``padding``.

    Args:
        size: (h, w) or an int.
        padding: pixels added first (as :class:`Pad`).
        pad_if_needed: pad the image up to ``size`` when it is smaller (else an error).
        fill, padding_mode: as :class:`Pad`.
        generator: a ``numpy.random.Generator`` (None: the module generator).
    """

    def __init__(self, size: int | Sequence[int], padding: int | Sequence[int] | None = None,
                 pad_if_needed: bool = False, fill: float = 0, padding_mode: str = "constant",
                 generator: np.random.Generator | None = None) -> None:
        self.size = _pair(size, "RandomCrop")
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode
        self.generator = generator

    def get_params(self, img: Any) -> tuple[int, int, int, int]:
        """(top, left, height, width) of a random window."""
        height, width = F.get_size(img)
        out_h, out_w = self.size
        if height < out_h or width < out_w:
            raise ValueError(f"RandomCrop: required crop size {(out_h, out_w)} is larger than input image size "
                             f"{(height, width)}")
        rng = resolve_rng(self.generator)
        return int(rng.integers(0, height - out_h + 1)), int(rng.integers(0, width - out_w + 1)), out_h, out_w

    def __call__(self, img: Any) -> Any:
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        height, width = F.get_size(img)
        out_h, out_w = self.size
        if self.pad_if_needed and (width < out_w or height < out_h):
            extra_w, extra_h = max(out_w - width, 0), max(out_h - height, 0)
            img = F.pad(img, [extra_w, extra_h], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img))

    def __repr__(self) -> str:
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirror left-right with probability ``p``."""

    def __init__(self, p: float = 0.5, generator: np.random.Generator | None = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"RandomHorizontalFlip: p must be in [0, 1], got {p}")
        self.p, self.generator = p, generator

    def __call__(self, img: Any) -> Any:
        return F.hflip(img) if resolve_rng(self.generator).random() < self.p else img

    def __repr__(self) -> str:
        return f"RandomHorizontalFlip(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirror top-bottom with probability ``p``."""

    def __call__(self, img: Any) -> Any:
        return F.vflip(img) if resolve_rng(self.generator).random() < self.p else img

    def __repr__(self) -> str:
        return f"RandomVerticalFlip(p={self.p})"


class Grayscale:
    """RGB to gray (``0.2989 R + 0.587 G + 0.114 B``), as 1 or 3 channels."""

    def __init__(self, num_output_channels: int = 1) -> None:
        self.num_output_channels = num_output_channels

    def __call__(self, img: Any) -> Any:
        return F.rgb_to_grayscale(img, self.num_output_channels)

    def __repr__(self) -> str:
        return f"Grayscale(num_output_channels={self.num_output_channels})"


class Lambda:
    """Any function as a transform."""

    def __init__(self, lambd: Callable[[Any], Any]) -> None:
        if not callable(lambd):
            raise TypeError(f"Argument lambd should be callable, got {type(lambd).__name__!r}")
        self.lambd = lambd

    def __call__(self, img: Any) -> Any:
        return self.lambd(img)

    def __repr__(self) -> str:
        return "Lambda()"
