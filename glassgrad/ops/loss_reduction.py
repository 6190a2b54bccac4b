"""What every loss op shares: the reduction, its gradient, argument checks, torch's size warning.

Every loss takes ``reduction``:

- ``"none"``: one loss per element (per position),
- ``"sum"``: their sum,
- ``"mean"``: their sum divided by a denominator (the element count; for
  class-weighted cross-entropy/NLL the summed weights of the targets; for an
  elementwise ``weight`` its sum), as torch.

The legacy ``size_average`` / ``reduce`` flags are mapped onto it as torch does.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.tensor import Tensor

REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction: str, op_name: str, extra: tuple[str, ...] = ()) -> None:
    if reduction not in REDUCTIONS + extra:
        raise ValueError(f"{op_name}: reduction must be one of {REDUCTIONS + extra}, got {reduction!r}")


def legacy_reduction(size_average: bool | None, reduce: bool | None, reduction: str) -> str:
    """torch's mapping of the deprecated ``size_average`` / ``reduce`` flags (with its warning)."""
    if size_average is None and reduce is None:
        return reduction
    warnings.warn("size_average and reduce args will be deprecated, please use reduction='"
                  + ("mean" if size_average in (None, True) and reduce in (None, True) else
                     "sum" if reduce in (None, True) else "none") + "' instead.", UserWarning, stacklevel=3)
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if not reduce:
        return "none"
    return "mean" if size_average else "sum"


def reduce_losses(losses: Any, reduction: str, denominator: Any, dtype: Any) -> Any:
    """Apply the reduction to per-element losses (the mean divides by ``denominator``)."""
    if reduction == "none":
        return losses.astype(dtype, copy=False)
    total = losses.sum()
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 = nan when every target is ignored
            total = total / denominator
    return backend.xp.asarray(total, dtype=dtype)


def upstream(grad: Any, reduction: str, denominator: Any) -> Any:
    """d total / d (each per-element loss): ``grad`` itself, or grad / denominator for the mean
    (0 when the denominator is 0, i.e. every target ignored, as torch)."""
    if reduction == "mean":
        return grad / denominator if denominator != 0 else grad * 0
    return grad


def like(target: Tensor, x: Tensor) -> Tensor:
    """A constant target in the input's dtype (a target that needs a gradient is left alone)."""
    if target.dtype == x.dtype or target.requires_grad:
        return target
    return Tensor._make(target.array.astype(x.dtype), False)


def elementwise_weight(weight: Any, x: Tensor, name: str, op_name: str) -> Any:
    """A weight array broadcastable to the input's shape, in its dtype (None stays None)."""
    if weight is None:
        return None
    w = weight.array if isinstance(weight, Tensor) else backend.xp.asarray(weight)
    try:
        fits = np.broadcast_shapes(w.shape, x.shape) == tuple(x.shape)
    except ValueError:
        fits = False
    if not fits:
        raise OpInputError(f"{op_name}: {name} of shape {w.shape} does not broadcast to the input's shape {x.shape}")
    return w.astype(x.dtype, copy=False)


def _size_text(shape: tuple[int, ...]) -> str:
    return f"glassgrad.Size([{', '.join(str(d) for d in shape)}])"


def warn_if_sizes_differ(x: Tensor, y: Tensor, op_name: str) -> None:
    """torch's warning when a regression target's shape differs from the input's, e.g. (N,) against
    (N, 1): both are then broadcast to (N, N), which is almost never what was meant."""
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise OpInputError(f"{op_name}: input shape {tuple(x.shape)} and target shape {tuple(y.shape)} do not "
                           "broadcast") from None
    if tuple(x.shape) != tuple(y.shape):
        warnings.warn(f"Using a target size ({_size_text(y.shape)}) that is different to the input size "
                      f"({_size_text(x.shape)}). This will likely lead to incorrect results due to broadcasting. "
                      "Please ensure they have the same size.", UserWarning, stacklevel=3)
