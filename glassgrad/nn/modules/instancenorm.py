"""torch.nn.modules.instancenorm (defined in glassgrad/nn/lazy.py, glassgrad/nn/normalization.py).
With torch's private base classes, which programs test isinstance against."""

from glassgrad.nn.lazy import LazyInstanceNorm1d as LazyInstanceNorm1d
from glassgrad.nn.lazy import LazyInstanceNorm2d as LazyInstanceNorm2d
from glassgrad.nn.lazy import LazyInstanceNorm3d as LazyInstanceNorm3d
from glassgrad.nn.normalization import InstanceNorm1d as InstanceNorm1d
from glassgrad.nn.normalization import InstanceNorm2d as InstanceNorm2d
from glassgrad.nn.normalization import InstanceNorm3d as InstanceNorm3d
from glassgrad.nn.normalization import _InstanceNorm as _InstanceNorm

__all__ = [
    "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LazyInstanceNorm1d", "LazyInstanceNorm2d",
    "LazyInstanceNorm3d",
]
