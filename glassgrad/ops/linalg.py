"""Matrix and vector products with torch's names and shape rules.

``matmul`` (in ``matmul.py``) accepts any ranks and broadcasts; the products
here each accept exactly one layout and say so when they get another:

==========  ====================  ======================  ==============
op          input                 other                   result
==========  ====================  ======================  ==============
mm          (n, k)                (k, m)                  (n, m)
bmm         (b, n, k)             (b, k, m)               (b, n, m)
mv          (n, k)                (k,)                    (n,)
dot, vdot   (k,)                  (k,)                    ()
outer, ger  (n,)                  (m,)                    (n, m)
kron        (a0, a1, ...)         (b0, b1, ...)           (a0*b0, a1*b1, ...)
==========  ====================  ======================  ==============

mm, bmm, mv and dot are ``MatMul`` (dA = dC B^T, dB = A^T dC) after their
shape check. The add-products ``addmm``, ``addmv``, ``baddbmm``, ``addbmm``
compute ``beta * input + alpha * product`` from those ops, so their gradients
follow from the product's and the sum's. ``trace`` is the einsum "ii->". ``einsum`` and
``tensordot`` live in ``einsum.py``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.bitwise import logical_and, logical_or
from glassgrad.ops.einsum import einsum
from glassgrad.ops.matmul import MatMul
from glassgrad.ops.type_promotion import result_type
from glassgrad.sparse.coo import SparseTensor
from glassgrad.sparse.products import sparse_matmul
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "addbmm", "addmm", "addmv", "addr", "baddbmm", "bmm", "dot", "ger", "kron", "mm", "mv", "outer", "trace",
    "vdot",
]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def _shape_text(t: Tensor) -> str:
    """A shape as torch prints it in these errors: ``2x3``."""
    return "x".join(str(n) for n in t.shape) or "scalar"


def _check_dims(op: str, name: str, t: Tensor, ndim: int) -> None:
    if t.ndim != ndim:
        kinds = {1: "a vector (1-D)", 2: "a matrix (2-D)", 3: "a batch of matrices (3-D)"}
        raise RuntimeError(f"{op}: {name} must be {kinds[ndim]}, got a {t.ndim}-D tensor of shape {tuple(t.shape)}")


def _check_same_dtype(op: str, a: Tensor, b: Tensor) -> None:
    if a.dtype != b.dtype:
        raise RuntimeError(f"{op}: expected both operands to have the same dtype, but got {a.dtype} and {b.dtype}")


# ----- products that are MatMul with a strict shape check ---------------------------------------
def mm(input: Any, mat2: Any) -> Tensor:  # noqa: A002  (torch's argument name)
    """The matrix product of ``input`` (n, k) and ``mat2`` (k, m): shape (n, m).

    Unlike ``matmul`` it neither broadcasts nor accepts vectors.
    """
    a, b = as_tensor(input), as_tensor(mat2)
    if isinstance(a, SparseTensor) or isinstance(b, SparseTensor):  # a sparse COO matrix: glassgrad/sparse/
        return sparse_matmul("mm", a, b)
    _check_dims("mm", "input", a, 2)
    _check_dims("mm", "mat2", b, 2)
    _check_same_dtype("mm", a, b)
    if a.shape[1] != b.shape[0]:
        raise RuntimeError(f"mm: mat1 and mat2 shapes cannot be multiplied ({_shape_text(a)} and {_shape_text(b)})")
    return MatMul.apply(a, b)


def bmm(input: Any, mat2: Any) -> Tensor:  # noqa: A002
    """Batched matrix product: ``input`` (b, n, k) times ``mat2`` (b, k, m) is (b, n, m), no broadcasting."""
    a, b = as_tensor(input), as_tensor(mat2)
    _check_dims("bmm", "input", a, 3)
    _check_dims("bmm", "mat2", b, 3)
    _check_same_dtype("bmm", a, b)
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(
            f"bmm: expected mat2 of shape ({a.shape[0]}, {a.shape[2]}, m) to match input of shape "
            f"{tuple(a.shape)}, got {tuple(b.shape)}"
        )
    return MatMul.apply(a, b)


def mv(input: Any, vec: Any) -> Tensor:  # noqa: A002
    """Matrix times vector: ``input`` (n, k) times ``vec`` (k,) is (n,)."""
    a, v = as_tensor(input), as_tensor(vec)
    _check_dims("mv", "input", a, 2)
    _check_dims("mv", "vec", v, 1)
    _check_same_dtype("mv", a, v)
    if a.shape[1] != v.shape[0]:
        raise RuntimeError(f"mv: size mismatch, got matrix ({_shape_text(a)}) and vector ({v.shape[0]})")
    return MatMul.apply(a, v)


def dot(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The inner product sum_i a_i b_i of two vectors of the same length: a 0-d tensor."""
    a, b = as_tensor(input), as_tensor(other)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"dot: 1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    _check_same_dtype("dot", a, b)
    if a.shape[0] != b.shape[0]:
        raise RuntimeError(f"dot: inconsistent tensor size, got vectors of {a.shape[0]} and {b.shape[0]} elements")
    return MatMul.apply(a, b)


