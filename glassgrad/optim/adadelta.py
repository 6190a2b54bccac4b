"""Adadelta: steps whose size comes from running averages of past steps and gradients (no lr needed)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from glassgrad import autograd, backend
from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative, decayed_grad, evaluate_closure, to_scalar
from glassgrad.tensor import Tensor


def adadelta_update(param: Any, grad: Any, square_avg: Any, acc_delta: Any, *, lr: float, rho: float, eps: float,
                    weight_decay: float = 0.0, maximize: bool = False) -> None:
    """One Adadelta step on arrays, editing ``param``, ``square_avg`` and ``acc_delta`` in place.

    With g the gradient (negated when maximizing), v the running mean of g^2
    and u the running mean of the squared updates::

        g <- g + lambda p                              (if lambda != 0)
        v <- rho v + (1 - rho) g^2
        delta = sqrt(u + eps) / sqrt(v + eps) * g      (units of p, Zeiler 2012)
        u <- rho u + (1 - rho) delta^2
        p <- p - lr delta
    """
    xp = backend.xp
    grad = decayed_grad(param, grad, weight_decay=weight_decay, maximize=maximize)
    square_avg *= rho
    square_avg += (1 - rho) * grad * grad
    std = xp.sqrt(square_avg + eps)
    delta = xp.sqrt(acc_delta + eps)
    delta /= std
    delta *= grad
    acc_delta *= rho
    acc_delta += (1 - rho) * delta * delta
    param -= lr * delta


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

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "square_avg", "acc_delta"})

    @autograd.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a gradient; return the closure's loss."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            for p in self._params_with_grad(group):
                state = self._step_state(p, "square_avg", "acc_delta")
                adadelta_update(p.array, p.grad.array, state["square_avg"], state["acc_delta"],
                                lr=to_scalar(group["lr"]), rho=group["rho"], eps=group["eps"],
                                weight_decay=group["weight_decay"], maximize=group["maximize"])
        return loss
