"""Conv2dNormActivation: convolution, batch norm, activation in one Sequential (torchvision.ops.misc's)."""

from __future__ import annotations

from collections.abc import Callable

from glassgrad.nn.activation import ReLU
from glassgrad.nn.containers import Sequential
from glassgrad.nn.conv import Conv2d
from glassgrad.nn.module import Module
from glassgrad.nn.normalization import BatchNorm2d


class Conv2dNormActivation(Sequential):
    """``Conv2d`` (no bias when a norm follows), ``norm_layer(out)``, ``activation_layer()``: keys 0, 1 (2 has none).

    ``padding`` defaults to ``(kernel_size - 1) // 2 * dilation``, which keeps the size at stride 1.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int = 3, stride: int = 1,
                 padding: int | None = None, groups: int = 1, norm_layer: Callable[[int], Module] | None = BatchNorm2d,
                 activation_layer: Callable[[], Module] | None = ReLU, dilation: int = 1,
                 bias: bool | None = None) -> None:
        if padding is None:
            padding = (kernel_size - 1) // 2 * dilation
        if bias is None:
            bias = norm_layer is None
        layers: list[Module] = [Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation=dilation,
                                       groups=groups, bias=bias)]
        if norm_layer is not None:
            layers.append(norm_layer(out_channels))
        if activation_layer is not None:
            layers.append(activation_layer())
        super().__init__(*layers)
        self.out_channels = out_channels
