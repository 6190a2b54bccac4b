"""Transforms as callable objects (torchvision's classes), chained with ``Compose``.

The usual pipelines::

    Compose([ToTensor(), Normalize((0.1307,), (0.3081,))])              # MNIST
    Compose([RandomCrop(32, padding=4), RandomHorizontalFlip(), ToTensor(),
             Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))])  # CIFAR training

Each takes a PIL image, an image array (H, W[, C]) or a Tensor (..., C, H, W), as its functional
counterpart in :mod:`glassgrad.vision.transforms.functional`. Random transforms draw from
glassgrad's module generator (``glassgrad.manual_seed``; each DataLoader worker seeds its own),
or from the ``generator`` given to them. The random ones live in ``random_*.py`` and
``autoaugment.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from glassgrad.random import resolve_rng
from glassgrad.vision.transforms import functional as F
from glassgrad.vision.transforms.arguments import setup_size
from glassgrad.vision.transforms.geometry import pad_widths
from glassgrad.vision.transforms.interpolation import InterpolationMode, to_mode


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
    """PIL image or array (H, W[, C]) -> Tensor (C, H, W); uint8 0..255 becomes float 0..1."""

    def __call__(self, pic: Any) -> Any:
        return F.to_tensor(pic)

    def __repr__(self) -> str:
        return "ToTensor()"


class PILToTensor:
    """PIL image -> Tensor (C, H, W) of the same dtype, not rescaled."""

    def __call__(self, pic: Any) -> Any:
        return F.pil_to_tensor(pic)

    def __repr__(self) -> str:
        return "PILToTensor()"


class ToPILImage:
    """Tensor (C, H, W) or array (H, W[, C]) -> PIL image (``mode`` as PIL's, else read from the data)."""

    def __init__(self, mode: str | None = None) -> None:
        self.mode = mode

    def __call__(self, pic: Any) -> Any:
        return F.to_pil_image(pic, self.mode)

    def __repr__(self) -> str:
        return "ToPILImage()" if self.mode is None else f"ToPILImage(mode={self.mode})"


class ConvertImageDtype:
    """A Tensor image to ``dtype``, its values rescaled (see ``functional.convert_image_dtype``)."""

    def __init__(self, dtype: Any) -> None:
        self.dtype = dtype

    def __call__(self, image: Any) -> Any:
        return F.convert_image_dtype(image, self.dtype)

    def __repr__(self) -> str:
        return f"ConvertImageDtype(dtype={self.dtype})"


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
        interpolation: an ``InterpolationMode`` (default BILINEAR), a Pillow constant or a mode's name.
        max_size: cap for the longer edge when ``size`` is an int.
        antialias: smooth when shrinking a tensor (default True, as torchvision); PIL images always are.
    """

    def __init__(self, size: int | Sequence[int], interpolation: Any = InterpolationMode.BILINEAR,
                 max_size: int | None = None, antialias: bool | None = True) -> None:
        if not isinstance(size, int | Sequence) or (isinstance(size, Sequence) and len(size) not in (1, 2)):
            raise TypeError(f"Size should be int or sequence. Got {type(size).__name__}")
        self.size, self.max_size, self.antialias = size, max_size, antialias
        self.interpolation = to_mode(interpolation)

    def __call__(self, img: Any) -> Any:
        return F.resize(img, self.size, self.interpolation, self.max_size, self.antialias)

    def __repr__(self) -> str:
        return (f"Resize(size={self.size}, interpolation={self.interpolation.value}, max_size={self.max_size}, "
                f"antialias={self.antialias})")


class CenterCrop:
    """The central ``size`` window (zero-padded when the image is smaller)."""

    def __init__(self, size: int | Sequence[int]) -> None:
        self.size = setup_size(size, "Please provide only two dimensions (h, w) for size.")

    def __call__(self, img: Any) -> Any:
        return F.center_crop(img, self.size)

    def __repr__(self) -> str:
        return f"CenterCrop(size={self.size})"


class Pad:
    """Pad every side (an int), left/right and top/bottom (2 ints), or each side (4 ints: l, t, r, b)
    with ``fill`` ('constant') or by 'edge', 'reflect' or 'symmetric' ``padding_mode``."""

    def __init__(self, padding: int | Sequence[int], fill: Any = 0, padding_mode: str = "constant") -> None:
        pad_widths(padding)  # checks the form now
        if padding_mode not in ("constant", "edge", "reflect", "symmetric"):
            raise ValueError("Padding mode should be either constant, edge, reflect or symmetric")
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
        generator: a ``numpy.random.Generator`` or ``glassgrad.Generator`` (None: the module generator).
    """

    def __init__(self, size: int | Sequence[int], padding: int | Sequence[int] | None = None,
                 pad_if_needed: bool = False, fill: Any = 0, padding_mode: str = "constant",
                 generator: Any = None) -> None:
        self.size = setup_size(size, "Please provide only two dimensions (h, w) for size.")
        self.padding, self.pad_if_needed, self.fill, self.padding_mode = padding, pad_if_needed, fill, padding_mode
        self.generator = generator

    @staticmethod
    def get_params(img: Any, output_size: Sequence[int], generator: Any = None) -> tuple[int, int, int, int]:
        """(top, left, height, width) of a random ``output_size`` window inside ``img``."""
        height, width = F.get_size(img)
        out_h, out_w = output_size
        if height < out_h or width < out_w:
            raise ValueError(f"Required crop size {(out_h, out_w)} is larger than input image size {(height, width)}")
        if (height, width) == (out_h, out_w):
            return 0, 0, height, width
        rng = resolve_rng(generator)
        return int(rng.integers(0, height - out_h + 1)), int(rng.integers(0, width - out_w + 1)), out_h, out_w

    def __call__(self, img: Any) -> Any:
        if self.padding is not None:
            img = F.pad(img, self.padding, self.fill, self.padding_mode)
        height, width = F.get_size(img)
        out_h, out_w = self.size
        if self.pad_if_needed and width < out_w:
            img = F.pad(img, [out_w - width, 0], self.fill, self.padding_mode)
        if self.pad_if_needed and height < out_h:
            img = F.pad(img, [0, out_h - height], self.fill, self.padding_mode)
        return F.crop(img, *self.get_params(img, self.size, self.generator))

    def __repr__(self) -> str:
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomHorizontalFlip:
    """Mirror left-right with probability ``p``."""

    def __init__(self, p: float = 0.5, generator: Any = None) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"{type(self).__name__}: p must be in [0, 1], got {p}")
        self.p, self.generator = p, generator

    def __call__(self, img: Any) -> Any:
        return F.hflip(img) if resolve_rng(self.generator).random() < self.p else img

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class RandomVerticalFlip(RandomHorizontalFlip):
    """Mirror top-bottom with probability ``p``."""

    def __call__(self, img: Any) -> Any:
        return F.vflip(img) if resolve_rng(self.generator).random() < self.p else img


