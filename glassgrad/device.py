"""Devices, as torch names them: ``"cpu"`` is NumPy, ``"cuda"`` is CuPy.

glassgrad runs one array module at a time (``glassgrad.backend``). A tensor's
device is the module its array belongs to. Moving a tensor to ``"cuda"``
needs CuPy and a GPU; without them it fails with one line saying so.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

import numpy

from glassgrad import backend


class device:  # noqa: N801  (torch's name)
    """``device("cpu")``, ``device("cuda")``, ``device("cuda:0")``, ``device("cuda", 0)``."""

    def __init__(self, type: Any, index: int | None = None) -> None:  # noqa: A002
        spec = type
        if isinstance(spec, device):
            spec, index = spec.type, spec.index
        if isinstance(spec, int) and not isinstance(spec, bool):  # torch: device(0) is cuda:0
            spec, index = "cuda", spec
        text = str(spec)
        if ":" in text:
            text, number = text.split(":", 1)
            if not number.isdigit():
                raise RuntimeError(f"Invalid device string: {spec!r} (the index after ':' must be a non-negative int)")
            index = int(number)
        if text not in ("cpu", "cuda", "mps", "meta"):
            raise RuntimeError(
                f"Expected one of cpu, cuda, mps device type at start of device string: {spec}"
            )
        self.type, self.index = text, index

    def __repr__(self) -> str:
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type='{self.type}'{index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            other = device(other)
        return isinstance(other, device) and (self.type, self.index or 0) == (other.type, other.index or 0)

    def __hash__(self) -> int:
        return hash((self.type, self.index or 0))


CPU = device("cpu")


@functools.cache
def cupy_or_none() -> Any:
    """The CuPy module when CuPy is installed and sees a GPU, else None (asked once, then remembered)."""
    try:
        cupy = importlib.import_module("cupy")
        return cupy if cupy.cuda.runtime.getDeviceCount() > 0 else None
    except Exception:  # noqa: BLE001  (any failure means: no usable GPU)
        return None


def device_of(array: Any) -> device:
    """The device an array lives on."""
    return CPU if isinstance(array, numpy.ndarray | numpy.generic) else device("cuda", 0)


_default_device: device | None = None


def set_default_device(target: Any) -> None:
    """The device that creation functions (``zeros``, ``randn``, ``tensor`` ...) use when given none.

    ``None`` restores the built-in default: 'cpu', or 'cuda' while the CuPy backend is in force.
    """
    global _default_device
    if target is not None and device(target).type == "cuda":
        require_cupy()
    _default_device = None if target is None else device(target)


def get_default_device() -> device:
    """The device creation functions use when given none (see ``set_default_device``)."""
    if _default_device is not None:
        return _default_device
    return device("cuda", 0) if backend.name == "cupy" else CPU


def require_cupy() -> Any:
    """The CuPy module, or the one clear error saying what 'cuda' needs."""
    cupy = cupy_or_none()
    if cupy is None:
        raise RuntimeError(
            "device 'cuda' needs CuPy and an NVIDIA GPU: install cupy (pip install cupy-cuda12x) on a "
            "machine with a GPU, or use device='cpu'; glassgrad.cuda.is_available() tells which"
        )
    return cupy


def array_module(target: Any) -> Any:
    """The array module that makes arrays on device ``target``: NumPy for 'cpu', CuPy for 'cuda'."""
    target = target if isinstance(target, device) else device(target)
    if target.type == "cpu":
        return numpy
    if target.type != "cuda":
        raise RuntimeError(f"glassgrad has no {target.type!r} backend; use 'cpu' (NumPy) or 'cuda' (CuPy)")
    return require_cupy()


def move_array(array: Any, target: Any) -> Any:
    """``array`` on device ``target`` (no copy when it is already there)."""
    target = target if isinstance(target, device) else device(target)
    if target.type == "cpu":
        return array if isinstance(array, numpy.ndarray) else array.get()
    if target.type != "cuda":
        raise RuntimeError(f"glassgrad has no {target.type!r} backend; use 'cpu' (NumPy) or 'cuda' (CuPy)")
    cupy = require_cupy()
    if backend.name != "cupy":
        backend.use_backend("cupy")
    return cupy.asarray(array)
