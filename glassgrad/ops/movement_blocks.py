"""block_diag: matrices placed along the diagonal of a bigger matrix, zeros elsewhere.

    block_diag(A, B) = [[A, 0],
                        [0, B]]

A 0-d input counts as a 1 x 1 block and a 1-d input of length n as a 1 x n
row. The blocks meet in torch's common dtype. The gradient of each block is
its own window of the output gradient.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.ops.movement import reshape
from glassgrad.ops.type_promotion import promoted
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["block_diag"]
TORCH_NAMES = __all__
FUNCTIONAL_NAMES = []


class BlockDiag(Op):
    """y = the 2-d blocks x_1, ..., x_k down the diagonal;  dx_i = the window of dy that x_i filled."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, *blocks: Any) -> Any:
        rows = sum(b.shape[0] for b in blocks)
        cols = sum(b.shape[1] for b in blocks)
        out = backend.xp.zeros((rows, cols), dtype=blocks[0].dtype)
        corners = []
        r = c = 0
        for b in blocks:
            out[r:r + b.shape[0], c:c + b.shape[1]] = b
            corners.append((r, c, b.shape[0], b.shape[1]))
            r, c = r + b.shape[0], c + b.shape[1]
        ctx.corners = corners
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, ...]:
        return tuple(grad[r:r + h, c:c + w] for r, c, h, w in ctx.corners)


def block_diag(*tensors: Tensor) -> Tensor:
    """The tensors (each 0-d, 1-d or 2-d) as blocks down the diagonal of one matrix (torch.block_diag)."""
    if not tensors:
        return Tensor._make(backend.xp.zeros((1, 0), dtype=backend.get_default_dtype()), False)
    blocks = []
    for i, t in enumerate(as_tensor(t) for t in tensors):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. "
                               f"Input {i} has {t.ndim} dimensions")
        blocks.append(t if t.ndim == 2 else reshape(t, 1, -1))
    return BlockDiag.apply(*promoted(*blocks))
