"""Loss functions as whole ops with fused, hand-written backward passes.

Writing a loss as one op (rather than log_softmax -> getitem -> mean) keeps
its backward short and exact: for softmax cross-entropy the gradient with
respect to the logits is simply ``softmax(z) - target`` (divided by N for the
mean). The reductions are described in ``loss_reduction.py``.

This file holds the classification losses (cross-entropy, NLL); the others
live next to it and are re-exported here, so ``glassgrad.ops.losses`` lists them all:

- ``losses_regression.py``: mse_loss, l1_loss, smooth_l1_loss, huber_loss,
- ``losses_binary.py``: binary_cross_entropy(_with_logits),
- ``losses_pairwise.py``: kl_div, cosine_embedding_loss, margin_ranking_loss.

Class-score inputs are laid out as torch's: (N, C) or (N, C, d1, d2, ...) with
the classes on axis 1, or a single sample (C,). Internally the classes are
moved last and the positions flattened to (M, C), M = N * d1 * d2 * ...

Logits of ``-inf`` (a masked-out class) are allowed, as in torch: the loss of
an index target stays finite when the target's own logit is finite, because the
loss reads only ``log p`` at the target (never ``0 * -inf``); with label
smoothing every class counts, so the loss is ``inf`` (as torch) while the
gradient stays finite.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from glassgrad import backend, kernels
from glassgrad.errors import OpDtypeError, OpInputError
from glassgrad.kernels import sums
from glassgrad.op import Context, Op
from glassgrad.ops.index_dtypes import LONG_OR_BYTE, check_index_dtype
from glassgrad.ops.indexing import ArrayIndex, written_at
from glassgrad.ops.loss_reduction import check_reduction, legacy_reduction, reduce_losses, upstream
from glassgrad.ops.losses_binary import binary_cross_entropy as binary_cross_entropy
from glassgrad.ops.losses_binary import binary_cross_entropy_with_logits as binary_cross_entropy_with_logits
from glassgrad.ops.losses_pairwise import cosine_embedding_loss as cosine_embedding_loss
from glassgrad.ops.losses_pairwise import kl_div as kl_div
from glassgrad.ops.losses_pairwise import margin_ranking_loss as margin_ranking_loss
from glassgrad.ops.losses_regression import huber_loss as huber_loss
from glassgrad.ops.losses_regression import l1_loss as l1_loss
from glassgrad.ops.losses_regression import mse_loss as mse_loss
from glassgrad.ops.losses_regression import smooth_l1_loss as smooth_l1_loss
from glassgrad.ops.softmax import shifted_exp, stable_log_softmax
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "mse_loss", "nll_loss"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "mse_loss", "nll_loss"]


# ----- layout helpers -----------------------------------------------------------
def _classes_last(x: Any) -> Any:
    """(N, C, d1, ...) -> (M, C); a single sample (C,) -> (1, C)."""
    if x.ndim == 1:
        return x.reshape(1, -1)
    positions = x.shape[0] * math.prod(x.shape[2:])  # not -1: NumPy cannot infer it when C = 0
    return backend.xp.moveaxis(x, 1, -1).reshape(positions, x.shape[1])


def _classes_back(x2: Any, shape: tuple[int, ...]) -> Any:
    """The inverse of ``_classes_last``: (M, C) -> ``shape`` with the classes on axis 1."""
    if len(shape) == 1:
        return x2.reshape(shape)
    moved = (shape[0],) + shape[2:] + (shape[1],)  # (N, d1, ..., C)
    return backend.xp.moveaxis(x2.reshape(moved), -1, 1)


def _positions(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Shape of the per-position losses: (N, d1, ...) for (N, C, d1, ...), () for (C,)."""
    return shape[:1] + shape[2:] if len(shape) > 1 else ()


