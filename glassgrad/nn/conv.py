"""Convolution layers: Conv1d, Conv2d, ConvTranspose2d and Conv2dWS over a shared _ConvNd base."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.nn import init
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.conv import conv1d, conv2d, conv_transpose2d, pair
from glassgrad.ops.norm import weight_standardize
from glassgrad.tensor import Tensor


class _ConvNd(Module):
    """Shared configuration, parameters and initialisation of the convolution layers.

    The weight is (out_channels, in_channels / groups, *kernel) for a convolution and
    (in_channels, out_channels / groups, *kernel) for a transposed one, as in torch;
    both weight and bias start as U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (torch's default),
    fan_in = weight.shape[1] * prod(kernel).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: tuple[int, ...], stride: Any,
                 padding: Any, dilation: Any, groups: int, bias: bool, transposed: bool,
                 dtype: Any = None, rng: np.random.Generator | None = None, device: Any = None) -> None:
        super().__init__()
        name = type(self).__name__
        if groups < 1 or in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: groups={groups} must divide in_channels={in_channels} "
                             f"and out_channels={out_channels}")
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.groups = dilation, groups
        dtype = dtype or backend.get_default_dtype()
        shape = ((in_channels, out_channels // groups) if transposed
                 else (out_channels, in_channels // groups)) + kernel_size
        self.weight = Parameter(backend.xp.zeros(shape, dtype=dtype))
        if bias:
            self.bias = Parameter(backend.xp.zeros(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters(rng)
        if device is not None:
            self.to(device)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        init.default_layer_init_(self.weight, self.bias, rng)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding not in (0, (0, 0)):
            text += f", padding={self.padding}"
        if self.dilation not in (1, (1, 1)):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


def _padding_arg(padding: Any) -> Any:
    return padding if isinstance(padding, str) else pair(padding, "padding")


class Conv2d(_ConvNd):
    """2-D convolution (cross-correlation) over (N, C_in, H, W).

    Args:
        in_channels, out_channels: channels of the input and the output.
        kernel_size: int or (kh, kw).
        stride: int or pair (default 1).
        padding: int, pair, 'valid' (no padding) or 'same' (stride 1; output size = input size).
        dilation: spacing between kernel taps (default 1).
        groups: split input and output channels into this many independent groups.
        bias: learn an additive bias per output channel (default True).
        padding_mode: only 'zeros' is implemented.
        device, dtype: where the parameters live, their dtype (default float32).
        rng: generator for the initial values (keyword only).

    Shape:
        input (N, C_in, H, W) or (C_in, H, W) -> output (N, C_out, Ho, Wo),
        Ho = (H + 2 p - d (kh - 1) - 1) // s + 1 (likewise Wo).

    Attributes:
        weight: (C_out, C_in / groups, kh, kw), U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C_in/groups*kh*kw.
        bias: (C_out,), same distribution.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, dilation: Any = 1, groups: int = 1, bias: bool = True,
                 padding_mode: str = "zeros", device: Any = None, dtype: Any = None, *,
                 rng: np.random.Generator | None = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f"Conv2d: only padding_mode='zeros' is supported, got {padding_mode!r}")
        super().__init__(in_channels, out_channels, pair(kernel_size, "kernel_size"), pair(stride, "stride"),
                         _padding_arg(padding), pair(dilation, "dilation"), groups, bias, False, dtype, rng, device)

    def _weight(self) -> Tensor:
        return self.weight

    def forward(self, x: Tensor) -> Tensor:
        return conv2d(x, self._weight(), self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv2dWS(Conv2d):
    """Conv2d with weight standardisation (Qiao et al. 2019): before each convolution, every
    output channel's weight is shifted and scaled to zero mean and unit variance,

        W_hat[o] = (W[o] - mean(W[o])) / sqrt(var(W[o]) + eps)   (biased variance, over C_in/g, kh, kw),

    and the gradient flows through this standardisation to W. Arguments as Conv2d, plus ``eps``.
    Pairs well with GroupNorm for batch size 1.
    """

    def __init__(self, *args: Any, eps: float = 1e-5, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eps = eps

    def _weight(self) -> Tensor:
        return weight_standardize(self.weight, self.eps)


WSConv2d = Conv2dWS


class Conv1d(_ConvNd):
    """1-D convolution over (N, C_in, L) (computed as a Conv2d of height 1).

    Args: as Conv2d with int kernel_size, stride, padding ('same'/'valid' too) and dilation.
    Shape: input (N, C_in, L) or (C_in, L) -> output (N, C_out, Lo) or (C_out, Lo),
        Lo = (L + 2 p - d (k - 1) - 1) // s + 1.
    Attributes: weight (C_out, C_in / groups, k); bias (C_out,); torch's default initialisation.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 padding: Any = 0, dilation: int = 1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f"Conv1d: only padding_mode='zeros' is supported, got {padding_mode!r}")
        k = kernel_size if isinstance(kernel_size, int) else kernel_size[0]
        super().__init__(in_channels, out_channels, (int(k),), stride, padding, dilation, groups, bias,
                         False, dtype, rng, device)

    def forward(self, x: Tensor) -> Tensor:
        return conv1d(x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class ConvTranspose2d(_ConvNd):
    """Transposed 2-D convolution (the gradient of Conv2d with respect to its input).

    Args:
        in_channels, out_channels, kernel_size, stride, dilation, groups, bias: as Conv2d.
        padding: int or pair: crops p rows/columns from each side of the full output.
        output_padding: extra rows/columns on the bottom/right (< stride or < dilation), to pick
            among the input sizes a strided Conv2d maps to the same output size.

    Shape:
        input (N, C_in, H, W) -> output (N, C_out, Ho, Wo),
        Ho = (H - 1) s - 2 p + d (kh - 1) + output_padding + 1.

    Attributes:
        weight: (C_in, C_out / groups, kh, kw), U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = C_out/groups*kh*kw
            (torch's convention).
        bias: (C_out,), same distribution.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: Any, stride: Any = 1,
                 padding: Any = 0, output_padding: Any = 0, groups: int = 1, bias: bool = True,
                 dilation: Any = 1, padding_mode: str = "zeros", device: Any = None, dtype: Any = None, *,
                 rng: np.random.Generator | None = None) -> None:
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for ConvTranspose2d, got {padding_mode!r}')
        self_output_padding = pair(output_padding, "output_padding")
        super().__init__(in_channels, out_channels, pair(kernel_size, "kernel_size"), pair(stride, "stride"),
                         pair(padding, "padding"), pair(dilation, "dilation"), groups, bias, True, dtype, rng, device)
        self.output_padding = self_output_padding

    def forward(self, x: Tensor) -> Tensor:
        return conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding, self.output_padding,
                                self.groups, self.dilation)

    def extra_repr(self) -> str:
        text = super().extra_repr()
        return text + (f", output_padding={self.output_padding}" if self.output_padding != (0, 0) else "")
