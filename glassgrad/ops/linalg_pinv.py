"""The pseudo-inverse, the numerical rank and least squares: ``pinv``, ``matrix_rank``, ``lstsq``.

Singular values at or below  max(atol, rtol * sigma_max)  count as zero (torch's rule; without atol and
rtol, rtol = eps * max(m, n); with only atol > 0, rtol = 0). With ``hermitian=True`` the singular values
are |eigenvalues| from ``eigh`` (A's lower triangle).

The pseudo-inverse P = V diag(1/s, 0 for the dropped s) U^H. For a perturbation that keeps the rank,
(Golub and Pereyra; ^H the conjugate transpose, the transpose for real matrices)

    dP = -P dA P + P P^H dA^H (I - A P) + (I - P A) dA^H P^H P

so for the upstream gradient G, reading each term as <G, .> = Re tr(G^H .) and moving dA out:

    gA = -P^H G P^H + (I - A P) G^H P P^H + P^H P G^H (I - P A)

one formula for real and complex matrices.
This formula, torch's too, stays finite where the singular values repeat (the SVD's own gradient does
not), e.g. for a low-rank matrix with several zero singular values. ``lstsq`` is the minimum-norm
least-squares solution X = P B, so its gradient is the pseudo-inverse's and the product's.
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend, return_types
from glassgrad.dtypes import real_of
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import check_finite, check_matrix, mH
from glassgrad.tensor import Tensor, as_tensor


def _limit(value: Any, batch: tuple[int, ...], dtype: Any) -> Any:
    """atol or rtol (a number or a tensor of the batch's shape) as an array (..., 1)."""
    array = backend.xp.asarray(as_tensor(value).array if isinstance(value, Tensor) else value, dtype=dtype)
    return backend.xp.broadcast_to(array, batch)[..., None]


def singular_values_and_threshold(a: Any, atol: Any, rtol: Any, hermitian: bool) -> tuple[Any, Any]:
    """(the singular values, or |eigenvalues| for ``hermitian``; torch's threshold (..., 1)), real."""
    xp = backend.xp
    m, n = a.shape[-2:]
    real = real_of(a.dtype)
    s = xp.abs(xp.linalg.eigvalsh(a)) if hermitian else xp.linalg.svd(a, compute_uv=False)
    if rtol is None:
        positive_atol = atol is not None and bool((xp.asarray(_limit(atol, a.shape[:-2], real)) > 0).all())
        rtol = 0.0 if positive_atol else numpy.finfo(real).eps * max(m, n)
    largest = s.max(axis=-1, keepdims=True) if s.shape[-1] else xp.zeros(s.shape[:-1] + (1,), dtype=real)
    threshold = _limit(rtol, a.shape[:-2], real) * largest
    if atol is not None:
        threshold = xp.maximum(threshold, _limit(atol, a.shape[:-2], real))
    return s, threshold


def pinv_array(a: Any, atol: Any, rtol: Any, hermitian: bool) -> Any:
    xp = backend.xp
    _, threshold = singular_values_and_threshold(a, atol, rtol, hermitian)
    if hermitian:
        values, vectors = xp.linalg.eigh(a)
        keep = xp.abs(values) > threshold
        inverse = xp.where(keep, 1 / xp.where(keep, values, 1), 0)
        return (vectors * inverse[..., None, :]) @ mH(vectors)
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    keep = s > threshold
    inverse = xp.where(keep, 1 / xp.where(keep, s, 1), 0)
    return mH(vh) @ (inverse[..., :, None] * mH(u))


class PseudoInverse(Op):
    """P = A^+ (module docstring);  gA = -P^H G P^H + (I - A P) G^H P P^H + P^H P G^H (I - P A)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, *, atol: Any, rtol: Any, hermitian: bool) -> Any:
        p = pinv_array(a, atol, rtol, hermitian).astype(a.dtype, copy=False)
        ctx.save_for_backward(a, p)
        return p

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, p = ctx.saved
        g_h, p_h = mH(grad), mH(p)
        first = -(p_h @ grad @ p_h)
        second = (g_h - a @ (p @ g_h)) @ (p @ p_h)  # (I - A P) G^H P P^H
        third = (p_h @ p) @ (g_h - (g_h @ p) @ a)  # P^H P G^H (I - P A)
        return first + second + third


def pinv(A: Any, *, atol: Any = None, rtol: Any = None, hermitian: bool = False) -> Tensor:  # noqa: N803
    """torch.linalg.pinv: the pseudo-inverse (n, m) of A (m, n) (module docstring for atol, rtol)."""
    a = check_matrix("linalg.pinv", A, square=hermitian, complex_ok=True)
    check_finite("linalg.pinv", a.array)
    return PseudoInverse.apply(a, atol=atol, rtol=rtol, hermitian=hermitian)


def pinverse(input: Any, rcond: float = 1e-15) -> Tensor:  # noqa: A002
    """torch.pinverse: ``linalg.pinv`` with rtol = rcond."""
    return pinv(input, rtol=rcond)


def matrix_rank(A: Any, tol: Any = None, hermitian: bool = False, *, atol: Any = None,  # noqa: N803
                rtol: Any = None) -> Tensor:
    """torch.linalg.matrix_rank: how many singular values exceed max(atol, rtol * sigma_max) (int64).
    ``tol`` (torch's older argument) is atol with rtol = 0."""
    a = check_matrix("linalg.matrix_rank", A, square=hermitian, complex_ok=True)
    if tol is not None:
        atol, rtol = tol, 0.0
    s, threshold = singular_values_and_threshold(a.array, atol, rtol, hermitian)
    return Tensor((s > threshold).sum(-1).astype(numpy.int64))


def lstsq(A: Any, B: Any, rcond: float | None = None, *, driver: str | None = None) -> Any:  # noqa: N803
    """torch.linalg.lstsq: (solution, residuals, rank, singular_values) for min ||A X - B||.

    The solution is the minimum-norm one, P B (LAPACK's gelsd; torch's default driver on the CPU, gelsy,
    agrees with it whenever A has full rank). As in torch, per ``driver`` (default 'gelsy'):
    ``residuals`` (the squared residual of each column) only for m > n, full rank and a driver other than
    'gelsy'; ``rank`` for every driver but 'gels'; ``singular_values`` for 'gelsd' and 'gelss'.
    """
    driver = "gelsy" if driver is None else driver
    if driver not in ("gels", "gelsy", "gelsd", "gelss"):
        raise RuntimeError(f"torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss), "
                           f"but got {driver}")
    a, b = check_matrix("torch.linalg.lstsq", A, complex_ok=True), as_tensor(B)
    if b.dtype != a.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
                           f"input's dtype {a.dtype} and other's dtype {b.dtype}")
    m, n = a.shape[-2:]
    vector = b.ndim == a.ndim - 1
    if vector:
        b = b.unsqueeze(-1)
    if b.shape[-2] != m:
        raise RuntimeError(f"torch.linalg.lstsq: input.size(-2) should match other.size(-2), got {m} and "
                           f"{b.shape[-2]}")
    rtol = rcond if rcond is not None and rcond > 0 else None
    solution = PseudoInverse.apply(a, atol=None, rtol=rtol, hermitian=False) @ b
    s, threshold = singular_values_and_threshold(a.array, None, rtol, False)
    rank = (s > threshold).sum(-1).astype(numpy.int64)
    empty = Tensor(backend.xp.zeros((0,), dtype=real_of(a.dtype)))  # (residuals and singular values are real)
    residuals = empty
    if m > n and driver != "gelsy" and bool((rank == n).all()):
        residuals = ((a @ solution - b).abs() ** 2).sum(-2)  # real, also for complex A
    singular_values = Tensor(s) if driver in ("gelsd", "gelss") else empty
    rank_tensor = Tensor(rank) if driver != "gels" else Tensor(backend.xp.zeros((0,), dtype=numpy.int64))
    if vector:
        solution, residuals = solution.squeeze(-1), residuals.squeeze(-1) if residuals.ndim > 1 else residuals
    return return_types.linalg_lstsq(solution, residuals, rank_tensor, singular_values)
