"""``weights=`` for the model builders: None (untrained) or a safetensors file the user supplies.

torchvision's builders take a ``WeightsEnum`` and download the file it names. glassgrad never
touches the network for weights: save torchvision's pretrained weights once, where torch is
installed, with ``safetensors.torch.save_file(model.state_dict(), "resnet18.safetensors")``, and
pass the path, ``resnet18(weights="resnet18.safetensors")``. The file's names are the state-dict
keys, which glassgrad's models share with torchvision's.
"""

from __future__ import annotations

import os
from typing import Any

from glassgrad.nn.module import Module


def check_weights(weights: Any, name: str) -> str | None:
    """The safetensors path ``weights`` names (None: untrained), or a clear error for anything else."""
    if weights is None:
        return None
    if isinstance(weights, str | os.PathLike) and os.path.isfile(weights):
        return os.fspath(weights)
    raise ValueError(f"{name}: weights={weights!r} is not a safetensors file. glassgrad downloads no weights: save "
                     f"torchvision's once with safetensors.torch.save_file(torchvision.models.{name}(weights=...)"
                     f".state_dict(), 'file.safetensors') and pass weights='file.safetensors' (or weights=None)")


def load_weights(model: Module, path: str | None) -> Module:
    """Load ``path`` (a safetensors file of torchvision state-dict keys) into ``model``, strictly; return it."""
    if path is not None:
        from glassgrad.safetensors import load_file

        model.load_state_dict(load_file(path))
    return model
