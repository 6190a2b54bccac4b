"""Random colour augmentation: ColorJitter, GaussianBlur, RandomGrayscale and the ``p``-gated point
operations (RandomInvert, RandomPosterize, RandomSolarize, RandomAdjustSharpness, RandomAutocontrast,
RandomEqualize), as torchvision's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad.random import resolve_rng
from glassgrad.vision.transforms import functional as F
from glassgrad.vision.transforms.arguments import setup_size


def _check_p(p: float, name: str) -> float:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name}: p must be in [0, 1], got {p}")
    return p


class ColorJitter:
    """Random brightness, contrast, saturation and hue, applied in a random order.

    Each of brightness, contrast, saturation is a number ``v`` (factor uniform in
    [max(0, 1 - v), 1 + v]) or a range (min, max); hue is ``h`` in [0, 0.5] (shift uniform in
    [-h, h]) or a range inside [-0.5, 0.5]. A factor that can only be 1 (hue: 0) is skipped.
    """

    def __init__(self, brightness: Any = 0, contrast: Any = 0, saturation: Any = 0, hue: Any = 0,
                 generator: Any = None) -> None:
        self.brightness = self._check_input(brightness, "brightness")
        self.contrast = self._check_input(contrast, "contrast")
        self.saturation = self._check_input(saturation, "saturation")
        self.hue = self._check_input(hue, "hue", center=0, bound=(-0.5, 0.5), clip_first_on_zero=False)
        self.generator = generator

    @staticmethod
    def _check_input(value: Any, name: str, center: float = 1, bound: tuple[float, float] = (0, float("inf")),
                     clip_first_on_zero: bool = True) -> tuple[float, float] | None:
        if isinstance(value, int | float):
            if value < 0:
                raise ValueError(f"If {name} is a single number, it must be non negative.")
            value = [center - float(value), center + float(value)]
            if clip_first_on_zero:
                value[0] = max(value[0], 0.0)
        elif isinstance(value, tuple | list) and len(value) == 2:
            value = [float(value[0]), float(value[1])]
        else:
            raise TypeError(f"{name} should be a single number or a list/tuple with length 2.")
        if not bound[0] <= value[0] <= value[1] <= bound[1]:
            raise ValueError(f"{name} values should be between {bound}, but got {value}.")
        return None if value[0] == value[1] == center else (value[0], value[1])

    @staticmethod
    def get_params(brightness: Sequence[float] | None, contrast: Sequence[float] | None,
                   saturation: Sequence[float] | None, hue: Sequence[float] | None,
                   generator: Any = None) -> tuple[list[int], float | None, float | None, float | None, float | None]:
        """(the order of the four adjustments, then each factor or None)."""
        rng = resolve_rng(generator)
        order = [int(k) for k in rng.permutation(4)]
        factors = [None if r is None else float(rng.uniform(r[0], r[1])) for r in (brightness, contrast, saturation,
                                                                                    hue)]
        return order, factors[0], factors[1], factors[2], factors[3]

    def __call__(self, img: Any) -> Any:
        order, *factors = self.get_params(self.brightness, self.contrast, self.saturation, self.hue, self.generator)
        adjust = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
        for k in order:
            if factors[k] is not None:
                img = adjust[k](img, factors[k])
        return img

    def __repr__(self) -> str:
        return (f"ColorJitter(brightness={self.brightness}, contrast={self.contrast}, saturation={self.saturation}, "
                f"hue={self.hue})")


class GaussianBlur:
    """Blur with a Gaussian of ``kernel_size`` and a sigma drawn uniformly from ``sigma`` ((min, max) or one value)."""

    def __init__(self, kernel_size: int | Sequence[int], sigma: float | Sequence[float] = (0.1, 2.0),
                 generator: Any = None) -> None:
        self.kernel_size = setup_size(kernel_size, "Kernel size should be a tuple/list of two integers")
        if any(k <= 0 or k % 2 == 0 for k in self.kernel_size):
            raise ValueError("Kernel size value should be an odd and positive number.")
        if isinstance(sigma, int | float):
            if sigma <= 0:
                raise ValueError("If sigma is a single number, it must be positive.")
            sigma = (sigma, sigma)
        elif isinstance(sigma, Sequence) and len(sigma) == 2:
            if not 0.0 < sigma[0] <= sigma[1]:
                raise ValueError("sigma values should be positive and of the form (min, max).")
        else:
            raise ValueError("sigma should be a single number or a list/tuple with length 2.")
        self.sigma, self.generator = sigma, generator

    @staticmethod
    def get_params(sigma_min: float, sigma_max: float, generator: Any = None) -> float:
        return float(resolve_rng(generator).uniform(sigma_min, sigma_max))

    def __call__(self, img: Any) -> Any:
        sigma = self.get_params(self.sigma[0], self.sigma[1], self.generator)
        return F.gaussian_blur(img, list(self.kernel_size), [sigma, sigma])

    def __repr__(self) -> str:
        return f"GaussianBlur(kernel_size={self.kernel_size}, sigma={self.sigma})"


class _RandomPointOp:
    """Apply ``self.apply(img)`` with probability ``p``."""

    def __init__(self, p: float = 0.5, generator: Any = None) -> None:
        self.p, self.generator = _check_p(p, type(self).__name__), generator

    def apply(self, img: Any) -> Any:  # pragma: no cover (each subclass defines it)
        raise NotImplementedError

    def __call__(self, img: Any) -> Any:
        return self.apply(img) if resolve_rng(self.generator).random() < self.p else img

    def __repr__(self) -> str:
        return f"{type(self).__name__}(p={self.p})"


class RandomGrayscale(_RandomPointOp):
    """Grey (keeping the channel count) with probability ``p`` (default 0.1)."""

    def __init__(self, p: float = 0.1, generator: Any = None) -> None:
        super().__init__(p, generator)

    def apply(self, img: Any) -> Any:
        return F.rgb_to_grayscale(img, num_output_channels=F.get_dimensions(img)[0])


class RandomInvert(_RandomPointOp):
    """``invert`` with probability ``p``."""

    def apply(self, img: Any) -> Any:
        return F.invert(img)


class RandomAutocontrast(_RandomPointOp):
    """``autocontrast`` with probability ``p``."""

    def apply(self, img: Any) -> Any:
        return F.autocontrast(img)


class RandomEqualize(_RandomPointOp):
    """``equalize`` with probability ``p``."""

    def apply(self, img: Any) -> Any:
        return F.equalize(img)


class RandomPosterize(_RandomPointOp):
    """``posterize(bits)`` with probability ``p``."""

    def __init__(self, bits: int, p: float = 0.5, generator: Any = None) -> None:
        super().__init__(p, generator)
        self.bits = bits

    def apply(self, img: Any) -> Any:
        return F.posterize(img, self.bits)


class RandomSolarize(_RandomPointOp):
    """``solarize(threshold)`` with probability ``p``."""

    def __init__(self, threshold: float, p: float = 0.5, generator: Any = None) -> None:
        super().__init__(p, generator)
        self.threshold = threshold

    def apply(self, img: Any) -> Any:
        return F.solarize(img, self.threshold)


class RandomAdjustSharpness(_RandomPointOp):
    """``adjust_sharpness(sharpness_factor)`` with probability ``p``."""

    def __init__(self, sharpness_factor: float, p: float = 0.5, generator: Any = None) -> None:
        super().__init__(p, generator)
        self.sharpness_factor = sharpness_factor

    def apply(self, img: Any) -> Any:
        return F.adjust_sharpness(img, self.sharpness_factor)
