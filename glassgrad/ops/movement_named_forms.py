"""torch's named forms of movements glassgrad already has: t, adjoint, narrow_copy,
hsplit / vsplit / dsplit, diagflat.

    t(x)              the transpose of a matrix (0-d and 1-d returned as they are)
    adjoint(x)        the last two dims swapped (the conjugate is the identity for real tensors)
    narrow_copy(x, d, s, n)  narrow(x, d, s, n) in its own memory
    hsplit / vsplit / dsplit  tensor_split along dim 1 (dim 0 for 1-d), 0 and 2; an int
                      number of pieces must divide that dim
    split_with_sizes(x, sizes, d)  split with a list of sizes that must add up to the dim
    unsafe_split, unsafe_chunk     split and chunk (torch skips a safety check of views; nothing to skip here)
    constant_pad_nd(x, pad, value) F.pad with mode 'constant'
    diagflat(x, k)    the square matrix with the flattened x on diagonal k

Each is the op it names, so its gradient is that op's.
"""

from __future__ import annotations

from collections.abc import Sequence

from glassgrad.ops.copy import clone
from glassgrad.ops.movement import reshape, transpose
from glassgrad.ops.movement_diag import diag_embed
from glassgrad.ops.movement_join import chunk, narrow, split, tensor_split
from glassgrad.ops.movement_pad import pad as pad_op
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "adjoint", "constant_pad_nd", "diagflat", "dsplit", "hsplit", "narrow_copy", "split_with_sizes", "t",
    "unsafe_chunk", "unsafe_split", "vsplit",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def t(input: Tensor) -> Tensor:  # noqa: A002
    """The transpose of a matrix; a 0-d or 1-d tensor comes back as it is (torch.t)."""
    x = as_tensor(input)
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return x if x.ndim < 2 else transpose(x, 0, 1)


def adjoint(input: Tensor) -> Tensor:  # noqa: A002
    """The last two dims swapped and, for a complex tensor, conjugated (torch.adjoint)."""
    x = as_tensor(input)
    if x.ndim < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of matrices. "
                           f"Got {x.ndim}-D tensor.")
    return transpose(x.conj() if x.dtype.kind == "c" else x, -2, -1)


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




def split_with_sizes(input: Tensor, split_sizes: Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """Pieces of the given sizes along ``dim``; they must add up to its length (torch.split_with_sizes)."""
    x = as_tensor(input)
    sizes = [int(n) for n in split_sizes]
    length = x.shape[dim] if x.ndim else 1
    if any(n < 0 for n in sizes) or sum(sizes) != length:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's size "
                           f"at dimension {dim}), but got split_sizes={sizes}")
    return split(x, sizes, dim)


def unsafe_split(input: Tensor, split_size: int, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """``split`` (torch.unsafe_split)."""
    return split(as_tensor(input), split_size, dim)


def unsafe_chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:  # noqa: A002
    """``chunk`` (torch.unsafe_chunk)."""
    return chunk(as_tensor(input), chunks, dim)


def constant_pad_nd(input: Tensor, pad: Sequence[int], value: float = 0) -> Tensor:  # noqa: A002
    """``input`` padded with ``value`` ((before, after) pairs from the last dim backwards), as F.pad."""
    return pad_op(input, pad, "constant", value)
