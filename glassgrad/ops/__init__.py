"""Every differentiable primitive, as a functional form: ``glassgrad.ops.X``.

The op classes and their functions live in the family modules of this package (``elementwise``,
``reduce``, ``movement``, ``matmul``, ...). Each family lists its public functions in ``__all__``
(and torch's names for them in ``TORCH_NAMES`` and ``FUNCTIONAL_NAMES``); the last line of this file
puts every family's ``__all__`` here (``families.export``: glassgrad/ops/families.py,
docs/writing-an-op.md). The import lines above it are the families written before that rule."""


# Each family below is added to by its own work; keep the blocks apart.
# --- autograd extras' ops: counting, distances, inverse / det / solve (ops/counting.py, distance.py, linalg_inverse.py)
from glassgrad.ops.linalg_inverse import det as det
from glassgrad.ops.linalg_inverse import inv as inverse
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
