"""Fast kernel for the softmax's shift: one maximum per block of rows instead of one per row.

For any c_i, softmax(x)_ij = exp(x_ij - c_i) / sum_k exp(x_ik - c_i). The readable twin takes
c_i = max_j x_ij, the row's maximum, so that no exponent is positive. NumPy finds a maximum along
a short last axis one row at a time: 167 us for an attention's (12, 4, 64, 64) scores, more than
a third of its softmax (torch's whole softmax there: 258 us), and ~40 us for the (768, 65) logits
of a char-GPT's cross-entropy. A maximum over a whole contiguous block is a single SIMD reduction
(16 us for the same scores), so this kernel shifts every row of a block by the block's maximum:

    c = max over the block (the last two axes: one attention head's (L, S) scores; the whole
        array for a 2-D (rows, classes) matrix),

which is just as safe from overflow (every exponent is <= 0) but, for a row whose own maximum lies
far below the block's, exp could underflow to 0 for the whole row. So it is used only when every
row's maximum is known to be within ``SPAN`` of c: the caller passes a lower bound l_i <= max_j x_ij
for each row (a column every row attends to, the diagonal of a causal mask, or the row's mean), and

    min_i (l_i - c) >= -SPAN

guarantees each row's largest exponential is at least exp(-SPAN) = 4e-18, a normal float32 whose
neighbours are still represented down to exp(-SPAN - 47) of it (below float32's resolution of the
row's sum). Otherwise, and for a NaN or an infinity anywhere, the twin's row maxima are returned.
The softmax is the same function either way; the values differ from the twin's in rounding only.
Measured on the scores above (one core, minima of 7 x 100 calls): the whole in-place softmax
580 -> 425 us.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, kernels

SPAN = 40.0  # the furthest a row's maximum may lie below its block's for the block's shift to be used


def row_max(x: Any) -> Any:
    """The twin: each row's maximum, x.max(axis=-1, keepdims=True)."""
    return backend.xp.amax(x, axis=-1, keepdims=True)


def serves(x: Any) -> bool:
    """True when ``shift`` may give a block's maximum: the fast mode, and a float array of at least 2
    axes and 4,096 elements (for fewer, the row maxima cost no more)."""
    return kernels.fast() and x.ndim >= 2 and x.size >= 4096 and x.dtype.kind == "f"


def shift(x: Any, lower: Any) -> Any:
    """c to subtract from ``x`` (..., n) before exp: the block maximum, shaped (..., 1, 1) (or (1, 1)
    for a 2-D x), when every row's lower bound ``lower`` (..., 1) lies within SPAN of it; else the
    row maxima (..., 1), as the twin. The rows must not be empty."""
    if not serves(x):
        return row_max(x)
    axes = (-2, -1) if x.ndim > 2 else None
    c = backend.xp.amax(x, axis=axes, keepdims=True)
    with backend.xp.errstate(invalid="ignore"):  # inf - inf: the comparison below is False, the twin runs
        gap = backend.xp.amin(lower - c)
    if not gap >= -SPAN:  # (also False for NaN)
        return row_max(x)
    return c
