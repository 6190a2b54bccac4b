"""ResNet-18/34/50 (He et al. 2015, "Deep Residual Learning for Image Recognition"), torchvision's layout.

The ImageNet ResNet: a 7 x 7 stride-2 stem and a 3 x 3 stride-2 max pool (224 -> 56), four stages
of residual blocks (64, 128, 256, 512 channels; stages 2-4 halve the resolution in their first
block), global average pooling and one linear layer. ResNet-18/34 stack ``BasicBlock`` (two 3 x 3
convolutions: glassgrad's :class:`glassgrad.nn.BasicBlock`); ResNet-50 stacks ``Bottleneck``:
a 1 x 1 convolution down to ``planes`` channels, the 3 x 3 at that width (with the stride), and
a 1 x 1 back up to ``4 * planes``, so each block is cheap at 4x the channels.

The state-dict keys are torchvision's (``conv1``, ``bn1``, ``layer1.0.conv1`` ...,
``layer2.0.downsample.0``, ``fc``), so its weights load by name.
"""

from __future__ import annotations

from typing import Any

from glassgrad import nn, ops
from glassgrad.tensor import Tensor
from glassgrad.vision.models.weights import check_weights, load_weights


class Bottleneck(nn.Module):
    """1x1 (reduce to ``planes``) - 3x3 (``stride``) - 1x1 (expand to ``4 * planes``), each with batch norm,
    plus the shortcut (``downsample`` when the shape changes), then ReLU."""

    expansion = 4

    def __init__(self, inplanes: int, planes: int, stride: int = 1) -> None:
        super().__init__()
        out_channels = planes * self.expansion
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, out_channels, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(out_channels)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or inplanes != out_channels:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, out_channels, 1, stride, bias=False),
                                            nn.BatchNorm2d(out_channels))

    def forward(self, x: Tensor) -> Tensor:
        out = self.relu(self.bn1(self.conv1(x)))  # (N, planes, H, W)
        out = self.relu(self.bn2(self.conv2(out)))  # (N, planes, H / stride, W / stride)
        out = self.bn3(self.conv3(out))  # (N, 4 planes, ...)
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


class ResNet(nn.Module):
    """The ImageNet ResNet over ``block`` (BasicBlock or Bottleneck) with ``layers`` blocks per stage.

    Args:
        block: ``glassgrad.nn.BasicBlock`` or :class:`Bottleneck`.
        layers: blocks in each of the four stages ((2, 2, 2, 2) is ResNet-18).
        num_classes: outputs of ``fc``.
        zero_init_residual: start each block's last batch norm at 0, so every block starts as the identity.

    Initialisation (torchvision's): convolutions Kaiming-normal (fan_out, ReLU gain); batch norms
    weight 1, bias 0; the linear layer torch's default. Shape: (N, 3, H, W) -> (N, num_classes).
    """

    def __init__(self, block: type, layers: list[int], num_classes: int = 1000, zero_init_residual: bool = False,
                 groups: int = 1, width_per_group: int = 64) -> None:
        super().__init__()
        if groups != 1 or width_per_group != 64:
            raise NotImplementedError("ResNet: groups / width_per_group (ResNeXt, wide ResNets) are not built")
        self.inplanes = 64
        self.conv1 = nn.Conv2d(3, 64, 7, 2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)
        if zero_init_residual:
            for module in self.modules():
                if isinstance(module, Bottleneck):
                    nn.init.zeros_(module.bn3.weight)
                elif isinstance(module, nn.BasicBlock):
                    nn.init.zeros_(module.bn2.weight)

    def _make_layer(self, block: type, planes: int, blocks: int, stride: int = 1) -> nn.Sequential:
        stage = [block(self.inplanes, planes, stride)]
        self.inplanes = planes * block.expansion
        stage += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*stage)

    def forward(self, x: Tensor) -> Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))  # (N, 64, H / 4, W / 4)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))  # (N, 512 e, H / 32, W / 32)
        return self.fc(ops.flatten(self.avgpool(x), 1))  # (N, num_classes)


def _resnet(name: str, block: type, layers: list[int], weights: Any, **kwargs: Any) -> ResNet:
    path = check_weights(weights, name)
    return load_weights(ResNet(block, layers, **kwargs), path)


def resnet18(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> ResNet:
    """ResNet-18: BasicBlocks (2, 2, 2, 2)."""
    return _resnet("resnet18", nn.BasicBlock, [2, 2, 2, 2], weights, **kwargs)


def resnet34(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> ResNet:
    """ResNet-34: BasicBlocks (3, 4, 6, 3)."""
    return _resnet("resnet34", nn.BasicBlock, [3, 4, 6, 3], weights, **kwargs)


def resnet50(*, weights: Any = None, progress: bool = True, **kwargs: Any) -> ResNet:
    """ResNet-50: Bottlenecks (3, 4, 6, 3)."""
    return _resnet("resnet50", Bottleneck, [3, 4, 6, 3], weights, **kwargs)
