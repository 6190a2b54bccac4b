"""``torch.linalg`` (``import glassgrad as torch; torch.linalg.svd``): norms, inverses, solves and the
matrix decompositions, each differentiable, batched over leading dimensions.

Where each lives (every backward is derived in docs/derivations/linalg.md):

* norms: the vector norms are glassgrad's ``Norm`` op (``ops/reduce_stats.py``); the matrix norms reduce
  with it ('fro', 1, -1, inf, -inf) or with the singular values (2, -2, 'nuc');
* inv, det, solve: ``ops/linalg_inverse.py``; slogdet: ``ops/linalg_determinant.py``;
* svd, svdvals: ``ops/linalg_svd.py``; eigh, eigvalsh: ``ops/linalg_eigen.py``; eig, eigvals
  (complex results): ``ops/linalg_eig.py``;
* qr: ``ops/linalg_qr.py``; householder_product: ``ops/linalg_householder.py``;
* cholesky: ``ops/linalg_cholesky.py``; solve_triangular: ``ops/linalg_triangular.py``;
* lu, lu_factor, lu_solve: ``ops/linalg_lu.py`` and ``ops/linalg_lu_solve.py``; ldl_factor, ldl_solve (no
  derivative, as in torch): ``ops/linalg_ldl.py``;
* pinv, matrix_rank, lstsq: ``ops/linalg_pinv.py``;
* matrix_exp, matrix_power, multi_dot: ``ops/linalg_matrix_functions.py``; cross, vecdot, vander:
  ``ops/linalg_vectors.py``.

``eig`` and ``eigvals`` take real or complex matrices and answer with complex tensors, as torch. svd, eigh,
qr, cholesky, lu, ldl, the solves, slogdet, pinv, lstsq, matrix_exp, householder_product and the norms take
complex matrices too (real singular values, eigenvalues and norms).
"""

from __future__ import annotations

import math
from typing import Any

import numpy

from glassgrad import backend, dtypes, ops, return_types
from glassgrad.ops.linalg_cholesky import cholesky as cholesky
from glassgrad.ops.linalg_cholesky import cholesky_ex as cholesky_ex
from glassgrad.ops.linalg_common import LinAlgError as LinAlgError
from glassgrad.ops.linalg_determinant import slogdet as slogdet
from glassgrad.ops.linalg_eig import eig as eig
from glassgrad.ops.linalg_eig import eigvals as eigvals
from glassgrad.ops.linalg_eigen import eigh as eigh
from glassgrad.ops.linalg_eigen import eigvalsh as eigvalsh
from glassgrad.ops.linalg_householder import householder_product as householder_product
from glassgrad.ops.linalg_inverse import det as det
from glassgrad.ops.linalg_inverse import inv as inv
from glassgrad.ops.linalg_inverse import solve as solve
from glassgrad.ops.linalg_ldl import ldl_factor as ldl_factor
from glassgrad.ops.linalg_ldl import ldl_factor_ex as ldl_factor_ex
from glassgrad.ops.linalg_ldl import ldl_solve as ldl_solve
from glassgrad.ops.linalg_lu import lu as lu
from glassgrad.ops.linalg_lu import lu_factor as lu_factor
from glassgrad.ops.linalg_lu import lu_factor_array
from glassgrad.ops.linalg_lu import lu_factor_ex as lu_factor_ex
from glassgrad.ops.linalg_lu_solve import lu_solve as lu_solve
from glassgrad.ops.linalg_matrix_functions import matrix_exp as matrix_exp
from glassgrad.ops.linalg_matrix_functions import matrix_power as matrix_power
from glassgrad.ops.linalg_matrix_functions import multi_dot as multi_dot
from glassgrad.ops.linalg_pinv import lstsq as lstsq
from glassgrad.ops.linalg_pinv import matrix_rank as matrix_rank
from glassgrad.ops.linalg_pinv import pinv as pinv
from glassgrad.ops.linalg_qr import qr as qr
from glassgrad.ops.linalg_svd import svd as svd
from glassgrad.ops.linalg_svd import svdvals as svdvals
from glassgrad.ops.linalg_triangular import solve_triangular as solve_triangular
from glassgrad.ops.linalg_vectors import linalg_cross
from glassgrad.ops.linalg_vectors import linalg_vander as _vander
from glassgrad.ops.linalg_vectors import vecdot as vecdot
from glassgrad.tensor import Tensor, as_tensor

