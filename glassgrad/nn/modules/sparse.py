"""torch.nn.modules.sparse (defined in glassgrad/nn/embedding.py, glassgrad/nn/embedding_bag.py)."""

from glassgrad.nn.embedding import Embedding as Embedding
from glassgrad.nn.embedding_bag import EmbeddingBag as EmbeddingBag

__all__ = ["Embedding", "EmbeddingBag"]
