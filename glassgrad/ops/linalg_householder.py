"""Products of Householder reflections: ``linalg.householder_product`` (torch.orgqr), ``geqrf``, ``ormqr``.

A (m, n) holds k <= n vectors below its diagonal: v_i is column i with a 1 at row i and zeros above.
With tau (k,), H_i = I - tau_i v_i v_i^H and the result is the first n columns of H_1 H_2 ... H_k.
This is how LAPACK stores the Q of a QR decomposition (``geqrf``'s output), real or complex (^H the
conjugate transpose, the transpose for real matrices; conj(tau) = tau for real ones).

The forward applies the reflections from the last to the first, starting from E = I[:, :n]:

    X_k = E,   X_{i-1} = H_i X_i = X_i - tau_i v_i (v_i^H X_i),   result X_0

and the backward walks back through them (H_i^H = I - conj(tau_i) v_i v_i^H). With G_{i-1} the
gradient of X_{i-1}, and w = v_i^H X_i, z = v_i^H G_{i-1} (row vectors):

    G_i = G_{i-1} - conj(tau_i) v_i z                     (the gradient of X_i)
    g tau_i = -sum_j z_j conj(w_j)
    g v_i = -(conj(tau_i) G_{i-1} w^H + tau_i X_i z^H)     (kept below the diagonal of column i of A)
"""

from __future__ import annotations

from typing import Any

import numpy

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import Factor, check_float, check_matrix
from glassgrad.ops.movement_join import cat
from glassgrad.tensor import Tensor, as_tensor


def _reflector(a: Any, i: int) -> Any:
    """v_i: column i of A below the diagonal, a 1 at row i, zeros above (..., m)."""
    xp = backend.xp
    rows = xp.arange(a.shape[-2])
    return xp.where(rows > i, a[..., :, i], 0) + (rows == i).astype(a.dtype)


class HouseholderProduct(Op):
    """The first n columns of H_1 ... H_k (module docstring: forward and backward)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, tau: Any) -> Any:
        xp = backend.xp
        m, n = a.shape[-2:]
        x = xp.broadcast_to(xp.eye(m, n, dtype=a.dtype), tuple(a.shape[:-2]) + (m, n))
        steps = []
        for i in reversed(range(tau.shape[-1])):
            v = _reflector(a, i)
            steps.append(x)  # X_i, before H_i is applied
            x = x - tau[..., i, None, None] * v[..., :, None] * (xp.conj(v)[..., None, :] @ x)
        ctx.save_for_backward(a, tau)
        ctx.steps = steps[::-1]  # steps[i] = X_i
        return x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        a, tau = ctx.saved
        m, n = a.shape[-2:]
        rows = xp.arange(m)
        columns, grad_tau = [], []  # (lists stacked at the end: the same code runs on Tensors when recording)
        g = grad
        conj_tau = xp.conj(tau)
        for i in range(tau.shape[-1]):
            v, x = _reflector(a, i), ctx.steps[i]
            w = (xp.conj(v)[..., None, :] @ x)[..., 0, :]  # v_i^H X_i
            z = (xp.conj(v)[..., None, :] @ g)[..., 0, :]  # v_i^H G_{i-1}
            grad_tau.append(-(z * xp.conj(w)).sum(-1))
            g_v = -(conj_tau[..., i, None] * (g @ xp.conj(w)[..., :, None])[..., 0]
                    + tau[..., i, None] * (x @ xp.conj(z)[..., :, None])[..., 0])
            columns.append(xp.where(rows > i, g_v, 0))  # only A's entries below the diagonal hold v_i
            g = g - conj_tau[..., i, None, None] * v[..., :, None] * z[..., None, :]
        columns += [xp.zeros(tuple(a.shape[:-1]), dtype=a.dtype)] * (n - len(columns))  # columns past k: unused
        grad_tau = xp.stack(grad_tau, axis=-1) if grad_tau else xp.zeros_like(tau)
        return (xp.stack(columns, axis=-1) if columns else xp.zeros_like(a)), grad_tau


def householder_product(A: Any, tau: Any) -> Tensor:  # noqa: N803
    """torch.linalg.householder_product (torch.orgqr): the first n columns of H_1 ... H_k."""
    op = "torch.linalg.householder_product"
    a, t = check_matrix(op, A, complex_ok=True), as_tensor(tau)
    m, n = a.shape[-2:]
    if m < n:
        raise RuntimeError(f"{op}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if t.ndim != a.ndim - 1 or tuple(t.shape[:-1]) != tuple(a.shape[:-2]):
        raise RuntimeError(f"{op}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
                           f"tau of shape {tuple(t.shape)} for input of shape {tuple(a.shape)}")
    if t.shape[-1] > n:
        raise RuntimeError(f"{op}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if t.dtype != a.dtype:
        raise RuntimeError(f"{op}: tau dtype {t.dtype} does not match input dtype {a.dtype}")
    check_float(op, t, complex_ok=True)
    return HouseholderProduct.apply(a, t)


class GeqrfFactor(Factor):
    """``a`` or ``tau`` of ``geqrf``: not differentiable, as in torch (the backward raises torch's error rather
    than let a gradient through them be silently zero)."""

    @staticmethod
    def rule(grads: list[Any], factors: tuple[Any, ...]) -> Any:
        raise NotImplementedError("the derivative for 'geqrf' is not implemented.")


def geqrf(input: Any) -> Any:  # noqa: A002
    """torch.geqrf: LAPACK's QR as stored: ``a`` holds R on and above the diagonal and the reflectors
    below it, ``tau`` their factors (no gradient, as in torch: a backward through them raises)."""
    a = check_matrix("geqrf", input, complex_ok=True)
    xp = backend.xp
    m, n = a.shape[-2:]
    packed = xp.empty(a.shape, dtype=a.dtype)
    tau = xp.empty(a.shape[:-2] + (min(m, n),), dtype=a.dtype)
    for index in numpy.ndindex(*a.shape[:-2]):
        h, t = xp.linalg.qr(a.array[index], mode="raw")  # h is the packed matrix transposed
        packed[index], tau[index] = h.T, t
    return return_types.geqrf(*GeqrfFactor.outputs(a, (packed, tau)))


def ormqr(input: Any, tau: Any, other: Any, left: bool = True, transpose: bool = False) -> Tensor:  # noqa: A002
    """torch.ormqr: Q C, C Q, Q^H C or C Q^H for the full m x m Q of ``geqrf``'s (input, tau) (``transpose``:
    the conjugate transpose, as torch's)."""
    a, c = check_matrix("ormqr", input, complex_ok=True), as_tensor(other)
    side = -2 if left else -1
    if as_tensor(tau).shape[-1] != min(c.shape[side], a.shape[-1]):
        raise RuntimeError(f"torch.ormqr: tau.shape[-1] must be equal to min(other.shape[{side}], input.shape[-1])")
    m = a.shape[-2]
    if a.shape[-1] < m:  # the full Q: pad with zero columns (their tau are absent, so they reflect nothing)
        pad = Tensor(backend.xp.zeros(a.shape[:-1] + (m - a.shape[-1],), dtype=a.dtype))
        a = cat([a, pad], dim=-1)
    q = householder_product(a[..., :, :m], tau)
    q = q.mH if transpose else q
    return q @ c if left else c @ q
