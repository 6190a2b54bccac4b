"""Bernoulli: 1 with probability p, else 0."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from glassgrad import backend, ops
from glassgrad.autograd import no_grad
from glassgrad.distributions.conversions import as_float_tensor, broadcast_all, logits_to_probs, probs_to_logits
from glassgrad.distributions.distribution import Distribution
from glassgrad.random import resolve_rng
from glassgrad.tensor import Size, Tensor


class Bernoulli(Distribution):
    """A 0/1 variable, as ``torch.distributions.Bernoulli``.

    Give exactly one of:
        probs: p = P(X = 1), each in [0, 1];
        logits: the log-odds l = log(p / (1 - p)), so p = sigmoid(l).

    log p(x) = x l - log(1 + e^l), written as minus the (stable) binary
    cross-entropy of the logits; entropy H = -p log p - (1 - p) log(1 - p).
    Draws are floats 0.0 / 1.0 of shape ``sample_shape + batch_shape``.
    """

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Bernoulli: either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            (self.__dict__["probs"],) = broadcast_all(as_float_tensor(probs))
            self._param = self.probs
        else:
            (self.__dict__["logits"],) = broadcast_all(as_float_tensor(logits))
            self._param = self.logits
        super().__init__(batch_shape=self._param.shape, validate_args=validate_args)
        p = self._param.array
        if probs is not None:
            self._check("probs", self.probs, (p >= 0) & (p <= 1), "Interval(lower_bound=0.0, upper_bound=1.0)")
        else:
            self._check("logits", self.logits, ~backend.xp.isnan(p), "Real()")

    @cached_property
    def probs(self) -> Tensor:
        """P(X = 1) = sigmoid(logits)."""
        return logits_to_probs(self.logits, is_binary=True)

    @cached_property
    def logits(self) -> Tensor:
        """The log-odds log(p / (1 - p)), with p clamped away from 0 and 1."""
        return probs_to_logits(self.probs, is_binary=True)

    @property
    def param_shape(self) -> Size:
        return self._param.shape

    @property
    def mean(self) -> Tensor:
        return self.probs

    @property
    def mode(self) -> Tensor:
        """1 where p > 1/2, 0 where p < 1/2, NaN where p = 1/2 (no single mode), as torch."""
        p = self.probs.array
        mode = backend.xp.where(p == 0.5, backend.xp.nan, (p >= 0.5).astype(p.dtype))
        return Tensor._make(mode.astype(p.dtype), False)

    @property
    def variance(self) -> Tensor:
        """p (1 - p)."""
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """0.0 / 1.0 draws of shape ``sample_shape + batch_shape`` (1 with probability p)."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            p = backend.xp.broadcast_to(self.probs.array, shape)
        u = backend.xp.asarray(resolve_rng(None).random(shape))
        return Tensor._make((u < p).astype(p.dtype), False)

    def log_prob(self, value: Any) -> Tensor:
        """log p(value) = value log p + (1 - value) log(1 - p), via the logits (stable)."""
        value = value if isinstance(value, Tensor) else Tensor(value, dtype=self._param.dtype)
        v = value.array
        self._check_value(value, (v == 0) | (v == 1), "Boolean()")
        logits, value = broadcast_all(self.logits, value.to(self._param.dtype))
        return -ops.binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self) -> Tensor:
        """H = -p log p - (1 - p) log(1 - p), as the cross-entropy of p with itself."""
        return ops.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """The values 0 and 1, shaped (2, 1, ..., 1), or (2,) + batch_shape with ``expand``."""
        values = backend.xp.arange(2, dtype=self._param.dtype).reshape((-1,) + (1,) * len(self.batch_shape))
        if expand:
            values = backend.xp.broadcast_to(values, (2,) + tuple(self.batch_shape))
        return Tensor(values)

    def _parameters(self) -> dict[str, Tensor]:
        return {"probs": self.probs} if self._param is self.__dict__.get("probs") else {"logits": self.logits}
