"""glassgrad: a deep-learning framework you can read end to end.

A NumPy tensor engine with hand-written, checked derivatives; layers,
optimisers and a training loop on top.
"""

from glassgrad import backend as backend
from glassgrad import nn as nn
from glassgrad import ops as ops
from glassgrad import optim as optim
from glassgrad.autograd import enable_grad as enable_grad
from glassgrad.autograd import is_grad_enabled as is_grad_enabled
from glassgrad.autograd import no_grad as no_grad
from glassgrad.backend import get_default_dtype as get_default_dtype
from glassgrad.backend import set_default_dtype as set_default_dtype
from glassgrad.creation import arange as arange
from glassgrad.creation import full as full
from glassgrad.creation import ones as ones
from glassgrad.creation import ones_like as ones_like
from glassgrad.creation import rand as rand
from glassgrad.creation import randn as randn
from glassgrad.creation import tensor as tensor
from glassgrad.creation import zeros as zeros
from glassgrad.creation import zeros_like as zeros_like
from glassgrad.function import Context as Context
from glassgrad.function import Function as Function
from glassgrad.gradcheck import GradcheckError as GradcheckError
from glassgrad.gradcheck import gradcheck as gradcheck
from glassgrad.io import load as load
from glassgrad.io import save as save
from glassgrad.ops import (
    abs,
    argmax,
    argmin,
    cast,
    clip,
    concatenate,
    exp,
    expand,
    log,
    log_softmax,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    one_hot,
    pad,
    permute,
    relu,
    reshape,
    sigmoid,
    softmax,
    split,
    sqrt,
    squeeze,
    stack,
    std,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)
from glassgrad.random import manual_seed as manual_seed
from glassgrad.tensor import Tensor as Tensor

__version__ = "0.1.0"

__all__ = [
    "Context", "Function", "GradcheckError", "Tensor", "abs", "arange", "argmax", "argmin",
    "backend", "cast", "clip", "concatenate", "enable_grad", "exp", "expand", "full",
    "get_default_dtype", "gradcheck", "is_grad_enabled", "log", "log_softmax", "manual_seed",
    "matmul", "max", "maximum", "mean", "min", "minimum", "no_grad", "one_hot", "ones",
    "ones_like", "ops", "pad", "permute", "rand", "randn", "relu", "reshape",
    "set_default_dtype", "sigmoid", "softmax", "split", "sqrt", "squeeze", "stack", "std",
    "sum", "tanh", "tensor", "transpose", "unsqueeze", "var", "where", "zeros", "zeros_like",
    "load", "save",
    "nn", "optim",
]
