"""``glassgrad.cuda``: torch.cuda's questions and no-ops, answered through CuPy.

glassgrad's 'cuda' device is CuPy on an NVIDIA GPU (see ``glassgrad/device.py``).
Scripts written for torch ask ``torch.cuda.is_available()`` and call seeding,
synchronising and cache functions; these answer them. Without CuPy and a GPU,
``is_available()`` is False and ``device_count()`` 0, so such scripts take
their CPU path.

Random numbers: glassgrad draws every random number on the host from one
default generator (``glassgrad.manual_seed``), whatever the device, so
``cuda.manual_seed`` and ``cuda.manual_seed_all`` have nothing of their own to
seed and do nothing.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from glassgrad import amp as _amp
from glassgrad.device import cupy_or_none, device, require_cupy

amp = SimpleNamespace(autocast=_amp.autocast, GradScaler=_amp.GradScaler)  # torch.cuda.amp's older spelling


def is_available() -> bool:
    """True when CuPy is installed and sees at least one GPU."""
    return cupy_or_none() is not None


def device_count() -> int:
    """The number of GPUs CuPy sees (0 without CuPy)."""
    cupy = cupy_or_none()
    return 0 if cupy is None else int(cupy.cuda.runtime.getDeviceCount())


def current_device() -> int:
    """The index of the GPU in use (always 0: glassgrad uses one GPU)."""
    require_cupy()
    return 0


def get_device_name(which: Any = None) -> str:  # noqa: ARG001  (glassgrad uses GPU 0)
    """The GPU's name, as its driver reports it."""
    cupy = require_cupy()
    name = cupy.cuda.runtime.getDeviceProperties(0)["name"]
    return name.decode() if isinstance(name, bytes) else str(name)


def set_device(which: Any) -> None:
    """Accepts GPU 0 only (glassgrad drives one GPU)."""
    index = device(which).index if not isinstance(which, int) else which
    if index not in (None, 0):
        raise RuntimeError(f"cuda.set_device: glassgrad uses GPU 0 only, got {which}")


def manual_seed(seed: int) -> None:  # noqa: ARG001
    """Nothing to do: random numbers come from the default generator (``glassgrad.manual_seed``)."""


def manual_seed_all(seed: int) -> None:  # noqa: ARG001
    """Nothing to do, as ``manual_seed``."""


def synchronize(which: Any = None) -> None:  # noqa: ARG001
    """Wait for the GPU to finish its queued work (nothing to wait for without one)."""
    cupy = cupy_or_none()
    if cupy is not None:
        cupy.cuda.Device(0).synchronize()


def empty_cache() -> None:
    """Give CuPy's cached free GPU memory back to the driver (nothing without a GPU)."""
    cupy = cupy_or_none()
    if cupy is not None:
        cupy.get_default_memory_pool().free_all_blocks()


def memory_allocated(which: Any = None) -> int:  # noqa: ARG001
    """Bytes of GPU memory held by tensors now (0 without a GPU)."""
    cupy = cupy_or_none()
    return 0 if cupy is None else int(cupy.get_default_memory_pool().used_bytes())


def memory_reserved(which: Any = None) -> int:  # noqa: ARG001
    """Bytes of GPU memory CuPy holds, used or cached (0 without a GPU)."""
    cupy = cupy_or_none()
    return 0 if cupy is None else int(cupy.get_default_memory_pool().total_bytes())


def is_bf16_supported() -> bool:
    """False: glassgrad has no bfloat16 (NumPy has no such dtype)."""
    return False
