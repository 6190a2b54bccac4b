"""The Transformer (Vaswani et al. 2017) as torch.nn has it: encoder and decoder layers,
their stacks, and the whole encoder-decoder model.

An encoder layer is two residual blocks, self-attention then a feed-forward net:

    post-norm (norm_first=False, the 2017 paper):  x = norm1(x + SA(x));       x = norm2(x + FF(x))
    pre-norm  (norm_first=True, GPT-2 and later):  x = x + SA(norm1(x));       x = x + FF(norm2(x))

with FF(x) = linear2(dropout(activation(linear1(x)))). A decoder layer adds a
cross-attention block (queries from the decoder, keys and values from the
encoder's output, the "memory") between the two. Constructor arguments,
forward arguments and state_dict keys are torch's, so torch weights load as
they are.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from glassgrad import backend, ops
from glassgrad.nn import init
from glassgrad.nn.activation import gelu
from glassgrad.nn.attention import MultiheadAttention
from glassgrad.nn.containers import ModuleList
from glassgrad.nn.dropout import Dropout
from glassgrad.nn.linear import Linear
from glassgrad.nn.module import Module
from glassgrad.nn.normalization import LayerNorm
from glassgrad.tensor import Tensor

Activation = str | Callable[[Tensor], Tensor]


def _activation(activation: Activation) -> Callable[[Tensor], Tensor]:
    if activation == "relu":
        return ops.relu
    if activation == "gelu":
        return gelu
    if callable(activation):
        return activation
    raise RuntimeError(f"activation should be relu/gelu, not {activation}")


class _FeedForwardMixin:
    """The position-wise feed-forward block shared by both layer kinds."""

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


def _build_feed_forward(layer: Module, d_model: int, dim_feedforward: int, dropout: float, activation: Activation,
                        bias: bool, dtype: Any, rng: np.random.Generator | None) -> None:
    layer.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype, rng=rng)
    layer.dropout = Dropout(dropout)
    layer.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype, rng=rng)
    layer.activation = _activation(activation)


class TransformerEncoderLayer(_FeedForwardMixin, Module):
    """Self-attention and a feed-forward net, each inside a residual connection with LayerNorm.

    Args:
        d_model: model width E.
        nhead: attention heads (E must be divisible by it).
        dim_feedforward: hidden width of the feed-forward net (default 2048).
        dropout: on the attention weights, after each block, and inside the feed-forward net (default 0.1).
        activation: the relu function (default, as torch), "relu", "gelu", or a callable.
        layer_norm_eps: LayerNorm's eps (default 1e-5).
        batch_first: (N, L, E) instead of (L, N, E).
        norm_first: pre-norm (LayerNorm before each block) instead of post-norm.
        bias: biases in the linear layers and LayerNorms.

    Shape:
        src (L, N, E), or (N, L, E) with batch_first, or (L, E) -> the same.
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: Activation = ops.relu, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None, dtype: Any = None, *,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        dtype = dtype or backend.get_default_dtype()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            dtype=dtype, rng=rng)
        _build_feed_forward(self, d_model, dim_feedforward, dropout, activation, bias, dtype, rng)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1, self.dropout2 = Dropout(dropout), Dropout(dropout)
        if device is not None:
            self.to(device)

    def forward(self, src: Tensor, src_mask: Any = None, src_key_padding_mask: Any = None,
                is_causal: bool = False) -> Tensor:
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x: Tensor, attn_mask: Any, key_padding_mask: Any, is_causal: bool) -> Tensor:
        out = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, need_weights=False,
                             is_causal=is_causal)[0]
        return self.dropout1(out)


