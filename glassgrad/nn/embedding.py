"""Embedding: a lookup table of learned vectors, one row per index."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.nn import init
from glassgrad.nn.module import Module
from glassgrad.nn.parameter import Parameter
from glassgrad.ops.embedding import embedding
from glassgrad.tensor import Tensor


class Embedding(Module):
    """y = weight[indices].

    Args:
        num_embeddings: size of the table N (e.g. the vocabulary).
        embedding_dim: size D of each vector.
        padding_idx: a row (may be negative) that starts at zero and receives no gradient (default None).
        dtype: parameter dtype (default float32).
        rng: generator for the initial weights (default: the module generator).

    Shape:
        indices: integers of any shape S -> output (*S, D).

    Attributes:
        weight: (N, D), N(0, 1) as torch; the padding row is zero.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 dtype: Any = None, rng: np.random.Generator | None = None) -> None:
        super().__init__()
        for name, value in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"Embedding: {name} must be a positive integer, got {value!r}")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx {padding_idx} is out of range for {num_embeddings} rows")
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim, self.padding_idx = num_embeddings, embedding_dim, padding_idx
        dtype = dtype or backend.get_default_dtype()
        self.weight = Parameter(backend.xp.zeros((num_embeddings, embedding_dim), dtype=dtype))
        self.reset_parameters(rng)

    def reset_parameters(self, rng: np.random.Generator | None = None) -> None:
        init.normal_(self.weight, 0.0, 1.0, rng)
        if self.padding_idx is not None:
            self.weight.array[self.padding_idx] = 0

    def forward(self, indices: Any) -> Tensor:
        return embedding(indices, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        return s if self.padding_idx is None else s + f", padding_idx={self.padding_idx}"
