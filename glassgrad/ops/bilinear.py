"""The bilinear form of two inputs, torch.bilinear / torch.nn.functional.bilinear (nn.Bilinear's op).

For each output feature o, a matrix W_o (in1, in2) pairs every feature of x1 with every feature of x2:

    y[..., o] = sum_{i, j} x1[..., i] W[o, i, j] x2[..., j]  (+ b[o])

y is linear in each input with the others held fixed, so each gradient is the same sum with the
input's own index left free (g = dL/dy):

    dx1[..., i] = sum_{o, j} g[..., o] W[o, i, j] x2[..., j]
    dx2[..., j] = sum_{o, i} g[..., o] W[o, i, j] x1[..., i]
    dW[o, i, j] = sum_{...} g[..., o] x1[..., i] x2[..., j]      (summed over the leading axes)

The bias is added after the op (``+``), whose backward sums g over the leading axes: db[o] = sum g[..., o].
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.promotion import check_layer_input_dtype
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["bilinear"]
TORCH_NAMES = ["bilinear"]
FUNCTIONAL_NAMES = ["bilinear"]


class Bilinear(Op):
    """y[..., o] = x1[..., i] W[o, i, j] x2[..., j] (summed over i, j);
    dx1 = g W x2,  dx2 = g W x1,  dW = sum over the leading axes of g x1 x2 (module docstring)."""

    differentiable_backward = True  # its backward is einsums of grad and the saved inputs

    @staticmethod
    def forward(ctx: Context, x1: Any, x2: Any, weight: Any) -> Any:
        ctx.save_for_backward(x1, x2, weight)
        return backend.xp.einsum("...i,oij,...j->...o", x1, weight, x2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any, Any]:
        x1, x2, weight = ctx.saved
        einsum = backend.xp.einsum
        need_x1, need_x2, need_weight = ctx.needs_input_grad
        dx1 = einsum("...o,oij,...j->...i", grad, weight, x2) if need_x1 else None
        dx2 = einsum("...o,oij,...i->...j", grad, weight, x1) if need_x2 else None
        dweight = einsum("bo,bi,bj->oij", rows(grad), rows(x1), rows(x2)) if need_weight else None
        return dx1, dx2, dweight


def rows(a: Any) -> Any:
    """(..., n) as (rows, n): the leading axes as one batch axis b."""
    return a.reshape(-1, a.shape[-1])


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None) -> Tensor:
    """y = x1^T W_o x2 + b_o for every output feature o, as torch.nn.functional.bilinear.

    Shapes: input1 (*, in1), input2 (*, in2) with the same leading dims (torch broadcasts none),
    weight (out, in1, in2), bias (out,) -> (*, out). An input of another dtype than the weight follows
    glassgrad's rule for layers (``check_layer_input_dtype``): a wider float computes in it, an integer
    or narrower float raises (torch requires one dtype for all).
    """
    x1, x2, w = as_tensor(input1), as_tensor(input2), as_tensor(weight)
    b = None if bias is None else as_tensor(bias)
    if w.ndim != 3:
        raise OpInputError(f"bilinear(): weight must be 3-D (out, in1, in2), got shape {tuple(w.shape)}")
    if x1.ndim != x2.ndim or x1.ndim == 0:
        raise OpInputError(f"bilinear(): input dimensions do not match: got {x1.ndim} and {x2.ndim}")
    for dim, (n1, n2) in enumerate(zip(x1.shape[:-1], x2.shape[:-1])):
        if n1 != n2:
            raise OpInputError(f"bilinear(): input batch dimensions do not match at dim {dim}: got {n1} and {n2}")
    if x1.shape[-1] != w.shape[1]:
        raise OpInputError(f"bilinear(): input1 size does not match weight size: got {x1.shape[-1]} but "
                           f"expected {w.shape[1]}")
    if x2.shape[-1] != w.shape[2]:
        raise OpInputError(f"bilinear(): input2 size does not match weight size: got {x2.shape[-1]} but "
                           f"expected {w.shape[2]}")
    if b is not None and tuple(b.shape) != (w.shape[0],):
        raise OpInputError(f"bilinear(): bias size does not match weight size: got {b.shape[0] if b.ndim else 1} but "
                           f"expected {w.shape[0]}")
    for x in (x1, x2):  # glassgrad's rule for layers: a float64 input to a float32 weight computes in float64
        if x.dtype != w.dtype:
            check_layer_input_dtype("bilinear", x, w)
    y = Bilinear.apply(x1, x2, w)
    return y if b is None else y + b
