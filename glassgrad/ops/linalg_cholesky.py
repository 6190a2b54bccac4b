"""The Cholesky factorization A = L L^H of Hermitian (real symmetric) positive-definite matrices, and the
solves built on it.

``cholesky(A)`` reads A's lower triangle and returns the lower-triangular L with a real positive diagonal
(``upper=True``: U = L^H, A = U^H U). The backward (docs/derivations/linalg.md), one formula for real and
complex matrices (^H the conjugate transpose, the transpose for real ones):

    gA = L^{-H} Psi(L^H gL) L^{-1},   Psi(X) = (tril(X) + tril(X, -1)^H) / 2

(two triangular solves). Psi(X) is X's strictly lower triangle halved and mirrored, conjugated, above the
diagonal, with half of X's diagonal on it: for real A, gA is symmetric, the gradient for a symmetric
perturbation (torch's convention). For complex A that diagonal may have imaginary parts, which make gA
Hermitian up to an anti-Hermitian part; that part does not change <gA, dA> for any Hermitian dA, and it is
the one torch returns, so glassgrad returns it too.
``cholesky_solve`` and ``cholesky_inverse`` are triangular solves with L and L^H
(``linalg_triangular.py``), so their gradients, in B and in L, follow from those.

A matrix that is not positive-definite raises torch's LinAlgError naming the order of the first leading
minor that is not (``cholesky_ex`` reports it in ``info`` instead and leaves that matrix's L NaN).
"""

from __future__ import annotations

from typing import Any

import numpy
import scipy.linalg

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import Factor, LinAlgError, batch_text, check_matrix, mH
from glassgrad.ops.linalg_triangular import solve_with_triangle
from glassgrad.tensor import Tensor, as_tensor


def _failed_minor(matrix: Any) -> int:
    """The order (1-based) of the first leading minor of ``matrix`` that is not positive-definite."""
    for order in range(1, matrix.shape[-1] + 1):
        try:
            scipy.linalg.cholesky(matrix[:order, :order], lower=True, check_finite=False)
        except numpy.linalg.LinAlgError:
            return order
    return matrix.shape[-1]


def cholesky_factor(a: Any) -> tuple[Any, Any]:
    """(L, info) on arrays, reading A's lower triangle: info 0 where the factorization succeeded, else the
    order of the failing minor (and that matrix's L is NaN)."""
    xp = backend.xp
    info = xp.zeros(a.shape[:-2], dtype=numpy.int32)
    try:
        return xp.linalg.cholesky(a), info  # LAPACK's potrf: reads the lower triangle only
    except xp.linalg.LinAlgError:
        pass
    out = xp.full(a.shape, xp.nan, dtype=a.dtype)
    for index in numpy.ndindex(*a.shape[:-2]):
        try:
            out[index] = xp.linalg.cholesky(a[index])
        except xp.linalg.LinAlgError:
            info[index] = _failed_minor(a[index])
    return out, info


def psi(x: Any) -> Any:
    """(tril(X) + tril(X, -1)^H) / 2: X's strict lower triangle, halved, mirrored conjugated above the diagonal,
    and half of X's diagonal."""
    xp = backend.xp
    return (xp.tril(x) + mH(xp.tril(x, -1))) / 2


def cholesky_backward(grad: Any, lower: Any) -> Any:
    """gA = L^{-H} Psi(L^H gL) L^{-1}  (module docstring)."""
    inner = psi(mH(lower) @ grad)
    left = solve_with_triangle(mH(lower), inner, upper=True)  # L^{-H} Psi(L^H gL)
    return mH(solve_with_triangle(mH(lower), mH(left), upper=True))  # (...) L^{-1} = (L^{-H} (...)^H)^H


