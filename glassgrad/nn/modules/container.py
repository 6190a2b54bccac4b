"""torch.nn.modules.container (defined in glassgrad/nn/containers.py)."""

from glassgrad.nn.containers import ModuleDict as ModuleDict
from glassgrad.nn.containers import ModuleList as ModuleList
from glassgrad.nn.containers import ParameterDict as ParameterDict
from glassgrad.nn.containers import ParameterList as ParameterList
from glassgrad.nn.containers import Sequential as Sequential

__all__ = ["ModuleDict", "ModuleList", "ParameterDict", "ParameterList", "Sequential"]
