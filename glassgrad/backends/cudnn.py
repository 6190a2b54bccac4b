"""``backends.cudnn``: switches scripts set (``cudnn.benchmark = True``); glassgrad has no cuDNN.

Its results are already deterministic (every random number comes from the
seeded host generator), so ``deterministic`` changes nothing either.
"""

from __future__ import annotations

deterministic: bool = False
benchmark: bool = False
enabled: bool = True
allow_tf32: bool = True


def is_available() -> bool:
    """False: glassgrad never calls cuDNN."""
    return False


def version() -> None:
    """None: no cuDNN is linked."""
    return None
