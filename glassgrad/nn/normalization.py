"""Normalisation layers: BatchNorm1d/2d/3d, GroupNorm, LayerNorm, InstanceNorm1d/2d/3d.

The parameter and buffer names (weight, bias, running_mean, running_var,
num_batches_tracked) are torch's, so torch state_dicts load as they are.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.nn.functional_layers import instance_norm
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.norm import batch_norm, group_norm, layer_norm
from glassgrad.tensor import Tensor, as_tensor


def _running_stats(module: Module, num_features: int, dtype: Any, track: bool) -> None:
    """The buffers running_mean (init 0), running_var (init 1) and num_batches_tracked, or None for each."""
    xp = backend.xp
    if track:
        module.register_buffer("running_mean", Tensor(xp.zeros(num_features, dtype=dtype)))
        module.register_buffer("running_var", Tensor(xp.ones(num_features, dtype=dtype)))
        module.register_buffer("num_batches_tracked", Tensor(xp.asarray(0, dtype=np.int64)))
    else:
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            module.register_buffer(name, None)


def _affine_params(module: Module, shape: tuple[int, ...], dtype: Any, weight: bool, bias: bool) -> None:
    xp = backend.xp
    if weight:
        module.weight = Parameter(xp.ones(shape, dtype=dtype))
    else:
        module.register_parameter("weight", None)
    if bias:
        module.bias = Parameter(xp.zeros(shape, dtype=dtype))
    else:
        module.register_parameter("bias", None)


def _reset_norm(module: Module) -> None:
    """torch's reset_parameters of the norm layers: running statistics back to 0 and 1 (and no batches
    counted), weight 1, bias 0."""
    if module.track_running_stats:
        module.running_mean.array[...] = 0
        module.running_var.array[...] = 1
        module.num_batches_tracked.array = backend.xp.asarray(0, dtype=np.int64)
    if module.weight is not None:
        module.weight.array[...] = 1
    if module.bias is not None:
        module.bias.array[...] = 0


class _BatchNorm(Module):
    """Shared body of BatchNorm1d and BatchNorm2d.

    Training: y = (x - mean_B) / sqrt(var_B + eps) * weight + bias with the batch's per-channel
    mean and biased variance, and the running estimates move towards the batch's:
        running = (1 - momentum) running + momentum batch   (unbiased variance),
    or, with momentum=None, to the cumulative average over num_batches_tracked batches.
    Evaluation: the running estimates are used instead (unless track_running_stats=False,
    then the batch statistics are used in both modes).
    """

    _ranks: tuple[int, ...] = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = dtype or backend.get_default_dtype()
        _affine_params(self, (num_features,), dtype, affine, affine and bias)
        _running_stats(self, num_features, dtype, track_running_stats)
        if device is not None:
            self.to(device)

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean.array[...] = 0
            self.running_var.array[...] = 1
            self.num_batches_tracked.array = backend.xp.asarray(0, dtype=np.int64)

    def reset_parameters(self) -> None:
        _reset_norm(self)

    def forward(self, x: Tensor) -> Tensor:
        name = type(self).__name__
        x = as_tensor(x)  # None or a str: one clear TypeError
        if x.ndim not in self._ranks:
            raise ValueError(f"{name}: expected a {' or '.join(f'{r}-D' for r in self._ranks)} input, "
                             f"got shape {x.shape}")
        if x.shape[1] != self.num_features:
            raise OpInputError(f"{name}({self.num_features}): input has {x.shape[1]} channels (shape {x.shape})")
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.array = self.num_batches_tracked.array + 1
            if self.momentum is None:  # cumulative moving average
                factor = 1.0 / float(self.num_batches_tracked.array)
        use_batch_stats = self.training or not self.track_running_stats
        running = (self.running_mean, self.running_var) if (not self.training or self.track_running_stats) \
            else (None, None)
        return batch_norm(x, *running, self.weight, self.bias, use_batch_stats, factor, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L): statistics per channel over N (and L).

    Args:
        num_features: C.
        eps: added to the variance (default 1e-5).
        momentum: weight of the new batch in the running estimates (default 0.1); None for a
            cumulative average.
        affine: learn weight (init 1) and bias (init 0) per channel (default True).
        track_running_stats: keep running_mean (init 0), running_var (init 1) and
            num_batches_tracked (int64) buffers, used in eval mode (default True).
        device, dtype: where the parameters and buffers live, their float dtype.
        bias: with affine, also learn the bias (default True; keyword only).

    Shape:
        (N, C) or (N, C, L) -> same.
    """

    _ranks = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W): statistics per channel over N, H, W.

    Args: as BatchNorm1d.
    Shape: (N, C, H, W) -> same.
    """

    _ranks = (4,)


class BatchNorm3d(_BatchNorm):
    """Batch normalisation of (N, C, D, H, W): statistics per channel over N, D, H, W.

    Args: as BatchNorm1d.
    Shape: (N, C, D, H, W) -> same.
    """

    _ranks = (5,)


class GroupNorm(Module):
    """Group normalisation (Wu & He 2018): each sample's channels are split into groups and
    standardised over (channels of the group, H, W); then a per-channel weight and bias.
    Independent of the batch size (works with batch 1).

    Args:
        num_groups: number of groups (divides num_channels).
        num_channels: C.
        eps: added to the variance (default 1e-5).
        affine: learn weight (init 1) and bias (init 0) per channel (default True).
        device, dtype: where the parameters live, their float dtype.
        bias: with affine, also learn the bias (default True; keyword only).

    Shape:
        (N, C, *) -> same.
    """

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True,
                 device: Any = None, dtype: Any = None, *, bias: bool = True) -> None:
        super().__init__()
        if num_groups < 1 or num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_groups={num_groups} must divide num_channels={num_channels}")
        self.num_groups, self.num_channels, self.eps, self.affine = num_groups, num_channels, eps, affine
        _affine_params(self, (num_channels,), dtype or backend.get_default_dtype(), affine, affine and bias)
        if device is not None:
            self.to(device)

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        if x.ndim < 2 or x.shape[1] != self.num_channels:
            raise OpInputError(f"GroupNorm: expected (N, {self.num_channels}, *) input, got shape {x.shape}")
        return group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class _InstanceNorm(Module):
    """Instance normalisation: each (sample, channel) signal standardised over its own spatial
    positions, then an optional per-channel weight and bias.

    By default the statistics are the input's in both modes. With ``track_running_stats`` the
    running estimates move by each batch's per-instance statistics averaged over the batch
    (``F.instance_norm``) and normalise the input in eval mode.

    Args:
        num_features: C.
        eps: added to the variance (default 1e-5).
        momentum: weight of the new statistics in the running estimates (default 0.1; None counts as 0).
        affine: learn weight (init 1) and bias (init 0) per channel (default False, as torch).
        track_running_stats: keep running_mean, running_var (and num_batches_tracked, as torch) (default False).
        device, dtype: where the parameters and buffers live, their float dtype.
        bias: with affine, also learn the bias (default True; keyword only).
    """

    _spatial = 2  # how many spatial dims the subclass normalises over
    _layout = "(N, C, H, W)"

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        dtype = dtype or backend.get_default_dtype()
        _affine_params(self, (num_features,), dtype, affine, affine and bias)
        _running_stats(self, num_features, dtype, track_running_stats)
        if device is not None:
            self.to(device)

    def reset_parameters(self) -> None:
        _reset_norm(self)

    def forward(self, x: Tensor) -> Tensor:
        x = as_tensor(x)
        name, batched = type(self).__name__, self._spatial + 2
        if x.ndim not in (batched - 1, batched):
            raise ValueError(f"{name}: expected a {batched}-D input {self._layout} or {batched - 1}-D "
                             f"(without N), got shape {x.shape}")
        channels = x.ndim - self._spatial - 1
        if x.shape[channels] != self.num_features:
            if self.affine:
                raise ValueError(f"{name}: expected input's size at dim={channels} to match num_features "
                                 f"({self.num_features}), but got: {x.shape[channels]}.")
            warnings.warn(f"input's size at dim={channels} does not match num_features. You can silence this "
                          "warning by not passing in num_features, which is not used because affine=False",
                          stacklevel=2)
        batch = x if x.ndim == batched else x.unsqueeze(0)
        y = instance_norm(batch, self.running_mean, self.running_var, self.weight, self.bias,
                          self.training or not self.track_running_stats,
                          0.0 if self.momentum is None else self.momentum, self.eps)
        return y if x.ndim == batched else y.squeeze(0)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class InstanceNorm1d(_InstanceNorm):
    """Instance normalisation of (N, C, L) or unbatched (C, L): each signal over its L positions.

    Args: as InstanceNorm2d.
    """

    _spatial, _layout = 1, "(N, C, L)"


class InstanceNorm2d(_InstanceNorm):
    """Instance normalisation of (N, C, H, W) or unbatched (C, H, W): each plane over its H x W positions.

    Args: see _InstanceNorm (torch's: num_features, eps, momentum, affine, track_running_stats,
    device, dtype, *, bias).
    """

    _spatial, _layout = 2, "(N, C, H, W)"


class InstanceNorm3d(_InstanceNorm):
    """Instance normalisation of (N, C, D, H, W) or unbatched (C, D, H, W): each volume over its
    D x H x W positions.

    Args: as InstanceNorm2d.
    """

    _spatial, _layout = 3, "(N, C, D, H, W)"


class LayerNorm(Module):
    """Layer normalisation (Ba et al. 2016): standardise over the trailing ``normalized_shape``
    axes of each sample, then an elementwise weight and bias of that shape.

    Args:
        normalized_shape: int or tuple: the trailing axes to normalise over.
        eps: added to the variance (default 1e-5).
        elementwise_affine: learn weight (init 1) and bias (init 0) (default True).
        bias: with elementwise_affine, also learn the bias (default True).

    Shape:
        (*, *normalized_shape) -> same.
    """

    def __init__(self, normalized_shape: Any, eps: float = 1e-5, elementwise_affine: bool = True,
                 bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        _affine_params(self, shape, dtype or backend.get_default_dtype(), elementwise_affine,
                       elementwise_affine and bias)
        if device is not None:
            self.to(device)

    def forward(self, x: Tensor) -> Tensor:
        return layer_norm(x, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
