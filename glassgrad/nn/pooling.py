"""Pooling and resizing layers: MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Upsample."""

from __future__ import annotations

from typing import Any

from glassgrad.nn.functional_layers import avg_pool2d, interpolate, max_pool2d
from glassgrad.nn.module import Module
from glassgrad.ops.resample import adaptive_avg_pool2d
from glassgrad.tensor import Tensor


class MaxPool2d(Module):
    """Maximum over sliding (kh, kw) windows of each channel.

    Args:
        kernel_size: int or pair.
        stride: int or pair (default: kernel_size, i.e. non-overlapping windows).
        padding: implicit -inf padding on each side (at most half the kernel).
        dilation: spacing between window taps (default 1).
        return_indices: also return each maximum's position (as ``F.max_pool2d``).
        ceil_mode: round the output size up instead of down.

    Shape:
        (N, C, H, W) -> (N, C, Ho, Wo), Ho = (H + 2 p - d (k - 1) - 1) // s + 1.

    The gradient goes to the (first) arg-max of each window, as in torch.
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride is not None else kernel_size
        self.dilation, self.return_indices, self.ceil_mode = dilation, return_indices, ceil_mode

    def forward(self, x: Tensor) -> Any:
        return max_pool2d(x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                          self.return_indices)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool2d(Module):
    """Mean over sliding (kh, kw) windows of each channel.

    Args:
        kernel_size, stride (default kernel_size), padding: as MaxPool2d (zero padding).
        ceil_mode: round the output size up instead of down (as ``F.avg_pool2d``).
        count_include_pad: count the padded zeros in the mean (default True, as torch).
        divisor_override: divide each window's sum by this instead (as ``F.avg_pool2d``).

    Shape:
        (N, C, H, W) -> (N, C, Ho, Wo), Ho = (H + 2 p - k) // s + 1.
    """

    def __init__(self, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override: int | None = None) -> None:
        super().__init__()
        self.kernel_size, self.padding = kernel_size, padding
        self.stride = stride if stride is not None else kernel_size
        self.ceil_mode, self.count_include_pad, self.divisor_override = ceil_mode, count_include_pad, divisor_override

    def forward(self, x: Tensor) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                          self.divisor_override)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class AdaptiveAvgPool2d(Module):
    """Average pooling to a fixed output size, whatever the input size.

    Args:
        output_size: int or (Ho, Wo); None in a pair keeps that input size.

    Shape:
        (N, C, H, W) -> (N, C, Ho, Wo). Output cell i averages input rows
        floor(i H / Ho) .. ceil((i + 1) H / Ho) - 1 (likewise columns), as torch.
    """

    def __init__(self, output_size: Any) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Tensor) -> Tensor:
        return adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class Upsample(Module):
    """Resize images by nearest-neighbour or bilinear interpolation.

    Args:
        size: output (Ho, Wo) or int; or
        scale_factor: number or pair; the output is floor(H * scale_factor).
        mode: 'nearest' (default) or 'bilinear'.
        align_corners: 'bilinear' only: map the corner pixels' centres onto each other
            (True) or the corner pixels' edges (False, the default).
        recompute_scale_factor: as ``F.interpolate`` (only None/False is implemented).

    Shape:
        (N, C, H, W) -> (N, C, Ho, Wo).
    """

    def __init__(self, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                 align_corners: bool | None = None, recompute_scale_factor: bool | None = None) -> None:
        super().__init__()
        if mode not in ("nearest", "bilinear"):
            raise ValueError(f"Upsample: mode must be 'nearest' or 'bilinear', got {mode!r}")
        self.size, self.scale_factor, self.mode, self.align_corners = size, scale_factor, mode, align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, x: Tensor) -> Tensor:
        return interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners, self.recompute_scale_factor)

    def extra_repr(self) -> str:
        what = f"size={self.size}" if self.size is not None else f"scale_factor={self.scale_factor}"
        return f"{what}, mode={self.mode!r}"
