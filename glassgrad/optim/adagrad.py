"""Adagrad: per-coordinate steps shrinking with the sum of squared gradients."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from glassgrad import autograd, backend
from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative, decayed_grad, evaluate_closure, to_scalar
from glassgrad.tensor import Tensor


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
    grad = decayed_grad(param, grad, weight_decay=weight_decay, maximize=maximize)
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
        lr: learning rate, a float or a one-element tensor (default 1e-2).
        lr_decay: learning-rate decay per step (default 0).
        weight_decay: L2 penalty added to the gradient (default 0).
        initial_accumulator_value: starting value of s (default 0).
        eps: added to the denominator (default 1e-10).
        maximize: ascend the objective instead of descending.
        foreach, differentiable, fused: accepted for torch compatibility and ignored.

    State per parameter (created at construction, as torch): ``step``, ``sum``.
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2, lr_decay: float = 0, weight_decay: float = 0,
                 initial_accumulator_value: float = 0, eps: float = 1e-10, foreach: bool | None = None, *,
                 maximize: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        check_lr(lr)
        check_non_negative("lr_decay value", lr_decay)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("initial_accumulator_value value", initial_accumulator_value)
        check_non_negative("epsilon value", eps)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach, maximize=maximize,
                        differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p, group)

    def _init_state(self, p: Any, group: dict[str, Any]) -> dict[str, Any]:
        state = self.state[p] = {"step": 0, "sum": backend.xp.full_like(p.array, group["initial_accumulator_value"])}
        return state

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "sum"})

    @autograd.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a gradient; return the closure's loss."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            for p in self._params_with_grad(group):
                state = self.state.get(p) or self._init_state(p, group)
                state["step"] += 1
                adagrad_update(p.array, p.grad.array, state["sum"], state["step"], lr=to_scalar(group["lr"]),
                               lr_decay=group["lr_decay"], weight_decay=group["weight_decay"], eps=group["eps"],
                               maximize=group["maximize"])
        return loss
