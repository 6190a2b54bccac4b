"""``multi_head_attention_forward``: the computation of nn.MultiheadAttention, with the weights
passed in (torch.nn.functional's function of that name; the layer calls it).

The steps, for queries (N, L, E) and keys / values (N, S, kdim / vdim):

1. project: q = query W_q^T + b_q, k = key W_k^T + b_k, v = value W_v^T + b_v (one (3E, E)
   product when query, key and value are one tensor: self-attention);
2. merge ``attn_mask`` and ``key_padding_mask`` into one mask (torch's bool convention here:
   True = may NOT attend; float masks are added to the scores);
3. optionally append ``bias_k``/``bias_v`` and a zero key/value (add_bias_kv, add_zero_attn);
4. split the E features into ``num_heads`` heads of E / num_heads: (N, heads, L, d), a batch
   axis for the attention op, so there is no loop over heads;
5. attention: the fused op (``glassgrad.ops.attention``) when the weights are not wanted,
   else the same computation from plain ops, which keeps the weights to return them;
6. put the heads side by side again and apply the output projection.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend, ops
from glassgrad.ops.attention import scaled_dot_product_attention
from glassgrad.tensor import Tensor, as_tensor

NAME = "MultiheadAttention"
_CAUSAL = object()  # marker: use the op's causal mode instead of a mask


def multi_head_attention_forward(query: Any, key: Any, value: Any, embed_dim_to_check: int, num_heads: int,
                                 in_proj_weight: Any, in_proj_bias: Any, bias_k: Any, bias_v: Any,
                                 add_zero_attn: bool, dropout_p: float, out_proj_weight: Any, out_proj_bias: Any,
                                 training: bool = True, key_padding_mask: Any = None, need_weights: bool = True,
                                 attn_mask: Any = None, use_separate_proj_weight: bool = False,
                                 q_proj_weight: Any = None, k_proj_weight: Any = None, v_proj_weight: Any = None,
                                 static_k: Any = None, static_v: Any = None, average_attn_weights: bool = True,
                                 is_causal: bool = False, *, batch_first: bool = False) -> tuple[Tensor, Any]:
    """Multi-head attention as torch.nn.functional.multi_head_attention_forward.

    Inputs are sequence-first, (L, N, E) / (S, N, kdim) / (S, N, vdim), or unbatched (L, E);
    ``batch_first=True`` (a glassgrad keyword) takes and returns (N, L, E) instead.
    Returns (output like query, weights (N, L, S) averaged over heads or (N, heads, L, S), or None).
    """
    if static_k is not None or static_v is not None:
        raise NotImplementedError("multi_head_attention_forward: static_k / static_v are not supported")
    query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
    if use_separate_proj_weight:
        weights = (q_proj_weight, k_proj_weight, v_proj_weight)
        widths = (embed_dim_to_check,) + tuple(w.shape[1] for w in weights[1:])
    else:
        weights, widths = in_proj_weight, (embed_dim_to_check,) * 3
    batched = _check_inputs(query, key, value, widths, batch_first)
    if embed_dim_to_check % num_heads:
        raise ValueError(f"{NAME}: embed_dim {embed_dim_to_check} must be divisible by num_heads {num_heads}")
    if batched and not batch_first:  # internally everything is batch-first: (N, L, E)
        query, key, value = (ops.transpose(t, 0, 1) for t in (query, key, value))
    elif not batched:
        query, key, value = (ops.unsqueeze(t, 0) for t in (query, key, value))
        if key_padding_mask is not None:
            key_padding_mask = ops.unsqueeze(as_tensor(key_padding_mask), 0)
    if is_causal and attn_mask is None:
        raise RuntimeError(f"{NAME}: is_causal is a hint that attn_mask is the causal mask; pass attn_mask too "
                           "(nn.Transformer.generate_square_subsequent_mask(L))")
    q, k, v = _project(query, key, value, weights, in_proj_bias, embed_dim_to_check)  # (N, L, E), (N, S, E) x 2
    n, n_queries, e = q.shape
    mask = _merged_mask(attn_mask, key_padding_mask, n, num_heads, n_queries, key.shape[1], q.dtype,
                        use_causal=is_causal and key_padding_mask is None and not need_weights)
    if bias_k is not None and bias_v is not None:
        if mask is _CAUSAL:
            raise ValueError(f"{NAME}: is_causal cannot be used with add_bias_kv")
        k = ops.concatenate([k, ops.expand(bias_k, (n, 1, e))], 1)
        v = ops.concatenate([v, ops.expand(bias_v, (n, 1, e))], 1)
        mask = _allow_last_key(mask)
    d = e // num_heads
    q, k, v = (ops.transpose(ops.reshape(t, (n, t.shape[1], num_heads, d)), 1, 2) for t in (q, k, v))  # (N, H, *, d)
    if add_zero_attn:
        k, v, mask = _append_zero_key(k, v, mask)
    p = dropout_p if training else 0.0
    if need_weights:
        out, attn = _attention_with_weights(q, k, v, mask, p)
        attn = ops.mean(attn, 1) if average_attn_weights else attn
    else:
        causal = mask is _CAUSAL
        out = scaled_dot_product_attention(q, k, v, None if causal else mask, p, is_causal=causal)
        attn = None
    if batched and not batch_first:  # heads joined in (L, N, E) order: the projection's output is then
        # contiguous in the caller's layout, as torch's (a transpose after it would be a strided view)
        joined = ops.reshape(ops.permute(out, (2, 0, 1, 3)), (n_queries, n, e))  # (N, H, L, d) -> (L, N, E)
        return ops.linear(joined, out_proj_weight, out_proj_bias), attn
    out = ops.linear(ops.reshape(ops.transpose(out, 1, 2), (n, n_queries, e)), out_proj_weight, out_proj_bias)
    if not batched:
        return ops.squeeze(out, 0), (None if attn is None else ops.squeeze(attn, 0))
    return out, attn


def _check_inputs(query: Tensor, key: Tensor, value: Tensor, widths: tuple[int, int, int], batch_first: bool) -> bool:
    """Whether the inputs are batched (3-D); raises on shapes that do not fit."""
    if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
        raise ValueError(f"{NAME}: query, key and value must all be 3-D (batched) or all 2-D (unbatched); "
                         f"got shapes {query.shape}, {key.shape}, {value.shape}")
    for label, t, width in zip(("query", "key", "value"), (query, key, value), widths):
        if t.shape[-1] != width:
            raise ValueError(f"{NAME}: {label} of shape {t.shape} should have {width} features (last dim)")
    seq_axis = 1 if batch_first and query.ndim == 3 else 0
    if key.shape[seq_axis] != value.shape[seq_axis]:
        raise ValueError(f"{NAME}: key and value must have the same length, got shapes {key.shape} and {value.shape}")
    if query.ndim == 3 and not query.shape[1 - seq_axis] == key.shape[1 - seq_axis] == value.shape[1 - seq_axis]:
        raise ValueError(f"{NAME}: query, key and value must have the same batch size, got shapes "
                         f"{query.shape}, {key.shape}, {value.shape}")
    return query.ndim == 3


def _project(query: Tensor, key: Tensor, value: Tensor, weights: Any, bias: Any, e: int
             ) -> tuple[Tensor, Tensor, Tensor]:
    """q = query W_q^T + b_q, k = key W_k^T + b_k, v = value W_v^T + b_v (one product for self-attention)."""
    b_q, b_k, b_v = (None, None, None) if bias is None else ops.split(bias, e, 0)
    if isinstance(weights, tuple):  # separate projection weights (kdim / vdim differ from E)
        w_q, w_k, w_v = weights
        return ops.linear(query, w_q, b_q), ops.linear(key, w_k, b_k), ops.linear(value, w_v, b_v)
    if query is key and key is value:  # self-attention: one (3E, E) product, then cut
        return ops.split(ops.linear(query, weights, bias), e, -1)
    w_q, w_k, w_v = ops.split(weights, e, 0)
    return ops.linear(query, w_q, b_q), ops.linear(key, w_k, b_k), ops.linear(value, w_v, b_v)


def _merged_mask(attn_mask: Any, key_padding_mask: Any, n: int, heads: int, n_queries: int, n_keys: int,
                 dtype: Any, use_causal: bool) -> Any:
    """attn_mask and key_padding_mask as ONE mask for the attention op, broadcastable to (N, H, L, S):
    bool (True = may attend, the op's convention) when both are bool, else float (added to the
    scores), or None; ``_CAUSAL`` when the is_causal hint can stand in for attn_mask (as in torch)."""
    if use_causal:
        return _CAUSAL
    masks = []
    if attn_mask is not None:
        attn_mask = as_tensor(attn_mask)
        if attn_mask.ndim == 2:
            expected: tuple[int, ...] = (n_queries, n_keys)
        elif attn_mask.ndim == 3:
            expected = (n * heads, n_queries, n_keys)
        else:
            raise ValueError(f"{NAME}: attn_mask must be 2-D (L, S) or 3-D (N * num_heads, L, S), "
                             f"got shape {attn_mask.shape}")
        if tuple(attn_mask.shape) != expected:
            raise ValueError(f"{NAME}: the {attn_mask.ndim}-D attn_mask has shape {attn_mask.shape}, "
                             f"but should be {expected}")
        masks.append(ops.reshape(attn_mask, (n, heads, n_queries, n_keys)) if attn_mask.ndim == 3 else attn_mask)
    if key_padding_mask is not None:
        key_padding_mask = as_tensor(key_padding_mask)
        if tuple(key_padding_mask.shape) != (n, n_keys):
            raise ValueError(f"{NAME}: key_padding_mask has shape {key_padding_mask.shape}, "
                             f"but should be (N, S) = {(n, n_keys)}")
        masks.append(ops.reshape(key_padding_mask, (n, 1, 1, n_keys)))
    for m in masks:
        if m.dtype != np.bool_ and not backend.is_float(m.dtype):
            raise TypeError(f"{NAME}: masks must be bool or float, got {m.dtype}")
    if not masks:
        return None
    if all(m.dtype == np.bool_ for m in masks):
        blocked = masks[0].array if len(masks) == 1 else masks[0].array | masks[1].array
        return Tensor._make(~blocked, False)
    total = None
    for m in masks:
        if m.dtype == np.bool_:
            additive = _bool_to_additive(m.array, dtype)
        else:
            additive = m if m.dtype == dtype else ops.cast(m, dtype)
        total = additive if total is None else ops.add(total, additive)
    return total


def _bool_to_additive(blocked: Any, dtype: Any) -> Tensor:
    """A bool array (True = blocked) as 0 / -inf to add to the scores."""
    xp = backend.xp
    return Tensor._make(xp.where(blocked, -xp.inf, 0.0).astype(dtype), False)


def _allow_last_key(mask: Any) -> Any:
    """The mask with one more key column that every query may attend to (pad with True / 0)."""
    if mask is None or mask is _CAUSAL or mask.shape[-1] == 1:  # a size-1 key axis broadcasts over the new key
        return mask
    widths = [(0, 0)] * (mask.ndim - 1) + [(0, 1)]
    if mask.dtype == np.bool_:
        return Tensor._make(backend.xp.pad(mask.array, widths, constant_values=True), False)
    zeros = Tensor._make(backend.xp.zeros(mask.shape[:-1] + (1,), dtype=mask.dtype), False)
    return ops.concatenate([mask, zeros], -1)


def _append_zero_key(k: Tensor, v: Tensor, mask: Any) -> tuple[Tensor, Tensor, Any]:
    """add_zero_attn: one more key and value of zeros, per head."""
    if mask is _CAUSAL:
        raise ValueError(f"{NAME}: is_causal cannot be used with add_zero_attn")
    zeros_k = Tensor._make(backend.xp.zeros(k.shape[:2] + (1,) + k.shape[3:], dtype=k.dtype), False)
    zeros_v = Tensor._make(backend.xp.zeros(v.shape[:2] + (1,) + v.shape[3:], dtype=v.dtype), False)
    return ops.concatenate([k, zeros_k], 2), ops.concatenate([v, zeros_v], 2), _allow_last_key(mask)


def _attention_with_weights(q: Tensor, k: Tensor, v: Tensor, mask: Any, dropout_p: float) -> tuple[Tensor, Tensor]:
    """The same attention from plain ops, keeping the weights (N, H, L, S) to return them, as torch's
    need_weights path does: a row whose keys are all masked gives NaN weights here, as in torch."""
    scores = ops.matmul(q * (1.0 / math.sqrt(q.shape[-1])), ops.transpose(k, -2, -1))  # (N, H, L, S)
    if mask is not None:
        scores = scores + (_bool_to_additive(~mask.array, q.dtype) if mask.dtype == np.bool_ else mask)
    weights = ops.softmax(scores, -1)
    if dropout_p > 0.0:
        weights = ops.dropout(weights, dropout_p)
    return ops.matmul(weights, v), weights
