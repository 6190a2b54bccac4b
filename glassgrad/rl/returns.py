"""Discounted returns for policy-gradient methods."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def discounted_returns(rewards: Sequence[float], gamma: float) -> np.ndarray:
    """G_t = r_t + gamma r_{t+1} + gamma^2 r_{t+2} + ... for every step of one episode.

    Computed backwards in one pass: G_{T-1} = r_{T-1}, G_t = r_t + gamma G_{t+1}.

    Args:
        rewards: the rewards r_0 .. r_{T-1} of one episode.
        gamma: discount factor in [0, 1].

    Returns:
        (T,) float64 array of returns.
    """
    if not 0.0 <= gamma <= 1.0:
        raise ValueError(f"discounted_returns: gamma must lie in [0, 1], got {gamma}")
    returns = np.zeros(len(rewards), dtype=np.float64)
    running = 0.0
    for t in range(len(rewards) - 1, -1, -1):
        running = float(rewards[t]) + gamma * running
        returns[t] = running
    return returns


def normalize(values: np.ndarray, eps: float = 1e-8) -> np.ndarray:
    """(values - mean) / (std + eps): a simple variance-reducing baseline for REINFORCE."""
    values = np.asarray(values, dtype=np.float64)
    if values.size < 2:
        return values - values.mean() if values.size else values
    return (values - values.mean()) / (values.std() + eps)
