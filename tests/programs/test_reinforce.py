"""pytorch/examples reinforcement_learning/reinforce.py on glassgrad: it runs, and its update matches torch."""

from __future__ import annotations

import numpy as np
import pytest

from tests.programs.harness import disable_dropout, load_arrays, load_program, state_arrays


def test_reinforce_runs_episodes_and_updates_the_policy():
    program = load_program("reinforce")
    policy, history = program.main(["--episodes", "3", "--log-interval", "1"])
    assert len(history) == 3
    for episode_reward, loss in history:
        assert episode_reward >= 1 and np.isfinite(loss)
    assert policy.saved_log_probs == [] and policy.rewards == []  # finish_episode cleared them


@pytest.mark.torch_live
def test_finish_episode_matches_torch(torch):
    """One episode with the same states, actions and rewards: the same loss and the same new weights."""
    rng = np.random.default_rng(3)
    states = rng.uniform(-0.1, 0.1, size=(6, 4)).astype(np.float32)
    actions = [0, 1, 1, 0, 1, 0]
    results = {}
    for name in ("glassgrad", "torch"):
        program = load_program("reinforce", name)
        lib = program.torch
        policy = program.Policy()
        if name == "glassgrad":
            start = state_arrays(policy)
        load_arrays(policy, start, lib)
        disable_dropout(policy)
        optimizer = program.optim.Adam(policy.parameters(), lr=1e-2)
        for state, action in zip(states, actions):
            probs = policy(lib.from_numpy(state).float().unsqueeze(0))
            m = program.Categorical(probs)
            assert tuple(m.sample().shape) == (1,)
            policy.saved_log_probs.append(m.log_prob(lib.tensor([action])))
            policy.rewards.append(1.0)
        loss = program.finish_episode(policy, optimizer, gamma=0.99)
        results[name] = loss, state_arrays(policy)
    assert results["glassgrad"][0] == pytest.approx(results["torch"][0], rel=1e-4, abs=1e-6)
    for key, value in results["torch"][1].items():
        np.testing.assert_allclose(results["glassgrad"][1][key], value, rtol=1e-4, atol=1e-6, err_msg=key)
