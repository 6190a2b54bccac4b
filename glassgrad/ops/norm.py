"""Normalisation: batch_norm, group_norm, layer_norm and weight_standardize.

All of them standardise x over some axes A and then (optionally) scale and shift:

    mu = mean_A(x),  var = mean_A((x - mu)^2)  (biased),  r = 1 / sqrt(var + eps)
    xhat = (x - mu) r,   y = xhat * w + b

They differ only in A and in the shape of w and b:
  batch_norm: A = every axis but the channel axis 1; w, b per channel;
  group_norm: A = the channels of one group and all spatial axes, per sample; w, b per channel;
  layer_norm: A = the last len(normalized_shape) axes; w, b elementwise over those axes.

Backward (one formula for all three, with M = the number of elements in A):
    dxhat = dy * w
    dx = r * (dxhat - mean_A(dxhat) - xhat * mean_A(dxhat * xhat))
    dw = sum of dy * xhat over the axes w is broadcast along;  db = sum of dy likewise.
(mu and r depend on x; the two mean terms are their contribution.) In evaluation mode
batch_norm uses fixed running statistics, so there dx = dxhat * r only.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.kernels import sums
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm", "weight_standardize"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["batch_norm", "group_norm", "layer_norm"]


def standardize(x: Any, axes: tuple[int, ...], eps: float) -> tuple[Any, Any]:
    """(xhat, r): x standardised over ``axes`` (biased variance) and r = 1/sqrt(var + eps), kept dims."""
    xp = backend.xp
    mu = sums.mean_axes(x, axes)
    centred = x - mu
    var = sums.mean_axes(centred * centred, axes)
    r = 1.0 / xp.sqrt(var + eps)
    return centred * r, r.astype(x.dtype)


def standardize_backward(dxhat: Any, xhat: Any, r: Any, axes: tuple[int, ...]) -> Any:
    """dx = r * (dxhat - mean_A(dxhat) - xhat * mean_A(dxhat * xhat))."""
    return r * (dxhat - sums.mean_axes(dxhat, axes) - xhat * sums.mean_axes(dxhat * xhat, axes))


def _affine_grads(ctx: Context, grad: Any, xhat: Any, sum_axes: tuple[int, ...], shape: tuple[int, ...],
                  grad_xhat: Any = None) -> list[Any]:
    """[dw, db] (None where not needed) for y = xhat * w + b (``grad_xhat``: dy * xhat, if formed already)."""
    out = []
    if ctx.needs_input_grad[1]:
        grad_xhat = grad * xhat if grad_xhat is None else grad_xhat
        out.append(sums.sum_axes(grad_xhat, sum_axes, keepdims=False).reshape(shape))
    else:
        out.append(None)
    if len(ctx.needs_input_grad) > 2:
        out.append(sums.sum_axes(grad, sum_axes, keepdims=False).reshape(shape) if ctx.needs_input_grad[2] else None)
    return out


class BatchNorm(Op):
    """y = (x - mean) / sqrt(var + eps) * w + b, statistics per channel (axis 1).

    training: mean, var are the batch's (biased), dx by the full formula in the module docstring;
    evaluation: they are the running estimates (constants), dx = dy * w / sqrt(var + eps).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any = None, bias: Any = None, *, mean: Any, var: Any,
                eps: float, training: bool) -> Any:
        shape = (1, -1) + (1,) * (x.ndim - 2)  # broadcast per channel
        if training and isinstance(x, Tensor):  # run again on tensors (create_graph): the batch statistics
            axes = (0,) + tuple(range(2, x.ndim))  # are functions of x, recorded as such
            mean, var = x.mean(axis=axes), x.var(axis=axes, correction=0)
        r = (1.0 / backend.xp.sqrt(var + eps)).astype(x.dtype).reshape(shape)
        xhat = (x - mean.reshape(shape)) * r
        y = xhat
        if weight is not None:
            y = xhat * weight.reshape(shape)
            if bias is not None:
                y += bias.reshape(shape)
        ctx.save_for_backward(xhat, r, weight)
        ctx.training = training
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xhat, r, weight = ctx.saved
        axes = (0,) + tuple(range(2, grad.ndim))
        dxhat = grad if weight is None else grad * weight.reshape(r.shape)
        dx = None
        if ctx.needs_input_grad[0]:
            dx = standardize_backward(dxhat, xhat, r, axes) if ctx.training else dxhat * r
        if weight is None:
            return (dx,)
        return (dx, *_affine_grads(ctx, grad, xhat, axes, weight.shape))


