"""Window gathering for convolutions: im2col and its adjoint col2im, channel-major.

im2col copies every (kh, kw) window of a padded image into the columns of a matrix so that a
convolution becomes one matrix product; col2im sends window elements back to the pixels they
came from, adding where windows overlap. Both work on channel-major arrays (C, N, H, W): the
layout the convolution GEMM produces (see ``conv.py``).

Two variants:
  ``im2col`` / ``col2im``            any stride: one (C, N, Ho, Wo) strided slice per kernel tap;
  ``im2col_rows`` / ``col2im_rows``  stride 1: each tap is ONE contiguous run of whole padded rows
                                     (long copies and additions), at the price of Wp - Wo
                                     garbage columns per output row.
Neither uses a scatter (``np.add.at``): col2im loops over the kh*kw taps only.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend

Pair = tuple[int, int]


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
        top = i * dilation[0]
        rows = slice(top, top + stride[0] * (ho - 1) + 1, stride[0])
        for j in range(kw):
            left = j * dilation[1]
            out[:, :, rows, left:left + stride[1] * (wo - 1) + 1:stride[1]] += cols[:, i, j]
    return out


def im2col_rows(xcm: Any, kernel: Pair, dilation: Pair, out_h: int) -> Any:
    """im2col for stride 1 over whole padded rows (the fast path).

    With stride 1, tap (i, j) of output pixel (y, x) reads the flat position
    (y + i d) Wp + (x + j d) of its sample's plane, so every tap is one *contiguous*
    run of out_h * Wp values starting at i d Wp + j d: long runs copy fast. The price
    is Wp - Wo garbage columns per output row (they wrap into the next row), which
    the caller drops; xcm needs one spare zero row at the bottom so that no run
    leaves its plane.

    (C, N, Hp + 1, Wp) -> (C, kh, kw, N, out_h * Wp). xcm may be a slice along N.
    """
    xp = backend.xp
    c, n, _, wp = xcm.shape
    s_c, s_n, s_h, s_w = xcm.strides
    view = xp.lib.stride_tricks.as_strided(
        xcm, shape=(c, kernel[0], kernel[1], n, out_h * wp),
        strides=(s_c, dilation[0] * s_h, dilation[1] * s_w, s_n, s_w), writeable=False)
    return xp.ascontiguousarray(view)


def col2im_rows(cols: Any, out: Any, width: int, dilation: Pair) -> None:
    """Adjoint of im2col_rows, accumulated in place: out += col2im(cols).

    cols: (C, kh, kw, N, out_h * Wp);  out: (C, N, (Hp + 1) * Wp), possibly a slice of a
    larger batch;  width: Wp. One contiguous-run addition per kernel tap; the garbage
    columns of cols must hold zeros.
    """
    _, kh, kw, _, run = cols.shape
    for i in range(kh):
        for j in range(kw):
            start = i * dilation[0] * width + j * dilation[1]
            out[:, :, start:start + run] += cols[:, i, j]
