"""The LU factorization with partial pivoting, A = P L U, differentiable, and the solves that use it.

For A (m, n) and k = min(m, n): P (m, m) a permutation, L (m, k) lower triangular with ones on its
diagonal, U (k, n) upper triangular. ``lu_factor`` returns them packed as LAPACK does: LU (m, n) holds
L below the diagonal and U on and above it, and ``pivots`` (int32, 1-based) says that row i was
swapped with row pivots[i] - 1, in order.

The backward (docs/derivations/linalg.md), for square A, one formula for real and complex matrices (^H the
conjugate transpose, the transpose for real ones; LU has no phase freedom, so nothing else changes):

    gA = P L^{-H} (tril(L^H gL, -1) + triu(gU U^H)) U^{-H}

For a wide A = P L [U1 | U2]: gA2 = P L^{-H} gU2, and U2 = L^{-1} P^T A2 adds -L^{-H} gU2 U2^H to gL
before the square formula gives gA1. For a tall A = P [L1; L2] U: gA2 = P-rows of gL2 U^{-H}, and
L2 = (P^T A)_2 U^{-1} adds -L2^H gL2 U^{-H} to gU before the square formula gives the top rows.
The packed LU's gradient is the same with gL = tril(gLU, -1), gU = triu(gLU). Forward in SciPy (LAPACK's
getrf); P and the pivots carry no gradient.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy
import scipy.linalg

from glassgrad import backend, return_types
from glassgrad.ops.linalg_common import Factor, check_matrix, mH
from glassgrad.ops.linalg_triangular import solve_with_triangle
from glassgrad.tensor import Tensor


def lu_factor_array(a: Any) -> tuple[Any, Any]:
    """(LU packed, pivots int32 1-based) on arrays, batched."""
    m, n = a.shape[-2:]
    if a.size == 0:
        return a.copy(), numpy.broadcast_to(numpy.arange(1, min(m, n) + 1, dtype=numpy.int32),
                                            a.shape[:-2] + (min(m, n),)).copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SciPy's warning for an exactly singular U: ``info`` says it
        lu, piv = scipy.linalg.lu_factor(a, check_finite=False)
    return lu.astype(a.dtype, copy=False), (piv + 1).astype(numpy.int32)


def permutation_order(pivots: Any, m: int) -> Any:
    """perm with P^T A = A[perm] (rows), from LAPACK's sequence of row swaps (1-based)."""
    perm = numpy.broadcast_to(numpy.arange(m), pivots.shape[:-1] + (m,)).copy()
    rows = numpy.indices(pivots.shape[:-1])
    for i in range(pivots.shape[-1]):
        j = pivots[..., i] - 1
        here, there = perm[(*rows, i)].copy(), perm[(*rows, j)].copy()
        perm[(*rows, i)], perm[(*rows, j)] = there, here
    return perm


def permutation_matrix(perm: Any, dtype: Any) -> Any:
    """P with P[perm[i], i] = 1, so that P^T A = A[perm]."""
    m = perm.shape[-1]
    return numpy.swapaxes(numpy.eye(m, dtype=dtype)[perm], -1, -2)


def split_packed(lu: Any) -> tuple[Any, Any]:
    """The strictly lower part (m, k) and the upper part (k, n) of a packed LU (or of its gradient)."""
    xp = backend.xp
    k = min(lu.shape[-2:])
    return xp.tril(lu, -1)[..., :, :k], xp.triu(lu)[..., :k, :]


def unpack(lu: Any) -> tuple[Any, Any]:
    """L (m, k) with a unit diagonal and U (k, n) from the packed LU."""
    strictly_lower, upper = split_packed(lu)
    return strictly_lower + backend.xp.eye(*strictly_lower.shape[-2:], dtype=lu.dtype), upper


def _square_backward(g_l: Any, g_u: Any, lower: Any, upper: Any) -> Any:
    """P^T gA for square A: L^{-H} (tril(L^H gL, -1) + triu(gU U^H)) U^{-H}."""
    xp = backend.xp
    inner = xp.tril(mH(lower) @ g_l, -1) + xp.triu(g_u @ mH(upper))
    left = solve_with_triangle(mH(lower), inner, upper=True, unitriangular=True)  # L^{-H} inner
    return mH(solve_with_triangle(upper, mH(left), upper=True))  # left U^{-H} = (U^{-1} left^H)^H


