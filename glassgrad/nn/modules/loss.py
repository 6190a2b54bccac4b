"""torch.nn.modules.loss; the classes are defined in
glassgrad/nn/loss.py, glassgrad/nn/loss_likelihood.py, glassgrad/nn/loss_margin.py.
With torch's private base classes, which programs test isinstance against."""

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
from glassgrad.nn.loss import _Loss as _Loss
from glassgrad.nn.loss import _WeightedLoss as _WeightedLoss
from glassgrad.nn.loss_likelihood import CTCLoss as CTCLoss
from glassgrad.nn.loss_likelihood import GaussianNLLLoss as GaussianNLLLoss
from glassgrad.nn.loss_likelihood import PoissonNLLLoss as PoissonNLLLoss
from glassgrad.nn.loss_margin import HingeEmbeddingLoss as HingeEmbeddingLoss
from glassgrad.nn.loss_margin import MultiLabelMarginLoss as MultiLabelMarginLoss
from glassgrad.nn.loss_margin import MultiLabelSoftMarginLoss as MultiLabelSoftMarginLoss
from glassgrad.nn.loss_margin import MultiMarginLoss as MultiMarginLoss
from glassgrad.nn.loss_margin import SoftMarginLoss as SoftMarginLoss
from glassgrad.nn.loss_margin import TripletMarginLoss as TripletMarginLoss
from glassgrad.nn.loss_margin import TripletMarginWithDistanceLoss as TripletMarginWithDistanceLoss

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "CTCLoss", "CosineEmbeddingLoss", "CrossEntropyLoss", "GaussianNLLLoss",
    "HingeEmbeddingLoss", "HuberLoss", "KLDivLoss", "L1Loss", "MSELoss", "MarginRankingLoss", "MultiLabelMarginLoss",
    "MultiLabelSoftMarginLoss", "MultiMarginLoss", "NLLLoss", "PoissonNLLLoss", "SmoothL1Loss", "SoftMarginLoss",
    "TripletMarginLoss", "TripletMarginWithDistanceLoss",
]
