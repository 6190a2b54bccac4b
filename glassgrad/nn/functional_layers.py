"""``F.*`` forms whose glassgrad op has a different signature from torch's: thin adapters.

Each function here takes torch's arguments in torch's order and calls the op in
``glassgrad.ops``; an argument glassgrad does not implement raises
``NotImplementedError`` naming it rather than being silently ignored.
``glassgrad.nn.functional`` re-exports them.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, dtypes
from glassgrad.ops.embedding import embedding as _embedding
from glassgrad.ops.embedding import renorm_rows
from glassgrad.ops.indexing import one_hot as _one_hot
from glassgrad.ops.norm import batch_norm as _batch_norm
from glassgrad.ops.norm import instance_norm as _instance_norm
from glassgrad.ops.pool import avg_pool2d as _avg_pool2d
from glassgrad.ops.pool import max_pool2d as _max_pool2d
from glassgrad.ops.pool_nd import avg_pool_nd, max_pool_nd
from glassgrad.ops.resample import interpolate as _interpolate
from glassgrad.tensor import Tensor, as_tensor


def one_hot(tensor: Any, num_classes: int = -1) -> Tensor:
    """Integer labels of shape S -> int64 (S..., num_classes) with a 1 at each label (torch's dtype).

    ``num_classes=-1`` uses max(label) + 1.
    """
    return _one_hot(tensor, num_classes, dtype=dtypes.int64)


def embedding(input: Any, weight: Any, padding_idx: int | None = None, max_norm: float | None = None,  # noqa: A002
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """Rows of ``weight`` (num_embeddings, D) at integer indices of any shape S -> (*S, D) (torch's F.embedding).

    ``max_norm``: before the lookup, every row that is looked up and whose ``norm_type``-norm
    exceeds ``max_norm`` is rescaled IN PLACE to norm ``max_norm`` (as torch, not recorded).
    """
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse gradients are not implemented")
    weight = as_tensor(weight)
    if max_norm is not None:
        renorm_rows(input, weight, float(max_norm), float(norm_type))
    return _embedding(input, weight, padding_idx)


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,  # noqa: A002
               ceil_mode: bool = False, return_indices: bool = False) -> Tensor:
    """Max over (kh, kw) windows (torch's F.max_pool2d); ``return_indices`` also gives each maximum's
    flat index h * W + w (through the N-d pooling of ``ops/pool_nd.py``, which also takes unbatched (C, H, W))."""
    if return_indices or as_tensor(input).ndim == 3:
        return max_pool_nd("max_pool2d", input, 2, kernel_size, stride, padding, dilation, ceil_mode,
                           return_indices)
    return _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)


def avg_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               ceil_mode: bool = False, count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """Mean over (kh, kw) windows (torch's F.avg_pool2d); ``ceil_mode``, ``divisor_override`` and integer inputs
    take the N-d pooling of ``ops/pool_nd.py``, and so does an unbatched (C, H, W) input."""
    x = as_tensor(input)
    if ceil_mode or divisor_override is not None or x.dtype.kind in "iu" or x.ndim == 3:
        return avg_pool_nd("avg_pool2d", input, 2, kernel_size, stride, padding, ceil_mode, count_include_pad,
                           divisor_override)
    return _avg_pool2d(input, kernel_size, stride, padding, count_include_pad)


def instance_norm(input: Any, running_mean: Any = None, running_var: Any = None, weight: Any = None,  # noqa: A002
                  bias: Any = None, use_input_stats: bool = True, momentum: float = 0.1,
                  eps: float = 1e-5) -> Tensor:
    """Normalise each sample's each channel over its spatial positions (torch's F.instance_norm).

    With running statistics, as torch: every (sample, channel) instance is a channel of one batch
    norm over (1, N*C, *), the running estimates repeated N times. With ``use_input_stats`` each
    instance's mean m_nc and unbiased variance v_nc update its copy, and the copies are averaged
    back: running = (1 - momentum) running + momentum mean_n(m_nc) (likewise the variance);
    without, the running estimates normalise every instance.
    """
    if running_mean is None and running_var is None:
        if not use_input_stats:
            raise ValueError("instance_norm: Expected running_mean and running_var to be defined when "
                             "use_input_stats is false")
        return _instance_norm(input, weight, bias, eps)
    if running_mean is None or running_var is None:
        raise ValueError("instance_norm: give both running_mean and running_var, or neither")
    x = as_tensor(input)
    if x.ndim < 3:
        raise ValueError(f"instance_norm: expected (N, C, *spatial) input, got shape {x.shape}")
    n, c = x.shape[:2]
    xp = backend.xp
    means, variances = Tensor(xp.tile(running_mean.array, n)), Tensor(xp.tile(running_var.array, n))  # (N*C,)
    folded = x.reshape(1, n * c, *x.shape[2:])
    out = _batch_norm(folded, means, variances, None, None, use_input_stats, momentum, eps).reshape(x.shape)
    if use_input_stats:
        running_mean.array = means.array.reshape(n, c).mean(axis=0).astype(running_mean.dtype)
        running_var.array = variances.array.reshape(n, c).mean(axis=0).astype(running_var.dtype)
    per_channel = (c,) + (1,) * (x.ndim - 2)
    if weight is not None:
        out = out * as_tensor(weight).reshape(per_channel)
    if bias is not None:
        out = out + as_tensor(bias).reshape(per_channel)
    return out


def interpolate(input: Any, size: Any = None, scale_factor: Any = None, mode: str = "nearest",  # noqa: A002
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """Resize (N, C, H, W) images, 'nearest' or 'bilinear' (torch's F.interpolate)."""
    if recompute_scale_factor or antialias:
        raise NotImplementedError("interpolate: recompute_scale_factor and antialias are not implemented")
    return _interpolate(input, size, scale_factor, mode, align_corners)