def _class_weight(weight: Any, n_classes: int, dtype: Any, op_name: str) -> Any:
    if weight is None:
        return None
    w = weight.array if isinstance(weight, Tensor) else backend.xp.asarray(weight)
    if w.shape != (n_classes,):
        raise OpInputError(f"{op_name}: weight must have shape ({n_classes},) (one per class), got {w.shape}")
    return w.astype(dtype, copy=False)


def _index_weights(target: Any, weight: Any, ignore_index: int, dtype: Any) -> tuple[Any, Any, Any, Any]:
    """For class-index targets (M,): the safe indices (ignored ones set to 0), the boolean
    mask of counted positions, each position's weight w_y (0 where ignored), and the
    mean's denominator, the sum of those weights."""
    xp = backend.xp
    counted = target != ignore_index
    safe = xp.where(counted, target, 0)
    w_t = counted.astype(dtype) * (weight[safe] if weight is not None else 1)
    return safe, counted, w_t, w_t.sum()


def _check_index_target(target: Tensor, input_shape: tuple[int, ...], n_classes: int, ignore_index: int,
                        op_name: str) -> None:
    check_index_dtype(op_name, target.array, LONG_OR_BYTE, what="the target")  # torch: "Long or Byte"
    if target.shape != _positions(input_shape):
        raise OpInputError(f"{op_name}: index target of shape {tuple(target.shape)} does not fit input of shape "
                           f"{tuple(input_shape)}; expected {tuple(_positions(input_shape))}")
    t = target.array
    bad = ((t < 0) | (t >= n_classes)) & (t != ignore_index)
    if bad.any():
        raise OpInputError(f"{op_name}: target {int(t[bad].flat[0])} is out of range for {n_classes} classes")


