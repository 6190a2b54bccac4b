"""EmbeddingBag: the sum, mean or max of the embedding rows of each bag of indices, as one layer
(a Module over ``glassgrad/ops/embedding_bag.py``, where the derivatives are documented)."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.nn import init
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.embedding_bag import MODES, embedding_bag
from glassgrad.tensor import Tensor, as_tensor


class EmbeddingBag(Module):
    """y_b = the sum, mean or max of weight[i] over the indices i of bag b.

    Args: as Embedding, plus ``mode`` ('sum', 'mean' (default) or 'max') and ``include_last_offset``
    (the offsets hold one more entry, the end of the last bag). ``scale_grad_by_freq`` and ``sparse`` are
    not implemented (True raises NotImplementedError).

    Shape: input (B, L) bags of a fixed length, or 1-D indices with ``offsets`` (B,) marking where each bag
    starts; ``per_sample_weights`` (mode 'sum') the input's shape; output (B, D).

    Attributes: weight (N, D), N(0, 1) as torch; the padding row is zero.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                 _weight: Any = None, include_last_offset: bool = False, padding_idx: int | None = None,
                 device: Any = None, dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if scale_grad_by_freq or sparse:
            raise NotImplementedError("EmbeddingBag: scale_grad_by_freq and sparse gradients are not implemented")
        if mode not in MODES:
            raise ValueError(f"EmbeddingBag: mode has to be one of {MODES}, got {mode!r}")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"EmbeddingBag: padding_idx must be within num_embeddings, got {padding_idx}")
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.max_norm, self.norm_type, self.scale_grad_by_freq = max_norm, norm_type, scale_grad_by_freq
        self.mode, self.sparse, self.include_last_offset = mode, sparse, include_last_offset
        self.padding_idx = padding_idx
        if _weight is None:
            dtype = dtype or backend.get_default_dtype()
            self.weight = Parameter(backend.xp.zeros((num_embeddings, embedding_dim), dtype=dtype))
            self.reset_parameters(rng)
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise ValueError(f"EmbeddingBag: Shape of weight {tuple(_weight.shape)} does not match num_embeddings "
                                 f"and embedding_dim ({num_embeddings}, {embedding_dim})")
            self.weight = Parameter(as_tensor(_weight).detach())
        if device is not None:
            self.to(device)

    @classmethod
    def from_pretrained(cls, embeddings: Any, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                        sparse: bool = False, include_last_offset: bool = False,
                        padding_idx: int | None = None) -> EmbeddingBag:
        """An EmbeddingBag whose table is ``embeddings`` (N, D); ``freeze``: it takes no gradient (torch's)."""
        embeddings = as_tensor(embeddings)
        if embeddings.ndim != 2:
            raise ValueError(f"Embeddings parameter is expected to be 2-dimensional, got shape {embeddings.shape}")
        layer = cls(*embeddings.shape, max_norm, norm_type, scale_grad_by_freq, mode, sparse, embeddings,
                    include_last_offset, padding_idx)
        layer.weight.requires_grad = not freeze
        return layer

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        init.normal_(self.weight, 0.0, 1.0, rng)
        if self.padding_idx is not None:
            self.weight.array[self.padding_idx] = 0

    def forward(self, input: Any, offsets: Any = None, per_sample_weights: Any = None) -> Tensor:  # noqa: A002
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type, self.scale_grad_by_freq,
                             self.mode, self.sparse, per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s
