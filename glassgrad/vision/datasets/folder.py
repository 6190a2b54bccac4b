"""DatasetFolder and ImageFolder: one sub-folder per class, as torchvision's.

::

    root/dog/xxx.png
    root/dog/nested/xxy.png
    root/cat/123.png

gives ``classes == ["cat", "dog"]`` (sorted folder names), ``class_to_idx == {"cat": 0, "dog": 1}``
and ``samples``, the (path, class index) of every accepted file, walked in sorted order (following
links). A file is accepted when its name ends with one of ``extensions`` (case-insensitive) or,
instead, when ``is_valid_file(path)`` says so. ``ds[i]`` is ``(transform(loader(path)), target)``.

:func:`default_loader` opens images with Pillow as RGB (a PIL image, or a uint8 array (H, W, 3)
with the numpy image backend).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import numpy as np

from glassgrad.vision.datasets.vision_dataset import VisionDataset
from glassgrad.vision.image_backend import get_image_backend, pil_image_module

IMG_EXTENSIONS = (".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp")


def has_file_allowed_extension(filename: str, extensions: str | tuple[str, ...]) -> bool:
    """True when ``filename`` (lower-cased) ends with one of ``extensions``."""
    return filename.lower().endswith(extensions if isinstance(extensions, str) else tuple(extensions))


def is_image_file(filename: str) -> bool:
    """True for the extensions in :data:`IMG_EXTENSIONS`."""
    return has_file_allowed_extension(filename, IMG_EXTENSIONS)


def find_classes(directory: str | os.PathLike) -> tuple[list[str], dict[str, int]]:
    """The sorted names of the sub-folders of ``directory``, and each one's index."""
    classes = sorted(entry.name for entry in os.scandir(directory) if entry.is_dir())
    if not classes:
        raise FileNotFoundError(f"Couldn't find any class folder in {directory}.")
    return classes, {name: i for i, name in enumerate(classes)}


def make_dataset(directory: str | os.PathLike, class_to_idx: dict[str, int] | None = None,
                 extensions: str | tuple[str, ...] | None = None, is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> list[tuple[str, int]]:
    """(path, class index) of every accepted file under ``directory/<class>/`` (sorted walk).

    Exactly one of ``extensions`` and ``is_valid_file`` must be given. A class with no accepted
    file raises FileNotFoundError unless ``allow_empty``.
    """
    directory = os.path.expanduser(os.fspath(directory))
    if class_to_idx is None:
        _, class_to_idx = find_classes(directory)
    elif not class_to_idx:
        raise ValueError("'class_to_index' must have at least one entry to collect any samples.")
    if (extensions is None) == (is_valid_file is None):
        raise ValueError("Both extensions and is_valid_file cannot be None or not None at the same time")
    accept = is_valid_file if is_valid_file is not None else (lambda path: has_file_allowed_extension(path, extensions))
    instances, found = [], set()
    for name in sorted(class_to_idx):
        class_dir = os.path.join(directory, name)
        if not os.path.isdir(class_dir):
            continue
        for folder, _, filenames in sorted(os.walk(class_dir, followlinks=True)):
            for filename in sorted(filenames):
                path = os.path.join(folder, filename)
                if accept(path):
                    instances.append((path, class_to_idx[name]))
                    found.add(name)
    empty = set(class_to_idx) - found
    if empty and not allow_empty:
        message = f"Found no valid file for the classes {', '.join(sorted(empty))}. "
        if extensions is not None:
            listed = extensions if isinstance(extensions, str) else ", ".join(extensions)
            message += f"Supported extensions are: {listed}"
        raise FileNotFoundError(message)
    return instances


def pil_loader(path: str | os.PathLike) -> Any:
    """The image at ``path`` as an RGB PIL image (read fully, the file closed)."""
    image_module = pil_image_module()
    with open(path, "rb") as handle:
        return image_module.open(handle).convert("RGB")


def default_loader(path: str | os.PathLike) -> Any:
    """:func:`pil_loader`, or its pixels as a uint8 array (H, W, 3) with the numpy image backend."""
    image = pil_loader(path)
    return image if get_image_backend() == "PIL" else np.asarray(image).copy()


class DatasetFolder(VisionDataset):
    """Samples in class folders, read by ``loader``.

    Args:
        root: the folder holding one sub-folder per class.
        loader: ``loader(path)`` reads one sample.
        extensions: the accepted file endings (or give ``is_valid_file``).
        transform, target_transform: as other data sets.
        is_valid_file: ``is_valid_file(path) -> bool`` (instead of ``extensions``).
        allow_empty: accept class folders with no sample.

    Attributes:
        classes: the class names, sorted; class_to_idx: name -> index.
        samples: list of (path, class index); targets: the class index of each sample.
    """

    def __init__(self, root: str | os.PathLike, loader: Callable[[str], Any],
                 extensions: tuple[str, ...] | None = None, transform: Callable[[Any], Any] | None = None,
                 target_transform: Callable[[Any], Any] | None = None,
                 is_valid_file: Callable[[str], bool] | None = None, allow_empty: bool = False) -> None:
        super().__init__(root, transform=transform, target_transform=target_transform)
        classes, class_to_idx = self.find_classes(self.root)
        self.samples = self.make_dataset(self.root, class_to_idx, extensions, is_valid_file, allow_empty)
        self.loader, self.extensions = loader, extensions
        self.classes, self.class_to_idx = classes, class_to_idx
        self.targets = [target for _, target in self.samples]

    @staticmethod
    def make_dataset(directory: str | os.PathLike, class_to_idx: dict[str, int],
                     extensions: tuple[str, ...] | None = None, is_valid_file: Callable[[str], bool] | None = None,
                     allow_empty: bool = False) -> list[tuple[str, int]]:
        """The (path, class index) list; override to read samples from elsewhere (see :func:`make_dataset`)."""
        if class_to_idx is None:
            raise ValueError("The class_to_idx parameter cannot be None.")
        return make_dataset(directory, class_to_idx, extensions, is_valid_file, allow_empty)

    def find_classes(self, directory: str | os.PathLike) -> tuple[list[str], dict[str, int]]:
        """The classes and their indices; override for another folder structure (see :func:`find_classes`)."""
        return find_classes(directory)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        path, target = self.samples[index]
        return self._apply(self.loader(path), target)

    def __len__(self) -> int:
        return len(self.samples)


class ImageFolder(DatasetFolder):
    """Images in class folders (the :data:`IMG_EXTENSIONS`), opened by :func:`default_loader`.

    Attributes, besides DatasetFolder's: ``imgs``, the same list as ``samples``.
    """

    def __init__(self, root: str | os.PathLike, transform: Callable[[Any], Any] | None = None,
                 target_transform: Callable[[Any], Any] | None = None,
                 loader: Callable[[str], Any] = default_loader, is_valid_file: Callable[[str], bool] | None = None,
                 allow_empty: bool = False) -> None:
        super().__init__(root, loader, IMG_EXTENSIONS if is_valid_file is None else None, transform=transform,
                         target_transform=target_transform, is_valid_file=is_valid_file, allow_empty=allow_empty)
        self.imgs = self.samples