cross = linalg_cross  # torch.linalg.cross (dim=-1; torch.cross is ops/linalg_vectors.cross)


def _floating(op: str, x: Any, dtype: Any, complex_ok: bool = False) -> Tensor:
    x = as_tensor(x)
    if dtype is not None:
        x = x.to(dtypes.to_dtype(dtype))
    if x.dtype.kind != "f" and not (complex_ok and x.dtype.kind == "c"):
        raise RuntimeError(f"linalg.{op}: expected a floating point tensor, got {x.dtype} (pass dtype=)")
    return x


def vector_norm(x: Any, ord: float = 2, dim: Any = None, keepdim: bool = False, *,  # noqa: A002
                dtype: Any = None) -> Tensor:
    """(sum |x|^ord)^(1/ord) over ``dim`` (every element when None), with ord inf / -inf (max / min |x|)
    and 0 (the count of non-zeros)."""
    x = as_tensor(x)
    x = _floating("vector_norm", x.abs() if x.dtype.kind == "c" and dtype is None else x, dtype)  # sizes |z|
    if isinstance(ord, str):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, got {ord!r} (use matrix_norm for 'fro')")
    return ops.norm(x, float(ord), dim, keepdim)


def matrix_norm(A: Any, ord: Any = "fro", dim: tuple[int, int] = (-2, -1), keepdim: bool = False, *,  # noqa: A002, N803
                dtype: Any = None) -> Tensor:
    """A matrix norm over the two dims ``dim``: 'fro' sqrt(sum a^2); 1 / -1 the largest / smallest
    column sum of |a|; inf / -inf the largest / smallest row sum of |a|; 2 / -2 the largest / smallest
    singular value; 'nuc' the sum of the singular values. For a complex matrix, |a| is the modulus and the
    norm is real."""
    a = _floating("matrix_norm", A, dtype, complex_ok=True)
    if a.ndim < 2:
        raise RuntimeError(f"linalg.matrix_norm: the input must have at least 2 dimensions, got shape {tuple(a.shape)}")
    rows, cols = (d % a.ndim for d in dim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dim must name two different dimensions, got {dim}")
    if ord in ("nuc", 2, -2):
        return _singular_value_norm(a, ord, rows, cols, keepdim)
    a = a.abs() if a.dtype.kind == "c" else a  # the other orders read |a_ij| only
    if ord == "fro":
        return ops.norm(a, 2, (rows, cols), keepdim)
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
    a = _floating("norm", A, dtype, complex_ok=True)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None and ord is None:
        return vector_norm(a, 2, None, keepdim)
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


def _singular_value_norm(a: Tensor, ord: Any, rows: int, cols: int, keepdim: bool) -> Tensor:  # noqa: A002
    """2, -2 or 'nuc' over dims (rows, cols): from the singular values (their gradient U diag(gS) Vh).
    The largest / smallest is ``amax`` / ``amin``, which share the gradient among equal values, as torch."""
    values = svdvals(a.movedim((rows, cols), (-2, -1)))
    result = values.sum(-1) if ord == "nuc" else (ops.amax if ord == 2 else ops.amin)(values, dim=-1)
    if keepdim:
        for d in sorted((rows, cols)):
            result = result.unsqueeze(d)
    return result


def cond(A: Any, p: Any = None) -> Tensor:  # noqa: N803
    """torch.linalg.cond: the condition number. p None or 2: sigma_max / sigma_min; -2: sigma_min / sigma_max
    (from the singular values); 'fro', 'nuc', 1, -1, inf, -inf: norm(A, p) * norm(A^{-1}, p), square A only,
    inf for a singular matrix."""
    a = _floating("cond", A, None, complex_ok=True)
    if a.ndim < 2:
        raise RuntimeError(f"linalg.cond: The input tensor A must have at least 2 dimensions, got {a.ndim}")
    if p in (None, 2, -2):
        values = svdvals(a)
        largest, smallest = values[..., 0], values[..., -1]
        return largest / smallest if p in (None, 2) else smallest / largest
    if p not in ("fro", "nuc", 1, -1, math.inf, -math.inf):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.cond(ord={p}): A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    inverse, info = inv_ex(a)
    singular = Tensor(backend.xp.asarray(info.array > 0))
    result = matrix_norm(a, p) * matrix_norm(inverse.masked_fill(singular[..., None, None], 0.0), p)  # (NaN there)
    return result.masked_fill(singular, math.inf)


def _invertible(a: Tensor) -> tuple[Tensor, Tensor]:
    """(A with its singular matrices replaced by the identity, LAPACK's info: 0, or the 1-based index of
    the first zero pivot of a singular matrix)."""
    if a.array.size == 0:
        return a, Tensor(numpy.zeros(a.shape[:-2], dtype=numpy.int32))
    packed, _ = lu_factor_array(a.array)
    pivots = numpy.diagonal(packed, axis1=-2, axis2=-1)
    zero = pivots == 0
    info = numpy.where(zero.any(-1), zero.argmax(-1) + 1, 0).astype(numpy.int32)
    if not info.any():
        return a, Tensor(info)
    singular = Tensor(backend.xp.asarray(info > 0)[..., None, None])
    eye = Tensor(backend.xp.eye(a.shape[-1], dtype=a.dtype))
    return ops.where(singular, eye, a), Tensor(info)


def _nan_where_singular(x: Tensor, info: Tensor) -> Tensor:
    if not info.array.any():
        return x
    singular = Tensor(backend.xp.asarray(info.array > 0)[..., None, None])
    return x.masked_fill(singular, math.nan)


def inv_ex(A: Any, *, check_errors: bool = False) -> Any:  # noqa: N803
    """torch.linalg.inv_ex: (inverse, info) without raising for a singular matrix (unless ``check_errors``):
    ``info`` (int32) is the 1-based index of the first zero pivot, and that matrix's inverse is NaN (torch
    leaves LAPACK's unfinished values there)."""
    a = as_tensor(A)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2] or check_errors:
        return return_types.linalg_inv_ex(inv(a), Tensor(numpy.zeros(a.shape[:-2], dtype=numpy.int32)))
    safe, info = _invertible(a)
    return return_types.linalg_inv_ex(_nan_where_singular(inv(safe), info), info)


