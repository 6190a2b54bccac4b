"""Randomized low-rank SVD and PCA: ``torch.svd_lowrank`` and ``torch.pca_lowrank``.

The randomized range finder of Halko, Martinsson and Tropp (2009, algorithms 4.4 and 5.1), the one torch
uses, written with glassgrad's differentiable ops (matmul, ``linalg.qr``, ``linalg.svd``), so its backward
is theirs and nothing new is derived here:

1. Q: an orthonormal basis of the range of A (m x n, m >= n; a wider A is transposed first):
   Q = qr(A R) for a Gaussian n x q matrix R, then ``niter`` power iterations
   Q = qr(A^H Q), Q = qr(A Q) that sharpen it where the singular values decay slowly;
2. B = Q^H A (q x n), small; its SVD B = U_B S V^H;
3. A ~ (Q U_B) S V^H: return U = Q U_B, S, V (V, not V^H, as torch).

With ``M``, the same for A - M without forming it (A R - M R, Q^H A - Q^H M). When A has rank at most q
the result is A's SVD exactly (up to the signs of the singular vectors), whatever R was; otherwise it is an
approximation that depends on R, which glassgrad draws from its own generator (so it differs from torch's).

pca_lowrank(A, q, center) is svd_lowrank of A with its column means subtracted (``center=True``).
"""

from __future__ import annotations

from glassgrad.ops.linalg_qr import qr
from glassgrad.ops.linalg_svd import svd
from glassgrad.random_tensors import randn
from glassgrad.tensor import Tensor, as_tensor

__all__ = ["svd_lowrank", "pca_lowrank"]
TORCH_NAMES = ["svd_lowrank", "pca_lowrank"]
FUNCTIONAL_NAMES: list[str] = []


def _basis(a: Tensor, q: int, niter: int, m: Tensor | None) -> Tensor:
    """Q (..., rows, q): an orthonormal basis of the range of a - m (step 1 of the module docstring)."""
    def times(x: Tensor) -> Tensor:  # (a - m) x
        return a @ x if m is None else a @ x - m @ x

    def adjoint_times(x: Tensor) -> Tensor:  # (a - m)^H x
        return a.mH @ x if m is None else a.mH @ x - m.mH @ x

    basis = qr(times(randn(a.shape[-1], q, dtype=a.dtype)))[0]
    for _ in range(niter):
        basis = qr(adjoint_times(basis))[0]
        basis = qr(times(basis))[0]
    return basis


def svd_lowrank(A: Tensor, q: int | None = 6, niter: int | None = 2, M: Tensor | None = None) -> tuple[Tensor, ...]:  # noqa: N803
    """torch.svd_lowrank: (U, S, V) with A - M ~ U diag(S) V^H, U (..., m, q), S (..., q), V (..., n, q)."""
    a = as_tensor(A)
    q, niter = 6 if q is None else q, 2 if niter is None else niter
    m = None if M is None else as_tensor(M).broadcast_to(a.shape)
    wide = a.shape[-2] < a.shape[-1]
    if wide:  # work on the tall transpose: the basis is then of the smaller space
        a, m = a.mH, None if m is None else m.mH
    basis = _basis(a, q, niter, m)
    small = basis.mH @ a if m is None else basis.mH @ a - basis.mH @ m
    u, s, vh = svd(small, full_matrices=False)
    u, v = basis @ u, vh.mH
    return (v, s, u) if wide else (u, s, v)


def pca_lowrank(A: Tensor, q: int | None = None, center: bool = True, niter: int = 2) -> tuple[Tensor, ...]:  # noqa: N803
    """torch.pca_lowrank: svd_lowrank of A (its columns centred to mean 0 when ``center``), q <= min(m, n)."""
    a = as_tensor(A)
    rows, columns = a.shape[-2:]
    q = min(6, rows, columns) if q is None else q
    if not 0 <= q <= min(rows, columns):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(rows, columns)}")
    if niter < 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if center:
        a = a - a.mean(dim=-2, keepdim=True)
    return svd_lowrank(a, q, niter=niter)
