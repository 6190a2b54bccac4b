"""Matrix product with NumPy/torch semantics: 1-D, 2-D and batched (broadcast).

For C = A B (the last two axes):  dA = dC B^T,  dB = A^T dC.
A 1-D A is treated as a row (1, k) and a 1-D B as a column (k, 1); the added
axis is removed from the result and from the gradients.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.kernels import sums
from glassgrad.op import Context, Op
from glassgrad.ops.promotion import check_layer_input_dtype
from glassgrad.sparse.coo import SparseTensor
from glassgrad.sparse.products import sparse_matmul
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["linear", "matmul"]
TORCH_NAMES = ["matmul"]
FUNCTIONAL_NAMES = ["linear"]


def rows(x: Any) -> Any:
    """(..., k) -> (M, k): every leading axis folded into the rows of one matrix (a view when it can be).

    A stack of rows times one matrix is ONE matrix product: NumPy's matmul would loop over the
    stack instead, 2.5-3.7x slower (measured: (12, 64, 128) @ (128, 512) 625 us stacked,
    243 us as (768, 128) @ (128, 512)).
    """
    return x.reshape(math.prod(x.shape[:-1]), x.shape[-1])  # not -1: x may have no elements


class MatMul(Op):
    """C = A @ B;  dA = dC @ B^T,  dB = A^T @ dC (batch axes reduced by the engine).

    A stacked A (..., n, k) times a matrix B (k, m) is one product of rows(A) (M, k) with B;
    then dB = rows(A)^T rows(dC) sums over the stack in the same product.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        if a.ndim > 2 and b.ndim == 2:
            return (rows(a) @ b).reshape(a.shape[:-1] + b.shape[-1:])
        return a @ b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        a, b = ctx.saved
        if a.ndim > 2 and b.ndim == 2:
            da = (rows(grad) @ b.T).reshape(a.shape) if ctx.needs_input_grad[0] else None
            db = rows(a).T @ rows(grad) if ctx.needs_input_grad[1] else None
            return da, db
        a2 = a[None, :] if a.ndim == 1 else a  # (..., n, k)
        b2 = b[:, None] if b.ndim == 1 else b  # (..., k, m)
        g = grad  # re-insert the axes a 1-D operand dropped; the column first, so 1-D @ 1-D
        if b.ndim == 1:  # (a 0-d grad) becomes (1,) and then (1, 1)
            g = xp.expand_dims(g, -1)
        if a.ndim == 1:
            g = xp.expand_dims(g, -2)  # g: (..., n, m)
        da = db = None
        if ctx.needs_input_grad[0]:
            da = g @ b2.swapaxes(-1, -2)  # (the method: NumPy's function form is three Python calls)
            if a.ndim == 1:
                da = da[..., 0, :]
        if ctx.needs_input_grad[1]:
            db = a2.swapaxes(-1, -2) @ g
            if b.ndim == 1:
                db = db[..., :, 0]
        return da, db


def matmul(a: Any, b: Any) -> Tensor:
    """a @ b."""
    a = a if isinstance(a, Tensor) else as_tensor(a)
    b = b if isinstance(b, Tensor) else as_tensor(b)
    if isinstance(a, SparseTensor) or isinstance(b, SparseTensor):  # a sparse COO matrix: glassgrad/sparse/
        return sparse_matmul("matmul", a, b)
    shape_a, shape_b = a.array.shape, b.array.shape
    if not shape_a or not shape_b:
        raise OpInputError(f"matmul: both operands need at least 1 dim, got shapes {shape_a} and {shape_b}")
    k_a = shape_a[-1]
    k_b = shape_b[0] if len(shape_b) == 1 else shape_b[-2]
    if k_a != k_b:
        raise OpInputError(f"matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} are not aligned ({k_a} != {k_b})")
    if a.array.dtype != b.array.dtype and "c" in (a.dtype.kind, b.dtype.kind):  # torch promotes no complex product
        raise RuntimeError(f"matmul: expected m1 and m2 to have the same dtype, but got: {a.dtype} != {b.dtype}")
    return MatMul.apply(a, b)


class Linear(Op):
    """y = x W^T + b (x: (..., in), W: (out, in), b: (out,)), one op for speed;
    dx = dy W,  dW = dy^T x (summed over the leading axes),  db = sum of dy."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None) -> Any:
        ctx.save_for_backward(x, weight)
        y = rows(x) @ weight.T  # (N, out): the leading axes as rows of one product
        if bias is not None:
            y += bias
        return y.reshape(x.shape[:-1] + y.shape[-1:])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        x, weight = ctx.saved
        g2 = rows(grad)  # (N, out)
        dx = (g2 @ weight).reshape(x.shape) if ctx.needs_input_grad[0] else None
        dw = g2.T @ rows(x) if ctx.needs_input_grad[1] else None
        if len(ctx.needs_input_grad) == 2:
            return dx, dw
        db = sums.sum_leading(g2, 1) if ctx.needs_input_grad[2] else None  # g2.sum(axis=0), by BLAS
        return dx, dw, db


def linear(input: Any, weight: Any, bias: Any = None) -> Tensor:  # noqa: A002
    """x @ weight.T + bias, as torch.nn.functional.linear.

    The one place that checks a linear layer's input: ``nn.Linear`` calls this and checks nothing
    itself, so the messages name the layer a weight of shape (out, in) belongs to, Linear(in, out).
    """
    weight = as_tensor(weight)
    if weight.ndim != 2:
        raise OpInputError(f"linear: weight must be 2-D (out_features, in_features), got shape {tuple(weight.shape)}")
    layer = f"a Linear({weight.shape[1]}, {weight.shape[0]})"  # the layer whose weight this is
    if input is None or isinstance(input, str):
        raise TypeError(f"linear: the input of {layer} (weight of shape {tuple(weight.shape)}) must be a Tensor, "
                        f"got {type(input).__name__}")
    x = as_tensor(input)
    if x.ndim < 1 or x.shape[-1] != weight.shape[1]:
        raise OpInputError(f"linear: {layer} takes inputs whose last axis has {weight.shape[1]} features; got "
                           f"input of shape {tuple(x.shape)} for its weight of shape {tuple(weight.shape)}")
    check_layer_input_dtype("linear", x, weight)
    if bias is None:
        return Linear.apply(x, weight)
    bias = as_tensor(bias)
    if bias.shape != (weight.shape[0],):
        raise OpInputError(f"linear: bias shape {tuple(bias.shape)} must be ({weight.shape[0]},)")
    return Linear.apply(x, weight, bias)
