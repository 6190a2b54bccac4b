"""Scaled dot-product attention, one op with a hand-written backward.

For queries Q (..., L, E), keys K (..., S, E) and values V (..., S, Ev):

    S_ = scale * Q K^T + M            (..., L, S)   the scores; M the mask (0 / -inf, or any float)
    P  = softmax(S_) along the last axis            the attention weights
    Pd = P * D                                      D: the dropout mask, [u >= p] / (1 - p) (or 1)
    O  = Pd V                         (..., L, Ev)

Backward, with G = dO (derived in docs/derivations/attention.md):

    dV  = Pd^T G
    dPd = G V^T,   dP = dPd * D
    dS_ = P * (dP - rowsum(dP * P))                 (the softmax Jacobian, one row at a time)
    dM  = dS_                                       (a float mask that requires grad)
    dQ  = scale * dS_ K,   dK = scale * dS_^T Q

Nothing larger than the (..., L, S) weights is ever built: the scores are
computed, masked, exponentiated and normalised in place in one buffer, which
is what backward keeps. A row whose every key is masked out gets weights 0
(and so output 0), as torch's ``scaled_dot_product_attention`` gives.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpDtypeError, OpInputError
from glassgrad.kernels import softmax_shift, sums
from glassgrad.op import Context, Op
from glassgrad.ops.dropout import dropout_mask
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["scaled_dot_product_attention"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["scaled_dot_product_attention"]


def causal_keep(n_queries: int, n_keys: int) -> Any:
    """(L, S) bool: query i may look at keys 0..i (torch's top-left aligned lower triangle)."""
    return backend.xp.tril(backend.xp.ones((n_queries, n_keys), dtype=bool))


_CAUSAL_BIAS: dict[tuple[int, int, Any], Any] = {}


def _causal_bias(n_queries: int, n_keys: int, dtype: Any) -> Any:
    """(L, S) additive mask: 0 where the causal rule allows, -inf above the diagonal (cached)."""
    key = (n_queries, n_keys, np.dtype(dtype), backend.name)
    if key not in _CAUSAL_BIAS:
        xp = backend.xp
        _CAUSAL_BIAS[key] = xp.where(causal_keep(n_queries, n_keys), 0.0, -xp.inf).astype(dtype)
    return _CAUSAL_BIAS[key]


def masked_softmax_(scores: Any, may_be_empty: bool) -> Any:
    """Softmax along the last axis, in place. With ``may_be_empty``, a row that is all -inf
    (every key masked) becomes all 0 instead of NaN, and no warning is raised. On a Tensor (the forward run
    again to record its graph, create_graph=True), the softmax op, an all-masked row set to 0."""
    xp = backend.xp
    if isinstance(scores, Tensor):
        from glassgrad.ops.softmax import softmax

        if not may_be_empty:
            return softmax(scores, -1)
        empty = ~xp.isfinite(xp.amax(scores, axis=-1, keepdims=True))  # rows with every key masked (constant)
        return xp.where(empty, 0.0, softmax(xp.where(empty, 0.0, scores), -1))
    if may_be_empty:
        row_max = scores.max(axis=-1, keepdims=True)
        row_max[~xp.isfinite(row_max)] = 0.0
    else:  # key 0 is seen by every query (no mask, or the causal one): its score bounds each row's max from below
        row_max = softmax_shift.shift(scores, scores[..., :1])  # the rows' maxima, or one per head (the kernel)
    scores -= row_max
    xp.exp(scores, out=scores)
    total = sums.sum_last(scores)
    if may_be_empty:
        total[total == 0] = 1.0
    scores /= total
    return scores


class ScaledDotProductAttention(Op):
    """O = dropout(softmax(scale * Q K^T + M)) V.

    dV = Pd^T dO;  dP = (dO V^T) * D;  dS = P * (dP - rowsum(dP * P));
    dM = dS;  dQ = scale * dS K;  dK = scale * dS^T Q   (P: weights, D: dropout mask, Pd = P * D).

    Inputs: q, k, v and, optionally, a float mask added to the scores (it gets a gradient).
    Params: ``scale``; ``keep`` a bool array broadcastable to (..., L, S), True = may attend
    (None for none); ``causal``; ``dropout_p`` and ``rng`` for dropout on the weights.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, q: Any, k: Any, v: Any, float_mask: Any = None, *, scale: float, keep: Any,
                causal: bool, dropout_p: float, rng: np.random.Generator | None) -> Any:
        xp = backend.xp
        scores = q @ xp.swapaxes(k, -1, -2)  # (..., L, S)
        scores *= scores.dtype.type(scale)
        n_queries, n_keys = scores.shape[-2:]
        if causal:
            scores += _causal_bias(n_queries, n_keys, scores.dtype)
        if float_mask is not None:
            scores = _add_broadcast(scores, float_mask)
        if keep is not None:
            scores = _fill_broadcast(scores, keep)
        weights = masked_softmax_(scores, may_be_empty=keep is not None or float_mask is not None)
        drop = None
        if dropout_p > 0.0:
            if isinstance(q, Tensor):  # run again to record (create_graph): a second mask would differ
                raise NotImplementedError("scaled_dot_product_attention with dropout_p > 0 cannot be differentiated "
                                          "twice (its forward would draw another dropout mask)")
            drop = dropout_mask(weights.shape, dropout_p, weights.dtype, rng)  # the formula's one home
        ctx.save_for_backward(q, k, v, weights, drop)
        ctx.scale = scale
        return (weights if drop is None else weights * drop) @ v  # (..., L, Ev)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        xp = backend.xp
        q, k, v, weights, drop = ctx.saved
        used = weights if drop is None else weights * drop  # Pd, the weights the values saw
        dv = xp.swapaxes(used, -1, -2) @ grad if ctx.needs_input_grad[2] else None
        needs_mask = len(ctx.needs_input_grad) > 3 and ctx.needs_input_grad[3]
        if isinstance(grad, Tensor) or needs_mask:  # (out of place: it also runs on Tensors, recording)
            d_used = grad @ xp.swapaxes(v, -1, -2)  # dPd (..., L, S)
            d_weights = d_used if drop is None else d_used * drop  # dP
            d_scores = weights * (d_weights - sums.sum_last(d_weights * weights))  # softmax backward: dS
            d_mask = d_scores if needs_mask else None
            d_scaled = d_scores * d_scores.dtype.type(ctx.scale)
        else:  # the same dS * scale with the scale put on dO (half dS's size when Ev < S) and one scratch array
            d_weights = (grad * grad.dtype.type(ctx.scale)) @ xp.swapaxes(v, -1, -2)  # scale dPd
            if drop is not None:
                d_weights *= drop  # scale dP
            d_scaled = d_weights * weights
            xp.subtract(d_weights, sums.sum_last(d_scaled), out=d_scaled)  # scale (dP - rowsum(dP * P))
            d_scaled *= weights  # scale dS
            d_mask = None
        dq = d_scaled @ k if ctx.needs_input_grad[0] else None
        dk = xp.swapaxes(d_scaled, -1, -2) @ q if ctx.needs_input_grad[1] else None
        if len(ctx.needs_input_grad) > 3:
            return dq, dk, dv, d_mask
        return dq, dk, dv


def _add_broadcast(scores: Any, mask: Any) -> Any:
    """scores + mask, in place when the mask broadcasts onto the scores' shape."""
    if np.broadcast_shapes(scores.shape, mask.shape) == scores.shape:
        scores += mask
        return scores
    return scores + mask


def _fill_broadcast(scores: Any, keep: Any) -> Any:
    """-inf wherever ``keep`` is False (in place when the mask broadcasts onto the scores)."""
    xp = backend.xp
    if isinstance(scores, Tensor):  # the forward run again to record its graph: the where op
        return xp.where(keep, scores, -xp.inf)
    shape = np.broadcast_shapes(scores.shape, keep.shape)
    if shape != scores.shape:
        scores = xp.broadcast_to(scores, shape).copy()
    xp.copyto(scores, -xp.inf, where=~keep)
    return scores


def scaled_dot_product_attention(query: Any, key: Any, value: Any, attn_mask: Any = None, dropout_p: float = 0.0,
                                 is_causal: bool = False, scale: float | None = None, enable_gqa: bool = False,
                                 *, rng: np.random.Generator | None = None) -> Tensor:
    """softmax(query key^T * scale + mask) value, as torch.nn.functional.scaled_dot_product_attention.

    Args:
        query: (..., L, E); key: (..., S, E); value: (..., S, Ev). Leading axes broadcast.
        attn_mask: broadcastable to (..., L, S); bool (True = may attend) or float (added to the scores).
        dropout_p: dropout probability on the weights (applied whenever > 0, as in torch;
            pass 0 in evaluation).
        is_causal: query i attends to keys 0..i only (then ``attn_mask`` must be None, as in torch).
        scale: the factor on the scores (default 1 / sqrt(E)).
        enable_gqa: grouped-query attention: key and value may have fewer heads (axis -3)
            than query, a divisor of them; key/value head j serves query heads j*G .. j*G + G-1.
        rng: generator for the dropout mask (default: the module generator).

    Returns:
        (..., L, Ev).
    """
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    _check_inputs(q, k, v, enable_gqa)
    if enable_gqa and q.ndim >= 3 and k.shape[-3] != q.shape[-3]:
        k, v = _repeat_heads(k, q.shape[-3]), _repeat_heads(v, q.shape[-3])
    if not 0.0 <= dropout_p <= 1.0:
        raise OpInputError(f"scaled_dot_product_attention: dropout_p must be in [0, 1], got {dropout_p}")
    scale = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    inputs = [q, k, v]
    keep = None
    if attn_mask is not None and is_causal:
        raise OpInputError("scaled_dot_product_attention: an explicit attn_mask should not be set when is_causal=True")
    if attn_mask is not None:
        mask = as_tensor(attn_mask)
        _check_mask(mask, q, k)
        if mask.dtype == np.bool_:
            keep = mask.array
        else:
            inputs.append(mask)
    return ScaledDotProductAttention.apply(*inputs, scale=scale, keep=keep, causal=bool(is_causal),
                                           dropout_p=float(dropout_p),
                                           rng=resolve_rng(rng) if dropout_p > 0 else None)


def _check_inputs(q: Tensor, k: Tensor, v: Tensor, enable_gqa: bool) -> None:
    name = "scaled_dot_product_attention"
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise OpInputError(f"{name}: query, key and value need at least 2 dims (..., seq, features); "
                           f"got shapes {q.shape}, {k.shape}, {v.shape}")
    if not (backend.is_float(q.dtype) and q.dtype == k.dtype == v.dtype):
        raise OpDtypeError(f"{name}: query, key and value must share one floating dtype; "
                           f"got {q.dtype}, {k.dtype}, {v.dtype}")
    if q.shape[-1] != k.shape[-1]:
        raise OpInputError(f"{name}: query's last dim {q.shape[-1]} must equal key's {k.shape[-1]} "
                           f"(shapes {q.shape} and {k.shape})")
    if k.shape[-2] != v.shape[-2]:
        raise OpInputError(f"{name}: key and value must have the same sequence length (dim -2); "
                           f"got shapes {k.shape} and {v.shape}")
    if enable_gqa and q.ndim >= 3 and (k.ndim < 3 or q.shape[-3] % k.shape[-3] or k.shape[-3] != v.shape[-3]):
        raise OpInputError(f"{name}: with enable_gqa, query heads (dim -3) must be a multiple of key/value heads; "
                           f"got shapes {q.shape}, {k.shape}, {v.shape}")


def _check_mask(mask: Tensor, q: Tensor, k: Tensor) -> None:
    name = "scaled_dot_product_attention"
    weights_shape = tuple(q.shape[:-1]) + (k.shape[-2],)
    if mask.dtype != np.bool_ and mask.dtype != q.dtype:
        raise OpDtypeError(f"{name}: attn_mask must be bool or of the query's dtype {q.dtype}, got {mask.dtype}")
    try:
        np.broadcast_shapes(tuple(mask.shape), weights_shape)
    except ValueError:
        raise OpInputError(f"{name}: attn_mask of shape {tuple(mask.shape)} does not broadcast to the attention "
                           f"weights' shape (..., L, S) = {weights_shape}") from None


def _repeat_heads(t: Tensor, n_heads: int) -> Tensor:
    """(..., h, S, E) -> (..., n_heads, S, E), each head repeated n_heads / h times in a row."""
    from glassgrad import ops

    h = t.shape[-3]
    grown = ops.expand(ops.unsqueeze(t, -3), t.shape[:-3] + (h, n_heads // h) + t.shape[-2:])
    return ops.reshape(grown, t.shape[:-3] + (n_heads,) + t.shape[-2:])
