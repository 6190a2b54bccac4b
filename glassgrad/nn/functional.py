"""Functional forms under torch.nn.functional's names (``from glassgrad.nn import functional as F``).

Everything here is a re-export of, or a thin adapter over, an op in
``glassgrad.ops``; the math and derivatives are documented there. Argument
names follow torch (``dim=``, ``negative_slope=``, ``reduction=``) so code ports.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad import ops
from glassgrad.nn.activation import gelu as _gelu
from glassgrad.ops.indexing import one_hot as one_hot
from glassgrad.ops.losses import binary_cross_entropy as binary_cross_entropy
from glassgrad.ops.losses import binary_cross_entropy_with_logits as binary_cross_entropy_with_logits
from glassgrad.ops.losses import cross_entropy as cross_entropy
from glassgrad.ops.losses import mse_loss as mse_loss
from glassgrad.ops.losses import nll_loss as nll_loss
from glassgrad.ops.matmul import linear as linear
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor


# ----- activations ----------------------------------------------------------------
def relu(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """max(x, 0); ``inplace`` is accepted and ignored."""
    return ops.relu(input)


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:  # noqa: A002
    """x for x > 0, negative_slope * x otherwise."""
    return ops.leaky_relu(input, negative_slope)


def sigmoid(input: Any) -> Tensor:  # noqa: A002
    return ops.sigmoid(input)


def tanh(input: Any) -> Tensor:  # noqa: A002
    return ops.tanh(input)


def gelu(input: Any, approximate: str = "none") -> Tensor:  # noqa: A002
    """GELU, exact (erf) or ``approximate="tanh"``."""
    return _gelu(input, approximate)


def softmax(input: Any, dim: int) -> Tensor:  # noqa: A002
    """Softmax along ``dim`` (required, unlike torch's deprecated implicit choice)."""
    return ops.softmax(input, dim)


def log_softmax(input: Any, dim: int) -> Tensor:  # noqa: A002
    """Log-softmax along ``dim``."""
    return ops.log_softmax(input, dim)


# ----- regularisation ---------------------------------------------------------------
def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False,  # noqa: A002
            *, rng: np.random.Generator | None = None) -> Tensor:
    """Inverted dropout (torch's signature; ``inplace`` is accepted and ignored; ``rng`` picks the generator)."""
    return ops.dropout(input, p, training, resolve_rng(rng))


# ----- shape ----------------------------------------------------------------------
def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float = 0.0) -> Tensor:  # noqa: A002
    """Constant padding with torch's argument order: pairs from the LAST axis backwards,
    ``(left_last, right_last, left_second_last, right_second_last, ...)``.

    ``F.pad(x, (1, 2))`` pads the last axis by 1 before and 2 after; ``F.pad(x, (1, 1, 2, 2))``
    also pads the second-last axis by 2 on each side. Converted to ``ops.pad``'s per-axis order.
    """
    x = input if isinstance(input, Tensor) else Tensor(input)
    if mode != "constant":
        raise NotImplementedError(f"pad: only mode='constant' is implemented, got {mode!r}")
    if len(pad) % 2 or len(pad) // 2 > x.ndim:
        raise ValueError(f"pad: need an even number of values, at most 2 * ndim = {2 * x.ndim}; got {tuple(pad)}")
    pairs = [(int(pad[2 * i]), int(pad[2 * i + 1])) for i in range(len(pad) // 2)]  # last axis first
    widths = [(0, 0)] * (x.ndim - len(pairs)) + pairs[::-1]
    return ops.pad(x, widths, value)


# ----- layers from other families (conv, pooling, normalization, embedding) ----------
# Other engineers: add your functional names below this line, one import per name,
# e.g. ``from glassgrad.ops.conv import conv2d as conv2d``, and list them in __all__.
from glassgrad.ops.conv import conv1d as conv1d  # noqa: E402  (conv stack: conv, pooling, normalization)
from glassgrad.ops.conv import conv2d as conv2d  # noqa: E402
from glassgrad.ops.conv import conv_transpose2d as conv_transpose2d  # noqa: E402
from glassgrad.ops.embedding import embedding as embedding  # noqa: E402  (torch's F.embedding(input, weight, padding_idx))
from glassgrad.ops.norm import batch_norm as batch_norm  # noqa: E402
from glassgrad.ops.norm import group_norm as group_norm  # noqa: E402
from glassgrad.ops.norm import instance_norm as instance_norm  # noqa: E402
from glassgrad.ops.norm import layer_norm as layer_norm  # noqa: E402
from glassgrad.ops.pool import avg_pool2d as avg_pool2d  # noqa: E402
from glassgrad.ops.pool import max_pool2d as max_pool2d  # noqa: E402
from glassgrad.ops.resample import adaptive_avg_pool2d as adaptive_avg_pool2d  # noqa: E402
from glassgrad.ops.resample import interpolate as interpolate  # noqa: E402
from glassgrad.ops.resample import upsample as upsample  # noqa: E402

__all__ = [
    "adaptive_avg_pool2d", "avg_pool2d", "batch_norm", "conv1d", "conv2d", "conv_transpose2d",  # conv stack
    "group_norm", "instance_norm", "interpolate", "layer_norm", "max_pool2d", "upsample",
    "embedding",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "dropout", "gelu",
    "leaky_relu", "linear", "log_softmax", "mse_loss", "nll_loss", "one_hot", "pad", "relu", "sigmoid",
    "softmax", "tanh",
]
