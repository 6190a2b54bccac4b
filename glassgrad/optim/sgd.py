"""Stochastic gradient descent with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative
from glassgrad.tensor import Tensor


def sgd_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One SGD step on arrays, editing ``param`` (and the momentum buffer in ``state``) in place.

    With g the gradient (maximize and weight decay g + lambda p already applied by the Optimizer
    template), mu the momentum, tau the dampening and b the momentum buffer::

        b <- g                                    (first step)
        b <- mu * b + (1 - tau) * g               (later steps)
        g <- g + mu * b  (nesterov)  or  g <- b   (if mu != 0)
        p <- p - lr * g

    Without momentum ``state`` stays empty (torch keeps no state then).
    """
    momentum = group["momentum"]
    if momentum != 0:
        buffer = state.get("momentum_buffer")
        if buffer is None:
            buffer = state["momentum_buffer"] = grad.copy()
        else:
            buffer *= momentum
            buffer += (1 - group["dampening"]) * grad
        grad = grad + momentum * buffer if group["nesterov"] else buffer
    param -= group["lr"] * grad


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum and L2 weight decay.

    Update rule (see ``sgd_update``): ``b = mu b + (1 - dampening) g;  p -= lr * b``
    (or ``p -= lr * (g + mu b)`` with Nesterov), where ``g = grad + weight_decay * p``.

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate, a float or a one-element tensor (default 1e-3, as torch).
        momentum: momentum factor mu (default 0).
        dampening: dampening tau of the momentum (default 0).
        weight_decay: L2 penalty lambda added to the gradient (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening 0).
        maximize: ascend the objective instead of descending.
        foreach, differentiable, fused: accepted for torch compatibility and ignored.

    State per parameter: ``momentum_buffer`` (when momentum != 0).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0, nesterov: bool = False, *, maximize: bool = False,
                 foreach: bool | None = None, differentiable: bool = False, fused: bool | None = None) -> None:
        check_lr(lr)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                        fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    update = staticmethod(sgd_update)

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"momentum_buffer"} if group.get("momentum", 0) != 0 else ())
