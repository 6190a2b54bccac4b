"""renorm: every slice along a dim scaled down to a p-norm of at most ``maxnorm``.

    renorm(x, p, dim, maxnorm)[i] = x[i] * (maxnorm / (||x[i]||_p + 1e-7))   where ||x[i]||_p > maxnorm
                                  = x[i]                                      elsewhere

(x[i] is the slice ``x.select(dim, i)``; the 1e-7 is torch's.) torch composes
it from ``norm`` and a multiplication, and so does this: the gradient goes
through the norm of each scaled slice.
"""

from __future__ import annotations

from glassgrad.ops.elementwise import mul, where
from glassgrad.ops.movement import wrap_dim
from glassgrad.ops.reduce_stats import norm
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["renorm"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def renorm(input: Tensor, p: float, dim: int, maxnorm: float) -> Tensor:  # noqa: A002
    """Each slice along ``dim`` with a p-norm above ``maxnorm`` scaled to that norm (torch.renorm)."""
    x = as_tensor(input)
    if x.dtype.kind != "f":
        raise RuntimeError(f"renorm: expected a floating point tensor as input, got {x.dtype}")
    if not p > 0:
        raise RuntimeError(f"renorm: non-positive-norm not supported, got p={p}")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    if x.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {x.ndim} dimensions")
    axis = wrap_dim(dim, x.ndim, "renorm")
    others = tuple(d for d in range(x.ndim) if d != axis)
    norms = norm(x, p, others, keepdim=True)
    scale = where(norms > maxnorm, maxnorm / (norms + 1e-7), 1.0)
    return mul(x, scale)