# ----- cross-entropy ----------------------------------------------------------
class CrossEntropy(Op):
    """Softmax cross-entropy from logits z with class indices or class probabilities.

    With p = softmax(z) over the classes and q the (smoothed, weighted) target
    distribution of one position,

        loss = -sum_c q_c log p_c,        d loss / d z_c = p_c sum_k q_k - q_c,

    which is ``p - q`` when the weights sum to 1 (no class weights): softmax minus the
    one-hot target, divided by N for the mean (by the summed target weights with
    class weights or ignored positions). For an index target y with smoothing eps
    over C classes and class weights w: q_c = (1 - eps) w_y [c = y] + eps w_c / C, so

        loss = -(1 - eps) w_y log p_y - (eps / C) sum_c w_c log p_c,

    computed in that form (a gather, no 0 * log 0). For a probability target t:
    q_c = w_c ((1 - eps) t_c + eps / C). The gradient for the probability
    target itself is d loss / d t_c = -(1 - eps) w_c log p_c.
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, logits: Any, target: Any, *, weight: Any, ignore_index: int,
                label_smoothing: float, reduction: str) -> Any:
        xp = backend.xp
        z = _classes_last(logits)  # (M, C)
        m, n_classes = z.shape
        eps = label_smoothing
        # Index targets without smoothing: q's only nonzeros are w_t at (row, target). The fast path keeps those
        # instead of an (M, C) q (the size of the logits: 150 MB for nanoGPT's 50304 tokens), and instead of
        # log p it keeps e = exp(z - c) and its row sums s, p = e / s: log p is needed at the targets only,
        # log p_y = (z_y - c) - log s, and the backward forms p in its one pass instead of exp(log p).
        ctx.fast = kernels.fast() and not eps and target.dtype.kind in "iu" and not isinstance(z, Tensor)
        if ctx.fast:
            safe, counted, w_t, denominator = _index_weights(target.reshape(-1), weight, ignore_index, z.dtype)
            rows = xp.arange(m)
            e, shift = shifted_exp(z)
            total = sums.sum_last(e)  # (M, 1): s = sum_c e_c
            with np.errstate(divide="ignore", invalid="ignore"):  # -inf logits: as the reference's log p
                log_p_target = (z[rows, safe] - shift.reshape(-1)) - xp.log(total.reshape(-1))
            losses = -w_t * xp.where(counted, log_p_target, 0)  # (M,): an ignored row is never read
            ctx.rows, ctx.safe, ctx.w_t = rows, safe, w_t
            ctx.save_for_backward(e, total)
            ctx.shape, ctx.reduction, ctx.denominator = logits.shape, reduction, denominator
            ctx.eps, ctx.weight = eps, weight
            return reduce_losses(losses.reshape(_positions(logits.shape)), reduction, denominator, logits.dtype)
        log_p = stable_log_softmax(z, axis=1)  # (M, C)
        if target.dtype.kind in "iu":
            safe, counted, w_t, denominator = _index_weights(target.reshape(-1), weight, ignore_index, z.dtype)
            rows = xp.arange(m)
            log_p_target = xp.where(counted, log_p[rows, safe], 0)  # (M,): an ignored row is never read
            losses = -(1 - eps) * w_t * log_p_target  # (M,)
            q = xp.zeros_like(z)  # (M, C)
            q[rows, safe] = (1 - eps) * w_t
            if eps:
                per_class = weight if weight is not None else xp.ones(n_classes, dtype=z.dtype)  # (C,)
                losses = losses - (eps / n_classes) * xp.where(counted, (per_class * log_p).sum(axis=1), 0)
                q = q + counted[:, None] * ((eps / n_classes) * per_class)
        else:
            t = _classes_last(target)  # (M, C)
            q = (1 - eps) * t + eps / n_classes if eps else t
            if weight is not None:
                q = q * weight
            denominator = m if math.prod(z.shape) else math.nan  # no logits at all: the mean is NaN, as torch
            with np.errstate(invalid="ignore"):  # a 0 target at a -inf logit gives nan, as torch
                losses = -(q * log_p).sum(axis=1)  # (M,)
        ctx.save_for_backward(log_p, q)
        ctx.shape, ctx.reduction, ctx.denominator = logits.shape, reduction, denominator
        ctx.eps, ctx.weight = eps, weight
        return reduce_losses(losses.reshape(_positions(logits.shape)), reduction, denominator, logits.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        log_p, q = ctx.saved
        g = upstream(grad, ctx.reduction, ctx.denominator).reshape(-1, 1)  # (M, 1) or (1, 1)
        d_logits = d_target = None
        if ctx.needs_input_grad[0] and ctx.fast:  # index targets without smoothing: q only at the targets
            e, total = log_p, q  # (what the fast forward saved: e = exp(z - c) and s, its row sums)
            g_w = g.reshape(-1) * ctx.w_t  # (M,): g w_y, q's row sums times g
            d_logits = e * (g_w / total.reshape(-1))[:, None]  # g (p sum_c q_c - q) = g w_y e / s - g q, in one pass
            d_logits[ctx.rows, ctx.safe] -= g_w
            d_logits = _classes_back(d_logits, ctx.shape)
        elif ctx.needs_input_grad[0]:
            d_logits = _classes_back(g * (xp.exp(log_p) * sums.sum_last(q) - q), ctx.shape)
        if ctx.needs_input_grad[1]:
            d_t = -(1 - ctx.eps) * log_p * g
            if ctx.weight is not None:
                d_t = d_t * ctx.weight
            d_target = _classes_back(d_t, ctx.shape)
        return d_logits, d_target


def cross_entropy(input: Any, target: Any, weight: Any = None, size_average: bool | None = None,  # noqa: A002
                  ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between softmax(input) over axis 1 and the target (torch's F.cross_entropy).

    Args:
        input: logits (N, C), (N, C, d1, ...) or (C,).
        target: class indices (N,) / (N, d1, ...) / () of an integer dtype, or class
            probabilities of the input's shape (a float dtype).
        weight: optional per-class weights (C,).
        size_average, reduce: deprecated (torch's); use ``reduction``.
        ignore_index: index targets equal to this contribute nothing (and are not counted by the mean).
        reduction: "mean", "sum" or "none".
        label_smoothing: eps in [0, 1]: mix the target with the uniform distribution.
    """
    logits, target = as_tensor(input), as_tensor(target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "cross_entropy")
    if logits.ndim == 0 or not backend.is_float(logits.dtype):
        raise OpInputError(f"cross_entropy: input must be floating logits (C,) or (N, C, ...), got "
                           f"shape {logits.shape} dtype {logits.dtype}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise OpInputError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    n_classes = logits.shape[1] if logits.ndim > 1 else logits.shape[0]
    if target.dtype.kind in "iu":
        _check_index_target(target, logits.shape, n_classes, ignore_index, "cross_entropy")
    elif backend.is_float(target.dtype):
        if target.shape != logits.shape:
            raise OpInputError(f"cross_entropy: probability target of shape {target.shape} must match input "
                               f"shape {logits.shape}")
        if target.dtype != logits.dtype and not target.requires_grad:
            target = Tensor._make(target.array.astype(logits.dtype), False)
    else:
        raise OpDtypeError(f"cross_entropy: target must be integer class indices or float probabilities, "
                           f"got dtype {target.dtype}")
    w = _class_weight(weight, n_classes, logits.dtype, "cross_entropy")
    return CrossEntropy.apply(logits, target, weight=w, ignore_index=ignore_index,
                              label_smoothing=float(label_smoothing), reduction=reduction)


# ----- negative log-likelihood ----------------------------------------------------
class NLLLoss(Op):
    """Negative log-likelihood of class indices y given log-probabilities x:

        loss = -w_y x_y,        d loss / d x_c = -w_y [c = y]

    (w_y = 1 without class weights, 0 for an ignored position, whose x is never read).
    """

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, log_probs: Any, target: Any, *, weight: Any, ignore_index: int,
                reduction: str) -> Any:
        xp = backend.xp
        x = _classes_last(log_probs)  # (M, C)
        safe, counted, w_t, denominator = _index_weights(target.reshape(-1), weight, ignore_index, x.dtype)
        rows = xp.arange(x.shape[0])
        losses = -w_t * xp.where(counted, x[rows, safe], 0)  # (M,): an ignored row is never read
        ctx.rows, ctx.safe, ctx.w_t = rows, safe, w_t
        ctx.shape, ctx.reduction, ctx.denominator = log_probs.shape, reduction, denominator
        return reduce_losses(losses.reshape(_positions(log_probs.shape)), reduction, denominator, log_probs.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, None]:
        g = upstream(grad, ctx.reduction, ctx.denominator).reshape(-1)  # (M,) or (1,)
        n_classes = ctx.shape[1] if len(ctx.shape) > 1 else ctx.shape[0]
        d = written_at((ctx.rows.shape[0], n_classes), ArrayIndex((ctx.rows, ctx.safe)), -ctx.w_t * g,
                       accumulate=False)  # (M, C): zeros but -w_y g at each target
        return _classes_back(d, ctx.shape), None


def nll_loss(input: Any, target: Any, weight: Any = None, size_average: bool | None = None,  # noqa: A002
             ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood loss from log-probabilities (torch's F.nll_loss); same layouts as cross_entropy."""
    log_probs, target = as_tensor(input), as_tensor(target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    check_reduction(reduction, "nll_loss")
    if log_probs.ndim == 0 or target.dtype.kind not in "iu":
        raise OpInputError(f"nll_loss: need log-probabilities (C,) or (N, C, ...) and integer targets, got shapes "
                           f"{log_probs.shape} and {target.shape} ({target.dtype})")
    n_classes = log_probs.shape[1] if log_probs.ndim > 1 else log_probs.shape[0]
    _check_index_target(target, log_probs.shape, n_classes, ignore_index, "nll_loss")
    w = _class_weight(weight, n_classes, log_probs.dtype, "nll_loss")
    return NLLLoss.apply(log_probs, target, weight=w, ignore_index=ignore_index, reduction=reduction)
