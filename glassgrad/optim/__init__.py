"""Optimizers, learning-rate schedules and gradient clipping (PyTorch's names and state format).

Each optimizer is a class over ``Optimizer``, whose ``step`` is a template: the loop over groups
and parameters, the state, the closure, maximize and weight decay live there once, and each
optimizer brings its update rule, a pure function over arrays ``(param, grad, state, group)``
(``sgd_update``, ``adam_update``, ...) in its own file, with its fused kernel where it has one
(Adam's, in ``glassgrad.kernels.adam``). LBFGS keeps a step of its own. See ``optimizer.py``,
"Writing an optimizer".
"""

from glassgrad.optim import lr_scheduler as lr_scheduler
from glassgrad.optim.adadelta import Adadelta as Adadelta
from glassgrad.optim.adadelta import adadelta_update as adadelta_update
from glassgrad.optim.adagrad import Adagrad as Adagrad
from glassgrad.optim.adagrad import adagrad_update as adagrad_update
from glassgrad.optim.adam import Adam as Adam
from glassgrad.optim.adam import AdamW as AdamW
from glassgrad.optim.adam import adam_update as adam_update
from glassgrad.optim.adamax import Adamax as Adamax
from glassgrad.optim.adamax import adamax_update as adamax_update
from glassgrad.optim.clip import clip_grad_norm_ as clip_grad_norm_
from glassgrad.optim.clip import clip_grad_value_ as clip_grad_value_
from glassgrad.optim.lbfgs import LBFGS as LBFGS
from glassgrad.optim.lbfgs import lbfgs_direction as lbfgs_direction
from glassgrad.optim.nadam import NAdam as NAdam
from glassgrad.optim.nadam import nadam_update as nadam_update
from glassgrad.optim.optimizer import Optimizer as Optimizer
from glassgrad.optim.radam import RAdam as RAdam
from glassgrad.optim.radam import radam_update as radam_update
from glassgrad.optim.rmsprop import RMSprop as RMSprop
from glassgrad.optim.rmsprop import rmsprop_update as rmsprop_update
from glassgrad.optim.sgd import SGD as SGD
from glassgrad.optim.sgd import sgd_update as sgd_update

__all__ = [
    "LBFGS", "SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "NAdam", "Optimizer", "RAdam", "RMSprop",
    "adadelta_update", "adagrad_update", "adam_update", "adamax_update", "clip_grad_norm_", "clip_grad_value_",
    "lbfgs_direction", "lr_scheduler", "nadam_update", "radam_update", "rmsprop_update", "sgd_update",
]