def lu_backward(g_l: Any, g_u: Any, perm: Any, lower: Any, upper: Any) -> Any:
    """dL/dA of A = P L U (module docstring); gL or gU may be None."""
    xp = backend.xp
    m, n = lower.shape[-2], upper.shape[-1]
    g_l = xp.zeros_like(lower) if g_l is None else g_l
    g_u = xp.zeros_like(upper) if g_u is None else g_u
    if m == n:
        gpa = _square_backward(g_l, g_u, lower, upper)
    elif m < n:
        u1, u2 = upper[..., :, :m], upper[..., :, m:]
        g_u2 = g_u[..., :, m:]
        g_a2 = solve_with_triangle(mH(lower), g_u2, upper=True, unitriangular=True)  # L^{-H} gU2
        g_l = g_l - g_a2 @ mH(u2)
        gpa = xp.concatenate([_square_backward(g_l, g_u[..., :, :m], lower, u1), g_a2], axis=-1)
    else:
        l1, l2 = lower[..., :n, :], lower[..., n:, :]
        g_l2 = g_l[..., n:, :]
        g_b2 = mH(solve_with_triangle(upper, mH(g_l2), upper=True))  # gL2 U^{-H}: (U^{-1} gL2^H)^H
        g_u = g_u - mH(l2) @ g_b2
        gpa = xp.concatenate([_square_backward(g_l[..., :n, :], g_u, l1, upper), g_b2], axis=-2)
    return _undo_rows(gpa, perm)


def _undo_rows(rows: Any, perm: Any) -> Any:
    """P X from X = P^T A's rows: row i of X goes back to row perm[i], so row j of P X is row argsort(perm)[j]."""
    xp = backend.xp
    source = xp.argsort(perm, axis=-1)[..., :, None].repeat(rows.shape[-1], -1)
    return xp.take_along_axis(rows, source, axis=-2)


class LuFactor(Factor):
    """L or U of A = P L U (factors: perm, L, U; P itself is not a Factor); backward ``lu_backward``."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return lu_backward(grads[1], grads[2], *factors)


class LuPacked(Factor):
    """The packed LU of ``lu_factor`` (factors: LU, perm): gL = tril(gLU, -1), gU = triu(gLU)."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        lu, perm = factors
        return lu_backward(*split_packed(grads[0]), perm, *unpack(lu))


def _check_pivot(op: str, pivot: bool) -> None:
    if not pivot:
        raise RuntimeError(f"{op}: LU without pivoting is not implemented on the CPU")


def lu_factor_ex(A: Any, *, pivot: bool = True, check_errors: bool = False) -> Any:  # noqa: N803
    """torch.linalg.lu_factor_ex: (LU, pivots, info), ``info`` (int32) the 1-based index of the first zero
    on U's diagonal (0: none), without raising unless ``check_errors``."""
    return _lu_factor("torch.linalg.lu_factor_ex", A, pivot, check_errors)


def _lu_factor(op: str, A: Any, pivot: bool, check_errors: bool) -> Any:  # noqa: N803
    _check_pivot(op, pivot)
    a = check_matrix(op, A, complex_ok=True)
    lu, pivots = lu_factor_array(a.array)
    info = _info(lu)
    if check_errors:
        _raise_if_singular(op, info)
    perm = permutation_order(pivots, a.shape[-2])
    (packed,) = LuPacked.outputs(a, (lu, perm), count=1)
    return return_types.linalg_lu_factor_ex(packed, Tensor(pivots), Tensor(info))


def _info(lu: Any) -> Any:
    """The 1-based index of the first zero on U's diagonal, 0 where there is none."""
    diagonal = numpy.diagonal(lu, axis1=-2, axis2=-1)
    zero = diagonal == 0
    return numpy.where(zero.any(-1), zero.argmax(-1) + 1, 0).astype(numpy.int32)


def _raise_if_singular(op: str, info: Any) -> None:
    found = numpy.argwhere(info > 0)
    if len(found):
        index = tuple(int(i) for i in found[0])
        k = int(info[index])
        prefix = f"(Batch element {int(numpy.ravel_multi_index(index, info.shape))}): " if info.ndim else ""
        raise RuntimeError(f"{op}: {prefix}U[{k},{k}] is zero and using it on lu_solve would result in a division "
                           "by zero. If you still want to perform the factorization, consider calling "
                           "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)")


def lu_factor(A: Any, *, pivot: bool = True) -> Any:  # noqa: N803
    """torch.linalg.lu_factor: (LU, pivots); raises, as torch, when U has a zero on its diagonal."""
    lu, pivots, _ = _lu_factor("torch.linalg.lu_factor", A, pivot, True)
    return return_types.linalg_lu_factor(lu, pivots)


def lu(A: Any, *, pivot: bool = True) -> Any:  # noqa: N803
    """torch.linalg.lu: (P, L, U) with A = P L U; gradients through L and U (module docstring)."""
    op = "linalg.lu"
    _check_pivot(op, pivot)
    a = check_matrix(op, A, complex_ok=True)
    packed, pivots = lu_factor_array(a.array)
    perm = permutation_order(pivots, a.shape[-2])
    lower, upper = unpack(packed)
    l_tensor, u_tensor = (LuFactor.apply(a, factors=(perm, lower, upper), which=i) for i in (1, 2))
    return return_types.linalg_lu(Tensor(permutation_matrix(perm, a.dtype)), l_tensor, u_tensor)
