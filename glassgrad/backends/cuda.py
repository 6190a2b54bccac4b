"""``backends.cuda``: the TF32 switches scripts set (``backends.cuda.matmul.allow_tf32 = True``).

CuPy's matrix products follow CuPy's own settings; these attributes are kept
so that scripts run, and change nothing.
"""

from __future__ import annotations

from types import SimpleNamespace


def is_built() -> bool:
    """True when CuPy is installed and sees a GPU."""
    from glassgrad.device import cupy_or_none

    return cupy_or_none() is not None


matmul = SimpleNamespace(allow_tf32=False, allow_fp16_reduced_precision_reduction=True)
