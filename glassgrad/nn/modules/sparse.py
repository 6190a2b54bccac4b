"""torch.nn.modules.sparse (defined in glassgrad/nn/embedding.py)."""

from glassgrad.nn.embedding import Embedding as Embedding

__all__ = ["Embedding"]
