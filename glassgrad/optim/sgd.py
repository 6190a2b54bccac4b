"""Stochastic gradient descent with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import autograd
from glassgrad.optim.optimizer import Optimizer, check_non_negative


def sgd_update(param: Any, grad: Any, momentum_buffer: Any | None, *, lr: float, momentum: float = 0.0,
               dampening: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0,
               maximize: bool = False) -> Any | None:
    """One SGD step on arrays, editing ``param`` (and ``momentum_buffer``) in place.

    With g the gradient (negated when maximizing), mu the momentum, tau the
    dampening and lambda the weight decay::

        g <- g + lambda * p                       (if lambda != 0)
        b <- g                                    (first step)
        b <- mu * b + (1 - tau) * g               (later steps)
        g <- g + mu * b  (nesterov)  or  g <- b   (if mu != 0)
        p <- p - lr * g

    Returns the momentum buffer (a new array on the first step; None without momentum).
    """
    if maximize:
        grad = -grad
    if weight_decay != 0:
        grad = grad + weight_decay * param
    if momentum != 0:
        if momentum_buffer is None:
            momentum_buffer = grad.copy()
        else:
            momentum_buffer *= momentum
            momentum_buffer += (1 - dampening) * grad
        grad = grad + momentum * momentum_buffer if nesterov else momentum_buffer
    param -= lr * grad
    return momentum_buffer


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum and L2 weight decay.

    Update rule (see ``sgd_update``): ``b = mu b + (1 - dampening) g;  p -= lr * b``
    (or ``p -= lr * (g + mu b)`` with Nesterov), where ``g = grad + weight_decay * p``.

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate (default 1e-3, as torch).
        momentum: momentum factor mu (default 0).
        dampening: dampening tau of the momentum (default 0).
        weight_decay: L2 penalty lambda added to the gradient (default 0).
        nesterov: use Nesterov momentum (needs momentum > 0 and dampening 0).
        maximize: ascend the objective instead of descending.

    State per parameter: ``momentum_buffer`` (when momentum != 0).
    """

    def __init__(self, params: Iterable[Any], lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, maximize: bool = False) -> None:
        check_non_negative("learning rate", lr)
        check_non_negative("momentum value", momentum)
        check_non_negative("weight_decay value", weight_decay)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                        nesterov=nesterov, maximize=maximize)
        super().__init__(params, defaults)

    @autograd.no_grad()
    def step(self) -> None:
        """Apply one update to every parameter that has a gradient."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state.setdefault(p, {})
                buffer = sgd_update(p.data, p.grad, state.get("momentum_buffer"), lr=group["lr"],
                                    momentum=group["momentum"], dampening=group["dampening"],
                                    nesterov=group["nesterov"], weight_decay=group["weight_decay"],
                                    maximize=group["maximize"])
                if buffer is not None:
                    state["momentum_buffer"] = buffer
