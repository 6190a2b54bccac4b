"""The inverse, the determinant and linear solves of (batches of) square matrices, differentiable.

All three take ``(..., n, n)`` matrices; leading dimensions are batches. The derivations use one fact:
differentiating ``A A^{-1} = I`` gives ``d(A^{-1}) = -A^{-1} (dA) A^{-1}``.

Complex matrices run the complex twins of these ops (ops/complex_forms.py: inverse, determinant and solve
are holomorphic with real coefficients, so their backward with the saved values conjugated is the complex
one, the transposes becoming conjugate transposes: dA = -Y^H dY Y^H for the inverse).

The matrices are assumed invertible; a singular matrix raises torch's error (``inv``, ``solve``) or,
for ``det``, gives a zero determinant whose gradient is computed with the pseudo-inverse (exact for a
matrix of rank n - 1 only through torch's SVD route, which glassgrad does not follow: see ``Det``).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor


def _transpose(a: Any) -> Any:
    return backend.xp.swapaxes(a, -1, -2)


def _check_square(op: str, a: Tensor) -> None:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.{op}: A must be batches of square matrices, but they are "
                           f"{'x'.join(str(n) for n in a.shape[-2:]) if a.ndim >= 2 else a.ndim} "
                           f"(input shape {tuple(a.shape)})")
    if a.dtype.kind not in "fc":
        raise RuntimeError(f"linalg.{op}: expected a floating point or complex tensor, got {a.dtype}")


def _singular(op: str, err: Exception) -> RuntimeError:
    return RuntimeError(f"linalg.{op}: the input matrix is singular (not invertible), so there is no unique "
                        f"solution ({err})")


class Inverse(Op):
    """Y = A^{-1}.

    From d(A^{-1}) = -Y dA Y, the loss L changes by  <dY_out, -Y dA Y> = <-Y^T dY_out Y^T, dA>, so
        dA = -Y^T dY Y^T.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        try:
            y = backend.xp.linalg.inv(a)
        except backend.xp.linalg.LinAlgError as err:
            raise _singular("inv", err) from err
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        y_t = _transpose(y)
        return -(y_t @ grad @ y_t)


class Det(Op):
    """y = det(A).

    Jacobi's formula: d det(A) = det(A) tr(A^{-1} dA), so  dL = dy_out det(A) <A^{-T}, dA>  and
        dA = dy det(A) A^{-T}.
    For a singular A this is 0 * inf; glassgrad then uses the adjugate through the pseudo-inverse,
    adj(A)^T = det(A) A^{-T}, which is 0 for rank < n - 1 and only approximate at rank n - 1.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        y = backend.xp.asarray(backend.xp.linalg.det(a), dtype=a.dtype)  # (a 0-d array, not a NumPy scalar)
        ctx.save_for_backward(a, y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, y = ctx.saved
        xp = backend.xp
        try:
            inv_t = _transpose(xp.linalg.inv(a))
        except (xp.linalg.LinAlgError, RuntimeError):  # (glassgrad's inv on a Tensor raises RuntimeError)
            inv_t = _transpose(xp.linalg.pinv(a))
        return (grad * y)[..., None, None] * inv_t


class Solve(Op):
    """X = A^{-1} B, the solution of A X = B (B a batch of matrices (..., n, k)).

    From A X = B:  dA X + A dX = dB, so dX = A^{-1} (dB - dA X). Then
        dL = <G, A^{-1} dB> - <G, A^{-1} dA X>  with G = dX_out,
    giving  dB = A^{-T} G  and  dA = -A^{-T} G X^T = -dB X^T.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            x = backend.xp.linalg.solve(a, b)
        except backend.xp.linalg.LinAlgError as err:
            raise _singular("solve", err) from err
        ctx.save_for_backward(a, x)
        return x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, x = ctx.saved
        grad_b = backend.xp.linalg.solve(_transpose(a), grad)
        return -(grad_b @ _transpose(x)), grad_b


def inv(A: Any) -> Tensor:  # noqa: N803  (torch's argument name)
    """The inverse of each square matrix in ``A`` (..., n, n): torch.linalg.inv, torch.inverse."""
    a = as_tensor(A)
    _check_square("inv", a)
    return Inverse.apply(a)


def det(A: Any) -> Tensor:  # noqa: N803
    """The determinant of each square matrix in ``A`` (..., n, n) -> (...): torch.linalg.det, torch.det."""
    a = as_tensor(A)
    _check_square("det", a)
    return Det.apply(a)


def solve(A: Any, B: Any, *, left: bool = True) -> Tensor:  # noqa: N803
    """X with A X = B (torch.linalg.solve). ``B`` is (..., n, k), or a vector (n,) / (..., n) when its
    shape is A's without the last dimension (torch's rule); batch dimensions broadcast.
    ``left=False`` solves X A = B instead (X = (A^T \\ B^T)^T)."""
    a, b = as_tensor(A), as_tensor(B)
    _check_square("solve", a)
    if b.dtype != a.dtype:
        raise RuntimeError(f"linalg.solve: expected A and B to have the same dtype, but got A: {a.dtype} "
                           f"and B: {b.dtype}")
    if not left:
        return solve(a.mT, b.mT).mT
    n = a.shape[-1]
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    if vector:
        b = b.unsqueeze(-1)
    if b.shape[-2] != n:
        raise RuntimeError(f"linalg.solve: incompatible shapes of A {tuple(a.shape)} and B {tuple(B.shape)}: "
                           f"B must have {n} rows")
    x = Solve.apply(a, b)
    return x.squeeze(-1) if vector else x
