"""torch.nn.modules.activation; the classes are defined in
glassgrad/nn/activation.py, glassgrad/nn/activation_shrink.py, glassgrad/nn/attention.py,
glassgrad/nn/layers_misc.py."""

from glassgrad.nn.activation import CELU as CELU
from glassgrad.nn.activation import ELU as ELU
from glassgrad.nn.activation import GELU as GELU
from glassgrad.nn.activation import SELU as SELU
from glassgrad.nn.activation import Hardsigmoid as Hardsigmoid
from glassgrad.nn.activation import Hardswish as Hardswish
from glassgrad.nn.activation import Hardtanh as Hardtanh
from glassgrad.nn.activation import LeakyReLU as LeakyReLU
from glassgrad.nn.activation import LogSigmoid as LogSigmoid
from glassgrad.nn.activation import LogSoftmax as LogSoftmax
from glassgrad.nn.activation import Mish as Mish
from glassgrad.nn.activation import ReLU as ReLU
from glassgrad.nn.activation import ReLU6 as ReLU6
from glassgrad.nn.activation import Sigmoid as Sigmoid
from glassgrad.nn.activation import SiLU as SiLU
from glassgrad.nn.activation import Softmax as Softmax
from glassgrad.nn.activation import Softplus as Softplus
from glassgrad.nn.activation import Softsign as Softsign
from glassgrad.nn.activation import Tanh as Tanh
from glassgrad.nn.activation import Tanhshrink as Tanhshrink
from glassgrad.nn.activation_shrink import GLU as GLU
from glassgrad.nn.activation_shrink import Hardshrink as Hardshrink
from glassgrad.nn.activation_shrink import RReLU as RReLU
from glassgrad.nn.activation_shrink import Softmin as Softmin
from glassgrad.nn.activation_shrink import Softshrink as Softshrink
from glassgrad.nn.activation_shrink import Threshold as Threshold
from glassgrad.nn.attention import MultiheadAttention as MultiheadAttention
from glassgrad.nn.layers_misc import PReLU as PReLU
from glassgrad.nn.layers_misc import Softmax2d as Softmax2d

__all__ = [
    "CELU", "ELU", "GELU", "GLU", "Hardshrink", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU", "LogSigmoid",
    "LogSoftmax", "Mish", "MultiheadAttention", "PReLU", "RReLU", "ReLU", "ReLU6", "SELU", "SiLU", "Sigmoid", "Softmax",
    "Softmax2d", "Softmin", "Softplus", "Softshrink", "Softsign", "Tanh", "Tanhshrink", "Threshold",
]