class TransformerDecoderLayer(_FeedForwardMixin, Module):
    """Masked self-attention, cross-attention over the memory, and a feed-forward net,
    each inside a residual connection with LayerNorm (post-norm, or pre-norm with norm_first).

    Args: as TransformerEncoderLayer.

    Shape:
        tgt (T, N, E) and memory (S, N, E) (batch-first or unbatched likewise) -> (T, N, E).
    """

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048, dropout: float = 0.1,
                 activation: Activation = ops.relu, layer_norm_eps: float = 1e-5, batch_first: bool = False,
                 norm_first: bool = False, bias: bool = True, device: Any = None, dtype: Any = None, *,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        dtype = dtype or backend.get_default_dtype()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first,
                                            dtype=dtype, rng=rng)
        self.multihead_attn = MultiheadAttention(d_model, nhead, dropout=dropout, bias=bias,
                                                 batch_first=batch_first, dtype=dtype, rng=rng)
        _build_feed_forward(self, d_model, dim_feedforward, dropout, activation, bias, dtype, rng)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm3 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1, self.dropout2, self.dropout3 = Dropout(dropout), Dropout(dropout), Dropout(dropout)
        if device is not None:
            self.to(device)

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Any = None, memory_mask: Any = None,
                tgt_key_padding_mask: Any = None, memory_key_padding_mask: Any = None, tgt_is_causal: bool = False,
                memory_is_causal: bool = False) -> Tensor:
        x = tgt
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), tgt_mask, tgt_key_padding_mask, tgt_is_causal)
            x = x + self._mha_block(self.norm2(x), memory, memory_mask, memory_key_padding_mask, memory_is_causal)
            return x + self._ff_block(self.norm3(x))
        x = self.norm1(x + self._sa_block(x, tgt_mask, tgt_key_padding_mask, tgt_is_causal))
        x = self.norm2(x + self._mha_block(x, memory, memory_mask, memory_key_padding_mask, memory_is_causal))
        return self.norm3(x + self._ff_block(x))

    def _sa_block(self, x: Tensor, attn_mask: Any, key_padding_mask: Any, is_causal: bool) -> Tensor:
        out = self.self_attn(x, x, x, attn_mask=attn_mask, key_padding_mask=key_padding_mask, is_causal=is_causal,
                             need_weights=False)[0]
        return self.dropout1(out)

    def _mha_block(self, x: Tensor, memory: Tensor, attn_mask: Any, key_padding_mask: Any,
                   is_causal: bool) -> Tensor:
        out = self.multihead_attn(x, memory, memory, attn_mask=attn_mask, key_padding_mask=key_padding_mask,
                                  is_causal=is_causal, need_weights=False)[0]
        return self.dropout2(out)

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))


def _clones(layer: Module, n: int) -> ModuleList:
    """n independent deep copies of ``layer`` (so all start from the same weights, as in torch)."""
    return ModuleList([copy.deepcopy(layer) for _ in range(n)])


def _is_causal_mask(mask: Any, is_causal: bool | None, size: int) -> bool:
    """torch's rule: an explicit is_causal wins; otherwise, is ``mask`` exactly the causal mask?"""
    if is_causal is not None:
        return bool(is_causal)
    if mask is None:
        return False
    array = mask.array if isinstance(mask, Tensor) else np.asarray(mask)
    if tuple(array.shape) != (size, size):
        return False
    causal = Transformer.generate_square_subsequent_mask(size, dtype=np.float64).array
    if array.dtype == np.bool_:
        return bool((array == ~np.isfinite(causal)).all())
    return bool((array == causal).all())


class TransformerEncoder(Module):
    """A stack of ``num_layers`` copies of ``encoder_layer``, then an optional final ``norm``.

    ``enable_nested_tensor`` and ``mask_check`` are accepted for torch compatibility
    (they choose torch's fast paths; the result is the same).
    """

    def __init__(self, encoder_layer: TransformerEncoderLayer, num_layers: int, norm: Module | None = None,
                 enable_nested_tensor: bool = True, mask_check: bool = True) -> None:
        super().__init__()
        self.layers = _clones(encoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm
        self.enable_nested_tensor, self.mask_check = enable_nested_tensor, mask_check

    def forward(self, src: Tensor, mask: Any = None, src_key_padding_mask: Any = None,
                is_causal: bool | None = None) -> Tensor:
        seq_axis = 1 if self.layers[0].self_attn.batch_first and src.ndim == 3 else 0
        causal = _is_causal_mask(mask, is_causal, src.shape[seq_axis])
        x = src
        for layer in self.layers:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_key_padding_mask, is_causal=causal)
        return x if self.norm is None else self.norm(x)


