"""torch.nn.modules.batchnorm (defined in glassgrad/nn/lazy.py, glassgrad/nn/normalization.py).
With torch's private base classes, which programs test isinstance against."""

from glassgrad.nn.lazy import LazyBatchNorm1d as LazyBatchNorm1d
from glassgrad.nn.lazy import LazyBatchNorm2d as LazyBatchNorm2d
from glassgrad.nn.lazy import LazyBatchNorm3d as LazyBatchNorm3d
from glassgrad.nn.normalization import BatchNorm1d as BatchNorm1d
from glassgrad.nn.normalization import BatchNorm2d as BatchNorm2d
from glassgrad.nn.normalization import BatchNorm3d as BatchNorm3d
from glassgrad.nn.normalization import _BatchNorm as _BatchNorm

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LazyBatchNorm1d", "LazyBatchNorm2d", "LazyBatchNorm3d"]
