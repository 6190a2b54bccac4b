"""Fast kernel for 2-D max-pooling: keep no arg-max, keep x's memory order, write instead of add.

The readable twin is ``MaxPool2d``'s plain path in ``glassgrad/ops/pool.py``: a running maximum
that also records the index of the winning tap, and a backward that routes dy to that tap. This
kernel gives the same numbers (ties go to the first maximal tap in row-major kernel order, as
torch) while moving less memory:

- the forward keeps only the running maximum (all that inference needs);
- the backward finds each window's winner again as the first tap equal to the maximum:
  hit_t = (xpad_t == y) and free_t,  free_{t+1} = free_t and not hit_t  (free_0 = all windows);
- arrays keep the memory order of x (contiguous, or a transposed view a program made), and dy is
  copied once into that order, so every pass runs on matching, contiguous memory;
- when the windows tile the input (kernel == stride, no dilation), each pixel is written exactly
  once, so dx needs no zeroing and no additions;
- the backward works through the batch in chunks of about ``CHUNK_BYTES`` of x, so its passes over
  the taps find x, dx and the masks in cache.

A NaN is the maximum (``maximum`` propagates it), and as torch's the gradient of a NaN window goes
to its last NaN tap: no tap equals NaN, so those windows are left free by the pass above and routed
by a second, backward pass over the taps (only when some window is NaN).

Because the backward reads the input again, an edit of it after the forward would route dy wrongly.
The version check refuses edits of the input tensor and of every view sharing its memory (they share
its version counter; ``MaxPool2d`` saves x on both paths). An edit the counter cannot see (through
``numpy()``, say) leaves some window with no tap equal to its maximum, and the backward raises
instead of returning a wrong gradient.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.arrays.window import PoolGeometry
from glassgrad.kernels.row_copy import copy_rows

# The backward runs over chunks of the batch of about this many bytes of x: each tap's strided pass
# then re-reads a chunk still in cache instead of the whole input. Measured (1 BLAS thread, CPU time,
# loaded machine, medians of 15 alternating rounds): the CNN's first pooling, (64, 32, 28, 28),
# 6.25 -> 4.81-4.95 ms with 512 kB-1 MB chunks (256 kB: 5.66 ms); its second, (64, 64, 14, 14),
# 2.98 -> 2.75 ms. The forward (three maxima) lost when chunked (1.88 -> 2.18 ms): it stays whole.
CHUNK_BYTES = 1 << 20


def max_pool2d_forward(xpad: Any, geometry: PoolGeometry) -> Any:
    """y (N, C, Ho, Wo) in xpad's memory order: the maximum over the taps."""
    xp = backend.xp
    taps = geometry.taps()
    if len(taps) == 1:
        return xpad[(..., *taps[0])].copy(order="K")
    out = xp.maximum(xpad[(..., *taps[0])], xpad[(..., *taps[1])])  # order='K': x's memory order
    for rows, cols in taps[2:]:
        xp.maximum(out, xpad[:, :, rows, cols], out=out)
    return out


def max_pool2d_backward(xpad: Any, out: Any, grad: Any, geometry: PoolGeometry) -> Any:
    """dx of the padded input (N, C, Hp, Wp): dy routed to the first tap equal to each window's maximum."""
    xp = backend.xp
    taps = geometry.taps()
    disjoint = geometry.kernel == geometry.stride and geometry.dilation == (1, 1)
    tiled = disjoint and xpad.shape[2:] == tuple(o * k for o, k in zip(out.shape[2:], geometry.kernel))
    dx = (xp.empty_like if tiled else xp.zeros_like)(xpad, dtype=grad.dtype)  # (N, C, Hp, Wp), x's order
    if grad.strides != out.strides:  # e.g. C-order from a flatten: one copy in out's memory layout
        grad = _like(grad, out)
    free = xp.ones_like(out, dtype=bool)  # windows whose maximum no earlier tap took
    n = xpad.shape[0]
    samples = max(1, CHUNK_BYTES * n // max(1, xpad.nbytes))  # per chunk of the batch
    for start in range(0, n, samples):
        batch = slice(start, start + samples)
        _route_to_first_maximum(xpad[batch], out[batch], grad[batch], taps, free[batch], dx[batch], disjoint)
    if free.any():  # NaN windows (no tap equals NaN), or an input edited behind the version check
        free = _route_nan_windows(xpad, out, grad, taps, free, dx)
    if free.any():
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an inplace operation: "
            "the input of max_pool2d changed after the forward (through memory shared outside glassgrad, "
            "e.g. numpy(), which the version check does not see), so its maxima cannot be found again. "
            "Hint: clone() the input before editing it, or edit a copy.")
    return dx


def _route_to_first_maximum(xpad: Any, out: Any, grad: Any, taps: list[Any], free: Any, dx: Any,
                            disjoint: bool) -> None:
    """dy of each window into dx at its first tap equal to the maximum (``free`` marks windows not yet routed)."""
    xp = backend.xp
    hit = xp.empty_like(free)
    for rows, cols in taps:
        xp.equal(xpad[:, :, rows, cols], out, out=hit)  # (n, C, Ho, Wo)
        hit &= free
        free ^= hit
        if disjoint:  # windows do not overlap: each slot is written once
            xp.multiply(grad, hit, out=dx[:, :, rows, cols])
        else:
            dx[:, :, rows, cols] += grad * hit


def _route_nan_windows(xpad: Any, out: Any, grad: Any, taps: list[Any], free: Any, dx: Any) -> Any:
    """Add dy of each free NaN window into dx at its last NaN tap (torch's winner); returns the windows
    still free (not NaN: their maximum is no longer in the input)."""
    nan_free = free & (out != out)
    for rows, cols in reversed(taps):
        hit = xpad[:, :, rows, cols] != xpad[:, :, rows, cols]
        hit &= nan_free
        nan_free ^= hit
        dx[:, :, rows, cols] += grad * hit
    return free & (out == out)


def _like(a: Any, template: Any) -> Any:
    """A copy of a laid out in memory like template (same shape); short rows copied as one item each
    (``kernels/row_copy.py``: the convolution's cropped input gradient, 0.25 -> 0.12 ms for the CNN's)."""
    out = backend.xp.empty_like(template, dtype=a.dtype)
    copy_rows(out, a)
    return out

