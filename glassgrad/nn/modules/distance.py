"""torch.nn.modules.distance (defined in glassgrad/nn/layers_misc.py)."""

from glassgrad.nn.layers_misc import CosineSimilarity as CosineSimilarity
from glassgrad.nn.layers_misc import PairwiseDistance as PairwiseDistance

__all__ = ["CosineSimilarity", "PairwiseDistance"]
