"""``Size``: a tensor's shape, a tuple of ints that prints as torch's (``torch.Size([2, 3])``)."""

from __future__ import annotations

from typing import Any, SupportsIndex


class Size(tuple):
    """A tensor's shape: a tuple of ints, with torch's ``numel()`` and torch's printing.

    It compares, hashes and unpacks as the plain tuple (``x.shape == (2, 3)``). As in torch,
    a slice of it, a tuple added to it and a repeat of it are Sizes again (``x.shape[1:]``
    prints ``torch.Size([3])``).
    """

    def numel(self) -> int:
        n = 1
        for d in self:
            n *= d
        return n

    def __repr__(self) -> str:
        return f"torch.Size([{', '.join(str(d) for d in self)}])"

    __str__ = __repr__

    def __getitem__(self, key: Any) -> Any:
        if key.__class__ is slice:
            return Size(tuple.__getitem__(self, key))
        return tuple.__getitem__(self, key)

    def __add__(self, other: Any) -> Any:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(self, other))

    def __radd__(self, other: Any) -> Any:
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple.__add__(other, self))

    def __mul__(self, count: SupportsIndex) -> Size:
        return Size(tuple.__mul__(self, count))

    __rmul__ = __mul__

    def __reduce__(self) -> tuple[Any, ...]:
        return (Size, (tuple(self),))
