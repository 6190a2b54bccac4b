"""MobileNetV2 (Sandler et al. 2018, "Inverted Residuals and Linear Bottlenecks"), torchvision's layout.

The block is an *inverted residual*: a 1 x 1 convolution expands the channels ``t``-fold (ReLU6),
a depthwise 3 x 3 convolution (``groups`` = channels: one filter per channel) filters each
channel spatially (ReLU6), and a 1 x 1 *linear* projection (no activation) brings the channels
down again; the shortcut adds the input when the shape is kept. A depthwise convolution costs
``9 C`` multiplies per pixel instead of ``9 C^2``. Keys: ``features.<i>.conv.<j>``, ``classifier.1``.
"""

from __future__ import annotations

from typing import Any

from glassgrad import nn, ops
from glassgrad.tensor import Tensor
from glassgrad.vision.models.conv_norm import Conv2dNormActivation
from glassgrad.vision.models.weights import check_weights, load_weights

# (expansion t, output channels c, repeats n, first stride s) of each stage
SETTINGS = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2],
            [6, 320, 1, 1]]


def make_divisible(value: float, divisor: int, min_value: int | None = None) -> int:
    """``value`` rounded to the nearest multiple of ``divisor`` (at least ``min_value``), never below 90% of it."""
    min_value = divisor if min_value is None else min_value
    rounded = max(min_value, int(value + divisor / 2) // divisor * divisor)
    return rounded + divisor if rounded < 0.9 * value else rounded


class InvertedResidual(nn.Module):
    """Expand (1x1, ReLU6; skipped when ``expand_ratio`` is 1), depthwise 3x3 (``stride``, ReLU6), project (1x1, BN)."""

    def __init__(self, inp: int, oup: int, stride: int, expand_ratio: int) -> None:
        super().__init__()
        if stride not in (1, 2):
            raise ValueError(f"stride should be 1 or 2 instead of {stride}")
        hidden = int(round(inp * expand_ratio))
        self.stride, self.out_channels = stride, oup
        self.use_res_connect = stride == 1 and inp == oup
        layers: list[nn.Module] = []
        if expand_ratio != 1:
            layers.append(Conv2dNormActivation(inp, hidden, kernel_size=1, activation_layer=nn.ReLU6))
        layers += [Conv2dNormActivation(hidden, hidden, stride=stride, groups=hidden, activation_layer=nn.ReLU6),
                   nn.Conv2d(hidden, oup, 1, 1, 0, bias=False), nn.BatchNorm2d(oup)]
        self.conv = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        return x + self.conv(x) if self.use_res_connect else self.conv(x)


class MobileNetV2(nn.Module):
    """MobileNetV2: a stride-2 3x3 stem (32 channels), the inverted-residual stages of :data:`SETTINGS`, a 1x1
    convolution to 1280 channels, global average pooling, dropout and a linear classifier.

    Initialisation (torchvision's): convolutions Kaiming-normal (fan_out) with bias 0, batch norms 1 / 0,
    the linear layer normal(0, 0.01) with bias 0. Shape: (N, 3, H, W) -> (N, num_classes).
    """

    def __init__(self, num_classes: int = 1000, width_mult: float = 1.0, round_nearest: int = 8,
                 dropout: float = 0.2) -> None:
        super().__init__()
        input_channel = make_divisible(32 * width_mult, round_nearest)
        self.last_channel = make_divisible(1280 * max(1.0, width_mult), round_nearest)
        features: list[nn.Module] = [Conv2dNormActivation(3, input_channel, stride=2, activation_layer=nn.ReLU6)]
        for t, c, n, s in SETTINGS:
            output_channel = make_divisible(c * width_mult, round_nearest)
            for i in range(n):
                features.append(InvertedResidual(input_channel, output_channel, s if i == 0 else 1, t))
                input_channel = output_channel
        features.append(Conv2dNormActivation(input_channel, self.last_channel, kernel_size=1,
                                             activation_layer=nn.ReLU6))
        self.features = nn.Sequential(*features)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), nn.Linear(self.last_channel, num_classes))
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out")
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Linear):
                nn.init.normal_(module.weight, 0, 0.01)
                nn.init.zeros_(module.bias)

    def forward(self, x: Tensor) -> Tensor:
        x = nn.functional.adaptive_avg_pool2d(self.features(x), (1, 1))  # (N, 1280, 1, 1)
        return self.classifier(ops.flatten(x, 1))


def mobilenet_v2(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> MobileNetV2:
    """MobileNetV2 (width 1.0)."""
    path = check_weights(weights, "mobilenet_v2")
    return load_weights(MobileNetV2(**kwargs), path)