class Grayscale:
    """RGB to grey (``0.2989 R + 0.587 G + 0.114 B``), as 1 or 3 channels."""

    def __init__(self, num_output_channels: int = 1) -> None:
        self.num_output_channels = num_output_channels

    def __call__(self, img: Any) -> Any:
        return F.rgb_to_grayscale(img, self.num_output_channels)

    def __repr__(self) -> str:
        return f"Grayscale(num_output_channels={self.num_output_channels})"


class FiveCrop:
    """The four corner crops and the centre crop of ``size``, as a tuple."""

    def __init__(self, size: int | Sequence[int]) -> None:
        self.size = setup_size(size, "Please provide only two dimensions (h, w) for size.")

    def __call__(self, img: Any) -> tuple[Any, ...]:
        return F.five_crop(img, self.size)

    def __repr__(self) -> str:
        return f"FiveCrop(size={self.size})"


class TenCrop(FiveCrop):
    """:class:`FiveCrop` of the image and of its mirror image (``vertical_flip``: top-bottom)."""

    def __init__(self, size: int | Sequence[int], vertical_flip: bool = False) -> None:
        super().__init__(size)
        self.vertical_flip = vertical_flip

    def __call__(self, img: Any) -> tuple[Any, ...]:
        return F.ten_crop(img, self.size, self.vertical_flip)

    def __repr__(self) -> str:
        return f"TenCrop(size={self.size}, vertical_flip={self.vertical_flip})"


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


