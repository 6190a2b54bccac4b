"""Convolution: conv2d, conv_transpose2d and conv1d by im2col + GEMM (docs/derivations/convolution.md).

The trick (im2col): every output pixel of a convolution is a dot product of
the weight with one (C/G, kh, kw) window of the padded input. Copy all windows,
channel-major, into ``cols`` of shape (G, K, N*Ho*Wo), K = C/G*kh*kw, and the
convolution is one matrix product per group:

    y_g = W_g (O/G, K) @ cols_g (K, N*Ho*Wo)                  -> (O/G, N*Ho*Wo)

The windows are gathered without Python loops: ``as_strided`` gives a
(C, kh, kw, N, Ho, Wo) *view* of the channel-major padded input (C, N, Hp, Wp)
(moving one output pixel moves ``stride`` input pixels; moving one kernel tap
moves ``dilation`` pixels), and one copy makes it contiguous; the channel axis
first makes each group's rows one block, so (G, K, N*Ho*Wo) is a reshape.

Layout: the forward splits that product into one GEMM per sample and group,
W_g against a (N, G, K, Ho*Wo) view of the columns, written straight into
torch's contiguous (N, O, Ho, Wo) output. The backward works channel-major,
dy laid out (O, N, Ho, Wo), one product per group over the whole batch:
    dW_g = dy_g @ cols_g^T              db = sum of dy over (N, Ho, Wo)
    dcols_g = W_g^T @ dy_g              dx = crop(col2im(dcols)), axes 0 and 1 swapped back

col2im is the adjoint of im2col: each window element goes back to the pixel
it was copied from, *adding* where windows overlap, one kernel tap at a time
(no scatter, no ``np.add.at``). Both live in ``arrays/im2col.py``; the stride-1 fast
kernel that takes whole padded rows as the window runs is ``glassgrad/kernels/conv.py``.

conv_transpose2d is the adjoint of conv2d: its forward is conv2d's input
gradient (W^T then col2im) and its backward uses im2col. Output size of
conv2d:  out = (in + 2p - d(k-1) - 1) // s + 1;  of conv_transpose2d:
out = (in - 1) s - 2p + d(k-1) + output_padding + 1.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend, kernels
from glassgrad.arrays.im2col import batch_major, channel_major, crop2d
from glassgrad.arrays.window import ConvGeometry, Pair, pair
from glassgrad.errors import OpInputError
from glassgrad.kernels import conv as conv_kernel
from glassgrad.kernels import conv_bias as conv_bias_kernel
from glassgrad.kernels import sums
from glassgrad.op import Context, Op
from glassgrad.ops.im2col_ops import col2im, im2col
from glassgrad.ops.movement import reshape
from glassgrad.ops.promotion import check_layer_input_dtype
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["conv1d", "conv2d", "conv_transpose2d"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = __all__


class Conv2d(Op):
    """y[n, o] = sum_{c, i, j} W[o, c, i, j] xpad[n, g(o)*Cg + c, y*s + i*d, x*s + j*d] + b[o].

    With cols = im2col(xpad) per group g:  y_g = W_g @ cols_g + b;
    dW_g = dy_g @ cols_g^T;  db = sum dy;  dx = crop(col2im(W_g^T @ dy_g)).

    The plain path below is that derivation line by line (docs/derivations/convolution.md), and the
    default in both kernel modes. With ``glassgrad.kernels.conv.ENABLED = True``, stride 1 with
    windows of at least 64 values in the "fast" kernel mode runs ``glassgrad.kernels.conv``
    instead: the same products over whole-row windows, chunk by chunk of the batch (tested equal).
    Otherwise, with a bias and one group, the "fast" mode runs ``glassgrad.kernels.conv_bias``: the
    plain products with the bias folded into the GEMM as a row of ones (no pass over y or dy for it).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None, *, stride: Pair,
                pads: tuple[int, int, int, int], dilation: Pair, groups: int) -> Any:
        geometry = ConvGeometry.of(x.shape[2:], weight.shape[2:], stride, pads, dilation, groups)
        ctx.geometry = geometry
        rows = kernels.fast() and conv_kernel.applies(weight, geometry)
        folded = kernels.fast() and not rows and conv_bias_kernel.applies(x, bias, geometry)
        ctx.fast, ctx.bias_folded = rows or folded, folded
        # every path saves x and the weight (an in-place edit of either raises at backward, as in
        # torch), then its own copy of the windows' values: the padded input or the columns
        if rows:
            y, xcm = conv_kernel.conv2d_rows_forward(x, weight, bias, geometry)
            ctx.save_for_backward(x, weight, xcm)
            return y
        if folded:  # the bias as one more window row of the GEMM (kernels/conv_bias.py)
            y, cols = conv_bias_kernel.conv2d_bias_forward(x, weight, bias, geometry)
            ctx.save_for_backward(x, weight, cols)
            return y
        y, cols = conv2d_plain_forward(x, weight, bias, geometry)
        ctx.save_for_backward(x, weight, cols)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        _, weight, saved = ctx.saved
        need_x, need_w = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        if ctx.bias_folded and isinstance(grad, Tensor):  # recording a graph: the plain backward, on the
            saved, backward = saved[None, :-1], conv2d_plain_backward  # windows without their ones row
        elif ctx.bias_folded:
            backward = conv_bias_kernel.conv2d_bias_backward
        else:
            backward = conv_kernel.conv2d_rows_backward if ctx.fast else conv2d_plain_backward
        dx, dw, db = backward(saved, weight, grad, ctx.geometry, need_x, need_w)
        if len(ctx.needs_input_grad) == 2:
            return dx, dw
        return dx, dw, (db if ctx.needs_input_grad[2] else None)


