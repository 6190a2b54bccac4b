"""torch.nn.modules.pixelshuffle (defined in glassgrad/nn/layers_misc.py)."""

from glassgrad.nn.layers_misc import PixelShuffle as PixelShuffle
from glassgrad.nn.layers_misc import PixelUnshuffle as PixelUnshuffle

__all__ = ["PixelShuffle", "PixelUnshuffle"]
