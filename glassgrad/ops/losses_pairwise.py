"""Losses between two distributions or two embeddings: kl_div, cosine_embedding_loss, margin_ranking_loss."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.errors import OpInputError
from glassgrad.op import Context, Op
from glassgrad.ops.loss_reduction import check_reduction, legacy_reduction, like, reduce_losses, upstream
from glassgrad.ops.type_promotion import result_type
from glassgrad.tensor import Tensor, as_tensor


# ----- Kullback-Leibler divergence ---------------------------------------------------
class KLDiv(Op):
    """KL(target || model) per element, with the model given as log-probabilities x:

        log_target False:  l = t (log t - x)   (0 where t = 0);   d/dx = -t,     d/dt = log t + 1 - x
        log_target True:   l = e^t (t - x);                         d/dx = -e^t,   d/dt = e^t (t - x + 1)

    ``reduction="batchmean"`` divides the sum by the batch size (the first axis): the
    true KL divergence per sample. ``"mean"`` divides by the element count (torch's
    default, which it warns about).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any, t: Any, *, log_target: bool, reduction: str) -> Any:
        xp = backend.xp
        if log_target:
            p_target = xp.exp(t)
            losses = p_target * (t - x)
        else:
            p_target = t
            with np.errstate(divide="ignore", invalid="ignore"):
                t_log_t = xp.where(t > 0, t * xp.log(xp.where(t > 0, t, 1)), 0)
            losses = t_log_t - t * x
        denominator = math.prod(losses.shape)
        if reduction == "batchmean":
            denominator, reduction = (x.shape[0] if x.ndim else 1), "mean"
        ctx.save_for_backward(x, t, p_target)
        ctx.log_target, ctx.reduction, ctx.denominator = log_target, reduction, denominator
        return reduce_losses(losses, reduction, denominator, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        x, t, p_target = ctx.saved
        g = upstream(grad, ctx.reduction, ctx.denominator)
        dx = -p_target * g if ctx.needs_input_grad[0] else None
        dt = None
        if ctx.needs_input_grad[1]:
            if ctx.log_target:
                dt = p_target * (t - x + 1) * g
            else:
                with np.errstate(divide="ignore"):  # d/dt (t log t) = log t + 1 is -inf at t = 0
                    dt = (xp.log(t) + 1 - x) * g
        return dx, dt


def kl_div(input: Any, target: Any, size_average: bool | None = None, reduce: bool | None = None,  # noqa: A002
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """KL divergence with the model's LOG-probabilities as ``input`` (torch's F.kl_div).

    ``target`` holds probabilities (or log-probabilities with ``log_target=True``) and
    broadcasts against the input. Use ``reduction="batchmean"`` for the mathematical KL.
    """
    x, t = as_tensor(input), as_tensor(target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "kl_div", extra=("batchmean",))
    if reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      UserWarning, stacklevel=2)
    try:
        np.broadcast_shapes(x.shape, t.shape)
    except ValueError:
        raise OpInputError(f"kl_div: input shape {tuple(x.shape)} and target shape {tuple(t.shape)} do not "
                           "broadcast") from None
    return KLDiv.apply(x, like(t, x), log_target=bool(log_target), reduction=reduction)


# ----- cosine embedding ----------------------------------------------------------------
_EPS = 1e-12  # torch's: added to each squared norm


class CosineEmbedding(Op):
    """Pull pairs together (y = 1) or push them below a cosine ``margin`` (y = -1).

    With s = x1 . x2, m_i = |x_i|^2 + 1e-12 and cos = s / sqrt(m1 m2):

        l = 1 - cos  (y = 1),      max(0, cos - margin)  (y = -1),      0 otherwise;
        d cos / d x1 = x2 / sqrt(m1 m2) - cos x1 / m1     (and symmetrically for x2).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x1: Any, x2: Any, y: Any, *, margin: float, reduction: str) -> Any:
        xp = backend.xp
        m1 = (x1 * x1).sum(axis=-1) + _EPS  # (N,)
        m2 = (x2 * x2).sum(axis=-1) + _EPS
        denom = xp.sqrt(m1 * m2)
        cos = (x1 * x2).sum(axis=-1) / denom
        positive, negative = y == 1, y == -1
        losses = xp.where(positive, 1 - cos, 0) + xp.where(negative, xp.maximum(cos - margin, 0), 0)
        # d loss / d cos: -1 for a similar pair, 1 for a dissimilar pair above the margin
        ctx.d_cos = xp.where(positive, -1.0, 0.0) + xp.where(negative & (cos - margin >= 0), 1.0, 0.0)
        ctx.save_for_backward(x1, x2, m1, m2, denom, cos)
        ctx.reduction = reduction
        return reduce_losses(losses, reduction, math.prod(losses.shape), x1.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any, None]:
        x1, x2, m1, m2, denom, cos = ctx.saved
        g = (upstream(grad, ctx.reduction, math.prod(cos.shape)) * ctx.d_cos)[..., None]  # (N, 1)
        d1 = g * (x2 / denom[..., None] - cos[..., None] * x1 / m1[..., None])
        d2 = g * (x1 / denom[..., None] - cos[..., None] * x2 / m2[..., None])
        return d1.astype(x1.dtype, copy=False), d2.astype(x2.dtype, copy=False), None


def cosine_embedding_loss(input1: Any, input2: Any, target: Any, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """Cosine embedding loss (torch's F.cosine_embedding_loss): inputs (N, D) or (D,), target (N,) or () of +-1."""
    x1, x2, y = as_tensor(input1), as_tensor(input2), as_tensor(target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "cosine_embedding_loss")
    if x1.shape != x2.shape or x1.ndim not in (1, 2) or y.shape != x1.shape[:-1]:
        raise OpInputError(f"cosine_embedding_loss: need input1 and input2 of one shape (N, D) or (D,) and target "
                           f"(N,) or (); got {tuple(x1.shape)}, {tuple(x2.shape)}, {tuple(y.shape)}")
    dtype = _float_result(x1, x2)  # torch: int and bool inputs give the default float dtype
    return CosineEmbedding.apply(x1.to(dtype), x2.to(dtype), y, margin=float(margin), reduction=reduction)


# ----- margin ranking ------------------------------------------------------------------
class MarginRanking(Op):
    """Rank x1 above x2 when y = 1 (below when y = -1) by at least ``margin``:

        l = max(0, -y (x1 - x2) + margin);     d/dx1 = -y [l > 0],   d/dx2 = y [l > 0],
        d/dy = -(x1 - x2) [l > 0]   (the indicator includes the kink, as torch's clamp_min).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x1: Any, x2: Any, y: Any, *, margin: float, reduction: str) -> Any:
        xp = backend.xp
        raw = -y * (x1 - x2) + margin
        ctx.active = (raw >= 0).astype(raw.dtype)
        ctx.save_for_backward(x1, x2, y)
        ctx.reduction, ctx.count = reduction, math.prod(raw.shape)
        return reduce_losses(xp.maximum(raw, 0), reduction, math.prod(raw.shape), x1.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any, Any]:
        x1, x2, y = ctx.saved
        g = upstream(grad, ctx.reduction, ctx.count) * ctx.active
        return (-y * g if ctx.needs_input_grad[0] else None, y * g if ctx.needs_input_grad[1] else None,
                -(x1 - x2) * g if ctx.needs_input_grad[2] else None)


def margin_ranking_loss(input1: Any, input2: Any, target: Any, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """Margin ranking loss (torch's F.margin_ranking_loss); the three tensors broadcast."""
    x1, x2, y = as_tensor(input1), as_tensor(input2), as_tensor(target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "margin_ranking_loss")
    if not (x1.ndim == x2.ndim == y.ndim):
        raise OpInputError(f"margin_ranking_loss: All input tensors should have same dimension but got sizes: "
                           f"input1: {tuple(x1.shape)}, input2: {tuple(x2.shape)}, target: {tuple(y.shape)}")
    _refuse_bool_subtraction(x1, x2, y)
    dtype = _float_result(x1, x2, y)  # torch: int inputs give the default float dtype (the float margin)
    return MarginRanking.apply(x1.to(dtype), x2.to(dtype), y.to(dtype), margin=float(margin), reduction=reduction)


def _float_result(*tensors: Tensor) -> Any:
    """The dtype the tensors meet in (torch's promotion); an integer or bool one becomes the default float."""
    dtype = result_type(*tensors)
    return dtype if dtype.kind == "f" else backend.get_default_dtype()


def _refuse_bool_subtraction(x1: Tensor, x2: Tensor, y: Tensor) -> None:
    """torch's errors for -y * (x1 - x2) on bool tensors (the subtraction is checked first)."""
    if x1.dtype.kind == "b" and x2.dtype.kind == "b":
        raise RuntimeError("margin_ranking_loss: Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    if x1.dtype.kind == "b" or x2.dtype.kind == "b":
        raise RuntimeError("margin_ranking_loss: Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
    if y.dtype.kind == "b":
        raise RuntimeError("margin_ranking_loss: Negation, the `-` operator, on a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.")
