"""The QR decomposition A = Q R of (batches of) real or complex m x n matrices, differentiable.

``mode='reduced'`` (k = min(m, n)): Q (m, k) with orthonormal columns, R (k, n) upper triangular;
``'complete'``: Q (m, m), R (m, n); ``'r'``: R alone (Q is an empty tensor). Signs are LAPACK's
(Householder reflections: R's diagonal is real, also for complex A, and may be negative), the same as
torch's.

The backward (docs/derivations/linalg.md), for m >= n (Q: m x n, R: n x n), one formula for real and
complex matrices (^H the conjugate transpose, the transpose for real ones):

    M = gR R^H - Q^H gQ
    N = the Hermitian matrix with M's strict upper triangle and the real part of its diagonal:
        triu(M, 1) + triu(M, 1)^H + Re diag(M)
    gA = (gQ + Q N) R^{-H}                               (a triangular solve)

(Re: R's diagonal is real, so dR's is too, which fixes the phases Q could otherwise take; for a real
matrix Re is the identity and N = triu(M) + triu(M, 1)^T.)

For m < n, A = [X | Y] with X square: X = Q U, Y = Q V for R = [U | V]. Then gY = Q gV, Y's use of
Q adds Y gV^H to gQ, and gX is the square case with that gQ and gU.

Like torch, glassgrad refuses the gradient with ``mode='r'`` (Q is needed, and not computed) and with
``mode='complete'`` and m > n (the last m - n columns of Q are not determined by A).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.ops.linalg_common import Factor, check_matrix, diag_embed, mH
from glassgrad.ops.linalg_triangular import solve_with_triangle
from glassgrad.tensor import Tensor


def _square_backward(g_q: Any, g_r: Any, q: Any, r: Any) -> Any:
    """gA for m >= n, k = n (module docstring); gQ or gR may be None."""
    xp = backend.xp
    m_upper = xp.zeros(r.shape[:-2] + (r.shape[-1],) * 2, dtype=r.dtype)
    if g_r is not None:
        m_upper = m_upper + g_r @ mH(r)
    if g_q is not None:
        m_upper = m_upper - mH(q) @ g_q
    strict = xp.triu(m_upper, 1)
    n = strict + mH(strict) + diag_embed(xp.diagonal(m_upper, axis1=-2, axis2=-1).real)
    left = q @ n if g_q is None else g_q + q @ n
    # left R^{-H} = (R^{-1} left^H)^H
    return mH(solve_with_triangle(r, mH(left), upper=True))


def qr_backward(g_q: Any, g_r: Any, q: Any, r: Any) -> Any:
    """dL/dA of A = Q R (module docstring)."""
    xp = backend.xp
    m, n = q.shape[-2], r.shape[-1]
    if q.shape[-1] > r.shape[-1]:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
    if m >= n:
        return _square_backward(g_q, g_r, q, r)
    u, v = r[..., :, :m], r[..., :, m:]
    y = q @ v
    g_v = None if g_r is None else g_r[..., :, m:]
    g_u = None if g_r is None else g_r[..., :, :m]
    g_y = xp.zeros(y.shape, dtype=r.dtype) if g_v is None else q @ g_v
    if g_v is not None:
        g_q = y @ mH(g_v) if g_q is None else g_q + y @ mH(g_v)
    return xp.concatenate([_square_backward(g_q, g_u, q, u), g_y], axis=-1)


class QrFactor(Factor):
    """Q or R of A = Q R; backward ``qr_backward``."""

    differentiable_backward = True

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        return qr_backward(*grads, *factors)


class QrOnlyR(Factor):
    """R of ``mode='r'``: not differentiable (torch's error)."""

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
                           "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")


def qr(A: Any, mode: str = "reduced") -> Any:  # noqa: N803
    """torch.linalg.qr: the named tuple (Q, R) with A = Q R (module docstring for the modes)."""
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
                           "'r', or 'complete'")
    a = check_matrix("linalg.qr", A, complex_ok=True)
    xp = backend.xp
    q, r = xp.linalg.qr(a.array, mode="complete" if mode == "complete" else "reduced")
    factors = (q.astype(a.dtype, copy=False), r.astype(a.dtype, copy=False))
    if mode == "r":
        return return_types.linalg_qr(Tensor(xp.zeros((0,), dtype=a.dtype)), QrOnlyR.apply(a, factors=factors, which=1))
    return return_types.linalg_qr(*QrFactor.outputs(a, factors))


def qr_legacy(input: Any, some: bool = True) -> Any:  # noqa: A002
    """torch.qr (the older form): ``some=True`` is mode 'reduced', ``some=False`` mode 'complete'."""
    q, r = qr(input, "reduced" if some else "complete")
    return return_types.qr(q, r)
