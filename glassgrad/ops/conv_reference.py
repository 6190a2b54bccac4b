"""Convolution by plain loops: the readable oracle for the im2col path in ``conv.py``.

Slow on purpose: one output element at a time, straight from the definition.
Tests check that ``ops.conv2d`` / ``ops.conv_transpose2d`` agree with these.
NumPy arrays in, NumPy array out; no autograd.
"""

from __future__ import annotations

import numpy as np


def conv2d_reference(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None, stride: int = 1,
                     padding: int = 0, dilation: int = 1, groups: int = 1) -> np.ndarray:
    """y[n, o, a, b] = bias[o] + sum_{c, i, j} weight[o, c, i, j] * xpad[n, g*Cg + c, a*s + i*d, b*s + j*d],
    where g = o // (O / groups) is the group of output channel o and Cg = C / groups.

    Output size per axis:  out = (in + 2p - d(k-1) - 1) // s + 1.

    Shapes: x (N, C, H, W), weight (O, C/groups, kh, kw), bias (O,) -> (N, O, Ho, Wo).
    stride, padding, dilation are ints (the same along both axes).
    """
    n, c, h, w = x.shape
    o, cg, kh, kw = weight.shape
    og = o // groups
    xpad = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    ho = (h + 2 * padding - dilation * (kh - 1) - 1) // stride + 1
    wo = (w + 2 * padding - dilation * (kw - 1) - 1) // stride + 1
    y = np.zeros((n, o, ho, wo), dtype=x.dtype)
    for b in range(n):
        for oc in range(o):
            g = oc // og
            for a in range(ho):
                for col in range(wo):
                    total = 0.0 if bias is None else bias[oc]
                    for ci in range(cg):
                        for i in range(kh):
                            for j in range(kw):
                                pixel = xpad[b, g * cg + ci, a * stride + i * dilation, col * stride + j * dilation]
                                total += weight[oc, ci, i, j] * pixel
                    y[b, oc, a, col] = total
    return y


def conv_transpose2d_reference(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None,
                               stride: int = 1, padding: int = 0, output_padding: int = 0, groups: int = 1,
                               dilation: int = 1) -> np.ndarray:
    """The adjoint of conv2d, by scattering: every input pixel x[n, c, a, b] adds
    x * weight[c, o, i, j] to the full output at (a*s + i*d, b*s + j*d); then p rows/columns
    are cropped from each side.

    Output size per axis:  out = (in - 1) s - 2p + d(k-1) + output_padding + 1.

    Shapes: x (N, C, H, W), weight (C, O/groups, kh, kw), bias (O,) -> (N, O, Ho, Wo).
    """
    n, c, h, w = x.shape
    _, og, kh, kw = weight.shape
    cg = c // groups
    full_h = (h - 1) * stride + dilation * (kh - 1) + 1 + output_padding
    full_w = (w - 1) * stride + dilation * (kw - 1) + 1 + output_padding
    full = np.zeros((n, og * groups, full_h, full_w), dtype=x.dtype)
    for b in range(n):
        for ci in range(c):
            g = ci // cg
            for a in range(h):
                for col in range(w):
                    for oc in range(og):
                        for i in range(kh):
                            for j in range(kw):
                                full[b, g * og + oc, a * stride + i * dilation, col * stride + j * dilation] += (
                                    x[b, ci, a, col] * weight[ci, oc, i, j])
    y = full[:, :, padding:full_h - padding, padding:full_w - padding]
    if bias is not None:
        y = y + bias.reshape(1, -1, 1, 1)
    return y
