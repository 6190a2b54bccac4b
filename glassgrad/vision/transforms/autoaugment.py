"""AutoAugment (Cubuk et al. 2019, "AutoAugment: Learning Augmentation Policies from Data").

A *policy* is a list of 25 sub-policies learned on a data set (ImageNet, CIFAR-10, SVHN); each
sub-policy is two operations ``(name, probability, magnitude bin)``. Per image, one sub-policy
is drawn uniformly, and each of its two operations runs with its probability. A magnitude bin
0..9 indexes 10 evenly spaced strengths of the operation (e.g. rotations of 0..30 degrees);
"signed" operations (shears, translations, rotations, the enhancements) go either way with equal
chance. The published policies are transcribed below as ``"Op:prob:bin Op:prob:bin"`` lines
(bin ``-`` for operations without a magnitude).
"""

from __future__ import annotations

import enum
import math
from typing import Any

import numpy as np

from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor
from glassgrad.vision.transforms import functional as F
from glassgrad.vision.transforms.arguments import tensor_fill
from glassgrad.vision.transforms.interpolation import InterpolationMode, to_mode
from glassgrad.vision.transforms.warp import linspace


class AutoAugmentPolicy(enum.Enum):
    """The data sets the published policies were learned on."""

    IMAGENET = "imagenet"
    CIFAR10 = "cifar10"
    SVHN = "svhn"


_POLICIES = {
    AutoAugmentPolicy.IMAGENET: """
        Posterize:0.4:8 Rotate:0.6:9 | Solarize:0.6:5 AutoContrast:0.6:- | Equalize:0.8:- Equalize:0.6:-
        Posterize:0.6:7 Posterize:0.6:6 | Equalize:0.4:- Solarize:0.2:4 | Equalize:0.4:- Rotate:0.8:8
        Solarize:0.6:3 Equalize:0.6:- | Posterize:0.8:5 Equalize:1.0:- | Rotate:0.2:3 Solarize:0.6:8
        Equalize:0.6:- Posterize:0.4:6 | Rotate:0.8:8 Color:0.4:0 | Rotate:0.4:9 Equalize:0.6:-
        Equalize:0.0:- Equalize:0.8:- | Invert:0.6:- Equalize:1.0:- | Color:0.6:4 Contrast:1.0:8
        Rotate:0.8:8 Color:1.0:2 | Color:0.8:8 Solarize:0.8:7 | Sharpness:0.4:7 Invert:0.6:-
        ShearX:0.6:5 Equalize:1.0:- | Color:0.4:0 Equalize:0.6:- | Equalize:0.4:- Solarize:0.2:4
        Solarize:0.6:5 AutoContrast:0.6:- | Invert:0.6:- Equalize:1.0:- | Color:0.6:4 Contrast:1.0:8
        Equalize:0.8:- Equalize:0.6:-""",
    AutoAugmentPolicy.CIFAR10: """
        Invert:0.1:- Contrast:0.2:6 | Rotate:0.7:2 TranslateX:0.3:9 | Sharpness:0.8:1 Sharpness:0.9:3
        ShearY:0.5:8 TranslateY:0.7:9 | AutoContrast:0.5:- Equalize:0.9:- | ShearY:0.2:7 Posterize:0.3:7
        Color:0.4:3 Brightness:0.6:7 | Sharpness:0.3:9 Brightness:0.7:9 | Equalize:0.6:- Equalize:0.5:-
        Contrast:0.6:7 Sharpness:0.6:5 | Color:0.7:7 TranslateX:0.5:8 | Equalize:0.3:- AutoContrast:0.4:-
        TranslateY:0.4:3 Sharpness:0.2:6 | Brightness:0.9:6 Color:0.2:8 | Solarize:0.5:2 Invert:0.0:-
        Equalize:0.2:- AutoContrast:0.6:- | Equalize:0.2:- Equalize:0.6:- | Color:0.9:9 Equalize:0.6:-
        AutoContrast:0.8:- Solarize:0.2:8 | Brightness:0.1:3 Color:0.7:0 | Solarize:0.4:5 AutoContrast:0.9:-
        TranslateY:0.9:9 TranslateY:0.7:9 | AutoContrast:0.9:- Solarize:0.8:3 | Equalize:0.8:- Invert:0.1:-
        TranslateY:0.7:9 AutoContrast:0.9:-""",
    AutoAugmentPolicy.SVHN: """
        ShearX:0.9:4 Invert:0.2:- | ShearY:0.9:8 Invert:0.7:- | Equalize:0.6:- Solarize:0.6:6
        Invert:0.9:- Equalize:0.6:- | Equalize:0.6:- Rotate:0.9:3 | ShearX:0.9:4 AutoContrast:0.8:-
        ShearY:0.9:8 Invert:0.4:- | ShearY:0.9:5 Solarize:0.2:6 | Invert:0.9:- AutoContrast:0.8:-
        Equalize:0.6:- Rotate:0.9:3 | ShearX:0.9:4 Solarize:0.3:3 | ShearY:0.8:8 Invert:0.7:-
        Equalize:0.9:- TranslateY:0.6:6 | Invert:0.9:- Equalize:0.6:- | Contrast:0.3:3 Rotate:0.8:4
        Invert:0.8:- TranslateY:0.0:2 | ShearY:0.7:6 Solarize:0.4:8 | Invert:0.6:- Rotate:0.8:4
        ShearY:0.3:7 TranslateX:0.9:3 | ShearX:0.1:6 Invert:0.6:- | Solarize:0.7:2 TranslateY:0.6:7
        ShearY:0.8:4 Invert:0.8:- | ShearX:0.7:9 TranslateY:0.8:3 | ShearY:0.8:5 AutoContrast:0.7:-
        ShearX:0.7:2 Invert:0.1:-""",
}

