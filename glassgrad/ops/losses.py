"""Loss functions as whole ops with fused, hand-written backward passes.

Writing a loss as one op (rather than log_softmax -> getitem -> mean) keeps
its backward short and exact: for softmax cross-entropy the gradient with
respect to the logits is simply ``softmax(z) - target`` (divided by N for the
mean). Every loss takes ``reduction``:

- ``"none"``: one loss per sample (per position),
- ``"sum"``: their sum,
- ``"mean"``: their mean (for cross-entropy/NLL with class weights: the sum
  divided by the summed weights of the targets, as torch).

Class-score inputs are laid out as torch's: (N, C) or (N, C, d1, d2, ...) with
the classes on axis 1, or a single sample (C,). Internally the classes are
moved last and the positions flattened to (M, C), M = N * d1 * d2 * ...
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.function import Context, Function
from glassgrad.ops.activation import stable_sigmoid
from glassgrad.ops.softmax import stable_log_softmax
from glassgrad.tensor import Tensor, as_tensor

_REDUCTIONS = ("mean", "sum", "none")


# ----- shared helpers ---------------------------------------------------------
def _classes_last(x: Any) -> Any:
    """(N, C, d1, ...) -> (M, C); a single sample (C,) -> (1, C)."""
    if x.ndim == 1:
        return x.reshape(1, -1)
    return backend.xp.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _classes_back(x2: Any, shape: tuple[int, ...]) -> Any:
    """The inverse of ``_classes_last``: (M, C) -> ``shape`` with the classes on axis 1."""
    if len(shape) == 1:
        return x2.reshape(shape)
    moved = (shape[0],) + shape[2:] + (shape[1],)  # (N, d1, ..., C)
    return backend.xp.moveaxis(x2.reshape(moved), -1, 1)


def _positions(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Shape of the per-position losses: (N, d1, ...) for (N, C, d1, ...), () for (C,)."""
    return shape[:1] + shape[2:] if len(shape) > 1 else ()


def _reduce(losses: Any, reduction: str, denominator: Any, dtype: Any) -> Any:
    """Apply the reduction to per-position losses (the mean divides by ``denominator``)."""
    if reduction == "none":
        return losses
    total = losses.sum()
    if reduction == "mean":
        with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 = nan when every target is ignored
            total = total / denominator
    return backend.xp.asarray(total, dtype=dtype)


def _upstream(grad: Any, reduction: str, denominator: Any) -> Any:
    """d total / d (each per-position loss): ``grad`` itself, or grad / denominator for the mean
    (0 when the denominator is 0, i.e. every target ignored, as torch)."""
    if reduction == "mean":
        return grad / denominator if denominator != 0 else grad * 0
    return grad