class GroupNorm(Op):
    """Standardise each (sample, group of C/G channels) over its channels and positions,
    then y = xhat * w[c] + b[c]."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any = None, bias: Any = None, *, groups: int, eps: float) -> Any:
        n, c = x.shape[:2]
        per_group = c // groups * math.prod(x.shape[2:])  # not -1: NumPy cannot infer it when N = 0
        xhat_g, r = standardize(x.reshape(n, groups, per_group), (2,), eps)  # (N, G, C/G * spatial)
        xhat = xhat_g.reshape(x.shape)
        shape = (1, c) + (1,) * (x.ndim - 2)
        y = xhat if weight is None else xhat * weight.reshape(shape)
        if bias is not None:
            y = y + bias.reshape(shape)
        ctx.save_for_backward(xhat, r, weight)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xhat, r, weight = ctx.saved
        n, c = grad.shape[:2]
        dx = None
        if ctx.needs_input_grad[0]:
            dxhat = grad if weight is None else grad * weight.reshape((1, c) + (1,) * (grad.ndim - 2))
            g = r.shape[1]
            per_group = c // g * math.prod(grad.shape[2:])
            dx = standardize_backward(dxhat.reshape(n, g, per_group), xhat.reshape(n, g, per_group), r,
                                      (2,)).reshape(grad.shape)
        if weight is None:
            return (dx,)
        return (dx, *_affine_grads(ctx, grad, xhat, (0,) + tuple(range(2, grad.ndim)), weight.shape))


class LayerNorm(Op):
    """Standardise over the last D axes, then y = xhat * w + b (w, b of those D axes' shape)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any = None, bias: Any = None, *, n_axes: int, eps: float) -> Any:
        axes = tuple(range(x.ndim - n_axes, x.ndim))
        xhat, r = standardize(x, axes, eps)
        y = xhat if weight is None else xhat * weight
        if bias is not None:
            y = y + bias
        ctx.save_for_backward(xhat, r, weight)
        ctx.axes = axes
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        """The module docstring's dx with dxhat = dy w. As w spans the normalised axes A (M values),
        both of its means are products with w:  mean_A(dxhat) = (dy @ w) / M  and
        mean_A(dxhat xhat) = ((dy xhat) @ w) / M, with dy, dy xhat seen as rows of M values;
        dy xhat is dW's summand too. (One pass over an array of x's size fewer than forming
        dxhat xhat: 230 -> 199 us on the user GPT's (12, 64, 128), float32, one thread.)"""
        xhat, r, weight = ctx.saved
        lead = tuple(range(grad.ndim - len(ctx.axes)))
        if weight is None:
            return (standardize_backward(grad, xhat, r, ctx.axes) if ctx.needs_input_grad[0] else None,)
        grad_xhat = grad * xhat
        dx = None
        if ctx.needs_input_grad[0]:
            m = math.prod(weight.shape)
            w = weight.reshape(m)
            mean_dxhat = (grad.reshape(-1, m) @ w).reshape(r.shape) / m
            mean_dxhat_xhat = (grad_xhat.reshape(-1, m) @ w).reshape(r.shape) / m
            dx = r * (grad * weight - mean_dxhat - xhat * mean_dxhat_xhat)
        return (dx, *_affine_grads(ctx, grad, xhat, lead, weight.shape, grad_xhat))


def _affine_args(weight: Any, bias: Any) -> tuple[Tensor, ...]:
    if weight is None and bias is not None:
        raise ValueError("normalisation: a bias without a weight is not supported; pass weight=ones")
    return tuple(as_tensor(t) for t in (weight, bias) if t is not None)


def batch_norm(input: Any, running_mean: Tensor | None, running_var: Tensor | None, weight: Any = None,  # noqa: A002
               bias: Any = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Batch normalisation over axis 1 of (N, C) or (N, C, *), as torch.nn.functional.batch_norm.

    training: normalise with the batch statistics (biased variance) and, when running
    tensors are given, update them in place: running = (1 - momentum) running + momentum batch,
    with the *unbiased* batch variance. Otherwise normalise with the running statistics.
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise OpInputError(f"batch_norm: expected (N, C) or (N, C, *) input, got shape {x.shape}")
    c = x.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and tuple(t.shape) != (c,):
            raise OpInputError(f"batch_norm: {name} has shape {tuple(t.shape)}, expected ({c},) for input {x.shape}")
    if training:
        axes = (0,) + tuple(range(2, x.ndim))
        count = x.numel() // c
        if count < 2:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when training, got input {x.shape}")
        mean = x.array.mean(axis=axes)
        var = x.array.var(axis=axes)
        if running_mean is not None and running_var is not None:
            m = momentum
            running_mean.array = ((1 - m) * running_mean.array + m * mean).astype(running_mean.dtype)
            unbiased_var = var * (count / (count - 1))
            running_var.array = ((1 - m) * running_var.array + m * unbiased_var).astype(running_var.dtype)
    else:
        if running_mean is None or running_var is None:
            raise OpInputError("batch_norm: evaluation mode needs running_mean and running_var")
        # copy=False: the running buffers themselves when the dtypes match (glassgrad.onnx names them by that)
        mean, var = running_mean.array.astype(x.dtype, copy=False), running_var.array.astype(x.dtype, copy=False)
    return BatchNorm.apply(x, *_affine_args(weight, bias), mean=mean, var=var, eps=eps, training=training)


def group_norm(input: Any, num_groups: int, weight: Any = None, bias: Any = None,  # noqa: A002
               eps: float = 1e-5) -> Tensor:
    """Group normalisation of (N, C, *): statistics per sample over groups of C/num_groups channels."""
    x = as_tensor(input)
    if x.ndim < 2:
        raise OpInputError(f"group_norm: expected (N, C, *) input, got shape {x.shape}")
    if num_groups < 1 or x.shape[1] % num_groups:
        raise OpInputError(f"group_norm: num_groups={num_groups} must divide the {x.shape[1]} channels of {x.shape}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != (x.shape[1],):
            raise OpInputError(f"group_norm: {name} has shape {tuple(t.shape)}, expected ({x.shape[1]},)")
    return GroupNorm.apply(x, *_affine_args(weight, bias), groups=num_groups, eps=eps)


def layer_norm(input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None,  # noqa: A002
               eps: float = 1e-5) -> Tensor:
    """Layer normalisation over the trailing axes given by ``normalized_shape``."""
    x = as_tensor(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) == 0 or tuple(x.shape[x.ndim - len(shape):]) != shape or x.ndim < len(shape):
        raise OpInputError(f"layer_norm: input of shape {tuple(x.shape)} does not end in normalized_shape {shape}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise OpInputError(f"layer_norm: {name} has shape {tuple(t.shape)}, expected {shape}")
    return LayerNorm.apply(x, *_affine_args(weight, bias), n_axes=len(shape), eps=eps)


def weight_standardize(weight: Any, eps: float = 1e-5) -> Tensor:
    """Each output channel's weight (axis 0) to zero mean and unit variance (biased, eps inside the sqrt).

    It is layer_norm over all axes but the first, so the gradient flows through the statistics.
    """
    weight = as_tensor(weight)
    if weight.ndim < 2:
        raise ValueError(f"weight_standardize: expected a weight of at least 2 dims, got {weight.shape}")
    return layer_norm(weight, weight.shape[1:], eps=eps)


def instance_norm(x: Any, weight: Any = None, bias: Any = None, eps: float = 1e-5) -> Tensor:
    """Instance normalisation: group_norm with one group per channel (batch statistics always)."""
    x = as_tensor(x)
    if x.ndim < 3:
        raise OpInputError(f"instance_norm: expected (N, C, *spatial) input, got shape {x.shape}")
    return group_norm(x, x.shape[1], weight, bias, eps)

