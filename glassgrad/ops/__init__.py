"""Every differentiable primitive, as a functional form (the op classes live in
the family modules: ``elementwise``, ``activation``, ``reduce``, ``movement``,
``indexing``, ``matmul``, ``softmax``, ``compare``)."""

from glassgrad.ops.activation import gelu as gelu
from glassgrad.ops.activation import leaky_relu as leaky_relu
from glassgrad.ops.activation import relu as relu
from glassgrad.ops.activation import sigmoid as sigmoid
from glassgrad.ops.activation import tanh as tanh
from glassgrad.ops.compare import cast as cast
from glassgrad.ops.compare import eq as eq
from glassgrad.ops.compare import ge as ge
from glassgrad.ops.compare import gt as gt
from glassgrad.ops.compare import le as le
from glassgrad.ops.compare import lt as lt
from glassgrad.ops.compare import ne as ne
from glassgrad.ops.conv import conv1d as conv1d
from glassgrad.ops.conv import conv2d as conv2d
from glassgrad.ops.conv import conv_transpose2d as conv_transpose2d
from glassgrad.ops.dropout import dropout as dropout
from glassgrad.ops.elementwise import abs as abs
from glassgrad.ops.elementwise import add as add
from glassgrad.ops.elementwise import clip as clip
from glassgrad.ops.elementwise import div as div
from glassgrad.ops.elementwise import exp as exp
from glassgrad.ops.elementwise import log as log
from glassgrad.ops.elementwise import maximum as maximum
from glassgrad.ops.elementwise import minimum as minimum
from glassgrad.ops.elementwise import mul as mul
from glassgrad.ops.elementwise import neg as neg
from glassgrad.ops.elementwise import pow as pow
from glassgrad.ops.elementwise import sqrt as sqrt
from glassgrad.ops.elementwise import sub as sub
from glassgrad.ops.elementwise import where as where
from glassgrad.ops.embedding import embedding as embedding
from glassgrad.ops.gru import gru_cell as gru_cell
from glassgrad.ops.gru import gru_layer as gru_layer
from glassgrad.ops.indexing import getitem as getitem
from glassgrad.ops.indexing import one_hot as one_hot
from glassgrad.ops.losses import binary_cross_entropy as binary_cross_entropy
from glassgrad.ops.losses import binary_cross_entropy_with_logits as binary_cross_entropy_with_logits
from glassgrad.ops.losses import cross_entropy as cross_entropy
from glassgrad.ops.losses import mse_loss as mse_loss
from glassgrad.ops.losses import nll_loss as nll_loss
from glassgrad.ops.lstm import lstm_cell as lstm_cell
from glassgrad.ops.lstm import lstm_layer as lstm_layer
from glassgrad.ops.matmul import linear as linear
from glassgrad.ops.matmul import matmul as matmul
from glassgrad.ops.movement import concatenate as concatenate
from glassgrad.ops.movement import expand as expand
from glassgrad.ops.movement import pad as pad
from glassgrad.ops.movement import permute as permute
from glassgrad.ops.movement import reshape as reshape
from glassgrad.ops.movement import split as split
from glassgrad.ops.movement import squeeze as squeeze
from glassgrad.ops.movement import stack as stack
from glassgrad.ops.movement import transpose as transpose
from glassgrad.ops.movement import unsqueeze as unsqueeze
from glassgrad.ops.norm import batch_norm as batch_norm
from glassgrad.ops.norm import group_norm as group_norm
from glassgrad.ops.norm import instance_norm as instance_norm
from glassgrad.ops.norm import layer_norm as layer_norm
from glassgrad.ops.norm import weight_standardize as weight_standardize
from glassgrad.ops.pool import avg_pool2d as avg_pool2d
from glassgrad.ops.pool import max_pool2d as max_pool2d
from glassgrad.ops.reduce import argmax as argmax
from glassgrad.ops.reduce import argmin as argmin
from glassgrad.ops.reduce import max as max
from glassgrad.ops.reduce import mean as mean
from glassgrad.ops.reduce import min as min
from glassgrad.ops.reduce import std as std
from glassgrad.ops.reduce import sum as sum
from glassgrad.ops.reduce import var as var
from glassgrad.ops.resample import adaptive_avg_pool2d as adaptive_avg_pool2d
from glassgrad.ops.resample import interpolate as interpolate
from glassgrad.ops.resample import upsample as upsample
from glassgrad.ops.rnn import rnn_cell as rnn_cell
from glassgrad.ops.rnn import rnn_layer as rnn_layer
from glassgrad.ops.routing import Routing as Routing
from glassgrad.ops.routing import combine as combine
from glassgrad.ops.routing import dispatch as dispatch
from glassgrad.ops.routing import make_routing as make_routing
from glassgrad.ops.routing import route as route
from glassgrad.ops.softmax import log_softmax as log_softmax
from glassgrad.ops.softmax import softmax as softmax

__all__ = [
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "dropout", "mse_loss",  # losses
    "nll_loss",
    "adaptive_avg_pool2d", "avg_pool2d", "batch_norm", "conv1d", "conv2d", "conv_transpose2d",  # conv stack
    "group_norm", "instance_norm", "interpolate", "layer_norm", "max_pool2d", "upsample", "weight_standardize",
    "embedding", "gru_cell", "gru_layer", "lstm_cell", "lstm_layer", "rnn_cell", "rnn_layer",  # recurrent
    "Routing", "combine", "dispatch", "make_routing", "route",  # per-sample routing
    "abs", "add", "argmax", "argmin", "cast", "clip", "concatenate", "div", "eq", "exp",
    "expand", "ge", "gelu", "getitem", "gt", "le", "leaky_relu", "linear", "log",
    "log_softmax", "lt", "matmul", "max", "maximum", "mean", "min", "minimum", "mul", "ne",
    "neg", "one_hot", "pad", "permute", "pow", "relu", "reshape", "sigmoid", "softmax",
    "split", "sqrt", "squeeze", "stack", "std", "sub", "sum", "tanh", "transpose",
    "unsqueeze", "var", "where",
]
