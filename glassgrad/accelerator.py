"""``glassgrad.accelerator``: torch's device-agnostic questions ("is there a GPU, and which?").

glassgrad's only accelerator is 'cuda' (CuPy on an NVIDIA GPU).
"""

from __future__ import annotations

from glassgrad import cuda
from glassgrad.device import device


def is_available() -> bool:
    """True when an accelerator (CuPy and a GPU) can be used."""
    return cuda.is_available()


def current_accelerator(check_available: bool = False) -> device | None:  # noqa: ARG001
    """``device('cuda')`` when one is available, else None (torch's answer on a CPU-only machine)."""
    return device("cuda") if cuda.is_available() else None


def device_count() -> int:
    """The number of accelerators (GPUs CuPy sees)."""
    return cuda.device_count()


def synchronize(which: object = None) -> None:
    """Wait for the accelerator's queued work."""
    cuda.synchronize(which)
