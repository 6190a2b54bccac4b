"""Corridor: walk right along a line of cells to reach the goal at the end.

States 0..length-1, start in cell 0, goal in the last cell. Actions: 0 = left,
1 = right (stepping left at cell 0 stays put). Reward +1 on reaching the goal
(the episode terminates), -0.01 for every other step; the episode is cut off
(truncated) after ``max_steps``. The observation is the one-hot of the cell,
so a linear policy can already solve it. A uniformly random policy needs
about length^2 steps to cross, so for length 10 and max_steps 25 it mostly
fails, while the best policy scores 1 - 0.01 (length - 2) = 0.92.
"""

from __future__ import annotations

from typing import Any

import numpy as np


class Corridor:
    """The gymnasium API on a tiny deterministic chain.

    Args:
        length: number of cells (>= 2).
        max_steps: steps before the episode is truncated.
    """

    def __init__(self, length: int = 10, max_steps: int = 25) -> None:
        if length < 2 or max_steps < 1:
            raise ValueError(f"Corridor: need length >= 2 and max_steps >= 1, got {length}, {max_steps}")
        self.length, self.max_steps = length, max_steps
        self.observation_size, self.num_actions = length, 2
        self._pos, self._t = 0, 0

    def _obs(self) -> np.ndarray:
        obs = np.zeros(self.length, dtype=np.float32)
        obs[self._pos] = 1.0
        return obs

    def reset(self, seed: int | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        self._pos, self._t = 0, 0
        return self._obs(), {}

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        if action not in (0, 1):
            raise ValueError(f"Corridor.step: action must be 0 (left) or 1 (right), got {action!r}")
        self._t += 1
        self._pos = max(0, self._pos - 1) if action == 0 else self._pos + 1
        terminated = self._pos == self.length - 1
        reward = 1.0 if terminated else -0.01
        truncated = not terminated and self._t >= self.max_steps
        return self._obs(), reward, terminated, truncated, {}

    def close(self) -> None:
        pass


def make_env(name: str, seed: int = 0) -> Any:
    """``"corridor"`` (built in) or any gymnasium id such as ``"CartPole-v1"``."""
    if name == "corridor":
        return Corridor()
    from glassgrad_experiments.envs.cartpole import GymEnv

    return GymEnv(name, seed=seed)
