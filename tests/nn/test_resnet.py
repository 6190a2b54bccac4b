"""BasicBlock and ResNet against a torch twin written the torchvision way (same module names)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from tests.nn.module_parity import check_module_with_torch


def _torch_block(torch, c_in, c_out, stride, skip=True):
    tnn = torch.nn

    class Block(tnn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = tnn.Conv2d(c_in, c_out, 3, stride, padding=1, bias=False)
            self.bn1 = tnn.BatchNorm2d(c_out)
            self.conv2 = tnn.Conv2d(c_out, c_out, 3, 1, padding=1, bias=False)
            self.bn2 = tnn.BatchNorm2d(c_out)
            self.downsample = None
            if skip and (stride != 1 or c_in != c_out):
                self.downsample = tnn.Sequential(tnn.Conv2d(c_in, c_out, 1, stride, bias=False), tnn.BatchNorm2d(c_out))

        def forward(self, x):
            out = torch.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            if skip:
                out = out + (x if self.downsample is None else self.downsample(x))
            return torch.relu(out)

    return Block()


def _torch_resnet(torch, blocks, widths, skip):
    tnn = torch.nn

    class Net(tnn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.conv1 = tnn.Conv2d(1, widths[0], 3, 1, padding=1, bias=False)
            self.bn1 = tnn.BatchNorm2d(widths[0])
            c = widths[0]
            for i, (n, w) in enumerate(zip(blocks, widths)):
                layer = []
                for j in range(n):
                    layer.append(_torch_block(torch, c, w, 2 if i and not j else 1, skip))
                    c = w
                setattr(self, f"layer{i + 1}", tnn.Sequential(*layer))
            self.fc = tnn.Linear(c, 10)

        def forward(self, x):
            x = torch.relu(self.bn1(self.conv1(x)))
            for i in range(len(widths)):
                x = getattr(self, f"layer{i + 1}")(x)
            return self.fc(x.mean((2, 3)))

    return Net()


@pytest.mark.parametrize("c_in,c_out,stride", [(3, 3, 1), (2, 4, 2), (3, 5, 1)])
@pytest.mark.parametrize("training", [True, False])
def test_basic_block_matches_torch(torch, rng, c_in, c_out, stride, training):
    torch.manual_seed(0)
    theirs, ours = _torch_block(torch, c_in, c_out, stride), nn.BasicBlock(c_in, c_out, stride)
    with torch.no_grad():  # non-trivial BN statistics and affine parameters
        for module in theirs.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.copy_(torch.rand(c_out) + 0.5)
                module.running_var.copy_(torch.rand(c_out) + 0.5)
                module.bias.copy_(torch.randn(c_out) * 0.1)
                module.running_mean.copy_(torch.randn(c_out) * 0.1)
    theirs.train(training)
    ours.train(training)
    check_module_with_torch(ours, theirs, [rng.standard_normal((2, c_in, 5, 5))], torch)


@pytest.mark.parametrize("skip", [True, False])
def test_resnet_matches_torch(torch, rng, skip):
    torch.manual_seed(0)
    theirs = _torch_resnet(torch, (1, 1), (3, 4), skip)
    ours = nn.ResNet((1, 1), (3, 4), skip=skip)
    check_module_with_torch(ours, theirs, [rng.standard_normal((2, 1, 6, 6))], torch)


def test_resnet_structure_and_init():
    net = nn.ResNet((3, 3, 3), (16, 32, 64))
    names = [name for name, _ in net.weight_layers()]
    assert len(names) == 20 and names[0] == "conv1" and names[-1] == "fc"  # ResNet-20: 19 convs + fc
    assert "layer2.0.downsample.0.weight" in net.state_dict()
    assert "layer1.0.downsample.0.weight" not in net.state_dict()
    w = net.conv1.weight.numpy()
    assert abs(w.std() - np.sqrt(2 / (16 * 9))) < 0.05  # Kaiming-normal, fan_out mode
    plain = nn.ResNet((3, 3, 3), (16, 32, 64), skip=False)
    assert not any("downsample" in k for k in plain.state_dict())
    out = nn.ResNet((1, 1), (4, 8))(gg.tensor(np.zeros((2, 1, 9, 9), dtype=np.float32)))
    assert out.shape == (2, 10)
    with pytest.raises(ValueError, match="same"):
        nn.ResNet((1, 1), (8,))
