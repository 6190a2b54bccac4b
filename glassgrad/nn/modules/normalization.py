"""torch.nn.modules.normalization; the classes are defined in
glassgrad/nn/layers_misc.py, glassgrad/nn/local_response_norm.py, glassgrad/nn/normalization.py."""

from glassgrad.nn.layers_misc import RMSNorm as RMSNorm
from glassgrad.nn.local_response_norm import LocalResponseNorm as LocalResponseNorm
from glassgrad.nn.normalization import GroupNorm as GroupNorm
from glassgrad.nn.normalization import LayerNorm as LayerNorm

__all__ = ["GroupNorm", "LayerNorm", "LocalResponseNorm", "RMSNorm"]
