"""torch.nn.modules.upsampling (defined in glassgrad/nn/pooling.py)."""

from glassgrad.nn.pooling import Upsample as Upsample

__all__ = ["Upsample"]
