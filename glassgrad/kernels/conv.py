"""Fast kernel for stride-1 2-D convolution: whole-row windows, gathered chunk by chunk.

Off by default (``ENABLED``): measured in whole training steps it does not beat the plain path
reliably (see ``applies``); ``glassgrad.kernels.conv.ENABLED = True`` switches it on for the
"fast" kernel mode. It stays tested equal to the plain path.

The readable twin is ``Conv2d``'s plain path in ``glassgrad/ops/conv.py`` (im2col of every
window, one GEMM per group, col2im in backward). This kernel computes the same numbers with
two changes that only move memory differently:

1. Whole-row windows (``im2col_rows``). With stride 1, tap (i, j) of output pixel (y, x)
   reads the flat position (y + i d) Wp + (x + j d) of its sample's padded plane, so each
   tap is ONE contiguous run of Ho * Wp values starting at i d Wp + j d. Long runs copy
   fast. The price is Wp - Wo garbage columns per output row (they wrap into the next row):
   the GEMM's product has Wp columns per row and the first Wo are the output. The padded
   input needs one spare zero row at the bottom so no run leaves its plane.
2. Chunks of the batch small enough (``CHUNK_BYTES`` of windows) for the windows to stay in
   cache between the copy and the GEMM; backward gathers the windows again from the saved
   padded input instead of keeping them (cheaper than a trip through memory). Measured on
   conv2 (32->64 at 14x14, batch 64, forward + backward) on a quiet 2-core machine: 1 MB
   chunks 11.7 ms, 256 kB 13.6 ms, 4 MB 12.5 ms, the whole batch at once 17.5 ms, the plain twin
   14.7 ms (torch 4.7 ms) with 2 BLAS threads; with 1, 18.3 ms against the twin's 22.9 ms (torch
   7.7 ms). (On a machine busy with other work,
   the many small GEMMs make 2 BLAS threads wait for each other and whole-batch GEMMs win.)

Backward is the plain one, chunk by chunk: dW += dy cols^T; dcols = W^T dy; dx += col2im(dcols),
with dy laid out like the forward product (zeros in its garbage columns, so they add nothing).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.arrays.im2col import channel_major
from glassgrad.arrays.window import ConvGeometry
from glassgrad.kernels import sums

ENABLED = False  # off by default: the plain path is the default (docs/kernels.md, measured in whole training steps)
CHUNK_BYTES = 1 << 20  # im2col this many bytes of windows at a time (stays in cache)
MIN_WINDOW_ROWS = 64  # below this K = C/groups * kh * kw the plain path's few large GEMMs are faster
MIN_ROW_USE = 0.75  # below this share of useful columns (Wo / Wp) the garbage columns cost more than they save


def applies(weight: Any, geometry: ConvGeometry) -> bool:
    """True when the kernel is switched on (``ENABLED``, off by default) and can beat the plain path:
    stride 1, windows of at least MIN_WINDOW_ROWS values, and output rows that use at least
    MIN_ROW_USE of each padded row (the kernel multiplies Wp columns per output row where the plain
    path multiplies Wo).

    Why off by default: in whole training steps (benchmarks/conv_default.py, docs/kernels.md) it
    is within noise of the plain path with one BLAS thread (ahead by 10-14 % only on ResNet-20 at
    batch 128), and twice as slow with two threads on a busy machine, where its many small
    per-chunk GEMMs make the BLAS threads wait for each other.

    Measured (quiet 2-core machine, batch 64, forward + backward, 2 threads): conv1 of the CNN
    (1->32, K = 9) takes 4.4 ms here against the plain path's 2.4 ms (torch 3.2 ms); conv2 (32->64,
    K = 288) 11.7 ms against 14.7 ms. In whole training steps (docs/kernels.md) the kernel lost
    every run of LeNet-5, whose C5 layer (5x5 input, 1x1 output) multiplies five columns per useful one.
    """
    _, cg, kh, kw = weight.shape
    padded_width = geometry.in_hw[1] + geometry.pads[2] + geometry.pads[3]
    return (ENABLED and geometry.stride == (1, 1) and cg * kh * kw >= MIN_WINDOW_ROWS
            and geometry.out_hw[1] >= MIN_ROW_USE * padded_width)


def batch_chunks(n: int, bytes_per_sample: int) -> list[slice]:
    """Slices of the batch axis so that each chunk's windows take about CHUNK_BYTES."""
    step = max(1, CHUNK_BYTES // max(1, bytes_per_sample))
    return [slice(start, min(start + step, n)) for start in range(0, n, step)]


def im2col_rows(xcm: Any, kernel: tuple[int, int], dilation: tuple[int, int], out_h: int) -> Any:
    """Whole-row windows of a channel-major padded input with one spare bottom row.

    (C, N, Hp + 1, Wp) -> (C, kh, kw, N, out_h * Wp), with
    cols[c, i, j, n, y * Wp + x] = xcm[c, n, y + i d, x + j d]   (x < Wo; the rest is garbage).
    xcm may be a slice along N.
    """
    xp = backend.xp
    c, n, _, wp = xcm.shape
    s_c, s_n, s_h, s_w = xcm.strides
    view = xp.lib.stride_tricks.as_strided(
        xcm, shape=(c, kernel[0], kernel[1], n, out_h * wp),
        strides=(s_c, dilation[0] * s_h, dilation[1] * s_w, s_n, s_w), writeable=False)
    return xp.ascontiguousarray(view)


def col2im_rows(cols: Any, out: Any, width: int, dilation: tuple[int, int]) -> None:
    """Adjoint of im2col_rows, accumulated in place: out += col2im(cols).

    cols: (C, kh, kw, N, out_h * Wp); out: (C, N, (Hp + 1) * Wp), possibly a slice of a larger
    batch; width: Wp. One contiguous-run addition per tap; cols' garbage columns must hold zeros.
    """
    _, kh, kw, _, run = cols.shape
    for i in range(kh):
        for j in range(kw):
            start = i * dilation[0] * width + j * dilation[1]
            out[:, :, start:start + run] += cols[:, i, j]


def conv2d_rows_forward(x: Any, weight: Any, bias: Any, geometry: ConvGeometry) -> tuple[Any, Any]:
    """y (N, O, Ho, Wo) (contiguous) and the padded input to save for backward."""
    xp = backend.xp
    n = x.shape[0]
    o, cg, kh, kw = weight.shape
    g, k = geometry.groups, cg * kh * kw
    top, bottom, left, right = geometry.pads
    xcm = channel_major(x, (top, bottom + 1, left, right))  # (C, N, Hp + 1 spare row, Wp)
    ho, wo = geometry.out_hw
    wp = xcm.shape[3]
    w_g = weight.reshape(g, o // g, k)  # (G, Og, K)
    y = xp.empty((n, o, ho, wp), dtype=x.dtype)  # (N, O, Ho, Wp): Wp - Wo garbage columns per row
    for part in batch_chunks(n, k * ho * wp * x.itemsize):
        cols = im2col_rows(xcm[:, part], (kh, kw), geometry.dilation, ho)  # (C, kh, kw, n, Ho*Wp)
        cols = cols.reshape(g, k, cols.shape[3], -1).transpose(2, 0, 1, 3)  # (n, G, K, Ho*Wp) view
        # one GEMM per sample, written sample-major: the output is in torch's (N, O, ...) layout
        xp.matmul(w_g, cols, out=y[part].reshape(cols.shape[0], g, o // g, -1))
    return without_garbage(y, wo, bias), xcm  # (N, O, Ho, Wo) contiguous, as torch's


def without_garbage(y: Any, wo: int, bias: Any) -> Any:
    """(N, O, Ho, Wp) -> contiguous (N, O, Ho, Wo): the first Wo columns of each row, plus the bias
    (added in the same pass)."""
    xp = backend.xp
    out = xp.empty(y.shape[:3] + (wo,), dtype=y.dtype)
    if bias is None:
        xp.copyto(out, y[..., :wo])
    else:
        xp.add(y[..., :wo], bias.reshape(1, -1, 1, 1), out=out)
    return out


def conv2d_rows_backward(xcm: Any, weight: Any, grad: Any, geometry: ConvGeometry, need_x: bool,
                         need_w: bool) -> tuple[Any, Any, Any]:
    """(dx (N, C, H, W) or None, dW (O, Cg, kh, kw) or None, db (O,)) for conv2d_rows_forward."""
    xp = backend.xp
    c, n, hp1, wp = xcm.shape
    o, cg, kh, kw = weight.shape
    g, k = geometry.groups, cg * kh * kw
    ho, wo = geometry.out_hw
    w_g_t = backend.xp.ascontiguousarray(weight.reshape(g, o // g, k).transpose(0, 2, 1))  # (G, K, Og): BLAS
    # multiplies a contiguous W^T faster than a transposed view (measured: 25% on conv2's dx GEMM)
    # weight gradient only and fewer window rows than dy rows (a first layer): drop the windows'
    # garbage columns instead of widening dy
    narrow = not need_x and k < o // g
    if narrow:
        dy = channel_major(grad)  # (O, N, Ho, Wo)
    else:  # dy laid out like the forward product: Wp columns per row, zeros in the garbage ones
        dy = xp.zeros((o, n, ho, wp), dtype=grad.dtype)
        dy[..., :wo] = grad.transpose(1, 0, 2, 3)
    dx = xp.zeros((c, n, hp1 * wp), dtype=grad.dtype) if need_x else None  # (C, N, (Hp+1)*Wp)
    dw = xp.zeros((g, k, o // g), dtype=grad.dtype) if need_w else None
    for part in batch_chunks(n, k * ho * wp * grad.itemsize):
        dy_g = dy[:, part].reshape(g, o // g, -1)  # (G, Og, n*Ho*Wp)
        if need_w:
            cols = im2col_rows(xcm[:, part], (kh, kw), geometry.dilation, ho)  # (C, kh, kw, n, Ho*Wp)
            if narrow:
                cols = cols.reshape(c, kh, kw, -1, ho, wp)[..., :wo]
            dw += cols.reshape(g, k, -1) @ dy_g.transpose(0, 2, 1)  # (G, K, Og)
        if need_x:
            dcols = w_g_t @ dy_g  # (G, K, n*Ho*Wp)
            col2im_rows(dcols.reshape(c, kh, kw, -1, ho * wp), dx[:, part], wp, geometry.dilation)
    if dx is not None:
        top, _, left, _ = geometry.pads
        h, w = geometry.in_hw
        dx = dx.reshape(c, n, hp1, wp)[:, :, top:top + h, left:left + w].transpose(1, 0, 2, 3)  # (N, C, H, W)
    if dw is not None:
        dw = dw.transpose(0, 2, 1).reshape(weight.shape)  # (G, K, Og) -> (O, Cg, kh, kw)
    db = sums.sum_last(dy.reshape(o, -1)).reshape(o)  # garbage columns hold 0
    return dx, dw, db
