"""torch's named forms of movements glassgrad already has: t, adjoint, narrow_copy,
hsplit / vsplit / dsplit, diagflat.

    t(x)              the transpose of a matrix (0-d and 1-d returned as they are)
    adjoint(x)        the last two dims swapped (the conjugate is the identity for real tensors)
    narrow_copy(x, d, s, n)  narrow(x, d, s, n) in its own memory
    hsplit / vsplit / dsplit  tensor_split along dim 1 (dim 0 for 1-d), 0 and 2; an int
                      number of pieces must divide that dim
    diagflat(x, k)    the square matrix with the flattened x on diagonal k

Each is the op it names, so its gradient is that op's.
"""

from __future__ import annotations

from collections.abc import Sequence

from glassgrad.ops.copy import clone
from glassgrad.ops.movement import reshape, transpose
from glassgrad.ops.movement_diag import diag_embed
from glassgrad.ops.movement_join import narrow, tensor_split
from glassgrad.tensor import Tensor, as_tensor


def t(input: Tensor) -> Tensor:  # noqa: A002
    """The transpose of a matrix; a 0-d or 1-d tensor comes back as it is (torch.t)."""
    x = as_tensor(input)
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return x if x.ndim < 2 else transpose(x, 0, 1)


def adjoint(input: Tensor) -> Tensor:  # noqa: A002
    """The last two dims swapped (torch.adjoint; real tensors have nothing to conjugate)."""
    x = as_tensor(input)
    if x.ndim < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of matrices. "
                           f"Got {x.ndim}-D tensor.")
    return transpose(x, -2, -1)


def narrow_copy(input: Tensor, dim: int, start: int, length: int) -> Tensor:  # noqa: A002
    """``narrow`` in its own memory (torch.narrow_copy)."""
    return clone(narrow(input, dim, start, length))


def _split_along(name: str, x: Tensor, sections: int | Sequence[int], dim: int, min_dims: int) -> tuple[Tensor, ...]:
    if x.ndim < min_dims:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {x.ndim} dimensions!")
    if isinstance(sections, int) and not isinstance(sections, bool):
        size = x.shape[dim]
        if sections == 0 or size % sections:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the size of the "
                               f"dimension {size} is not divisible by the split_size {sections}!")
    return tensor_split(x, sections, dim)


def hsplit(input: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:  # noqa: A002
    """Split along dim 1 (dim 0 of a 1-d tensor), as torch.hsplit."""
    x = as_tensor(input)
    return _split_along("hsplit", x, indices_or_sections, 1 if x.ndim > 1 else 0, 1)


def vsplit(input: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:  # noqa: A002
    """Split along dim 0 of a tensor of 2 or more dims, as torch.vsplit."""
    return _split_along("vsplit", as_tensor(input), indices_or_sections, 0, 2)


def dsplit(input: Tensor, indices_or_sections: int | Sequence[int]) -> tuple[Tensor, ...]:  # noqa: A002
    """Split along dim 2 of a tensor of 3 or more dims, as torch.dsplit."""
    return _split_along("dsplit", as_tensor(input), indices_or_sections, 2, 3)


def diagflat(input: Tensor, offset: int = 0) -> Tensor:  # noqa: A002
    """The square matrix with the flattened ``input`` on diagonal ``offset`` (torch.diagflat)."""
    return diag_embed(reshape(as_tensor(input), -1), offset, 0, 1)


