"""Lazy layers: the input size is read from the first input instead of given to the constructor.

``LazyLinear(out_features)`` is a ``Linear`` whose ``in_features`` is ``input.shape[-1]`` of the first
call; ``LazyConv2d(out_channels, kernel_size, ...)`` a ``Conv2d`` whose ``in_channels`` is the first
input's channel count (likewise the 1-d/3-d and transposed convolutions); ``LazyBatchNorm2d()`` a
``BatchNorm2d`` whose ``num_features`` is the first input's size at dim 1 (likewise the other batch
and instance norms, as torch also for an unbatched input). Until that call the weight
(and bias, running statistics) hold no values: they are empty arrays, the ``Parameter`` objects already exist so an
optimizer can be built on them. The first call, as torch's:

1. reads the size from the input and gives each such parameter its full shape, in place (the same
   ``Parameter`` objects, so an optimizer made earlier updates them);
2. turns the module into the ordinary layer (``type(m)`` becomes ``Linear``, ``Conv2d`` ...,
   ``cls_to_become``);
3. initialises the parameters as that layer does (``reset_parameters``) and runs its forward.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.nn.conv import Conv1d, Conv2d, ConvTranspose2d
from glassgrad.nn.conv_nd import Conv3d, ConvTranspose1d, ConvTranspose3d
from glassgrad.nn.linear import Linear
from glassgrad.nn.normalization import (
    BatchNorm1d,
    BatchNorm2d,
    BatchNorm3d,
    InstanceNorm1d,
    InstanceNorm2d,
    InstanceNorm3d,
)
from glassgrad.tensor import Tensor, as_tensor


class LazyModuleMixin:
    """What every lazy layer shares: the parameters take their shapes at the first forward."""

    cls_to_become: type | None = None

    def has_uninitialized_params(self) -> bool:
        """True until the first forward has given the parameters their shapes."""
        return True  # after it the module is no longer lazy (its class is cls_to_become)

    def reset_parameters(self, *args: Any, **kwargs: Any) -> None:
        """Nothing to initialise yet: the first forward initialises the parameters (as torch)."""

    def initialize_parameters(self, input: Tensor) -> None:  # noqa: A002
        """Give the parameters their shapes from ``input`` (each lazy layer says how)."""
        raise NotImplementedError

    def forward(self, input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        self.initialize_parameters(as_tensor(input))
        self.__class__ = self.cls_to_become
        self.reset_parameters()
        return self.forward(input, *args, **kwargs)


def _materialise(parameter: Tensor | None, shape: tuple[int, ...]) -> None:
    """Give an empty lazy parameter its shape, in place (values set by reset_parameters after)."""
    if parameter is not None:
        parameter.array = backend.xp.zeros(shape, dtype=parameter.array.dtype)


class LazyLinear(LazyModuleMixin, Linear):
    """A ``Linear`` whose ``in_features`` is the last size of the first input.

    Args: out_features, bias (default True), device, dtype: as Linear.
    """

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, out_features, bias, device, dtype)

    def initialize_parameters(self, input: Tensor) -> None:  # noqa: A002
        if input.ndim < 1:
            raise RuntimeError(f"{type(self).__name__}: the input needs a last dimension, got shape {input.shape}")
        self.in_features = int(input.shape[-1])
        _materialise(self.weight, (self.out_features, self.in_features))


class _LazyConvMixin(LazyModuleMixin):
    """in_channels from the first input: its size at dim 1 (batched) or 0 (unbatched)."""

    transposed = False

    def initialize_parameters(self, input: Tensor) -> None:  # noqa: A002
        spatial = len(self.kernel_size)
        if input.ndim not in (spatial + 1, spatial + 2):
            raise RuntimeError(f"Expected {spatial + 1}D (unbatched) or {spatial + 2}D (batched) input to "
                               f"{type(self).__name__}, but got input of size: {list(input.shape)}")
        in_channels = int(input.shape[1] if input.ndim == spatial + 2 else input.shape[0])
        if in_channels % self.groups:
            raise ValueError(f"{type(self).__name__}: in_channels ({in_channels}) must be divisible by groups "
                             f"({self.groups})")
        self.in_channels = in_channels
        pair = ((in_channels, self.out_channels // self.groups) if self.transposed
                else (self.out_channels, in_channels // self.groups))
        _materialise(self.weight, pair + tuple(self.kernel_size))


class LazyConv1d(_LazyConvMixin, Conv1d):
    """A ``Conv1d`` whose ``in_channels`` is the first input's channel count. Args: as Conv1d without in_channels."""

    cls_to_become = Conv1d

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         device, dtype)


