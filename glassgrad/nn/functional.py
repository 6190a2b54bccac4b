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
from glassgrad.nn.activation import apply_activation as _apply_activation
from glassgrad.nn.activation import gelu as _gelu
from glassgrad.ops.indexing import one_hot as one_hot
from glassgrad.ops.softmax import legacy_softmax_dim
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor


# ----- activations ----------------------------------------------------------------
def relu(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """max(x, 0) (``inplace=True`` writes it into ``input``)."""
    return _apply_activation(ops.relu, input, inplace)


def leaky_relu(input: Any, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:  # noqa: A002
    """x for x > 0, negative_slope * x otherwise."""
    return _apply_activation(ops.leaky_relu, input, inplace, negative_slope)


def sigmoid(input: Any) -> Tensor:  # noqa: A002
    return ops.sigmoid(input)


def tanh(input: Any) -> Tensor:  # noqa: A002
    return ops.tanh(input)


def gelu(input: Any, approximate: str = "none") -> Tensor:  # noqa: A002
    """GELU, exact (erf) or ``approximate="tanh"``."""
    return _gelu(input, approximate)


def softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:  # noqa: A002, ARG001
    """Softmax along ``dim`` (the input cast to ``dtype`` first); without ``dim``, torch's legacy
    implicit choice with its warning (dim 0 for 0-, 1- and 3-D inputs, else 1)."""
    x = as_tensor(input)
    return ops.softmax(x, legacy_softmax_dim(x.ndim, "softmax") if dim is None else dim, dtype)


def log_softmax(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:  # noqa: A002, ARG001
    """Log-softmax along ``dim`` (as ``softmax``)."""
    x = as_tensor(input)
    return ops.log_softmax(x, legacy_softmax_dim(x.ndim, "log_softmax") if dim is None else dim, dtype)


# ----- regularisation ---------------------------------------------------------------
def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False,  # noqa: A002
            *, rng: np.random.Generator | None = None) -> Tensor:
    """Inverted dropout (torch's signature; ``inplace`` is accepted and ignored; ``rng`` picks the generator)."""
    return ops.dropout(input, p, training, resolve_rng(rng))


# ----- shape ----------------------------------------------------------------------
def pad(input: Any, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:  # noqa: A002
    """torch's ``F.pad``: (before, after) pairs from the LAST dim backwards; modes 'constant',
    'reflect', 'replicate', 'circular' (see ``glassgrad.ops.movement_pad``)."""
    return ops.pad(input, pad, mode, value)


# ----- layers from other families (conv, pooling, normalization, embedding) ----------
# An op family's F names come from its FUNCTIONAL_NAMES list (the last line of this file,
# glassgrad/ops/families.py); write an F function here only where it adapts an op to torch's F signature.

# Each family below is added to by its own work; keep the blocks apart.
# --- activations (pointwise work) ---
def silu(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """x * sigmoid(x)."""
    return _apply_activation(ops.silu, input, inplace)


def mish(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """x * tanh(softplus(x))."""
    return _apply_activation(ops.mish, input, inplace)


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """ln(1 + e^(beta x)) / beta, linear where beta x > threshold."""
    return ops.softplus(input, beta, threshold)


def elu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """x for x > 0, alpha (e^x - 1) otherwise."""
    return _apply_activation(ops.elu, input, inplace, alpha)


def selu(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """scale * elu(x, alpha) with the self-normalising constants."""
    return _apply_activation(ops.selu, input, inplace)


def celu(input: Any, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """max(0, x) + min(0, alpha (e^(x / alpha) - 1))."""
    return _apply_activation(ops.celu, input, inplace, alpha)


def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """Clamp to [min_val, max_val]."""
    return _apply_activation(ops.hardtanh, input, inplace, min_val, max_val)


def relu6(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """min(max(x, 0), 6)."""
    return _apply_activation(ops.relu6, input, inplace)


def hardsigmoid(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """relu6(x + 3) / 6."""
    return _apply_activation(ops.hardsigmoid, input, inplace)


def hardswish(input: Any, inplace: bool = False) -> Tensor:  # noqa: A002
    """x * relu6(x + 3) / 6."""
    return _apply_activation(ops.hardswish, input, inplace)


def logsigmoid(input: Any) -> Tensor:  # noqa: A002
    """log(sigmoid(x)), stable."""
    return ops.logsigmoid(input)


def softsign(input: Any) -> Tensor:  # noqa: A002
    """x / (1 + |x|)."""
    return ops.softsign(input)


def tanhshrink(input: Any) -> Tensor:  # noqa: A002
    """x - tanh(x)."""
    return ops.tanhshrink(input)


# --- losses, padding, nn work ---
from glassgrad.nn.functional_layers import avg_pool2d as avg_pool2d  # noqa: E402  (torch's argument order)
from glassgrad.nn.functional_layers import embedding as embedding  # noqa: E402
from glassgrad.nn.functional_layers import instance_norm as instance_norm  # noqa: E402
from glassgrad.nn.functional_layers import interpolate as interpolate  # noqa: E402
from glassgrad.nn.functional_layers import max_pool2d as max_pool2d  # noqa: E402
from glassgrad.nn.functional_layers import one_hot as one_hot  # noqa: E402, F811  (int64, as torch)
from glassgrad.ops.losses import cosine_embedding_loss as cosine_embedding_loss  # noqa: E402
from glassgrad.ops.losses import huber_loss as huber_loss  # noqa: E402
from glassgrad.ops.losses import kl_div as kl_div  # noqa: E402
from glassgrad.ops.losses import l1_loss as l1_loss  # noqa: E402
from glassgrad.ops.losses import margin_ranking_loss as margin_ranking_loss  # noqa: E402
from glassgrad.ops.losses import smooth_l1_loss as smooth_l1_loss  # noqa: E402
from glassgrad.ops.normalize import normalize as normalize  # noqa: E402

# isort: split
# --- attention / transformer ---
from glassgrad.nn.attention_functional import multi_head_attention_forward as multi_head_attention_forward  # noqa: E402, E501

# --- autograd extras: distances, similarities, more pooling and layers' functional forms ---
# isort: split
from glassgrad.nn.channel_dropout import alpha_dropout as alpha_dropout  # noqa: E402
from glassgrad.nn.channel_dropout import dropout1d as dropout1d  # noqa: E402
from glassgrad.nn.channel_dropout import dropout2d as dropout2d  # noqa: E402
from glassgrad.nn.channel_dropout import dropout3d as dropout3d  # noqa: E402
from glassgrad.nn.layers_misc import pixel_shuffle as pixel_shuffle  # noqa: E402
from glassgrad.nn.layers_misc import pixel_unshuffle as pixel_unshuffle  # noqa: E402
from glassgrad.nn.layers_misc import rms_norm as rms_norm  # noqa: E402
from glassgrad.nn.pooling_more import adaptive_avg_pool1d as adaptive_avg_pool1d  # noqa: E402
from glassgrad.nn.pooling_more import avg_pool1d as avg_pool1d  # noqa: E402
from glassgrad.nn.pooling_more import max_pool1d as max_pool1d  # noqa: E402
from glassgrad.ops.adaptive_max_pool import adaptive_max_pool2d as adaptive_max_pool2d  # noqa: E402
from glassgrad.ops.prelu import prelu as prelu  # noqa: E402

# isort: split
# --- nn.functional families of issue 21: shrink/threshold/gated activations, losses, windows, sampling ---
from glassgrad.nn.channel_shuffle import channel_shuffle as channel_shuffle  # noqa: E402
from glassgrad.ops.embedding_bag import embedding_bag as embedding_bag  # noqa: E402
from glassgrad.ops.fold_unfold import fold as fold  # noqa: E402
from glassgrad.ops.fold_unfold import unfold as unfold  # noqa: E402
from glassgrad.ops.fractional_max_pool import fractional_max_pool2d as fractional_max_pool2d  # noqa: E402
from glassgrad.ops.fractional_max_pool import fractional_max_pool3d as fractional_max_pool3d  # noqa: E402
from glassgrad.ops.grid_sample import affine_grid as affine_grid  # noqa: E402
from glassgrad.ops.grid_sample import grid_sample as grid_sample  # noqa: E402


def softmin(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:  # noqa: A002
    """softmax(-x) along ``dim`` (torch's signature; without ``dim``, torch's legacy implicit choice)."""
    return ops.softmin(input, dim, dtype)


def threshold(input: Any, threshold: float, value: float, inplace: bool = False) -> Tensor:  # noqa: A002
    """x where x > threshold, else value."""
    return _apply_activation(ops.threshold, input, inplace, threshold, value)


def rrelu(input: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,  # noqa: A002
          inplace: bool = False) -> Tensor:
    """Leaky ReLU with a random negative slope in [lower, upper] while training, the mean slope otherwise."""
    return _apply_activation(ops.rrelu, input, inplace, lower, upper, training)


def threshold_(input: Any, threshold: float, value: float) -> Tensor:  # noqa: A002
    """``threshold`` written into ``input``."""
    return _apply_activation(ops.threshold, input, True, threshold, value)


def rrelu_(input: Any, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False) -> Tensor:  # noqa: A002
    """``rrelu`` written into ``input``."""
    return _apply_activation(ops.rrelu, input, True, lower, upper, training)


def relu_(input: Any) -> Tensor:  # noqa: A002
    """``relu`` written into ``input``."""
    return _apply_activation(ops.relu, input, True)


def leaky_relu_(input: Any, negative_slope: float = 0.01) -> Tensor:  # noqa: A002
    """``leaky_relu`` written into ``input``."""
    return _apply_activation(ops.leaky_relu, input, True, negative_slope)


def elu_(input: Any, alpha: float = 1.0) -> Tensor:  # noqa: A002
    """``elu`` written into ``input``."""
    return _apply_activation(ops.elu, input, True, alpha)


def celu_(input: Any, alpha: float = 1.0) -> Tensor:  # noqa: A002
    """``celu`` written into ``input``."""
    return _apply_activation(ops.celu, input, True, alpha)


def selu_(input: Any) -> Tensor:  # noqa: A002
    """``selu`` written into ``input``."""
    return _apply_activation(ops.selu, input, True)


def hardtanh_(input: Any, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:  # noqa: A002
    """``hardtanh`` written into ``input``."""
    return _apply_activation(ops.hardtanh, input, True, min_val, max_val)


# --- op families that declare their names: each name in a family's FUNCTIONAL_NAMES is F.X (ops/families.py) ---
ops.families.export(globals(), "FUNCTIONAL_NAMES")
