"""ONNX mappings of the layer ops: linear and matmul, convolutions, pooling, normalisations,
softmax, embedding, attention, resampling, dropout.
"""

from __future__ import annotations

import numpy as np

from glassgrad.onnx.registry import OpCall, maps, ops_module

attention = ops_module("attention")
conv = ops_module("conv")
dropout = ops_module("dropout")
einsum = ops_module("einsum")
embedding = ops_module("embedding")
matmul = ops_module("matmul")
norm = ops_module("norm")
normalize = ops_module("normalize")
pool = ops_module("pool")
resample = ops_module("resample")
softmax = ops_module("softmax")


@maps(matmul.MatMul)
def matmul_(c: OpCall) -> str:
    return c.g.add("MatMul", c.inputs)


@maps(matmul.Linear)
def linear(c: OpCall) -> str:
    """y = x W^T + b: Gemm for a 2-D x, else MatMul with W transposed (W stays as the state_dict holds it)."""
    x, weight, *bias = c.inputs
    if len(c.shape(0)) == 2:
        return c.g.add("Gemm", [x, weight, *bias], transB=1)
    y = c.g.add("MatMul", [x, c.g.add("Transpose", [weight], perm=[1, 0])])
    return c.g.add("Add", [y, bias[0]]) if bias else y


@maps(einsum.Einsum)
def einsum_(c: OpCall) -> str:
    equation = ",".join(c.params["inputs"]) + "->" + c.params["output"]
    return c.g.add("Einsum", c.inputs, equation=equation)


# ----- convolution and pooling (NCHW; ONNX pads are [top, left, bottom, right]) -----------------
@maps(conv.Conv2d)
def conv2d(c: OpCall) -> str:
    p = c.params
    top, bottom, left, right = (int(v) for v in p["pads"])
    return c.g.add("Conv", c.inputs, kernel_shape=list(c.shape(1)[2:]), strides=list(p["stride"]),
                   pads=[top, left, bottom, right], dilations=list(p["dilation"]), group=int(p["groups"]))


@maps(conv.ConvTranspose2d)
def conv_transpose2d(c: OpCall) -> str:
    p = c.params
    ph, pw = (int(v) for v in p["padding"])
    return c.g.add("ConvTranspose", c.inputs, kernel_shape=list(c.shape(1)[2:]), strides=list(p["stride"]),
                   pads=[ph, pw, ph, pw], output_padding=list(p["output_padding"]),
                   dilations=list(p["dilation"]), group=int(p["groups"]))


def _ceil_mode(c: OpCall, dilation: tuple[int, int]) -> int:
    """1 when the traced output is larger than the floor formula gives (torch's ceil_mode)."""
    p = c.params
    floor = [(n + 2 * pad - d * (k - 1) - 1) // s + 1
             for n, pad, d, k, s in zip(c.shape(0)[2:], p["padding"], dilation, p["kernel"], p["stride"])]
    return int(tuple(floor) != tuple(p["out_hw"]))


@maps(pool.MaxPool2d)
def max_pool2d(c: OpCall) -> str:
    p = c.params
    ph, pw = (int(v) for v in p["padding"])
    return c.g.add("MaxPool", c.inputs, kernel_shape=list(p["kernel"]), strides=list(p["stride"]),
                   pads=[ph, pw, ph, pw], dilations=list(p["dilation"]), ceil_mode=_ceil_mode(c, p["dilation"]))


@maps(pool.AvgPool2d)
def avg_pool2d(c: OpCall) -> str:
    p = c.params
    ph, pw = (int(v) for v in p["padding"])
    return c.g.add("AveragePool", c.inputs, kernel_shape=list(p["kernel"]), strides=list(p["stride"]),
                   pads=[ph, pw, ph, pw], count_include_pad=int(p["count_include_pad"]))


@maps(resample.Resample2d)
def resample2d(c: OpCall) -> str:
    """y = mh @ x @ mw^T with the interpolation matrices as constants."""
    mw_t = c.g.constant(np.ascontiguousarray(np.asarray(c.params["mw"]).T), "resample_mw_t")
    rows = c.g.add("MatMul", [c.inputs[0], mw_t])  # (N, C, H, Wo)
    return c.g.add("MatMul", [c.g.constant(c.params["mh"], "resample_mh"), rows])  # (N, C, Ho, Wo)


# ----- normalisation ------------------------------------------------------------------------------
def _affine_or_default(c: OpCall, position: int, shape: tuple[int, ...], fill: float) -> str:
    """The affine input at ``position``, or a constant of ``fill`` when the layer has none."""
    if position < len(c.inputs):
        return c.inputs[position]
    return c.g.constant(np.full(shape, fill, dtype=c.dtype(0)), "ones" if fill else "zeros")


@maps(norm.BatchNorm)
def batch_norm(c: OpCall) -> str:
    if c.params["training"]:
        raise NotImplementedError("onnx.export: BatchNorm with batch statistics (training mode) is not exported; "
                                  "the exporter calls model.eval(), so pass training=False to batch_norm")
    channels = (c.shape(0)[1],)
    scale = _affine_or_default(c, 1, channels, 1.0)
    bias = _affine_or_default(c, 2, channels, 0.0)
    mean, var = c.array("mean", "running_mean"), c.array("var", "running_var")
    return c.g.add("BatchNormalization", [c.inputs[0], scale, bias, mean, var], epsilon=float(c.params["eps"]))


