"""MultiheadAttention, as torch.nn.MultiheadAttention (same arguments, same state_dict keys).

    head_i = softmax(Q W_q,i (K W_k,i)^T / sqrt(d) + mask) V W_v,i      d = embed_dim / num_heads
    out    = concat(head_1, ..., head_h) W_o^T + b_o

The heads are not a loop: the projected queries, keys and values are reshaped
to (N, heads, seq, d) and one batched attention op handles every head
(``glassgrad.ops.attention``); the steps are in ``attention_functional.py``
(``F.multi_head_attention_forward``), this file holds the parameters. The masks follow torch's conventions, which are
the OPPOSITE of ``scaled_dot_product_attention``'s for bool masks: here
True means "may NOT attend" (a padded key, a future position).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.nn import init
from glassgrad.nn.attention_functional import multi_head_attention_forward
from glassgrad.nn.linear import NonDynamicallyQuantizableLinear
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.tensor import Tensor


class MultiheadAttention(Module):
    """Attention with ``num_heads`` parallel heads over learned projections.

    Args:
        embed_dim: E, the model width (query features and output features).
        num_heads: heads; E must be divisible by it (each head has E / num_heads features).
        dropout: dropout on the attention weights, in training mode (default 0).
        bias: biases on the input and output projections (default True).
        add_bias_kv: append a learned key and value (``bias_k``, ``bias_v``) to the sequence.
        add_zero_attn: append a zero key and value to the sequence (after ``bias_k``/``bias_v``).
        kdim, vdim: key and value features (default E); if either differs from E, the
            projections are three separate weights ``q_proj_weight``, ``k_proj_weight``,
            ``v_proj_weight`` instead of one packed ``in_proj_weight``.
        batch_first: inputs and outputs are (N, L, E) instead of (L, N, E).
        device: where the parameters live (default: the default device).
        dtype: parameter dtype (default float32).
        rng: generator for the initial weights (keyword only).

    Shape:
        query (L, N, E) or (N, L, E) with batch_first, or (L, E) unbatched;
        key (S, N, kdim), value (S, N, vdim) likewise;
        key_padding_mask (N, S) (or (S,) unbatched): True / -inf = ignore that key;
        attn_mask (L, S) or (N * num_heads, L, S): True / -inf = may not attend;
        output (L, N, E) (or batch-first / unbatched as the input);
        weights (N, L, S) averaged over heads, or (N, num_heads, L, S).

    Attributes:
        in_proj_weight: (3E, E) the packed W_q, W_k, W_v, Xavier-uniform.
        in_proj_bias: (3E,) zeros.
        out_proj: Linear(E, E) (a NonDynamicallyQuantizableLinear, as torch's), torch's default init for
            the weight, bias zeros.
        bias_k, bias_v: (1, 1, E) Xavier-normal, with ``add_bias_kv``.
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None, dtype: Any = None, *,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"MultiheadAttention: embed_dim and num_heads must be positive, got {embed_dim} "
                             f"and {num_heads}")
        if embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim {embed_dim} must be divisible by num_heads {num_heads}")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.head_dim = embed_dim // num_heads
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.batch_first, self.add_zero_attn = batch_first, add_zero_attn
        dtype = dtype or backend.get_default_dtype()
        xp = backend.xp
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(xp.zeros((3 * embed_dim, embed_dim), dtype=dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.q_proj_weight = Parameter(xp.zeros((embed_dim, embed_dim), dtype=dtype))
            self.k_proj_weight = Parameter(xp.zeros((embed_dim, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(xp.zeros((embed_dim, self.vdim), dtype=dtype))
            self.register_parameter("in_proj_weight", None)
        if bias:
            self.in_proj_bias = Parameter(xp.zeros(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = NonDynamicallyQuantizableLinear(embed_dim, embed_dim, bias=bias, dtype=dtype, rng=rng)
        if add_bias_kv:
            self.bias_k = Parameter(xp.zeros((1, 1, embed_dim), dtype=dtype))
            self.bias_v = Parameter(xp.zeros((1, 1, embed_dim), dtype=dtype))
        else:
            self.register_parameter("bias_k", None)
            self.register_parameter("bias_v", None)
        self._reset_parameters(rng)
        if device is not None:
            self.to(device)

    def _reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        """torch's init: Xavier-uniform projections, zero biases, Xavier-normal bias_k/bias_v."""
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight, rng=rng)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight, rng=rng)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        for extra in (self.bias_k, self.bias_v):
            if extra is not None:
                init.xavier_normal_(extra, rng=rng)

    def forward(self, query: Any, key: Any, value: Any, key_padding_mask: Any = None, need_weights: bool = True,
                attn_mask: Any = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        """(attention output, attention weights or None); see the class docstring for shapes."""
        return multi_head_attention_forward(
            query, key, value, self.embed_dim, self.num_heads, self.in_proj_weight, self.in_proj_bias,
            self.bias_k, self.bias_v, self.add_zero_attn, self.dropout, self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=need_weights,
            attn_mask=attn_mask, use_separate_proj_weight=not self._qkv_same_embed_dim,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight, v_proj_weight=self.v_proj_weight,
            average_attn_weights=average_attn_weights, is_causal=is_causal, batch_first=self.batch_first)

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, batch_first={self.batch_first}"
