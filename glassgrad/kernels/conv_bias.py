"""Fast kernel for 2-D convolution with a bias: the bias rides in the GEMM as one more window row.

The readable twin is ``Conv2d``'s plain path in ``glassgrad/ops/conv.py``: im2col, one GEMM, then
the bias added to the output in a pass of its own, and in backward the bias gradient as a sum of dy
in another. Both passes read or write an array of the output's size, as large as the GEMM's output.
This kernel appends a row of ones to the columns and the bias as one more column of the weight:

    [W | b] @ [cols ; 1] = W @ cols + b 1^T = y                       (forward, one GEMM)
    dy @ [cols ; 1]^T    = [dy cols^T | dy 1] = [dW | db]              (backward, one GEMM)

so the bias costs one row more of a K-row product (K = C kh kw) instead of a pass over y, and its
gradient is the last column of the weight gradient's product instead of a pass over dy. The input
gradient is the plain one (dcols = W^T dy, then col2im), from the columns without their ones row.

Serves one group with a bias, on arrays (``applies``). Measured on the CNN benchmark's layers (batch
64, float32, 1 BLAS thread, CPU time on a loaded machine, medians of alternating runs): conv1's
forward 2.24 -> 1.52 ms, conv2's 9.97 -> 9.39 ms.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.arrays.im2col import channel_major, col2im, crop2d, im2col
from glassgrad.arrays.window import ConvGeometry
from glassgrad.kernels import sums


def applies(x: Any, bias: Any, geometry: ConvGeometry) -> bool:
    """True for arrays (not a forward run again on Tensors), a bias, and one group."""
    return bias is not None and geometry.groups == 1 and hasattr(x, "strides") and hasattr(bias, "strides")


def conv2d_bias_forward(x: Any, weight: Any, bias: Any, geometry: ConvGeometry) -> tuple[Any, Any]:
    """y (N, O, Ho, Wo) = [W | b] @ [cols ; 1], and the extended columns (K + 1, N*Ho*Wo) for backward."""
    xp = backend.xp
    n = x.shape[0]
    o, c, kh, kw = weight.shape
    k = c * kh * kw
    ho, wo = geometry.out_hw
    xcm = channel_major(x, geometry.pads)  # (C, N, Hp, Wp), zero-padded
    cols = xp.empty((k + 1, n * ho * wo), dtype=x.dtype)  # the windows, then a row of ones
    im2col(xcm, geometry.kernel, geometry.stride, geometry.dilation, geometry.out_hw,
           out=cols[:k].reshape(c, kh, kw, n, ho, wo))
    cols[k] = 1
    w_b = xp.concatenate([weight.reshape(o, k), bias.reshape(o, 1)], axis=1).astype(x.dtype, copy=False)  # (O, K+1)
    y = xp.empty((n, o, ho * wo), dtype=x.dtype)
    xp.matmul(w_b, cols.reshape(k + 1, n, ho * wo).transpose(1, 0, 2), out=y)  # one GEMM per sample, torch's layout
    return y.reshape(n, o, ho, wo), cols


def conv2d_bias_backward(cols: Any, weight: Any, grad: Any, geometry: ConvGeometry, need_x: bool,
                         need_w: bool) -> tuple[Any, Any, Any]:
    """(dx (N, C, H, W) or None, dW or None, db) for conv2d_bias_forward: [dW | db] = dy @ [cols ; 1]^T."""
    o, c, kh, kw = weight.shape
    k = c * kh * kw
    n, _, ho, wo = grad.shape
    dy = channel_major(grad).reshape(o, -1)  # (O, M)
    if need_w:
        dw_db = dy @ cols.T  # (O, K + 1): the weight gradient, then the bias gradient
        dw, db = dw_db[:, :k].reshape(weight.shape), backend.xp.ascontiguousarray(dw_db[:, k])
    else:
        dw, db = None, sums.sum_last(dy).reshape(o)  # dy summed over (N, Ho, Wo)
    dx = None
    if need_x:
        dcols = (weight.reshape(o, k).T @ dy).reshape(c, kh, kw, n, ho, wo)  # (C, kh, kw, N, Ho, Wo)
        dx_padded = col2im(dcols, geometry.padded_hw, geometry.stride, geometry.dilation)  # (C, N, Hp, Wp)
        dx = crop2d(dx_padded, geometry.pads).swapaxes(0, 1)  # (N, C, H, W)
    return dx, dw, db
