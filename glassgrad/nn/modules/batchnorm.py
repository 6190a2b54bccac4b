"""torch.nn.modules.batchnorm (defined in glassgrad/nn/normalization.py)."""

from glassgrad.nn.normalization import BatchNorm1d as BatchNorm1d
from glassgrad.nn.normalization import BatchNorm2d as BatchNorm2d

__all__ = ["BatchNorm1d", "BatchNorm2d"]
