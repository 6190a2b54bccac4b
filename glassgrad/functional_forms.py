"""torch's module-level forms of three Tensor queries: torch.detach, torch.get_device, torch.typename."""

from __future__ import annotations

from typing import Any

from glassgrad import dtypes
from glassgrad.tensor import Tensor


def detach(input: Tensor) -> Tensor:  # noqa: A002
    """``input.detach()``: the same values, out of the graph."""
    return input.detach()


def get_device(input: Tensor) -> int:  # noqa: A002
    """``input.get_device()``: -1 on the CPU, the GPU's index on a GPU."""
    return input.get_device()


def typename(obj: Any) -> str:
    """torch's type string of a tensor (``"torch.FloatTensor"``), or the type name of anything else."""
    if isinstance(obj, Tensor):
        return dtypes.type_name(obj.dtype)
    kind = type(obj)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
