"""SVHN (Street View House Numbers, cropped digits) with torchvision's interface.

``SVHN(root, split="train", transform=None, target_transform=None, download=False)`` reads
``root/train_32x32.mat`` (``test_32x32.mat``, ``extra_32x32.mat``): a MATLAB file whose ``X`` is a
uint8 array (32, 32, 3, N) and ``y`` the labels (N, 1), with the digit 0 labelled 10. As
torchvision does, label 10 becomes 0, and ``data`` is kept as (N, 3, 32, 32). Reading the file
needs SciPy (``scipy.io.loadmat``, which only parses data). ``download=True`` fetches the file
with its published MD5.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from glassgrad.data import download as download_module
from glassgrad.vision.datasets.vision_dataset import VisionDataset
from glassgrad.vision.image_backend import array_to_image


class SVHN(VisionDataset):
    """The SVHN digits, as torchvision's ``datasets.SVHN``.

    Args:
        root: the folder holding the ``.mat`` files.
        split: ``"train"``, ``"test"`` or ``"extra"``.
        transform, target_transform: as other data sets.
        download: fetch the split's file (checked by MD5) when it is missing.

    Attributes:
        data: uint8 array (N, 3, 32, 32); labels: int64 array (N,) in [0, 10).
    """

    split_list: ClassVar[dict[str, list[str]]] = {
        "train": ["http://ufldl.stanford.edu/housenumbers/train_32x32.mat", "train_32x32.mat",
                  "e26dedcc434d2e4c54c9b2d4a06d8373"],
        "test": ["http://ufldl.stanford.edu/housenumbers/test_32x32.mat", "test_32x32.mat",
                 "eb5a983be6a315427106f1b164d9cef3"],
        "extra": ["http://ufldl.stanford.edu/housenumbers/extra_32x32.mat", "extra_32x32.mat",
                  "a93ce644f1a588dc4d68dda5feec44a7"],
    }
    opener: Callable[[str, float], Any] | None = None  # tests put a fake here; None means urllib
    download_retries: ClassVar[int] = 3

    def __init__(self, root: str | os.PathLike, split: str = "train", transform: Callable[[Any], Any] | None = None,
                 target_transform: Callable[[Any], Any] | None = None, download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        if split not in self.split_list:
            raise ValueError(f'Unknown value \'{split}\' for argument split. Valid values are '
                             f'{{{", ".join(repr(s) for s in self.split_list)}}}.')
        self.split = split
        self.url, self.filename, self.file_md5 = self.split_list[split]
        path = Path(self.root) / self.filename
        if download:
            self.download()
        if not path.is_file():
            raise RuntimeError(f"Dataset not found or corrupted. You can use download=True to download it "
                               f"(missing: {path})")
        import scipy.io

        mat = scipy.io.loadmat(path)
        images, labels = mat.get("X"), mat.get("y")
        if not isinstance(images, np.ndarray) or images.dtype != np.uint8 or images.ndim != 4 \
                or images.shape[2] != 3 or not isinstance(labels, np.ndarray) or labels.size != images.shape[3]:
            raise RuntimeError(f"{path}: expected X uint8 (H, W, 3, N) and y with N labels")
        self.labels = labels.astype(np.int64).reshape(-1)
        self.labels[self.labels == 10] = 0
        self.data = np.ascontiguousarray(images.transpose(3, 2, 0, 1))  # (N, 3, H, W)

    def download(self) -> None:
        """Fetch the split's file into ``root`` (checked by its MD5) unless it is there."""
        download_module.fetch(self.url, Path(self.root) / self.filename, md5=self.file_md5,
                              opener=type(self).opener, retries=self.download_retries)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        return self._apply(array_to_image(self.data[index].transpose(1, 2, 0)), int(self.labels[index]))

    def extra_repr(self) -> str:
        return f"Split: {self.split}"
