"""The singular value decomposition A = U diag(S) Vh of (batches of) real or complex m x n matrices,
differentiable.

``svd(A, full_matrices)`` gives U (m, k) with orthonormal columns, S (k,) real and in descending order and Vh
(k, n) with orthonormal rows, k = min(m, n); with ``full_matrices=True`` U is (m, m) and Vh (n, n), the
extra columns an orthonormal basis of the rest of the space, which the gradient ignores (as in torch:
they are not determined by A). A complex A has complex U and Vh and real S (float64 for complex128).

The backward (derived in docs/derivations/linalg.md) for gradients gU, gS, gVh of the k-column factors,
written once for real and complex matrices (^H the conjugate transpose; for a real matrix it is ^T):

    J = skew(U^H gU) diag(S),  K = diag(S) skew(Vh gVh^H),   skew(X) = X - X^H
    E_ij = s_j^2 - s_i^2 (i != j),  E_ii = 1
    C = (J + K) / E  +  diag(gS)  +  diag(skew(U^H gU)_ii / (2 s_i))      (element-wise division)
    gA = U C Vh                                         (m = n)
    gA = (U C + (I - U U^H) gU diag(1/S)) Vh            (m > n: U misses part of the column space)
    gA = U (C Vh + diag(1/S) gVh (I - Vh^H Vh))         (m < n: Vh misses part of the row space)

The last term of C is zero for real matrices (skew(X) has a zero diagonal). For complex ones it is
i Im(U^H gU)_ii / s_i: the gradient through the phases of the singular vectors.

With only gS (``svdvals``, norms) it is gA = U diag(gS) Vh. Two singular values that are equal make
an E_ij zero: the gradient of U or Vh is then infinite or NaN, as in torch. That is not a bug of the
formula: at a repeated singular value any rotation of the two singular vectors is as good as another,
so U and Vh are not differentiable functions of A there (the page explains it). A loss of S alone
stays finite. Signs and phases: column j of U can be multiplied by any unit number e^{i phi} (a sign, -1,
for real A) together with row j of Vh by its conjugate; glassgrad returns LAPACK's choice, the one torch
makes. A loss that does not depend on that choice has a gradient independent of it; for complex A, one
that depends on the phases has none, and the backward refuses it with torch's RuntimeError (the test:
Im diag(U^H gU + Vh gVh^H) is not near 0, summed over the outputs by linalg_common.PhaseLedger).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.dtypes import real_of
from glassgrad.ops.linalg_common import Factor, PhaseCheck, PhaseLedger, check_finite, check_matrix, diag_embed, mH
from glassgrad.tensor import Tensor, as_tensor

_PHASE_MESSAGE = ("svd_backward: The singular vectors in the complex case are specified up to multiplication by "
                  "e^{i phi}. The specified loss function depends on this phase term, making it ill-defined.")


def _divide(numerator: Any, denominator: Any) -> Any:
    """numerator / denominator, where a zero denominator gives inf or NaN quietly (torch's result)."""
    with backend.xp.errstate(divide="ignore", invalid="ignore"):
        return numerator / denominator


def _skew(x: Any) -> Any:
    """X - X^H: skew-Hermitian (skew-symmetric for a real X); its diagonal is 2i Im(X_ii)."""
    return x - mH(x)


def svd_backward(g_u: Any, g_s: Any, g_vh: Any, u: Any, s: Any, vh: Any) -> Any:
    """dL/dA from dL/dU, dL/dS, dL/dVh (None where the output is not used); formulas in the module docstring."""
    xp = backend.xp
    k = s.shape[-1]
    u, vh = u[..., :k], vh[..., :k, :]  # full_matrices: the extra columns carry no gradient
    g_u = None if g_u is None else g_u[..., :k]
    g_vh = None if g_vh is None else g_vh[..., :k, :]
    m, n = u.shape[-2], vh.shape[-1]
    if g_u is None and g_vh is None:
        return u @ (g_s[..., :, None] * vh)  # U diag(gS) Vh
    s_sq = s * s
    e = s_sq[..., None, :] - s_sq[..., :, None]  # E_ij = s_j^2 - s_i^2
    e = e + xp.eye(k, dtype=s.dtype)  # its diagonal (0) becomes 1
    core = xp.zeros(s.shape + (k,), dtype=u.dtype)
    if g_u is not None:
        skew_u = _skew(mH(u) @ g_u)
        core = core + skew_u * s[..., None, :]  # J: column j times s_j
    if g_vh is not None:
        skew_v = _skew(vh @ mH(g_vh))
        core = core + s[..., :, None] * skew_v  # K: row i times s_i
    core = _divide(core, e)
    if g_s is not None:
        core = core + diag_embed(g_s)
    if g_u is not None and u.dtype.kind == "c":  # the phases' share, i Im(U^H gU)_ii / s_i (zero for real matrices)
        core = core + diag_embed(_divide(xp.diagonal(skew_u, axis1=-2, axis2=-1), 2 * s))
    if m > n and g_u is not None:
        gu_sinv = _divide(g_u, s[..., None, :])  # gU diag(1/S)
        return (u @ core + gu_sinv - u @ (mH(u) @ gu_sinv)) @ vh
    if m < n and g_vh is not None:
        sinv_gvh = _divide(g_vh, s[..., :, None])  # diag(1/S) gVh
        return u @ (core @ vh + sinv_gvh - (sinv_gvh @ mH(vh)) @ vh)
    return u @ core @ vh


class SvdFactor(Factor):
    """U, S or Vh of A = U diag(S) Vh; backward ``svd_backward`` (module docstring)."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return svd_backward(*grads, *factors)

    @staticmethod
    def phase_share(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        """Im diag(U^H gU) or Im diag(Vh gVh^H) (linalg_common.PhaseLedger)."""
        g_u, _, g_vh = grads
        u, s, vh = factors
        k = s.shape[-1]
        if g_u is not None:
            return backend.xp.einsum("...ij,...ij->...j", backend.xp.conj(u[..., :k]), g_u[..., :k]).imag
        if g_vh is not None:
            return backend.xp.einsum("...ij,...ij->...i", vh[..., :k, :], backend.xp.conj(g_vh[..., :k, :])).imag
        return None


def _factors(op: str, A: Any, full_matrices: bool) -> tuple[Tensor, tuple[Any, ...], PhaseLedger | None]:  # noqa: N803
    """(A, (U, S, Vh), the ledger of the vectors' phases for a complex A that needs a gradient)."""
    a = check_matrix(op, A, complex_ok=True)
    check_finite(op, a.array)
    u, s, vh = backend.xp.linalg.svd(a.array, full_matrices=full_matrices)
    ledger = None
    if a.dtype.kind == "c" and a.requires_grad:
        ledger = PhaseLedger(_PHASE_MESSAGE)
        a = PhaseCheck.apply(a, ledger=ledger)
    return a, (u.astype(a.dtype, copy=False), s.astype(real_of(a.dtype), copy=False),
               vh.astype(a.dtype, copy=False)), ledger


def svd(A: Any, full_matrices: bool = True, *, driver: str | None = None) -> Any:  # noqa: N803, ARG001
    """torch.linalg.svd: the named tuple (U, S, Vh) with A = U diag(S) Vh (module docstring).

    ``driver`` (a CUDA option in torch) is accepted and ignored: NumPy's LAPACK routine (gesdd) computes it.
    """
    a, factors, ledger = _factors("linalg.svd", A, full_matrices)
    return return_types.linalg_svd(*SvdFactor.outputs(a, factors, ledger=ledger))


def svdvals(A: Any, *, driver: str | None = None) -> Tensor:  # noqa: N803, ARG001
    """torch.linalg.svdvals: the singular values (real), in descending order; gradient U diag(gS) Vh."""
    a, factors, _ = _factors("linalg.svdvals", A, False)  # (S has no phase)
    return SvdFactor.apply(a, factors=factors, which=1)


def svd_legacy(input: Any, some: bool = True, compute_uv: bool = True) -> Any:  # noqa: A002
    """torch.svd (the older form): (U, S, V) with A = U diag(S) V^H, so V, not Vh; ``some=True`` is the
    reduced decomposition (full_matrices=False). ``compute_uv=False`` gives the singular values with
    zero-filled U (m, m) and V (n, n), as torch does."""
    if not compute_uv:
        s = svdvals(input)
        a = as_tensor(input)
        zeros = backend.xp.zeros
        m, n = a.shape[-2:]
        return return_types.svd(Tensor(zeros(a.shape[:-1] + (m,), dtype=a.dtype)), s,
                                Tensor(zeros(a.shape[:-2] + (n, n), dtype=a.dtype)))
    a, factors, ledger = _factors("svd", input, not some)
    u, s, vh = SvdFactor.outputs(a, factors, ledger=ledger)
    return return_types.svd(u, s, vh.mH)
