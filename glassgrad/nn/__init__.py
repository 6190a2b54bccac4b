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

# Each family below is added to by its own work; keep the blocks apart.
# --- activations (pointwise work) ---
from glassgrad.nn.activation import CELU as CELU
from glassgrad.nn.activation import ELU as ELU
from glassgrad.nn.activation import Hardsigmoid as Hardsigmoid
from glassgrad.nn.activation import Hardswish as Hardswish
from glassgrad.nn.activation import Hardtanh as Hardtanh
from glassgrad.nn.activation import LogSigmoid as LogSigmoid
from glassgrad.nn.activation import Mish as Mish
from glassgrad.nn.activation import ReLU6 as ReLU6
from glassgrad.nn.activation import SELU as SELU
from glassgrad.nn.activation import SiLU as SiLU
from glassgrad.nn.activation import Softplus as Softplus
from glassgrad.nn.activation import Softsign as Softsign
from glassgrad.nn.activation import Tanhshrink as Tanhshrink
# --- layers, containers, losses, utils (nn work) ---
# isort: split
from glassgrad.nn import modules as modules
from glassgrad.nn import parallel as parallel
from glassgrad.nn import utils as utils
from glassgrad.nn.containers import ParameterDict as ParameterDict
from glassgrad.nn.containers import ParameterList as ParameterList
from glassgrad.nn.flatten import Unflatten as Unflatten
from glassgrad.nn.linear import Bilinear as Bilinear
from glassgrad.nn.loss import CosineEmbeddingLoss as CosineEmbeddingLoss
from glassgrad.nn.loss import HuberLoss as HuberLoss
from glassgrad.nn.loss import KLDivLoss as KLDivLoss
from glassgrad.nn.loss import L1Loss as L1Loss
from glassgrad.nn.loss import MarginRankingLoss as MarginRankingLoss
from glassgrad.nn.loss import SmoothL1Loss as SmoothL1Loss
from glassgrad.nn.parallel import DataParallel as DataParallel

# isort: split
# --- attention / transformer / residual ---
from glassgrad.nn.attention import MultiheadAttention as MultiheadAttention
from glassgrad.nn.residual import BasicBlock as BasicBlock
from glassgrad.nn.residual import ResNet as ResNet
from glassgrad.nn.transformer import Transformer as Transformer
from glassgrad.nn.transformer import TransformerDecoder as TransformerDecoder
from glassgrad.nn.transformer import TransformerDecoderLayer as TransformerDecoderLayer
from glassgrad.nn.transformer import TransformerEncoder as TransformerEncoder
from glassgrad.nn.transformer import TransformerEncoderLayer as TransformerEncoderLayer

# isort: split
# --- autograd extras' layers: padding, channel dropout, more pooling, PReLU, RMSNorm, PixelShuffle, similarity ---
from glassgrad.nn.channel_dropout import AlphaDropout as AlphaDropout
from glassgrad.nn.channel_dropout import Dropout1d as Dropout1d
from glassgrad.nn.channel_dropout import Dropout2d as Dropout2d
from glassgrad.nn.channel_dropout import Dropout3d as Dropout3d
from glassgrad.nn.layers_misc import CosineSimilarity as CosineSimilarity
from glassgrad.nn.layers_misc import PairwiseDistance as PairwiseDistance
from glassgrad.nn.layers_misc import PixelShuffle as PixelShuffle
from glassgrad.nn.layers_misc import PixelUnshuffle as PixelUnshuffle
from glassgrad.nn.layers_misc import PReLU as PReLU
from glassgrad.nn.layers_misc import RMSNorm as RMSNorm
from glassgrad.nn.layers_misc import Softmax2d as Softmax2d
from glassgrad.nn.padding import ConstantPad1d as ConstantPad1d
from glassgrad.nn.padding import ConstantPad2d as ConstantPad2d
from glassgrad.nn.padding import ReflectionPad1d as ReflectionPad1d
from glassgrad.nn.padding import ReflectionPad2d as ReflectionPad2d
from glassgrad.nn.padding import ReplicationPad1d as ReplicationPad1d
from glassgrad.nn.padding import ReplicationPad2d as ReplicationPad2d
from glassgrad.nn.padding import ZeroPad1d as ZeroPad1d
from glassgrad.nn.padding import ZeroPad2d as ZeroPad2d
from glassgrad.nn.padding import CircularPad1d as CircularPad1d
from glassgrad.nn.padding import CircularPad2d as CircularPad2d
from glassgrad.nn.padding import CircularPad3d as CircularPad3d
from glassgrad.nn.padding import ConstantPad3d as ConstantPad3d
from glassgrad.nn.padding import ReflectionPad3d as ReflectionPad3d
from glassgrad.nn.padding import ReplicationPad3d as ReplicationPad3d
from glassgrad.nn.padding import ZeroPad3d as ZeroPad3d
from glassgrad.nn.normalization import BatchNorm3d as BatchNorm3d
from glassgrad.nn.normalization import InstanceNorm1d as InstanceNorm1d
from glassgrad.nn.normalization import InstanceNorm3d as InstanceNorm3d
from glassgrad.nn.pooling_more import AdaptiveAvgPool1d as AdaptiveAvgPool1d
from glassgrad.nn.pooling_more import AdaptiveMaxPool2d as AdaptiveMaxPool2d
from glassgrad.nn.pooling_more import AvgPool1d as AvgPool1d
from glassgrad.nn.pooling_more import MaxPool1d as MaxPool1d

