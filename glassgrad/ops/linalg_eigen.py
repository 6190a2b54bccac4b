"""The symmetric eigendecomposition, differentiable: ``eigh`` and ``eigvalsh`` (general matrices: linalg_eig.py).

eigh: A = V diag(L) V^T with V orthogonal and L ascending. Only the triangle ``UPLO`` names is read
(the other is taken to mirror it). The backward for gradients gL, gV (docs/derivations/linalg.md):

    X = V^T gV,   C = (X - X^T) / 2 / E,   E_ij = l_j - l_i (i != j),  E_ii = 1
    C_ii = gL_i
    gA = V C V^T

a symmetric matrix, the gradient for a symmetric perturbation (torch's convention: the gradient of the
triangle read and of its mirror are the same). With only gL it is V diag(gL) V^T. Two equal eigenvalues
make an E_ij zero and the gradient of V infinite or NaN, as in torch: the eigenvectors of a repeated
eigenvalue can be rotated freely within their plane, so V is not a differentiable function of A there.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.ops.linalg_common import Factor, check_finite, check_matrix, diag_embed, mT
from glassgrad.ops.linalg_svd import _divide
from glassgrad.tensor import Tensor


def _differences(values: Any) -> Any:
    """E_ij = l_j - l_i off the diagonal, 1 on it."""
    e = values[..., None, :] - values[..., :, None]
    return e + backend.xp.eye(values.shape[-1], dtype=values.dtype)


def eigh_backward(g_l: Any, g_v: Any, values: Any, vectors: Any) -> Any:
    """dL/dA of A = V diag(L) V^T (module docstring)."""
    if g_v is None:
        return (vectors * g_l[..., None, :]) @ mT(vectors)  # V diag(gL) V^T
    x = mT(vectors) @ g_v
    c = _divide((x - mT(x)) / 2, _differences(values))
    if g_l is not None:
        c = c + diag_embed(g_l)  # the skew part's diagonal is 0
    return vectors @ c @ mT(vectors)


class EighFactor(Factor):
    """L or V of A = V diag(L) V^T; backward ``eigh_backward``."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return eigh_backward(*grads, *factors)


def _check_uplo(op: str, uplo: str) -> None:
    if uplo not in ("L", "U", "l", "u"):
        raise RuntimeError(f"{op}: Expected UPLO argument to be 'L' or 'U', but got {uplo}")


def _eigh_factors(op: str, A: Any, UPLO: str) -> tuple[Tensor, tuple[Any, Any]]:  # noqa: N803
    _check_uplo(op, UPLO)
    a = check_matrix(op, A, square=True)
    check_finite(op, a.array)
    values, vectors = backend.xp.linalg.eigh(a.array, UPLO=UPLO.upper())
    return a, (values.astype(a.dtype, copy=False), vectors.astype(a.dtype, copy=False))


def eigh(A: Any, UPLO: str = "L") -> Any:  # noqa: N803
    """torch.linalg.eigh: (eigenvalues ascending, eigenvectors as columns) of symmetric A, reading the
    lower (``UPLO='L'``) or upper triangle."""
    a, factors = _eigh_factors("linalg.eigh", A, UPLO)
    return return_types.linalg_eigh(*EighFactor.outputs(a, factors))


def eigvalsh(A: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    """torch.linalg.eigvalsh: the eigenvalues of symmetric A, ascending; gradient V diag(gL) V^T."""
    a, factors = _eigh_factors("linalg.eigvalsh", A, UPLO)
    return EighFactor.apply(a, factors=factors, which=0)