SubPolicy = tuple[tuple[str, float, int | None], tuple[str, float, int | None]]


def _parse(text: str) -> list[SubPolicy]:
    """The ``"Op:prob:bin Op:prob:bin | ..."`` text as a list of sub-policies."""
    policies = []
    for chunk in text.replace("\n", "|").split("|"):
        if chunk.strip():
            ops = tuple((name, float(p), None if b == "-" else int(b))
                        for name, p, b in (op.split(":") for op in chunk.split()))
            policies.append(ops)
    return policies  # type: ignore[return-value]


def augmentation_space(num_bins: int, height: int, width: int) -> dict[str, tuple[np.ndarray, bool]]:
    """Each operation's magnitudes (float32, as torchvision's) and whether it is signed."""
    def bins(stop: float, start: float = 0.0) -> np.ndarray:
        return linspace(start, stop, num_bins)

    posterize = 8 - np.round(np.arange(num_bins) / ((num_bins - 1) / 4)).astype(np.int64)
    return {"ShearX": (bins(0.3), True), "ShearY": (bins(0.3), True),
            "TranslateX": (bins(150.0 / 331.0 * width), True), "TranslateY": (bins(150.0 / 331.0 * height), True),
            "Rotate": (bins(30.0), True), "Brightness": (bins(0.9), True), "Color": (bins(0.9), True),
            "Contrast": (bins(0.9), True), "Sharpness": (bins(0.9), True), "Posterize": (posterize, False),
            "Solarize": (bins(0.0, 255.0), False), "AutoContrast": (np.zeros(1), False),
            "Equalize": (np.zeros(1), False), "Invert": (np.zeros(1), False)}


def apply_op(img: Any, op_name: str, magnitude: float, interpolation: InterpolationMode, fill: Any) -> Any:
    """One AutoAugment operation at strength ``magnitude``."""
    shear_degrees = math.degrees(math.atan(magnitude))
    geometric = {
        "ShearX": lambda: F.affine(img, 0.0, [0, 0], 1.0, [shear_degrees, 0.0], interpolation, fill, center=[0, 0]),
        "ShearY": lambda: F.affine(img, 0.0, [0, 0], 1.0, [0.0, shear_degrees], interpolation, fill, center=[0, 0]),
        "TranslateX": lambda: F.affine(img, 0.0, [int(magnitude), 0], 1.0, [0.0, 0.0], interpolation, fill),
        "TranslateY": lambda: F.affine(img, 0.0, [0, int(magnitude)], 1.0, [0.0, 0.0], interpolation, fill),
        "Rotate": lambda: F.rotate(img, magnitude, interpolation, fill=fill),
    }
    if op_name in geometric:
        return geometric[op_name]()
    enhance = {"Brightness": F.adjust_brightness, "Color": F.adjust_saturation, "Contrast": F.adjust_contrast,
               "Sharpness": F.adjust_sharpness}
    if op_name in enhance:
        return enhance[op_name](img, 1.0 + magnitude)
    if op_name == "Posterize":
        return F.posterize(img, int(magnitude))
    if op_name == "Solarize":
        return F.solarize(img, magnitude)
    plain = {"AutoContrast": F.autocontrast, "Equalize": F.equalize, "Invert": F.invert, "Identity": lambda x: x}
    if op_name in plain:
        return plain[op_name](img)
    raise ValueError(f"The provided operator {op_name} is not recognized.")


class AutoAugment:
    """AutoAugment with one of the published policies (``AutoAugmentPolicy``).

    Args:
        policy: IMAGENET (default), CIFAR10 or SVHN.
        interpolation: for the geometric operations (NEAREST by default).
        fill: the colour that fills pixels coming from outside the image.
        generator: as :class:`RandomCrop`.

    Takes PIL images, image arrays and uint8 Tensors (Posterize and Equalize need uint8).
    """

    def __init__(self, policy: AutoAugmentPolicy = AutoAugmentPolicy.IMAGENET,
                 interpolation: Any = InterpolationMode.NEAREST, fill: Any = None, generator: Any = None) -> None:
        if not isinstance(policy, AutoAugmentPolicy):
            raise ValueError(f"The provided policy {policy} is not recognized.")
        self.policy, self.interpolation, self.fill = policy, to_mode(interpolation), fill
        self.policies = _parse(_POLICIES[policy])
        self.generator = generator

    @staticmethod
    def get_params(transform_num: int, generator: Any = None) -> tuple[int, np.ndarray, np.ndarray]:
        """(sub-policy index, two uniform draws that gate its operations, two signs (0: negative, 1: positive))."""
        rng = resolve_rng(generator)
        return int(rng.integers(transform_num)), rng.random(2), rng.integers(0, 2, size=2)

    def __call__(self, img: Any) -> Any:
        channels, height, width = F.get_dimensions(img)
        fill = tensor_fill(self.fill, channels) if isinstance(img, Tensor) and self.fill is not None else self.fill
        policy_id, probs, signs = self.get_params(len(self.policies), self.generator)
        space = augmentation_space(10, height, width)
        for k, (op_name, p, magnitude_id) in enumerate(self.policies[policy_id]):
            if probs[k] <= p:
                magnitudes, signed = space[op_name]
                magnitude = float(magnitudes[magnitude_id]) if magnitude_id is not None else 0.0
                if signed and signs[k] == 0:
                    magnitude = -magnitude
                img = apply_op(img, op_name, magnitude, self.interpolation, fill)
        return img

    def __repr__(self) -> str:
        return f"AutoAugment(policy={self.policy}, fill={self.fill})"
