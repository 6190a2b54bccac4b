"""Residual networks (He et al. 2015): the BasicBlock and a small ResNet builder.

A residual block learns a correction F(x) to its input instead of a whole new
mapping:

    y = relu(F(x) + shortcut(x)),   F(x) = bn2(conv2(relu(bn1(conv1(x)))))

The shortcut is the identity when the shape is kept, or a 1x1 convolution with
BatchNorm (the "projection", named ``downsample`` as in torchvision) when the
block changes the channel count or the resolution. Why it helps: the gradient
reaching x is dy/dx = (dF/dx + I) dy: the identity term carries the gradient to
early layers unattenuated however deep the stack, where a plain stack would
multiply one Jacobian per layer and let the product shrink (or grow).

``skip=False`` drops the shortcut, giving the "plain" network of the same depth
to compare against. The state_dict keys (conv1, bn1, conv2, bn2, downsample.0,
downsample.1; conv1/bn1/layer1.../fc for the network) follow torchvision's ResNet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassgrad import ops
from glassgrad.nn import init
from glassgrad.nn.containers import Sequential
from glassgrad.nn.conv import Conv2d
from glassgrad.nn.linear import Linear
from glassgrad.nn.module import Module
from glassgrad.nn.normalization import BatchNorm2d
from glassgrad.tensor import Tensor


class BasicBlock(Module):
    """conv3x3-BN-ReLU-conv3x3-BN, plus the shortcut, then ReLU.

    Args:
        in_channels: channels coming in.
        out_channels: channels going out (both convolutions have this many).
        stride: of the first convolution (2 halves the resolution).
        skip: add the shortcut (True: a residual block; False: a plain block).
        dtype, rng: parameter dtype and generator for the initial weights.

    Shape:
        (N, C_in, H, W) -> (N, C_out, ceil(H / stride), ceil(W / stride)).

    Attributes:
        conv1, bn1, conv2, bn2: the residual branch (convolutions without bias: BN follows).
        downsample: Sequential(1x1 Conv2d(stride), BatchNorm2d) when the shape changes (and skip), else None.
    """

    expansion = 1  # output channels / out_channels (torchvision's name; a Bottleneck block would have 4)

    def __init__(self, in_channels: int, out_channels: int, stride: int = 1, skip: bool = True, dtype: Any = None,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        self.skip = skip
        self.conv1 = Conv2d(in_channels, out_channels, 3, stride, padding=1, bias=False, dtype=dtype, rng=rng)
        self.bn1 = BatchNorm2d(out_channels, dtype=dtype)
        self.conv2 = Conv2d(out_channels, out_channels, 3, 1, padding=1, bias=False, dtype=dtype, rng=rng)
        self.bn2 = BatchNorm2d(out_channels, dtype=dtype)
        if skip and (stride != 1 or in_channels != out_channels):
            self.downsample = Sequential(Conv2d(in_channels, out_channels, 1, stride, bias=False, dtype=dtype,
                                                rng=rng),
                                         BatchNorm2d(out_channels, dtype=dtype))
        else:
            self.downsample = None

    def forward(self, x: Tensor) -> Tensor:
        out = ops.relu(self.bn1(self.conv1(x)))  # (N, C_out, H', W')
        out = self.bn2(self.conv2(out))
        if self.skip:
            out = out + (x if self.downsample is None else self.downsample(x))
        return ops.relu(out)

    def extra_repr(self) -> str:
        return f"skip={self.skip}"


class ResNet(Module):
    """A small ResNet for small images (the CIFAR-style network of He et al. 2015, section 4.2).

    stem: conv3x3(in_channels -> widths[0])-BN-ReLU; then one stage per width, each
    ``blocks_per_stage[i]`` BasicBlocks (the first of every stage but the first has stride 2);
    global average pooling; a linear classifier. Depth = 2 * sum(blocks_per_stage) + 2
    weight layers: (3, 3, 3) gives ResNet-20.

    Args:
        blocks_per_stage: blocks in each stage (default (3, 3, 3)).
        widths: channels of each stage (default (16, 32, 64)).
        in_channels: image channels (default 1, grey).
        num_classes: outputs (default 10).
        skip: residual blocks (True) or the plain network of the same depth (False).
        dtype, rng: as elsewhere.

    Initialisation (torchvision's): convolutions Kaiming-normal (fan_out, relu), BN weight 1 and
    bias 0; the linear layer keeps torch's default.

    Shape:
        (N, in_channels, H, W) -> (N, num_classes).
    """

    def __init__(self, blocks_per_stage: Sequence[int] = (3, 3, 3), widths: Sequence[int] = (16, 32, 64),
                 in_channels: int = 1, num_classes: int = 10, skip: bool = True, dtype: Any = None,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if len(blocks_per_stage) != len(widths) or not widths:
            raise ValueError(f"ResNet: blocks_per_stage {tuple(blocks_per_stage)} and widths {tuple(widths)} "
                             "must have the same (non-zero) length")
        self.conv1 = Conv2d(in_channels, widths[0], 3, 1, padding=1, bias=False, dtype=dtype, rng=rng)
        self.bn1 = BatchNorm2d(widths[0], dtype=dtype)
        channels = widths[0]
        for i, (n_blocks, width) in enumerate(zip(blocks_per_stage, widths)):
            blocks = []
            for j in range(n_blocks):
                stride = 2 if i > 0 and j == 0 else 1
                blocks.append(BasicBlock(channels, width, stride, skip=skip, dtype=dtype, rng=rng))
                channels = width
            setattr(self, f"layer{i + 1}", Sequential(*blocks))
        self.n_stages = len(widths)
        self.fc = Linear(channels, num_classes, dtype=dtype, rng=rng)
        for module in self.modules():
            if isinstance(module, Conv2d):
                init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu", rng=rng)

    def forward(self, x: Tensor) -> Tensor:
        x = ops.relu(self.bn1(self.conv1(x)))  # (N, widths[0], H, W)
        for i in range(self.n_stages):
            x = getattr(self, f"layer{i + 1}")(x)
        x = ops.mean(x, (2, 3))  # global average pooling: (N, C)
        return self.fc(x)

    def weight_layers(self) -> list[tuple[str, Tensor]]:
        """(name, weight) of every convolution and the classifier, input to output:
        the layers whose gradient norms show how well the gradient reaches each depth."""
        return [(name, module.weight) for name, module in self.named_modules()
                if isinstance(module, Conv2d | Linear) and "downsample" not in name]
