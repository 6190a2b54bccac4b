"""Index and element combinatorics: tril_indices / triu_indices, combinations, cartesian_prod.

    tril_indices(3, 3)       the (row, col) pairs of the lower triangle, row by row: a (2, 6) int64 tensor
    combinations(x, r)       the r-element subsets of the 1-d x, in lexicographic order of position
                             (with_replacement: multisets): a (count, r) tensor
    cartesian_prod(a, b)     every pair (a_i, b_j), i slower: a (len a * len b, 2) tensor

combinations and cartesian_prod pick elements of their inputs by index (torch
composes them the same way), so the gradient of an element is the sum of the
output gradients at the places it was copied to.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy

from glassgrad import backend, dtypes
from glassgrad.factory_args import check_options, finish
from glassgrad.ops.movement import reshape
from glassgrad.ops.movement_join import meshgrid, stack
from glassgrad.ops.pointwise_float_parts import _torch_name
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["cartesian_prod", "combinations", "tril_indices", "triu_indices"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _triangle_indices(name: str, row: int, col: int, offset: int, dtype: Any, device: Any, options: dict) -> Tensor:
    check_options(name, options)
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    dtype = dtypes.to_dtype(numpy.int64 if dtype is None else dtype)
    if dtype.kind not in "iu":
        raise NotImplementedError(f'"{name}" not implemented for \'{_torch_name(dtype)}\'')
    pick = numpy.tril_indices if name == "tril_indices" else numpy.triu_indices
    rows, cols = pick(row, offset, col)
    return finish(backend.xp.asarray(numpy.stack([rows, cols]).astype(dtype)), device, False, name)


def tril_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 **options: Any) -> Tensor:
    """The (row, col) coordinates of the lower triangle of a row x col matrix, diagonal ``offset``
    included (torch.tril_indices): a (2, N) tensor, ordered row by row."""
    return _triangle_indices("tril_indices", row, col, offset, dtype, device, options)


def triu_indices(row: int, col: int, offset: int = 0, *, dtype: Any = None, device: Any = None,
                 **options: Any) -> Tensor:
    """The (row, col) coordinates of the upper triangle, from diagonal ``offset`` up (torch.triu_indices)."""
    return _triangle_indices("triu_indices", row, col, offset, dtype, device, options)


def combinations(input: Tensor, r: int = 2, with_replacement: bool = False) -> Tensor:  # noqa: A002
    """The length-r combinations of the elements of a 1-d tensor (torch.combinations), as rows."""
    x = as_tensor(input)
    if x.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(x.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return x[:0]
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    positions = numpy.array(list(choose(range(x.shape[0]), r)), dtype=numpy.int64).reshape(-1, r)
    return x[backend.xp.asarray(positions)]


def cartesian_prod(*tensors: Tensor) -> Tensor:
    """Every tuple of one element from each 1-d tensor, the last varying fastest (torch.cartesian_prod)."""
    ts = [as_tensor(t) for t in tensors]
    for t in ts:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(ts) == 1:
        return ts[0]
    if any(t.dtype != ts[0].dtype for t in ts):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    grids = meshgrid(*ts, indexing="ij")
    return stack([reshape(g, -1) for g in grids], 1)
