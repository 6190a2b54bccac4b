"""Window gathering for convolutions: im2col and its adjoint col2im, channel-major.

im2col copies every (kh, kw) window of a padded image into the columns of a matrix so that a
convolution becomes one matrix product; col2im sends window elements back to the pixels they
came from, adding where windows overlap. Both work on channel-major arrays (C, N, H, W): the
layout the convolution GEMM produces (see ``glassgrad/ops/conv.py``).

These are the plain versions, any stride: one (C, N, Ho, Wo) strided slice per kernel tap. They take
any number of spatial axes: the 3-D convolutions (``ops/conv_nd.py``) use them on (C, N, D, H, W).
They work on arrays; ``glassgrad/ops/im2col_ops.py`` makes im2col and col2im differentiable ops for a
backward that records its graph.
col2im uses no scatter (``np.add.at``): it loops over the kh*kw taps only. The stride-1 fast
kernel (whole padded rows as contiguous runs) is ``glassgrad/kernels/conv.py``.
"""

from __future__ import annotations

import itertools
from typing import Any

from glassgrad import backend
from glassgrad.arrays.window import Pair, tap_slices


def channel_major(x: Any, pads: tuple[int, ...] = (0, 0, 0, 0), copy: Any = None) -> Any:
    """(N, C, H, W) -> contiguous (C, N, H + top + bottom, W + left + right), zero-padded.

    Any number of spatial axes: ``pads`` holds (before, after) for each, in order (a 3-D input
    (N, C, D, H, W) takes (front, back, top, bottom, left, right)).
    No copy when x is already a channel-major view without padding. ``copy(dst, src)`` puts x
    inside the zeros (``dst[...] = src`` when not given; the fast kernels pass their own).
    """
    xp = backend.xp
    xt = x.swapaxes(0, 1)  # (C, N, H, W) view
    if not any(pads):
        return xp.ascontiguousarray(xt)
    widths = [(0, 0), (0, 0)] + [(pads[2 * k], pads[2 * k + 1]) for k in range(xt.ndim - 2)]
    if not hasattr(xt, "strides"):  # a Tensor (a backward recording its graph): xp.pad is the differentiable pad
        return xp.pad(xt, widths)
    padded = tuple(size + before + after for size, (before, after) in zip(xt.shape, widths))
    out = xp.zeros(padded, dtype=xt.dtype)
    inside = out[(slice(None), slice(None)) + _inner(pads, padded[2:])]  # zeros around xt
    if copy is None:
        inside[...] = xt
    else:
        copy(inside, xt)
    return out


def batch_major(y: Any, bias: Any = None) -> Any:
    """Channel-major (C, N, H, W) -> contiguous (N, C, H, W), the layout torch gives a convolution's
    output, with ``bias`` (C,) added in the same pass (so the copy costs no extra trip through
    memory when there is a bias). Any number of spatial axes."""
    xp = backend.xp
    yt = y.swapaxes(0, 1)  # (N, C, H, W) view
    if not hasattr(yt, "strides"):  # Tensors (a forward run again to record its graph): the same values
        return yt if bias is None else yt + bias.reshape((1, -1) + (1,) * (y.ndim - 2))
    out = xp.empty(yt.shape, dtype=y.dtype)
    if bias is None:
        xp.copyto(out, yt)
    else:
        xp.add(yt, bias.reshape((1, -1) + (1,) * (y.ndim - 2)), out=out)
    return out


def _inner(pads: tuple[int, ...], padded: tuple[int, ...]) -> tuple[slice, ...]:
    """The slices of the padded spatial axes that hold the unpadded input."""
    return tuple(slice(pads[2 * k], size - pads[2 * k + 1]) for k, size in enumerate(padded))


def crop2d(x: Any, pads: tuple[int, ...]) -> Any:
    """Drop (top, bottom, left, right) rows/columns of the last two axes (a view); with
    (before, after) pairs for more axes, of that many last axes."""
    if not any(pads):
        return x
    spatial = len(pads) // 2
    return x[(Ellipsis,) + _inner(pads, x.shape[-spatial:])]


def im2col(xcm: Any, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair, out: Any = None) -> Any:
    """All (kh, kw) windows of a padded channel-major input, as a contiguous copy (into ``out`` when given).

    (C, N, Hp, Wp) -> (C, kh, kw, N, Ho, Wo) with
    cols[c, i, j, n, y, x] = xcm[c, n, y*sh + i*dh, x*sw + j*dw].
    Any number of spatial axes: (C, N, Dp, Hp, Wp) -> (C, kd, kh, kw, N, Do, Ho, Wo) in 3-D.
    """
    view = window_view(xcm, kernel, stride, dilation, out_hw)
    if out is not None:
        backend.xp.copyto(out, view)
        return out
    return backend.xp.ascontiguousarray(view)


def window_view(xcm: Any, kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair) -> Any:
    """im2col's windows as a read-only strided view of ``xcm`` (no copy): (C, kh, kw, N, Ho, Wo)."""
    c, n = xcm.shape[:2]
    s_c, s_n = xcm.strides[:2]
    spatial = xcm.strides[2:]
    return backend.xp.lib.stride_tricks.as_strided(
        xcm,
        shape=(c, *kernel, n, *out_hw),
        strides=(s_c, *(d * s for d, s in zip(dilation, spatial)), s_n, *(st * s for st, s in zip(stride, spatial))),
        writeable=False,
    )


def col2im(cols: Any, padded_hw: Pair, stride: Pair, dilation: Pair) -> Any:
    """Adjoint of im2col: (C, kh, kw, N, Ho, Wo) -> (C, N, Hp, Wp), summing overlaps.

    One strided-slice addition per kernel tap (i, j) (per (i, j, l) in 3-D).
    """
    spatial = len(padded_hw)
    c, kernel, n, out = cols.shape[0], cols.shape[1:1 + spatial], cols.shape[1 + spatial], cols.shape[2 + spatial:]
    result = backend.xp.zeros((c, n) + tuple(padded_hw), dtype=cols.dtype)
    for tap, window in zip(itertools.product(*(range(k) for k in kernel)), tap_slices(kernel, stride, dilation, out)):
        result[(slice(None), slice(None)) + window] += cols[(slice(None),) + tap]
    return result
