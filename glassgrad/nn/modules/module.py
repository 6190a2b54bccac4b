"""torch.nn.modules.module: the Module base (defined in glassgrad/nn/module.py)."""

from glassgrad.nn.module import Module as Module
from glassgrad.nn.module import RemovableHandle as RemovableHandle

__all__ = ["Module", "RemovableHandle"]
