"""Gradient clipping: by global norm and by value (in place on ``p.grad``)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.tensor import Tensor


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[Any]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> float:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    The total norm is taken over every gradient as if concatenated into one
    vector: ``||g|| = (sum_i ||g_i||_q^q)^(1/q)`` (``max_i |g_i|`` for q = inf). Every
    gradient is then multiplied by ``min(1, max_norm / (||g|| + 1e-6))`` in place.

    Returns:
        the total norm before clipping, as a Python float.
    """
    xp = backend.xp
    grads = _grads(parameters)
    if not grads:
        return 0.0
    norm_type = float(norm_type)
    if math.isinf(norm_type):
        total = max(float(xp.abs(g).max()) for g in grads)
    else:
        norms = [float(xp.linalg.norm(g.ravel(), ord=norm_type)) for g in grads]
        total = float(sum(n**norm_type for n in norms) ** (1.0 / norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}; "
                           "set error_if_nonfinite=False to clip anyway")
    coef = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g *= coef
    return total


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clamp every gradient element into [-clip_value, clip_value] in place."""
    xp = backend.xp
    clip_value = float(clip_value)
    for g in _grads(parameters):
        xp.clip(g, -clip_value, clip_value, out=g)
