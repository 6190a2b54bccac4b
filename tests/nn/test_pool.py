"""Pooling and resizing layers against torch; their errors. (The ops: tests/ops/test_pool.py.)"""

from __future__ import annotations

import pytest

from glassgrad import nn
from tests.nn.test_conv import check_layer_with_torch


def test_layers_match_torch(torch, rng):
    x = rng.standard_normal((2, 3, 8, 8))
    pairs = [
        (nn.MaxPool2d(2), torch.nn.MaxPool2d(2)),
        (nn.MaxPool2d(3, stride=2, padding=1), torch.nn.MaxPool2d(3, stride=2, padding=1)),
        (nn.AvgPool2d(2), torch.nn.AvgPool2d(2)),
        (nn.AdaptiveAvgPool2d(1), torch.nn.AdaptiveAvgPool2d(1)),
        (nn.Upsample(scale_factor=2), torch.nn.Upsample(scale_factor=2)),
        (nn.Upsample(size=(5, 11), mode="bilinear", align_corners=True),
         torch.nn.Upsample(size=(5, 11), mode="bilinear", align_corners=True)),
    ]
    for ours, theirs in pairs:
        check_layer_with_torch(ours, theirs, x, torch)


def test_layer_errors():
    with pytest.raises(ValueError, match="mode"):
        nn.Upsample(scale_factor=2, mode="bicubic")
