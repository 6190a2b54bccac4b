"""Small environments with the gymnasium API (``reset`` / ``step``) for the RL experiments.

``Corridor`` is built in (tests and smoke runs use it: no extra dependency);
``make_env("CartPole-v1")`` wraps gymnasium's CartPole (install the ``rl`` extra).
"""

from glassgrad_experiments.envs.cartpole import GymEnv as GymEnv
from glassgrad_experiments.envs.corridor import Corridor as Corridor
from glassgrad_experiments.envs.corridor import make_env as make_env

__all__ = ["Corridor", "GymEnv", "make_env"]
