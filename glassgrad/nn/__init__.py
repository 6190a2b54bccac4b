"""Layers and models (PyTorch's shapes and names).

Each family lives in its own file; this file only re-exports. When adding a
layer family, add its imports and ``__all__`` entries in its own block below.
"""

from glassgrad.nn import init as init
from glassgrad.nn.containers import ModuleDict as ModuleDict
from glassgrad.nn.containers import ModuleList as ModuleList
from glassgrad.nn.containers import Sequential as Sequential
from glassgrad.nn.linear import Dense as Dense
from glassgrad.nn.linear import Flatten as Flatten
from glassgrad.nn.linear import Identity as Identity
from glassgrad.nn.linear import Linear as Linear
from glassgrad.nn.module import Module as Module
from glassgrad.nn.parameter import Parameter as Parameter

__all__ = [
    "Dense", "Flatten", "Identity", "Linear", "Module", "ModuleDict", "ModuleList",
    "Parameter", "Sequential", "init",
]
