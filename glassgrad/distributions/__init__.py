"""Probability distributions with torch's interface (``torch.distributions``):
sample / rsample, log_prob, entropy, mean, variance, batch_shape.

>>> from glassgrad.distributions import Categorical
>>> m = Categorical(probs)          # probs: (..., K)
>>> action = m.sample()             # int64 indices, no gradient
>>> loss = -m.log_prob(action) * reward   # the gradient flows to probs
"""

from glassgrad.distributions.bernoulli import Bernoulli as Bernoulli
from glassgrad.distributions.categorical import Categorical as Categorical
from glassgrad.distributions.distribution import Distribution as Distribution
from glassgrad.distributions.normal import Normal as Normal
from glassgrad.distributions import kl as kl
from glassgrad.distributions.kl import kl_divergence as kl_divergence
from glassgrad.distributions.kl import register_kl as register_kl

__all__ = ["Bernoulli", "Categorical", "Distribution", "Normal", "kl", "kl_divergence", "register_kl"]
