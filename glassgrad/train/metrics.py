"""Metrics computed on a batch's outputs and targets (NumPy arrays, no graph).

A metric is ``fn(outputs, targets) -> float``, the mean over the batch; the
loop weights each batch's value by its size to get the epoch's value.
Names understood by ``get_metric``: ``"accuracy"`` (alias ``"acc"``),
``"top5_accuracy"`` (any ``top<k>_accuracy``), ``"binary_accuracy"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np

from glassgrad import backend

Metric = Callable[[Any, Any], float]


def _arrays(outputs: Any, targets: Any) -> tuple[np.ndarray, np.ndarray]:
    out = backend.to_numpy(getattr(outputs, "data", outputs))
    tgt = backend.to_numpy(getattr(targets, "data", targets))
    return out, tgt


def binary_accuracy(outputs: Any, targets: Any, threshold: float = 0.0) -> float:
    """Fraction with (output > threshold) == target; threshold 0 suits logits, 0.5 probabilities."""
    out, tgt = _arrays(outputs, targets)
    return float(np.mean((out.reshape(-1) > threshold) == (tgt.reshape(-1) > 0.5)))


def accuracy(outputs: Any, targets: Any) -> float:
    """Fraction of samples whose highest-scoring class is the target.

    Args:
        outputs: (N, C) scores (logits or probabilities); (N,) or (N, 1) is
            treated as binary logits (see ``binary_accuracy``).
        targets: (N,) class indices, or (N, C) one-hot / probabilities.
    """
    out, tgt = _arrays(outputs, targets)
    if out.ndim == 1 or out.shape[-1] == 1:
        return binary_accuracy(out, tgt)
    pred = out.argmax(axis=-1)
    if tgt.ndim == out.ndim:
        tgt = tgt.argmax(axis=-1)
    if pred.shape != tgt.shape:
        raise ValueError(f"accuracy: predictions of shape {pred.shape} do not match targets of shape {tgt.shape}")
    return float(np.mean(pred == tgt))


def top_k_accuracy(outputs: Any, targets: Any, k: int = 5) -> float:
    """Fraction of samples whose target is among the ``k`` highest scores. outputs (N, C), targets (N,)."""
    out, tgt = _arrays(outputs, targets)
    if out.ndim != 2:
        raise ValueError(f"top_k_accuracy: outputs must be (N, C), got {out.shape}")
    if tgt.ndim == 2:
        tgt = tgt.argmax(axis=-1)
    k = min(k, out.shape[1])
    top = np.argpartition(out, -k, axis=1)[:, -k:]             # (N, k), unordered
    return float(np.mean((top == tgt[:, None]).any(axis=1)))


def get_metric(metric: str | Metric) -> tuple[str, Metric]:
    """(name, function) for a metric name or callable."""
    if callable(metric):
        return getattr(metric, "__name__", "metric"), metric
    if metric in ("accuracy", "acc"):
        return "accuracy", accuracy
    if metric == "binary_accuracy":
        return metric, binary_accuracy
    match = re.fullmatch(r"top_?(\d+)_accuracy", metric)
    if match:
        k = int(match.group(1))
        return metric, lambda o, t: top_k_accuracy(o, t, k)
    raise ValueError(f"unknown metric {metric!r}; use 'accuracy', 'binary_accuracy', 'top5_accuracy' or a callable")


class RunningMean:
    """Weighted running mean: ``update(value, weight)``, ``value``."""

    def __init__(self) -> None:
        self.total = 0.0
        self.weight = 0

    def update(self, value: float, weight: int = 1) -> None:
        self.total += value * weight
        self.weight += weight

    @property
    def value(self) -> float:
        return self.total / self.weight if self.weight else float("nan")
