"""Reusable pieces for reinforcement learning: discounted returns and a replay buffer."""

from glassgrad.rl.replay import ReplayBuffer as ReplayBuffer
from glassgrad.rl.returns import discounted_returns as discounted_returns
from glassgrad.rl.returns import normalize as normalize

__all__ = ["ReplayBuffer", "discounted_returns", "normalize"]
