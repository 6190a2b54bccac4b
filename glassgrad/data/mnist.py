"""MNIST and Fashion-MNIST from local IDX files (or a checked download).

Where the files are looked for, in order (the first folder holding both the
images and the labels file of the split wins; the first of 1-3 that is set is
the *data root*, ``download.data_root``, where a user puts the files):

1. ``root`` and ``root/<name>`` when ``root`` is given;
2. ``$GLASSGRAD_DATA`` and ``$GLASSGRAD_DATA/<name>``;
3. the user cache, ``~/.cache/glassgrad/<name>`` (see ``download.cache_dir``);
4. Fashion-MNIST only: ``/usr/share/datasets/fashion-mnist`` (Debian's package).

``<name>`` is ``mnist`` or ``fashion-mnist``. File names are the classic ones,
``.gz`` or uncompressed: ``train-images-idx3-ubyte`` / ``train-labels-idx1-ubyte``,
``t10k-...`` for the test split; for training, a subset saved as
``train24k-...`` (any ``train<tag>-`` prefix passed as ``subset``) is accepted
when the full file is absent. With ``download=True`` missing files are fetched
with checksums into ``root`` (or the cache).

Result: images (N, 28, 28) float32 in [0, 1] (or uint8 with ``dtype="uint8"``),
labels (N,) int64.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from glassgrad.data.dataset import TensorDataset
from glassgrad.data.download import cache_dir, data_root, download_dataset
from glassgrad.data.idx import read_idx
from glassgrad.data.transforms import to_float

SYSTEM_DIRS = {"fashion-mnist": (Path("/usr/share/datasets/fashion-mnist"),), "mnist": ()}
FASHION_CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
                   "Bag", "Ankle boot")


def search_dirs(name: str, root: str | os.PathLike | None = None) -> list[Path]:
    """The folders searched for data set ``name``, in order."""
    dirs: list[Path] = []
    if root is not None:
        dirs += [Path(root), Path(root) / name]
    env = os.environ.get("GLASSGRAD_DATA")
    if env:
        dirs += [Path(env), Path(env) / name]
    dirs.append(cache_dir() / name)
    dirs += list(SYSTEM_DIRS.get(name, ()))
    return dirs


def _prefixes(train: bool, subset: str | None) -> list[str]:
    if not train:
        return ["t10k"]
    if subset:
        return [subset]
    return ["train", "train24k"]


def find_files(name: str = "mnist", train: bool = True, root: str | os.PathLike | None = None,
               subset: str | None = None) -> tuple[Path, Path] | None:
    """(images path, labels path) of the first folder holding both, or None."""
    for folder in search_dirs(name, root):
        for prefix in _prefixes(train, subset):
            for ext in (".gz", ""):
                images = folder / f"{prefix}-images-idx3-ubyte{ext}"
                labels = folder / f"{prefix}-labels-idx1-ubyte{ext}"
                if images.is_file() and labels.is_file():
                    return images, labels
    return None


def read_split(images_path: Path, labels_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The raw images (N, H, W) uint8 and labels (N,) of one split's two IDX files, checked to match."""
    images = read_idx(images_path, expected_ndim=3)
    labels = read_idx(labels_path, expected_ndim=1)
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{images_path} holds {images.shape[0]} images but {labels_path} holds "
                         f"{labels.shape[0]} labels")
    return images, labels


def load_mnist(root: str | os.PathLike | None = None, train: bool = True, *, name: str = "mnist",
               download: bool = False, dtype: Any = np.float32, flatten: bool = False,
               subset: str | None = None, limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) of one split.

    Args:
        root: folder to look in first (see the module docstring for the search order).
        train: the training split (True) or the 10k test split (False).
        name: ``"mnist"`` or ``"fashion-mnist"``.
        download: fetch the files (checksummed) when they are not found.
        dtype: ``float32`` (pixels / 255, the default), ``float64`` or ``uint8`` (raw).
        flatten: return images as (N, 784) instead of (N, 28, 28).
        subset: file prefix of the training split to use, e.g. ``"train24k"``.
        limit: keep only the first ``limit`` samples.

    Shape:
        images (N, 28, 28) or (N, 784); labels (N,) int64.
    """
    found = find_files(name, train, root, subset)
    if found is None and download:
        download_dataset(name, root)
        found = find_files(name, train, root, subset)
    if found is None:
        places = ", ".join(str(d) for d in search_dirs(name, root))
        raise FileNotFoundError(f"{name} {'train' if train else 'test'} files not found in: {places}. "
                                f"Put them in {data_root(root) / name}, pass root=..., set GLASSGRAD_DATA, "
                                "or use download=True.")
    images, labels = read_split(*found)
    if limit is not None:
        images, labels = images[:limit], labels[:limit]
    if np.dtype(dtype) != np.uint8:
        images = to_float(images, np.dtype(dtype).type)
    if flatten:
        images = images.reshape(images.shape[0], -1)
    return images, labels.astype(np.int64)


class MNIST(TensorDataset):
    """MNIST digits as a TensorDataset of (image, label).

    Args: as :func:`load_mnist` (``root``, ``train``, ``download``, ``dtype``,
        ``flatten``, ``subset``, ``limit``).

    Attributes:
        data: images (N, 28, 28) float32 in [0, 1] (or as asked).
        targets: labels (N,) int64.
        classes: the class names.
    """

    name = "mnist"
    classes: tuple[str, ...] = tuple(str(d) for d in range(10))

    def __init__(self, root: str | os.PathLike | None = None, train: bool = True, download: bool = False, *,
                 dtype: Any = np.float32, flatten: bool = False, subset: str | None = None,
                 limit: int | None = None) -> None:
        self.train = train
        images, labels = load_mnist(root, train, name=self.name, download=download, dtype=dtype,
                                    flatten=flatten, subset=subset, limit=limit)
        super().__init__(images, labels)

    @property
    def data(self) -> np.ndarray:
        return self.arrays[0]

    @property
    def targets(self) -> np.ndarray:
        return self.arrays[1]

    def __repr__(self) -> str:
        split = "train" if self.train else "test"
        return f"{type(self).__name__}({split}, {len(self)} samples, images {self.data.shape} {self.data.dtype})"


class FashionMNIST(MNIST):
    """Fashion-MNIST (Zalando): same format as MNIST, ten clothing classes."""

    name = "fashion-mnist"
    classes = FASHION_CLASSES
