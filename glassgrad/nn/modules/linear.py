"""torch.nn.modules.linear (defined in glassgrad/nn/lazy.py, glassgrad/nn/linear.py)."""

from glassgrad.nn.lazy import LazyLinear as LazyLinear
from glassgrad.nn.linear import Bilinear as Bilinear
from glassgrad.nn.linear import Identity as Identity
from glassgrad.nn.linear import Linear as Linear
from glassgrad.nn.linear import NonDynamicallyQuantizableLinear as NonDynamicallyQuantizableLinear

__all__ = ["Bilinear", "Identity", "LazyLinear", "Linear", "NonDynamicallyQuantizableLinear"]