def vdot(input: Any, other: Any) -> Tensor:  # noqa: A002
    """conj(a) . b: ``dot`` of the conjugate of the first vector (for real vectors, ``dot``)."""
    a = as_tensor(input)
    return dot(a.conj() if a.dtype.kind == "c" else a, other)


def trace(input: Any) -> Tensor:  # noqa: A002
    """The sum of a matrix's main diagonal, sum_i x_ii for i < min(n, m): the einsum "ii->"
    (its gradient is the identity matrix times the upstream gradient)."""
    x = as_tensor(input)
    if x.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got a tensor of shape {tuple(x.shape)}")
    k = min(x.shape)
    square = x if x.shape[0] == x.shape[1] else x[:k, :k]
    return einsum("ii->", square)


# ----- outer and Kronecker products -------------------------------------------------------------
class Outer(Op):
    """C_ij = a_i b_j;  dC/da: da_i = sum_j dC_ij b_j = (dC b)_i,  db_j = sum_i dC_ij a_i = (dC^T a)_j."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a[:, None] * b[None, :]  # (n, 1) * (1, m) -> (n, m)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        da = grad @ b if ctx.needs_input_grad[0] else None  # (n, m) @ (m,) -> (n,)
        db = grad.T @ a if ctx.needs_input_grad[1] else None  # (m, n) @ (n,) -> (m,)
        return da, db


def outer(input: Any, vec2: Any) -> Tensor:  # noqa: A002
    """The outer product of two vectors: (n,) and (m,) give (n, m)."""
    a, b = as_tensor(input), as_tensor(vec2)
    _check_dims("outer", "input", a, 1)
    _check_dims("outer", "vec2", b, 1)
    _check_same_dtype("outer", a, b)
    return Outer.apply(a, b)


ger = outer  # torch's older name


class Kron(Op):
    """The Kronecker product of a and b (same rank d; the lower rank is padded with leading 1s).

    Viewed with each output axis split in two, C[i0, j0, i1, j1, ...] = a[i0, i1, ...] * b[j0, j1, ...],
    so  da = sum over the j axes of dC * b,  db = sum over the i axes of dC * a.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return backend.xp.kron(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        a, b = ctx.saved
        d = max(a.ndim, b.ndim)
        a_shape = (1,) * (d - a.ndim) + a.shape
        b_shape = (1,) * (d - b.ndim) + b.shape
        split = tuple(n for pair in zip(a_shape, b_shape) for n in pair)  # (a0, b0, a1, b1, ...)
        g = grad.reshape(split)
        a_axes = "".join(chr(ord("a") + 2 * k) for k in range(d))  # "ace..." : the i axes
        b_axes = "".join(chr(ord("a") + 2 * k + 1) for k in range(d))  # "bdf..." : the j axes
        g_axes = "".join(a + b for a, b in zip(a_axes, b_axes))
        da = db = None
        if ctx.needs_input_grad[0]:
            da = xp.einsum(f"{g_axes},{b_axes}->{a_axes}", g, b.reshape(b_shape), optimize=True).reshape(a.shape)
        if ctx.needs_input_grad[1]:
            db = xp.einsum(f"{g_axes},{a_axes}->{b_axes}", g, a.reshape(a_shape), optimize=True).reshape(b.shape)
        return da, db


def kron(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The Kronecker product: block (i0, i1, ...) of the result is input[i0, i1, ...] * other."""
    a, b = as_tensor(input), as_tensor(other)
    _check_same_dtype("kron", a, b)
    return Kron.apply(a, b)


# ----- beta * input + alpha * product -----------------------------------------------------------
def _scaled_sum(op: str, input: Any, product: Tensor, beta: float, alpha: float) -> Tensor:  # noqa: A002
    """beta * input + alpha * product, with ``input`` broadcast to the product's shape.

    As in torch, beta = 0 ignores ``input`` altogether (a NaN in it does not spread). On integer
    tensors alpha and beta become integers first (``_integral_scalar``); on bool tensors the sum is
    ``(beta and input) or (alpha and product)``.
    """
    input = as_tensor(input)  # noqa: A001
    try:
        fits = numpy.broadcast_shapes(input.shape, product.shape) == product.shape
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"{op}: input of shape {tuple(input.shape)} does not broadcast to the product's shape "
            f"{tuple(product.shape)}"
        )
    dtype = result_type(input, product)
    if dtype.kind not in "fc":  # integer or bool: alpha and beta converted as torch
        beta, alpha = _integral_scalar(op, "beta", beta, dtype), _integral_scalar(op, "alpha", alpha, dtype)
    if dtype.kind == "b":
        out = product if alpha else logical_and(product, False)
        return logical_or(out, input) if beta else out
    out = product if alpha == 1 else product * alpha
    if beta == 0:
        return out
    return out + (input if beta == 1 else input * beta)


def _integral_scalar(op: str, name: str, value: Any, dtype: numpy.dtype) -> int | bool:
    """``alpha`` or ``beta`` for an integer or bool result, as torch converts it: a float is cut
    toward zero (2.9 -> 2, -1.5 -> -1) and must fit ``dtype``; ``addr`` refuses a float, and a bool
    unless the result is bool."""
    if op == "addr" and isinstance(value, bool | numpy.bool_) and dtype.kind != "b":
        raise RuntimeError(f"{op}: Boolean {name} only supported for Boolean results.")
    if op == "addr" and not isinstance(value, bool | int | numpy.integer | numpy.bool_):
        raise RuntimeError(f"{op}: For integral input tensors, argument {name} must not be a floating point number.")
    if dtype.kind == "b":
        return bool(value)
    whole = int(value) if isinstance(value, bool | int | numpy.integer | numpy.bool_) else math.trunc(float(value))
    limits = numpy.iinfo(dtype)
    if not limits.min <= whole <= limits.max:
        raise RuntimeError(f"{op}: {name}={value!r}: value cannot be converted to type {dtype} without overflow")
    return whole


def addmm(input: Any, mat1: Any, mat2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * (mat1 @ mat2), with mat1 (n, k), mat2 (k, m), input broadcast to (n, m)."""
    return _scaled_sum("addmm", input, mm(mat1, mat2), beta, alpha)


def addmv(input: Any, mat: Any, vec: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * (mat @ vec), with mat (n, k), vec (k,), input broadcast to (n,)."""
    return _scaled_sum("addmv", input, mv(mat, vec), beta, alpha)


def baddbmm(input: Any, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * bmm(batch1, batch2): (b, n, m), input broadcast to it."""
    return _scaled_sum("baddbmm", input, bmm(batch1, batch2), beta, alpha)


def addbmm(input: Any, batch1: Any, batch2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * sum_b batch1[b] @ batch2[b]: (n, m), the batch summed away."""
    return _scaled_sum("addbmm", input, bmm(batch1, batch2).sum(0), beta, alpha)


def addr(input: Any, vec1: Any, vec2: Any, *, beta: float = 1, alpha: float = 1) -> Tensor:  # noqa: A002
    """beta * input + alpha * outer(vec1, vec2): (n, m), input broadcast to it."""
    return _scaled_sum("addr", input, outer(vec1, vec2), beta, alpha)