class LazyConv2d(_LazyConvMixin, Conv2d):
    """A ``Conv2d`` whose ``in_channels`` is the first input's channel count. Args: as Conv2d without in_channels."""

    cls_to_become = Conv2d

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         device, dtype)


class LazyConv3d(_LazyConvMixin, Conv3d):
    """A ``Conv3d`` whose ``in_channels`` is the first input's channel count. Args: as Conv3d without in_channels."""

    cls_to_become = Conv3d

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0, dilation: Any = 1,
                 groups: int = 1, bias: bool = True, padding_mode: str = "zeros", device: Any = None,
                 dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         device, dtype)


class _LazyConvTransposeMixin(_LazyConvMixin):
    transposed = True


class LazyConvTranspose1d(_LazyConvTransposeMixin, ConvTranspose1d):
    """A ``ConvTranspose1d`` whose ``in_channels`` is the first input's channel count."""

    cls_to_become = ConvTranspose1d

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation,
                         padding_mode, device, dtype)


class LazyConvTranspose2d(_LazyConvTransposeMixin, ConvTranspose2d):
    """A ``ConvTranspose2d`` whose ``in_channels`` is the first input's channel count."""

    cls_to_become = ConvTranspose2d

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation,
                         padding_mode, device, dtype)


class LazyConvTranspose3d(_LazyConvTransposeMixin, ConvTranspose3d):
    """A ``ConvTranspose3d`` whose ``in_channels`` is the first input's channel count."""

    cls_to_become = ConvTranspose3d

    def __init__(self, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None) -> None:
        super().__init__(0, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation,
                         padding_mode, device, dtype)


class _LazyNormMixin(LazyModuleMixin):
    """num_features from the first input's size at dim 1 (as torch, also for an unbatched input)."""

    def __init__(self, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: Any = None, *,
                 bias: bool = True) -> None:
        super().__init__(0, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)

    def initialize_parameters(self, input: Tensor) -> None:  # noqa: A002
        if input.ndim < 2:
            raise RuntimeError(f"{type(self).__name__}: expected an input with a dim 1, got shape {input.shape}")
        self.num_features = int(input.shape[1])
        for name in ("weight", "bias", "running_mean", "running_var"):
            _materialise(getattr(self, name), (self.num_features,))


class LazyBatchNorm1d(_LazyNormMixin, BatchNorm1d):
    """A ``BatchNorm1d`` whose ``num_features`` is the first input's size at dim 1. Args: as BatchNorm1d
    without num_features."""

    cls_to_become = BatchNorm1d


class LazyBatchNorm2d(_LazyNormMixin, BatchNorm2d):
    """A ``BatchNorm2d`` whose ``num_features`` is the first input's size at dim 1."""

    cls_to_become = BatchNorm2d


class LazyBatchNorm3d(_LazyNormMixin, BatchNorm3d):
    """A ``BatchNorm3d`` whose ``num_features`` is the first input's size at dim 1."""

    cls_to_become = BatchNorm3d


class LazyInstanceNorm1d(_LazyNormMixin, InstanceNorm1d):
    """An ``InstanceNorm1d`` whose ``num_features`` is the first input's size at dim 1 (affine and
    track_running_stats default to True here, as torch's)."""

    cls_to_become = InstanceNorm1d


class LazyInstanceNorm2d(_LazyNormMixin, InstanceNorm2d):
    """An ``InstanceNorm2d`` whose ``num_features`` is the first input's size at dim 1."""

    cls_to_become = InstanceNorm2d


class LazyInstanceNorm3d(_LazyNormMixin, InstanceNorm3d):
    """An ``InstanceNorm3d`` whose ``num_features`` is the first input's size at dim 1."""

    cls_to_become = InstanceNorm3d
