"""KL divergence between two distributions, as ``torch.distributions.kl_divergence``.

    KL(p || q) = E_p[log p(x) - log q(x)]

in closed form for each pair of families registered here (``register_kl`` adds more). Each formula is
written with glassgrad ops, so gradients flow to the parameters of both p and q.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from glassgrad import backend
from glassgrad.distributions.bernoulli import Bernoulli
from glassgrad.distributions.categorical import Categorical
from glassgrad.distributions.distribution import Distribution
from glassgrad.distributions.normal import Normal
from glassgrad.ops import softplus, where
from glassgrad.tensor import Tensor

KLFunction = Callable[[Any, Any], Tensor]
_KL_REGISTRY: dict[tuple[type, type], KLFunction] = {}


def register_kl(type_p: type, type_q: type) -> Callable[[KLFunction], KLFunction]:
    """Decorator: ``@register_kl(P, Q) def kl_p_q(p, q): ...`` makes ``kl_divergence`` use it for (P, Q)."""
    if not (isinstance(type_p, type) and issubclass(type_p, Distribution)
            and isinstance(type_q, type) and issubclass(type_q, Distribution)):
        raise TypeError(f"register_kl: expected two Distribution subclasses, got {type_p!r} and {type_q!r}")

    def decorate(fn: KLFunction) -> KLFunction:
        _KL_REGISTRY[type_p, type_q] = fn
        return fn
    return decorate


def kl_divergence(p: Distribution, q: Distribution) -> Tensor:
    """KL(p || q), one value per batch element (shape: the broadcast batch_shape)."""
    for type_p in type(p).__mro__:
        for type_q in type(q).__mro__:
            fn = _KL_REGISTRY.get((type_p, type_q))
            if fn is not None:
                return fn(p, q)
    raise NotImplementedError(f"kl_divergence: no formula for {type(p).__name__} || {type(q).__name__}; "
                              "add one with @register_kl")


def _fill(t: Tensor, mask: Any, value: float) -> Tensor:
    """``t`` with ``value`` where ``mask`` (an array) is true; no gradient flows through the filled places."""
    return where(Tensor._make(backend.xp.broadcast_to(mask, t.shape), False), value, t)


@register_kl(Normal, Normal)
def _kl_normal_normal(p: Normal, q: Normal) -> Tensor:
    """KL = 1/2 (r + ((mu_p - mu_q) / sigma_q)^2 - 1 - log r),  r = (sigma_p / sigma_q)^2."""
    var_ratio = (p.scale / q.scale) ** 2
    mean_term = ((p.loc - q.loc) / q.scale) ** 2
    return 0.5 * (var_ratio + mean_term - 1 - var_ratio.log())


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p: Categorical, q: Categorical) -> Tensor:
    """KL = sum_k p_k (log p_k - log q_k): +inf where q_k = 0 < p_k; terms with p_k = 0 count 0."""
    terms = p.probs * (p.logits - q.logits)  # (..., K)
    terms = _fill(terms, q.probs.array == 0, float("inf"))
    terms = _fill(terms, p.probs.array == 0, 0.0)
    return terms.sum(-1)


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p: Bernoulli, q: Bernoulli) -> Tensor:
    """KL = p log(p / q) + (1 - p) log((1 - p) / (1 - q)), written with softplus of the logits:
    log p = -softplus(-logit p),  log (1 - p) = -softplus(logit p)."""
    ones_term = p.probs * (softplus(-q.logits) - softplus(-p.logits))
    ones_term = _fill(_fill(ones_term, q.probs.array == 0, float("inf")), p.probs.array == 0, 0.0)
    zeros_term = (1 - p.probs) * (softplus(q.logits) - softplus(p.logits))
    zeros_term = _fill(_fill(zeros_term, q.probs.array == 1, float("inf")), p.probs.array == 1, 0.0)
    return ones_term + zeros_term
