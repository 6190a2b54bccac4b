"""Fast kernel for 2-D convolution with a bias: the bias rides in the GEMM as one more window row.

The readable twin is ``Conv2d``'s plain path in ``glassgrad/ops/conv.py``: im2col, one GEMM, then
the bias added to the output in a pass of its own, and in backward the bias gradient as a sum of dy
in another. Both passes read or write an array of the output's size, as large as the GEMM's output.
This kernel appends a row of ones to the columns and the bias as one more column of the weight:

    [W | b] @ [cols ; 1] = W @ cols + b 1^T = y                       (forward, one GEMM)
    dy @ [cols ; 1]^T    = [dy cols^T | dy 1] = [dW | db]              (backward, one GEMM)

so the bias costs one row more of a K-row product (K = C kh kw) instead of a pass over y, and its
gradient is the last column of the weight gradient's product instead of a pass over dy. The input
gradient is the plain one (dcols = W^T dy, then col2im), from the columns without their ones row;
with stride 1 and wide rows, col2im adds whole padded rows at once (``input_grad_by_rows``). The
copies made of short rows (padding x, gathering the windows, widening dy) copy each row as one item
(``kernels/row_copy.py``: conv2 of the CNN's im2col 2.09 -> 0.95 ms, padding 0.23 -> 0.13 ms,
widening dy 0.48 -> 0.25 ms; 1 thread, CPU time, medians of 15 alternating rounds).

Serves one group with a bias, on arrays (``applies``). Measured on the CNN benchmark's layers (batch
64, float32, 1 BLAS thread, CPU time on a loaded machine, medians of alternating runs): conv1's
forward 2.24 -> 1.52 ms, conv2's 9.97 -> 9.39 ms.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.arrays.im2col import channel_major, col2im, crop2d, window_view
from glassgrad.arrays.window import ConvGeometry
from glassgrad.kernels import conv as conv_rows
from glassgrad.kernels import sums
from glassgrad.kernels.row_copy import copy_rows


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
    xcm = channel_major(x, geometry.pads, copy=copy_rows)  # (C, N, Hp, Wp), zero-padded
    cols = xp.empty((k + 1, n * ho * wo), dtype=x.dtype)  # the windows (im2col, row by row), then a row of ones
    copy_rows(cols[:k].reshape(c, kh, kw, n, ho, wo),
              window_view(xcm, geometry.kernel, geometry.stride, geometry.dilation, geometry.out_hw))
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
    rows = need_x and whole_rows(geometry)
    if need_w and not need_x and k + 1 < conv_rows.MIN_WINDOW_ROWS:  # a first layer: few window rows
        dw_db = weight_grad_per_sample(cols, grad)
        return None, dw_db[:, :k].reshape(weight.shape), backend.xp.ascontiguousarray(dw_db[:, k])
    dy = channel_major(grad).reshape(o, -1)  # (O, M)
    if need_w:
        dw_db = dy @ cols.T  # (O, K + 1): the weight gradient, then the bias gradient
        dw, db = dw_db[:, :k].reshape(weight.shape), backend.xp.ascontiguousarray(dw_db[:, k])
    else:
        dw, db = None, sums.sum_last(dy).reshape(o)  # dy summed over (N, Ho, Wo)
    dx = None
    if rows:
        dx = input_grad_by_rows(weight, grad, geometry)
    elif need_x:
        dcols = (weight.reshape(o, k).T @ dy).reshape(c, kh, kw, n, ho, wo)  # (C, kh, kw, N, Ho, Wo)
        dx_padded = col2im(dcols, geometry.padded_hw, geometry.stride, geometry.dilation)  # (C, N, Hp, Wp)
        dx = crop2d(dx_padded, geometry.pads).swapaxes(0, 1)  # (N, C, H, W)
    return dx, dw, db


def weight_grad_per_sample(cols: Any, grad: Any) -> Any:
    """[dW | db] (O, K + 1) = sum over samples n of dy_n (O, Ho*Wo) @ [cols ; 1]_n^T, dy in its own layout.

    With few window rows (a first layer: K + 1 = 10 for one input channel) the products are small,
    and skipping dy's channel-major copy pays: conv1 of the CNN 2.13 -> 1.45 ms (batch 64, 1 thread,
    CPU time, medians). With many (conv2, K + 1 = 289) the one large GEMM wins (8.0 against 9.1 ms).
    """
    n, o = grad.shape[:2]
    per_sample = cols.reshape(cols.shape[0], n, -1).transpose(1, 0, 2)  # (N, K + 1, Ho*Wo) view
    products = backend.xp.matmul(per_sample, grad.reshape(n, o, -1).transpose(0, 2, 1))  # (N, K + 1, O)
    return products.sum(axis=0).T  # (O, K + 1)


def whole_rows(geometry: ConvGeometry) -> bool:
    """True where the input gradient is cheaper through whole padded rows (``input_grad_by_rows``): stride 1
    and output rows that fill at least MIN_ROW_USE of a padded row (the product grows by Wp / Wo)."""
    padded_width = geometry.padded_hw[1]
    return geometry.stride == (1, 1) and geometry.out_hw[1] >= conv_rows.MIN_ROW_USE * padded_width


def input_grad_by_rows(weight: Any, grad: Any, geometry: ConvGeometry) -> Any:
    """dx (N, C, H, W) = crop(col2im(W^T dy)) for stride 1, with col2im as one long run per tap.

    dy is laid out with Wp columns per row (zeros in the Wp - Wo extra ones), so dcols = W^T dy has
    them too and tap (i, j) of every window is ONE contiguous run of Ho * Wp values of dcols, added
    at the flat offset i d Wp + j d of each (sample, channel) plane (``kernels.conv.col2im_rows``).
    The plain col2im adds rows of Wo values one by one: for conv2 of the CNN (Wo = 14) the runs
    make the input gradient 12.3-14.6 -> 11.3-13.2 ms (batch 64, 1 thread, CPU time, medians of
    three alternating runs on a loaded machine), the larger product included.
    """
    xp = backend.xp
    o, c, kh, kw = weight.shape
    n, _, ho, wo = grad.shape
    hp, wp = geometry.padded_hw
    dy = xp.zeros((o, n, ho, wp), dtype=grad.dtype)  # (O, N, Ho, Wp): zeros in the extra columns
    copy_rows(dy[..., :wo], grad.transpose(1, 0, 2, 3))
    dcols = weight.reshape(o, c * kh * kw).T @ dy.reshape(o, -1)  # (K, N*Ho*Wp)
    dx = xp.zeros((c, n, (hp + 1) * wp), dtype=grad.dtype)  # one spare row: the last run passes the plane's end
    conv_rows.col2im_rows(dcols.reshape(c, kh, kw, n, ho * wp), dx, wp, geometry.dilation)
    return crop2d(dx.reshape(c, n, hp + 1, wp)[:, :, :hp], geometry.pads).swapaxes(0, 1)  # (N, C, H, W)
