"""``Module.state_dict()`` and ``Module.load_state_dict()``: a model's tensors by dotted name.

The format is torch's: an ordered dict from ``"encoder.fc.weight"``-style keys
to tensors, parameters before buffers within each module, parents before
children. ``state_dict()`` returns detached tensors that share memory with the
model (as torch); ``load_state_dict()`` copies values into the existing
parameters (the objects an optimiser holds stay the same) and accepts
glassgrad tensors, NumPy arrays (what ``glassgrad.load`` returns) and torch
tensors alike.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from glassgrad import backend
from glassgrad.device import move_array
from glassgrad.tensor import Tensor

if TYPE_CHECKING:
    from glassgrad.nn.module import Module


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict`` returns: the model's keys absent from the state dict, and the
    state dict's keys the model does not have."""

    missing_keys: list[str]
    unexpected_keys: list[str]

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return f"IncompatibleKeys(missing_keys={self.missing_keys}, unexpected_keys={self.unexpected_keys})"


def state_tensors(module: Module, prefix: str = "") -> OrderedDict[str, Tensor]:
    """Every parameter and persistent buffer of ``module`` and its descendants, by dotted name.

    A parameter shared by two modules (weight tying) appears under both names, as in torch.
    """
    out: OrderedDict[str, Tensor] = OrderedDict()
    for module_name, sub in module.named_modules(prefix=prefix.rstrip(".")):
        dot = f"{module_name}." if module_name else ""
        for name, param in sub._parameters.items():
            if param is not None:
                out[dot + name] = param
        for name, buf in sub._buffers.items():
            if buf is not None and name not in sub._non_persistent:
                out[dot + name] = buf
    return out


def state_dict(module: Module, destination: dict[str, Any] | None, prefix: str,
               keep_vars: bool) -> OrderedDict[str, Tensor]:
    """See ``Module.state_dict``."""
    out: Any = OrderedDict() if destination is None else destination
    for key, tensor in state_tensors(module, prefix).items():
        out[key] = tensor if keep_vars else tensor.detach()
    return out


def as_array(value: Any) -> Any:
    """The values of a state-dict entry as an array: a glassgrad tensor, a torch tensor, or array-like."""
    if isinstance(value, Tensor):
        return value.array
    if hasattr(value, "detach") and hasattr(value, "numpy"):  # a torch tensor
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _shape_text(shape: tuple[int, ...]) -> str:
    return f"({', '.join(str(d) for d in shape)}{',' if len(shape) == 1 else ''})"


def _copy_into(target: Tensor, value: Any, assign: bool) -> None:
    """Write ``value`` into ``target`` in place (cast to its dtype, on its device); bump its version."""
    if assign:
        target.array = move_array(backend.xp.asarray(value), target.device).astype(target.dtype, copy=True)
    elif isinstance(target.array, np.ndarray) and target.array.flags.writeable:
        np.copyto(target.array, backend.to_numpy(value), casting="unsafe")
    else:
        target.array = move_array(backend.to_numpy(value).astype(target.dtype), target.device)
    target._version_counter[0] += 1


def load_state_dict(module: Module, state: Mapping[str, Any], strict: bool, assign: bool) -> IncompatibleKeys:
    """See ``Module.load_state_dict``."""
    if not isinstance(state, Mapping):
        raise TypeError(f"Expected state_dict to be dict-like, got {type(state)}.")
    own = state_tensors(module)
    missing = [key for key in own if key not in state]
    unexpected = [key for key in state if key not in own]
    errors: list[str] = []
    to_copy: list[tuple[Tensor, Any]] = []
    for key, target in own.items():
        if key not in state:
            continue
        value = as_array(state[key])
        if tuple(value.shape) != tuple(target.shape):
            errors.append(f"size mismatch for {key}: copying a param with shape {_shape_text(value.shape)} from "
                          f"checkpoint, the shape in current model is {_shape_text(target.shape)}.")
        else:
            to_copy.append((target, value))
    if strict:
        if unexpected:
            errors.insert(0, "Unexpected key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in unexpected)))
        if missing:
            errors.insert(0, "Missing key(s) in state_dict: {}. ".format(", ".join(f'"{k}"' for k in missing)))
    if errors:
        raise RuntimeError("Error(s) in loading state_dict for {}:\n\t{}".format(type(module).__name__,
                                                                                "\n\t".join(errors)))
    for target, value in to_copy:  # nothing is changed unless everything fits
        _copy_into(target, value, assign)
    return IncompatibleKeys(missing, unexpected)
