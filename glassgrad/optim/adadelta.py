"""Adadelta: steps whose size comes from running averages of past steps and gradients (no lr needed)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative
from glassgrad.tensor import Tensor


def adadelta_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One Adadelta step on arrays, editing ``param`` and the running means in ``state`` in place.

    With g the gradient (maximize and weight decay g + lambda p already applied by the Optimizer
    template), v = ``square_avg`` the running mean of g^2 and u = ``acc_delta`` the running mean
    of the squared updates::

        v <- rho v + (1 - rho) g^2
        delta = sqrt(u + eps) / sqrt(v + eps) * g      (units of p, Zeiler 2012)
        u <- rho u + (1 - rho) delta^2
        p <- p - lr delta
    """
    xp = backend.xp
    rho, eps = group["rho"], group["eps"]
    square_avg, acc_delta = state["square_avg"], state["acc_delta"]
    square_avg *= rho
    square_avg += (1 - rho) * grad * grad
    std = xp.sqrt(square_avg + eps)
    delta = xp.sqrt(acc_delta + eps)
    delta /= std
    delta *= grad
    acc_delta *= rho
    acc_delta += (1 - rho) * delta * delta
    param -= group["lr"] * delta


class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012).

    Update rule (see ``adadelta_update``)::

        v = rho v + (1 - rho) g^2;  delta = sqrt(u + eps) / sqrt(v + eps) g;
        u = rho u + (1 - rho) delta^2;  p -= lr delta

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: scale applied to delta, a float or a one-element tensor (default 1.0).
        rho: decay rate of both running averages (default 0.9).
        eps: added inside both square roots (default 1e-6).
        weight_decay: L2 penalty added to the gradient (default 0).
        maximize: ascend the objective instead of descending.
        foreach, capturable, differentiable: accepted for torch compatibility and ignored.

    State per parameter: ``step``, ``square_avg`` (v), ``acc_delta`` (u).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0, foreach: bool | None = None, *, capturable: bool = False,
                 maximize: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        check_non_negative("epsilon value", eps)
        check_non_negative("weight_decay value", weight_decay)
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize, capturable=capturable,
                        foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    update = staticmethod(adadelta_update)

    @staticmethod
    def init_state(param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """Before the first step: t = 0 and both running means zero."""
        zeros = backend.xp.zeros_like
        return {"step": 0, "square_avg": zeros(param), "acc_delta": zeros(param)}

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "square_avg", "acc_delta"})
