"""Convolutions over any number of spatial axes: conv3d, conv_transpose1d and conv_transpose3d.

The same im2col + GEMM derivation as ``conv.py`` (read that first), with the window gathered
along every spatial axis by the same ``im2col``/``col2im`` (``im2col.py``): for a 3-D input
(N, C, D, H, W) every output voxel is the dot product of the weight with one (C, kd, kh, kw)
window, so with cols (C*kd*kh*kw, N*Do*Ho*Wo), per group g:

    y_g = W_g @ cols_g + b          dW_g = dy_g @ cols_g^T      db = sum of dy
    dcols_g = W_g^T @ dy_g          dx = crop(col2im(dcols))

The transposed convolution is the adjoint of that map in x: y = crop(col2im(W_g^T @ x_g)) + b,
its backward gathers windows of dy with im2col. Output sizes per axis:
conv  out = (in + 2p - d(k - 1) - 1) // s + 1;  transposed  out = (in - 1) s - 2p + d(k - 1) + output_padding + 1.

These are plain paths: conv2d and conv_transpose2d keep their own 2-D code and fast kernels
(``conv.py``, ``glassgrad/kernels/conv.py``); conv1d is conv2d on a one-row image. The output is
returned in torch's contiguous (N, C_out, ...) layout.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from glassgrad import backend
from glassgrad.arrays.im2col import channel_major, crop2d
from glassgrad.arrays.window import ConvGeometry
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.im2col_ops import col2im, im2col
from glassgrad.ops.promotion import check_layer_input_dtype
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["conv3d", "conv_transpose1d", "conv_transpose3d"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = ["conv3d", "conv_transpose1d", "conv_transpose3d"]


def _batch_first(y_cm: Any) -> Any:
    """Channel-major (C, N, ...) -> torch's contiguous (N, C, ...)."""
    return backend.xp.ascontiguousarray(y_cm.swapaxes(0, 1))


def _sum_but_channels(grad: Any) -> Any:
    return grad.sum(axis=(0,) + tuple(range(2, grad.ndim)))


