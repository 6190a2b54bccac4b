"""torch's ``*_copy`` forms of the view ops: the same result as the view, in its own memory.

    alias_copy(x)                      = x.clone()
    view_copy(x, size)                 = x.view(size).clone()
    squeeze_copy, unsqueeze_copy, expand_copy, permute_copy, transpose_copy, t_copy, diagonal_copy,
    as_strided_copy, unfold_copy, unbind_copy, split_with_sizes_copy, select_copy, slice_copy,
    split_copy, detach_copy: likewise

(torch has them for programs that must not alias memory.) Each is the view
followed by ``clone``, so its gradient is the view's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from glassgrad.ops.copy import clone
from glassgrad.ops.indexing_view_scatter import as_strided
from glassgrad.ops.movement_named_forms import split_with_sizes, t
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "alias_copy", "as_strided_copy", "detach_copy", "diagonal_copy", "expand_copy", "permute_copy", "select_copy",
    "slice_copy", "split_copy", "split_with_sizes_copy", "squeeze_copy", "t_copy", "transpose_copy", "unbind_copy",
    "unfold_copy", "unsqueeze_copy", "view_copy",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def alias_copy(input: Tensor) -> Tensor:  # noqa: A002
    """A copy of ``input`` (torch.alias_copy)."""
    return clone(as_tensor(input))


def view_copy(input: Tensor, size: Any) -> Tensor:  # noqa: A002
    """``input.view(size)`` in its own memory (torch.view_copy)."""
    return clone(as_tensor(input).view(size))


def squeeze_copy(input: Tensor, dim: Any = None) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).squeeze(dim))


def unsqueeze_copy(input: Tensor, dim: int) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).unsqueeze(dim))


def expand_copy(input: Tensor, size: Sequence[int], *, implicit: bool = False) -> Tensor:  # noqa: A002, ARG001
    return clone(as_tensor(input).expand(size))


def permute_copy(input: Tensor, dims: Sequence[int]) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).permute(dims))


def transpose_copy(input: Tensor, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).transpose(dim0, dim1))


def t_copy(input: Tensor) -> Tensor:  # noqa: A002
    return clone(t(input))


def diagonal_copy(input: Tensor, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).diagonal(offset, dim1, dim2))


def as_strided_copy(input: Tensor, size: Sequence[int], stride: Sequence[int],  # noqa: A002
                    storage_offset: int | None = None) -> Tensor:
    return clone(as_strided(input, size, stride, storage_offset))


def unfold_copy(input: Tensor, dimension: int, size: int, step: int) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).unfold(dimension, size, step))


def unbind_copy(input: Tensor, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    return tuple(clone(piece) for piece in as_tensor(input).unbind(dim))


def split_with_sizes_copy(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    return tuple(clone(piece) for piece in split_with_sizes(input, split_sizes, dim))


def select_copy(input: Tensor, dim: int, index: int) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).select(dim, index))


def slice_copy(input: Tensor, dim: int = 0, start: int | None = None, end: int | None = None,  # noqa: A002
               step: int = 1) -> Tensor:
    x = as_tensor(input)
    return clone(x[(slice(None),) * (dim % max(x.ndim, 1)) + (slice(start, end, step),)])


def split_copy(input: Tensor, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    return tuple(clone(piece) for piece in as_tensor(input).split(split_size, dim))


def detach_copy(input: Tensor) -> Tensor:  # noqa: A002
    return clone(as_tensor(input).detach())
