"""torch.nn.modules.normalization (defined in glassgrad/nn/normalization.py)."""

from glassgrad.nn.normalization import GroupNorm as GroupNorm
from glassgrad.nn.normalization import LayerNorm as LayerNorm

__all__ = ["GroupNorm", "LayerNorm"]
