"""VGG-11 and VGG-16, with and without batch norm (Simonyan & Zisserman 2014), torchvision's layout.

Stacks of 3 x 3 convolutions (padding 1, so the size is kept) and ReLUs, with a 2 x 2 max pool
("M") halving the resolution between blocks; then an adaptive average pool to 7 x 7 and three
linear layers (4096, 4096, classes) with dropout. Configuration "A" is VGG-11, "D" VGG-16; the
``_bn`` variants put a BatchNorm2d after every convolution. Keys: ``features.<i>`` (the flat
Sequential's indices) and ``classifier.0`` / ``.3`` / ``.6``.
"""

from __future__ import annotations

from typing import Any

from glassgrad import nn, ops
from glassgrad.tensor import Tensor
from glassgrad.vision.models.weights import check_weights, load_weights

CONFIGS: dict[str, list[int | str]] = {
    "A": [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"],
    "D": [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"],
}


def make_layers(config: list[int | str], batch_norm: bool = False) -> nn.Sequential:
    """The convolutional part: ``Conv2d(3x3) [BatchNorm2d] ReLU`` per number, ``MaxPool2d(2)`` per "M"."""
    layers: list[nn.Module] = []
    in_channels = 3
    for value in config:
        if value == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        layers.append(nn.Conv2d(in_channels, int(value), kernel_size=3, padding=1))
        if batch_norm:
            layers.append(nn.BatchNorm2d(int(value)))
        layers.append(nn.ReLU(inplace=True))
        in_channels = int(value)
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """``features`` (from :func:`make_layers`), a 7 x 7 adaptive average pool, and the classifier.

    Initialisation (torchvision's): convolutions Kaiming-normal (fan_out, ReLU gain) with bias 0,
    batch norms 1 / 0, linear layers normal(0, 0.01) with bias 0. Shape: (N, 3, H, W) -> (N, num_classes).
    """

    def __init__(self, features: nn.Module, num_classes: int = 1000, init_weights: bool = True,
                 dropout: float = 0.5) -> None:
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(nn.Linear(512 * 7 * 7, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
                                        nn.Linear(4096, 4096), nn.ReLU(True), nn.Dropout(p=dropout),
                                        nn.Linear(4096, num_classes))
        if init_weights:
            for module in self.modules():
                if isinstance(module, nn.Conv2d):
                    nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
                    if module.bias is not None:
                        nn.init.zeros_(module.bias)
                elif isinstance(module, nn.BatchNorm2d):
                    nn.init.ones_(module.weight)
                    nn.init.zeros_(module.bias)
                elif isinstance(module, nn.Linear):
                    nn.init.normal_(module.weight, 0, 0.01)
                    nn.init.zeros_(module.bias)

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))  # (N, 512, 7, 7)
        return self.classifier(ops.flatten(x, 1))


def _vgg(name: str, config: str, batch_norm: bool, weights: Any, **kwargs: Any) -> VGG:
    path = check_weights(weights, name)
    if path is not None:
        kwargs["init_weights"] = False
    return load_weights(VGG(make_layers(CONFIGS[config], batch_norm), **kwargs), path)


def vgg11(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> VGG:
    """VGG-11 (configuration A)."""
    return _vgg("vgg11", "A", False, weights, **kwargs)


def vgg11_bn(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> VGG:
    """VGG-11 with batch norm."""
    return _vgg("vgg11_bn", "A", True, weights, **kwargs)


def vgg16(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> VGG:
    """VGG-16 (configuration D)."""
    return _vgg("vgg16", "D", False, weights, **kwargs)


def vgg16_bn(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> VGG:
    """VGG-16 with batch norm."""
    return _vgg("vgg16_bn", "D", True, weights, **kwargs)
