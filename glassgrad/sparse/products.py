"""Sparse-by-dense matrix products and sums: ``torch.sparse.mm``, ``torch.spmm``, ``sparse @ dense``.

The product of a sparse matrix A (m, n), stored as entries (r_e, c_e, v_e), and a dense B (n, k):

    C[i, :] = sum over entries e with r_e = i of  v_e * B[c_e, :]

SciPy's compressed sparse rows compute it; the work is nnz * k, not m * n * k. The backward,
with G = d loss / d C (m, k) (derived in docs/sparse.md):

    d v_e = sum_j G[r_e, j] B[c_e, j]       the entries of G B^T, read only at A's coordinates
    d B   = A^T G                           another sparse-by-dense product

so neither pass ever forms an m x n matrix: the gradient of the values is a sparse matrix with
A's sparsity pattern, as torch gives it for ``torch.sparse.mm``.
"""

from __future__ import annotations

import builtins
from typing import Any

import numpy

from glassgrad.op import Context, Op
from glassgrad.sparse.coo import SparseTensor, sum_duplicates
from glassgrad.tensor import Tensor, as_tensor


class SparseDenseMM(Op):
    """C = A B, A sparse (m, n) given by its values v (nnz,) and coordinates (r, c), B dense (n, k).

    dv_e = (G B^T)[r_e, c_e] = sum_j G[r_e, j] B[c_e, j];  dB = A^T G.
    A coordinate stored twice contributes twice to C, and each of its entries gets the same dv.
    The forward's CSR matrix stays on ``ctx``: the array backward's A^T G is its transpose times G.
    A^T G is this op again (A^T: the same values at the swapped coordinates), so under
    ``create_graph=True`` both gradients are recorded and can be differentiated again.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, values: Any, dense: Any, *, indices: Any, size: tuple[int, int]) -> Any:
        rows, cols = indices
        ctx.save_for_backward(values, dense)
        ctx.rows, ctx.cols, ctx.size = rows, cols, size
        ctx.matrix = _csr_matrix(values, rows, cols, size)
        return numpy.asarray(ctx.matrix @ dense, dtype=values.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        values, dense = ctx.saved
        d_values = d_dense = None
        if ctx.needs_input_grad[0]:
            d_values = (grad[ctx.rows] * dense[ctx.cols]).sum(-1)  # (G B^T) at A's coordinates
        if ctx.needs_input_grad[1]:
            d_dense = _transposed_product(ctx, values, grad)  # A^T G
        return d_values, d_dense


def _csr_matrix(values: Any, rows: Any, cols: Any, size: tuple[int, int]) -> Any:
    """SciPy's compressed-sparse-rows (size) matrix with ``values`` at (rows, cols), repeats summed."""
    import scipy.sparse  # imported on first use: it adds to glassgrad's import time

    return scipy.sparse.coo_matrix((values, (rows, cols)), shape=size).tocsr()


def _transposed_product(ctx: Context, values: Any, grad: Any) -> Any:
    """A^T G. With arrays, the forward's CSR matrix transposed (SciPy's view of it, no copy) times G;
    with Tensors (a recording backward), ``SparseDenseMM`` itself, the same values at the swapped
    coordinates, so the product has a backward."""
    if isinstance(grad, numpy.ndarray):
        return numpy.asarray(ctx.matrix.T @ grad, dtype=values.dtype)
    return SparseDenseMM.apply(values, grad, indices=(ctx.cols, ctx.rows), size=(ctx.size[1], ctx.size[0]))


def _check_sparse_matrix(op: str, a: SparseTensor) -> None:
    if a.sparse_dim() != 2 or a.dense_dim() != 0:
        raise RuntimeError(f"{op}: expected a sparse matrix (2 sparse dims, 0 dense dims), got a sparse tensor of "
                           f"size {tuple(a.shape)} with sparse_dim {a.sparse_dim()} and dense_dim {a.dense_dim()}")


