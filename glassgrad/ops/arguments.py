"""torch's argument names with NumPy's as aliases: one place that resolves them.

Every op and method takes torch's ``dim`` / ``keepdim``; ``axis`` / ``keepdims``
are accepted too (the NumPy spelling), and giving both with different values
is an error.
"""

from __future__ import annotations

from typing import Any


def pick_dim(dim: Any, axis: Any, op: str = "op") -> Any:
    """``dim``, or its alias ``axis`` when only that was given."""
    if axis is None:
        return tuple(dim) if isinstance(dim, list) else dim
    if dim is not None and dim != axis:
        raise TypeError(f"{op}: got dim={dim!r} and its alias axis={axis!r}; give one")
    return tuple(axis) if isinstance(axis, list) else axis


def pick_keepdim(keepdim: bool, keepdims: bool | None) -> bool:
    """``keepdim``, or its alias ``keepdims`` when that was given."""
    return bool(keepdim if keepdims is None else keepdims)
