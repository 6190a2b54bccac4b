"""The Hermitian (real symmetric) eigendecomposition, differentiable: ``eigh`` and ``eigvalsh`` (general
matrices: linalg_eig.py).

eigh: A = V diag(L) V^H with V unitary (orthogonal for real A) and L real and ascending. Only the triangle
``UPLO`` names is read (the other is taken to mirror it; the imaginary parts of a complex A's diagonal are
not read). The backward for gradients gL, gV (docs/derivations/linalg.md), one formula for real and
complex matrices (^H the conjugate transpose, the transpose for real ones):

    X = V^H gV,   C = (X - X^H) / 2 / E,   E_ij = l_j - l_i (i != j),  E_ii = 1
    C_ii = gL_i
    gA = V C V^H

a Hermitian matrix, the gradient for a Hermitian perturbation (torch's convention: the gradient of the
triangle read and of its mirror are the same). With only gL it is V diag(gL) V^H. Two equal eigenvalues
make an E_ij zero and the gradient of V infinite or NaN, as in torch: the eigenvectors of a repeated
eigenvalue can be rotated freely within their plane, so V is not a differentiable function of A there.
A column of V can also be multiplied by any e^{i phi} (a sign for real A): a loss that depends on those
phases has no gradient, and for complex A the backward refuses it with torch's RuntimeError (the test:
Im diag(V^H gV) is not near 0, summed over the outputs by linalg_common.PhaseLedger; C's diagonal keeps
only gL).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.dtypes import real_of
from glassgrad.ops.linalg_common import Factor, PhaseCheck, PhaseLedger, check_finite, check_matrix, diag_embed, mH
from glassgrad.ops.linalg_svd import _divide
from glassgrad.tensor import Tensor

_PHASE_MESSAGE = ("linalg_eigh_backward: The eigenvectors in the complex case are specified up to multiplication "
                  "by e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")


def _differences(values: Any) -> Any:
    """E_ij = l_j - l_i off the diagonal, 1 on it."""
    e = values[..., None, :] - values[..., :, None]
    return e + backend.xp.eye(values.shape[-1], dtype=values.dtype)


def eigh_backward(g_l: Any, g_v: Any, values: Any, vectors: Any) -> Any:
    """dL/dA of A = V diag(L) V^H (module docstring)."""
    if g_v is None:
        return (vectors * g_l[..., None, :]) @ mH(vectors)  # V diag(gL) V^H
    x = mH(vectors) @ g_v
    off_diagonal = 1 - backend.xp.eye(values.shape[-1], dtype=values.dtype)  # (X - X^H)_ii = 2i Im X_ii: dropped
    c = _divide((x - mH(x)) / 2, _differences(values)) * off_diagonal
    if g_l is not None:
        c = c + diag_embed(g_l)
    return vectors @ c @ mH(vectors)


class EighFactor(Factor):
    """L or V of A = V diag(L) V^T; backward ``eigh_backward``."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return eigh_backward(*grads, *factors)

    @staticmethod
    def phase_share(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        """Im diag(V^H gV) (linalg_common.PhaseLedger)."""
        g_v, vectors = grads[1], factors[1]
        return None if g_v is None else backend.xp.einsum("...ij,...ij->...j", backend.xp.conj(vectors), g_v).imag


def _check_uplo(op: str, uplo: str) -> None:
    if uplo not in ("L", "U", "l", "u"):
        raise RuntimeError(f"{op}: Expected UPLO argument to be 'L' or 'U', but got {uplo}")


def _eigh_factors(op: str, A: Any, UPLO: str) -> tuple[Tensor, tuple[Any, Any], PhaseLedger | None]:  # noqa: N803
    """(A, (L, V), the ledger of V's phases for a complex A that needs a gradient)."""
    _check_uplo(op, UPLO)
    a = check_matrix(op, A, square=True, complex_ok=True)
    check_finite(op, a.array)
    values, vectors = backend.xp.linalg.eigh(a.array, UPLO=UPLO.upper())
    ledger = None
    if a.dtype.kind == "c" and a.requires_grad:
        ledger = PhaseLedger(_PHASE_MESSAGE)
        a = PhaseCheck.apply(a, ledger=ledger)
    return a, (values.astype(real_of(a.dtype), copy=False), vectors.astype(a.dtype, copy=False)), ledger


def eigh(A: Any, UPLO: str = "L") -> Any:  # noqa: N803
    """torch.linalg.eigh: (eigenvalues, real and ascending; eigenvectors as columns) of Hermitian (real
    symmetric) A, reading the lower (``UPLO='L'``) or upper triangle."""
    a, factors, ledger = _eigh_factors("linalg.eigh", A, UPLO)
    return return_types.linalg_eigh(*EighFactor.outputs(a, factors, ledger=ledger))


def eigvalsh(A: Any, UPLO: str = "L") -> Tensor:  # noqa: N803
    """torch.linalg.eigvalsh: the eigenvalues (real) of Hermitian A, ascending; gradient V diag(gL) V^H."""
    a, factors, _ = _eigh_factors("linalg.eigvalsh", A, UPLO)  # (L has no phase)
    return EighFactor.apply(a, factors=factors, which=0)
