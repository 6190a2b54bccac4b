"""torch.nn.modules.instancenorm (defined in glassgrad/nn/normalization.py)."""

from glassgrad.nn.normalization import InstanceNorm2d as InstanceNorm2d

__all__ = ["InstanceNorm2d"]
