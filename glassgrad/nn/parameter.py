"""Parameter: a leaf tensor that a Module registers as learnable (torch's ``nn.Parameter``)."""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.tensor import Tensor


class Parameter(Tensor):
    """A tensor that requires grad and is collected by ``Module.parameters()``.

    Args:
        data: a Tensor (its array is shared, as torch shares the storage), an array or
            nested lists; None gives an empty float tensor, as ``torch.nn.Parameter()``.
        requires_grad: whether the optimiser should learn it (default True).
        dtype: optional cast (a glassgrad extension, keyword only; torch's Parameter has no dtype).

    A read-only NumPy array (``arr.flags.writeable`` False, e.g. a memory-mapped
    file or a broadcast view) is COPIED: a parameter is edited in place by every
    optimiser step and by ``load_state_dict``, so it must own writable memory.
    """

    def __init__(self, data: Any = None, requires_grad: bool = True, *, dtype: Any = None) -> None:
        if data is None:
            data = backend.xp.zeros(0, dtype=dtype or backend.get_default_dtype())
        super().__init__(data, requires_grad=False, dtype=dtype)
        self._own_writable_memory()
        if requires_grad:
            self.requires_grad_(True)

    def _own_writable_memory(self) -> None:
        """Copy the array if it is read-only (see the class docstring)."""
        flags = getattr(self.array, "flags", None)
        if flags is not None and not flags.writeable:
            self.array = self.array.copy()

    def _set_data(self, value: Any) -> None:
        """``p.data = x``: as for any tensor, then a read-only array is copied as in ``__init__``."""
        Tensor.data.fset(self, value)
        self._own_writable_memory()

    data = property(Tensor.data.fget, _set_data, doc=Tensor.data.__doc__)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
