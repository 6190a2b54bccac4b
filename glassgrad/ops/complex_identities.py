"""The complex-number ops on real tensors: real, conj, conj_physical, resolve_conj, resolve_neg, angle.

A real number is its own real part and its own conjugate, so ``real``,
``conj``, ``resolve_conj`` and ``resolve_neg`` return the tensor itself (as
torch does for real tensors) and ``conj_physical`` a copy. Its angle in the
complex plane is 0 for x >= 0 and pi for x < 0 (NaN stays NaN); that is
piecewise constant, so its gradient is 0, as torch's for real inputs.
On complex tensors these are the ops of complex_parts.py (``angle`` through complex_forms.py).
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops import complex_parts
from glassgrad.ops.copy import clone
from glassgrad.ops.promotion import float_input
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["angle", "conj", "conj_physical", "real", "resolve_conj", "resolve_neg"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


def real(input: Tensor) -> Tensor:  # noqa: A002
    """The real part: the tensor itself for a real tensor, a view of Re z for a complex one (torch.real)."""
    t = as_tensor(input)
    return complex_parts.real_part(t) if t.dtype.kind == "c" else t


def conj(input: Tensor) -> Tensor:  # noqa: A002
    """The complex conjugate: the tensor itself for a real tensor (torch.conj)."""
    t = as_tensor(input)
    return complex_parts.conj_complex(t) if t.dtype.kind == "c" else t


def resolve_conj(input: Tensor) -> Tensor:  # noqa: A002
    """The tensor with a pending conjugation applied: the tensor itself (torch.resolve_conj; glassgrad's
    conj is never pending)."""
    return as_tensor(input)


def resolve_neg(input: Tensor) -> Tensor:  # noqa: A002
    """The tensor with a pending negation applied: the tensor itself (torch.resolve_neg)."""
    return as_tensor(input)


def conj_physical(input: Tensor) -> Tensor:  # noqa: A002
    """The complex conjugate in new memory: a copy (torch.conj_physical)."""
    t = as_tensor(input)
    return complex_parts.conj_complex(t) if t.dtype.kind == "c" else clone(t)


class Angle(Op):
    """z = 0 for a >= 0, pi for a < 0 (the argument of a real number);  dz/da = 0."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        xp = backend.xp
        return xp.where(a < 0, xp.asarray(math.pi, dtype=a.dtype), xp.where(xp.isnan(a), a, 0)).astype(a.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.xp.zeros_like(grad)


def angle(input: Tensor) -> Tensor:  # noqa: A002
    """The argument of each element in the complex plane: 0 or pi for real numbers (torch.angle);
    integers give the default float dtype."""
    return Angle.apply(float_input(input))
