"""Margin losses: soft_margin, hinge_embedding, multi_margin, multilabel_margin, multilabel_soft_margin,
and the triplet losses (compositions of pairwise distances, as torch's).

Hinges follow torch at their kink: ``hinge_embedding_loss`` and the triplet losses clamp with
clamp_min (gradient 1 at the kink); ``multi_margin_loss`` and ``multilabel_margin_loss`` pass no
gradient where the hinge is exactly 0 (torch's kernels test ``z > 0``).

Shapes (torch's): scores (N, C) or (C,); per-sample losses (N,) or () with ``reduction="none"``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from glassgrad import backend, ops
from glassgrad.arrays.sigmoid import stable_sigmoid
from glassgrad.op import Context, Op
from glassgrad.ops.loss_reduction import check_reduction, legacy_reduction, like, reduce_losses, upstream
from glassgrad.ops.promotion import float_input, is_integral
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = [
    "hinge_embedding_loss", "multi_margin_loss", "multilabel_margin_loss", "multilabel_soft_margin_loss",
    "soft_margin_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
]
TORCH_NAMES = []
FUNCTIONAL_NAMES = [
    "hinge_embedding_loss", "multi_margin_loss", "multilabel_margin_loss", "multilabel_soft_margin_loss",
    "soft_margin_loss", "triplet_margin_loss", "triplet_margin_with_distance_loss",
]


def _reduction(size_average: bool | None, reduce: bool | None, reduction: str, op: str) -> str:
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, op)
    return reduction


def _float_scores(x: Tensor, op: str) -> None:
    if is_integral(x):
        raise NotImplementedError(f"{op}: not implemented for {x.dtype} inputs (as torch); convert with .float()")


def reduce_tensor(losses: Tensor, reduction: str) -> Tensor:
    """A composed loss's reduction: the per-element losses, their sum or their mean."""
    if reduction == "sum":
        return losses.sum()
    return losses.mean() if reduction == "mean" else losses


# ----- two-class margins ---------------------------------------------------------------------
class SoftMargin(Op):
    """Logistic loss of a +-1 target:  l = log(1 + e^{-y x});  dl/dx = -y sigmoid(-y x)."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, reduction: str) -> Any:
        xp = backend.xp
        margin = -y * x
        losses = xp.logaddexp(0, margin)
        ctx.save_for_backward(y, margin)
        ctx.reduction, ctx.count = reduction, math.prod(losses.shape)  # (losses may be a Tensor: a recording backward)
        return reduce_losses(losses, reduction, ctx.count, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, None]:
        y, margin = ctx.saved
        return -y * stable_sigmoid(margin) * upstream(grad, ctx.reduction, ctx.count), None


def soft_margin_loss(input: Any, target: Any, size_average: bool | None = None,  # noqa: A002
                     reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Two-class logistic loss log(1 + exp(-y x)) with targets y = +-1 (torch's F.soft_margin_loss)."""
    x, y = as_tensor(input), as_tensor(target)
    reduction = _reduction(size_average, reduce, reduction, "soft_margin_loss")
    _float_scores(x, "soft_margin_loss")
    return SoftMargin.apply(x, like(y, x).detach(), reduction=reduction)


class HingeEmbedding(Op):
    """l = x where y = 1;  max(0, margin - x) where y = -1  (torch's formula for any y: the sum of
    [y != 1] max(0, margin - x) and [y != -1] x);  dl/dx = [y != -1] - [y != 1][margin - x >= 0]."""

    differentiable_backward = True
    constant_saves = (0,)  # the slope: x enters only through a comparison

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, margin: float, reduction: str) -> Any:
        xp = backend.xp
        hinge = margin - x
        not_positive, not_negative = y != 1, y != -1
        losses = xp.where(not_positive, xp.maximum(hinge, 0), 0) + xp.where(not_negative, x, 0)
        ctx.save_for_backward(not_negative.astype(x.dtype) - (not_positive & (hinge >= 0)).astype(x.dtype))
        ctx.reduction, ctx.count = reduction, math.prod(losses.shape)  # (losses may be a Tensor: a recording backward)
        return reduce_losses(losses, reduction, ctx.count, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, None]:
        (slope,) = ctx.saved
        return slope * upstream(grad, ctx.reduction, ctx.count), None


