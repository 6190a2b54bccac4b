"""Small layers over existing ops: PReLU, Softmax2d, RMSNorm, PixelShuffle / PixelUnshuffle,
CosineSimilarity, PairwiseDistance (and ``F.rms_norm``, ``F.pixel_shuffle``, ``F.pixel_unshuffle``).

RMSNorm (Zhang & Sennrich 2019) scales by the root mean square instead of standardising:
    y = x / sqrt(mean(x^2 over the normalized dims) + eps) * weight
with eps = the dtype's machine epsilon when not given (torch's default). It is written with
existing ops (square, mean, rsqrt, products), so its gradient is theirs chained.

PixelShuffle(r) rearranges (N, C r^2, H, W) into (N, C, H r, W r): output pixel (h r + i, w r + j)
of channel c comes from input channel c r^2 + i r + j at (h, w). It is a reshape, a permute and a
reshape, so its gradient is the inverse rearrangement (PixelUnshuffle), done by those ops' backwards.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend, ops
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.distance import cosine_similarity, pairwise_distance
from glassgrad.ops.prelu import prelu
from glassgrad.tensor import Tensor, as_tensor


class PReLU(Module):
    """y = x for x > 0, a * x otherwise, with the slope ``a`` learned: one shared (num_parameters=1)
    or one per channel (dimension 1 of the input). ``a`` starts at ``init`` (0.25)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        dtype = dtype or backend.get_default_dtype()
        self.weight = Parameter(backend.xp.full((num_parameters,), init, dtype=dtype))
        if device is not None:
            self.to(device)

    def forward(self, x: Tensor) -> Tensor:
        return prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class Softmax2d(Module):
    """Softmax over the channels at every position: (N, C, H, W) or (C, H, W), over dim -3."""

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected a 3-D or 4-D input, got shape {tuple(x.shape)}")
        return ops.softmax(x, -3)


def rms_norm(input: Any, normalized_shape: Any, weight: Any = None, eps: float | None = None) -> Tensor:  # noqa: A002
    """F.rms_norm: x / sqrt(mean(x^2 over the last len(normalized_shape) dims) + eps) * weight."""
    x = as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if tuple(x.shape[x.ndim - len(shape):]) != shape or len(shape) > x.ndim:
        raise RuntimeError(f"rms_norm: normalized_shape {list(shape)} does not match the last dimensions of the "
                           f"input of shape {tuple(x.shape)}")
    if x.dtype.kind != "f":
        raise RuntimeError(f"rms_norm: expected a floating point input, got {x.dtype}")
    eps = float(np.finfo(x.dtype).eps) if eps is None else float(eps)
    dims = tuple(range(x.ndim - len(shape), x.ndim))
    y = x * ops.rsqrt(ops.mean(x * x, dims, keepdim=True) + eps)
    return y if weight is None else y * weight


class RMSNorm(Module):
    """Root-mean-square normalization over the last dims ``normalized_shape`` (module docstring).

    Args:
        normalized_shape: int or tuple: the trailing dims to normalize over.
        eps: added to the mean square (default None: the input dtype's machine epsilon, as torch).
        elementwise_affine: learn a per-element ``weight`` (initialised to ones; no bias, as torch).
    """

    def __init__(self, normalized_shape: Any, eps: float | None = None, elementwise_affine: bool = True,
                 device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(backend.xp.ones(shape, dtype=dtype or backend.get_default_dtype()))
        else:
            self.weight = None
        if device is not None:
            self.to(device)

    def forward(self, x: Tensor) -> Tensor:
        return rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


def pixel_shuffle(input: Any, upscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C r^2, H, W) -> (*, C, H r, W r) (module docstring)."""
    x, r = as_tensor(input), int(upscale_factor)
    if x.ndim < 3 or x.shape[-3] % (r * r):
        raise RuntimeError(f"pixel_shuffle: expected an input of at least 3 dims whose channels ({x.shape[-3:-2]}) "
                           f"divide by upscale_factor^2 = {r * r}, got shape {tuple(x.shape)}")
    *batch, c, h, w = x.shape
    n = len(batch)
    y = x.reshape(*batch, c // (r * r), r, r, h, w)
    y = y.permute(*range(n), n, n + 3, n + 1, n + 4, n + 2)  # (*, C, H, r, W, r)
    return y.reshape(*batch, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Any, downscale_factor: int) -> Tensor:  # noqa: A002
    """(*, C, H r, W r) -> (*, C r^2, H, W): the inverse of pixel_shuffle."""
    x, r = as_tensor(input), int(downscale_factor)
    if x.ndim < 3 or x.shape[-1] % r or x.shape[-2] % r:
        raise RuntimeError(f"pixel_unshuffle: height and width of the input of shape {tuple(x.shape)} must divide "
                           f"by downscale_factor = {r}")
    *batch, c, hr, wr = x.shape
    n = len(batch)
    y = x.reshape(*batch, c, hr // r, r, wr // r, r)
    y = y.permute(*range(n), n, n + 2, n + 4, n + 1, n + 3)  # (*, C, r, r, H, W)
    return y.reshape(*batch, c * r * r, hr // r, wr // r)


class PixelShuffle(Module):
    """(N, C r^2, H, W) -> (N, C, H r, W r), r = upscale_factor (sub-pixel convolution's rearrangement)."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, x: Tensor) -> Tensor:
        return pixel_shuffle(x, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(N, C, H r, W r) -> (N, C r^2, H, W), r = downscale_factor."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, x: Tensor) -> Tensor:
        return pixel_unshuffle(x, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"


class CosineSimilarity(Module):
    """F.cosine_similarity(x1, x2, dim, eps) as a layer."""

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    """F.pairwise_distance(x1, x2, p, eps, keepdim) as a layer."""

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        return pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)
