"""RMSprop: steps divided by a running root-mean-square of the gradient."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative
from glassgrad.tensor import Tensor


def rmsprop_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One RMSprop step on arrays, editing ``param`` and the running arrays in ``state`` in place.

    With g the gradient (maximize and weight decay g + lambda p already applied by the Optimizer
    template), v = ``square_avg``, a = ``grad_avg`` and b = ``momentum_buffer``::

        v <- alpha v + (1 - alpha) g^2
        a <- alpha a + (1 - alpha) g                   (centered only)
        d <- sqrt(v - a^2) + eps  (centered)   or   d <- sqrt(v) + eps
        b <- mu b + g / d;  p <- p - lr b              (momentum mu > 0)
        p <- p - lr g / d                              (otherwise)
    """
    xp = backend.xp
    alpha, momentum = group["alpha"], group["momentum"]
    square_avg = state["square_avg"]
    square_avg *= alpha
    square_avg += (1 - alpha) * grad * grad
    if group["centered"]:
        grad_avg = state["grad_avg"]
        grad_avg += (1 - alpha) * (grad - grad_avg)
        denom = xp.sqrt(square_avg - grad_avg * grad_avg)
    else:
        denom = xp.sqrt(square_avg)
    denom += group["eps"]
    if momentum > 0:
        momentum_buffer = state["momentum_buffer"]
        momentum_buffer *= momentum
        momentum_buffer += grad / denom
        param -= group["lr"] * momentum_buffer
    else:
        param -= group["lr"] * grad / denom


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e; the centered form after Graves, 2013).

    Update rule (see ``rmsprop_update``): ``v = alpha v + (1 - alpha) g^2;  p -= lr g / (sqrt(v) + eps)``.

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate, a float or a one-element tensor (default 1e-2).
        alpha: decay rate of the running mean of g^2 (default 0.99).
        eps: added to the denominator (default 1e-8).
        weight_decay: L2 penalty added to the gradient (default 0).
        momentum: momentum factor (default 0).
        centered: divide by an estimate of the gradient's variance, sqrt(E[g^2] - E[g]^2).
        maximize: ascend the objective instead of descending.
        capturable, foreach, differentiable: accepted for torch compatibility and ignored.

    State per parameter: ``step``, ``square_avg``, ``momentum_buffer`` (momentum > 0), ``grad_avg`` (centered).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0, momentum: float = 0, centered: bool = False, capturable: bool = False,
                 foreach: bool | None = None, maximize: bool = False, differentiable: bool = False) -> None:
        check_lr(lr)
        check_non_negative("epsilon value", eps)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        check_non_negative("alpha value", alpha)
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered, weight_decay=weight_decay,
                        capturable=capturable, foreach=foreach, maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    update = staticmethod(rmsprop_update)

    @staticmethod
    def init_state(param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """Before the first step: t = 0, v zero (and b with momentum, a when centered, zero too)."""
        zeros = backend.xp.zeros_like
        state = {"step": 0, "square_avg": zeros(param)}
        if group["momentum"] > 0:
            state["momentum_buffer"] = zeros(param)
        if group["centered"]:
            state["grad_avg"] = zeros(param)
        return state

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "square_avg"} | ({"momentum_buffer"} if group.get("momentum", 0) > 0 else set())
                         | ({"grad_avg"} if group.get("centered") else set()))
