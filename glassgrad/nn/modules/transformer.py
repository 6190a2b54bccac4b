"""torch.nn.modules.transformer (defined in glassgrad/nn/transformer.py)."""

from glassgrad.nn.transformer import Transformer as Transformer
from glassgrad.nn.transformer import TransformerDecoder as TransformerDecoder
from glassgrad.nn.transformer import TransformerDecoderLayer as TransformerDecoderLayer
from glassgrad.nn.transformer import TransformerEncoder as TransformerEncoder
from glassgrad.nn.transformer import TransformerEncoderLayer as TransformerEncoderLayer

__all__ = [
    "Transformer", "TransformerDecoder", "TransformerDecoderLayer", "TransformerEncoder", "TransformerEncoderLayer",
]
