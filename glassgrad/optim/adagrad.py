"""Adagrad: per-coordinate steps shrinking with the sum of squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import autograd, backend
from glassgrad.optim.optimizer import Optimizer, check_non_negative


def adagrad_update(param: Any, grad: Any, state_sum: Any, step: int, *, lr: float, lr_decay: float = 0.0,
                   weight_decay: float = 0.0, eps: float = 1e-10, maximize: bool = False) -> None:
    """One Adagrad step on arrays, editing ``param`` and ``state_sum`` in place.

    With g the gradient (negated when maximizing), t = ``step`` (1 on the first call)::

        g <- g + lambda p                          (if lambda != 0)
        lr_t = lr / (1 + (t - 1) lr_decay)
        s <- s + g^2
        p <- p - lr_t g / (sqrt(s) + eps)
    """
    xp = backend.xp
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + weight_decay * param
    clr = lr / (1 + (step - 1) * lr_decay)
    state_sum += grad * grad
    denom = xp.sqrt(state_sum)
    denom += eps
    param -= clr * grad / denom


class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011).

    Update rule (see ``adagrad_update``): ``s += g^2;  p -= lr_t g / (sqrt(s) + eps)``,
    ``lr_t = lr / (1 + (t - 1) lr_decay)``.

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate (default 1e-2).
        lr_decay: learning-rate decay per step (default 0).
        weight_decay: L2 penalty added to the gradient (default 0).
        initial_accumulator_value: starting value of s (default 0).
        eps: added to the denominator (default 1e-10).
        maximize: ascend the objective instead of descending.

    State per parameter (created at construction, as torch): ``step``, ``sum``.
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10, maximize: bool = False) -> None:
        check_non_negative("learning rate", lr)
        check_non_negative("lr_decay value", lr_decay)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("initial_accumulator_value value", initial_accumulator_value)
        check_non_negative("epsilon value", eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps, maximize=maximize)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, p: Any, group: dict[str, Any]) -> dict[str, Any]:
        state = self.state[p] = {"step": 0, "sum": backend.xp.full_like(p.data, group["initial_accumulator_value"])}
        return state

    @autograd.no_grad()
    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state.get(p) or self._init_state(p, group)
                state["step"] += 1
                adagrad_update(p.data, p.grad, state["sum"], state["step"], lr=group["lr"],
                               lr_decay=group["lr_decay"], weight_decay=group["weight_decay"], eps=group["eps"],
                               maximize=group["maximize"])
