"""torch.nn.modules.conv (defined in glassgrad/nn/conv.py)."""

from glassgrad.nn.conv import Conv1d as Conv1d
from glassgrad.nn.conv import Conv2d as Conv2d
from glassgrad.nn.conv import ConvTranspose2d as ConvTranspose2d

__all__ = ["Conv1d", "Conv2d", "ConvTranspose2d"]