def _check_reduction(reduction: str, op_name: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{op_name}: reduction must be one of {_REDUCTIONS}, got {reduction!r}")


def _class_weight(weight: Any, n_classes: int, dtype: Any, op_name: str) -> Any:
    if weight is None:
        return None
    w = weight.data if isinstance(weight, Tensor) else backend.xp.asarray(weight)
    if w.shape != (n_classes,):
        raise ValueError(f"{op_name}: weight must have shape ({n_classes},) (one per class), got {w.shape}")
    return w.astype(dtype, copy=False)


def _index_weights(target: Any, weight: Any, ignore_index: int, dtype: Any) -> tuple[Any, Any, Any, Any]:
    """For class-index targets (M,): the safe indices (ignored ones set to 0), the
    0/1 mask of counted positions, each position's weight w_y (0 where ignored),
    and the mean's denominator, the sum of those weights."""
    xp = backend.xp
    valid = (target != ignore_index).astype(dtype)
    safe = xp.where(target != ignore_index, target, 0)
    w_t = valid * weight[safe] if weight is not None else valid
    return safe, valid, w_t, w_t.sum()


# ----- cross-entropy ----------------------------------------------------------
class CrossEntropy(Function):
    """Softmax cross-entropy from logits z with class indices or class probabilities.

    With p = softmax(z) over the classes and q the (smoothed, weighted) target
    distribution of one position,

        loss = -sum_c q_c log p_c,        d loss / d z_c = p_c sum_k q_k - q_c,

    which is ``p - q`` when the weights sum to 1 (no class weights): softmax minus the
    one-hot target, divided by N for the mean (by the summed target weights with
    class weights or ignored positions). For an
    index target y with smoothing eps over C classes and class weights w:
    q_c = (1 - eps) w_y [c = y] + eps w_c / C; for a probability target t:
    q_c = w_c ((1 - eps) t_c + eps / C). The gradient for the probability
    target itself is d loss / d t_c = -(1 - eps) w_c log p_c.
    """

    @staticmethod
    def forward(ctx: Context, logits: Any, target: Any, *, weight: Any, ignore_index: int,
                label_smoothing: float, reduction: str) -> Any:
        xp = backend.xp
        z = _classes_last(logits)  # (M, C)
        m, n_classes = z.shape
        log_p = stable_log_softmax(z, axis=1)  # (M, C)
        eps = label_smoothing
        if target.dtype.kind in "iu":
            safe, valid, w_t, denominator = _index_weights(target.reshape(-1), weight, ignore_index, z.dtype)
            q = xp.zeros_like(z)  # (M, C)
            q[xp.arange(m), safe] = (1 - eps) * w_t
            if eps:
                per_class = weight if weight is not None else xp.ones(n_classes, dtype=z.dtype)  # (C,)
                q += valid[:, None] * ((eps / n_classes) * per_class)
        else:
            t = _classes_last(target)  # (M, C)
            q = (1 - eps) * t + eps / n_classes if eps else t
            if weight is not None:
                q = q * weight
            denominator = m
        losses = -(q * log_p).sum(axis=1)  # (M,)
        ctx.save_for_backward(log_p, q)
        ctx.shape, ctx.reduction, ctx.denominator = logits.shape, reduction, denominator
        ctx.eps, ctx.weight = eps, weight
        return _reduce(losses.reshape(_positions(logits.shape)), reduction, denominator, logits.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        log_p, q = ctx.saved
        g = _upstream(grad, ctx.reduction, ctx.denominator).reshape(-1, 1)  # (M, 1) or (1, 1)
        d_logits = d_target = None
        if ctx.needs_input_grad[0]:
            d_logits = _classes_back(g * (xp.exp(log_p) * q.sum(axis=1, keepdims=True) - q), ctx.shape)
        if ctx.needs_input_grad[1]:
            d_t = -(1 - ctx.eps) * log_p * g
            if ctx.weight is not None:
                d_t = d_t * ctx.weight
            d_target = _classes_back(d_t, ctx.shape)
        return d_logits, d_target


def cross_entropy(input: Any, target: Any, weight: Any = None, ignore_index: int = -100,  # noqa: A002
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Cross-entropy between softmax(input) over axis 1 and the target (torch's F.cross_entropy).

    Args:
        input: logits (N, C), (N, C, d1, ...) or (C,).
        target: class indices (N,) / (N, d1, ...) / () of an integer dtype, or class
            probabilities of the input's shape (a float dtype).
        weight: optional per-class weights (C,).
        ignore_index: index targets equal to this contribute nothing (and are not counted by the mean).
        reduction: "mean", "sum" or "none".
        label_smoothing: eps in [0, 1]: mix the target with the uniform distribution.
    """
    logits, target = as_tensor(input), as_tensor(target)
    _check_reduction(reduction, "cross_entropy")
    if logits.ndim == 0 or not backend.is_float(logits.dtype):
        raise ValueError(f"cross_entropy: input must be floating logits (C,) or (N, C, ...), got "
                         f"shape {logits.shape} dtype {logits.dtype}")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    n_classes = logits.shape[1] if logits.ndim > 1 else logits.shape[0]
    if target.dtype.kind in "iu":
        if target.shape != _positions(logits.shape):
            raise ValueError(f"cross_entropy: index target of shape {target.shape} does not fit input of shape "
                             f"{logits.shape}; expected {_positions(logits.shape)}")
        t = target.data
        bad = ((t < 0) | (t >= n_classes)) & (t != ignore_index)
        if bad.any():
            raise ValueError(f"cross_entropy: target {int(t[bad].flat[0])} is out of range for {n_classes} classes")
    elif backend.is_float(target.dtype):
        if target.shape != logits.shape:
            raise ValueError(f"cross_entropy: probability target of shape {target.shape} must match input "
                             f"shape {logits.shape}")
        if target.dtype != logits.dtype and not target.requires_grad:
            target = Tensor._make(target.data.astype(logits.dtype), False)
    else:
        raise TypeError(f"cross_entropy: target must be integer class indices or float probabilities, "
                        f"got dtype {target.dtype}")
    w = _class_weight(weight, n_classes, logits.dtype, "cross_entropy")
    return CrossEntropy.apply(logits, target, weight=w, ignore_index=ignore_index,
                              label_smoothing=float(label_smoothing), reduction=reduction)


class NLLLoss(Function):
    """Negative log-likelihood of class indices y given log-probabilities x:

        loss = -w_y x_y,        d loss / d x_c = -w_y [c = y]

    (w_y = 1 without class weights, 0 for an ignored position).
    """

    @staticmethod
    def forward(ctx: Context, log_probs: Any, target: Any, *, weight: Any, ignore_index: int,
                reduction: str) -> Any:
        xp = backend.xp
        x = _classes_last(log_probs)  # (M, C)
        safe, _, w_t, denominator = _index_weights(target.reshape(-1), weight, ignore_index, x.dtype)
        rows = xp.arange(x.shape[0])
        losses = -w_t * x[rows, safe]  # (M,)
        ctx.rows, ctx.safe, ctx.w_t = rows, safe, w_t
        ctx.shape, ctx.reduction, ctx.denominator = log_probs.shape, reduction, denominator
        return _reduce(losses.reshape(_positions(log_probs.shape)).astype(log_probs.dtype, copy=False),
                       reduction, denominator, log_probs.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, None]:
        xp = backend.xp
        g = _upstream(grad, ctx.reduction, ctx.denominator).reshape(-1)  # (M,) or (1,)
        n_classes = ctx.shape[1] if len(ctx.shape) > 1 else ctx.shape[0]
        d = xp.zeros((ctx.rows.shape[0], n_classes), dtype=grad.dtype)  # (M, C)
        d[ctx.rows, ctx.safe] = -ctx.w_t * g
        return _classes_back(d, ctx.shape), None


def nll_loss(input: Any, target: Any, weight: Any = None, ignore_index: int = -100,  # noqa: A002
             reduction: str = "mean") -> Tensor:
    """Negative log-likelihood loss from log-probabilities (torch's F.nll_loss); same layouts as cross_entropy."""
    log_probs, target = as_tensor(input), as_tensor(target)
    _check_reduction(reduction, "nll_loss")
    if log_probs.ndim == 0 or target.dtype.kind not in "iu":
        raise ValueError(f"nll_loss: need log-probabilities (C,) or (N, C, ...) and integer targets, got shapes "
                         f"{log_probs.shape} and {target.shape} ({target.dtype})")
    n_classes = log_probs.shape[1] if log_probs.ndim > 1 else log_probs.shape[0]
    if target.shape != _positions(log_probs.shape):
        raise ValueError(f"nll_loss: target of shape {target.shape} does not fit input of shape {log_probs.shape}")
    t = target.data
    bad = ((t < 0) | (t >= n_classes)) & (t != ignore_index)
    if bad.any():
        raise ValueError(f"nll_loss: target {int(t[bad].flat[0])} is out of range for {n_classes} classes")
    w = _class_weight(weight, n_classes, log_probs.dtype, "nll_loss")
    return NLLLoss.apply(log_probs, target, weight=w, ignore_index=ignore_index, reduction=reduction)


# ----- regression and binary losses ---------------------------------------------
class MSELoss(Function):
    """Squared error, loss = (x - y)^2 per element;  d/dx = 2 (x - y),  d/dy = -2 (x - y)."""

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, reduction: str) -> Any:
        diff = x - y
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        return _reduce(diff * diff, reduction, diff.size, diff.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        (diff,) = ctx.saved
        d = 2 * diff * _upstream(grad, ctx.reduction, diff.size)
        return d if ctx.needs_input_grad[0] else None, -d if ctx.needs_input_grad[1] else None


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Tensor:  # noqa: A002
    """Mean squared error (torch's F.mse_loss); the shapes must broadcast."""
    x, y = as_tensor(input), as_tensor(target)
    _check_reduction(reduction, "mse_loss")
    try:
        np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        raise ValueError(f"mse_loss: input shape {x.shape} and target shape {y.shape} do not broadcast") from None
    return MSELoss.apply(x, _like(y, x), reduction=reduction)


def _like(target: Tensor, x: Tensor) -> Tensor:
    """A constant target in the input's dtype (a target that needs a gradient is left alone)."""
    if target.dtype == x.dtype or target.requires_grad:
        return target
    return Tensor._make(target.data.astype(x.dtype), False)


def _elementwise_weight(weight: Any, x: Tensor, name: str, op_name: str) -> Any:
    if weight is None:
        return None
    w = weight.data if isinstance(weight, Tensor) else backend.xp.asarray(weight)
    if np.broadcast_shapes(w.shape, x.shape) != x.shape:
        raise ValueError(f"{op_name}: {name} of shape {w.shape} does not broadcast to the input's shape {x.shape}")
    return w.astype(x.dtype, copy=False)


class BinaryCrossEntropy(Function):
    """Binary cross-entropy from probabilities p with targets y (and weights w):

        loss = -w (y log p + (1 - y) log(1 - p)),  each log clamped at -100 as torch,
        d/dp = w (p - y) / max(p (1 - p), 1e-12),    d/dy = w (log(1 - p) - log p).
    """

    @staticmethod
    def forward(ctx: Context, p: Any, y: Any, *, weight: Any, reduction: str) -> Any:
        xp = backend.xp
        with np.errstate(divide="ignore"):  # log(0) = -inf, then clamped
            log_p = xp.maximum(xp.log(p), -100)
            log_1mp = xp.maximum(xp.log1p(-p), -100)
        losses = -(y * log_p + (1 - y) * log_1mp)
        if weight is not None:
            losses = losses * weight
        ctx.save_for_backward(p, y, log_p, log_1mp)
        ctx.weight, ctx.reduction = weight, reduction
        return _reduce(losses, reduction, losses.size, p.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        xp = backend.xp
        p, y, log_p, log_1mp = ctx.saved
        g = _upstream(grad, ctx.reduction, p.size)
        if ctx.weight is not None:
            g = g * ctx.weight
        dp = g * (p - y) / xp.maximum(p * (1 - p), 1e-12) if ctx.needs_input_grad[0] else None
        dy = g * (log_1mp - log_p) if ctx.needs_input_grad[1] else None
        return dp, dy


def binary_cross_entropy(input: Any, target: Any, weight: Any = None, reduction: str = "mean") -> Tensor:  # noqa: A002
    """Binary cross-entropy from probabilities in [0, 1] (torch's F.binary_cross_entropy).

    Prefer ``binary_cross_entropy_with_logits`` on raw scores: it is stable where this one saturates.
    """
    p, y = as_tensor(input), as_tensor(target)
    _check_reduction(reduction, "binary_cross_entropy")
    if p.shape != y.shape:
        raise ValueError(f"binary_cross_entropy: target shape {y.shape} must equal input shape {p.shape}")
    if p.size and (float(p.data.min()) < 0 or float(p.data.max()) > 1):
        raise ValueError("binary_cross_entropy: input must hold probabilities in [0, 1]; for raw scores use "
                         "binary_cross_entropy_with_logits")
    w = _elementwise_weight(weight, p, "weight", "binary_cross_entropy")
    return BinaryCrossEntropy.apply(p, _like(y, p), weight=w, reduction=reduction)


class BinaryCrossEntropyWithLogits(Function):
    """Binary cross-entropy on logits x, stable for any |x|. With softplus(-x) =
    log(1 + e^-x) = log(1 + e^-|x|) + max(-x, 0), pos_weight r and l = 1 + (r - 1) y:

        loss = w ((1 - y) x + l softplus(-x))       (= max(x, 0) - x y + log(1 + e^-|x|) when r = 1)
        d/dx = w ((1 - y) - l sigmoid(-x))           (= sigmoid(x) - y when r = 1)
        d/dy = w (-x + (r - 1) softplus(-x))
    """

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any, *, weight: Any, pos_weight: Any, reduction: str) -> Any:
        xp = backend.xp
        softplus_neg = xp.log1p(xp.exp(-xp.abs(x))) + xp.maximum(-x, 0)
        log_weight = 1 + (pos_weight - 1) * y if pos_weight is not None else None
        losses = (1 - y) * x + (softplus_neg if log_weight is None else log_weight * softplus_neg)
        if weight is not None:
            losses = losses * weight
        ctx.save_for_backward(x, y, softplus_neg)
        ctx.weight, ctx.pos_weight, ctx.log_weight, ctx.reduction = weight, pos_weight, log_weight, reduction
        return _reduce(losses, reduction, losses.size, x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        x, y, softplus_neg = ctx.saved
        g = _upstream(grad, ctx.reduction, x.size)
        if ctx.weight is not None:
            g = g * ctx.weight
        dx = dy = None
        if ctx.needs_input_grad[0]:
            if ctx.log_weight is None:
                dx = g * (stable_sigmoid(x) - y)
            else:
                dx = g * ((1 - y) - ctx.log_weight * stable_sigmoid(-x))
        if ctx.needs_input_grad[1]:
            dy = g * (-x if ctx.pos_weight is None else (ctx.pos_weight - 1) * softplus_neg - x)
        return dx, dy


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,  # noqa: A002
                                     reduction: str = "mean", pos_weight: Any = None) -> Tensor:
    """Sigmoid + binary cross-entropy in one stable op (torch's F.binary_cross_entropy_with_logits).

    Args:
        input: logits, any shape.
        target: targets in [0, 1], the input's shape.
        weight: optional per-element weights, broadcast to the input's shape.
        reduction: "mean", "sum" or "none".
        pos_weight: optional weight of the positive term, broadcast along the last axis (one per class).
    """
    x, y = as_tensor(input), as_tensor(target)
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    if x.shape != y.shape:
        raise ValueError(f"binary_cross_entropy_with_logits: target shape {y.shape} must equal input shape {x.shape}")
    w = _elementwise_weight(weight, x, "weight", "binary_cross_entropy_with_logits")
    pw = _elementwise_weight(pos_weight, x, "pos_weight", "binary_cross_entropy_with_logits")
    return BinaryCrossEntropyWithLogits.apply(x, _like(y, x), weight=w, pos_weight=pw, reduction=reduction)
