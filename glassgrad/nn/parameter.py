"""Parameter: a leaf tensor that a Module registers as learnable."""

from __future__ import annotations

from typing import Any

from glassgrad.tensor import Tensor


class Parameter(Tensor):
    """A tensor that requires grad and is collected by ``Module.parameters()``."""

    def __init__(self, data: Any, requires_grad: bool = True, dtype: Any = None) -> None:
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
