"""Pooling: max_pool2d and avg_pool2d.

Both slide a (kh, kw) window with a stride over the padded input. Instead of
copying every window (im2col), they loop over the kh*kw kernel *taps*: tap
(i, j) of every window at once is the strided slice
``xpad[:, :, i*d : ... : s, j*d : ... : s]`` of shape (N, C, Ho, Wo). A 2x2 pool
is then 4 vectorised passes.

max:  y = max over taps;  dx = dy routed to the tap that held the maximum (the
      first one in row-major kernel order on ties, as torch), nothing elsewhere.
avg:  y = (sum over taps) / divisor;  dx = dy / divisor added back to every tap.

Output size: out = (in + 2p - d(k-1) - 1) // s + 1 (with ceil_mode for max:
ceiling instead of floor, but a window may not start in the right padding).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.ops.conv import Pair, pair
from glassgrad.tensor import Tensor, as_tensor


def tap_slices(kernel: Pair, stride: Pair, dilation: Pair, out_hw: Pair) -> list[tuple[slice, slice]]:
    """For each kernel tap (i, j), row-major: the (rows, cols) slices of the padded
    input that the tap sees across all output positions."""
    taps = []
    for i in range(kernel[0]):
        top = i * dilation[0]
        rows = slice(top, top + stride[0] * (out_hw[0] - 1) + 1, stride[0])
        for j in range(kernel[1]):
            left = j * dilation[1]
            taps.append((rows, slice(left, left + stride[1] * (out_hw[1] - 1) + 1, stride[1])))
    return taps


def _pool_out(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil_mode else span // s) + 1
    if ceil_mode and (out - 1) * s >= size + p:  # the last window would start inside the right padding
        out -= 1
    return out


class MaxPool2d(Function):
    """y[n, c, a, b] = max_{i, j} xpad[n, c, a*s + i*d, b*s + j*d] (padding is -inf);
    dx = dy at the arg-max tap of each window, summed where windows overlap.

    The forward keeps only the running maximum (cheap, and all that inference needs); the
    backward finds each window's arg-max again as the first tap equal to the maximum:
    hit_t = (xpad_t == y) and free_t,  free_{t+1} = free_t and not hit_t  (free_0 = all windows),
    dx_t = dy * hit_t, where xpad_t is tap t's strided slice (N, C, Ho, Wo).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, *, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair,
                out_hw: Pair) -> Any:
        xp = backend.xp
        n, c, h, w = x.shape
        # extra bottom/right padding so that every window (ceil_mode) fits
        need = [(o - 1) * s + d * (k - 1) + 1 for o, s, d, k in zip(out_hw, stride, dilation, kernel)]
        pads = ((padding[0], max(0, need[0] - h - padding[0])), (padding[1], max(0, need[1] - w - padding[1])))
        xpad = x
        if any(pads[0]) or any(pads[1]):
            xpad = xp.pad(x, ((0, 0), (0, 0)) + pads, constant_values=-xp.inf)  # (N, C, Hp, Wp)
        taps = tap_slices(kernel, stride, dilation, out_hw)
        if len(taps) == 1:
            out = xpad[(..., *taps[0])].copy(order="K")  # (N, C, Ho, Wo), in x's memory order
        else:
            out = xp.maximum(xpad[(..., *taps[0])], xpad[(..., *taps[1])])  # (N, C, Ho, Wo), x's order
        for rows, cols in taps[2:]:
            xp.maximum(out, xpad[:, :, rows, cols], out=out)
        ctx.save_for_backward(xpad, out)
        ctx.geometry = (pads, taps, kernel, kernel == stride and dilation == (1, 1))
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.xp
        xpad, out = ctx.saved
        pads, taps, kernel, disjoint = ctx.geometry
        # disjoint windows that tile the padded input write every slot of dx exactly once: no zeroing
        tiled = disjoint and xpad.shape[2:] == tuple(o * k for o, k in zip(out.shape[2:], kernel))
        dx = (xp.empty_like if tiled else xp.zeros_like)(xpad, dtype=grad.dtype)  # (N, C, Hp, Wp), x's order
        if grad.strides != out.strides:  # e.g. C-order from a flatten: one copy in out's memory layout
            grad = _like(grad, out)  # makes the passes below run on matching, contiguous memory
        free = xp.ones_like(out, dtype=bool)  # windows whose maximum no earlier tap took (torch: first wins)
        for t, (rows, cols) in enumerate(taps):
            hit = xpad[:, :, rows, cols] == out  # (N, C, Ho, Wo)
            hit &= free
            if t + 1 < len(taps):
                free ^= hit
            if disjoint:  # kernel == stride: windows do not overlap, so each slot is written once
                xp.multiply(grad, hit, out=dx[:, :, rows, cols])
            else:
                dx[:, :, rows, cols] += grad * hit
        (top, bottom), (left, right) = pads
        return dx[:, :, top:xpad.shape[2] - bottom, left:xpad.shape[3] - right]


