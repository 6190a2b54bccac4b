"""Channel dropout (``Dropout1d``, ``Dropout2d``, ``Dropout3d``) and ``AlphaDropout``.

``Dropout1d`` / ``Dropout2d`` / ``Dropout3d`` zero whole channels: one keep-or-drop draw per (sample, channel), shared
by every position of that channel's signal or feature map, and the kept channels are scaled by
1 / (1 - p). Neighbouring positions of a feature map are strongly correlated, so dropping them one by
one regularises little; dropping the map does. The mask is a constant, so the gradient is
dx = dy * mask.

``AlphaDropout`` keeps a SELU network's self-normalisation: a dropped element is set to SELU's
negative saturation value alpha' = -lambda * alpha instead of 0, and the result is fixed by the
affine map a * x + b chosen so that the mean and variance stay 0 and 1:
    a = ((1 - p) (1 + p alpha'^2))^(-1/2),    b = -a alpha' p.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from glassgrad.errors import OpInputError
from glassgrad.nn.module import Module
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor

_SELU_ALPHA_PRIME = -1.0507009873554804934193349852946 * 1.6732632423543772848170429916717


def _check_p(name: str, p: float) -> float:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name}: dropout probability has to be between 0 and 1, but got {p}")
    return float(p)


def feature_dropout(x: Any, p: float, training: bool, batched: bool, rng: np.random.Generator | None = None) -> Tensor:
    """Zero whole channels with probability p, the kept ones scaled by 1 / (1 - p): one draw per
    (sample, channel), the first two axes, when ``batched``; else one per entry of the first axis
    (the channel axis of an unbatched input)."""
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    channel_axes = 2 if batched else 1
    mask_shape = tuple(x.shape[:channel_axes]) + (1,) * (x.ndim - channel_axes)
    keep = resolve_rng(rng).random(mask_shape) >= p
    mask = (keep / (1.0 - p)).astype(x.dtype)
    return x * Tensor._make(mask, False)


def _warn_unusual_rank(name: str, ndim: int, spatial_dims: int) -> None:
    """torch's deprecation warning for a rank other than spatial_dims + 1 or + 2 (the input is still used)."""
    warnings.warn(
        f"{name}: Received a {ndim}-D input to {name}, which is deprecated and will result in an error in a "
        f"future release. To retain the behavior and silence this warning, please use dropout instead. Note that "
        f"{name} exists to provide channel-wise dropout on inputs with {spatial_dims} spatial dimensions, a channel "
        f"dimension, and an optional batch dimension (i.e. {spatial_dims + 1}D or {spatial_dims + 2}D inputs).",
        UserWarning, stacklevel=3)


class _ChannelDropout(Module):
    def __init__(self, p: float = 0.5, inplace: bool = False, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.p, self.inplace, self.rng = _check_p(type(self).__name__, p), inplace, rng

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_ChannelDropout):
    """Zeroes whole channels of (N, C, L) or (C, L) input with probability p (training mode only)."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002  (torch's name)
        return dropout1d(input, self.p, self.training, rng=self.rng)


class Dropout2d(_ChannelDropout):
    """Zeroes whole feature maps of (N, C, H, W) input with probability p (training mode only). As
    torch, a 3-D input is read as (N, C, L) (channel-wise 1-D dropout) and other ranks drop along
    the first two axes, each with torch's warning."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout2d(input, self.p, self.training, rng=self.rng)


class Dropout3d(_ChannelDropout):
    """Zeroes whole volumes of (N, C, D, H, W) or unbatched (C, D, H, W) input with probability p
    (training mode only); other ranks, with torch's warning, are read as unbatched."""

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        return dropout3d(input, self.p, self.training, rng=self.rng)


def alpha_dropout(input: Any, p: float = 0.5, training: bool = False, inplace: bool = False, *,  # noqa: A002, ARG001
                  rng: np.random.Generator | None = None) -> Tensor:
    """F.alpha_dropout: dropped elements become alpha' = -lambda alpha, then y = a * x + b (module docstring).
    ``inplace`` is accepted; the result is always a new tensor."""
    x = as_tensor(input)
    _check_p("alpha_dropout", p)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    keep = (resolve_rng(rng).random(x.shape) >= p).astype(x.dtype)
    a = ((1.0 - p) * (1.0 + p * _SELU_ALPHA_PRIME**2)) ** -0.5
    b = -a * _SELU_ALPHA_PRIME * p
    scale = Tensor._make((keep * a).astype(x.dtype), False)
    shift = Tensor._make(((1.0 - keep) * _SELU_ALPHA_PRIME * a + b).astype(x.dtype), False)
    return x * scale + shift


class AlphaDropout(Module):
    """Dropout for SELU networks (module docstring); the identity in eval mode."""

    def __init__(self, p: float = 0.5, inplace: bool = False, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.p, self.inplace, self.rng = _check_p("AlphaDropout", p), inplace, rng

    def forward(self, x: Tensor) -> Tensor:
        return alpha_dropout(x, self.p, self.training, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


def dropout1d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, *,  # noqa: A002, ARG001
              rng: np.random.Generator | None = None) -> Tensor:
    """F.dropout1d: zero whole channels of (N, C, L) or (C, L) with probability p."""
    x, p = as_tensor(input), _check_p("dropout1d", p)
    if x.ndim not in (2, 3):
        raise OpInputError(f"dropout1d: Expected 2D or 3D input, but received a {x.ndim}D input. Note that dropout1d "
                           "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
                           "dimension, and an optional batch dimension (i.e. 2D or 3D inputs).")
    return feature_dropout(x, p, training, batched=x.ndim == 3, rng=rng)


def dropout2d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, *,  # noqa: A002, ARG001
              rng: np.random.Generator | None = None) -> Tensor:
    """F.dropout2d: zero whole feature maps of (N, C, H, W) with probability p. As torch (with its
    warnings): a 3-D input is (N, C, L), and any other rank of at least 2 drops along its first two axes."""
    x, p = as_tensor(input), _check_p("dropout2d", p)
    if x.ndim not in (3, 4):
        _warn_unusual_rank("dropout2d", x.ndim, 2)
    if x.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior is "
            "desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior will "
            "change in a future release to interpret the input as one without a batch dimension, i.e. shape "
            "(C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using dropout1d instead.",
            UserWarning, stacklevel=2)
    if x.ndim < 2:
        raise OpInputError("dropout2d: Feature dropout requires at least 2 dimensions in the input")
    return feature_dropout(x, p, training, batched=True, rng=rng)


def dropout3d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False, *,  # noqa: A002, ARG001
              rng: np.random.Generator | None = None) -> Tensor:
    """F.dropout3d: zero whole volumes of (N, C, D, H, W) or (C, D, H, W) with probability p; as torch
    (with its warning), any other rank is read as unbatched (one draw per entry of the first axis)."""
    x, p = as_tensor(input), _check_p("dropout3d", p)
    if x.ndim not in (4, 5):
        _warn_unusual_rank("dropout3d", x.ndim, 3)
    return feature_dropout(x, p, training, batched=x.ndim == 5, rng=rng)
