"""torch.nn.modules.pooling (defined in glassgrad/nn/pooling.py)."""

from glassgrad.nn.pooling import AdaptiveAvgPool2d as AdaptiveAvgPool2d
from glassgrad.nn.pooling import AvgPool2d as AvgPool2d
from glassgrad.nn.pooling import MaxPool2d as MaxPool2d

__all__ = ["AdaptiveAvgPool2d", "AvgPool2d", "MaxPool2d"]
