"""The eigendecomposition of a general square matrix, differentiable: ``torch.linalg.eig`` and ``eigvals``.

A = V diag(L) V^{-1}. A real matrix may have complex eigenvalues (in conjugate pairs), so, as in torch,
the results are always complex (complex64 for float32 input, complex128 for float64), real or complex A
alike. Each column of V has unit length; its phase is LAPACK's (the largest entry real), the one torch
returns too. The derivation is in docs/derivations/linalg.md, section "eig"; the backward for
gradients gL, gV (E is the table of eigenvalue differences, ^H the conjugate transpose):

    Y = V^H gV
    X = Y - V^H V diag(Re diag(Y))           # its diagonal is i Im diag(Y), taken to be 0 (below)
    C = X / conj(E),   E_ij = L_j - L_i (i != j),   C_ii = gL_i
    gA = V^{-H} C V^H

and for real A the real part of gA (a real input's gradient keeps its real part: the engine takes it).

A unit eigenvector can still be multiplied by any e^{i phi}: a loss that depends on that phase has no
gradient. As torch does, the backward refuses (a RuntimeError) when Im diag(V^H gV) is not near 0,
the sign that the loss is such a function (summed over the nodes that read V, see ``eig``). Two equal
eigenvalues make an E_ij zero: the eigenvectors'
gradient is then inf or NaN, as in torch (the eigenvalues' alone stays finite).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.dtypes import complex_of
from glassgrad.ops.linalg_common import Factor, PhaseCheck, PhaseLedger, diag_embed, mT, shape_text
from glassgrad.ops.linalg_svd import _divide
from glassgrad.tensor import Tensor, as_tensor


def mH(a: Any) -> Any:  # noqa: N802  (torch's name for the conjugate transpose)
    """The conjugate transpose of the last two axes."""
    return backend.xp.conj(mT(a))


def _conjugate_differences(values: Any) -> Any:
    """conj(E): conj(l_j) - conj(l_i) off the diagonal, 1 on it."""
    c = backend.xp.conj(values)
    return c[..., None, :] - c[..., :, None] + backend.xp.eye(values.shape[-1], dtype=values.dtype)


_PHASE_MESSAGE = ("linalg_eig_backward: The eigenvectors in the complex case are specified up to multiplication "
                  "by e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")


def eig_backward(g_l: Any, g_v: Any, values: Any, vectors: Any) -> Any:
    """dL/dA of A = V diag(L) V^{-1}, V's columns of unit norm (module docstring); complex."""
    xp = backend.xp
    if g_v is None:
        c = diag_embed(g_l)
    else:
        y = mH(vectors) @ g_v
        y_diagonal = xp.diagonal(y, axis1=-2, axis2=-1)  # (its imaginary part: the phases', checked by the ledger)
        x = y - mH(vectors) @ (vectors * y_diagonal.real[..., None, :])  # keeps each column's length 1
        off_diagonal = 1 - xp.eye(values.shape[-1])  # X's diagonal, i Im diag(Y), is taken to be 0
        c = _divide(x, _conjugate_differences(values)) * off_diagonal
        if g_l is not None:
            c = c + diag_embed(g_l)  # C_ii = gL_i
    return xp.linalg.solve(mH(vectors), c @ mH(vectors))  # V^{-H} C V^H


class EigFactor(Factor):
    """L or V of A = V diag(L) V^{-1}; backward ``eig_backward``, twice differentiable: with
    create_graph=True it runs on the factors as graph tensors (complex matmul, solve and division
    record their own conjugating backward, glassgrad/ops/complex_forms.py)."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return eig_backward(*grads, *factors)

    @staticmethod
    def phase_share(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        """Im diag(V^H gV), this node's part of what the loss does to V's phases (linalg_common.PhaseLedger)."""
        g_v, vectors = grads[1], factors[1]
        return None if g_v is None else backend.xp.diagonal(mH(vectors) @ g_v, axis1=-2, axis2=-1).imag


def _check(op: str, A: Any) -> Tensor:  # noqa: N803
    """``A`` as (batches of) square float32/float64/complex64/complex128 matrices, refused as torch refuses."""
    a = as_tensor(A)
    if a.ndim < 2:
        raise RuntimeError(f"{op}: The input tensor A must have at least 2 dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"{op}: A must be batches of square matrices, but they are {shape_text(a)} matrices")
    if a.dtype.kind not in "fc" or a.dtype.itemsize < (4 if a.dtype.kind == "f" else 8):
        raise RuntimeError(f"{op}: Expected a float32, float64, complex64 or complex128 tensor as input. "
                           f"Got {a.dtype}")
    if not bool(backend.xp.isfinite(a.array).all()):
        raise RuntimeError(f"torch.{op}: input tensor should not contain infs or NaNs.")
    return a


def _eig_factors(op: str, A: Any) -> tuple[Tensor, tuple[Any, Any]]:  # noqa: N803
    a = _check(op, A)
    dtype = a.dtype if a.dtype.kind == "c" else complex_of(a.dtype)
    values, vectors = backend.xp.linalg.eig(a.array)  # LAPACK's geev, as torch: the same order and phases
    return a, (values.astype(dtype, copy=False), vectors.astype(dtype, copy=False))


def eig(A: Any) -> Any:  # noqa: N803
    """torch.linalg.eig: (eigenvalues, unit eigenvectors as columns) of square A, both complex.

    V's phases are free, so a loss must not depend on them: each output's node adds its part of
    Im diag(V^H gV) to a ``PhaseLedger``, settled (torch's RuntimeError when it is not near 0) by the
    ``PhaseCheck`` before the decomposition once every part is in. One ledger for all nodes matters for
    second derivatives: a recorded backward reads V as a second node beside the output, and only the
    sum of the two nodes' parts is phase-free."""
    a, factors = _eig_factors("linalg.eig", A)
    ledger = None
    if a.requires_grad:
        ledger = PhaseLedger(_PHASE_MESSAGE)
        a = PhaseCheck.apply(a, ledger=ledger)
    return return_types.linalg_eig(*EigFactor.outputs(a, factors, ledger=ledger))


def eigvals(A: Any) -> Tensor:  # noqa: N803
    """torch.linalg.eigvals: the eigenvalues of square A, complex; gradient V^{-H} diag(gL) V^H."""
    a, factors = _eig_factors("linalg.eigvals", A)
    return EigFactor.apply(a, factors=factors, which=0)