def sparse_dense_mm(op: str, a: SparseTensor, b: Tensor) -> Tensor:
    """A (m, n) sparse times B (n, k) dense, with torch's checks: a dense (m, k) result."""
    _check_sparse_matrix(op, a)
    if b.ndim != 2:
        raise RuntimeError(f"{op}: expected a 2-D dense matrix as the second operand, got {b.ndim}-D of shape "
                           f"{tuple(b.shape)}")
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"{op}: sparse matrix of size {tuple(a.shape)} and dense matrix of size "
                           f"{tuple(b.shape)} cannot be multiplied ({a.shape[1]} != {b.shape[0]})")
    if a.dtype != b.dtype:
        raise RuntimeError(f"{op}: expected scalar type {a.dtype} (the sparse operand's) but found {b.dtype} "
                           "in the dense operand")
    return SparseDenseMM.apply(a._values(), b, indices=a._indices_array, size=tuple(a.shape))


def sparse_matmul(op: str, a: Any, b: Any) -> Tensor:
    """The product of two matrices of which at least one is sparse: sparse @ dense directly,
    dense @ sparse as (B^T A^T)^T. Sparse @ sparse is not in glassgrad."""
    a, b = as_tensor(a), as_tensor(b)
    if isinstance(a, SparseTensor) and isinstance(b, SparseTensor):
        raise NotImplementedError(f"{op}: the product of two sparse tensors is not implemented in glassgrad; "
                                  "convert one with .to_dense()")
    if isinstance(a, SparseTensor):
        return sparse_dense_mm(op, a, b)
    if a.ndim != 2:
        raise RuntimeError(f"{op}: expected a 2-D dense matrix as the first operand, got {a.ndim}-D")
    return sparse_dense_mm(op, b.t(), a.t()).t()


def mm(mat1: Any, mat2: Any, reduce: str = "sum") -> Tensor:
    """``torch.sparse.mm``: a sparse matrix times a dense one (or dense times sparse); a dense result.

    The gradient of the sparse operand is sparse, with its coordinates (torch's semantics). Two dense
    matrices are multiplied as by ``torch.mm``, as torch does."""
    if reduce != "sum":
        raise NotImplementedError(f"torch.sparse.mm: reduce={reduce!r} is not implemented in glassgrad (only 'sum')")
    if not isinstance(mat1, SparseTensor) and not isinstance(mat2, SparseTensor):
        from glassgrad import ops

        return ops.mm(mat1, mat2)  # two dense matrices: torch accepts them too
    return sparse_matmul("torch.sparse.mm", mat1, mat2)


def spmm(input: Any, mat2: Any) -> Tensor:  # noqa: A002  (torch's argument name)
    """``torch.spmm``: the older name of ``torch.sparse.mm``."""
    return sparse_matmul("spmm", input, mat2)


def sum(input: Any, dim: Any = None, dtype: Any = None) -> Tensor:  # noqa: A001, A002  (torch's names)
    """``torch.sparse.sum``: the sum of a sparse tensor's entries over ``dim`` (all by default).

    With every sparse dimension summed the result is dense (0-d when nothing is left); otherwise
    it is sparse over the remaining sparse dimensions, the entries that land on the same
    coordinate summed (the same segment sum as ``coalesce``). The gradient of each stored entry is
    the gradient of the place it was summed into.
    """
    if not isinstance(input, SparseTensor):
        raise RuntimeError("torch.sparse.sum: expected a sparse tensor (layout torch.sparse_coo), got a dense one; "
                           "use torch.sum")
    values = input._values() if dtype is None else input._values().to(dtype)
    if dim is None:
        return values.sum()
    dims = {input._dim(d) for d in ((dim,) if isinstance(dim, builtins.int) else dim)}
    k = input.sparse_dim()
    dense_dims = tuple(d - k + 1 for d in sorted(dims) if d >= k)  # value axes: 0 is the entry
    if dense_dims:
        values = values.sum(dim=dense_dims)
    kept = [d for d in range(k) if d not in dims]
    if not kept:
        return values.sum(dim=0)
    size = tuple(input.shape[d] for d in range(input.ndim) if d not in dims)
    if len(kept) == k:
        return SparseTensor(input._indices_array, values, size, input.is_coalesced())
    kept_shape = tuple(input.shape[d] for d in kept)
    indices, values = sum_duplicates(input._indices_array[kept], values, kept_shape)
    return SparseTensor(indices, values, size, True)
