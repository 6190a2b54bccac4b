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
from glassgrad.ops.indexing import getitem as getitem
from glassgrad.ops.indexing import one_hot as one_hot
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
from glassgrad.ops.reduce import argmax as argmax
from glassgrad.ops.reduce import argmin as argmin
from glassgrad.ops.reduce import max as max
from glassgrad.ops.reduce import mean as mean
from glassgrad.ops.reduce import min as min
from glassgrad.ops.reduce import std as std
from glassgrad.ops.reduce import sum as sum
from glassgrad.ops.reduce import var as var
from glassgrad.ops.softmax import log_softmax as log_softmax
from glassgrad.ops.softmax import softmax as softmax

__all__ = [
    "abs", "add", "argmax", "argmin", "cast", "clip", "concatenate", "div", "eq", "exp",
    "expand", "ge", "gelu", "getitem", "gt", "le", "leaky_relu", "linear", "log",
    "log_softmax", "lt", "matmul", "max", "maximum", "mean", "min", "minimum", "mul", "ne",
    "neg", "one_hot", "pad", "permute", "pow", "relu", "reshape", "sigmoid", "softmax",
    "split", "sqrt", "squeeze", "stack", "std", "sub", "sum", "tanh", "transpose",
    "unsqueeze", "var", "where",
]
