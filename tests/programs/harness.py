"""Run a program of tests/programs under glassgrad, or under real torch with only its imports rewritten.

Every program here starts the way a PyTorch user's script starts, with glassgrad in torch's place::

    import glassgrad as torch
    import glassgrad.nn as nn
    from glassgrad.vision import datasets, transforms

``load_program(name, "torch")`` reads the same source, turns ``glassgrad.vision`` back into
``torchvision`` and ``glassgrad`` into ``torch``, and runs it as a fresh module: the same program on
torch. torchvision is not a test dependency; where it is absent its import lines become ``name = None``,
and tests feed the torch run their data through ``torch.utils.data`` instead.

Also here: the tiny data the programs read (MNIST files in torchvision's folder layout, a text corpus),
and the copy of a state dict from one framework to the other, so both start from the same weights.
"""

from __future__ import annotations

import gzip
import importlib.util
import re
import struct
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

PROGRAMS = Path(__file__).resolve().parent


def torch_source(source: str) -> str:
    """The program's source with glassgrad's imports turned into torch's (and torchvision's)."""
    source = source.replace("glassgrad.vision", "torchvision").replace("glassgrad", "torch")
    if importlib.util.find_spec("torchvision") is None:
        source = re.sub(r"^from torchvision(?:\.\w+)* import (.+)$", lambda m: _none_for(m.group(1)), source,
                        flags=re.MULTILINE)
        source = re.sub(r"^import torchvision(?:\.\w+)* as (\w+)$", r"\1 = None", source, flags=re.MULTILINE)
    return source


def _none_for(names: str) -> str:
    """``a, b as c`` -> ``a = c = None`` (a stand-in for an import that cannot run)."""
    bound = [part.split(" as ")[-1].strip() for part in names.split(",")]
    return " = ".join(bound) + " = None"


def load_program(name: str, framework: str = "glassgrad") -> ModuleType:
    """Import ``tests/programs/<name>.py`` as a new module, on glassgrad or (imports rewritten) on torch."""
    path = PROGRAMS / f"{name}.py"
    source = path.read_text()
    if framework == "torch":
        source = torch_source(source)
    elif framework != "glassgrad":
        raise ValueError(f"load_program: framework must be 'glassgrad' or 'torch', got {framework!r}")
    module_name = f"tests.programs._{framework}_{name}"
    module = ModuleType(module_name)
    module.__file__ = str(path)
    sys.modules[module_name] = module  # dataclasses and pickling look the module up by name
    exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 (our own program files)
    return module


# ----- weights: the same start in both frameworks ----------------------------------------------------------
def state_arrays(model: Any) -> dict[str, np.ndarray]:
    """A glassgrad (or torch) module's state dict as NumPy arrays (copies)."""
    return {key: np.array(value.detach().cpu().numpy()) for key, value in model.state_dict().items()}


def load_arrays(model: Any, arrays: dict[str, np.ndarray], torch: Any) -> None:
    """Load NumPy arrays into a module of ``torch`` (glassgrad or torch), names checked strictly."""
    model.load_state_dict({key: torch.from_numpy(value.copy()) for key, value in arrays.items()})


def disable_dropout(model: Any) -> None:
    """p = 0 in every dropout layer: the two frameworks draw different masks, so a comparison runs without."""
    for module in model.modules():
        if "Dropout" in type(module).__name__:
            module.p = 0.0


# ----- tiny data --------------------------------------------------------------------------------------------
def _idx_bytes(array: np.ndarray) -> bytes:
    """An unsigned-byte IDX file: magic (0, 0, 0x08, ndim), the big-endian sizes, then the bytes."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + array.astype(np.uint8).tobytes()


def fake_mnist(root: Path, rng: np.random.Generator, n_train: int = 16, n_test: int = 8,
               folder: str = "MNIST") -> Path:
    """Write tiny MNIST files (28x28 blobs, labels 0-9) into torchvision's layout ``root/MNIST/raw``."""
    raw = root / folder / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for prefix, count in (("train", n_train), ("t10k", n_test)):
        labels = rng.integers(0, 10, size=count)
        images = rng.integers(0, 40, size=(count, 28, 28))
        for i, label in enumerate(labels):  # a bright block whose place depends on the label
            row, col = 4 + 2 * (label // 5) * 5, 2 + 4 * (label % 5)
            images[i, row:row + 8, col:col + 6] = 255
        (raw / f"{prefix}-images-idx3-ubyte.gz").write_bytes(gzip.compress(_idx_bytes(images)))
        (raw / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(_idx_bytes(labels)))
    return root


def tiny_corpus(root: Path) -> Path:
    """A word-level corpus in word_language_model's layout: root/{train,valid,test}.txt."""
    lines = ["the cat sat on the mat", "the dog sat on the log", "a cat and a dog met on the mat",
             "the log was on the mat", "a dog sat"]
    root.mkdir(parents=True, exist_ok=True)
    (root / "train.txt").write_text("\n".join(lines * 3) + "\n")
    (root / "valid.txt").write_text("\n".join(lines[:2]) + "\n")
    (root / "test.txt").write_text("\n".join(lines[2:4]) + "\n")
    return root
