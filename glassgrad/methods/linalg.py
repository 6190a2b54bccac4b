"""The Tensor methods of linear algebra (torch's ``x.svd()``, ``x.cholesky()``, ``x.lu()`` ...).

Each is a one-line delegation to the function in ``glassgrad/ops/linalg_*.py`` (looked up at call time:
the ops import Tensor, so this module cannot import them at the top). ``x.det()`` and ``x.inverse()`` are
in tensor.py, the matrix products in ``methods/shape.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from glassgrad.tensor import Tensor


class LinalgMethods:
    """torch's linear-algebra methods of Tensor."""

    def det(self) -> Tensor:
        from glassgrad.ops.linalg_inverse import det
        return det(self)

    def inverse(self) -> Tensor:
        from glassgrad.ops.linalg_inverse import inv
        return inv(self)

    def svd(self, some: bool = True, compute_uv: bool = True) -> Any:
        from glassgrad.ops.linalg_svd import svd_legacy
        return svd_legacy(self, some, compute_uv)

    def qr(self, some: bool = True) -> Any:
        from glassgrad.ops.linalg_qr import qr_legacy
        return qr_legacy(self, some)

    def cholesky(self, upper: bool = False) -> Tensor:
        from glassgrad.ops.linalg_cholesky import cholesky_legacy
        return cholesky_legacy(self, upper)

    def cholesky_solve(self, input2: Any, upper: bool = False) -> Tensor:
        from glassgrad.ops.linalg_cholesky import cholesky_solve
        return cholesky_solve(self, input2, upper)

    def cholesky_inverse(self, upper: bool = False) -> Tensor:
        from glassgrad.ops.linalg_cholesky import cholesky_inverse
        return cholesky_inverse(self, upper)

    def slogdet(self) -> Any:
        from glassgrad.ops.linalg_determinant import slogdet_legacy
        return slogdet_legacy(self)

    def logdet(self) -> Tensor:
        from glassgrad.ops.linalg_determinant import logdet
        return logdet(self)

    def pinverse(self, rcond: float = 1e-15) -> Tensor:
        from glassgrad.ops.linalg_pinv import pinverse
        return pinverse(self, rcond)

    def matrix_exp(self) -> Tensor:
        from glassgrad.ops.linalg_matrix_functions import matrix_exp
        return matrix_exp(self)

    def matrix_power(self, n: int) -> Tensor:
        from glassgrad.ops.linalg_matrix_functions import matrix_power
        return matrix_power(self, n)

    def cross(self, other: Any, dim: int | None = None) -> Tensor:
        from glassgrad.ops.linalg_vectors import cross
        return cross(self, other, dim)

    def lu(self, pivot: bool = True, get_infos: bool = False) -> Any:
        from glassgrad.ops.linalg_lu_solve import lu_legacy
        return lu_legacy(self, pivot, get_infos)

    def lu_solve(self, LU_data: Any, LU_pivots: Any) -> Tensor:  # noqa: N803
        from glassgrad.ops.linalg_lu_solve import lu_solve_legacy
        return lu_solve_legacy(self, LU_data, LU_pivots)

    def triangular_solve(self, A: Any, upper: bool = True, transpose: bool = False,  # noqa: N803
                         unitriangular: bool = False) -> Any:
        from glassgrad.ops.linalg_triangular import triangular_solve
        return triangular_solve(self, A, upper, transpose, unitriangular)

    def geqrf(self) -> Any:
        from glassgrad.ops.linalg_householder import geqrf
        return geqrf(self)

    def orgqr(self, input2: Any) -> Tensor:
        from glassgrad.ops.linalg_householder import householder_product
        return householder_product(self, input2)

    def ormqr(self, input2: Any, input3: Any, left: bool = True, transpose: bool = False) -> Tensor:
        from glassgrad.ops.linalg_householder import ormqr
        return ormqr(self, input2, input3, left, transpose)
