"""Every differentiable primitive, as a functional form: ``glassgrad.ops.X``.

The op classes and their functions live in the family modules of this package (``elementwise``,
``reduce``, ``movement``, ``matmul``, ...). Each family lists its public functions in ``__all__``
(and torch's names for them in ``TORCH_NAMES`` and ``FUNCTIONAL_NAMES``); the last line of this file
puts every family's ``__all__`` here (``families.export``: glassgrad/ops/families.py,
docs/writing-an-op.md). The import lines above it are the families written before that rule."""

from glassgrad.ops.activation import gelu as gelu
from glassgrad.ops.activation import leaky_relu as leaky_relu
from glassgrad.ops.activation import relu as relu
from glassgrad.ops.activation import sigmoid as sigmoid
from glassgrad.ops.activation import tanh as tanh
from glassgrad.ops.conv import conv1d as conv1d
from glassgrad.ops.conv import conv2d as conv2d
from glassgrad.ops.conv import conv_transpose2d as conv_transpose2d
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
