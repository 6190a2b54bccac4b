"""Every differentiable primitive, as a functional form (the op classes live in
the family modules: ``elementwise``, ``activation``, ``reduce``, ``movement``,
``indexing``, ``matmul``, ``softmax``, ``compare``)."""

from glassgrad.ops.activation import gelu as gelu
from glassgrad.ops.activation import leaky_relu as leaky_relu
from glassgrad.ops.activation import relu as relu
from glassgrad.ops.activation import sigmoid as sigmoid
from glassgrad.ops.activation import tanh as tanh
from glassgrad.ops.conv import conv1d as conv1d
from glassgrad.ops.conv import conv2d as conv2d
from glassgrad.ops.conv import conv_transpose2d as conv_transpose2d
from glassgrad.ops.gru import gru_cell as gru_cell
from glassgrad.ops.gru import gru_layer as gru_layer
from glassgrad.ops.indexing import getitem as getitem
from glassgrad.ops.indexing import index_put as index_put
from glassgrad.ops.indexing import one_hot as one_hot
from glassgrad.ops.lstm import lstm_cell as lstm_cell
from glassgrad.ops.lstm import lstm_layer as lstm_layer
from glassgrad.ops.rnn import rnn_cell as rnn_cell
from glassgrad.ops.rnn import rnn_layer as rnn_layer
from glassgrad.ops.softmax import log_softmax as log_softmax
from glassgrad.ops.softmax import softmax as softmax

# Each family below is added to by its own work; keep the blocks apart.
# --- pointwise math and activations (ops/pointwise_*.py) ---
from glassgrad.ops.activation import celu as celu
from glassgrad.ops.activation import elu as elu
from glassgrad.ops.activation import logsigmoid as logsigmoid
from glassgrad.ops.activation import mish as mish
from glassgrad.ops.activation import selu as selu
from glassgrad.ops.activation import silu as silu
from glassgrad.ops.activation import softplus as softplus
from glassgrad.ops.activation import softsign as softsign
from glassgrad.ops.activation import tanhshrink as tanhshrink
# --- shape, indexing, linear algebra, creation (ops/movement*.py, ops/indexing*.py, ops/linalg.py) ---
from glassgrad.ops.indexing import parse_index as parse_index
# --- autograd extras' ops: counting, distances, inverse / det / solve (ops/counting.py, distance.py, linalg_inverse.py)
from glassgrad.ops.linalg_inverse import det as det
from glassgrad.ops.linalg_inverse import inv as inverse
# --- nn.functional families of issue 21 (shrink/threshold/gated activations, losses, windows, sampling) ---
from glassgrad.ops.softmax import softmin as softmin
# --- torch-level op families of issue 21: copies, complex identities, named forms, sampled calculus ---
from glassgrad.ops.complex_parts import complex as complex
from glassgrad.ops.complex_parts import imag as imag
from glassgrad.ops.complex_parts import polar as polar
from glassgrad.ops.complex_parts import view_as_complex as view_as_complex
from glassgrad.ops.complex_parts import view_as_real as view_as_real
from glassgrad.ops import complex_forms as complex_forms  # registers the ops that take complex tensors
# --- op families that declare their own names in __all__, TORCH_NAMES, FUNCTIONAL_NAMES (ops/families.py) ---
from glassgrad.ops import families  # noqa: E402

families.export(globals(), "__all__")
