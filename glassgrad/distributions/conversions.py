"""Parameter helpers shared by the distributions: probabilities <-> logits, and broadcasting.

* ``probs_to_logits`` gives log-probabilities (log p, for a categorical) or log-odds
  (log p - log(1 - p), for a binary variable), after clamping p into
  [eps, 1 - eps] so that p = 0 or 1 gives a large finite value, not -inf/inf.
* ``logits_to_probs`` is the inverse: softmax over the last dim, or the sigmoid.
* ``broadcast_all`` turns numbers into tensors and expands every argument to
  the common shape (differentiably), as torch's ``broadcast_all``.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend, ops
from glassgrad.tensor import Tensor


def clamp_probs(probs: Tensor) -> Tensor:
    """p clamped into [eps, 1 - eps], eps the machine epsilon of p's dtype."""
    eps = float(numpy.finfo(probs.dtype).eps)
    return ops.clip(probs, eps, 1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    """log p (categorical) or the log-odds log p - log(1 - p) (binary), from clamped p."""
    p = clamp_probs(probs)
    return ops.log(p) - ops.log(1 - p) if is_binary else ops.log(p)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    """sigmoid(logits) (binary) or softmax over the last dim (categorical)."""
    return ops.sigmoid(logits) if is_binary else ops.softmax(logits, -1)


def broadcast_all(*values: Any) -> tuple[Tensor, ...]:
    """Every value as a tensor of the common broadcast shape; numbers take the tensors' float dtype."""
    tensors = [v for v in values if isinstance(v, Tensor)]
    dtype = tensors[0].dtype if tensors and tensors[0].dtype.kind == "f" else backend.get_default_dtype()
    as_tensors = [v if isinstance(v, Tensor) else Tensor(v, dtype=dtype) for v in values]
    shape = tuple(backend.xp.broadcast_shapes(*(tuple(t.shape) for t in as_tensors)))
    return tuple(t if tuple(t.shape) == shape else ops.expand(t, shape) for t in as_tensors)


def as_float_tensor(value: Any) -> Tensor:
    """A parameter as a floating tensor: numbers and integer tensors become the default float dtype."""
    if not isinstance(value, Tensor):
        value = Tensor(value)
    return value if value.dtype.kind == "f" else value.to(backend.get_default_dtype())
