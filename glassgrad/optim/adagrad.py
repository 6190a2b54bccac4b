"""Adagrad: per-coordinate steps shrinking with the sum of squared gradients."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative
from glassgrad.tensor import Tensor


def adagrad_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One Adagrad step on arrays, editing ``param`` and the sum in ``state`` in place.

    With g the gradient (maximize and weight decay g + lambda p already applied by the Optimizer
    template), t = ``state["step"]`` (1 on the first step) and s = ``state["sum"]``::

        lr_t = lr / (1 + (t - 1) lr_decay)
        s <- s + g^2
        p <- p - lr_t g / (sqrt(s) + eps)
    """
    xp = backend.xp
    clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
    state_sum = state["sum"]
    state_sum += grad * grad
    denom = xp.sqrt(state_sum)
    denom += group["eps"]
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
                self.state[p] = self.init_state(p.array, group)

    update = staticmethod(adagrad_update)

    @staticmethod
    def init_state(param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """t = 0 and s filled with ``initial_accumulator_value`` (made at construction, as torch)."""
        return {"step": 0, "sum": backend.xp.full_like(param, group["initial_accumulator_value"])}

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "sum"})
