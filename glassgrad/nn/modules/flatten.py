"""torch.nn.modules.flatten (defined in glassgrad/nn/flatten.py)."""

from glassgrad.nn.flatten import Flatten as Flatten
from glassgrad.nn.flatten import Unflatten as Unflatten

__all__ = ["Flatten", "Unflatten"]