def conv2d_plain_forward(x: Any, weight: Any, bias: Any, geometry: ConvGeometry) -> tuple[Any, Any]:
    """The readable twin: y (N, O, Ho, Wo) = W_g @ im2col(xpad)_g + b, and the windows (for backward).

    One GEMM per sample (W_g against that sample's columns) writes the output straight into
    torch's contiguous (N, O, Ho, Wo) layout.
    """
    n = x.shape[0]
    o, cg, kh, kw = weight.shape
    g, k = geometry.groups, cg * kh * kw
    ho, wo = geometry.out_hw
    xcm = channel_major(x, geometry.pads)  # (C, N, Hp, Wp), zero-padded
    cols = im2col(xcm, geometry.kernel, geometry.stride, geometry.dilation, geometry.out_hw)  # (C, kh, kw, N, Ho, Wo)
    cols = cols.reshape(g, k, n * ho * wo)  # (G, K, M): one column per output pixel
    per_sample = backend.xp.transpose(cols.reshape(g, k, n, ho * wo), (2, 0, 1, 3))  # (N, G, K, Ho*Wo) view
    w_g = weight.reshape(g, o // g, k)
    if hasattr(per_sample, "strides"):  # arrays: the product straight into torch's contiguous layout
        y = backend.xp.empty((n, g, o // g, ho * wo), dtype=x.dtype)  # NumPy's own pick could differ
        backend.xp.matmul(w_g, per_sample, out=y)
    else:  # Tensors (the forward run again to record its graph, create_graph=True): the same product
        y = w_g @ per_sample
    y = y.reshape(n, o, ho, wo)
    if bias is not None:
        y += bias.reshape(1, o, 1, 1)
    return y, cols


def conv2d_plain_backward(cols: Any, weight: Any, grad: Any, geometry: ConvGeometry, need_x: bool,
                          need_w: bool) -> tuple[Any, Any, Any]:
    """The readable twin's backward: (dx (N, C, H, W) or None, dW or None, db).

    dW_g = dy_g cols_g^T;  dcols_g = W_g^T dy_g;  dx = crop(col2im(dcols));  db = sum of dy.
    """
    g, k, _ = cols.shape
    o, cg, kh, kw = weight.shape
    n, _, ho, wo = grad.shape
    dy = channel_major(grad)  # (O, N, Ho, Wo)
    dy_g = dy.reshape(g, o // g, -1)  # (G, Og, M)
    dx = dw = None
    if need_x:
        dcols = weight.reshape(g, o // g, k).swapaxes(1, 2) @ dy_g  # (G, K, M)
        dcols = dcols.reshape(g * cg, kh, kw, n, ho, wo)  # (C, kh, kw, N, Ho, Wo)
        dx_padded = col2im(dcols, geometry.padded_hw, geometry.stride, geometry.dilation)  # (C, N, Hp, Wp)
        dx = crop2d(dx_padded, geometry.pads).swapaxes(0, 1)  # (N, C, H, W)
    if need_w:
        dw = (cols @ dy_g.swapaxes(1, 2)).swapaxes(1, 2).reshape(weight.shape)  # (G, K, Og) -> (O, Cg, kh, kw)
    db = sums.sum_last(dy.reshape(o, -1)).reshape(o)  # dy.sum over all but the channel axis
    return dx, dw, db


class ConvTranspose2d(Op):
    """The adjoint of Conv2d in x: y = crop(col2im(W_g^T @ x_g)) + b.

    Weight (C_in, C_out/G, kh, kw). With cols = im2col(pad(dy)):
    dx_g = W_g @ cols_g;  dW_g = x_g @ cols_g^T;  db = sum dy.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any, bias: Any = None, *, stride: Pair, padding: Pair,
                output_padding: Pair, dilation: Pair, groups: int) -> Any:
        n, c_in, h, w = x.shape
        _, og, kh, kw = weight.shape
        g = groups
        full_hw = tuple((size - 1) * s + d * (k - 1) + 1 + op for size, s, d, k, op in
                        zip((h, w), stride, dilation, (kh, kw), output_padding))
        w_g = weight.reshape(g, c_in // g, og * kh * kw)  # (G, Cg, K)
        xcm = channel_major(x).reshape(g, c_in // g, n * h * w)  # (G, Cg, N*L)
        cols = w_g.swapaxes(1, 2) @ xcm  # (G, K, N*L)
        cols = cols.reshape(g * og, kh, kw, n, h, w)  # (O, kh, kw, N, H, W)
        pads = (padding[0], padding[0], padding[1], padding[1])
        y = crop2d(col2im(cols, full_hw, stride, dilation), pads)  # (O, N, Hout, Wout)
        ctx.save_for_backward(xcm, weight)
        # the geometry of the adjoint conv2d: from this op's output (its input) back to x (its output)
        ctx.geometry = ConvGeometry(in_hw=(y.shape[2], y.shape[3]), kernel=(kh, kw), stride=stride, pads=pads,
                                    dilation=dilation, out_hw=(h, w), groups=g)
        return batch_major(y, bias)  # (N, O, Hout, Wout) contiguous, as torch's

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xcm, weight = ctx.saved
        geometry = ctx.geometry
        g, cg, m = xcm.shape
        og, kh, kw = weight.shape[1:]
        in_hw = geometry.out_hw
        cols = im2col(channel_major(grad, geometry.pads), geometry.kernel, geometry.stride, geometry.dilation,
                      in_hw)  # (O, kh, kw, N, H, W)
        cols = cols.reshape(g, og * kh * kw, m)  # (G, K, N*L)
        w_g = weight.reshape(g, cg, og * kh * kw)  # (G, Cg, K)
        dx = dw = None
        if ctx.needs_input_grad[0]:
            dx = (w_g @ cols).reshape((g * cg, grad.shape[0]) + in_hw).swapaxes(0, 1)  # (N, C, H, W)
        if ctx.needs_input_grad[1]:
            dw = (xcm @ cols.swapaxes(1, 2)).reshape(weight.shape)  # (G, Cg, K)
        if len(ctx.needs_input_grad) == 2:
            return dx, dw
        db = grad.sum(axis=(0, 2, 3)) if ctx.needs_input_grad[2] else None
        return dx, dw, db


_LAYERS = {"conv1d": "Conv1d", "conv2d": "Conv2d", "conv_transpose2d": "ConvTranspose2d"}  # the module of each
_AXES = {1: "L", 2: "H, W"}  # the spatial dims' names, by their number


def _check_conv_inputs(op: str, x: Tensor, weight: Tensor, bias: Tensor | None, groups: int,
                       in_axis: int, spatial: int = 2) -> None:
    """The one check of a convolution's inputs (``nn.Conv1d``, ``nn.Conv2d`` and ``nn.ConvTranspose2d``
    call the functional and check nothing themselves): ranks, dtypes, channels, groups and the bias.
    ``x`` is batched already (N, C, *spatial dims); its rank is checked against ``spatial``."""
    if weight.ndim != spatial + 2:
        raise OpInputError(f"{op}: weight must be {spatial + 2}-D, got shape {weight.shape}")
    check_layer_input_dtype(op, x, weight)
    if x.ndim != spatial + 2:
        axes = _AXES[spatial]
        raise OpInputError(f"{op}: expected a {spatial + 1}-D (C, {axes}) or {spatial + 2}-D (N, C, {axes}) input, "
                           f"got shape {x.shape}")
    if groups < 1 or x.shape[1] % groups:
        raise OpInputError(f"{op}: groups={groups} must be >= 1 and divide the input's {x.shape[1]} channels")
    expected = weight.shape[1] * groups if in_axis == 1 else weight.shape[0]
    if x.shape[1] != expected:
        n_out = weight.shape[0] if in_axis == 1 else weight.shape[1] * groups
        layer = f"{_LAYERS[op]}({expected}, {n_out})"  # the module the weight belongs to
        raise OpInputError(
            f"{op}: input has {x.shape[1]} channels (shape {x.shape}) but weight of shape {weight.shape} "
            f"with groups={groups} expects {expected} (the weight of a {layer}: expected {expected} input "
            f"channels, got {x.shape[1]})"
        )
    if in_axis == 1 and weight.shape[0] % groups:
        raise OpInputError(f"{op}: out_channels {weight.shape[0]} must be divisible by groups={groups}")
    n_out = weight.shape[0] if in_axis == 1 else weight.shape[1] * groups
    if bias is not None and bias.shape != (n_out,):
        raise OpInputError(f"{op}: bias shape {bias.shape} must be ({n_out},)")


def resolve_padding(padding: Any, kernel: Pair, stride: Pair, dilation: Pair) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) from an int, a pair, 'valid' or 'same'.

    'same' (stride 1 only, as torch) pads d(k-1) in total, the odd extra on the bottom/right.
    """
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding != "same":
            raise OpInputError(f"padding must be an int, a pair, 'same' or 'valid', got {padding!r}")
        if stride != (1, 1):
            raise OpInputError(f"padding='same' needs stride 1 (as in torch), got stride {stride}")
        totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
        return (totals[0] // 2, totals[0] - totals[0] // 2, totals[1] // 2, totals[1] - totals[1] // 2)
    ph, pw = pair(padding, "padding")
    if ph < 0 or pw < 0:
        raise OpInputError(f"padding must be non-negative, got {(ph, pw)}")
    return (ph, ph, pw, pw)


def _unbatched(x: Tensor) -> tuple[Tensor, bool]:
    if x.ndim == 3:
        return reshape(x, (1,) + x.shape), True
    return x, False


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,  # noqa: A002
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """2-D convolution (cross-correlation, as torch.nn.functional.conv2d).

    Shapes: input x (N, C, H, W) or (C, H, W); weight (O, C/groups, kh, kw); bias (O,);
    output (N, O, Ho, Wo) with Ho = (H + 2p - d(kh-1) - 1) // s + 1.
    """
    x, weight = as_tensor(input), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    x, squeeze = _unbatched(x)
    _check_conv_inputs("conv2d", x, weight, bias, groups, in_axis=1)
    stride, dilation = pair(stride, "stride"), pair(dilation, "dilation")
    if min(stride) < 1 or min(dilation) < 1:
        raise OpInputError(f"conv2d: stride {stride} and dilation {dilation} must be >= 1")
    kernel = weight.shape[2:]
    pads = resolve_padding(padding, kernel, stride, dilation)
    padded = (x.shape[2] + pads[0] + pads[1], x.shape[3] + pads[2] + pads[3])
    span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, kernel))
    if span[0] > padded[0] or span[1] > padded[1]:
        raise OpInputError(
            f"conv2d: kernel {kernel[0]}x{kernel[1]} (dilated {span[0]}x{span[1]}) is larger than the "
            f"padded input {padded[0]}x{padded[1]} (input shape {x.shape}, padding {pads})"
        )
    params = dict(stride=stride, pads=pads, dilation=dilation, groups=groups)
    y = Conv2d.apply(x, weight, **params) if bias is None else Conv2d.apply(x, weight, bias, **params)
    return reshape(y, y.shape[1:]) if squeeze else y


def conv_transpose2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,  # noqa: A002
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """Transposed convolution (the adjoint of conv2d), as torch.nn.functional.conv_transpose2d.

    Shapes: input x (N, C_in, H, W) or (C_in, H, W); weight (C_in, C_out/groups, kh, kw); bias (C_out,);
    output (N, C_out, Hout, Wout) with Hout = (H - 1) s - 2p + d(kh-1) + output_padding + 1.
    """
    x, weight = as_tensor(input), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    x, squeeze = _unbatched(x)
    _check_conv_inputs("conv_transpose2d", x, weight, bias, groups, in_axis=0)
    stride, dilation = pair(stride, "stride"), pair(dilation, "dilation")
    padding, output_padding = pair(padding, "padding"), pair(output_padding, "output_padding")
    if min(stride) < 1 or min(dilation) < 1 or min(padding) < 0 or min(output_padding) < 0:
        raise OpInputError(f"conv_transpose2d: bad stride {stride}, dilation {dilation}, padding {padding} "
                           f"or output_padding {output_padding}")
    for op_, s, d in zip(output_padding, stride, dilation):
        if op_ >= s and op_ >= d:
            raise OpInputError(f"conv_transpose2d: output_padding {output_padding} must be smaller than "
                               f"either stride {stride} or dilation {dilation}")
    out_hw = [(size - 1) * s - 2 * p + d * (k - 1) + op_ + 1 for size, s, p, d, k, op_ in
              zip(x.shape[2:], stride, padding, dilation, weight.shape[2:], output_padding)]
    if min(out_hw) < 1:
        raise OpInputError(f"conv_transpose2d: output size {tuple(out_hw)} is not positive "
                           f"(input {x.shape}, padding {padding})")
    params = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation, groups=groups)
    args = (x, weight) if bias is None else (x, weight, bias)
    y = ConvTranspose2d.apply(*args, **params)
    return reshape(y, y.shape[1:]) if squeeze else y


def conv1d(input: Any, weight: Any, bias: Any = None, stride: int = 1, padding: Any = 0,  # noqa: A002
           dilation: int = 1, groups: int = 1) -> Tensor:
    """1-D convolution as a conv2d of height 1: input x (N, C, L) or (C, L), weight (O, C/groups, k)."""
    x, weight = as_tensor(input), as_tensor(weight)
    bias = None if bias is None else as_tensor(bias)
    if x.ndim == 2:  # unbatched (C, L): a batch of one
        y = conv1d(reshape(x, (1,) + x.shape), weight, bias, stride, padding, dilation, groups)
        return reshape(y, y.shape[1:])
    _check_conv_inputs("conv1d", x, weight, bias, groups, in_axis=1, spatial=1)
    if not isinstance(padding, str):
        padding = (0, int(padding if isinstance(padding, int) else padding[0]))
    y = conv2d(reshape(x, (x.shape[0], x.shape[1], 1, x.shape[2])),
               reshape(weight, weight.shape[:2] + (1, weight.shape[2])), bias,
               stride=(1, int(stride)), padding=padding, dilation=(1, int(dilation)), groups=groups)
    return reshape(y, (y.shape[0], y.shape[1], y.shape[3]))