def solve_ex(A: Any, B: Any, *, left: bool = True, check_errors: bool = False) -> Any:  # noqa: N803
    """torch.linalg.solve_ex: (result, info), ``info`` as in ``inv_ex`` (a singular matrix's result is NaN)."""
    a = as_tensor(A)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2] or check_errors:
        return return_types.linalg_solve_ex(solve(a, B, left=left), Tensor(numpy.zeros(a.shape[:-2], numpy.int32)))
    safe, info = _invertible(a)
    result = solve(safe, B, left=left)
    if info.array.any() and result.ndim == a.ndim - 1:  # a vector right-hand side
        return return_types.linalg_solve_ex(_nan_where_singular(result.unsqueeze(-1), info).squeeze(-1), info)
    return return_types.linalg_solve_ex(_nan_where_singular(result, info), info)


def diagonal(A: Any, *, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: N803
    """torch.linalg.diagonal: ``torch.diagonal`` with the last two dims as its default."""
    return ops.diagonal(A, offset, dim1, dim2)


def vander(x: Any, N: int | None = None) -> Tensor:  # noqa: N803
    """torch.linalg.vander: (..., n) -> (..., n, N), columns x^0 .. x^{N-1} (``ops/linalg_vectors.py``)."""
    return _vander(x, N=N)


def tensorinv(A: Any, ind: int = 2) -> Tensor:  # noqa: N803
    """torch.linalg.tensorinv: the inverse of A seen as a matrix (prod of its first ``ind`` dims) x (prod of
    the rest), shaped A.shape[ind:] + A.shape[:ind]."""
    a = as_tensor(A)
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = math.prod(a.shape[:ind]), math.prod(a.shape[ind:])
    if rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[ind:]) == "
                           f"prod(self.shape[:ind]), but got {cols} != {rows}")
    return inv(a.reshape(rows, cols)).reshape(*a.shape[ind:], *a.shape[:ind])


def tensorsolve(A: Any, B: Any, dims: Any = None) -> Tensor:  # noqa: N803
    """torch.linalg.tensorsolve: X with tensordot(A, X, X.ndim) = B; ``dims`` of A are moved to the end
    first."""
    a, b = as_tensor(A), as_tensor(B)
    if dims is not None:
        dims = [d % a.ndim for d in dims]
        a = a.movedim(dims, list(range(a.ndim - len(dims), a.ndim)))
    rest = a.shape[b.ndim:]
    rows, cols = math.prod(b.shape), math.prod(rest)
    if rows != cols:
        raise RuntimeError(f"Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
                           f"prod(self.shape[:other.ndim]), but got {cols} != {rows}")
    return solve(a.reshape(rows, cols), b.reshape(rows)).reshape(*rest)
