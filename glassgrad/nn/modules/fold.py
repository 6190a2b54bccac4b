"""torch.nn.modules.fold (defined in glassgrad/nn/fold.py)."""

from glassgrad.nn.fold import Fold as Fold
from glassgrad.nn.fold import Unfold as Unfold

__all__ = ["Fold", "Unfold"]
