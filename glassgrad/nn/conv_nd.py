"""Convolution layers over 1 or 3 spatial axes: Conv3d, ConvTranspose1d, ConvTranspose3d.

They share ``_ConvNd`` (parameters, torch's initialisation) with Conv2d in ``conv.py`` and run the
N-d ops of ``glassgrad/ops/conv_nd.py``. Non-zero ``padding_mode`` ('reflect', 'replicate',
'circular') pads the input with ``F.pad`` first and convolves without padding, as torch does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import ops
from glassgrad.nn.conv import _ConvNd
from glassgrad.ops.conv_nd import conv3d, conv_transpose1d, conv_transpose3d, ntuple
from glassgrad.tensor import Tensor, as_tensor

PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class _ConvNdLayer(_ConvNd):
    """A convolution layer over ``spatial`` axes, every size given as an int or a ``spatial``-tuple."""

    spatial: int = 3
    transposed: bool = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any, padding: Any,
                 dilation: Any, groups: int, bias: bool, padding_mode: str, dtype: Any,
                 rng: np.random.Generator | None, output_padding: Any = 0, device: Any = None) -> None:
        name, n = type(self).__name__, self.spatial
        if padding_mode not in PADDING_MODES or (self.transposed and padding_mode != "zeros"):
            allowed = ("zeros",) if self.transposed else PADDING_MODES
            raise ValueError(f"{name}: padding_mode must be one of {allowed}, got {padding_mode!r}")
        padding = padding if isinstance(padding, str) else ntuple(padding, n, "padding", name)
        super().__init__(in_channels, out_channels, ntuple(kernel_size, n, "kernel_size", name),
                         ntuple(stride, n, "stride", name), padding, ntuple(dilation, n, "dilation", name), groups,
                         bias, self.transposed, dtype, rng, device)
        self.padding_mode = padding_mode
        self.output_padding = ntuple(output_padding, n, "output_padding", name)

    def _padded_input(self, x: Any) -> tuple[Any, Any]:
        """(input, padding for the op): with a non-zero padding_mode, the input padded by F.pad and padding 0.
        The functional checks the input (once); the layer checks nothing itself, as torch's."""
        if self.padding_mode == "zeros" or isinstance(self.padding, str):
            return x, self.padding
        pairs = tuple(p for p in reversed(self.padding) for _ in range(2))  # F.pad's order: last axis first
        return ops.pad(as_tensor(x), pairs, mode=self.padding_mode), 0

    def extra_repr(self) -> str:
        n = self.spatial
        text = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if isinstance(self.padding, str):
            text += f", padding={self.padding}"
        elif self.padding != (0,) * n:
            text += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            text += f", dilation={self.dilation}"
        if self.output_padding != (0,) * n:
            text += f", output_padding={self.output_padding}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        if self.padding_mode != "zeros":
            text += f", padding_mode={self.padding_mode}"
        return text


class Conv3d(_ConvNdLayer):
    """3-D convolution (cross-correlation) over (N, C_in, D, H, W).

    Args: as Conv2d, with int or triple kernel_size, stride, padding ('same'/'valid' too) and dilation,
    and ``padding_mode`` 'zeros', 'reflect', 'replicate' or 'circular'.
    Shape: input (N, C_in, D, H, W) or (C_in, D, H, W) -> (N, C_out, Do, Ho, Wo),
    Do = (D + 2 p - d (kd - 1) - 1) // s + 1 (likewise Ho, Wo).
    Attributes: weight (C_out, C_in / groups, kd, kh, kw); bias (C_out,); torch's default initialisation.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 dilation: Any = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, dtype, rng, device=device)

    def forward(self, x: Tensor) -> Tensor:
        x, padding = self._padded_input(x)
        return conv3d(x, self.weight, self.bias, self.stride, padding, self.dilation, self.groups)


class _ConvTransposeNdLayer(_ConvNdLayer):
    transposed = True

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1, padding: Any = 0,
                 output_padding: Any = 0, groups: int = 1, bias: bool = True, dilation: Any = 1,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None, *,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                         padding_mode, dtype, rng, output_padding, device)


class ConvTranspose1d(_ConvTransposeNdLayer):
    """Transposed 1-D convolution (the gradient of Conv1d with respect to its input).

    Shape: input (N, C_in, L) or (C_in, L) -> (N, C_out, Lo), Lo = (L - 1) s - 2 p + d (k - 1) + output_padding + 1.
    Attributes: weight (C_in, C_out / groups, k); bias (C_out,).
    """

    spatial = 1

    def forward(self, x: Tensor) -> Tensor:
        return conv_transpose1d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                self.groups, self.dilation)


class ConvTranspose3d(_ConvTransposeNdLayer):
    """Transposed 3-D convolution (the gradient of Conv3d with respect to its input).

    Shape: input (N, C_in, D, H, W) or unbatched -> (N, C_out, Do, Ho, Wo),
    Do = (D - 1) s - 2 p + d (kd - 1) + output_padding + 1 (likewise Ho, Wo).
    Attributes: weight (C_in, C_out / groups, kd, kh, kw); bias (C_out,).
    """

    spatial = 3

    def forward(self, x: Tensor) -> Tensor:
        return conv_transpose3d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                self.groups, self.dilation)
