"""Normal (Gaussian) distribution with mean ``loc`` and standard deviation ``scale``."""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend
from glassgrad.distributions.conversions import as_float_tensor, broadcast_all
from glassgrad.distributions.distribution import Distribution
from glassgrad.random import resolve_rng
from glassgrad.tensor import Tensor

_LOG_SQRT_2PI = math.log(math.sqrt(2 * math.pi))


class Normal(Distribution):
    """N(loc, scale^2), as ``torch.distributions.Normal``; loc and scale broadcast together.

    log p(x) = -(x - loc)^2 / (2 scale^2) - log(scale) - log(sqrt(2 pi));
    entropy H = 1/2 + log(sqrt(2 pi)) + log(scale).

    ``rsample`` is reparameterised: x = loc + eps * scale with eps ~ N(0, 1) drawn
    apart from the parameters, so dx/dloc = 1 and dx/dscale = eps.
    """

    has_rsample = True

    def __init__(self, loc: Any, scale: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale = broadcast_all(as_float_tensor(loc), as_float_tensor(scale))
        super().__init__(batch_shape=self.loc.shape, validate_args=validate_args)
        self._check("loc", self.loc, ~backend.xp.isnan(self.loc.array), "Real()")
        self._check("scale", self.scale, self.scale.array > 0, "GreaterThan(lower_bound=0.0)")

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def stddev(self) -> Tensor:
        return self.scale

    @property
    def variance(self) -> Tensor:
        return self.scale**2

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """loc + eps * scale, eps ~ N(0, 1) of shape ``sample_shape + batch_shape``; differentiable."""
        shape = self._extended_shape(sample_shape)
        eps = backend.xp.asarray(resolve_rng(None).standard_normal(shape), dtype=self.loc.dtype)
        return self.loc + Tensor._make(eps, False) * self.scale

    def log_prob(self, value: Any) -> Tensor:
        """log of the density at ``value`` (broadcast against batch_shape)."""
        value = value if isinstance(value, Tensor) else Tensor(value, dtype=self.loc.dtype)
        self._check_value(value, ~backend.xp.isnan(value.array), "Real()")
        variance = self.scale**2
        return -((value - self.loc) ** 2) / (2 * variance) - self.scale.log() - _LOG_SQRT_2PI

    def cdf(self, value: Any) -> Tensor:
        """P(X <= value) = (1 + erf((value - loc) / (scale sqrt 2))) / 2."""
        from glassgrad.ops import erf

        return 0.5 * (1 + erf((value - self.loc) / (self.scale * math.sqrt(2))))

    def icdf(self, value: Any) -> Tensor:
        """The value x with P(X <= x) = ``value``: loc + scale sqrt 2 erfinv(2 value - 1)."""
        from glassgrad.ops import erfinv

        return self.loc + self.scale * erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self) -> Tensor:
        return 0.5 + _LOG_SQRT_2PI + self.scale.log()

    def _parameters(self) -> dict[str, Tensor]:
        return {"loc": self.loc, "scale": self.scale}
