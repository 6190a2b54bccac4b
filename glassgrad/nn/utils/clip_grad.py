"""Gradient clipping (torch's ``nn.utils.clip_grad_norm_`` / ``clip_grad_value_``), in place on ``p.grad``.

Clipping by norm treats all gradients as one long vector g = (g_1, ..., g_n):

    ||g||_q = (sum_i ||g_i||_q^q)^(1/q)            (max_i max |g_i| for q = inf)
    g_i <- g_i * min(1, max_norm / (||g||_q + 1e-6))

so the direction of the update is kept and only its length is capped. The
total norm is computed as torch's foreach path does it: the norm of each
gradient first, then the norm of those norms, in the gradients' dtype.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.tensor import Tensor

Parameters = Tensor | Iterable[Tensor]


def _grads(parameters: Parameters) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _check_limit(op: str, name: str, value: Any) -> float:
    """``value`` as a float; a NaN, negative or non-number limit would silently wreck every gradient."""
    try:
        limit = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: {name} must be a number, got {value!r}") from None
    if not limit >= 0.0:  # also catches NaN
        raise ValueError(f"{op}: {name} must be a non-negative number, got {value!r}")
    return limit


def _vector_norm(array: Any, norm_type: float) -> Any:
    """||array||_q over all its elements (kept in the array's dtype).

    The usual q = 2 of float32 / float64 arrays is sqrt(g . g): one BLAS dot product, which reads g
    once and writes nothing (|g|, then |g|^2, then their sum would write two arrays of g's size)."""
    xp = backend.xp
    if norm_type == 2.0 and array.dtype.kind == "f" and array.dtype.itemsize >= 4:
        flat = array.ravel()
        return xp.sqrt(xp.dot(flat, flat))
    flat = xp.abs(array.ravel())
    if math.isinf(norm_type):
        return flat.max() if norm_type > 0 else flat.min()
    if norm_type == 0:
        return xp.asarray((flat != 0).sum(), dtype=array.dtype)
    return (flat**norm_type).sum() ** (1.0 / norm_type)


def get_total_norm(tensors: Parameters, norm_type: float = 2.0, error_if_nonfinite: bool = False,
                   foreach: bool | None = None) -> Tensor:  # noqa: ARG001
    """The norm of the given tensors as if concatenated into one vector (a 0-d Tensor)."""
    tensors = [tensors] if isinstance(tensors, Tensor) else list(tensors)
    norm_type = float(norm_type)
    if not tensors:
        return Tensor(0.0)
    dtype = tensors[0].dtype
    norms = backend.xp.stack([_vector_norm(t.array, norm_type).astype(dtype) for t in tensors])
    total = _vector_norm(norms, norm_type)
    if error_if_nonfinite and not bool(backend.xp.isfinite(total)):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                           "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                           "norm anyway, set `error_if_nonfinite=False`")
    return Tensor._make(backend.xp.asarray(total, dtype=dtype), False)


def clip_grads_with_norm_(parameters: Parameters, max_norm: float, total_norm: Tensor,
                          foreach: bool | None = None) -> None:  # noqa: ARG001
    """Scale every gradient in place by min(1, max_norm / (total_norm + 1e-6)).

    A factor of exactly 1 (the norm already within the limit, most steps) leaves the values as
    they are without the multiplications; the gradients count as written either way, as torch's."""
    with np.errstate(invalid="ignore", divide="ignore"):
        coef = backend.xp.minimum(max_norm / (total_norm.array + 1e-6), 1.0)
        scale = not coef == 1.0  # NaN scales (every gradient becomes NaN, as torch's)
        for grad in _grads(parameters):
            if scale:
                grad.array *= coef.astype(grad.dtype)
            grad._version_counter[0] += 1


def clip_grad_norm_(parameters: Parameters, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    Args:
        parameters: a tensor or an iterable of tensors whose ``.grad`` is clipped (None grads are skipped).
        max_norm: the largest allowed total norm.
        norm_type: q of the q-norm (``float("inf")`` for the max norm).
        error_if_nonfinite: raise instead of clipping when the total norm is nan or inf.

    Returns:
        the total norm BEFORE clipping, as a 0-d Tensor (torch's return type; ``.item()`` for a float).
    """
    max_norm = _check_limit("clip_grad_norm_", "max_norm", max_norm)  # a one-element tensor works too
    try:
        norm_type = float(norm_type)
    except (TypeError, ValueError):
        raise TypeError(f"clip_grad_norm_: norm_type must be a number (2.0, float('inf'), ...), got {norm_type!r}") \
            from None
    parameters = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = _grads(parameters)
    if not grads:
        return Tensor(0.0)
    total = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total, foreach)
    return total


def clip_grad_norm(parameters: Parameters, max_norm: float, norm_type: float = 2.0,
                   error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Deprecated torch spelling of ``clip_grad_norm_``."""
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters: Parameters, clip_value: float, foreach: bool | None = None) -> None:  # noqa: ARG001
    """Clamp every gradient element into [-clip_value, clip_value] in place."""
    clip_value = _check_limit("clip_grad_value_", "clip_value", clip_value)
    for grad in _grads(parameters):
        backend.xp.clip(grad.array, -clip_value, clip_value, out=grad.array)
        grad._version_counter[0] += 1
