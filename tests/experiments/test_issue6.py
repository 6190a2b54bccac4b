"""Tiny versions of the issue-6 experiments: auto-encoder, GANs, REINFORCE, DQN, routed CNN."""

import numpy as np
import pytest

import glassgrad as gg
from experiments import autoencoder, dqn, gan, reinforce
from experiments.envs import Corridor


def test_corridor_follows_the_gymnasium_api():
    env = Corridor(length=3, max_steps=4)
    obs, info = env.reset(seed=0)
    np.testing.assert_array_equal(obs, [1, 0, 0])
    assert info == {}
    obs, reward, terminated, truncated, _ = env.step(0)  # left at the wall: stay
    np.testing.assert_array_equal(obs, [1, 0, 0])
    assert (reward, terminated, truncated) == (-0.01, False, False)
    env.step(1)
    obs, reward, terminated, truncated, _ = env.step(1)
    assert (reward, terminated, truncated) == (1.0, True, False)
    env.reset()
    for _ in range(3):
        *_, truncated, _ = env.step(0)
    assert env.step(0)[3] is True  # cut off after max_steps
    with pytest.raises(ValueError, match="action must be 0"):
        env.step(2)


def test_reinforce_improves_return_on_the_corridor(tmp_path):
    results = reinforce.run(reinforce.smoke(), tmp_path)
    assert results["first_window_mean"] < 0.3  # the random start mostly fails to reach the goal
    assert results["last_window_mean"] > 0.85  # near the best possible 0.92
    assert results["episodes_to_target"] is not None
    assert (tmp_path / "returns.png").read_bytes()[:4] == b"\x89PNG"


def test_dqn_learns_the_corridor(tmp_path):
    results = dqn.run(dqn.smoke(), tmp_path)
    assert results["best_window_mean"] > 0.85
    assert (tmp_path / "returns.png").exists()


def test_toy_gan_discriminator_and_generator_both_learn():
    out = gan.toy_gan(steps=300, seed=0)
    # D: its loss drops below log 4 (= chance, D(x) = 1/2 everywhere) once it separates real from fake
    assert np.mean(out["d_losses"][:50]) < np.log(4) - 0.1
    # G: its samples move from a blob at the origin onto the ring of radius 2
    assert out["ring_distance_before"] > 1.5
    assert out["ring_distance_after"] < 0.5 * out["ring_distance_before"]
    assert all(np.isfinite(out["g_losses"]))


def test_gan_smoke_runs_and_judges(tmp_path):
    results = gan.run(gan.smoke(), tmp_path)
    assert 0.0 <= results["confident_share"] <= 1.0
    assert sum(results["class_counts"]) == gan.smoke().judge_samples
    assert (tmp_path / "samples_by_epoch.png").exists() and (tmp_path / "losses.png").exists()


def test_autoencoder_loss_falls(tmp_path):
    cfg = autoencoder.smoke()
    results = autoencoder.run(cfg, tmp_path)
    assert results["test_bce"] < 0.8 * results["first_batch_bce"]
    assert results["train_bce_per_epoch"][-1] < results["train_bce_per_epoch"][0]
    assert (tmp_path / "reconstructions.png").exists()


def test_autoencoder_two_d_latent_plot(tmp_path):
    import dataclasses

    cfg = dataclasses.replace(autoencoder.smoke(), latent=2, epochs=1, train_limit=64)
    results = autoencoder.run(cfg, tmp_path)
    assert (tmp_path / "latent2d.png").exists() and results["latent"] == 2


def test_bce_helper_is_the_stable_formula():
    z = np.array([-30.0, -1.0, 0.5, 40.0])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    got = autoencoder.bce_with_logits(gg.tensor(z), gg.tensor(y)).item()
    np.testing.assert_allclose(got, np.mean(np.logaddexp(0.0, z) - y * z), rtol=1e-9)


def test_branching_cnn_smoke_writes_the_table(tmp_path):
    from experiments import branching_cnn

    results = branching_cnn.run(branching_cnn.smoke(), tmp_path)
    for name in ("routed_gn", "routed_bn", "flat_gn", "routed_gn_b64"):
        assert 0.0 <= results[name]["test_accuracy"] <= 1.0
    assert results["batch64_speedup_per_epoch"] > 0
    assert "| routed, Conv2dWS + GroupNorm, batch 1 |" in (tmp_path / "table.md").read_text()


def test_group_head_only_predicts_its_own_classes(rng):
    from experiments import branching_cnn

    head = branching_cnn.GroupHead("gn", 2, (5, 7, 9), rng)
    logits = head(gg.tensor(rng.standard_normal((3, 4, 7, 7)).astype(np.float32))).numpy()
    assert set(logits.argmax(1).tolist()) <= {5, 7, 9}
    assert (logits[:, [0, 1, 2, 3, 4, 6, 8]] < -1e3).all()


def test_cartpole_wrapper_when_gymnasium_is_installed():
    pytest.importorskip("gymnasium")
    from experiments.envs import make_env

    env = make_env("CartPole-v1", seed=3)
    assert (env.observation_size, env.num_actions) == (4, 2)
    obs, _ = env.reset()
    obs2, reward, terminated, truncated, _ = env.step(1)
    assert obs.shape == obs2.shape == (4,) and obs.dtype == np.float32 and reward == 1.0
    assert isinstance(terminated, bool) and isinstance(truncated, bool)
    env.close()
