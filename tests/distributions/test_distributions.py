"""glassgrad.distributions against torch.distributions: log_prob, entropy and moments
(values and parameter gradients), sampling statistics and shapes, argument checks,
and the REINFORCE program shape from pytorch/examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor
from glassgrad.distributions import Bernoulli, Categorical, Distribution, Normal
from tests.helpers.oracle import compare_with_torch

PROBS = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]])
ACTIONS = np.array([[1, 0], [2, 2], [0, 1]])  # (3, 2): sample_shape (3,) + batch_shape (2,)


# ----- Categorical -------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_categorical_from_probs_matches_torch(dtype: type, torch) -> None:
    weights = PROBS * 3.0  # unnormalised: both divide each row by its sum

    def terms(dist: object, value: object) -> tuple:
        return dist.log_prob(value), dist.entropy(), dist.probs, dist.logits

    compare_with_torch(lambda p: terms(Categorical(probs=p), Tensor(ACTIONS)),
                       lambda p: terms(torch.distributions.Categorical(probs=p), torch.tensor(ACTIONS)),
                       [weights], torch, dtype=dtype)


def test_categorical_from_logits_matches_torch(torch) -> None:
    logits = np.array([[0.5, -1.0, 2.0], [10.0, -10.0, 0.0]])

    def terms(dist: object, value: object) -> tuple:
        return dist.log_prob(value), dist.entropy(), dist.probs, dist.logits

    compare_with_torch(lambda z: terms(Categorical(logits=z), Tensor(ACTIONS)),
                       lambda z: terms(torch.distributions.Categorical(logits=z), torch.tensor(ACTIONS)),
                       [logits], torch)


def test_categorical_with_a_zero_probability(torch) -> None:
    probs = np.array([0.0, 0.25, 0.75])
    compare_with_torch(lambda p: (Categorical(probs=p).entropy(), Categorical(probs=p).log_prob(gg.tensor(2))),
                       lambda p: (torch.distributions.Categorical(probs=p).entropy(),
                                  torch.distributions.Categorical(probs=p).log_prob(torch.tensor(2))),
                       [probs], torch)


def test_categorical_samples_follow_the_probabilities() -> None:
    gg.manual_seed(0)
    dist = Categorical(probs=Tensor(PROBS))
    draws = dist.sample((20000,))
    assert draws.shape == (20000, 2) and draws.dtype == gg.int64 and not draws.requires_grad
    for row in range(2):
        frequencies = np.bincount(draws.numpy()[:, row], minlength=3) / 20000
        np.testing.assert_allclose(frequencies, PROBS[row], atol=0.015)
    assert dist.sample().shape == (2,) and dist.batch_shape == (2,) and dist.event_shape == ()
    assert Categorical(probs=Tensor([0.0, 1.0, 0.0])).sample((50,)).tolist() == [1] * 50
    assert dist.mode.tolist() == [1, 0] and dist.enumerate_support().shape == (3, 2)
    assert all(math.isnan(v) for v in dist.mean.tolist())


def test_sampling_is_seeded_by_manual_seed() -> None:
    gg.manual_seed(7)
    first = Categorical(logits=gg.zeros(5)).sample((10,)).tolist(), Normal(0.0, 1.0).sample((3,)).tolist()
    gg.manual_seed(7)
    second = Categorical(logits=gg.zeros(5)).sample((10,)).tolist(), Normal(0.0, 1.0).sample((3,)).tolist()
    assert first == second


# ----- Bernoulli ----------------------------------------------------------------------------------
def test_bernoulli_matches_torch(torch) -> None:
    probs = np.array([0.2, 0.5, 0.9, 0.5])  # 0.5: logits exactly 0
    value = np.array([1.0, 0.0, 1.0, 1.0])

    def terms(dist: object, v: object) -> tuple:
        return dist.log_prob(v), dist.entropy(), dist.mean, dist.variance, dist.logits

    compare_with_torch(lambda p: terms(Bernoulli(probs=p), Tensor(value)),
                       lambda p: terms(torch.distributions.Bernoulli(probs=p), torch.tensor(value)), [probs], torch)
    compare_with_torch(lambda z: terms(Bernoulli(logits=z), Tensor(value)),
                       lambda z: terms(torch.distributions.Bernoulli(logits=z), torch.tensor(value)),
                       [np.array([-2.0, 0.0, 3.0, 30.0])], torch)
    mode = Bernoulli(probs=Tensor(probs)).mode.numpy()
    np.testing.assert_array_equal(mode, torch.distributions.Bernoulli(probs=torch.tensor(probs)).mode.numpy())


def test_bernoulli_samples() -> None:
    gg.manual_seed(1)
    dist = Bernoulli(probs=Tensor([0.1, 0.7]))
    draws = dist.sample((20000,))
    assert draws.shape == (20000, 2) and draws.dtype == gg.float32
    assert set(np.unique(draws.numpy())) <= {0.0, 1.0}
    np.testing.assert_allclose(draws.numpy().mean(0), [0.1, 0.7], atol=0.015)
    assert Bernoulli(0.3).batch_shape == ()


# ----- Normal ---------------------------------------------------------------------------------------
def test_normal_log_prob_and_entropy_match_torch(torch) -> None:
    loc, scale = np.array([0.0, 1.5, -2.0]), np.array([1.0, 0.5, 3.0])
    value = np.array([[0.3], [-1.0]])  # broadcasts against batch_shape (3,)

    def terms(dist: object, v: object) -> tuple:
        return dist.log_prob(v), dist.entropy(), dist.mean, dist.stddev, dist.variance

    compare_with_torch(lambda m, s, v: terms(Normal(m, s), v),
                       lambda m, s, v: terms(torch.distributions.Normal(m, s), v), [loc, scale, value], torch)


def test_normal_cdf_and_icdf_match_torch(torch) -> None:
    loc, scale = np.array([0.0, 1.5, -2.0]), np.array([1.0, 0.5, 3.0])
    compare_with_torch(lambda m, s, v: Normal(m, s).cdf(v), lambda m, s, v: torch.distributions.Normal(m, s).cdf(v),
                       [loc, scale, np.array([0.3, 1.0, -4.0])], torch)
    compare_with_torch(lambda m, s, q: Normal(m, s).icdf(q), lambda m, s, q: torch.distributions.Normal(m, s).icdf(q),
                       [loc, scale, np.array([0.1, 0.5, 0.97])], torch)


def test_normal_rsample_is_reparameterised(torch) -> None:
    gg.manual_seed(3)
    loc = Tensor([0.5, -1.0], requires_grad=True)
    scale = Tensor([2.0, 0.3], requires_grad=True)
    draws = Normal(loc, scale).rsample((4,))
    assert draws.shape == (4, 2) and Normal(loc, scale).has_rsample
    weights = np.random.default_rng(0).standard_normal((4, 2))
    (draws * Tensor(weights)).sum().backward()
    # the same noise in torch: eps = (x - loc) / scale
    eps = torch.tensor((draws.numpy() - loc.numpy()) / scale.numpy())
    t_loc = torch.tensor(loc.numpy(), requires_grad=True)
    t_scale = torch.tensor(scale.numpy(), requires_grad=True)
    ((t_loc + eps * t_scale) * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(loc.grad.numpy(), t_loc.grad.numpy(), rtol=1e-5)
    np.testing.assert_allclose(scale.grad.numpy(), t_scale.grad.numpy(), rtol=1e-5)
    assert not Normal(loc, scale).sample((2,)).requires_grad


def test_normal_sample_statistics() -> None:
    gg.manual_seed(5)
    draws = Normal(Tensor([1.0, -3.0]), Tensor([0.5, 2.0])).sample((20000,)).numpy()
    np.testing.assert_allclose(draws.mean(0), [1.0, -3.0], atol=0.05)
    np.testing.assert_allclose(draws.std(0), [0.5, 2.0], rtol=0.03)
    assert Normal(0.0, 1.0).sample().shape == () and Normal(gg.zeros(3), 1.0).batch_shape == (3,)


# ----- argument checks --------------------------------------------------------------------------------
@pytest.mark.parametrize("make, pattern", [
    (lambda: Normal(0.0, -1.0), "parameter scale.*Normal.*GreaterThan"),
    (lambda: Normal(float("nan"), 1.0), "parameter loc"),
    (lambda: Categorical(), "either `probs` or `logits`"),
    (lambda: Categorical(probs=Tensor([0.5]), logits=Tensor([0.0])), "not both"),
    (lambda: Categorical(probs=Tensor(0.5)), "at least one-dimensional"),
    (lambda: Categorical(probs=Tensor([0.5, -0.1, 0.6])), "parameter probs.*Simplex"),
    (lambda: Bernoulli(probs=Tensor([1.5])), "parameter probs.*Interval"),
    (lambda: Bernoulli(), "either `probs` or `logits`"),
    (lambda: Categorical(probs=Tensor([0.5, 0.5])).log_prob(gg.tensor(2)), "value argument.*support"),
    (lambda: Categorical(logits=gg.zeros(3)).log_prob(gg.tensor(-1)), "value argument.*support"),
    (lambda: Bernoulli(probs=Tensor([0.5])).log_prob(Tensor([0.5])), "value argument.*support"),
])
def test_invalid_arguments_are_value_errors(make, pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        make()


def test_validation_can_be_turned_off() -> None:
    assert Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0
    Distribution.set_default_validate_args(False)
    try:
        Normal(0.0, -1.0)
    finally:
        Distribution.set_default_validate_args(True)
    with pytest.raises(NotImplementedError, match="Categorical has no rsample"):
        Categorical(logits=gg.zeros(2)).rsample()


# ----- the program shape of pytorch/examples reinforcement_learning/reinforce.py ------------------------
def test_reinforce_program_shape_matches_torch(torch) -> None:
    state = np.array([[0.1, -0.4, 0.3, 0.2]])
    weight = np.random.default_rng(0).standard_normal((4, 2)) * 0.5
    returns = [1.0, -0.5, 2.0]

    def episode(lib: object, w: object, actions: list[int] | None) -> object:
        log_probs = []
        for step, reward in enumerate(returns):
            probs = lib.softmax(lib.tensor(state) @ w, 1)  # the policy: (1, 2)
            m = lib.distributions.Categorical(probs)
            action = m.sample()
            if actions is not None:  # replay glassgrad's actions in torch
                action = lib.tensor([actions[step]])
            else:
                taken.append(action.item())
            log_probs.append(-m.log_prob(action) * reward)
        return lib.stack(log_probs).sum()

    taken: list[int] = []
    compare_with_torch(lambda w: episode(gg, w, None), lambda w: episode(torch, w, taken), [weight], torch)
    assert len(taken) == 3 and all(a in (0, 1) for a in taken)