class TransformerDecoder(Module):
    """A stack of ``num_layers`` copies of ``decoder_layer``, then an optional final ``norm``."""

    def __init__(self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None) -> None:
        super().__init__()
        self.layers = _clones(decoder_layer, num_layers)
        self.num_layers = num_layers
        self.norm = norm

    def forward(self, tgt: Tensor, memory: Tensor, tgt_mask: Any = None, memory_mask: Any = None,
                tgt_key_padding_mask: Any = None, memory_key_padding_mask: Any = None,
                tgt_is_causal: bool | None = None, memory_is_causal: bool = False) -> Tensor:
        seq_axis = 1 if self.layers[0].self_attn.batch_first and tgt.ndim == 3 else 0
        causal = _is_causal_mask(tgt_mask, tgt_is_causal, tgt.shape[seq_axis])
        x = tgt
        for layer in self.layers:
            x = layer(x, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                      tgt_key_padding_mask=tgt_key_padding_mask, memory_key_padding_mask=memory_key_padding_mask,
                      tgt_is_causal=causal, memory_is_causal=memory_is_causal)
        return x if self.norm is None else self.norm(x)


class Transformer(Module):
    """The encoder-decoder Transformer: ``encoder`` (a TransformerEncoder with a final LayerNorm)
    reads src; ``decoder`` (a TransformerDecoder with a final LayerNorm) reads tgt and the
    encoder's output. Every weight matrix starts Xavier-uniform (torch's ``_reset_parameters``).

    Args:
        d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first,
        norm_first, bias: as TransformerEncoderLayer (defaults 512, 8, 2048, 0.1, "relu", 1e-5, ...).
        num_encoder_layers, num_decoder_layers: stack depths (default 6 each).
        custom_encoder, custom_decoder: modules to use instead of the standard stacks.

    Shape:
        src (S, N, E), tgt (T, N, E) (batch-first: (N, S, E), (N, T, E)) -> (T, N, E).
    """

    def __init__(self, d_model: int = 512, nhead: int = 8, num_encoder_layers: int = 6, num_decoder_layers: int = 6,
                 dim_feedforward: int = 2048, dropout: float = 0.1, activation: Activation = ops.relu,
                 custom_encoder: Module | None = None, custom_decoder: Module | None = None,
                 layer_norm_eps: float = 1e-5, batch_first: bool = False, norm_first: bool = False,
                 bias: bool = True, device: Any = None, dtype: Any = None, *,
                 rng: np.random.Generator | None = None) -> None:
        super().__init__()
        settings = dict(dim_feedforward=dim_feedforward, dropout=dropout, activation=activation,
                        layer_norm_eps=layer_norm_eps, batch_first=batch_first, norm_first=norm_first, bias=bias,
                        dtype=dtype, rng=rng)
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, **settings)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(d_model, nhead, **settings)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        self.d_model, self.nhead, self.batch_first = d_model, nhead, batch_first
        for p in self.parameters():
            if p.ndim > 1:
                init.xavier_uniform_(p, rng=rng)
        if device is not None:
            self.to(device)

    def forward(self, src: Tensor, tgt: Tensor, src_mask: Any = None, tgt_mask: Any = None, memory_mask: Any = None,
                src_key_padding_mask: Any = None, tgt_key_padding_mask: Any = None,
                memory_key_padding_mask: Any = None, src_is_causal: bool | None = None,
                tgt_is_causal: bool | None = None, memory_is_causal: bool = False) -> Tensor:
        batch_axis = 0 if self.batch_first else 1
        if src.ndim == 3 and src.shape[batch_axis] != tgt.shape[batch_axis]:
            raise RuntimeError(f"Transformer: the batch number of src {src.shape} and tgt {tgt.shape} must be equal")
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            raise RuntimeError(f"Transformer: the feature number of src {src.shape} and tgt {tgt.shape} must be "
                               f"equal to d_model {self.d_model}")
        memory = self.encoder(src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal)
        return self.decoder(tgt, memory, tgt_mask=tgt_mask, memory_mask=memory_mask,
                            tgt_key_padding_mask=tgt_key_padding_mask,
                            memory_key_padding_mask=memory_key_padding_mask, tgt_is_causal=tgt_is_causal,
                            memory_is_causal=memory_is_causal)

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Tensor:
        """(sz, sz) float mask for causal attention: 0 on and below the diagonal, -inf above."""
        xp = backend.xp
        dtype = dtype or backend.get_default_dtype()
        upper = xp.triu(xp.ones((sz, sz), dtype=bool), 1)
        return Tensor._make(xp.where(upper, -xp.inf, 0.0).astype(dtype), False)
