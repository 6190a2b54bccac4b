"""The errors an op raises when its inputs do not fit: shapes that do not broadcast or align, a
tensor with the wrong number of dims, sizes that do not add up, a dtype the op cannot take.

torch raises ``RuntimeError`` for these, and PyTorch programs catch them as such (``try: x.view(...)
except RuntimeError: ...``). glassgrad raised ``ValueError`` before, and code written against it
catches that. ``OpInputError`` is both, so either ``except`` clause works::

    try:
        glassgrad.ones(2, 3) @ glassgrad.ones(4, 5)
    except RuntimeError as err:          # torch's type
        ...
    except ValueError as err:            # glassgrad's earlier type: the same error
        ...

A dtype the op cannot take is the same story with ``TypeError``: ``OpDtypeError`` is both a
``TypeError`` (glassgrad's earlier type) and a ``RuntimeError`` (torch's).

Where torch itself raises ``ValueError`` (an unknown ``reduction=``, ``binary_cross_entropy`` with a
target of another shape, a dropout probability outside [0, 1]), glassgrad raises a plain
``ValueError`` too, and where torch raises ``IndexError`` (a dim out of range) an ``IndexError``.
"""

from __future__ import annotations

from typing import Any


class OpInputError(ValueError, RuntimeError):
    """An op refused its inputs (shape, size or dtype): a ``RuntimeError`` as in torch, and a
    ``ValueError`` as glassgrad raised before."""


class OpDtypeError(TypeError, RuntimeError):
    """An op refused the dtype of an input (float indices, an integer tensor where it needs floats):
    a ``RuntimeError`` as in torch, and a ``TypeError`` as glassgrad raised before."""


def broadcast_checked(op: str, ufunc: Any, *arrays: Any) -> Any:
    """``ufunc(*arrays)``, with NumPy's error for shapes that do not broadcast raised as torch's
    (an ``OpInputError`` naming the op and the shapes). For ops that call NumPy directly rather
    than through ``Op.apply``, which does the same for every ``Op``."""
    try:
        return ufunc(*arrays)
    except ValueError as err:
        shapes = ", ".join(str(tuple(getattr(a, "shape", ()))) for a in arrays)
        raise OpInputError(f"{op}: {err} (input shapes {shapes})") from err
