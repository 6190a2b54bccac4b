"""Connectionist temporal classification (CTC) loss, with its forward-backward recursion written out.

An input of T frames of log-probabilities lp[t, k] over C classes (one of them the ``blank``)
explains a label sequence l_1..l_S by every frame-wise path that reads l after merging repeats
and dropping blanks. The loss is -log p(l | x), p the sum of all those paths' probabilities.

The recursion runs over the extended label l' = (blank, l_1, blank, l_2, ..., l_S, blank) of
length 2S + 1. In log space, with lse the log-sum-exp:

    alpha_0(0) = lp[0, blank],  alpha_0(1) = lp[0, l_1],  alpha_0(s) = -inf otherwise
    alpha_t(s) = lp[t, l'_s] + lse(alpha_{t-1}(s), alpha_{t-1}(s-1), alpha_{t-1}(s-2) if skip(s))
    log p      = lse(alpha_{T-1}(2S), alpha_{T-1}(2S-1))

where skip(s) holds when l'_s is a label different from l'_{s-2} (a path may jump over a blank
only between two different labels). beta is the same recursion run backwards from the last
frame, so alpha_t(s) + beta_t(s) - lp[t, l'_s] is the log of the probability of all paths
that are at s on frame t. Summing over the positions s that hold class k gives the posterior
occupancy gamma_t(k) = sum_{s: l'_s = k} exp(alpha_t(s) + beta_t(s) - lp[t, k] - log p), so

    d(-log p) / d lp[t, k] = -gamma_t(k).

torch returns ``exp(lp[t, k]) - gamma_t(k)`` instead: the gradient with respect to the logits z
when lp = log_softmax(z) (torch issue 52241). The two agree after a log_softmax, because each
frame's gamma sums to 1; on log-probabilities that are not normalised they differ by exp(lp).
glassgrad returns torch's value, so programs and torch's op database see the same gradients;
finite-difference checks go through a log_softmax, as torch's own do. Frames past an input's
length get no gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad import backend
from glassgrad.op import Context, Op
from glassgrad.tensor import Tensor, as_tensor

# This family's functions in glassgrad.ops, torch and torch.nn.functional (glassgrad/ops/families.py):
__all__ = ["ctc_loss"]
TORCH_NAMES = []
FUNCTIONAL_NAMES = ["ctc_loss"]


def _lse(*terms: Any) -> Any:
    """log(sum(exp(terms))) element-wise, -inf where every term is -inf (no warning)."""
    out = terms[0]
    for term in terms[1:]:
        out = np.logaddexp(out, term)
    return out


def _shift(a: Any, by: int, fill: float) -> Any:
    """a moved ``by`` positions along the last axis (positive: to the right), ``fill`` coming in."""
    out = np.full_like(a, fill)
    if by > 0:
        out[..., by:] = a[..., :-by]
    else:
        out[..., :by] = a[..., -by:]
    return out


def extended_labels(targets: Any, target_lengths: Any, blank: int) -> tuple[Any, Any]:
    """(l' (N, 2S+1) with blanks between and around the labels (blank-padded), skip (N, 2S+1) bool)."""
    n, s = targets.shape
    ext = np.full((n, 2 * s + 1), blank, dtype=np.int64)
    ext[:, 1::2] = targets
    ext[:, 1::2][np.arange(s)[None, :] >= target_lengths[:, None]] = blank
    skip = np.zeros(ext.shape, dtype=bool)
    skip[:, 3::2] = (ext[:, 3::2] != ext[:, 1:-2:2]) & (ext[:, 3::2] != blank)
    return ext, skip


def ctc_alpha_beta(lp: Any, ext: Any, skip: Any, input_lengths: Any, target_lengths: Any) -> tuple[Any, Any, Any]:
    """The forward and backward variables (T, N, 2S+1) and log p (N,), each batch entry with its own lengths."""
    t_max, n, _ = lp.shape
    width = ext.shape[1]
    rows = np.arange(n)[:, None]
    emit = lp[:, rows, ext]  # (T, N, 2S+1): lp[t, n, l'_s]
    neg_inf = -np.inf
    ends = 2 * target_lengths  # index of the last blank of l'
    position = np.arange(width)[None, :]
    alpha = np.full((t_max, n, width), neg_inf, dtype=lp.dtype)
    alpha[0] = np.where(position <= np.minimum(1, ends[:, None]), emit[0], neg_inf)
    for t in range(1, t_max):
        prev = alpha[t - 1]
        jump = np.where(skip, _shift(prev, 2, neg_inf), neg_inf)
        alpha[t] = emit[t] + _lse(prev, _shift(prev, 1, neg_inf), jump)
    beta = np.full((t_max, n, width), neg_inf, dtype=lp.dtype)
    last = input_lengths - 1
    finals = (position == ends[:, None]) | ((position == ends[:, None] - 1) & (ends[:, None] > 0))
    skip_back = _shift(skip, -2, False)  # s -> s + 2 allowed when skip(s + 2)
    for t in range(t_max - 1, -1, -1):
        start = np.where(finals, emit[t], neg_inf)
        if t + 1 < t_max:
            after = beta[t + 1]
            jump = np.where(skip_back, _shift(after, -2, neg_inf), neg_inf)
            carried = emit[t] + _lse(after, _shift(after, -1, neg_inf), jump)
        else:
            carried = np.full_like(start, neg_inf)
        beta[t] = np.where((t == last)[:, None], start, np.where((t < last)[:, None], carried, neg_inf))
    at_end = alpha[last, np.arange(n)]  # (N, 2S+1): alpha on each entry's last frame
    take = np.take_along_axis
    end_blank = take(at_end, ends[:, None], axis=1)[:, 0]
    end_label = np.where(ends > 0, take(at_end, np.maximum(ends - 1, 0)[:, None], axis=1)[:, 0], neg_inf)
    return alpha, beta, _lse(end_blank, end_label)


class CTCLoss(Op):
    """Per-entry CTC loss -log p(l | x) and torch's gradient exp(lp) - gamma (see the module docstring)."""

    # torch has no double backward for this loss: glassgrad raises as torch does
    not_differentiable_reason = "derivative for ctc_loss_backward is not implemented (as in torch)"

    @staticmethod
    def forward(ctx: Context, lp: Any, *, targets: Any, input_lengths: Any, target_lengths: Any, blank: int,
                zero_infinity: bool) -> Any:
        lp64 = backend.to_numpy(lp).astype(np.float64)  # the recursion runs on the host, in float64
        ext, skip = extended_labels(targets, target_lengths, blank)
        alpha, beta, log_p = ctc_alpha_beta(lp64, ext, skip, input_lengths, target_lengths)
        loss = -log_p
        infinite = np.isinf(loss)
        if zero_infinity:
            loss = np.where(infinite, 0.0, loss)
        ctx.saved_arrays = (lp64, ext, alpha, beta, log_p, infinite)
        ctx.input_lengths, ctx.zero_infinity, ctx.dtype = input_lengths, zero_infinity, lp.dtype
        return backend.xp.asarray(loss, dtype=lp.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        lp, ext, alpha, beta, log_p, infinite = ctx.saved_arrays
        t_max, n, c = lp.shape
        rows = np.arange(n)[:, None]
        with np.errstate(invalid="ignore", over="ignore"):
            occupancy = np.exp(alpha + beta - lp[:, rows, ext] - log_p[None, :, None])  # (T, N, 2S+1)
        occupancy = np.nan_to_num(occupancy, nan=0.0)
        gamma = np.zeros((t_max, n, c))
        for s in range(ext.shape[1]):  # add each position's occupancy into its class (one class per entry)
            gamma[:, np.arange(n), ext[:, s]] += occupancy[:, :, s]
        dlp = np.exp(lp) - gamma
        dlp[np.arange(t_max)[:, None] >= ctx.input_lengths[None, :]] = 0.0
        if ctx.zero_infinity:
            dlp[:, infinite] = 0.0
        return backend.xp.asarray(dlp * backend.to_numpy(grad)[None, :, None], dtype=ctx.dtype)


def _lengths(value: Any, n: int, name: str) -> Any:
    lengths = np.asarray(as_tensor(value).array if isinstance(value, Tensor) else value, dtype=np.int64).reshape(-1)
    if lengths.shape != (n,):
        raise RuntimeError(f"ctc_loss: {name} must have one entry per batch entry ({n}), got {lengths.shape[0]}")
    return lengths


def _padded_targets(targets: Tensor, target_lengths: Any, n: int) -> Any:
    """(N, S_max) labels from either the padded 2-D form or the concatenated 1-D form."""
    labels = np.asarray(targets.array, dtype=np.int64)
    if labels.ndim == 2 or (labels.ndim == 1 and n == 1 and labels.size >= target_lengths.sum()):
        labels = labels.reshape(n, -1)
        if labels.shape[1] < target_lengths.max(initial=0):
            raise RuntimeError(f"ctc_loss: targets of shape {labels.shape} are shorter than a target length")
        return labels
    offsets = np.concatenate([[0], np.cumsum(target_lengths)])
    if labels.size < offsets[-1]:
        raise RuntimeError(f"ctc_loss: {labels.size} concatenated targets for target lengths summing to {offsets[-1]}")
    padded = np.zeros((n, max(int(target_lengths.max(initial=0)), 1)), dtype=np.int64)
    for i in range(n):
        padded[i, :target_lengths[i]] = labels[offsets[i]:offsets[i + 1]]
    return padded


def ctc_loss(log_probs: Any, targets: Any, input_lengths: Any, target_lengths: Any, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """CTC loss (torch's F.ctc_loss): log_probs (T, N, C) or (T, C), normally a log_softmax output;
    targets (N, S) padded or 1-D concatenated; lengths as tensors or sequences.

    ``reduction="mean"`` divides each entry's loss by its target length (at least 1), then averages
    over the batch; ``zero_infinity`` turns impossible alignments' infinite losses (and gradients) to 0.
    """
    lp = as_tensor(log_probs)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    unbatched = lp.ndim == 2
    if unbatched:
        lp = lp.unsqueeze(1)
    if lp.ndim != 3 or lp.dtype.kind != "f":
        raise RuntimeError(f"ctc_loss: log_probs must be a floating (T, N, C) or (T, C) tensor, got {lp.dtype} "
                           f"of shape {tuple(as_tensor(log_probs).shape)}")
    t_max, n, c = lp.shape
    ilen, tlen = _lengths(input_lengths, n, "input_lengths"), _lengths(target_lengths, n, "target_lengths")
    if np.any(ilen < 1) or np.any(ilen > t_max) or np.any(tlen < 0):
        raise RuntimeError(f"ctc_loss: input lengths {ilen.tolist()} must lie in [1, {t_max}] and target lengths "
                           f"{tlen.tolist()} be non-negative")
    labels = _padded_targets(as_tensor(targets), tlen, n)
    used = labels[np.arange(labels.shape[1])[None, :] < tlen[:, None]]
    if not 0 <= blank < c or np.any(used < 0) or np.any(used >= c) or np.any(used == blank):
        raise RuntimeError(f"ctc_loss: blank {blank} and every target label must be class indices in [0, {c}), "
                           "and no target label may be the blank")
    losses = CTCLoss.apply(lp, targets=labels, input_lengths=ilen, target_lengths=tlen, blank=int(blank),
                           zero_infinity=bool(zero_infinity))
    if reduction == "mean":
        per_label = np.maximum(tlen, 1).astype(lp.dtype)
        return (losses / Tensor._make(backend.xp.asarray(per_label), False)).mean()
    if reduction == "sum":
        return losses.sum()
    return losses.reshape(()) if unbatched else losses
