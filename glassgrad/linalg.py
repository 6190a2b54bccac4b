"""``torch.linalg``: norms, inverse, determinant, solve (``import glassgrad as torch; torch.linalg.norm``).

The vector norms are glassgrad's one ``Norm`` op (``glassgrad/ops/reduce_stats.py``); the matrix
norms reduce with it twice (1, inf: the largest column / row sum of |a|) or once over two dims
('fro'); inv, det and solve are the ops of ``glassgrad/ops/linalg_inverse.py``. Matrix norms that
need singular values (ord 2, -2, 'nuc') are not supported.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import dtypes, ops
from glassgrad.ops.linalg_inverse import det as det
from glassgrad.ops.linalg_inverse import inv as inv
from glassgrad.ops.linalg_inverse import solve as solve
from glassgrad.tensor import Tensor, as_tensor


def _floating(op: str, x: Any, dtype: Any) -> Tensor:
    x = as_tensor(x)
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    if x.dtype.kind != "f":
        raise RuntimeError(f"linalg.{op}: expected a floating point tensor, got {x.dtype} (pass dtype=)")
    return x


def vector_norm(x: Any, ord: float = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over ``dim`` (every element when None), with ord inf / -inf (max / min |x|)
    and 0 (the count of non-zeros)."""
    x = _floating("vector_norm", x, dtype)
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r} (use matrix_norm for 'fro')")
    return ops.norm(x, float(ord), dim, keepdim)


def matrix_norm(A: Any, ord: Any = "fro", dim: tuple[int, int] = (-2, -1), keepdim: bool = False, *,  # noqa: A002, N803
                dtype: Any = None) -> Tensor:
    """A matrix norm over the two dims ``dim``: 'fro' sqrt(sum a^2); 1 / -1 the largest / smallest
    column sum of |a|; inf / -inf the largest / smallest row sum of |a|."""
    a = _floating("matrix_norm", A, dtype)
    if a.ndim < 2:
        raise RuntimeError(f"linalg.matrix_norm: the input must have at least 2 dimensions, got shape {tuple(a.shape)}")
    rows, cols = (d % a.ndim for d in dim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dim must name two different dimensions, got {dim}")
    if ord == "fro":
        return ops.norm(a, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} needs singular values (SVD), which glassgrad "
                                  "does not have; use 'fro', 1, -1, inf or -inf")
    if ord not in (1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.matrix_norm: order {ord!r} not supported (use 'fro', 1, -1, inf or -inf)")
    summed, across = (rows, cols) if abs(ord) == 1 else (cols, rows)  # ord 1: sum each column, then max
    sums = ops.norm(a, 1, summed, True)
    pick = ops.amax if ord > 0 else ops.amin
    result = pick(sums, dim=across, keepdim=True)
    return result if keepdim else result.squeeze((rows, cols))


def norm(A: Any, ord: Any = None, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:  # noqa: A002, N803
    """torch.linalg.norm: a vector norm when ``dim`` is an int (or ord is None and dim is None: the 2-norm
    of all elements), a matrix norm when ``dim`` is two dims or the input is 2-D with ord given."""
    a = _floating("norm", A, dtype)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None and ord is None:
        return ops.norm(a, 2, None, keepdim)
    if dim is None:
        if a.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: with ord={ord!r} and dim=None the input must be 1-D or 2-D, got "
                               f"shape {tuple(a.shape)}")
        dim = tuple(range(a.ndim))
    if len(dim) == 1:
        return vector_norm(a, 2 if ord is None else ord, dim, keepdim)
    if len(dim) == 2:
        return matrix_norm(a, "fro" if ord is None else ord, tuple(dim), keepdim)
    raise RuntimeError(f"linalg.norm: dim must be an int or a pair of ints, got {dim}")
