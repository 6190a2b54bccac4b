"""Solves with a packed LU factorization (``linalg.lu_solve``, ``torch.lu_solve``), ``torch.lu_unpack``
and the older ``torch.lu``.

With A = P L U from ``lu_factor``, A X = B is solved as X = U^{-1} L^{-1} P^T B (a row permutation and
two triangular solves), and A^H X = B (``adjoint=True``; ^H the conjugate transpose, the transpose for real
matrices) as X = P L^{-H} U^{-H} B. ``left=False`` solves X A = B as (A^H X^H = B^H)^H.

Backward, for op(A) X = B with op(A) = A or A^H: gB = op(A)^{-H} gX (the other solve), the gradient of
op(A) is -gB X^H, and from A = P L U the packed LU's gradient is

    gLU = tril(P^T gA U^H, -1) + triu(L^H P^T gA)

(the gradients of L, below its unit diagonal, and of U, on and above the diagonal).
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import check_matrix, mH
from glassgrad.ops.linalg_lu import _lu_factor, _undo_rows, permutation_matrix, permutation_order, unpack
from glassgrad.ops.linalg_triangular import solve_with_triangle
from glassgrad.tensor import Tensor, as_tensor


def _rows(b: Any, perm: Any) -> Any:
    """P^T B: the rows of B in the order perm."""
    return backend.xp.take_along_axis(b, perm[..., :, None].repeat(b.shape[-1], -1), axis=-2)


def lu_solve_array(lu: Any, perm: Any, b: Any, adjoint: bool) -> Any:
    """A^{-1} B (``adjoint``: A^{-H} B) for A = P L U packed in ``lu``."""
    lower, upper = unpack(lu)
    if not adjoint:
        z = solve_with_triangle(lower, _rows(b, perm), upper=False, unitriangular=True)
        return solve_with_triangle(upper, z, upper=True)
    z = solve_with_triangle(mH(upper), b, upper=False)
    return _undo_rows(solve_with_triangle(mH(lower), z, upper=True, unitriangular=True), perm)


class LuSolve(Op):
    """X = op(A)^{-1} B from the packed LU of A (module docstring: forward and backward)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, lu: Any, b: Any, *, perm: Any, adjoint: bool) -> Any:
        x = lu_solve_array(lu, perm, b, adjoint)
        ctx.save_for_backward(lu, x)
        ctx.perm, ctx.adjoint = perm, adjoint
        return x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        lu, x = ctx.saved
        grad_b = lu_solve_array(lu, ctx.perm, grad, not ctx.adjoint)
        grad_lu = None
        if ctx.needs_input_grad[0]:
            grad_op = -(grad_b @ mH(x))
            grad_a = mH(grad_op) if ctx.adjoint else grad_op
            lower, upper = unpack(lu)
            rows = _rows(grad_a, ctx.perm)  # P^T gA
            grad_lu = xp.tril(rows @ mH(upper), -1) + xp.triu(mH(lower) @ rows)
        return grad_lu, grad_b


def lu_solve(LU: Any, pivots: Any, B: Any, *, left: bool = True, adjoint: bool = False) -> Tensor:  # noqa: N803
    """torch.linalg.lu_solve: X with A X = B (``adjoint``: A^H X = B; ``left=False``: X A = B or X A^H = B)
    for A given as ``lu_factor``'s (LU, pivots); batch dimensions broadcast."""
    op = "linalg.lu_solve"
    lu, b = check_matrix(op, LU, square=True, complex_ok=True), as_tensor(B)
    piv = backend.to_numpy(as_tensor(pivots).array)
    if b.ndim < 2:
        raise RuntimeError(f"{op}: Expected B to have at least 2 dimensions, but it has {b.ndim} dimensions instead")
    if b.dtype != lu.dtype:
        raise RuntimeError(f"{op}: Expected LU and B to have the same dtype, but found LU of type {lu.dtype} and B "
                           f"of type {b.dtype} instead")
    if tuple(piv.shape) != tuple(lu.shape[:-1]):
        raise RuntimeError(f"{op}: pivots must have shape {tuple(lu.shape[:-1])}, got {tuple(piv.shape)}")
    n = lu.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        raise RuntimeError(f"{op}: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {b.shape[-2]}x{b.shape[-1]})")
    if not left:  # X op(A) = B  <=>  op(A)^H X^H = B^H
        return lu_solve(lu, pivots, b.mH, adjoint=not adjoint).mH
    batch = numpy.broadcast_shapes(tuple(lu.shape[:-2]), tuple(b.shape[:-2]))
    lu, b = lu.expand(*batch, n, n), b.expand(*batch, *b.shape[-2:])
    perm = permutation_order(numpy.broadcast_to(piv, batch + (n,)), n)
    return LuSolve.apply(lu, b, perm=perm, adjoint=adjoint)


def lu_solve_legacy(b: Any, LU_data: Any, LU_pivots: Any) -> Tensor:  # noqa: N803
    """torch.lu_solve (the older form, right-hand side first)."""
    return lu_solve(LU_data, LU_pivots, b)


def lu_unpack(LU_data: Any, LU_pivots: Any, unpack_data: bool = True, unpack_pivots: bool = True) -> Any:  # noqa: N803
    """torch.lu_unpack: (P, L, U) from ``lu_factor``'s packed LU and pivots; L and U keep the packed LU's
    gradient (L's strictly lower part, U's upper part). A part not asked for is an empty tensor."""
    lu = check_matrix("lu_unpack", LU_data, complex_ok=True)
    m, n = lu.shape[-2:]
    k = min(m, n)
    empty = Tensor(backend.xp.zeros((0,), dtype=lu.dtype))
    lower = upper = permutation = empty
    if unpack_data:
        eye = Tensor(backend.xp.eye(m, k, dtype=lu.dtype))
        lower = lu[..., :, :k].tril(-1) + eye
        upper = lu[..., :k, :].triu()
    if unpack_pivots:
        piv = backend.to_numpy(as_tensor(LU_pivots).array)
        permutation = Tensor(permutation_matrix(permutation_order(piv, m), lu.dtype))
    return return_types.lu_unpack(permutation, lower, upper)


def lu_legacy(A: Any, pivot: bool = True, get_infos: bool = False) -> Any:  # noqa: N803
    """torch.lu (the older form): (LU, pivots), or (LU, pivots, infos) with ``get_infos``; never raises for
    a singular matrix (``infos`` says it)."""
    packed, pivots, info = _lu_factor("torch.lu", A, pivot, False)
    return (packed, pivots, info) if get_infos else (packed, pivots)
