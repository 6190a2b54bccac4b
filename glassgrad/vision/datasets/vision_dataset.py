"""VisionDataset: what torchvision's image data sets share (root, the transforms, the repr)."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from glassgrad.utils.data.dataset import Dataset


class VisionDataset(Dataset):
    """A data set of (image, target) pairs under a ``root`` folder.

    Args:
        root: the folder the data set lives in (``~`` is expanded).
        transforms: a function of (image, target) returning both (instead of the two below).
        transform: applied to each image.
        target_transform: applied to each target.
    """

    _repr_indent = 4

    def __init__(self, root: str | os.PathLike | None = None, transforms: Callable[..., Any] | None = None,
                 transform: Callable[[Any], Any] | None = None,
                 target_transform: Callable[[Any], Any] | None = None) -> None:
        self.root = os.path.expanduser(os.fspath(root)) if root is not None else None
        if transforms is not None and (transform is not None or target_transform is not None):
            raise ValueError("Only transforms or transform/target_transform can be passed as argument")
        self.transform, self.target_transform = transform, target_transform
        self.transforms = transforms

    def _apply(self, image: Any, target: Any) -> tuple[Any, Any]:
        """(image, target) after ``transforms``, or after ``transform`` and ``target_transform``."""
        if self.transforms is not None:
            return self.transforms(image, target)
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        lines = [f"Number of datapoints: {self.__len__()}"]
        if self.root is not None:
            lines.append(f"Root location: {self.root}")
        lines += [line for line in self.extra_repr().splitlines() if line]
        for name, value in (("Transforms", self.transforms), ("Transform", self.transform),
                            ("Target transform", self.target_transform)):
            if value is not None:
                lines.append(f"{name}: " + repr(value).replace("\n", "\n" + " " * self._repr_indent))
        indent = " " * self._repr_indent
        return "\n".join([f"Dataset {type(self).__name__}"] + [indent + line for line in lines])
