"""A fixed-size ring buffer of transitions for off-policy learning (DQN)."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassgrad.random import resolve_rng


class ReplayBuffer:
    """Stores (state, action, reward, next_state, done) and samples uniform mini-batches.

    When full, the oldest transition is overwritten. Arrays are preallocated,
    so ``push`` and ``sample`` cost no Python-level allocation per item.

    Args:
        capacity: maximum number of transitions kept.
        state_size: length of a (flat) state vector.
        rng: generator for sampling (default: the module generator).
    """

    def __init__(self, capacity: int, state_size: int, rng: np.random.Generator | None = None) -> None:
        if capacity < 1 or state_size < 1:
            raise ValueError(f"ReplayBuffer: capacity and state_size must be positive, got {capacity}, {state_size}")
        self.capacity = capacity
        self.rng = rng
        self.states = np.zeros((capacity, state_size), dtype=np.float32)
        self.next_states = np.zeros((capacity, state_size), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.dones = np.zeros(capacity, dtype=np.float32)
        self._next = 0
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def push(self, state: Any, action: int, reward: float, next_state: Any, done: bool) -> None:
        """Add one transition; ``done`` means the episode terminated (not merely truncated)."""
        i = self._next
        self.states[i], self.actions[i], self.rewards[i] = state, action, reward
        self.next_states[i], self.dones[i] = next_state, float(done)
        self._next = (i + 1) % self.capacity
        self._size = min(self._size + 1, self.capacity)

    def sample(self, batch_size: int) -> tuple[np.ndarray, ...]:
        """Uniform sample with replacement: (states, actions, rewards, next_states, dones)."""
        if self._size == 0:
            raise ValueError("ReplayBuffer.sample: the buffer is empty")
        idx = resolve_rng(self.rng).integers(0, self._size, batch_size)
        return self.states[idx], self.actions[idx], self.rewards[idx], self.next_states[idx], self.dones[idx]