@maps(norm.LayerNorm)
def layer_norm(c: OpCall) -> str:
    n_axes = int(c.params["n_axes"])
    scale = _affine_or_default(c, 1, c.shape(0)[-n_axes:], 1.0)
    return c.g.add("LayerNormalization", [c.inputs[0], scale, *c.inputs[2:]], axis=-n_axes,
                   epsilon=float(c.params["eps"]))


@maps(norm.GroupNorm)
def group_norm(c: OpCall) -> str:
    """Standardise each (sample, group) over its channels and positions, then y = xhat * w + b per channel."""
    g, x = c.g, c.inputs[0]
    groups, eps, ndim = int(c.params["groups"]), float(c.params["eps"]), len(c.shape(0))
    grouped = g.add("Reshape", [x, g.ints([0, groups, -1])])  # (N, G, C/G * spatial)
    centred = g.add("Sub", [grouped, g.reduce("ReduceMean", grouped, [2], True)])
    variance = g.reduce("ReduceMean", g.add("Mul", [centred, centred]), [2], True)
    xhat = g.add("Div", [centred, g.add("Sqrt", [g.add("Add", [variance, g.scalar(eps, c.dtype(0))])])])
    y = g.add("Reshape", [xhat, g.shape_of(x)])  # (N, C, ...)
    per_channel = g.ints([c.shape(0)[1]] + [1] * (ndim - 2))
    if len(c.inputs) > 1:
        y = g.add("Mul", [y, g.add("Reshape", [c.inputs[1], per_channel])])
    if len(c.inputs) > 2:
        y = g.add("Add", [y, g.add("Reshape", [c.inputs[2], per_channel])])
    return y


@maps(normalize.Normalize)
def normalize_(c: OpCall) -> str:
    """x / max(||x||_p over dim, eps)."""
    g, x, p = c.g, c.inputs[0], float(c.params["p"])
    dim = int(c.params["dim"])
    if p == 2.0:
        length = g.reduce("ReduceL2", x, [dim], True)
    elif p == 1.0:
        length = g.reduce("ReduceL1", x, [dim], True)
    else:
        powered = g.add("Pow", [g.add("Abs", [x]), g.scalar(p, c.dtype(0))])
        length = g.add("Pow", [g.reduce("ReduceSum", powered, [dim], True), g.scalar(1.0 / p, c.dtype(0))])
    return g.add("Div", [x, g.add("Max", [length, g.scalar(c.params["eps"], c.dtype(0))])])


# ----- softmax, embedding, attention, dropout ----------------------------------------------------
@maps(softmax.Softmax)
def softmax_(c: OpCall) -> str:
    return c.g.add("Softmax", c.inputs, axis=int(c.params["axis"]))


@maps(softmax.LogSoftmax)
def log_softmax(c: OpCall) -> str:
    return c.g.add("LogSoftmax", c.inputs, axis=int(c.params["axis"]))


@maps(embedding.Embedding)
def embedding_(c: OpCall) -> str:
    """y = W[indices]: a Gather of the weight's rows (the indices are a traced input or a constant)."""
    return c.g.add("Gather", [c.inputs[0], c.array("indices")], axis=0)


@maps(attention.ScaledDotProductAttention)
def scaled_dot_product_attention(c: OpCall) -> str:
    """softmax(scale * Q K^T + causal bias + mask) V, written out in MatMul / Softmax nodes."""
    p, g = c.params, c.g
    if p["dropout_p"] > 0:
        raise NotImplementedError("onnx.export: scaled_dot_product_attention with dropout_p > 0 is not exported; "
                                  "pass dropout_p=0.0 outside training")
    q, k, v, *mask = c.inputs
    rank = len(c.shape(1))
    k_t = g.add("Transpose", [k], perm=list(range(rank - 2)) + [rank - 1, rank - 2])  # (..., E, S)
    scores = g.add("Mul", [g.add("MatMul", [q, k_t]), g.scalar(p["scale"], c.dtype(0))])  # (..., L, S)
    n_queries, n_keys = c.shape(0)[-2], c.shape(1)[-2]
    if p["causal"]:
        if c.dynamic(0)[-2] or c.dynamic(1)[-2]:
            raise NotImplementedError("onnx.export: causal attention over a dynamic sequence axis is not exported")
        bias = attention._causal_bias(n_queries, n_keys, c.dtype(0))
        scores = g.add("Add", [scores, g.constant(bias, "causal_bias")])
    if mask:
        scores = g.add("Add", [scores, mask[0]])
    if p["keep"] is not None:
        scores = g.add("Where", [c.array("keep", "attn_mask"), scores, g.scalar(-np.inf, c.dtype(0))])
    weights = g.add("Softmax", [scores], axis=-1)
    return g.add("MatMul", [weights, v])  # (..., L, Ev)


@maps(dropout.Dropout)
def dropout_(c: OpCall) -> str:
    if c.params["p"] > 0:
        raise NotImplementedError("onnx.export: Dropout in training mode is not exported (the exporter calls "
                                  "model.eval(); pass training=False to F.dropout)")
    return c.g.add("Identity", c.inputs)
