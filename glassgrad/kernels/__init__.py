"""Fast kernels, and the switch between them and the readable twins.

Every op whose forward or backward has been optimised keeps, in its op module, a
plain version that reads like its derivation page (``docs/derivations/``): im2col
and col2im for the convolution, the gate formulas for the LSTM and GRU, the update
rule for Adam, the argmax routing for max-pooling, the erf series for GELU. The
optimised versions live in this package, one module per op, and the tests check each
one equal to its twin. The sums are the exception: the ops call ``sums.py``'s functions,
which return NumPy's own ``x.sum`` in the "reference" mode and a product with ones in
the "fast" one.

Which one runs is a global mode:

    "fast"       the kernels in this package (the default)
    "reference"  the plain twins only

Pick it with the environment variable ``GLASSGRAD_KERNELS=reference`` (read at
import) or for a block of code::

    with glassgrad.kernels.use("reference"):
        loss = model(x).sum()      # every op on its plain path
        loss.backward()

An op decides at forward time and records its choice as ``ctx.fast``, saves the same
inputs on both paths, and runs its backward from that record, so a backward always
takes the same path as its forward, whatever the mode is by then (docs/kernels.md,
"The twin contract"; tests/kernels/test_twin_contract.py).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

MODES = ("fast", "reference")


def _mode_from_environment() -> str:
    name = os.environ.get("GLASSGRAD_KERNELS", "fast").strip().lower() or "fast"
    if name not in MODES:
        raise ValueError(f"GLASSGRAD_KERNELS must be one of {MODES}, got {name!r}")
    return name


_mode = _mode_from_environment()


def get_mode() -> str:
    """The kernel mode in force: ``"fast"`` or ``"reference"``."""
    return _mode


def set_mode(name: str) -> None:
    """Switch every op to the fast kernels (``"fast"``) or to the plain twins (``"reference"``)."""
    global _mode
    if name not in MODES:
        raise ValueError(f"kernel mode must be one of {MODES}, got {name!r}")
    _mode = name


def fast() -> bool:
    """True when the fast kernels are in force (ops ask this at forward time)."""
    return _mode == "fast"


@contextlib.contextmanager
def use(name: str) -> Iterator[None]:
    """Run a block in one kernel mode and restore the previous mode afterwards.

    >>> with use("reference"):
    ...     y = conv2d(x, w)        # plain im2col + GEMM
    """
    previous = _mode
    set_mode(name)
    try:
        yield
    finally:
        set_mode(previous)
