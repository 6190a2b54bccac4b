"""``nn.utils.weight_norm`` / ``remove_weight_norm`` (Salimans & Kingma 2016).

The weight w is re-parametrised by a direction v and a magnitude g:

    w = g * v / ||v||

where ||v|| is taken over every dimension except ``dim`` (one norm per output row for dim=0), so g has
v's size along ``dim`` and 1 elsewhere; for dim=None the norm is over everything and g is a scalar.
``weight_norm`` replaces the parameter ``name`` by two parameters ``name_g`` and ``name_v`` (torch's
names, so state dicts load) and recomputes w from them before every forward (a forward pre-hook); the
gradients reach g and v through the ops that compute w. ``remove_weight_norm`` folds w back into one parameter.
"""

from __future__ import annotations

from typing import Any

from glassgrad import ops
from glassgrad.nn.parameter import Parameter
from glassgrad.tensor import Tensor


def _norm_except_dim(v: Tensor, dim: int | None) -> Tensor:
    """||v|| over every dimension but ``dim``, kept as size-1 dims (the shape of g); a scalar for dim=None."""
    if dim is None:
        return ops.norm(v, 2, None, False)
    others = tuple(d for d in range(v.ndim) if d != dim % v.ndim)
    return ops.norm(v, 2, others, True) if others else ops.abs(v)


class _WeightNorm:
    """The forward pre-hook that recomputes ``module.<name>`` = g * v / ||v||."""

    def __init__(self, name: str, dim: int | None) -> None:
        self.name, self.dim = name, dim

    def compute_weight(self, module: Any) -> Tensor:
        g, v = getattr(module, f"{self.name}_g"), getattr(module, f"{self.name}_v")
        return v * (g / _norm_except_dim(v, self.dim))

    def __call__(self, module: Any, args: Any) -> None:
        object.__setattr__(module, self.name, self.compute_weight(module))


def weight_norm(module: Any, name: str = "weight", dim: int | None = 0) -> Any:
    """Re-parametrise ``module.<name>`` as g * v / ||v|| (module docstring); returns the module."""
    weight = module._parameters.get(name)
    if weight is None:
        raise RuntimeError(f"weight_norm: {type(module).__name__} has no parameter {name!r}")
    if any(isinstance(h, _WeightNorm) and h.name == name for h in module._forward_pre_hooks.values()):
        raise RuntimeError(f"Cannot register two weight_norm hooks on the same parameter {name}")
    if dim == -1:
        dim = None
    hook = _WeightNorm(name, dim)
    del module._parameters[name]
    g = _norm_except_dim(weight.detach(), dim)
    module.register_parameter(f"{name}_g", Parameter(g.array.copy()))
    module.register_parameter(f"{name}_v", Parameter(weight.array.copy()))
    object.__setattr__(module, name, hook.compute_weight(module))
    module.register_forward_pre_hook(hook)
    return module


def remove_weight_norm(module: Any, name: str = "weight") -> Any:
    """Undo ``weight_norm``: ``module.<name>`` becomes one parameter again, holding g * v / ||v||."""
    for key, hook in list(module._forward_pre_hooks.items()):
        if isinstance(hook, _WeightNorm) and hook.name == name:
            weight = hook.compute_weight(module)
            del module._forward_pre_hooks[key]
            del module._parameters[f"{name}_g"], module._parameters[f"{name}_v"]
            module.__dict__.pop(name, None)
            module.register_parameter(name, Parameter(weight.array.copy()))
            return module
    raise ValueError(f"weight_norm of '{name}' not found in {type(module).__name__}")
