"""The teaching engine: scalar autograd (``Value``) and a tiny MLP built on it.

Self-contained (Python floats plus a NumPy Generator for initial weights) and
tested against both PyTorch and the glassgrad tensor engine.
"""

from glassgrad.scalar.engine import Value as Value
from glassgrad.scalar.nn import MLP as MLP
from glassgrad.scalar.nn import Layer as Layer
from glassgrad.scalar.nn import Neuron as Neuron

__all__ = ["MLP", "Layer", "Neuron", "Value"]
