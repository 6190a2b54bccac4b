"""im2col and col2im as differentiable ops: each is the other's backward.

The convolution's plain path (``conv.py``) gathers windows with ``im2col`` and sends their gradients
back with ``col2im``. On arrays these are the array functions of ``glassgrad/arrays/im2col.py``.
When a backward records its graph (``create_graph=True``, ``glassgrad/autograd/higher_order.py``) the
same code meets Tensors, and the two ops below take over:

    cols = im2col(xcm)          d xcm  = col2im(d cols)   (each window element back to its pixel)
    xcm  = col2im(cols)         d cols = im2col(d xcm)    (each pixel's gradient to every window reading it)

Both maps are linear, and col2im is im2col's adjoint, so their second derivatives are each other again.
"""

from __future__ import annotations

from typing import Any

from glassgrad.arrays import im2col as on_arrays
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor


class Im2Col(Op):
    """cols = the (kernel) windows of the padded channel-major xcm;  d xcm = col2im(d cols)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, xcm: Any, *, kernel: tuple[int, ...], stride: tuple[int, ...],
                dilation: tuple[int, ...], out_hw: tuple[int, ...]) -> Any:
        ctx.padded_hw, ctx.stride, ctx.dilation = tuple(xcm.shape[2:]), stride, dilation
        return on_arrays.im2col(xcm, kernel, stride, dilation, out_hw)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return col2im(grad, ctx.padded_hw, ctx.stride, ctx.dilation)


class Col2Im(Op):
    """xcm = the window elements of cols added back to their pixels;  d cols = im2col(d xcm)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, cols: Any, *, padded_hw: tuple[int, ...], stride: tuple[int, ...],
                dilation: tuple[int, ...]) -> Any:
        spatial = len(padded_hw)
        ctx.kernel, ctx.out_hw = tuple(cols.shape[1:1 + spatial]), tuple(cols.shape[2 + spatial:])
        ctx.stride, ctx.dilation = stride, dilation
        return on_arrays.col2im(cols, padded_hw, stride, dilation)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return im2col(grad, ctx.kernel, ctx.stride, ctx.dilation, ctx.out_hw)


def im2col(xcm: Any, kernel: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...],
           out_hw: tuple[int, ...]) -> Any:
    """The windows of a padded channel-major ``xcm`` (``glassgrad.arrays.im2col.im2col``); on a Tensor
    (a backward recording its graph), the op ``Im2Col``."""
    if isinstance(xcm, Tensor):
        return Im2Col.apply(xcm, kernel=tuple(kernel), stride=tuple(stride), dilation=tuple(dilation),
                            out_hw=tuple(out_hw))
    return on_arrays.im2col(xcm, kernel, stride, dilation, out_hw)


def col2im(cols: Any, padded_hw: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...]) -> Any:
    """Window elements added back to their pixels (``glassgrad.arrays.im2col.col2im``); on a Tensor
    (a backward recording its graph), the op ``Col2Im``."""
    if isinstance(cols, Tensor):
        return Col2Im.apply(cols, padded_hw=tuple(padded_hw), stride=tuple(stride), dilation=tuple(dilation))
    return on_arrays.col2im(cols, padded_hw, stride, dilation)
