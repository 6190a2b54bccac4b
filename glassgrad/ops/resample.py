"""Separable resampling: adaptive_avg_pool2d and interpolate (nearest, bilinear).

Each of these maps every output row from a fixed weighted set of input rows,
and every output column from input columns, independently. So each is two
small matrices, Mh (Ho, H) and Mw (Wo, W), and one op:

    y = Mh @ x @ Mw^T              (per (n, c) plane)
    dx = Mh^T @ dy @ Mw            (the adjoint: the same matrices, transposed)

The matrices hold the method:
  adaptive average: row i averages input rows floor(i H / Ho) .. ceil((i+1) H / Ho) - 1;
  nearest:          row i copies input row min(floor(i * scale), H - 1);
  bilinear:         row i mixes rows i0 and i0 + 1 with weights (1 - l, l), where
                    src = i * (H-1)/(Ho-1) (align_corners) or max((i + 0.5) * scale - 0.5, 0),
                    i0 = floor(src), l = src - i0;  scale = H / Ho, or 1 / scale_factor when given.
These are torch's index formulas (computed in the input's float dtype, as torch does).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpDtypeError, OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.conv import pair
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["adaptive_avg_pool2d", "interpolate", "upsample"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["adaptive_avg_pool2d", "upsample"]


class Resample2d(Op):
    """y = Mh @ x @ Mw^T;  dx = Mh^T @ dy @ Mw (Mh, Mw constant)."""

    differentiable_backward = True
    constant_saves = (0, 1)

    @staticmethod
    def forward(ctx: Context, x: Any, *, mh: Any, mw: Any) -> Any:
        xp = backend.xp
        ctx.save_for_backward(mh, mw)
        rows_done = xp.matmul(x, mw.T)  # (N, C, H, Wo)
        return xp.matmul(mh, rows_done)  # (N, C, Ho, Wo)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        mh, mw = ctx.saved
        return mh.T @ (grad @ mw)  # (N, C, H, W)


def adaptive_avg_matrix(size: int, out: int, dtype: Any) -> np.ndarray:
    """(out, size): row i averages input positions floor(i*size/out) .. ceil((i+1)*size/out) - 1."""
    m = np.zeros((out, size), dtype=dtype)
    for i in range(out):
        start, end = (i * size) // out, -(-((i + 1) * size) // out)
        m[i, start:end] = 1.0 / (end - start)
    return m


def nearest_matrix(size: int, out: int, scale_factor: float | None, dtype: Any) -> np.ndarray:
    """(out, size) one-hot rows: output i copies input min(floor(i * scale), size - 1)."""
    scale = np.float32(1.0 / scale_factor) if scale_factor else np.float32(size) / np.float32(out)
    src = np.minimum(np.floor(np.arange(out, dtype=np.float32) * scale).astype(np.int64), size - 1)
    m = np.zeros((out, size), dtype=dtype)
    m[np.arange(out), src] = 1.0
    return m


def linear_matrix(size: int, out: int, scale_factor: float | None, align_corners: bool, dtype: Any) -> np.ndarray:
    """(out, size) rows with weights (1 - l, l) on input positions (i0, i0 + 1)."""
    ft = np.dtype(dtype).type
    i = np.arange(out, dtype=dtype)
    if align_corners:
        scale = ft((size - 1) / (out - 1)) if out > 1 else ft(0)
        src = i * scale
    else:
        scale = ft(1.0 / scale_factor) if scale_factor else ft(size) / ft(out)
        src = np.maximum((i + ft(0.5)) * scale - ft(0.5), ft(0))
    i0 = np.floor(src).astype(np.int64)
    lam = np.clip(src - i0, 0, 1)
    i1 = np.minimum(i0 + 1, size - 1)
    m = np.zeros((out, size), dtype=dtype)
    m[np.arange(out), i0] += 1 - lam
    m[np.arange(out), i1] += lam
    return m


def _resample(x: Tensor, mh: np.ndarray, mw: np.ndarray) -> Tensor:
    xp = backend.xp
    return Resample2d.apply(x, mh=xp.asarray(mh), mw=xp.asarray(mw))


def _check_4d(op: str, x: Tensor) -> None:
    if x.ndim != 4:
        raise OpInputError(f"{op}: expected a 4-D input (N, C, H, W), got shape {x.shape}")
    if not backend.is_float(x.dtype):
        raise OpDtypeError(f"{op}: needs a floating input, got {x.dtype}")


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Tensor:  # noqa: A002
    """Average pooling to a fixed (Ho, Wo) whatever the input size (torch's window rule).

    output_size: an int, or a pair whose entries may be None (keep that input size).
    x: (N, C, H, W), or unbatched (C, H, W) as a batch of one.
    """
    x = as_tensor(input)
    if x.ndim == 3:
        return adaptive_avg_pool2d(x.unsqueeze(0), output_size).squeeze(0)
    _check_4d("adaptive_avg_pool2d", x)
    sizes = (output_size, output_size) if output_size is None or isinstance(output_size, int) else output_size
    ho, wo = (x.shape[2 + k] if sizes[k] is None else int(sizes[k]) for k in range(2))
    if ho < 1 or wo < 1:
        raise OpInputError(f"adaptive_avg_pool2d: output_size must be positive, got {output_size}")
    h, w = x.shape[2:]
    return _resample(x, adaptive_avg_matrix(h, ho, x.dtype), adaptive_avg_matrix(w, wo, x.dtype))


def interpolate(x: Any, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None) -> Tensor:
    """Resize (N, C, H, W) images, as torch.nn.functional.interpolate for 'nearest' and 'bilinear'.

    Give either ``size`` (int or pair) or ``scale_factor`` (number or pair); the output size is
    floor(in * scale_factor). ``align_corners`` is for 'bilinear' only (default False).
    """
    x = as_tensor(x)
    _check_4d("interpolate", x)
    if mode not in ("nearest", "bilinear"):
        raise ValueError(f"interpolate: mode must be 'nearest' or 'bilinear', got {mode!r}")
    if mode == "nearest" and align_corners is not None:
        raise ValueError("interpolate: align_corners only applies to mode='bilinear'")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    h, w = x.shape[2:]
    if size is not None:
        out_hw, scales = pair(size, "size"), (None, None)
    else:
        scales = (float(scale_factor),) * 2 if isinstance(scale_factor, int | float) else tuple(
            float(s) for s in scale_factor)
        out_hw = (int(math.floor(h * scales[0])), int(math.floor(w * scales[1])))
    if min(out_hw) < 1:
        raise OpInputError(f"interpolate: output size {out_hw} must be positive")
    if mode == "nearest":
        mh = nearest_matrix(h, out_hw[0], scales[0], x.dtype)
        mw = nearest_matrix(w, out_hw[1], scales[1], x.dtype)
    else:
        corners = bool(align_corners)
        mh = linear_matrix(h, out_hw[0], scales[0], corners, x.dtype)
        mw = linear_matrix(w, out_hw[1], scales[1], corners, x.dtype)
    return _resample(x, mh, mw)


def upsample(input: Any, size: Any = None, scale_factor: Any = None, mode: str = "nearest",  # noqa: A002
             align_corners: bool | None = None) -> Tensor:
    """Same as ``interpolate`` (torch's older name)."""
    return interpolate(input, size, scale_factor, mode, align_corners)
