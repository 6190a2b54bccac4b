"""Checking and normalising the arguments transforms take (sizes, angle ranges, sequences), as torchvision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def setup_size(size: Any, error_msg: str) -> tuple[int, int]:
    """(h, w) from one number, a one-element sequence or a pair."""
    if isinstance(size, int | float):
        return int(size), int(size)
    if isinstance(size, Sequence) and len(size) == 1:
        return size[0], size[0]
    if not isinstance(size, Sequence) or len(size) != 2:
        raise ValueError(error_msg)
    return size[0], size[1]


def check_sequence_input(x: Any, name: str, req_sizes: Sequence[int]) -> None:
    lengths = str(req_sizes[0]) if len(req_sizes) < 2 else " or ".join(str(s) for s in req_sizes)
    if not isinstance(x, Sequence):
        raise TypeError(f"{name} should be a sequence of length {lengths}.")
    if len(x) not in req_sizes:
        raise ValueError(f"{name} should be a sequence of length {lengths}.")


def setup_angle(x: Any, name: str, req_sizes: Sequence[int] = (2,)) -> list[float]:
    """[-x, x] from one non-negative number, else the sequence itself (of one of ``req_sizes``' lengths)."""
    if isinstance(x, int | float):
        if x < 0:
            raise ValueError(f"If {name} is a single number, it must be positive.")
        x = [-x, x]
    else:
        check_sequence_input(x, name, req_sizes)
    return [float(d) for d in x]


def check_fill(fill: Any) -> Any:
    """``fill`` for rotations and warps: None becomes 0; a number or a sequence of numbers."""
    if fill is None:
        return 0
    if not isinstance(fill, Sequence | int | float):
        raise TypeError("Fill should be either a sequence or a number.")
    return fill


def tensor_fill(fill: Any, channels: int) -> list[float]:
    """One float per channel (what torchvision passes on for Tensor images)."""
    return [float(fill)] * channels if isinstance(fill, int | float) else [float(f) for f in fill]
