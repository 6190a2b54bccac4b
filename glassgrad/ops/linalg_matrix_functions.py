"""Functions of a matrix and chained products: ``matrix_exp``, ``matrix_power``, ``multi_dot``.

matrix_exp(A) = sum_k A^k / k!  (SciPy's expm: scaling and squaring with a Pade approximant). Its
backward uses a classic identity for any analytic f (Mathias, 1996): the block matrix

    f([[A^H, G], [0, A^H]]) = [[f(A^H), D], [0, f(A^H)]]

has in its upper-right block D the directional derivative of f at A^H in the direction G, which is the
gradient gA of  <G, f(A)> = Re tr(G^H f(A))  (torch computes it the same way; ^H the conjugate transpose,
the transpose for a real A: exp has real Taylor coefficients, so f(A)^H = f(A^H) and one formula serves
both). So one exponential of a 2n x 2n matrix gives the gradient.

matrix_power and multi_dot are products of matmuls (and an inverse for a negative power), so their
gradients are those of ``matmul`` and ``linalg.inv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import scipy.linalg

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.linalg_common import check_matrix, mH
from glassgrad.ops.linalg_inverse import inv
from glassgrad.tensor import Tensor, as_tensor


def expm(a: Any) -> Any:
    """e^A on arrays, batched (the empty matrix and empty batches included)."""
    if a.size == 0:
        return a.copy()
    return scipy.linalg.expm(a).astype(a.dtype, copy=False)


class MatrixExp(Op):
    """e^A;  gA = the upper-right block of exp([[A^H, G], [0, A^H]])  (module docstring)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return expm(a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        (a,) = ctx.saved
        n = a.shape[-1]
        top = xp.concatenate([mH(a), grad], axis=-1)
        bottom = xp.concatenate([xp.zeros_like(grad), mH(a)], axis=-1)
        block = xp.concatenate([top, bottom], axis=-2)  # [[A^H, G], [0, A^H]]
        exp_block = MatrixExp.apply(block) if isinstance(block, Tensor) else expm(block)  # (recorded on Tensors)
        return exp_block[..., :n, n:]


def matrix_exp(A: Any) -> Tensor:  # noqa: N803
    """torch.linalg.matrix_exp (torch.matrix_exp): the exponential of each square matrix."""
    return MatrixExp.apply(check_matrix("linalg.matrix_exp", A, square=True, complex_ok=True))


def matrix_power(A: Any, n: int) -> Tensor:  # noqa: N803
    """torch.linalg.matrix_power: A^n by repeated squaring; n = 0 gives the identity, n < 0 the power of
    A^{-1}."""
    a = as_tensor(A)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but they are "
                           f"{' by '.join(str(d) for d in a.shape[-2:]) if a.ndim >= 2 else a.ndim} matrices")
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"linalg.matrix_power: n must be an int, got {type(n).__name__}")
    if n == 0:  # the identity, written over a copy of A as torch does: its gradient in A is zero
        return a.clone().copy_(Tensor(backend.xp.eye(a.shape[-1], dtype=a.dtype)))
    if n < 0:
        a, n = inv(a), -n
    result, square = None, a
    while n:  # binary exponentiation: multiply in the squares of the set bits of n
        if n & 1:
            result = square if result is None else result @ square
        n >>= 1
        if n:
            square = square @ square
    return result


def multi_dot(tensors: Sequence[Any]) -> Tensor:
    """torch.linalg.multi_dot: the product of two or more matrices; the first may be a vector (1, n)
    and the last a vector (n, 1), and their dimension is then dropped from the result."""
    ts = [as_tensor(t) for t in tensors]
    if len(ts) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(ts)}")
    for position, t in enumerate(ts):
        allowed = (1, 2) if position in (0, len(ts) - 1) else (2,)
        if t.ndim not in allowed:
            kind = "first" if position == 0 else "last" if position == len(ts) - 1 else f"{position}"
            raise RuntimeError(f"multi_dot(): the {kind} tensor must be {' or '.join(f'{d}D' for d in allowed)} "
                               f"but got {t.ndim}D")
        if t.dtype != ts[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor 0 is {ts[0].dtype} "
                               f"and tensor {position} {t.dtype}")
    first_vector, last_vector = ts[0].ndim == 1, ts[-1].ndim == 1
    ts[0] = ts[0].unsqueeze(0) if first_vector else ts[0]
    ts[-1] = ts[-1].unsqueeze(-1) if last_vector else ts[-1]
    for left, right in zip(ts, ts[1:]):
        if left.shape[-1] != right.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors cannot be multiplied ({left.shape[0]}x{left.shape[1]} and "
                               f"{right.shape[0]}x{right.shape[1]})")
    result = ts[0]
    for t in ts[1:]:
        result = result @ t
    if first_vector:
        result = result.squeeze(0)
    if last_vector:
        result = result.squeeze(-1)
    return result


def chain_matmul(*matrices: Any) -> Tensor:
    """torch.chain_matmul (deprecated in torch for multi_dot): the product of two or more matrices."""
    if len(matrices) == 1:
        return as_tensor(matrices[0])
    return multi_dot(matrices)
