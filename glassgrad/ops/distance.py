"""Distances and similarities between vectors: cdist, pairwise_distance, pdist, cosine_similarity.

Each is written with existing differentiable ops (subtraction, products, the ``Norm`` op of
``reduce_stats.py``), so its gradient is theirs, chained by the engine:

- ``cdist(x1, x2, p)``: D[i, j] = ||x1[i] - x2[j]||_p. Broadcasting x1 (..., P, 1, M) against
  x2 (..., 1, R, M) forms every difference, and the p-norm over M reduces them. d D / d x1[i] is
  (x1[i] - x2[j]) / D[i, j] for p = 2, and the engine sums it over j (the adjoint of the broadcast).
  Where D = 0 the gradient is 0, as torch's.
- ``pairwise_distance(x1, x2, p, eps)``: ||x1 - x2 + eps||_p over the last dimension.
- ``pdist(x, p)``: the distances between every pair of rows i < j of x, as one (N (N - 1) / 2,) vector.
- ``cosine_similarity(x1, x2, dim, eps)``: sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps)), x1 and x2
  broadcast first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import ops
from glassgrad.tensor import Tensor, as_tensor, as_tensor_pair

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["cdist", "cosine_similarity", "pairwise_distance", "pdist"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = ["cosine_similarity", "pairwise_distance", "pdist"]


def cdist(x1: Any, x2: Any, p: float = 2.0, compute_mode: str | None = None) -> Tensor:  # noqa: ARG001
    """All pairwise p-norm distances between the rows of x1 (..., P, M) and x2 (..., R, M) -> (..., P, R)."""
    a, b = as_tensor(x1), as_tensor(x2)
    if a.ndim < 2 or b.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {a.ndim}D, X2 got: {b.ndim}D")
    if a.shape[-1] != b.shape[-1]:
        raise RuntimeError(f"cdist: X1 and X2 must have the same number of columns. X1: {a.shape[-1]} "
                           f"X2: {b.shape[-1]} (shapes {tuple(a.shape)} and {tuple(b.shape)})")
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {a.dtype}, X2 got: {b.dtype}")
    if p < 0:
        raise RuntimeError(f"cdist only supports non-negative p values, got {p}")
    differences = a.unsqueeze(-2) - b.unsqueeze(-3)  # (..., P, R, M)
    return ops.norm(differences, p, -1)


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """||x1 - x2 + eps||_p over the last dimension (x1 and x2 broadcast); F.pairwise_distance."""
    a, b = as_tensor(x1), as_tensor(x2)
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        raise RuntimeError(f"pairwise_distance: expected floating point tensors, got {a.dtype} and {b.dtype}")
    difference = a - b + eps
    if difference.ndim == 0:
        return ops.norm(difference, p, None, keepdim)
    return ops.norm(difference, p, -1, keepdim)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """The cosine of the angle between x1 and x2 along ``dim``; F.cosine_similarity.

    As torch: the two broadcast FIRST, then each is divided by its norm along ``dim`` (at least
    ``eps``) and the products are summed, so the result stays in [-1, 1]. The clamp to ``eps``
    changes the value only: the gradient flows through the norm as if unclamped (torch clamps
    in place without recording it). An integer or bool input meets a float one in its dtype;
    a common dtype that is not floating is an error. 0-d inputs count as one element (dim 0 or -1).
    """
    a, b = as_tensor_pair(x1, x2)
    if a.dtype.kind != "f" or b.dtype.kind != "f":
        raise RuntimeError(f"cosine_similarity: expected common dtype to be floating point, yet common dtype "
                           f"is {a.dtype} (inputs {as_tensor(x1).dtype} and {as_tensor(x2).dtype})")
    try:
        shape = ops.broadcast_shapes(a.shape, b.shape)
    except (ValueError, RuntimeError) as err:
        raise RuntimeError(f"cosine_similarity: x1 {tuple(a.shape)} and x2 {tuple(b.shape)} do not broadcast") from err
    ndim = max(len(shape), 1)
    if not -ndim <= dim < ndim:
        raise IndexError(f"cosine_similarity: dim {dim} is out of range for inputs of {len(shape)} dimensions")
    a, b = ops.expand(a, shape or (1,)), ops.expand(b, shape or (1,))
    cosine = ((a / _clamped_norm(a, dim, eps)) * (b / _clamped_norm(b, dim, eps))).sum(dim)
    return cosine.reshape(()) if not shape else cosine


def _clamped_norm(x: Tensor, dim: int, eps: float) -> Tensor:
    """||x|| along ``dim`` (kept), raised to ``eps`` in value only: its gradient is the norm's."""
    norm = ops.norm(x, 2, dim, True)
    return norm + (norm.clamp_min(eps) - norm).detach()


def pdist(input: Any, p: float = 2.0) -> Tensor:  # noqa: A002
    """The p-norm distances between every pair of rows i < j of an (N, M) input, in row-major pair order
    (N (N - 1) / 2 values; torch.pdist / F.pdist). A composition: gather both rows of each pair, then
    the norm of their difference, so the gradient is the norm's (0 for two equal rows, as torch)."""
    x = as_tensor(input)
    if x.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {x.ndim}D")
    if x.dtype.kind != "f":
        raise RuntimeError(f"pdist only supports floating-point dtypes, got {x.dtype}")
    if p < 0:
        raise RuntimeError(f"pdist only supports non-negative p values, got {p}")
    first, second = np.triu_indices(x.shape[0], k=1)
    return ops.norm(x[first] - x[second], p, -1)
