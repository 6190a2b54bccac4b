"""glassgrad.rl: discounted returns and the replay buffer."""

import numpy as np
import pytest

from glassgrad.rl import ReplayBuffer, discounted_returns, normalize


def test_discounted_returns_by_hand():
    np.testing.assert_allclose(discounted_returns([1.0, 0.0, 2.0], 0.5), [1.0 + 0.0 + 0.5, 1.0, 2.0])
    np.testing.assert_allclose(discounted_returns([1.0, 1.0, 1.0], 1.0), [3.0, 2.0, 1.0])
    assert discounted_returns([], 0.9).shape == (0,)
    with pytest.raises(ValueError, match="gamma must lie in"):
        discounted_returns([1.0], 1.5)


def test_normalize_has_zero_mean_unit_std():
    z = normalize(np.array([1.0, 2.0, 3.0, 10.0]))
    np.testing.assert_allclose([z.mean(), z.std()], [0.0, 1.0], atol=1e-6)


def test_replay_buffer_overwrites_oldest_and_samples_stored_items():
    buf = ReplayBuffer(3, 2, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="empty"):
        buf.sample(1)
    for i in range(5):
        buf.push([i, i], i % 2, float(i), [i + 1, i + 1], i == 4)
    assert len(buf) == 3
    states, actions, rewards, next_states, dones = buf.sample(50)
    assert set(rewards.tolist()) == {2.0, 3.0, 4.0}  # 0 and 1 were overwritten
    np.testing.assert_array_equal(states[:, 0], rewards)
    np.testing.assert_array_equal(next_states[:, 0], rewards + 1)
    np.testing.assert_array_equal(dones, rewards == 4.0)
    with pytest.raises(ValueError, match="capacity and state_size must be positive"):
        ReplayBuffer(0, 2)
