"""DataParallel on one device: torch's wrapper, so code written for several GPUs runs as it is.

torch's ``nn.DataParallel(module)`` splits each batch across GPUs. glassgrad
has one device, so (as torch with a single device) the wrapper simply calls
the module. What stays visible is torch's shape: the wrapped model is
``.module``, and its state_dict keys gain the ``"module."`` prefix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad.nn.module import Module


class DataParallel(Module):
    """Wrap ``module``; ``forward`` passes straight through to it.

    Args:
        module: the model.
        device_ids, output_device, dim: accepted for torch compatibility; with one device they change nothing.
    """

    def __init__(self, module: Module, device_ids: Sequence[Any] | None = None, output_device: Any = None,
                 dim: int = 0) -> None:
        super().__init__()
        if not isinstance(module, Module):
            raise TypeError(f"DataParallel: expected an nn.Module, got {type(module).__name__}")
        self.module = module
        self.device_ids = list(device_ids) if device_ids is not None else [0]
        self.output_device, self.dim = output_device, dim

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)