class CholeskyFactor(Factor):
    """L with A = L L^H (a decomposition of one factor); backward ``cholesky_backward``."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return cholesky_backward(grads[0], factors[0])


class CholeskyUpperFactor(CholeskyFactor):
    """L of A^H, for ``upper=True`` (U = L^H): the rule's gradient conjugate-transposed, so that once
    ``A.mH`` transposes it back, A receives ``cholesky_backward`` itself, as torch gives it for U. (The two
    differ by an anti-Hermitian part only, zero for real A, that no Hermitian perturbation sees.)"""

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return mH(cholesky_backward(grads[0], factors[0]))


def _raise_if_failed(op: str, info: Any) -> None:
    failed = numpy.argwhere(backend.to_numpy(info) > 0)
    if len(failed):
        index = tuple(int(i) for i in failed[0])
        raise LinAlgError(f"{op}: {batch_text(index, info.shape)}The factorization could not be completed because "
                          f"the input is not positive-definite (the leading minor of order {int(info[index])} is not "
                          "positive-definite).")


def cholesky_ex(A: Any, *, upper: bool = False, check_errors: bool = False) -> Any:  # noqa: N803
    """torch.linalg.cholesky_ex: (L, info) without raising (unless ``check_errors``): ``info`` (int32) is 0
    where A is positive-definite, else the order of its first leading minor that is not. ``upper=True``
    reads A's upper triangle and returns U = L^H."""
    a = check_matrix("linalg.cholesky", A, square=True, complex_ok=True)
    source = a.mH if upper else a  # A^H's lower triangle is A's upper one, conjugated
    factor, info = cholesky_factor(source.array)
    (lower,) = (CholeskyUpperFactor if upper else CholeskyFactor).outputs(source, (factor,))
    if check_errors:
        _raise_if_failed("linalg.cholesky", info)
    return return_types.linalg_cholesky_ex(lower.mH if upper else lower, Tensor(info))


def cholesky(A: Any, *, upper: bool = False) -> Tensor:  # noqa: N803
    """torch.linalg.cholesky: L (lower) with A = L L^H, or U = L^H with ``upper=True``; LinAlgError when A
    is not positive-definite."""
    return cholesky_ex(A, upper=upper, check_errors=True).L


def cholesky_legacy(input: Any, upper: bool = False) -> Tensor:  # noqa: A002
    """torch.cholesky (the older form): ``upper`` positional."""
    return cholesky(input, upper=upper)


def cholesky_solve_array(b: Any, lower: Any) -> Any:
    """A^{-1} B for A = L L^H: L Y = B, then L^H X = Y (on Tensors, two recorded triangular solves)."""
    return solve_with_triangle(mH(lower), solve_with_triangle(lower, b, upper=False), upper=True)


class CholeskySolve(Op):
    """X = A^{-1} B with A = L L^H, from B and L (lower).

    gB = A^{-H} gX = A^{-1} gX (one more Cholesky solve: A is Hermitian), and with gA = -gB X^H the gradient
    of A = L L^H in L, taken as a full matrix (torch's convention: the triangle is not masked), is
    gL = (gA + gA^H) L.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, b: Any, lower: Any) -> Any:
        x = cholesky_solve_array(b, lower)
        ctx.save_for_backward(lower, x)
        return x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        lower, x = ctx.saved
        grad_b = cholesky_solve_array(grad, lower)
        grad_a = -(grad_b @ mH(x))
        grad_lower = (grad_a + mH(grad_a)) @ lower if ctx.needs_input_grad[1] else None
        return grad_b, grad_lower


def cholesky_solve(B: Any, L: Any, upper: bool = False) -> Tensor:  # noqa: N803
    """torch.cholesky_solve: X with A X = B for A = L L^H given its factor L (``upper``: A = U^H U, and
    U^H is the lower factor); batch dimensions broadcast."""
    b, factor = as_tensor(B), check_matrix("cholesky_solve", L, square=True, complex_ok=True)
    if b.ndim < 2:
        raise RuntimeError(f"cholesky_solve: b should have at least 2 dimensions, but has {b.ndim} dimensions instead")
    if b.dtype != factor.dtype:
        raise RuntimeError(f"cholesky_solve: Expected b and A to have the same dtype, but found b of type {b.dtype} "
                           f"and A of type {factor.dtype} instead.")
    if b.shape[-2] != factor.shape[-1]:
        n = factor.shape[-1]
        raise RuntimeError(f"cholesky_solve: Incompatible matrix sizes for cholesky_solve: each A matrix is {n} by "
                           f"{n} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    return CholeskySolve.apply(b, factor.mH if upper else factor)


def cholesky_inverse(L: Any, upper: bool = False) -> Tensor:  # noqa: N803
    """torch.cholesky_inverse: A^{-1} for A = L L^H (``upper``: A = U^H U) given its factor: the Cholesky
    solve of the identity, so gL = -A^{-1} (g + g^H) A^{-1} L."""
    factor = check_matrix("cholesky_inverse", L, square=True, complex_ok=True)
    identity = Tensor(backend.xp.broadcast_to(backend.xp.eye(factor.shape[-1], dtype=factor.dtype), factor.shape))
    return cholesky_solve(identity, factor, upper)
