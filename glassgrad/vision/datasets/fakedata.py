"""FakeData: random images with random labels, the same ones every time (torchvision's ``FakeData``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from glassgrad.utils.data.dataset import Dataset
from glassgrad.vision.image_backend import array_to_image


class FakeData(Dataset):
    """``size`` random images of ``image_size`` (C, H, W) with labels in [0, num_classes).

    Sample i is drawn from a generator seeded with ``i + random_offset``, so it is the same on
    every access. The image is a PIL image (grey or RGB), or with the numpy image backend a uint8
    array (H, W) for one channel or (H, W, C); ``ToTensor()`` makes it a float Tensor (C, H, W).
    """

    def __init__(self, size: int = 1000, image_size: Sequence[int] = (3, 224, 224), num_classes: int = 10,
                 transform: Callable[[Any], Any] | None = None, target_transform: Callable[[Any], Any] | None = None,
                 random_offset: int = 0) -> None:
        if len(image_size) != 3 or any(int(d) <= 0 for d in image_size):
            raise ValueError(f"FakeData: image_size must be (C, H, W) of positive ints, got {image_size!r}")
        if size < 0 or num_classes < 1:
            raise ValueError(f"FakeData: size must be >= 0 and num_classes >= 1, got {size} and {num_classes}")
        self.size, self.image_size, self.num_classes = int(size), tuple(int(d) for d in image_size), int(num_classes)
        self.transform, self.target_transform, self.random_offset = transform, target_transform, random_offset

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        if not -self.size <= index < self.size:
            raise IndexError(f"{type(self).__name__} index {index} out of range for {self.size} samples")
        index %= self.size
        rng = np.random.default_rng(index + self.random_offset)
        channels, height, width = self.image_size
        image = rng.integers(0, 256, size=(height, width, channels), dtype=np.uint8)
        if channels == 1:
            image = image[:, :, 0]  # (H, W), as a gray PIL image
        target: Any = int(rng.integers(0, self.num_classes))
        image = array_to_image(image)
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def __repr__(self) -> str:
        return f"Dataset FakeData\n    Number of datapoints: {self.size}"
