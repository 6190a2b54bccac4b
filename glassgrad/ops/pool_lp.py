"""Power-average (LP) pooling: the p-norm of each window, lp_pool1d / lp_pool2d / lp_pool3d.

    y = (sum over the window of x^p)^(1/p) = (K * avg_pool(x^p))^(1/p),   K = the kernel's size

A composition, as torch's: the power, the average pooling of ``pool_nd.py`` (no padding; with
``ceil_mode`` a clipped last window still multiplies by the full K, as torch), the sign-preserving
clamp sign(a) relu(|a|) and the 1/p power, so the engine chains their derivatives. p = inf is the
max of |x| over the window and p = -inf the min, as torch.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import ops
from glassgrad.ops.conv_nd import ntuple
from glassgrad.ops.pool_nd import avg_pool_nd, max_pool_nd
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["lp_pool1d", "lp_pool2d", "lp_pool3d"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["lp_pool1d", "lp_pool2d", "lp_pool3d"]


def lp_pool_nd(op: str, input: Any, spatial: int, norm_type: float, kernel_size: Any, stride: Any = None,  # noqa: A002
               ceil_mode: bool = False) -> Tensor:
    """The p-norm of every window over ``spatial`` axes (torch's F.lp_pool{1,2,3}d)."""
    x = as_tensor(input)
    if norm_type == math.inf:
        return max_pool_nd(op, x.abs(), spatial, kernel_size, stride, 0, 1, ceil_mode)
    if norm_type == -math.inf:
        return -max_pool_nd(op, -x.abs(), spatial, kernel_size, stride, 0, 1, ceil_mode)
    size = math.prod(ntuple(kernel_size, spatial, "kernel_size", op))
    mean = avg_pool_nd(op, x ** norm_type, spatial, kernel_size, stride, 0, ceil_mode)
    return (ops.sign(mean) * ops.relu(mean.abs()) * size) ** (1.0 / norm_type)


def lp_pool1d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None,  # noqa: A002
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of every length-k window of (N, C, L) or (C, L)."""
    return lp_pool_nd("lp_pool1d", input, 1, norm_type, kernel_size, stride, ceil_mode)


def lp_pool2d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None,  # noqa: A002
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of every (kh, kw) window of (N, C, H, W) or (C, H, W)."""
    return lp_pool_nd("lp_pool2d", input, 2, norm_type, kernel_size, stride, ceil_mode)


def lp_pool3d(input: Any, norm_type: float, kernel_size: Any, stride: Any = None,  # noqa: A002
              ceil_mode: bool = False) -> Tensor:
    """The p-norm of every (kd, kh, kw) window of (N, C, D, H, W) or (C, D, H, W)."""
    return lp_pool_nd("lp_pool3d", input, 3, norm_type, kernel_size, stride, ceil_mode)
