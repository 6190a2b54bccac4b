"""The base class of every probability distribution, as ``torch.distributions.Distribution``.

A distribution has a ``batch_shape`` (independent distributions side by side,
one per parameter entry) and an ``event_shape`` (the shape of one draw; ``()``
for the scalar distributions here). ``sample(sample_shape)`` returns a tensor of
shape ``sample_shape + batch_shape + event_shape``.

* ``sample`` draws without a gradient; ``rsample`` (only where ``has_rsample``)
  draws as a differentiable function of the parameters (the reparameterisation
  trick), so gradients flow from the draw back to them.
* ``log_prob(value)`` and ``entropy()`` are built from glassgrad ops, so they
  are differentiable in the parameters.

Draws use glassgrad's module generator (``glassgrad.random``), which
``glassgrad.manual_seed(n)`` re-seeds: runs are reproducible, though the
numbers differ from torch's for the same seed.

Argument checking follows torch: on by default (``validate_args=None``), a
parameter or value outside its allowed set is a ValueError that names it.
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend
from glassgrad.tensor import Size, Tensor


class Distribution:
    """Base class: shapes, argument checks, and the sampling/scoring interface."""

    has_rsample = False
    _validate_args_default = True

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        """Turn argument checking on or off for distributions made afterwards (default on)."""
        if value not in (True, False):
            raise ValueError(f"set_default_validate_args: expected True or False, got {value!r}")
        Distribution._validate_args_default = value

    def __init__(self, batch_shape: tuple[int, ...] = (), event_shape: tuple[int, ...] = (),
                 validate_args: bool | None = None) -> None:
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        self._validate_args = Distribution._validate_args_default if validate_args is None else validate_args

    @property
    def batch_shape(self) -> Size:
        """The shape over which the parameters are batched."""
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        """The shape of a single draw."""
        return self._event_shape

    def _extended_shape(self, sample_shape: Any = ()) -> Size:
        """``sample_shape + batch_shape + event_shape``."""
        if isinstance(sample_shape, int):
            sample_shape = (sample_shape,)
        return Size(tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape))

    # ----- the interface a distribution fills in ------------------------------
    def sample(self, sample_shape: Any = ()) -> Tensor:
        """Draws of shape ``sample_shape + batch_shape + event_shape``, with no gradient."""
        if self.has_rsample:
            return self.rsample(sample_shape).detach()
        raise NotImplementedError(f"{type(self).__name__}.sample is not implemented")

    def rsample(self, sample_shape: Any = ()) -> Tensor:
        """Differentiable draws (the reparameterisation trick), where the distribution allows one."""
        raise NotImplementedError(f"{type(self).__name__} has no rsample: its draws are not differentiable functions "
                                  "of its parameters (use sample, and log_prob for a score-function gradient)")

    def log_prob(self, value: Tensor) -> Tensor:
        """log p(value), one entry per batch element (differentiable in the parameters)."""
        raise NotImplementedError(f"{type(self).__name__}.log_prob is not implemented")

    def entropy(self) -> Tensor:
        """-E[log p(X)], one entry per batch element."""
        raise NotImplementedError(f"{type(self).__name__}.entropy is not implemented")

    @property
    def mean(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.mean is not implemented")

    @property
    def mode(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.mode is not implemented")

    @property
    def variance(self) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__}.variance is not implemented")

    @property
    def stddev(self) -> Tensor:
        """The standard deviation: sqrt(variance)."""
        return self.variance.sqrt()

    def perplexity(self) -> Tensor:
        """exp(entropy)."""
        return self.entropy().exp()

    # ----- argument checks ------------------------------------------------------
    def _check(self, name: str, value: Tensor, valid: Any, constraint: str) -> None:
        """Raise a ValueError naming ``name`` when any element of ``valid`` (a bool array) is False."""
        if self._validate_args and not bool(backend.xp.all(valid)):
            raise ValueError(
                f"Expected parameter {name} (Tensor of shape {tuple(value.shape)}) of distribution "
                f"{self!r} to satisfy the constraint {constraint}, but found invalid values:\n{value}"
            )

    def _check_value(self, value: Tensor, valid: Any, support: str) -> None:
        """Raise a ValueError when ``value`` (given to log_prob) lies outside the support."""
        if self._validate_args and not bool(backend.xp.all(valid)):
            raise ValueError(
                f"Expected value argument (Tensor of shape {tuple(value.shape)}) to be within the support "
                f"({support}) of the distribution {self!r}, but found invalid values:\n{value}"
            )

    def __repr__(self) -> str:
        params = ", ".join(
            f"{name}: {value if value.numel() == 1 else 'Size(' + str(list(value.shape)) + ')'}"
            for name, value in self._parameters().items()
        )
        return f"{type(self).__name__}({params})"

    def _parameters(self) -> dict[str, Tensor]:
        """The parameter tensors to show in ``repr`` (the subclasses name theirs)."""
        return {}
