"""Optimizers, learning-rate schedules and gradient clipping (PyTorch's names and state format).

Each optimizer is a class over ``Optimizer`` whose arithmetic lives in a pure
function over arrays (``sgd_update``, ``adam_update``, ...) in the same file.
"""

from glassgrad.optim import lr_scheduler as lr_scheduler
from glassgrad.optim.adagrad import Adagrad as Adagrad
from glassgrad.optim.adagrad import adagrad_update as adagrad_update
from glassgrad.optim.adam import Adam as Adam
from glassgrad.optim.adam import AdamW as AdamW
from glassgrad.optim.adam import adam_update as adam_update
from glassgrad.optim.clip import clip_grad_norm_ as clip_grad_norm_
from glassgrad.optim.clip import clip_grad_value_ as clip_grad_value_
from glassgrad.optim.optimizer import Optimizer as Optimizer
from glassgrad.optim.rmsprop import RMSprop as RMSprop
from glassgrad.optim.rmsprop import rmsprop_update as rmsprop_update
from glassgrad.optim.sgd import SGD as SGD
from glassgrad.optim.sgd import sgd_update as sgd_update

__all__ = [
    "SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "adagrad_update", "adam_update",
    "clip_grad_norm_", "clip_grad_value_", "lr_scheduler", "rmsprop_update", "sgd_update",
]
