"""MNIST and Fashion-MNIST with torchvision's interface.

``MNIST(root, train=True, transform=None, target_transform=None, download=False)``
looks for the IDX files (``train-images-idx3-ubyte`` / ``train-labels-idx1-ubyte``,
``t10k-...`` for the test split, ``.gz`` or not), first in torchvision's layout

    root/MNIST/raw/            (root/FashionMNIST/raw/ for Fashion-MNIST)

then where ``glassgrad.data`` looks (``root``, ``root/mnist``, ``$GLASSGRAD_DATA``,
the cache; see ``glassgrad/data/mnist.py``). With ``download=True`` and no files
found, they are fetched with checksums into ``root/MNIST/raw``.

``ds[i]`` is ``(image, label)``: the image is a 28 x 28 grey PIL image, as torchvision's (a uint8
array (28, 28) with the numpy image backend, see :mod:`glassgrad.vision.image_backend`), passed
through ``transform`` (``ToTensor()`` makes it a float Tensor (1, 28, 28) in [0, 1]); the label is an int.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from glassgrad.data import download as download_module
from glassgrad.data.idx import read_idx
from glassgrad.data.mnist import find_files, read_split, search_dirs
from glassgrad.tensor import Tensor
from glassgrad.utils.data.dataset import Dataset
from glassgrad.vision.image_backend import array_to_image


class MNIST(Dataset):
    """The MNIST digits, as torchvision's ``datasets.MNIST``.

    Args:
        root: the folder that holds ``MNIST/raw/`` (or the IDX files themselves); None: the
            other places glassgrad looks.
        train: the 60k training split (True) or the 10k test split (False).
        transform: applied to each image (a PIL image, or a uint8 array (H, W)).
        target_transform: applied to each label (an int).
        download: fetch the files (checksummed) when they are not found.

    Attributes:
        data: the images, uint8 Tensor (N, 28, 28).
        targets: the labels, int64 Tensor (N,).
        classes: the class names.
    """

    glassgrad_name = "mnist"
    mirrors: ClassVar[list[str]] = list(download_module.MNIST_MIRRORS)
    resources: ClassVar[list[download_module.RemoteFile]] = list(download_module.MNIST_FILES)
    classes: ClassVar[list[str]] = ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five",
                                    "6 - six", "7 - seven", "8 - eight", "9 - nine"]
    opener: Callable[[str, float], Any] | None = None  # tests put a fake here; None means urllib
    download_retries: ClassVar[int] = 3  # rounds over all mirrors (see glassgrad.data.download.fetch)

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True,
                 transform: Callable[[Any], Any] | None = None, target_transform: Callable[[Any], Any] | None = None,
                 download: bool = False) -> None:
        self.root = None if root is None else os.path.expanduser(os.fspath(root))
        self.train, self.transform, self.target_transform = train, transform, target_transform
        found = self._find()
        if found is None and download:
            self.download()
            found = self._find()
        if found is None:
            places = ", ".join(str(p) for p in self._places())
            raise RuntimeError(f"{type(self).__name__} {'train' if train else 'test'} files not found in: {places}. "
                               "You can use download=True to download it, pass root=..., or set GLASSGRAD_DATA.")
        images, labels = read_split(*found)
        self.data = Tensor._make(images.astype(np.uint8, copy=False), False)
        self.targets = Tensor._make(labels.astype(np.int64), False)

    @property
    def raw_folder(self) -> Path:
        """``root/<ClassName>/raw``, torchvision's place for the files."""
        from glassgrad.data.download import cache_dir

        base = Path(self.root) if self.root is not None else cache_dir()
        return base / type(self).__name__ / "raw"

    @property
    def class_to_idx(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.classes)}

    def _places(self) -> list[Path]:
        return [self.raw_folder, *search_dirs(self.glassgrad_name, self.root)]

    def _find(self) -> tuple[Path, Path] | None:
        prefix = "train" if self.train else "t10k"
        for ext in (".gz", ""):
            images = self.raw_folder / f"{prefix}-images-idx3-ubyte{ext}"
            labels = self.raw_folder / f"{prefix}-labels-idx1-ubyte{ext}"
            if images.is_file() and labels.is_file():
                return images, labels
        return find_files(self.glassgrad_name, self.train, self.root)

    def download(self) -> None:
        """Fetch the four files into ``raw_folder`` (each checked by checksum and as IDX)."""
        for remote in self.resources:
            download_module.fetch([mirror + remote.name for mirror in self.mirrors], self.raw_folder / remote.name,
                                  sha256=remote.sha256, md5=remote.md5, validate=lambda p: read_idx(p),
                                  opener=type(self).opener, retries=self.download_retries)

    def __len__(self) -> int:
        return int(self.data.shape[0])

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        image = array_to_image(self.data.array[index])  # (28, 28) uint8
        target: Any = int(self.targets.array[index])
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def __repr__(self) -> str:
        lines = [f"Dataset {type(self).__name__}", f"    Number of datapoints: {len(self)}",
                 f"    Root location: {self.root}", f"    Split: {'Train' if self.train else 'Test'}"]
        if self.transform is not None:
            lines.append("    Transform: " + repr(self.transform).replace("\n", "\n    "))
        if self.target_transform is not None:
            lines.append(f"    Target transform: {self.target_transform!r}")
        return "\n".join(lines)


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: the MNIST format, ten kinds of clothing (``root/FashionMNIST/raw``)."""

    glassgrad_name = "fashion-mnist"
    mirrors: ClassVar[list[str]] = list(download_module.FASHION_MIRRORS)
    resources: ClassVar[list[download_module.RemoteFile]] = list(download_module.FASHION_FILES)
    classes: ClassVar[list[str]] = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                                    "Sneaker", "Bag", "Ankle boot"]
