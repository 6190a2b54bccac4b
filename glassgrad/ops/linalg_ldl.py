"""The LDL^T factorization of symmetric (possibly indefinite) matrices: ``ldl_factor``, ``ldl_factor_ex``,
``ldl_solve``.

A = P L D L^T P^T with L unit lower triangular and D block diagonal (1 x 1 and 2 x 2 blocks), from
LAPACK's Bunch-Kaufman routine (``sytrf``, through SciPy; for a complex A, ``sytrf`` for a complex symmetric
one, or with ``hermitian=True`` ``hetrf`` for A = P L D L^H P^T), in LAPACK's compact form: ``LD`` holds L below
the diagonal and D's blocks on and next to it; ``pivots`` (int32, 1-based) are LAPACK's, negative where a
2 x 2 block starts. ``ldl_solve`` runs LAPACK's ``sytrs`` with them. Only A's lower triangle is read.

As in torch, none of the three has a derivative: their results take part in a graph, and a backward
through them raises.
"""

from __future__ import annotations

from typing import Any

import numpy
from scipy.linalg import lapack

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import Factor, check_matrix
from glassgrad.tensor import Tensor, as_tensor


def _no_derivative(op: str) -> RuntimeError:
    return RuntimeError(f"derivative for linalg.{op} is not implemented (as in torch)")


def _routine(name: str, dtype: Any, hermitian: bool) -> Any:
    """LAPACK's ``sy<name>`` for ``dtype`` (``he<name>`` for a Hermitian complex matrix)."""
    prefix = {"float64": "d", "float32": "s", "complex128": "z", "complex64": "c"}[numpy.dtype(dtype).name]
    kind = "he" if hermitian and prefix in "zc" else "sy"
    return getattr(lapack, prefix + kind + name)


class LdlFactor(Factor):
    """LD or the pivots of A = P L D L^T P^T: no derivative."""

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        raise _no_derivative("ldl_factor")


def ldl_factor_ex(A: Any, *, hermitian: bool = False, check_errors: bool = False) -> Any:  # noqa: N803
    """torch.linalg.ldl_factor_ex: (LD, pivots, info); ``info`` (int32) > 0 where D has a zero block (the
    factorization is then not invertible). ``hermitian`` changes nothing for real matrices."""
    a = check_matrix("torch.linalg.ldl_factor_ex", A, square=True, complex_ok=True)
    n = a.shape[-1]
    packed = numpy.zeros(a.shape, dtype=a.dtype)
    pivots = numpy.broadcast_to(numpy.arange(1, n + 1, dtype=numpy.int32), a.shape[:-1]).copy()
    info = numpy.zeros(a.shape[:-2], dtype=numpy.int32)
    routine = _routine("trf", a.dtype, hermitian)
    for index in numpy.ndindex(*a.shape[:-2]):
        if n:
            lower, ipiv, code = routine(backend.to_numpy(a.array[index]), lower=1)
            packed[index], pivots[index], info[index] = numpy.tril(lower), ipiv, code
    if check_errors and info.any():
        raise RuntimeError(f"torch.linalg.ldl_factor_ex: D has a zero on its diagonal (info {int(info.max())}): "
                           "the matrix is singular")
    (ld,) = LdlFactor.outputs(a, (packed,))
    return return_types.linalg_ldl_factor_ex(ld, Tensor(pivots), Tensor(info))


def ldl_factor(A: Any, *, hermitian: bool = False) -> Any:  # noqa: N803
    """torch.linalg.ldl_factor: (LD, pivots) (see ``ldl_factor_ex``)."""
    ld, pivots, _ = ldl_factor_ex(A, hermitian=hermitian)
    return return_types.linalg_ldl_factor(ld, pivots)


class LdlSolve(Op):
    """X = A^{-1} B from ``ldl_factor``'s (LD, pivots): no derivative."""

    @staticmethod
    def forward(ctx: Context, ld: Any, b: Any, *, pivots: Any, hermitian: bool) -> Any:
        routine = _routine("trs", ld.dtype, hermitian)
        out = numpy.empty(b.shape, dtype=ld.dtype)
        for index in numpy.ndindex(*b.shape[:-2]):
            if b.shape[-2] and b.shape[-1]:
                out[index] = routine(ld[index], pivots[index], b[index], lower=1)[0]
            else:
                out[index] = b[index]
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        raise _no_derivative("ldl_solve")


def ldl_solve(LD: Any, pivots: Any, B: Any, *, hermitian: bool = False) -> Tensor:  # noqa: N803
    """torch.linalg.ldl_solve: X with A X = B for A given by ``ldl_factor`` (with the same ``hermitian``);
    batch dimensions broadcast."""
    op = "torch.linalg.ldl_solve"
    ld, b = check_matrix(op, LD, square=True, complex_ok=True), as_tensor(B)
    piv = backend.to_numpy(as_tensor(pivots).array)
    if b.ndim < 2 or b.shape[-2] != ld.shape[-1]:
        raise RuntimeError(f"{op}: Incompatible shapes of A and B for the equation AX = B "
                           f"({ld.shape[-1]}x{ld.shape[-1]} and {'x'.join(str(s) for s in b.shape[-2:])})")
    if b.dtype != ld.dtype:
        raise RuntimeError(f"{op}: LD dtype {ld.dtype} does not match B dtype {b.dtype}")
    batch = numpy.broadcast_shapes(tuple(ld.shape[:-2]), tuple(b.shape[:-2]))
    n = ld.shape[-1]
    ld_b, b_b = ld.expand(*batch, n, n), b.expand(*batch, *b.shape[-2:])
    return LdlSolve.apply(ld_b, b_b, pivots=numpy.broadcast_to(piv, batch + (n,)), hermitian=hermitian)
