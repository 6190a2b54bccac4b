"""AlexNet (Krizhevsky et al. 2012; the single-tower variant of "One weird trick", 2014), torchvision's layout.

Five convolutions (11 x 11 stride 4, 5 x 5, then three 3 x 3) with ReLUs and three 3 x 3 stride-2
max pools, an adaptive average pool to 6 x 6, and three linear layers (4096, 4096, classes) with
dropout before the first two. Keys: ``features.0/3/6/8/10``, ``classifier.1/4/6``.
"""

from __future__ import annotations

from typing import Any

from glassgrad import nn, ops
from glassgrad.tensor import Tensor
from glassgrad.vision.models.weights import check_weights, load_weights


class AlexNet(nn.Module):
    """AlexNet; torch's default initialisation. Shape: (N, 3, H, W) -> (N, num_classes) (H, W >= 63)."""

    def __init__(self, num_classes: int = 1000, dropout: float = 0.5) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(64, 192, kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(192, 384, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(256, 256, kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
        )
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=dropout), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(p=dropout), nn.Linear(4096, 4096), nn.ReLU(inplace=True),
            nn.Linear(4096, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        x = self.avgpool(self.features(x))  # (N, 256, 6, 6)
        return self.classifier(ops.flatten(x, 1))


def alexnet(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> AlexNet:
    """AlexNet."""
    path = check_weights(weights, "alexnet")
    return load_weights(AlexNet(**kwargs), path)
