"""Two element-wise ops that are trivial on real tensors: positive and isreal.

    positive(x) = x (unary plus: the same tensor, as torch returns it)
    isreal(x)   = True everywhere (glassgrad has no complex dtypes)
"""

from __future__ import annotations

from glassgrad import backend
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["isreal", "positive"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def positive(input: Tensor) -> Tensor:  # noqa: A002
    """``input`` itself (torch.positive, the ``+x`` operator); torch refuses bool tensors."""
    x = as_tensor(input)
    if x.dtype.kind == "b":
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return x


def isreal(input: Tensor) -> Tensor:  # noqa: A002
    """A bool tensor of x's shape saying which elements have no imaginary part: all of them."""
    x = as_tensor(input)
    if x.dtype.kind == "c":
        return Tensor._make(x.array.imag == 0, False)
    return Tensor._make(backend.xp.ones(x.shape, dtype=bool), False)