class ConvNd(Op):
    """y[n, o] = sum_{c, taps} W[o, c, taps] xpad[n, g(o) Cg + c, out * s + taps * d] + b[o] over any number of
    spatial axes; with cols = im2col(xpad): y_g = W_g cols_g + b, dW_g = dy_g cols_g^T, db = sum dy,
    dx = crop(col2im(W_g^T dy_g))."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None, *, geometry: ConvGeometry) -> Any:
        n, g = x.shape[0], geometry.groups
        o, k = weight.shape[0], math.prod(weight.shape[1:])
        xcm = channel_major(x, geometry.pads)  # (C, N, *padded)
        cols = im2col(xcm, geometry.kernel, geometry.stride, geometry.dilation, geometry.out_hw)  # (C, *k, N, *out)
        cols = cols.reshape(g, k, -1)  # (G, K, M): one column per output position
        y = (weight.reshape(g, o // g, k) @ cols).reshape((o, n) + geometry.out_hw)
        if bias is not None:
            y += bias.reshape((o,) + (1,) * (y.ndim - 1))
        ctx.save_for_backward(cols, weight)
        ctx.geometry = geometry
        return _batch_first(y)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        cols, weight = ctx.saved
        geometry = ctx.geometry
        g, k, _ = cols.shape
        o = weight.shape[0]
        dy_g = channel_major(grad).reshape(g, o // g, -1)  # (G, Og, M)
        dx = dw = None
        if ctx.needs_input_grad[0]:
            dcols = weight.reshape(g, o // g, k).swapaxes(1, 2) @ dy_g  # (G, K, M)
            dcols = dcols.reshape((weight.shape[1] * g,) + weight.shape[2:] + (grad.shape[0],) + geometry.out_hw)
            dx_padded = col2im(dcols, geometry.padded_hw, geometry.stride, geometry.dilation)  # (C, N, *padded)
            dx = crop2d(dx_padded, geometry.pads).swapaxes(0, 1)
        if ctx.needs_input_grad[1]:
            dw = (cols @ dy_g.swapaxes(1, 2)).swapaxes(1, 2).reshape(weight.shape)
        if len(ctx.needs_input_grad) == 2:
            return dx, dw
        return dx, dw, (_sum_but_channels(grad) if ctx.needs_input_grad[2] else None)


class ConvTransposeNd(Op):
    """The adjoint of ConvNd in x: y = crop(col2im(W_g^T x_g)) + b; weight (C_in, C_out / G, *k).
    With cols = im2col(pad(dy)): dx_g = W_g cols_g, dW_g = x_g cols_g^T, db = sum dy."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None, *, stride: tuple[int, ...],
                padding: tuple[int, ...], output_padding: tuple[int, ...], dilation: tuple[int, ...],
                groups: int) -> Any:
        n, c_in, sizes = x.shape[0], x.shape[1], tuple(x.shape[2:])
        og, kernel, g = weight.shape[1], tuple(weight.shape[2:]), groups
        full = tuple((size - 1) * s + d * (k - 1) + 1 + extra
                     for size, s, d, k, extra in zip(sizes, stride, dilation, kernel, output_padding))
        w_g = weight.reshape(g, c_in // g, -1)  # (G, Cg, Og*K)
        xcm = channel_major(x).reshape(g, c_in // g, -1)  # (G, Cg, N*L)
        cols = (w_g.swapaxes(1, 2) @ xcm).reshape((g * og,) + kernel + (n,) + sizes)  # (O, *k, N, *in)
        pads = tuple(p for p in padding for _ in range(2))
        y = crop2d(col2im(cols, full, stride, dilation), pads)  # (O, N, *out)
        if bias is not None:
            y = y + bias.reshape((-1,) + (1,) * (y.ndim - 1))
        ctx.save_for_backward(xcm, weight)
        ctx.geometry = ConvGeometry(in_hw=tuple(y.shape[2:]), kernel=kernel, stride=stride, pads=pads,
                                    dilation=dilation, out_hw=sizes, groups=g)
        return _batch_first(y)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xcm, weight = ctx.saved
        geometry = ctx.geometry
        g, cg, _ = xcm.shape
        cols = im2col(channel_major(grad, geometry.pads), geometry.kernel, geometry.stride, geometry.dilation,
                      geometry.out_hw)  # (O, *k, N, *in)
        cols = cols.reshape(g, -1, xcm.shape[2])  # (G, Og*K, N*L)
        w_g = weight.reshape(g, cg, -1)
        dx = dw = None
        if ctx.needs_input_grad[0]:
            dx = (w_g @ cols).reshape((g * cg, grad.shape[0]) + geometry.out_hw).swapaxes(0, 1)
        if ctx.needs_input_grad[1]:
            dw = (xcm @ cols.swapaxes(1, 2)).reshape(weight.shape)
        if len(ctx.needs_input_grad) == 2:
            return dx, dw
        return dx, dw, (_sum_but_channels(grad) if ctx.needs_input_grad[2] else None)


# ----- functional forms (torch's signatures) ---------------------------------------------------------
def ntuple(value: Any, n: int, name: str, op: str) -> tuple[int, ...]:
    """An int, or a sequence of ``n`` ints, as an n-tuple."""
    if isinstance(value, numbers.Integral):
        return (int(value),) * n
    values = tuple(int(v) for v in value)
    if len(values) == 1:
        return values * n
    if len(values) != n:
        raise OpInputError(f"{op}: {name} must be an int or {n} ints, got {value}")
    return values


def _batched(op: str, x: Tensor, weight: Tensor, bias: Tensor | None, spatial: int) -> tuple[Tensor, bool]:
    """Check ranks and dtypes (an integer input with a weight of its dtype is computed exactly, as torch's CPU
    convolution does); an unbatched input (C, *spatial) becomes a batch of one."""
    if not (x.dtype == weight.dtype and x.dtype.kind in "iu"):
        check_layer_input_dtype(op, x, weight)
    if weight.ndim != spatial + 2:
        raise OpInputError(f"{op}: weight must be {spatial + 2}-D, got shape {tuple(weight.shape)}")
    if x.ndim not in (spatial + 1, spatial + 2):
        raise OpInputError(f"{op}: expected a {spatial + 1}-D (unbatched) or {spatial + 2}-D (batched) input, got "
                           f"shape {tuple(x.shape)}")
    if bias is not None and bias.ndim != 1:
        raise OpInputError(f"{op}: bias must be 1-D, got shape {tuple(bias.shape)}")
    return (x.unsqueeze(0), True) if x.ndim == spatial + 1 else (x, False)


def _check_channels(op: str, x: Tensor, weight: Tensor, bias: Tensor | None, groups: int, transposed: bool) -> None:
    if groups < 1 or x.shape[1] % groups:
        raise OpInputError(f"{op}: groups={groups} must be >= 1 and divide the input's {x.shape[1]} channels")
    expected = weight.shape[0] if transposed else weight.shape[1] * groups
    if x.shape[1] != expected:
        raise OpInputError(f"{op}: input has {x.shape[1]} channels (shape {tuple(x.shape)}) but weight of shape "
                           f"{tuple(weight.shape)} with groups={groups} expects {expected}")
    if not transposed and weight.shape[0] % groups:
        raise OpInputError(f"{op}: out_channels {weight.shape[0]} must be divisible by groups={groups}")
    n_out = weight.shape[1] * groups if transposed else weight.shape[0]
    if bias is not None and bias.shape != (n_out,):
        raise OpInputError(f"{op}: bias shape {tuple(bias.shape)} must be ({n_out},)")


def _conv_pads(padding: Any, kernel: tuple[int, ...], stride: tuple[int, ...], dilation: tuple[int, ...],
               op: str) -> tuple[int, ...]:
    """(before, after) per axis from an int, a tuple, 'valid' or 'same' (stride 1; the odd extra after)."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0,) * (2 * len(kernel))
        if padding != "same":
            raise ValueError(f"Invalid padding string {padding!r}, should be one of ('valid', 'same')")
        if any(s != 1 for s in stride):
            raise ValueError("padding='same' is not supported for strided convolutions")
        totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
        return tuple(v for total in totals for v in (total // 2, total - total // 2))
    per_axis = ntuple(padding, len(kernel), "padding", op)
    if min(per_axis) < 0:
        raise OpInputError(f"{op}: negative padding is not supported, got {per_axis}")
    return tuple(p for p in per_axis for _ in range(2))


def conv_nd(op: str, x: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any, groups: int,
            spatial: int) -> Tensor:
    """A convolution over ``spatial`` axes through ``ConvNd`` (checks, padding, unbatched inputs)."""
    x, weight = as_tensor(x), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    x, unbatched = _batched(op, x, weight, bias, spatial)
    _check_channels(op, x, weight, bias, groups, transposed=False)
    stride, dilation = ntuple(stride, spatial, "stride", op), ntuple(dilation, spatial, "dilation", op)
    if min(stride) < 1 or min(dilation) < 1:
        raise OpInputError(f"{op}: stride {stride} and dilation {dilation} must be >= 1")
    kernel = tuple(weight.shape[2:])
    geometry = ConvGeometry.of(tuple(x.shape[2:]), kernel, stride, _conv_pads(padding, kernel, stride, dilation, op),
                               dilation, groups)
    if min(geometry.out_hw) < 1:
        raise OpInputError(f"{op}: the (dilated) kernel {kernel} is larger than the padded input "
                           f"{geometry.padded_hw} (input shape {tuple(x.shape)})")
    args = (x, weight) if bias is None else (x, weight, bias)
    y = ConvNd.apply(*args, geometry=geometry)
    return y.squeeze(0) if unbatched else y


def conv3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,  # noqa: A002
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """3-D convolution (torch.nn.functional.conv3d): input (N, C, D, H, W) or (C, D, H, W), weight
    (O, C / groups, kd, kh, kw), bias (O,); padding an int, a triple, 'valid' or 'same'."""
    return conv_nd("conv3d", input, weight, bias, stride, padding, dilation, groups, spatial=3)


def conv_transpose_nd(op: str, x: Any, weight: Any, bias: Any, stride: Any, padding: Any, output_padding: Any,
                      groups: int, dilation: Any, spatial: int) -> Tensor:
    """A transposed convolution over ``spatial`` axes through ``ConvTransposeNd``."""
    x, weight = as_tensor(x), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    x, unbatched = _batched(op, x, weight, bias, spatial)
    _check_channels(op, x, weight, bias, groups, transposed=True)
    stride, dilation = ntuple(stride, spatial, "stride", op), ntuple(dilation, spatial, "dilation", op)
    padding, output_padding = ntuple(padding, spatial, "padding", op), ntuple(output_padding, spatial,
                                                                              "output_padding", op)
    if min(stride) < 1 or min(dilation) < 1 or min(padding) < 0 or min(output_padding) < 0:
        raise OpInputError(f"{op}: bad stride {stride}, dilation {dilation}, padding {padding} or output_padding "
                           f"{output_padding}")
    if any(extra >= s and extra >= d for extra, s, d in zip(output_padding, stride, dilation)):
        raise OpInputError(f"{op}: output padding must be smaller than either stride or dilation, but got "
                           f"output_padding {output_padding}, stride {stride}, dilation {dilation}")
    out = [(size - 1) * s - 2 * p + d * (k - 1) + extra + 1 for size, s, p, d, k, extra in
           zip(x.shape[2:], stride, padding, dilation, weight.shape[2:], output_padding)]
    if min(out) < 1:
        raise OpInputError(f"{op}: output size {tuple(out)} is not positive (input {tuple(x.shape)}, "
                           f"padding {padding})")
    args = (x, weight) if bias is None else (x, weight, bias)
    y = ConvTransposeNd.apply(*args, stride=stride, padding=padding, output_padding=output_padding,
                              dilation=dilation, groups=groups)
    return y.squeeze(0) if unbatched else y


def conv_transpose1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,  # noqa: A002
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """1-D transposed convolution (torch.nn.functional.conv_transpose1d): input (N, C_in, L) or (C_in, L),
    weight (C_in, C_out / groups, k)."""
    return conv_transpose_nd("conv_transpose1d", input, weight, bias, stride, padding, output_padding, groups,
                             dilation, spatial=1)


def conv_transpose3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,  # noqa: A002
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """3-D transposed convolution (torch.nn.functional.conv_transpose3d): input (N, C_in, D, H, W) or unbatched,
    weight (C_in, C_out / groups, kd, kh, kw)."""
    return conv_transpose_nd("conv_transpose3d", input, weight, bias, stride, padding, output_padding, groups,
                             dilation, spatial=3)
