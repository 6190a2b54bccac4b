"""dist: the p-norm of the difference of two tensors, one number.

    dist(a, b, p) = ||a - b||_p = (sum |a - b|^p)^(1/p)   (p = 0 counts the nonzero
    differences, p = inf takes the largest |a - b|, p = -inf the smallest)

torch composes it from a broadcast subtraction and ``norm``, and so does this;
the gradient is norm's (0 where a = b for p = 2, as torch).
"""

from __future__ import annotations

from glassgrad.ops.elementwise import sub
from glassgrad.ops.pointwise_float_parts import _torch_name
from glassgrad.ops.reduce_stats import norm
from glassgrad.ops.type_promotion import category, promoted
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["dist"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def dist(input: Tensor, other: Tensor, p: float = 2) -> Tensor:  # noqa: A002
    """The p-norm of ``input - other`` (broadcast), over every element (torch.dist)."""
    a, b = promoted(as_tensor(input), other)
    if category(a.dtype) != 2:
        raise RuntimeError(f"norm(): input dtype should be either floating point or complex. "
                           f"Got {_torch_name(a.dtype)} instead.")
    return norm(sub(a, b), p)
