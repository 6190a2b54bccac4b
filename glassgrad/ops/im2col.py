"""Window gathering for convolutions: im2col and its adjoint col2im, channel-major.

im2col copies every (kh, kw) window of a padded image into the columns of a matrix so that a
convolution becomes one matrix product; col2im sends window elements back to the pixels they
came from, adding where windows overlap. Both work on channel-major arrays (C, N, H, W): the
layout the convolution GEMM produces (see ``conv.py``).

These are the plain versions, any stride: one (C, N, Ho, Wo) strided slice per kernel tap.
col2im uses no scatter (``np.add.at``): it loops over the kh*kw taps only. The stride-1 fast
kernel (whole padded rows as contiguous runs) is ``glassgrad/kernels/conv.py``.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.ops.window import Pair, tap_slice


def channel_major(x: Any, pads: tuple[int, int, int, int] = (0, 0, 0, 0)) -> Any:
    """(N, C, H, W) -> contiguous (C, N, H + top + bottom, W + left + right), zero-padded.

    No copy when x is already a channel-major view without padding (a conv output).
    """
    xp = backend.xp
    xt = x.transpose(1, 0, 2, 3)  # (C, N, H, W) view
    if not any(pads):
        return xp.ascontiguousarray(xt)
    top, bottom, left, right = pads
    c, n, h, w = xt.shape
    out = xp.zeros((c, n, h + top + bottom, w + left + right), dtype=x.dtype)
    out[:, :, top:top + h, left:left + w] = xt
    return out


def crop2d(x: Any, pads: tuple[int, int, int, int]) -> Any:
    """Drop (top, bottom, left, right) rows/columns of the last two axes (a view)."""
    if not any(pads):
        return x
    top, bottom, left, right = pads
    h, w = x.shape[-2:]
    return x[..., top:h - bottom, left:w - right]


def im2col(xcm: Any, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair) -> Any:
    """All (kh, kw) windows of a padded channel-major input, as a contiguous copy.

    (C, N, Hp, Wp) -> (C, kh, kw, N, Ho, Wo) with
    cols[c, i, j, n, y, x] = xcm[c, n, y*sh + i*dh, x*sw + j*dw].
    """
    xp = backend.xp
    c, n = xcm.shape[:2]
    s_c, s_n, s_h, s_w = xcm.strides
    view = xp.lib.stride_tricks.as_strided(
        xcm,
        shape=(c, kernel[0], kernel[1], n, out_hw[0], out_hw[1]),
        strides=(s_c, dilation[0] * s_h, dilation[1] * s_w, s_n, stride[0] * s_h, stride[1] * s_w),
        writeable=False,
    )
    return xp.ascontiguousarray(view)


def col2im(cols: Any, padded_hw: Pair, stride: Pair, dilation: Pair) -> Any:
    """Adjoint of im2col: (C, kh, kw, N, Ho, Wo) -> (C, N, Hp, Wp), summing overlaps.

    One strided-slice addition per kernel tap (i, j).
    """
    c, kh, kw, n, ho, wo = cols.shape
    out = backend.xp.zeros((c, n) + tuple(padded_hw), dtype=cols.dtype)
    for i in range(kh):
        rows = tap_slice(i, stride[0], dilation[0], ho)
        for j in range(kw):
            out[:, :, rows, tap_slice(j, stride[1], dilation[1], wo)] += cols[:, i, j]
    return out
