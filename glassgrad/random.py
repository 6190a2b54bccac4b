"""The module-wide random generator.

Every random draw in glassgrad (initialisers, dropout, shuffling, ``randn``)
takes an ``rng: numpy.random.Generator | None`` argument; ``None`` means this
module's generator, which ``manual_seed(n)`` re-seeds for reproducible runs.
"""

from __future__ import annotations

import numpy as np

_generator = np.random.default_rng(0)


def manual_seed(seed: int) -> np.random.Generator:
    """Re-seed the module generator; returns it."""
    global _generator
    _generator = np.random.default_rng(seed)
    return _generator


def default_rng() -> np.random.Generator:
    """The module generator (seeded by ``manual_seed``)."""
    return _generator


def resolve_rng(rng: np.random.Generator | None) -> np.random.Generator:
    """``rng`` itself, or the module generator when ``rng`` is None."""
    return _generator if rng is None else rng
