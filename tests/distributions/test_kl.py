"""kl_divergence for Normal, Categorical and Bernoulli pairs: values and gradients of both sides as torch."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from glassgrad import distributions as D
from tests.helpers.oracle import compare_with_torch


def test_normal_normal_matches_torch(rng, torch):
    arrays = [rng.standard_normal((2, 3)), rng.uniform(0.5, 2, (2, 3)), rng.standard_normal(3), rng.uniform(0.5, 2, 3)]
    compare_with_torch(lambda a, b, c, d: D.kl_divergence(D.Normal(a, b), D.Normal(c, d)),
                       lambda a, b, c, d: torch.distributions.kl_divergence(torch.distributions.Normal(a, b),
                                                                            torch.distributions.Normal(c, d)),
                       arrays, torch)


def test_categorical_categorical_matches_torch(rng, torch):
    arrays = [rng.standard_normal((2, 4)), rng.standard_normal((2, 4))]
    compare_with_torch(
        lambda a, b: D.kl_divergence(D.Categorical(logits=a), D.Categorical(logits=b)),
        lambda a, b: torch.distributions.kl_divergence(torch.distributions.Categorical(logits=a),
                                                       torch.distributions.Categorical(logits=b)),
        arrays, torch)


def test_bernoulli_bernoulli_matches_torch(rng, torch):
    arrays = [rng.uniform(0.1, 0.9, 5), rng.uniform(0.1, 0.9, 5)]
    compare_with_torch(
        lambda a, b: D.kl_divergence(D.Bernoulli(probs=a), D.Bernoulli(probs=b)),
        lambda a, b: torch.distributions.kl_divergence(torch.distributions.Bernoulli(probs=a),
                                                       torch.distributions.Bernoulli(probs=b)),
        arrays, torch)


def test_gradcheck_normal(rng):
    params = [glassgrad.tensor(a, requires_grad=True) for a in
              (rng.standard_normal(3), rng.uniform(0.5, 2, 3), rng.standard_normal(3), rng.uniform(0.5, 2, 3))]
    assert glassgrad.gradcheck(lambda a, b, c, d: D.kl_divergence(D.Normal(a, b), D.Normal(c, d)), params)


def test_zero_probabilities_as_torch():
    p = D.Categorical(probs=glassgrad.tensor([0.5, 0.5, 0.0]))
    q = D.Categorical(probs=glassgrad.tensor([0.1, 0.9, 0.0]))
    assert D.kl_divergence(p, q).item() == pytest.approx(0.5 * np.log(5) + 0.5 * np.log(5 / 9))  # p_k = 0 counts 0
    assert D.kl_divergence(q, D.Categorical(probs=glassgrad.tensor([0.0, 1.0, 0.0]))).item() == np.inf
    certain, fair = D.Bernoulli(probs=glassgrad.tensor([0.0, 1.0])), D.Bernoulli(probs=glassgrad.tensor([0.5, 0.5]))
    both = D.kl_divergence(certain, fair)
    np.testing.assert_allclose(both.numpy(), [np.log(2), np.log(2)], rtol=1e-6)


def test_unknown_pairs_and_register_kl():
    with pytest.raises(NotImplementedError, match=r"Normal \|\| Categorical"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Categorical(probs=glassgrad.tensor([1.0])))

    class Wide(D.Normal):
        pass

    assert D.kl_divergence(Wide(0.0, 1.0), D.Normal(0.0, 1.0)).item() == 0.0  # found through the class hierarchy
    with pytest.raises(TypeError, match="register_kl"):
        D.register_kl(int, D.Normal)
