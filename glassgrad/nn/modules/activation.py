"""torch.nn.modules.activation (defined in glassgrad/nn/activation.py)."""

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
from glassgrad.nn.attention import MultiheadAttention as MultiheadAttention  # defined in nn/attention.py

__all__ = [
    "CELU", "ELU", "GELU", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU", "LogSigmoid", "LogSoftmax",
    "Mish", "ReLU", "ReLU6", "SELU", "SiLU", "Sigmoid", "Softmax", "Softplus", "Softsign", "Tanh", "Tanhshrink",
    "MultiheadAttention",
]
