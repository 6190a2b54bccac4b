"""The generative, reinforcement-learning and routing experiments at tiny sizes: the corridor environment,
REINFORCE and DQN learn it, the GANs' discriminator and generator both learn, the auto-encoder's
loss falls, and the branching CNN routes each sample to its group's head."""

import numpy as np
import pytest

import glassgrad as gg
from glassgrad_experiments import autoencoder, gan, wgan_gp
from glassgrad_experiments.envs import Corridor


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


def test_reinforce_improves_return_on_the_corridor(smoke_record):
    record = smoke_record("reinforce")
    results, tmp_path = record["results"], record["out"]
    assert results["first_return"] < 0.3  # the random start mostly fails to reach the goal
    assert results["final_return"] > 0.85  # near the best possible 0.92
    assert results["episodes_to_target"] is not None
    assert (tmp_path / "returns.png").read_bytes()[:4] == b"\x89PNG"


def test_dqn_learns_the_corridor(smoke_record):
    record = smoke_record("dqn")
    results, tmp_path = record["results"], record["out"]
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


def test_gan_smoke_runs_and_judges(smoke_record):
    record = smoke_record("gan")
    results, tmp_path = record["results"], record["out"]
    assert 0.0 <= results["confident_share"] <= 1.0
    assert sum(results["class_counts"]) == gan.smoke().judge_samples
    assert results["final_sample_distance"] < results["first_sample_distance"]  # samples move towards the data
    assert (tmp_path / "samples_by_epoch.png").exists() and (tmp_path / "losses.png").exists()


def test_wgan_gp_penalty_pulls_the_conv_critics_gradient_norm_towards_one(tmp_path):
    """The convolutional critic starts with |grad_x D| far below 1; the penalty (a gradient of a gradient,
    through conv2d, leaky_relu and linear) brings it near 1 within a few dozen critic steps."""
    import dataclasses

    cfg = dataclasses.replace(wgan_gp.smoke(), arch="dcgan", width=4, generator_steps=20, lr=1e-3)
    results = wgan_gp.run(cfg, tmp_path)
    assert results["arch"] == "dcgan"
    assert results["first_grad_norm"] < 0.5
    assert 0.6 < results["final_grad_norm"] < 1.4
    assert results["final_penalty"] < results["first_penalty"]
    assert (tmp_path / "samples.png").exists() and (tmp_path / "curves.png").exists()
    # the judge's verdict comes with its reference, the held-out real digits, and the ratio between them
    assert results["sampled_from"] == "weight average"
    assert results["legibility_ratio"] == pytest.approx(
        results["confident_share"] / max(results["real_confident_share"], 1e-12))
    assert results["legible"] == (results["legibility_ratio"] >= wgan_gp.LEGIBLE)
    assert sum(results["class_counts"]) == cfg.judge_samples
    assert (tmp_path / "judged.png").exists() and (tmp_path / "generator.npz").exists()


def test_autoencoder_loss_falls(smoke_record):
    record = smoke_record("autoencoder")
    results, tmp_path = record["results"], record["out"]
    assert results["test_bce"] < 0.8 * results["first_batch_bce"]
    assert results["final_loss"] < 0.8 * results["first_loss"]  # the test BCE, before and after training
    assert results["train_bce_per_epoch"][-1] < results["train_bce_per_epoch"][0]
    assert (tmp_path / "reconstructions.png").exists()


def test_autoencoder_two_d_latent_plot(tmp_path):
    import dataclasses

    cfg = dataclasses.replace(autoencoder.smoke(), latent=2, epochs=1, n_train=64)
    results = autoencoder.run(cfg, tmp_path)
    assert (tmp_path / "latent2d.png").exists() and results["latent"] == 2


def test_branching_cnn_smoke_writes_the_table(smoke_record):
    record = smoke_record("branching-cnn")
    results, tmp_path = record["results"], record["out"]
    for name in ("routed_gn", "routed_bn", "flat_gn", "routed_gn_b64"):
        assert 0.0 <= results[name]["test_accuracy"] <= 1.0
    assert results["batch64_speedup_per_epoch"] > 0
    assert "| routed, Conv2dWS + GroupNorm, batch 1 |" in (tmp_path / "table.md").read_text()


def test_group_head_only_predicts_its_own_classes(rng):
    from glassgrad_experiments import branching_cnn

    head = branching_cnn.GroupHead("gn", 2, (5, 7, 9), rng)
    logits = head(gg.tensor(rng.standard_normal((3, 4, 7, 7)).astype(np.float32))).numpy()
    assert set(logits.argmax(1).tolist()) <= {5, 7, 9}
    assert (logits[:, [0, 1, 2, 3, 4, 6, 8]] < -1e3).all()


def test_cartpole_wrapper_when_gymnasium_is_installed():
    pytest.importorskip("gymnasium")
    from glassgrad_experiments.envs import make_env

    env = make_env("CartPole-v1", seed=3)
    assert (env.observation_size, env.num_actions) == (4, 2)
    obs, _ = env.reset()
    obs2, reward, terminated, truncated, _ = env.step(1)
    assert obs.shape == obs2.shape == (4,) and obs.dtype == np.float32 and reward == 1.0
    assert isinstance(terminated, bool) and isinstance(truncated, bool)
    env.close()
