"""Layers and models (PyTorch's shapes and names).

Each family lives in its own file; this file only re-exports. When adding a
layer family, add its imports and ``__all__`` entries in its own block below.
"""

from glassgrad.nn import functional as functional
from glassgrad.nn import init as init
from glassgrad.nn.activation import GELU as GELU
from glassgrad.nn.activation import LeakyReLU as LeakyReLU
from glassgrad.nn.activation import LogSoftmax as LogSoftmax
from glassgrad.nn.activation import ReLU as ReLU
from glassgrad.nn.activation import Sigmoid as Sigmoid
from glassgrad.nn.activation import Softmax as Softmax
from glassgrad.nn.activation import Tanh as Tanh
from glassgrad.nn.containers import ModuleDict as ModuleDict
from glassgrad.nn.containers import ModuleList as ModuleList
from glassgrad.nn.containers import Sequential as Sequential
from glassgrad.nn.conv import Conv1d as Conv1d
from glassgrad.nn.conv import Conv2d as Conv2d
from glassgrad.nn.conv import Conv2dWS as Conv2dWS
from glassgrad.nn.conv import ConvTranspose2d as ConvTranspose2d
from glassgrad.nn.conv import WSConv2d as WSConv2d
from glassgrad.nn.dropout import Dropout as Dropout
from glassgrad.nn.embedding import Embedding as Embedding
from glassgrad.nn.linear import Dense as Dense
from glassgrad.nn.linear import Flatten as Flatten
from glassgrad.nn.linear import Identity as Identity
from glassgrad.nn.linear import Linear as Linear
from glassgrad.nn.loss import BCELoss as BCELoss
from glassgrad.nn.loss import BCEWithLogitsLoss as BCEWithLogitsLoss
from glassgrad.nn.loss import CrossEntropyLoss as CrossEntropyLoss
from glassgrad.nn.loss import MSELoss as MSELoss
from glassgrad.nn.loss import NLLLoss as NLLLoss
from glassgrad.nn.module import Module as Module
from glassgrad.nn.normalization import BatchNorm1d as BatchNorm1d
from glassgrad.nn.normalization import BatchNorm2d as BatchNorm2d
from glassgrad.nn.normalization import GroupNorm as GroupNorm
from glassgrad.nn.normalization import InstanceNorm2d as InstanceNorm2d
from glassgrad.nn.normalization import LayerNorm as LayerNorm
from glassgrad.nn.parameter import Parameter as Parameter
from glassgrad.nn.pooling import AdaptiveAvgPool2d as AdaptiveAvgPool2d
from glassgrad.nn.pooling import AvgPool2d as AvgPool2d
from glassgrad.nn.pooling import MaxPool2d as MaxPool2d
from glassgrad.nn.pooling import Upsample as Upsample
from glassgrad.nn.recurrent import GRU as GRU
from glassgrad.nn.recurrent import LSTM as LSTM
from glassgrad.nn.recurrent import RNN as RNN
from glassgrad.nn.recurrent import RNNBase as RNNBase
from glassgrad.nn.rnn_cells import GRUCell as GRUCell
from glassgrad.nn.rnn_cells import LSTMCell as LSTMCell
from glassgrad.nn.rnn_cells import RNNCell as RNNCell
from glassgrad.nn.routing import Switch as Switch

__all__ = [
    "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "Dropout", "GELU", "LeakyReLU", "LogSoftmax",  # act/loss
    "MSELoss", "NLLLoss", "ReLU", "Sigmoid", "Softmax", "Tanh", "functional",
    "AdaptiveAvgPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Conv1d", "Conv2d", "Conv2dWS",  # conv stack
    "ConvTranspose2d", "GroupNorm", "InstanceNorm2d", "LayerNorm", "MaxPool2d", "Upsample", "WSConv2d",
    "Embedding", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNBase", "RNNCell",  # recurrent
    "Switch",  # per-sample routing
    "Dense", "Flatten", "Identity", "Linear", "Module", "ModuleDict", "ModuleList",
    "Parameter", "Sequential", "init",
]
