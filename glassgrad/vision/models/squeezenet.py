"""SqueezeNet 1.0 and 1.1 (Iandola et al. 2016), torchvision's layout.

The Fire module: a 1 x 1 "squeeze" convolution to few channels, then two parallel "expand"
convolutions (1 x 1 and 3 x 3) whose outputs are concatenated. The classifier is a 1 x 1
convolution to one channel per class, averaged over the image: no linear layer. Version 1.1
starts with a 3 x 3 stem and pools earlier (2.4x less computation, same accuracy).
Keys: ``features.<i>.squeeze`` / ``.expand1x1`` / ``.expand3x3``, ``classifier.1``.
"""

from __future__ import annotations

from typing import Any

from glassgrad import nn, ops
from glassgrad.tensor import Tensor
from glassgrad.vision.models.weights import check_weights, load_weights


class Fire(nn.Module):
    """squeeze (1x1, ReLU), then [expand1x1 (ReLU), expand3x3 (ReLU)] concatenated along the channels."""

    def __init__(self, inplanes: int, squeeze_planes: int, expand1x1_planes: int, expand3x3_planes: int) -> None:
        super().__init__()
        self.squeeze = nn.Conv2d(inplanes, squeeze_planes, kernel_size=1)
        self.squeeze_activation = nn.ReLU(inplace=True)
        self.expand1x1 = nn.Conv2d(squeeze_planes, expand1x1_planes, kernel_size=1)
        self.expand1x1_activation = nn.ReLU(inplace=True)
        self.expand3x3 = nn.Conv2d(squeeze_planes, expand3x3_planes, kernel_size=3, padding=1)
        self.expand3x3_activation = nn.ReLU(inplace=True)

    def forward(self, x: Tensor) -> Tensor:
        x = self.squeeze_activation(self.squeeze(x))
        return ops.cat([self.expand1x1_activation(self.expand1x1(x)),
                        self.expand3x3_activation(self.expand3x3(x))], 1)  # (N, e1 + e3, H, W)


class SqueezeNet(nn.Module):
    """SqueezeNet ``version`` "1_0" or "1_1".

    Initialisation (torchvision's): the final convolution normal(0, 0.01), the others Kaiming-uniform
    (torch's default gain), biases 0. Shape: (N, 3, H, W) -> (N, num_classes).
    """

    def __init__(self, version: str = "1_0", num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.num_classes = num_classes
        pool = lambda: nn.MaxPool2d(kernel_size=3, stride=2, ceil_mode=True)  # noqa: E731
        if version == "1_0":
            layers = [nn.Conv2d(3, 96, kernel_size=7, stride=2), nn.ReLU(inplace=True), pool(),
                      Fire(96, 16, 64, 64), Fire(128, 16, 64, 64), Fire(128, 32, 128, 128), pool(),
                      Fire(256, 32, 128, 128), Fire(256, 48, 192, 192), Fire(384, 48, 192, 192),
                      Fire(384, 64, 256, 256), pool(), Fire(512, 64, 256, 256)]
        elif version == "1_1":
            layers = [nn.Conv2d(3, 64, kernel_size=3, stride=2), nn.ReLU(inplace=True), pool(),
                      Fire(64, 16, 64, 64), Fire(128, 16, 64, 64), pool(),
                      Fire(128, 32, 128, 128), Fire(256, 32, 128, 128), pool(),
                      Fire(256, 48, 192, 192), Fire(384, 48, 192, 192), Fire(384, 64, 256, 256),
                      Fire(512, 64, 256, 256)]
        else:
            raise ValueError(f"Unsupported SqueezeNet version {version}: 1_0 or 1_1 expected")
        self.features = nn.Sequential(*layers)
        final_conv = nn.Conv2d(512, num_classes, kernel_size=1)
        self.classifier = nn.Sequential(nn.Dropout(p=dropout), final_conv, nn.ReLU(inplace=True),
                                        nn.AdaptiveAvgPool2d((1, 1)))
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                if module is final_conv:
                    nn.init.normal_(module.weight, mean=0.0, std=0.01)
                else:
                    nn.init.kaiming_uniform_(module.weight)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)

    def forward(self, x: Tensor) -> Tensor:
        return ops.flatten(self.classifier(self.features(x)), 1)


def squeezenet1_0(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> SqueezeNet:
    """SqueezeNet 1.0."""
    path = check_weights(weights, "squeezenet1_0")
    return load_weights(SqueezeNet("1_0", **kwargs), path)


def squeezenet1_1(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> SqueezeNet:
    """SqueezeNet 1.1."""
    path = check_weights(weights, "squeezenet1_1")
    return load_weights(SqueezeNet("1_1", **kwargs), path)
