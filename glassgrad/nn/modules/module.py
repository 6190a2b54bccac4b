"""torch.nn.modules.module (defined in glassgrad/nn/module.py)."""

from glassgrad.nn.module import Module as Module
from glassgrad.nn.module import RemovableHandle as RemovableHandle

__all__ = ["Module", "RemovableHandle"]
