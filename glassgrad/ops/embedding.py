"""Embedding lookup: rows of a weight matrix picked by integer indices.

    y[..., :] = W[idx[...], :]
    dW[k, :] = sum of dy[..., :] over every position where idx == k    (a scatter-add)

Rows never looked up get a zero gradient; so does ``padding_idx`` (torch's rule:
the padding row is never trained). The scatter-add is the only costly part; two
ways are used, chosen by measurement (NumPy 2, float32):

* many indices per row (idx.size >= num_embeddings, e.g. a character vocabulary):
  sort the indices, then sum each run of equal ones with ``add.reduceat``,
  10x faster than ``add.at`` for 3,200 lookups into 65 rows;
* few indices per row (a large word vocabulary): ``add.at``, which NumPy 2
  runs fast for this case, while the sort would cost more than it saves.

That is the readable twin; in the fast kernel mode the first case is one sparse
product instead (``kernels/scatter_rows.py``: dW = A dy, A[k, j] = [idx[j] == k]).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.autograd.grad_mode import no_grad
from glassgrad.errors import OpInputError
from glassgrad.kernels import scatter_rows
from glassgrad.op import Context, Op
from glassgrad.ops.index_dtypes import LONG_OR_INT, check_index_dtype
from glassgrad.ops.indexing import ArrayIndex, zeroed_at
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["embedding"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = []


def scatter_add_rows(indices: Any, rows: Any, num_rows: int) -> Any:
    """out (num_rows, D) with out[k] = sum of rows[j] where indices[j] == k.  indices (M,), rows (M, D)."""
    if isinstance(rows, Tensor):  # a backward recording its graph: the differentiable scatter (WriteAt)
        from glassgrad.ops.indexing_select import added_along_dim

        return added_along_dim((num_rows, rows.shape[1]), 0, indices, rows)
    xp = backend.xp
    if indices.size and scatter_rows.serves(indices, rows, num_rows):  # the same sums as one sparse product
        return scatter_rows.scatter_add_rows(indices, rows, num_rows)
    out = xp.zeros((num_rows, rows.shape[1]), dtype=rows.dtype)
    if indices.size == 0:
        return out
    if indices.size < num_rows:
        xp.add.at(out, indices, rows)
        return out
    order = xp.argsort(indices, kind="stable")
    sorted_idx = indices[order]
    starts = xp.flatnonzero(xp.concatenate([xp.ones(1, dtype=bool), sorted_idx[1:] != sorted_idx[:-1]]))
    out[sorted_idx[starts]] = xp.add.reduceat(rows[order], starts, axis=0)
    return out


def renorm_rows(indices: Any, weight: Tensor, max_norm: float, norm_type: float) -> None:
    """``embedding``'s ``max_norm``: each row of ``weight`` that ``indices`` look up and whose ``norm_type``-norm
    ||w||_p exceeds ``max_norm`` is scaled IN PLACE by max_norm / (||w||_p + 1e-7), as torch (not recorded)."""
    xp = backend.xp
    idx = indices.array if isinstance(indices, Tensor) else xp.asarray(indices)
    rows = xp.unique(idx.reshape(-1))
    if rows.size == 0 or weight.ndim != 2:
        return
    picked = weight.array[rows]  # (R, D)
    norms = (xp.abs(picked) ** norm_type).sum(axis=1) ** (1.0 / norm_type)  # (R,)
    scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(weight.dtype)
    with no_grad():
        weight.index_put_((Tensor._make(rows, False),), Tensor._make(picked * scale[:, None], False))


class Embedding(Op):
    """y = W[idx];  dW = scatter-add of dy into the looked-up rows (none into padding_idx)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, weight: Any, *, indices: Any, padding_idx: int | None) -> Any:
        ctx.indices, ctx.padding_idx, ctx.num_rows = indices, padding_idx, weight.shape[0]
        return backend.xp.take(weight, indices, axis=0)  # (*idx.shape, D)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        flat_idx = ctx.indices.reshape(-1)  # (M,)
        rows = grad.reshape(flat_idx.size, grad.shape[-1])  # (M, D)
        dweight = scatter_add_rows(flat_idx, rows, ctx.num_rows)
        if ctx.padding_idx is not None:
            dweight = zeroed_at(dweight, ArrayIndex(ctx.padding_idx))
        return dweight


def embedding(indices: Any, weight: Any, padding_idx: int | None = None) -> Tensor:
    """Look up rows of ``weight`` (N, D) at integer ``indices`` of any shape S -> (*S, D).

    ``padding_idx`` (may be negative) names a row that receives no gradient.
    """
    xp = backend.xp
    weight = as_tensor(weight)
    if weight.ndim != 2:
        raise OpInputError(f"embedding: weight must be (num_embeddings, embedding_dim), got shape {weight.shape}")
    idx = indices.array if isinstance(indices, Tensor) else xp.asarray(indices)
    check_index_dtype("embedding", idx, LONG_OR_INT, what="indices")
    num = weight.shape[0]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= num):
        raise IndexError(f"embedding: indices must lie in [0, {num}), got values in "
                         f"[{int(idx.min())}, {int(idx.max())}]")
    if padding_idx is not None:
        if not -num <= padding_idx < num:
            raise ValueError(f"embedding: padding_idx {padding_idx} is out of range for {num} embeddings")
        padding_idx %= num
    return Embedding.apply(weight, indices=idx.astype(xp.int64, copy=False), padding_idx=padding_idx)