def _like(a: Any, template: Any) -> Any:
    """A copy of a laid out in memory like template (same shape)."""
    out = backend.xp.empty_like(template, dtype=a.dtype)
    out[...] = a
    return out


class AvgPool2d(Function):
    """y = (sum over taps of xpad) / divisor;  dx = crop(sum over taps of dy / divisor).

    divisor = kh*kw (count_include_pad) or the number of real pixels in each window.
    """

    @staticmethod
    def forward(ctx: Context, x: Any, *, kernel: Pair, stride: Pair, padding: Pair, out_hw: Pair,
                count_include_pad: bool) -> Any:
        xp = backend.xp
        pads = ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1]))
        xpad = xp.pad(x, pads) if any(padding) else x  # (N, C, Hp, Wp)
        taps = tap_slices(kernel, stride, (1, 1), out_hw)
        total = xpad[(..., *taps[0])].copy()  # (N, C, Ho, Wo)
        for rows, cols in taps[1:]:
            total += xpad[:, :, rows, cols]
        if count_include_pad or not any(padding):
            divisor = xp.asarray(kernel[0] * kernel[1], dtype=x.dtype)
        else:
            ones = xp.pad(xp.ones(x.shape[2:], dtype=x.dtype), pads[2:])  # (Hp, Wp)
            divisor = sum(ones[rows, cols] for rows, cols in taps)  # (Ho, Wo)
        ctx.geometry = (xpad.shape, padding, taps, divisor)
        return total / divisor

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        padded_shape, padding, taps, divisor = ctx.geometry
        share = grad / divisor  # (N, C, Ho, Wo)
        dx = backend.xp.zeros(padded_shape, dtype=grad.dtype)
        for rows, cols in taps:
            dx[:, :, rows, cols] += share
        ph, pw = padding
        return dx[:, :, ph:padded_shape[2] - ph, pw:padded_shape[3] - pw]


def _pool_args(op: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any,
               dilation: Any) -> tuple[Pair, Pair, Pair, Pair]:
    if x.ndim != 4:
        raise ValueError(f"{op}: expected a 4-D input (N, C, H, W), got shape {x.shape}")
    kernel = pair(kernel_size, "kernel_size")
    stride = kernel if stride is None or stride == () else pair(stride, "stride")
    padding, dilation = pair(padding, "padding"), pair(dilation, "dilation")
    if min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1 or min(padding) < 0:
        raise ValueError(f"{op}: kernel {kernel}, stride {stride}, dilation {dilation} must be >= 1 "
                         f"and padding {padding} >= 0")
    for p, k, d in zip(padding, kernel, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise ValueError(f"{op}: padding {padding} must be at most half of the (dilated) kernel {kernel}")
    return kernel, stride, padding, dilation


def _check_out(op: str, x: Tensor, out_hw: Pair) -> None:
    if min(out_hw) < 1:
        raise ValueError(f"{op}: the window does not fit the input of shape {x.shape} (output size {out_hw})")


def max_pool2d(x: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:
    """Max over (kh, kw) windows, as torch.nn.functional.max_pool2d; x (N, C, H, W).

    stride defaults to the kernel size; padding pads with -inf.
    """
    x = as_tensor(x)
    kernel, stride, padding, dilation = _pool_args("max_pool2d", x, kernel_size, stride, padding, dilation)
    out_hw = tuple(_pool_out(size, k, s, p, d, ceil_mode)
                   for size, k, s, p, d in zip(x.shape[2:], kernel, stride, padding, dilation))
    _check_out("max_pool2d", x, out_hw)
    return MaxPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, dilation=dilation, out_hw=out_hw)


def avg_pool2d(x: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               count_include_pad: bool = True) -> Tensor:
    """Mean over (kh, kw) windows, as torch.nn.functional.avg_pool2d (ceil_mode=False).

    With count_include_pad (the default) padded zeros count in the mean.
    """
    x = as_tensor(x)
    kernel, stride, padding, _ = _pool_args("avg_pool2d", x, kernel_size, stride, padding, 1)
    out_hw = tuple(_pool_out(size, k, s, p, 1, False) for size, k, s, p in zip(x.shape[2:], kernel, stride, padding))
    _check_out("avg_pool2d", x, out_hw)
    return AvgPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, out_hw=out_hw,
                           count_include_pad=count_include_pad)

