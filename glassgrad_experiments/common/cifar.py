"""CIFAR-10 for the experiments: the real archive (torchvision's layout under the data root), or a small
generated archive in the same format for smoke runs and tests.

The generated images are learnable but not trivial: class k is a colour (hue k / 10) under
stripes whose angle and frequency depend on k, plus noise, so a network must look at colour or
texture, and random crops and flips keep the class. The archive is written exactly as the
published one (a ``.tar.gz`` holding ``cifar-10-batches-py/data_batch_1..5``, ``test_batch``,
``batches.meta``, pickled dicts with ``data`` (N, 3072) uint8 and ``labels``), and read back
through :class:`glassgrad.vision.datasets.CIFAR10`'s checked download from a ``file://`` URL, so
the smoke run exercises the whole path: checksum, unpacking, the restricted unpickler, PIL images.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import pickle
import tarfile
from pathlib import Path

import numpy as np

from glassgrad.vision.datasets import CIFAR10

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
MEAN, STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)  # CIFAR-10 training pixels, per channel


def synthetic_images(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 (n, 32, 32, 3), labels (n,)) of the generated classes (see the module docstring)."""
    labels = rng.integers(0, 10, n)
    ys, xs = np.mgrid[0:32, 0:32] / 32.0
    images = np.empty((n, 32, 32, 3))
    for i, k in enumerate(labels):
        colour = np.array(colorsys.hsv_to_rgb(k / 10, 0.8, 0.9))
        angle, frequency = np.pi * k / 10, 2 + k % 3
        stripes = np.sin(2 * np.pi * frequency * (xs * np.cos(angle) + ys * np.sin(angle)) + rng.uniform(0, 6.3))
        images[i] = 0.55 * colour + 0.25 * stripes[..., None] + 0.12 * rng.standard_normal((32, 32, 3))
    return np.clip(images * 255 + 20, 0, 255).astype(np.uint8), labels


def _batch(images: np.ndarray, labels: np.ndarray, name: str) -> bytes:
    rows = images.transpose(0, 3, 1, 2).reshape(len(images), 3072)  # (N, 3072): the R, G, B planes
    return pickle.dumps({"batch_label": name, "labels": [int(y) for y in labels], "data": rows,
                         "filenames": [f"{name}_{i}.png" for i in range(len(images))]}, protocol=2)


def write_archive(path: Path, train: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray]) -> str:
    """Write a ``cifar-10-python.tar.gz`` of these images (training set split in 5 batches); return its MD5."""
    members = {f"data_batch_{k + 1}": _batch(x, y, f"training batch {k + 1} of 5")
               for k, (x, y) in enumerate(zip(np.array_split(train[0], 5), np.array_split(train[1], 5)))}
    members["test_batch"] = _batch(*test, "testing batch 1 of 1")
    members["batches.meta"] = pickle.dumps({"label_names": CLASSES, "num_cases_per_batch": len(train[0]) // 5,
                                            "num_vis": 3072}, protocol=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(f"{CIFAR10.base_folder}/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 (the archive's checksum, as CIFAR's)


def local_cifar10(archive: Path, md5: str) -> type[CIFAR10]:
    """CIFAR10 downloading from a local archive (a ``file://`` URL) checked against ``md5``."""
    return type("LocalCIFAR10", (CIFAR10,), {"url": archive.resolve().as_uri(), "tgz_md5": md5})


def synthetic_cifar10(folder: Path, n_train: int, n_test: int, seed: int) -> type[CIFAR10]:
    """Write a generated archive into ``folder`` and return the CIFAR10 class that downloads it from there."""
    rng = np.random.default_rng(seed)
    archive = folder / "archive" / CIFAR10.filename
    md5 = write_archive(archive, synthetic_images(n_train, rng), synthetic_images(n_test, rng))
    return local_cifar10(archive, md5)
