"""Embedding: a lookup table of learned vectors, one row per index."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.nn import init
from glassgrad.nn.functional_layers import embedding
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.tensor import Tensor, as_tensor


class Embedding(Module):
    """y = weight[indices].

    Args:
        num_embeddings: size of the table N (e.g. the vocabulary).
        embedding_dim: size D of each vector.
        padding_idx: a row (may be negative) that starts at zero and receives no gradient (default None).
        max_norm: rows looked up whose ``norm_type``-norm exceeds it are rescaled to it, in place (default None).
        norm_type: the p of that norm (default 2).
        scale_grad_by_freq, sparse: not implemented (True raises NotImplementedError).
        _weight: an initial (N, D) table to use instead of a random one; _freeze: it takes no gradient.
        device, dtype: where the table lives, its dtype (default float32).
        rng: generator for the initial weights (default: the module generator; keyword only).

    Shape:
        indices: integers of any shape S -> output (*S, D).

    Attributes:
        weight: (N, D), N(0, 1) as torch; the padding row is zero.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                 sparse: bool = False, _weight: Any = None, _freeze: bool = False, device: Any = None,
                 dtype: Any = None, *, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        if scale_grad_by_freq or sparse:
            raise NotImplementedError("Embedding: scale_grad_by_freq and sparse gradients are not implemented")
        for name, value in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"Embedding: {name} must be a positive integer, got {value!r}")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx {padding_idx} is out of range for {num_embeddings} rows")
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim, self.padding_idx = num_embeddings, embedding_dim, padding_idx
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            dtype = dtype or backend.get_default_dtype()
            self.weight = Parameter(backend.xp.zeros((num_embeddings, embedding_dim), dtype=dtype),
                                    requires_grad=not _freeze)
            self.reset_parameters(rng)
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise ValueError(f"Embedding: Shape of weight {tuple(_weight.shape)} does not match num_embeddings "
                                 f"and embedding_dim ({num_embeddings}, {embedding_dim})")
            self.weight = Parameter(as_tensor(_weight).detach(), requires_grad=not _freeze)
        if device is not None:
            self.to(device)

    @classmethod
    def from_pretrained(cls, embeddings: Any, freeze: bool = True, padding_idx: int | None = None,
                        max_norm: float | None = None, norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:
        """An Embedding whose table is ``embeddings`` (N, D); ``freeze``: it takes no gradient (torch's)."""
        embeddings = as_tensor(embeddings)
        if embeddings.ndim != 2:
            raise ValueError(f"Embeddings parameter is expected to be 2-dimensional, got shape {embeddings.shape}")
        rows, dim = embeddings.shape
        return cls(rows, dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        init.normal_(self.weight, 0.0, 1.0, rng)
        if self.padding_idx is not None:
            self.weight.array[self.padding_idx] = 0

    def forward(self, indices: Any) -> Tensor:
        return embedding(indices, self.weight, self.padding_idx, self.max_norm, self.norm_type)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        return s if self.norm_type == 2 else s + f", norm_type={self.norm_type}"
