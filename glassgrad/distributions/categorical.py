"""Categorical: one of K categories, drawn with probabilities p_0 .. p_(K-1)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy

from glassgrad import backend, dtypes, ops
from glassgrad.autograd import no_grad
from glassgrad.distributions.conversions import as_float_tensor, logits_to_probs, probs_to_logits
from glassgrad.distributions.distribution import Distribution
from glassgrad.ops.reduce_select import take_along_dim
from glassgrad.random import resolve_rng
from glassgrad.tensor import Size, Tensor


class Categorical(Distribution):
    """A category index in {0, ..., K-1}, as ``torch.distributions.Categorical``.

    Give exactly one of:
        probs: (..., K) non-negative weights; each row is divided by its sum.
        logits: (..., K) unnormalised log-probabilities; each row is shifted by its logsumexp.

    The last dim indexes the categories; the dims before it are the batch_shape.

    log p(k) = logits[k] (the normalised logits = log of the normalised probs);
    entropy H = -sum_k p_k log p_k.
    """

    def __init__(self, probs: Any = None, logits: Any = None, validate_args: bool | None = None) -> None:
        if (probs is None) == (logits is None):
            raise ValueError("Categorical: either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            probs = as_float_tensor(probs)
            if probs.ndim < 1:
                raise ValueError("Categorical: `probs` parameter must be at least one-dimensional.")
            self.__dict__["probs"] = probs / probs.sum(-1, keepdim=True)
            self._param = self.probs
        else:
            logits = as_float_tensor(logits)
            if logits.ndim < 1:
                raise ValueError("Categorical: `logits` parameter must be at least one-dimensional.")
            self.__dict__["logits"] = logits - logits.logsumexp(-1, keepdim=True)
            self._param = self.logits
        self._num_events = self._param.shape[-1]
        super().__init__(batch_shape=self._param.shape[:-1], validate_args=validate_args)
        if probs is not None:
            p = self.probs.array
            sums_to_one = backend.xp.abs(p.sum(-1) - 1) < 1e-6
            self._check("probs", probs, (p >= 0).all(-1) & sums_to_one, "Simplex()")
        else:
            self._check("logits", logits, ~backend.xp.isnan(logits.array), "IndependentConstraint(Real(), 1)")

    # probs and logits: the one not given is computed from the other when first asked for
    @cached_property
    def probs(self) -> Tensor:
        """The probability of each category, (..., K)."""
        return logits_to_probs(self.logits)

    @cached_property
    def logits(self) -> Tensor:
        """The normalised log-probabilities, (..., K) (log p with p clamped away from 0)."""
        return probs_to_logits(self.probs)

    @property
    def param_shape(self) -> Size:
        return self._param.shape

    @property
    def mean(self) -> Tensor:
        """Undefined for categories (NaN), as torch."""
        return Tensor(backend.xp.full(self.batch_shape, backend.xp.nan, dtype=self._param.dtype))

    @property
    def variance(self) -> Tensor:
        """Undefined for categories (NaN), as torch."""
        return self.mean

    @property
    def mode(self) -> Tensor:
        """The most probable category (int64)."""
        return self.probs.argmax(-1)

    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Category indices (int64) of shape ``sample_shape + batch_shape``, by inverting the CDF."""
        shape = self._extended_shape(sample_shape)
        with no_grad():
            probs = backend.to_numpy(self.probs.array).astype("float64").reshape(-1, self._num_events)  # (B, K)
        draws = int(Size(shape).numel() // max(probs.shape[0], 1))
        cdf = probs.cumsum(-1)  # (B, K)
        u = resolve_rng(None).random((draws, probs.shape[0], 1)) * cdf[:, -1:]  # (S, B, 1) uniform in [0, total)
        index = (cdf[None] <= u).sum(-1)  # the first k with cdf_k > u
        index = index.clip(max=self._num_events - 1)
        return Tensor(backend.xp.asarray(index.reshape(shape), dtype=dtypes.int64))

    def log_prob(self, value: Any) -> Tensor:
        """log p(value) for category indices ``value`` (broadcast against batch_shape)."""
        value = value if isinstance(value, Tensor) else Tensor(value)
        index = value.array
        in_support = (index == backend.xp.round(index)) & (index >= 0) & (index < self._num_events)
        self._check_value(value, in_support, f"IntegerInterval(lower_bound=0, upper_bound={self._num_events - 1})")
        shape = tuple(backend.xp.broadcast_shapes(tuple(value.shape), tuple(self.batch_shape)))
        logits = self.logits
        if tuple(logits.shape[:-1]) != shape:
            logits = ops.expand(logits, shape + (self._num_events,))  # (..., K)
        index = backend.xp.broadcast_to(index.astype(dtypes.int64), shape)[..., None]  # (..., 1)
        return take_along_dim(logits, index, logits.ndim - 1, keepdim=False)

    def entropy(self) -> Tensor:
        """H = -sum_k p_k log p_k (a zero-probability category adds 0)."""
        smallest = float(numpy.finfo(self.logits.dtype).min)
        return -(ops.clip(self.logits, smallest, None) * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True) -> Tensor:
        """Every category, shaped (K, 1, ..., 1), or (K,) + batch_shape with ``expand``."""
        values = backend.xp.arange(self._num_events, dtype=dtypes.int64).reshape((-1,) + (1,) * len(self.batch_shape))
        if expand:
            values = backend.xp.broadcast_to(values, (self._num_events,) + tuple(self.batch_shape))
        return Tensor(values)

    def _parameters(self) -> dict[str, Tensor]:
        return {"probs": self.probs} if self._param is self.__dict__.get("probs") else {"logits": self.logits}
