"""A thin wrapper over a gymnasium environment with a flat observation and discrete actions."""

from __future__ import annotations

from typing import Any

import numpy as np


class GymEnv:
    """gymnasium.make(name) with ``observation_size`` and ``num_actions`` attributes.

    The first ``reset`` is seeded with ``seed`` (later resets continue that
    stream), so a run is reproducible.
    """

    def __init__(self, name: str = "CartPole-v1", seed: int = 0) -> None:
        try:
            import gymnasium
        except ImportError as err:
            raise ImportError(f"environment {name!r} needs gymnasium: pip install 'glassgrad[rl]'") from err
        self.env = gymnasium.make(name)
        self.observation_size = int(np.prod(self.env.observation_space.shape))
        self.num_actions = int(self.env.action_space.n)
        self._seed: int | None = seed

    def reset(self, seed: int | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        seed = self._seed if seed is None else seed
        self._seed = None
        obs, info = self.env.reset(seed=seed)
        return np.asarray(obs, dtype=np.float32).reshape(-1), info

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(int(action))
        return np.asarray(obs, dtype=np.float32).reshape(-1), float(reward), bool(terminated), bool(truncated), info

    def close(self) -> None:
        self.env.close()
