"""Learning-rate schedules (torch's names, arguments and step semantics); see ``base`` for how they step."""

from glassgrad.optim.lr_scheduler.base import LRScheduler as LRScheduler
from glassgrad.optim.lr_scheduler.base import _LRScheduler as _LRScheduler
from glassgrad.optim.lr_scheduler.composite import ChainedScheduler as ChainedScheduler
from glassgrad.optim.lr_scheduler.composite import SequentialLR as SequentialLR
from glassgrad.optim.lr_scheduler.cosine import CosineAnnealingLR as CosineAnnealingLR
from glassgrad.optim.lr_scheduler.cosine import CosineAnnealingWarmRestarts as CosineAnnealingWarmRestarts
from glassgrad.optim.lr_scheduler.cyclic import CyclicLR as CyclicLR
from glassgrad.optim.lr_scheduler.cyclic import OneCycleLR as OneCycleLR
from glassgrad.optim.lr_scheduler.multiplicative import ConstantLR as ConstantLR
from glassgrad.optim.lr_scheduler.multiplicative import ExponentialLR as ExponentialLR
from glassgrad.optim.lr_scheduler.multiplicative import LambdaLR as LambdaLR
from glassgrad.optim.lr_scheduler.multiplicative import LinearLR as LinearLR
from glassgrad.optim.lr_scheduler.multiplicative import LinearWarmup as LinearWarmup
from glassgrad.optim.lr_scheduler.multiplicative import MultiplicativeLR as MultiplicativeLR
from glassgrad.optim.lr_scheduler.multiplicative import MultiStepLR as MultiStepLR
from glassgrad.optim.lr_scheduler.multiplicative import PolynomialLR as PolynomialLR
from glassgrad.optim.lr_scheduler.multiplicative import StepLR as StepLR
from glassgrad.optim.lr_scheduler.plateau import ReduceLROnPlateau as ReduceLROnPlateau

__all__ = [
    "ChainedScheduler", "ConstantLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "ExponentialLR",
    "LRScheduler", "LambdaLR", "LinearLR", "LinearWarmup", "MultiStepLR", "MultiplicativeLR", "OneCycleLR",
    "PolynomialLR", "ReduceLROnPlateau", "SequentialLR", "StepLR",
]
