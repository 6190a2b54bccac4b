"""CIFAR-10 and CIFAR-100 with torchvision's interface, read from the "python version" batches.

``CIFAR10(root, train=True, transform=None, target_transform=None, download=False)`` reads
torchvision's layout::

    root/cifar-10-batches-py/data_batch_1 ... data_batch_5, test_batch, batches.meta
    root/cifar-100-python/train, test, meta

Each batch is a pickled dict: ``data`` a uint8 array (N, 3072) holding each image's red,
green and blue planes of 32 x 32 pixels one after the other, ``labels`` (CIFAR-100:
``fine_labels``) a list of N ints. The files are read by
:func:`glassgrad.vision.datasets.safe_pickle.load_pickle`, which runs nothing from them.

``download=True`` fetches the published archive (checked by its MD5, as torchvision lists
it) with :func:`glassgrad.data.download.fetch` and unpacks it into ``root``. Where torchvision
also checks every unpacked file's MD5, glassgrad checks each file's structure instead (shapes,
dtype, label range), so a smaller archive in CIFAR's format (a test's, a subset) loads too.

``ds[i]`` is ``(image, target)``: a 32 x 32 RGB image (a PIL image, or a uint8 array
(32, 32, 3) with the numpy image backend; see :mod:`glassgrad.vision.image_backend`) and an int.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from glassgrad.data import download as download_module
from glassgrad.vision.datasets.archive import extract_archive
from glassgrad.vision.datasets.safe_pickle import load_pickle
from glassgrad.vision.datasets.vision_dataset import VisionDataset
from glassgrad.vision.image_backend import array_to_image

IMAGE_VALUES = 3 * 32 * 32  # one row of ``data``: the R, G and B planes of a 32 x 32 image


class CIFAR10(VisionDataset):
    """The CIFAR-10 images (50k training, 10k test, 10 classes), as torchvision's ``datasets.CIFAR10``.

    Args:
        root: the folder holding ``cifar-10-batches-py`` (or where the download puts it).
        train: the training batches (True) or the test batch (False).
        transform: applied to each image.
        target_transform: applied to each label (an int).
        download: fetch and unpack the archive when the batches are not all there.

    Attributes:
        data: uint8 array (N, 32, 32, 3), the images in height, width, channel order.
        targets: list of N ints.
        classes: the class names (from the meta file); class_to_idx: name -> index.
    """

    base_folder = "cifar-10-batches-py"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    filename = "cifar-10-python.tar.gz"
    tgz_md5 = "c58f30108f718f92721af3b95e74349a"
    train_list: ClassVar[list[list[str]]] = [
        ["data_batch_1", "c99cafc152244af753f735de768cd75f"],
        ["data_batch_2", "d4bba439e000b95fd0a9bffe97cbabec"],
        ["data_batch_3", "54ebc095f3ab1f0389bbae665268c751"],
        ["data_batch_4", "634d18415352ddfa80567beed471001a"],
        ["data_batch_5", "482c414d41f54cd18b22e5b47cb7c3cb"],
    ]
    test_list: ClassVar[list[list[str]]] = [["test_batch", "40351d587109b95175f43aff81a1287e"]]
    meta: ClassVar[dict[str, str]] = {"filename": "batches.meta", "key": "label_names",
                                      "md5": "5ff9c542aee3614f3951f8cda6e48888"}
    label_key = "labels"
    num_classes = 10
    opener: Callable[[str, float], Any] | None = None  # tests put a fake here; None means urllib
    download_retries: ClassVar[int] = 3

    def __init__(self, root: str | os.PathLike, train: bool = True, transform: Callable[[Any], Any] | None = None,
                 target_transform: Callable[[Any], Any] | None = None, download: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        self.train = train
        if download:
            self.download()
        if self._missing():
            raise RuntimeError(f"Dataset not found or corrupted. You can use download=True to download it "
                               f"(missing in {self.folder}: {', '.join(self._missing())})")
        images, targets = [], []
        for name, _ in self.train_list if train else self.test_list:
            batch_images, batch_labels = self._read_batch(self.folder / name)
            images.append(batch_images)
            targets.extend(batch_labels)
        self.data = np.ascontiguousarray(np.concatenate(images).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        self.targets: list[int] = targets
        self._load_meta()

    @property
    def folder(self) -> Path:
        return Path(self.root) / self.base_folder

    def _missing(self) -> list[str]:
        names = [name for name, _ in self.train_list + self.test_list] + [self.meta["filename"]]
        return [name for name in names if not (self.folder / name).is_file()]

    def _read_batch(self, path: Path) -> tuple[np.ndarray, list[int]]:
        """(data (N, 3072) uint8, labels) of one batch file, after checking its structure."""
        entry = load_pickle(path)
        if not isinstance(entry, dict) or "data" not in entry:
            raise RuntimeError(f"{path}: not a CIFAR batch (expected a dict with 'data' and '{self.label_key}')")
        data, labels = entry["data"], entry.get(self.label_key, entry.get("labels"))
        if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 \
                or data.shape[1] != IMAGE_VALUES:
            found = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
            raise RuntimeError(f"{path}: 'data' must be a uint8 array (N, {IMAGE_VALUES}), found {found}")
        if not isinstance(labels, list | tuple | np.ndarray) or len(labels) != len(data):
            raise RuntimeError(f"{path}: expected {len(data)} labels under '{self.label_key}'")
        labels = [int(y) for y in labels]
        if any(not 0 <= y < self.num_classes for y in labels):
            raise RuntimeError(f"{path}: labels must lie in [0, {self.num_classes})")
        return data, labels

    def _load_meta(self) -> None:
        path = self.folder / self.meta["filename"]
        meta = load_pickle(path)
        names = meta.get(self.meta["key"]) if isinstance(meta, dict) else None
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise RuntimeError(f"{path}: expected a list of class names under '{self.meta['key']}'")
        self.classes: list[str] = names
        self.class_to_idx = {name: i for i, name in enumerate(names)}

    def download(self) -> None:
        """Fetch the archive into ``root`` (checked by its MD5) and unpack it there, unless the batches are there."""
        if not self._missing():
            return
        archive = download_module.fetch(self.url, Path(self.root) / self.filename, md5=self.tgz_md5,
                                        opener=type(self).opener, retries=self.download_retries)
        extract_archive(archive, self.root)

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        return self._apply(array_to_image(self.data[index]), self.targets[index])

    def extra_repr(self) -> str:
        return f"Split: {'Train' if self.train else 'Test'}"


class CIFAR100(CIFAR10):
    """CIFAR-100: the same images' format with 100 classes (``fine_labels``; ``root/cifar-100-python``)."""

    base_folder = "cifar-100-python"
    url = "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz"
    filename = "cifar-100-python.tar.gz"
    tgz_md5 = "eb9058c3a382ffc7106e4002c42a8d85"
    train_list: ClassVar[list[list[str]]] = [["train", "16019d7e3df5f24257cddd939b257f8d"]]
    test_list: ClassVar[list[list[str]]] = [["test", "f0ef6b0ae62326f3e7ffdfab6717acfc"]]
    meta: ClassVar[dict[str, str]] = {"filename": "meta", "key": "fine_label_names",
                                      "md5": "7973b15100ade9c7d40fb424638fde48"}
    label_key = "fine_labels"
    num_classes = 100
