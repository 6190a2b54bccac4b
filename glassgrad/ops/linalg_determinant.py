"""The log-determinant: ``slogdet`` (sign and log|det|) and ``logdet``, differentiable.

log|det A| has the derivative A^{-T} (Jacobi's formula divided by det A: d det A = det A tr(A^{-1} dA)),
so for the upstream gradient g

    gA = g A^{-T}

and the sign, piecewise constant, has none. ``logdet`` is log|det A| where det A > 0, NaN where it is
negative and -inf where it is zero, as torch. A singular matrix's log|det| is -inf, and its gradient
does not exist: glassgrad raises at backward (A^{-T} does not exist).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, return_types
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import LinAlgError, check_matrix, mT
from glassgrad.tensor import Tensor


class LogAbsDet(Op):
    """log|det A|;  gA = g A^{-T}."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        _, logabsdet = backend.xp.linalg.slogdet(a)
        ctx.save_for_backward(a)
        return backend.xp.asarray(logabsdet, dtype=a.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        xp = backend.xp
        try:
            inverse_t = mT(xp.linalg.inv(a))
        except xp.linalg.LinAlgError as err:
            raise LinAlgError("linalg.slogdet backward: the matrix is singular, so log|det A| = -inf has no "
                              "gradient") from err
        return grad[..., None, None] * inverse_t


def _sign_and_log(op: str, A: Any) -> tuple[Tensor, Tensor]:  # noqa: N803
    a = check_matrix(op, A, square=True)
    sign, _ = backend.xp.linalg.slogdet(a.array)
    return Tensor(backend.xp.asarray(sign, dtype=a.dtype)), LogAbsDet.apply(a)


def slogdet(A: Any) -> Any:  # noqa: N803
    """torch.linalg.slogdet: (sign, logabsdet) with det A = sign * exp(logabsdet); sign 0 and logabsdet
    -inf for a singular matrix."""
    return return_types.linalg_slogdet(*_sign_and_log("linalg.slogdet", A))


def slogdet_legacy(input: Any) -> Any:  # noqa: A002
    """torch.slogdet: the same as linalg.slogdet, under torch's older result name."""
    return return_types.slogdet(*_sign_and_log("linalg.slogdet", input))


def logdet(input: Any) -> Tensor:  # noqa: A002
    """torch.logdet: log det A; NaN where det A < 0, -inf where det A = 0."""
    sign, logabsdet = _sign_and_log("logdet", input)
    nan = Tensor(backend.xp.asarray(backend.xp.nan, dtype=logabsdet.dtype))
    return logabsdet.where(sign >= 0, nan)