def hinge_embedding_loss(input: Any, target: Any, margin: float = 1.0, size_average: bool | None = None,  # noqa: A002
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """x for similar pairs (y = 1), max(0, margin - x) for dissimilar ones (y = -1); torch's F.hinge_embedding_loss."""
    x, y = as_tensor(input), as_tensor(target)
    reduction = _reduction(size_average, reduce, reduction, "hinge_embedding_loss")
    _float_scores(x, "hinge_embedding_loss")
    return HingeEmbedding.apply(x, y.detach(), margin=float(margin), reduction=reduction)


# ----- multi-class margins ---------------------------------------------------------------------
def _scores_2d(x: Tensor, op: str) -> tuple[int, int]:
    """(N, C) of a (N, C), (C,) or 0-d (one sample, one class, as torch) score tensor."""
    if x.ndim > 2 or (x.ndim and x.shape[-1] == 0):
        raise RuntimeError(f"{op}: expected a non-empty 0-D, 1-D (C) or 2-D (N, C) input, got shape "
                           f"{tuple(x.shape)}")
    return (1, x.shape[0]) if x.ndim == 1 else (1, 1) if x.ndim == 0 else tuple(x.shape)  # type: ignore[return-value]


class MultiMargin(Op):
    """Multi-class hinge: with z_i = margin - x_y + x_i,

        l = w_y sum_{i != y} max(0, z_i)^p / C;
        dl/dx_i = w_y p max(0, z_i)^(p-1) [z_i > 0] / C  (i != y),   dl/dx_y = -sum_{i != y} dl/dx_i.
    """

    # torch has no double backward for this loss: glassgrad raises as torch does
    not_differentiable_reason = "derivative for multi_margin_loss_backward is not implemented (as in torch)"

    @staticmethod
    def forward(ctx: Context, x: Any, *, target: Any, p: int, margin: float, weight: Any, reduction: str) -> Any:
        xp = backend.xp
        n, c = x.shape
        rows = xp.arange(n)
        z = margin - x[rows, target][:, None] + x  # (N, C)
        z[rows, target] = 0  # the target's own term is left out
        hinge = xp.maximum(z, 0)
        scale = (xp.ones(n, dtype=x.dtype) if weight is None else weight[target]) / c  # (N,)
        losses = (hinge ** p).sum(axis=1) * scale
        slope = (p * hinge ** (p - 1) * (z > 0)) * scale[:, None]  # dl/dx_i for i != y
        slope[rows, target] = -slope.sum(axis=1)
        ctx.slope, ctx.reduction, ctx.count = slope, reduction, n
        return reduce_losses(losses, reduction, n, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        g = upstream(grad, ctx.reduction, ctx.count)
        return ctx.slope * (g[:, None] if getattr(g, "ndim", 0) else g)


def multi_margin_loss(input: Any, target: Any, p: int = 1, margin: float = 1.0, weight: Any = None,  # noqa: A002
                      size_average: bool | None = None, reduce: bool | None = None,
                      reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss (torch's F.multi_margin_loss): input (N, C) or (C,), target (N,) or () class indices."""
    x, y = as_tensor(input), as_tensor(target)
    reduction = _reduction(size_average, reduce, reduction, "multi_margin_loss")
    _float_scores(x, "multi_margin_loss")
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    n, c = _scores_2d(x, "multi_margin_loss")
    labels = y.array.reshape(-1).astype(backend.xp.int64)
    if labels.shape != (n,) or (labels.size and (labels.min() < 0 or labels.max() >= c)):
        raise RuntimeError(f"multi_margin_loss: target {tuple(y.shape)} must hold {n} class indices in [0, {c})")
    w = None
    if weight is not None:
        w = as_tensor(weight).array.astype(x.dtype)
        if w.shape != (c,):
            raise RuntimeError(f"multi_margin_loss: weight must have shape ({c},), got {w.shape}")
    out = MultiMargin.apply(x.reshape(n, c), target=labels, p=p, margin=float(margin), weight=w,
                            reduction=reduction)
    return out.reshape(()) if x.ndim < 2 and reduction == "none" else out


class MultilabelMargin(Op):
    """Multi-label hinge: the targets of a row are its entries before the first -1 (a class listed twice
    counts twice); with T the target set and z_ji = 1 - x_j + x_i,

        l = sum_{j in targets} sum_{i not in T} max(0, z_ji) / C;
        dl/dx_i = sum_j [z_ji > 0] / C  (i not in T),   dl/dx_j -= sum_i [z_ji > 0] / C  (j a target).
    """

    # torch has no double backward for this loss: glassgrad raises as torch does
    not_differentiable_reason = "derivative for multilabel_margin_loss_backward is not implemented (as in torch)"

    @staticmethod
    def forward(ctx: Context, x: Any, *, counts: Any, reduction: str) -> Any:
        xp = backend.xp
        n, c = x.shape
        others = (counts == 0).astype(x.dtype)  # (N, C): 1 for the classes that are not targets
        z = 1 - x[:, :, None] + x[:, None, :]  # (N, C_j, C_i)
        pair_weight = counts.astype(x.dtype)[:, :, None] * others[:, None, :]
        losses = (xp.maximum(z, 0) * pair_weight).sum(axis=(1, 2)) / c
        active = (z > 0) * pair_weight / c
        ctx.slope = active.sum(axis=1) - active.sum(axis=2)  # (N, C)
        ctx.reduction, ctx.count = reduction, n
        return reduce_losses(losses, reduction, n, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        g = upstream(grad, ctx.reduction, ctx.count)
        return ctx.slope * (g[:, None] if getattr(g, "ndim", 0) else g)


def multilabel_margin_loss(input: Any, target: Any, size_average: bool | None = None,  # noqa: A002
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Multi-label hinge loss (torch's F.multilabel_margin_loss): input (N, C) or (C,); target of the same shape
    holding class indices, ended by -1 (entries after the first -1 are ignored)."""
    xp = backend.xp
    x, y = as_tensor(input), as_tensor(target)
    reduction = _reduction(size_average, reduce, reduction, "multilabel_margin_loss")
    _float_scores(x, "multilabel_margin_loss")
    n, c = _scores_2d(x, "multilabel_margin_loss")
    if tuple(y.shape) != tuple(x.shape):
        raise RuntimeError(f"multilabel_margin_loss: inconsistent target size: {tuple(y.shape)} for input of size: "
                           f"{tuple(x.shape)}")
    labels = y.array.reshape(n, c).astype(xp.int64)
    valid = xp.cumprod(labels >= 0, axis=1).astype(bool)  # before the first negative entry
    if xp.any(labels[valid] >= c):
        raise RuntimeError(f"multilabel_margin_loss: target index out of range for {c} classes")
    counts = xp.zeros((n, c), dtype=xp.int64)
    rows = xp.broadcast_to(xp.arange(n)[:, None], labels.shape)
    xp.add.at(counts, (rows[valid], labels[valid]), 1)
    out = MultilabelMargin.apply(x.reshape(n, c), counts=counts, reduction=reduction)
    return out.reshape(()) if x.ndim < 2 and reduction == "none" else out


class MultilabelSoftMargin(Op):
    """Per-class logistic loss averaged over the C classes (the last axis):

        l = -(1/C) sum_c w_c (t_c log sigmoid(x_c) + (1 - t_c) log sigmoid(-x_c));
        dl/dx_c = w_c (sigmoid(x_c) - t_c) / C,   dl/dt_c = -w_c x_c / C.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, t: Any, *, weight: Any, reduction: str) -> Any:
        xp = backend.xp
        log_p = -xp.logaddexp(0, -x)  # log sigmoid(x)
        log_q = -xp.logaddexp(0, x)  # log sigmoid(-x)
        per_class = -(t * log_p + (1 - t) * log_q)
        if weight is not None:
            per_class = per_class * weight
        c = x.shape[-1]
        losses = per_class.sum(axis=-1) / c
        ctx.save_for_backward(x, t)
        ctx.weight, ctx.c, ctx.reduction, ctx.count = weight, c, reduction, math.prod(losses.shape)
        return reduce_losses(losses, reduction, ctx.count, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        x, t = ctx.saved
        g = upstream(grad, ctx.reduction, ctx.count)
        g = (g[..., None] if getattr(g, "ndim", 0) else g) / ctx.c
        if ctx.weight is not None:
            g = g * ctx.weight
        dx = (stable_sigmoid(x) - t) * g if ctx.needs_input_grad[0] else None
        dt = -x * g if ctx.needs_input_grad[1] else None
        return dx, dt


def multilabel_soft_margin_loss(input: Any, target: Any, weight: Any = None,  # noqa: A002
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """Multi-label one-versus-all logistic loss (torch's F.multilabel_soft_margin_loss): target in [0, 1]
    of the input's shape, classes along the last axis; ``weight`` broadcasts against the input."""
    x, t = as_tensor(input), as_tensor(target)
    reduction = _reduction(size_average, reduce, reduction, "multilabel_soft_margin_loss")
    _float_scores(x, "multilabel_soft_margin_loss")
    if x.ndim == 0:
        raise RuntimeError("multilabel_soft_margin_loss: expected an input with a class dimension, got a scalar")
    if tuple(t.shape) != tuple(x.shape):
        raise ValueError(f"multilabel_soft_margin_loss: target shape {tuple(t.shape)} must equal the input shape "
                         f"{tuple(x.shape)}")
    w = None if weight is None else as_tensor(weight).array.astype(x.dtype)
    return MultilabelSoftMargin.apply(x, like(t, x), weight=w, reduction=reduction)


# ----- triplets (compositions, as torch's) ------------------------------------------------------
def triplet_margin_with_distance_loss(anchor: Any, positive: Any, negative: Any, *,
                                      distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    """max(0, margin + d(a, p) - d(a, n)) for a distance d (default: the pairwise 2-norm), with ``swap``
    using min(d(a, n), d(p, n)); torch's F.triplet_margin_with_distance_loss. The gradient is the
    distance's, chained by the engine (clamp_min passes it at the kink)."""
    check_reduction(reduction, "triplet_margin_with_distance_loss")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a, p, n = (float_input(t) for t in (anchor, positive, negative))  # integers: the default float dtype, as torch
    if not a.ndim == p.ndim == n.ndim:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a.ndim}D, positive {p.ndim}D, and negative {n.ndim}D inputs")
    distance = distance_function if distance_function is not None else ops.pairwise_distance
    d_pos, d_neg = distance(a, p), distance(a, n)
    if swap:
        d_neg = ops.minimum(d_neg, distance(p, n))
    return reduce_tensor(ops.clip(margin + d_pos - d_neg, min=0), reduction)


def triplet_margin_loss(anchor: Any, positive: Any, negative: Any, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """max(0, margin + ||a - p + eps||_p - ||a - n + eps||_p) over the last dim (torch's F.triplet_margin_loss);
    inputs (N, D) or (D,)."""
    reduction = _reduction(size_average, reduce, reduction, "triplet_margin_loss")
    a, pos, neg = (float_input(t) for t in (anchor, positive, negative))  # integers: the default float dtype
    if not a.ndim == pos.ndim == neg.ndim or a.ndim not in (1, 2):
        raise RuntimeError(f"triplet_margin_loss: the anchor, positive and negative must all be 1-D or all 2-D, "
                           f"got {a.ndim}D, {pos.ndim}D and {neg.ndim}D")
    d_pos = ops.pairwise_distance(a, pos, p, eps)
    d_neg = ops.pairwise_distance(a, neg, p, eps)
    if swap:
        d_neg = ops.minimum(d_neg, ops.pairwise_distance(pos, neg, p, eps))
    return reduce_tensor(ops.clip(margin + d_pos - d_neg, min=0), reduction)
