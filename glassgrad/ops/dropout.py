"""Inverted dropout with an explicit random generator."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpDtypeError
from glassgrad.op import Context, Op
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["dropout"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []


def dropout_mask(shape: tuple[int, ...], p: float, dtype: Any, rng: np.random.Generator) -> Any:
    """The inverted-dropout mask m, m_i = [u_i >= p] / (1 - p) with u_i ~ U[0, 1) (all zeros when p = 1).

    The one home of the formula (``Dropout`` and attention's dropout use it); drawn on the host in
    float32, so runs repeat exactly whatever the backend.
    """
    xp = backend.xp
    if p >= 1.0:
        return xp.zeros(shape, dtype=dtype)
    keep = rng.random(shape, dtype=np.float32) >= p
    return xp.asarray(keep, dtype=dtype) * np.dtype(dtype).type(1.0 / (1.0 - p))


class Dropout(Op):
    """Inverted dropout: zero each element with probability p and scale the survivors by 1 / (1 - p),
    so the expected output equals the input and evaluation needs no rescaling.

        y = x * m,  m_i = [u_i >= p] / (1 - p),  u_i ~ U[0, 1);   dy/dx = m (the saved mask).
    """

    differentiable_backward = True
    constant_saves = (0,)  # the mask: drawn once, a constant of the second derivative

    @staticmethod
    def forward(ctx: Context, x: Any, *, p: float, rng: np.random.Generator) -> Any:
        mask = dropout_mask(x.shape, p, x.dtype, rng)
        ctx.save_for_backward(mask)
        return x * mask

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (mask,) = ctx.saved
        return grad * mask


def dropout(x: Any, p: float = 0.5, training: bool = True, rng: np.random.Generator | None = None) -> Tensor:
    """Inverted dropout; the identity when ``training`` is False or p == 0.

    Args:
        x: input of any shape.
        p: probability of zeroing an element, in [0, 1].
        training: apply dropout (True) or pass x through (False).
        rng: generator for the mask (default: the module generator, see ``glassgrad.manual_seed``).
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    x = as_tensor(x)
    if not training or p == 0.0:
        return x
    if not backend.is_float(x.dtype):
        raise OpDtypeError(f"dropout: input must be floating, got {x.dtype}")
    return Dropout.apply(x, p=float(p), rng=resolve_rng(rng))
