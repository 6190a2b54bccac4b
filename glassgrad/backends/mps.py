"""``backends.mps``: Apple's Metal GPUs, which glassgrad does not drive."""

from __future__ import annotations


def is_available() -> bool:
    """False: glassgrad has no 'mps' backend."""
    return False


def is_built() -> bool:
    """False: glassgrad has no 'mps' backend."""
    return False
