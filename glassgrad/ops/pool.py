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

from glassgrad import backend, kernels
from glassgrad.arrays.window import Pair, PoolGeometry, lowest, out_size, pair, tap_slices
from glassgrad.errors import OpInputError
from glassgrad.kernels import pool as pool_kernel
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["avg_pool2d", "max_pool2d"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []


class MaxPool2d(Op):
    """y[n, c, a, b] = max_{i, j} xpad[n, c, a*s + i*d, b*s + j*d] (padding is -inf);
    dx = dy at the arg-max tap of each window, summed where windows overlap.

    The plain path is the derivation (docs/derivations/pooling.md): a running maximum over the
    taps that also records the winning tap t* (a later tap must be strictly greater to take over,
    so ties go to the first, as torch), and a backward that adds dy * [t* = t] into each tap's
    slice. The "fast" kernel mode runs ``glassgrad.kernels.pool`` (same numbers, less memory).
    """

    differentiable_backward = True
    constant_saves = (0, 1, 2)  # (x, out, xpad or the winners): they only pick the winners

    # Both paths save x and the output first, so an in-place edit of either after the forward
    # raises at backward in both kernel modes (the fast path needs them; the plain one keeps them
    # for that check alone), then what each path's backward reads.

    @staticmethod
    def forward(ctx: Context, x: Any, *, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair,
                out_hw: Pair) -> Any:
        xp = backend.xp
        geometry = PoolGeometry.of(x.shape[2:], kernel, stride, padding, dilation, out_hw)
        xpad = x
        if any(geometry.pads[0]) or any(geometry.pads[1]):
            xpad = xp.pad(x, ((0, 0), (0, 0)) + geometry.pads, constant_values=lowest(x.dtype))  # (N, C, Hp, Wp)
        ctx.geometry, ctx.fast = geometry, kernels.fast()
        if ctx.fast:
            out = pool_kernel.max_pool2d_forward(xpad, geometry)
            ctx.save_for_backward(x, out, xpad)
            return out
        out, winner = max_pool2d_plain_forward(xpad, geometry)
        ctx.input_shape = xpad.shape
        ctx.save_for_backward(x, out, winner)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        geometry = ctx.geometry
        if ctx.fast and isinstance(grad, Tensor):  # recording a graph: the readable twin routes the gradient
            _, _, xpad = ctx.saved
            dx = max_pool2d_plain_backward(max_pool2d_plain_forward(xpad, geometry)[1], grad, xpad.shape, geometry)
        elif ctx.fast:
            _, out, xpad = ctx.saved
            dx = pool_kernel.max_pool2d_backward(xpad, out, grad, geometry)
        else:
            _, _, winner = ctx.saved
            dx = max_pool2d_plain_backward(winner, grad, ctx.input_shape, geometry)
        (top, bottom), (left, right) = geometry.pads
        return dx[:, :, top:dx.shape[2] - bottom, left:dx.shape[3] - right]


def max_pool2d_plain_forward(xpad: Any, geometry: PoolGeometry) -> tuple[Any, Any]:
    """The readable twin: y = running maximum over the taps, and t* = the index of the winning tap.
    A NaN is the maximum, as torch's: a NaN tap always takes the window over (so the last NaN wins)."""
    xp = backend.xp
    taps = geometry.taps()
    rows, cols = taps[0]
    out = xpad[:, :, rows, cols].copy()  # (N, C, Ho, Wo)
    winner = xp.zeros(out.shape, dtype=xp.int64)
    floats = xpad.dtype.kind in "fc"
    for t, (rows, cols) in enumerate(taps[1:], start=1):
        candidate = xpad[:, :, rows, cols]
        greater = candidate > out  # strictly: on ties the earlier tap keeps the window
        if floats:
            greater |= candidate != candidate  # NaN
        out = xp.where(greater, candidate, out)
        winner[greater] = t
    return out, winner


def max_pool2d_plain_backward(winner: Any, grad: Any, padded_shape: tuple[int, ...], geometry: PoolGeometry) -> Any:
    """The readable twin's backward: for each tap t, dxpad[tap t's slice] += dy * [t* = t]."""
    return sum_of_taps(padded_shape, geometry.taps(), [grad * (winner == t) for t in range(len(geometry.taps()))])


def sum_of_taps(padded_shape: tuple[int, ...], taps: list[Any], values: list[Any]) -> Any:
    """dxpad (N, C, *padded): each tap's values added into the slice that tap read (the adjoint of reading
    the taps; a tap is one index per spatial axis); in place on arrays, through ``WriteAt`` on Tensors (a
    backward recording its graph)."""
    if not isinstance(values[0], Tensor):
        dx = backend.xp.zeros(padded_shape, dtype=values[0].dtype)
        for tap, v in zip(taps, values):
            dx[(slice(None), slice(None)) + tuple(tap)] += v
        return dx
    from glassgrad.ops.indexing import ArrayIndex, written_at

    parts = [written_at(padded_shape, ArrayIndex((slice(None), slice(None)) + tuple(tap)), v, accumulate=False)
             for tap, v in zip(taps, values)]
    return sum(parts[1:], parts[0])


class AvgPool2d(Op):
    """y = (sum over taps of xpad) / divisor;  dx = crop(sum over taps of dy / divisor).

    divisor = kh*kw (count_include_pad) or the number of real pixels in each window.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, *, kernel: Pair, stride: Pair, padding: Pair, out_hw: Pair,
                count_include_pad: bool) -> Any:
        xp = backend.xp
        pads = ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1]))
        xpad = xp.pad(x, pads) if any(padding) else x  # (N, C, Hp, Wp)
        taps = tap_slices(kernel, stride, (1, 1), out_hw)
        total = xp.copy(xpad[(..., *taps[0])])  # (N, C, Ho, Wo)
        for rows, cols in taps[1:]:
            total += xpad[:, :, rows, cols]
        if count_include_pad or not any(padding):
            divisor = xp.asarray(kernel[0] * kernel[1], dtype=x.dtype)
        else:
            ones = xp.pad(xp.ones(x.shape[2:], dtype=x.dtype), pads[2:])  # (Hp, Wp)
            divisor = sum(ones[rows, cols] for rows, cols in taps)  # (Ho, Wo)
        ctx.padded_shape, ctx.padding, ctx.taps, ctx.divisor = xpad.shape, padding, taps, divisor
        return total / divisor

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        padded_shape, padding, taps = ctx.padded_shape, ctx.padding, ctx.taps
        share = grad / ctx.divisor  # (N, C, Ho, Wo)
        dx = sum_of_taps(padded_shape, taps, [share] * len(taps))
        ph, pw = padding
        return dx[:, :, ph:padded_shape[2] - ph, pw:padded_shape[3] - pw]


def _pool_args(op: str, x: Tensor, kernel_size: Any, stride: Any, padding: Any,
               dilation: Any) -> tuple[Pair, Pair, Pair, Pair]:
    if x.ndim != 4:
        raise OpInputError(f"{op}: expected a 4-D input (N, C, H, W), got shape {x.shape}")
    kernel = pair(kernel_size, "kernel_size")
    stride = kernel if stride is None or stride == () else pair(stride, "stride")
    padding, dilation = pair(padding, "padding"), pair(dilation, "dilation")
    if min(kernel) < 1 or min(stride) < 1 or min(dilation) < 1 or min(padding) < 0:
        raise OpInputError(f"{op}: kernel {kernel}, stride {stride}, dilation {dilation} must be >= 1 "
                           f"and padding {padding} >= 0")
    for p, k, d in zip(padding, kernel, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise OpInputError(f"{op}: padding {padding} must be at most half of the (dilated) kernel {kernel}")
    return kernel, stride, padding, dilation


def _check_out(op: str, x: Tensor, out_hw: Pair) -> None:
    if min(out_hw) < 1:
        raise OpInputError(f"{op}: the window does not fit the input of shape {x.shape} (output size {out_hw})")


def max_pool2d(x: Any, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False) -> Tensor:
    """Max over (kh, kw) windows, as torch.nn.functional.max_pool2d; x (N, C, H, W).

    stride defaults to the kernel size; padding pads with -inf.
    """
    x = as_tensor(x)
    kernel, stride, padding, dilation = _pool_args("max_pool2d", x, kernel_size, stride, padding, dilation)
    out_hw = tuple(out_size(size, k, s, 2 * p, d, ceil_mode)
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
    out_hw = tuple(out_size(size, k, s, 2 * p, 1) for size, k, s, p in zip(x.shape[2:], kernel, stride, padding))
    _check_out("avg_pool2d", x, out_hw)
    return AvgPool2d.apply(x, kernel=kernel, stride=stride, padding=padding, out_hw=out_hw,
                           count_include_pad=count_include_pad)

