"""Triangular solves, differentiable: ``linalg.solve_triangular`` and the older ``torch.triangular_solve``.

X = A^{-1} B for a triangular A, real or complex (only the triangle ``upper`` names is read; with
``unitriangular`` its diagonal is taken to be ones and not read either). From A X = B, dA X + A dX = dB, so
(^H the conjugate transpose, the transpose for real matrices)

    gB = A^{-H} gX            (one more triangular solve, with the conjugate-transposed triangle)
    gA = -gB X^H, kept on the triangle A's values came from (strictly below/above it when unitriangular)

``left=False`` solves X A = B instead, as (A^T X^T = B^T)^T. The solves run in SciPy (LAPACK's trtrs),
which refuses a zero on the diagonal: glassgrad raises LinAlgError there, where torch returns inf/NaN.
"""

from __future__ import annotations

from typing import Any

import numpy
import scipy.linalg

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import LinAlgError, check_float, mH
from glassgrad.ops.type_promotion import result_type
from glassgrad.tensor import Tensor, as_tensor


def triangular_solve_array(a: Any, b: Any, upper: bool, unitriangular: bool = False, op: str = "") -> Any:
    """A^{-1} B on arrays (batches broadcast), reading A's upper or lower triangle."""
    if a.shape[-1] == 0 or b.size == 0:
        shape = numpy.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:]
        return backend.xp.zeros(shape, dtype=b.dtype)
    try:
        return scipy.linalg.solve_triangular(a, b, lower=not upper, unit_diagonal=unitriangular, check_finite=False)
    except numpy.linalg.LinAlgError as err:
        raise LinAlgError(f"{op}: the triangular matrix A is singular ({err}): it has a zero on its diagonal, so "
                          "A X = B has no unique solution (torch returns inf/NaN here)") from err


def triangle_mask(n: int, upper: bool, unitriangular: bool, dtype: Any) -> Any:
    """1 on the triangle whose values a triangular solve reads, 0 elsewhere."""
    offset = 1 if unitriangular else 0
    ones = backend.xp.ones((n, n), dtype=dtype)
    return backend.xp.triu(ones, offset) if upper else backend.xp.tril(ones, -offset)


class SolveTriangular(Op):
    """X = A^{-1} B, A triangular;  gB = A^{-H} gX,  gA = -gB X^H on A's triangle."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any, *, upper: bool, unitriangular: bool) -> Any:
        x = triangular_solve_array(a, b, upper, unitriangular, "linalg.solve_triangular")
        ctx.save_for_backward(a, x)
        ctx.upper, ctx.unitriangular = upper, unitriangular
        return x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, x = ctx.saved
        # A^H is lower when A is upper: the transposed triangle
        grad_b = solve_with_triangle(mH(a), grad, not ctx.upper, ctx.unitriangular)
        grad_a = None
        if ctx.needs_input_grad[0]:
            grad_a = -(grad_b @ mH(x)) * triangle_mask(a.shape[-1], ctx.upper, ctx.unitriangular, a.dtype)
        return grad_a, grad_b


def solve_with_triangle(a: Any, b: Any, upper: bool, unitriangular: bool = False) -> Any:
    """A^{-1} B on arrays; on Tensors (a backward recording its graph) this op itself."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        return SolveTriangular.apply(as_tensor(a), as_tensor(b), upper=upper, unitriangular=unitriangular)
    return triangular_solve_array(a, b, upper, unitriangular, "linalg.solve_triangular")


def solve_triangular(A: Any, B: Any, *, upper: bool, left: bool = True,  # noqa: N803
                     unitriangular: bool = False) -> Tensor:
    """torch.linalg.solve_triangular: X with A X = B (``left=False``: X A = B) for triangular A (..., n, n)
    and B (..., n, k) (``left=False``: (..., k, n)); batch dimensions broadcast."""
    op = "linalg.solve_triangular"
    a, b = as_tensor(A), as_tensor(B)
    if a.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions.")
    if b.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor B must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are "
                           f"{a.shape[-2]} by {a.shape[-1]} matrices")
    dtype = result_type(a, b)
    a, b = a.to(dtype), b.to(dtype)
    check_float(op, a, complex_ok=True)
    n = a.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        equation = "AX = B" if left else "XA = B"
        raise RuntimeError(f"{op}: Incompatible shapes of A and B for the equation {equation} "
                           f"({n}x{n} and {b.shape[-2]}x{b.shape[-1]})")
    if not left:  # X A = B  <=>  A^T X^T = B^T, and A^T's triangle is the other one
        return SolveTriangular.apply(a.mT, b.mT, upper=not upper, unitriangular=unitriangular).mT
    return SolveTriangular.apply(a, b, upper=upper, unitriangular=unitriangular)


def triangular_solve(b: Any, A: Any, upper: bool = True, transpose: bool = False,  # noqa: N803
                     unitriangular: bool = False) -> Any:
    """torch.triangular_solve (the older form, arguments reversed): (X, a copy of A) with A X = b, or
    A^T X = b when ``transpose``."""
    a = as_tensor(A)
    coefficient = a.mT if transpose else a
    x = solve_triangular(coefficient, b, upper=upper != transpose, unitriangular=unitriangular)
    return return_types.triangular_solve(x, a.clone())
