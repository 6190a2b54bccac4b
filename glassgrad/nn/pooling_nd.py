"""Pooling layers beyond 2-D: MaxPool3d, AvgPool3d, MaxUnpool1d/2d/3d, LPPool1d/2d/3d, AdaptiveAvgPool3d,
AdaptiveMaxPool1d, AdaptiveMaxPool3d, FractionalMaxPool2d/3d (torch's names, arguments and reprs).

Modules over ``glassgrad/ops/pool_nd.py``, ``pool_lp.py``, ``adaptive_pool_nd.py`` and
``fractional_max_pool.py``, where the window geometry and the derivatives are documented.
"""

from __future__ import annotations

from typing import Any

from glassgrad.nn.module import Module
from glassgrad.ops import adaptive_pool_nd, fractional_max_pool, pool_lp, pool_nd
from glassgrad.ops.conv_nd import ntuple
from glassgrad.tensor import Tensor


class MaxPool3d(Module):
    """Maximum over sliding (kd, kh, kw) windows of each channel; the gradient goes to each window's (first)
    maximum. Shape: (N, C, D, H, W) -> (N, C, Do, Ho, Wo), Do = (D + 2 p - d (k - 1) - 1) // s + 1."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride is not None else kernel_size
        self.dilation, self.return_indices, self.ceil_mode = dilation, return_indices, ceil_mode

    def forward(self, x: Tensor) -> Any:
        return pool_nd.max_pool3d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                                  self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool3d(Module):
    """Mean over sliding (kd, kh, kw) windows of each channel (torch's ceil_mode, count_include_pad and
    divisor_override). Shape: (N, C, D, H, W) -> (N, C, Do, Ho, Wo), Do = (D + 2 p - k) // s + 1."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride is not None else kernel_size
        self.ceil_mode, self.count_include_pad, self.divisor_override = ceil_mode, count_include_pad, divisor_override

    def forward(self, x: Tensor) -> Tensor:
        return pool_nd.avg_pool3d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                                  self.count_include_pad, self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class _MaxUnpoolNd(Module):
    """Put each value back where max pooling found it (its index), zeros elsewhere."""

    spatial = 2

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0) -> None:
        super().__init__()
        name, n = type(self).__name__, self.spatial
        self.kernel_size = ntuple(kernel_size, n, "kernel_size", name)
        self.stride = ntuple(stride if stride is not None else kernel_size, n, "stride", name)
        self.padding = ntuple(padding, n, "padding", name)

    def forward(self, input: Tensor, indices: Tensor, output_size: Any = None) -> Tensor:  # noqa: A002
        return pool_nd.max_unpool_nd(f"max_unpool{self.spatial}d", input, indices, self.spatial, self.kernel_size,
                                     self.stride, self.padding, output_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """The partial inverse of MaxPool1d.  Shape: (N, C, L) and its indices -> (N, C, Lo), Lo = (L - 1) s - 2 p + k."""

    spatial = 1


class MaxUnpool2d(_MaxUnpoolNd):
    """The partial inverse of MaxPool2d.  Shape: (N, C, H, W) and its indices -> (N, C, Ho, Wo)."""

    spatial = 2


class MaxUnpool3d(_MaxUnpoolNd):
    """The partial inverse of MaxPool3d.  Shape: (N, C, D, H, W) and its indices -> (N, C, Do, Ho, Wo)."""

    spatial = 3


class _LPPoolNd(Module):
    """The p-norm (sum of x^p)^(1/p) of every window."""

    spatial = 2

    def __init__(self, norm_type: float, kernel_size: Any, stride: Any = None, ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type, self.kernel_size, self.stride, self.ceil_mode = norm_type, kernel_size, stride, ceil_mode

    def forward(self, x: Tensor) -> Tensor:
        return pool_lp.lp_pool_nd(f"lp_pool{self.spatial}d", x, self.spatial, self.norm_type, self.kernel_size,
                                  self.stride, self.ceil_mode)

    def extra_repr(self) -> str:
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """p-norm pooling over windows of length k of (N, C, L)."""

    spatial = 1


class LPPool2d(_LPPoolNd):
    """p-norm pooling over (kh, kw) windows of (N, C, H, W)."""

    spatial = 2


class LPPool3d(_LPPoolNd):
    """p-norm pooling over (kd, kh, kw) windows of (N, C, D, H, W)."""

    spatial = 3


class AdaptiveAvgPool3d(Module):
    """(N, C, D, H, W) -> (N, C, *output_size): the mean over torch's adaptive windows (None keeps a size)."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return adaptive_pool_nd.adaptive_avg_pool3d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class _AdaptiveMaxPoolNd(Module):
    spatial = 3

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, x: Tensor) -> Any:
        return adaptive_pool_nd.adaptive_max_pool_nd(f"adaptive_max_pool{self.spatial}d", x, self.output_size,
                                                     self.spatial, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPoolNd):
    """(N, C, L) -> (N, C, output_size): the max over torch's adaptive windows."""

    spatial = 1


class AdaptiveMaxPool3d(_AdaptiveMaxPoolNd):
    """(N, C, D, H, W) -> (N, C, *output_size): the max over torch's adaptive windows."""

    spatial = 3


class _FractionalMaxPoolNd(Module):
    """Max pooling to ``output_size`` (or ``output_ratio`` of the input) with pseudo-random windows
    (see ``glassgrad/ops/fractional_max_pool.py``); ``_random_samples`` (N, C, spatial) fixes them."""

    spatial = 2

    def __init__(self, kernel_size: Any, output_size: Any = None, output_ratio: Any = None,
                 return_indices: bool = False, _random_samples: Any = None) -> None:
        super().__init__()
        name, n = type(self).__name__, self.spatial
        if output_size is None and output_ratio is None:
            raise ValueError(f"{name} requires specifying either an output size, or a pooling ratio")
        if output_size is not None and output_ratio is not None:
            raise ValueError("only one of output_size and output_ratio may be specified")
        self.kernel_size = ntuple(kernel_size, n, "kernel_size", name)
        self.output_size = None if output_size is None else ntuple(output_size, n, "output_size", name)
        self.output_ratio = None
        if output_ratio is not None:
            ratios = (output_ratio,) * n if isinstance(output_ratio, int | float) else tuple(output_ratio)
            if not all(0 < r < 1 for r in ratios):
                raise ValueError(f"output_ratio must be between 0 and 1 (got {output_ratio})")
            self.output_ratio = ratios
        self.return_indices = return_indices
        self.register_buffer("_random_samples", _random_samples)

    def forward(self, x: Tensor) -> Any:
        return fractional_max_pool.fractional_max_pool_nd(
            f"fractional_max_pool{self.spatial}d", x, self.spatial, self.kernel_size, self.output_size,
            self.output_ratio, self.return_indices, self._random_samples,
            order=(1, 0) if self.spatial == 2 else (0, 1, 2))


class FractionalMaxPool2d(_FractionalMaxPoolNd):
    """Fractional max pooling of (N, C, H, W) (Graham 2014)."""

    spatial = 2


class FractionalMaxPool3d(_FractionalMaxPoolNd):
    """Fractional max pooling of (N, C, D, H, W)."""

    spatial = 3
