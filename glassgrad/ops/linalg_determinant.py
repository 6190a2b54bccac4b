"""The log-determinant: ``slogdet`` (sign and log|det|) and ``logdet``, differentiable, for real and complex
matrices.

det A = sign * exp(logabsdet), logabsdet = log|det A| real, sign = det A / |det A| (+-1 for real A, a complex
number of modulus 1 for complex A). Jacobi's formula, d det A = det A tr(A^{-1} dA), gives
d log det A = tr(A^{-1} dA), whose real part is d logabsdet and whose imaginary part turns the sign:
d sign = sign * i Im tr(A^{-1} dA). Read as <gA, dA> = Re tr(gA^H dA), for upstream gradients g (of
logabsdet) and h (of sign):

    gA = g A^{-H}                         (logabsdet; A^{-T} for real A)
    gA = i Im(conj(sign) h) A^{-H}        (sign; zero for real A, whose sign is piecewise constant)

``logdet`` is log|det A| where det A > 0, NaN where it is negative and -inf where it is zero, as torch. A
singular matrix's log|det| is -inf, and its gradient does not exist: glassgrad raises at backward (A^{-H}
does not exist).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.dtypes import real_of
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import LinAlgError, check_matrix, mH
from glassgrad.tensor import Tensor


def _inverse_adjoint(a: Any) -> Any:
    """A^{-H}, the gradient of log det A; LinAlgError for a singular A."""
    xp = backend.xp
    try:
        return mH(xp.linalg.inv(a))
    except xp.linalg.LinAlgError as err:
        raise LinAlgError("linalg.slogdet backward: the matrix is singular, so log|det A| = -inf has no "
                          "gradient") from err


class LogAbsDet(Op):
    """log|det A| (real);  gA = g A^{-H}."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        _, logabsdet = backend.xp.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return backend.xp.asarray(logabsdet, dtype=real_of(a.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        return grad[..., None, None] * _inverse_adjoint(a)


class DeterminantSign(Op):
    """sign = det A / |det A|;  gA = i Im(conj(sign) h) A^{-H} (zero for a real A: None)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        sign, _ = backend.xp.linalg.slogdet(a)
        sign = backend.xp.asarray(sign, dtype=a.dtype)
        ctx.save_for_backward(a, sign)
        return sign

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, sign = ctx.saved
        if a.dtype.kind != "c":
            return None
        turn = 1j * backend.xp.asarray((backend.xp.conj(sign) * grad).imag)  # (a 0-d array, not a NumPy scalar)
        return turn[..., None, None] * _inverse_adjoint(a)


def _sign_and_log(op: str, A: Any) -> tuple[Tensor, Tensor]:  # noqa: N803
    a = check_matrix(op, A, square=True, complex_ok=True)
    return DeterminantSign.apply(a), LogAbsDet.apply(a)


def slogdet(A: Any) -> Any:  # noqa: N803
    """torch.linalg.slogdet: (sign, logabsdet) with det A = sign * exp(logabsdet); sign 0 and logabsdet
    -inf for a singular matrix."""
    return return_types.linalg_slogdet(*_sign_and_log("linalg.slogdet", A))


def slogdet_legacy(input: Any) -> Any:  # noqa: A002
    """torch.slogdet: the same as linalg.slogdet, under torch's older result name."""
    return return_types.slogdet(*_sign_and_log("linalg.slogdet", input))


def logdet(input: Any) -> Tensor:  # noqa: A002
    """torch.logdet: log det A; for real A, NaN where det A < 0 and -inf where det A = 0; for complex A, the
    complex logarithm logabsdet + log(sign) (its imaginary part the angle of det A)."""
    sign, logabsdet = _sign_and_log("logdet", input)
    if sign.dtype.kind == "c":
        return logabsdet.to(sign.dtype) + sign.log()
    nan = Tensor(backend.xp.asarray(backend.xp.nan, dtype=logabsdet.dtype))
    return logabsdet.where(sign >= 0, nan)
