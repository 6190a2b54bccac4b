"""Channel dropout (``Dropout1d``, ``Dropout2d``) and ``AlphaDropout``.

``Dropout1d`` / ``Dropout2d`` zero whole channels: one keep-or-drop draw per (sample, channel), shared
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

from typing import Any

import numpy as np

from glassgrad.nn.module import Module
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor

_SELU_ALPHA_PRIME = -1.0507009873554804934193349852946 * 1.6732632423543772848170429916717


def _check_p(name: str, p: float) -> float:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{name}: dropout probability has to be between 0 and 1, but got {p}")
    return float(p)


def channel_dropout(x: Any, p: float, training: bool, spatial_dims: int, name: str,
                    rng: np.random.Generator | None = None) -> Tensor:
    """Zero whole channels of x (N, C, *spatial) or unbatched (C, *spatial) with probability p."""
    x = as_tensor(x)
    if x.ndim not in (spatial_dims + 1, spatial_dims + 2):
        raise ValueError(f"{name}: expected a {spatial_dims + 1}-D (unbatched) or {spatial_dims + 2}-D (batched) "
                         f"input, got shape {tuple(x.shape)}")
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    channel_axes = 2 if x.ndim == spatial_dims + 2 else 1
    mask_shape = tuple(x.shape[:channel_axes]) + (1,) * (x.ndim - channel_axes)
    keep = resolve_rng(rng).random(mask_shape) >= p
    mask = (keep / (1.0 - p)).astype(x.dtype)
    return x * Tensor._make(mask, False)


class _ChannelDropout(Module):
    spatial_dims = 1

    def __init__(self, p: float = 0.5, inplace: bool = False, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.p, self.inplace, self.rng = _check_p(type(self).__name__, p), inplace, rng

    def forward(self, x: Tensor) -> Tensor:
        return channel_dropout(x, self.p, self.training, self.spatial_dims, type(self).__name__, self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(_ChannelDropout):
    """Zeroes whole channels of (N, C, L) or (C, L) input with probability p (training mode only)."""

    spatial_dims = 1


class Dropout2d(_ChannelDropout):
    """Zeroes whole feature maps of (N, C, H, W) or (C, H, W) input with probability p (training mode only).
    As torch, a 3-D input is read as (N, C, L) (channel-wise 1-D dropout), without torch's warning."""

    spatial_dims = 2

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        spatial = 1 if x.ndim == 3 else 2
        return channel_dropout(x, self.p, self.training, spatial, "Dropout2d", self.rng)


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


def dropout1d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002, ARG001
    """F.dropout1d: zero whole channels of (N, C, L) or (C, L) with probability p."""
    return channel_dropout(input, _check_p("dropout1d", p), training, 1, "dropout1d")


def dropout2d(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:  # noqa: A002, ARG001
    """F.dropout2d: zero whole feature maps of (N, C, H, W) or (C, H, W) with probability p."""
    return channel_dropout(input, _check_p("dropout2d", p), training, 2, "dropout2d")