# isort: split
# --- nn.functional families of issue 21: shrink/threshold/gated activations, losses, windows, sampling ---
from glassgrad.nn.activation_shrink import GLU as GLU
from glassgrad.nn.activation_shrink import Hardshrink as Hardshrink
from glassgrad.nn.activation_shrink import RReLU as RReLU
from glassgrad.nn.activation_shrink import Softmin as Softmin
from glassgrad.nn.activation_shrink import Softshrink as Softshrink
from glassgrad.nn.activation_shrink import Threshold as Threshold
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
from glassgrad.nn.channel_shuffle import ChannelShuffle as ChannelShuffle
from glassgrad.nn.local_response_norm import LocalResponseNorm as LocalResponseNorm
from glassgrad.nn.conv_nd import Conv3d as Conv3d
from glassgrad.nn.conv_nd import ConvTranspose1d as ConvTranspose1d
from glassgrad.nn.conv_nd import ConvTranspose3d as ConvTranspose3d
from glassgrad.nn.pooling_nd import AdaptiveAvgPool3d as AdaptiveAvgPool3d
from glassgrad.nn.pooling_nd import AdaptiveMaxPool1d as AdaptiveMaxPool1d
from glassgrad.nn.pooling_nd import AdaptiveMaxPool3d as AdaptiveMaxPool3d
from glassgrad.nn.pooling_nd import AvgPool3d as AvgPool3d
from glassgrad.nn.pooling_nd import LPPool1d as LPPool1d
from glassgrad.nn.pooling_nd import LPPool2d as LPPool2d
from glassgrad.nn.pooling_nd import LPPool3d as LPPool3d
from glassgrad.nn.pooling_nd import MaxPool3d as MaxPool3d
from glassgrad.nn.pooling_nd import MaxUnpool1d as MaxUnpool1d
from glassgrad.nn.pooling_nd import MaxUnpool2d as MaxUnpool2d
from glassgrad.nn.pooling_nd import MaxUnpool3d as MaxUnpool3d
from glassgrad.nn.fold import Fold as Fold
from glassgrad.nn.fold import Unfold as Unfold
from glassgrad.nn.embedding_bag import EmbeddingBag as EmbeddingBag
from glassgrad.nn.pooling_nd import FractionalMaxPool2d as FractionalMaxPool2d
from glassgrad.nn.pooling_nd import FractionalMaxPool3d as FractionalMaxPool3d

# isort: split
# --- module database layers (issue 21): lazy layers ---
from glassgrad.nn.lazy import LazyBatchNorm1d as LazyBatchNorm1d
from glassgrad.nn.lazy import LazyBatchNorm2d as LazyBatchNorm2d
from glassgrad.nn.lazy import LazyBatchNorm3d as LazyBatchNorm3d
from glassgrad.nn.lazy import LazyConv1d as LazyConv1d
from glassgrad.nn.lazy import LazyConv2d as LazyConv2d
from glassgrad.nn.lazy import LazyConv3d as LazyConv3d
from glassgrad.nn.lazy import LazyConvTranspose1d as LazyConvTranspose1d
from glassgrad.nn.lazy import LazyConvTranspose2d as LazyConvTranspose2d
from glassgrad.nn.lazy import LazyConvTranspose3d as LazyConvTranspose3d
from glassgrad.nn.lazy import LazyInstanceNorm1d as LazyInstanceNorm1d
from glassgrad.nn.lazy import LazyInstanceNorm2d as LazyInstanceNorm2d
from glassgrad.nn.lazy import LazyInstanceNorm3d as LazyInstanceNorm3d
from glassgrad.nn.lazy import LazyLinear as LazyLinear
