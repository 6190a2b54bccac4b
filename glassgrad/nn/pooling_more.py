"""More pooling layers: MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool2d (and their F. forms).

The 1-d poolings are the 2-d ops (``glassgrad/ops/pool.py``, ``resample.py``) on the signal seen as
an image one row high: (N, C, L) -> (N, C, 1, L), window (1, k), and the row dropped again. Their
gradients are therefore the 2-d ops'. AdaptiveMaxPool2d is ``glassgrad/ops/adaptive_max_pool.py``.
"""

from __future__ import annotations

from typing import Any

from glassgrad.errors import OpInputError
from glassgrad.nn.module import Module
from glassgrad.ops.adaptive_max_pool import adaptive_max_pool2d
from glassgrad.ops.pool import avg_pool2d, max_pool2d
from glassgrad.ops.pool_nd import avg_pool_nd, max_pool_nd
from glassgrad.ops.resample import adaptive_avg_pool2d
from glassgrad.tensor import Tensor, as_tensor


def _single(value: Any, name: str, op: str) -> int:
    if isinstance(value, tuple | list):
        if len(value) != 1:
            raise ValueError(f"{op}: {name} must be an int or a 1-tuple, got {value}")
        value = value[0]
    return int(value)


def _as_image(x: Any, op: str) -> tuple[Tensor, bool]:
    """(N, C, L) -> (N, C, 1, L); unbatched (C, L) -> (1, C, 1, L). Also whether it was unbatched."""
    x = as_tensor(x)
    if x.ndim not in (2, 3):
        raise OpInputError(f"{op}: expected a 2-D (C, L) or 3-D (N, C, L) input, got shape {tuple(x.shape)}")
    unbatched = x.ndim == 2
    return (x.unsqueeze(0) if unbatched else x).unsqueeze(2), unbatched


def _as_signal(y: Tensor, unbatched: bool) -> Tensor:
    y = y.squeeze(2)
    return y.squeeze(0) if unbatched else y


def max_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,  # noqa: A002
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over sliding windows of length k: (N, C, L) -> (N, C, Lo), Lo = (L + 2p - d(k - 1) - 1) // s + 1.
    ``return_indices`` also gives each maximum's position (through ``ops/pool_nd.py``)."""
    if return_indices:
        return max_pool_nd("max_pool1d", input, 1, kernel_size, stride, padding, dilation, ceil_mode, True)
    image, unbatched = _as_image(input, "max_pool1d")
    k = _single(kernel_size, "kernel_size", "max_pool1d")
    s = k if stride is None or stride == () else _single(stride, "stride", "max_pool1d")
    p, d = _single(padding, "padding", "max_pool1d"), _single(dilation, "dilation", "max_pool1d")
    return _as_signal(max_pool2d(image, (1, k), (1, s), (0, p), (1, d), ceil_mode), unbatched)


def avg_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,  # noqa: A002
               ceil_mode: bool = False, count_include_pad: bool = True) -> Tensor:
    """Mean over sliding windows of length k: (N, C, L) -> (N, C, Lo), Lo = (L + 2p - k) // s + 1
    (``ceil_mode`` and integer inputs through ``ops/pool_nd.py``)."""
    if ceil_mode or as_tensor(input).dtype.kind in "iu":
        return avg_pool_nd("avg_pool1d", input, 1, kernel_size, stride, padding, ceil_mode, count_include_pad)
    image, unbatched = _as_image(input, "avg_pool1d")
    k = _single(kernel_size, "kernel_size", "avg_pool1d")
    s = k if stride is None or stride == () else _single(stride, "stride", "avg_pool1d")
    p = _single(padding, "padding", "avg_pool1d")
    return _as_signal(avg_pool2d(image, (1, k), (1, s), (0, p), count_include_pad), unbatched)


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Tensor:  # noqa: A002
    """Average pooling of (N, C, L) to (N, C, output_size) with torch's adaptive windows."""
    image, unbatched = _as_image(input, "adaptive_avg_pool1d")
    size = _single(output_size, "output_size", "adaptive_avg_pool1d")
    return _as_signal(adaptive_avg_pool2d(image, (1, size)), unbatched)


class MaxPool1d(Module):
    """Max over sliding windows of each channel of (N, C, L); the gradient goes to each window's max."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride is not None else kernel_size
        self.dilation, self.ceil_mode, self.return_indices = dilation, ceil_mode, return_indices

    def forward(self, x: Tensor) -> Any:
        return max_pool1d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                          self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool1d(Module):
    """Mean over sliding windows of each channel of (N, C, L)."""

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride is not None else kernel_size
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool1d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)

    def extra_repr(self) -> str:
        return f"kernel_size=({self.kernel_size},), stride=({self.stride},), padding=({self.padding},)"


class AdaptiveAvgPool1d(Module):
    """(N, C, L) -> (N, C, output_size): the mean over torch's adaptive windows."""

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return adaptive_avg_pool1d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool2d(Module):
    """(N, C, H, W) -> (N, C, Ho, Wo): the max over torch's adaptive windows (see ops/adaptive_max_pool.py)."""

    def __init__(self, output_size: Any, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def forward(self, x: Tensor) -> Any:
        return adaptive_max_pool2d(x, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
