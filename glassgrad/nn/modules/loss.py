"""torch.nn.modules.loss (defined in glassgrad/nn/loss.py)."""

from glassgrad.nn.loss import BCELoss as BCELoss
from glassgrad.nn.loss import BCEWithLogitsLoss as BCEWithLogitsLoss
from glassgrad.nn.loss import CosineEmbeddingLoss as CosineEmbeddingLoss
from glassgrad.nn.loss import CrossEntropyLoss as CrossEntropyLoss
from glassgrad.nn.loss import HuberLoss as HuberLoss
from glassgrad.nn.loss import KLDivLoss as KLDivLoss
from glassgrad.nn.loss import L1Loss as L1Loss
from glassgrad.nn.loss import MarginRankingLoss as MarginRankingLoss
from glassgrad.nn.loss import MSELoss as MSELoss
from glassgrad.nn.loss import NLLLoss as NLLLoss
from glassgrad.nn.loss import SmoothL1Loss as SmoothL1Loss

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "CosineEmbeddingLoss", "CrossEntropyLoss", "HuberLoss", "KLDivLoss",
    "L1Loss", "MarginRankingLoss", "MSELoss", "NLLLoss", "SmoothL1Loss",
]
