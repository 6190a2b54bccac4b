"""Stochastic gradient descent with momentum, Nesterov momentum and weight decay."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from glassgrad import autograd
from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative, decayed_grad, evaluate_closure, to_scalar
from glassgrad.tensor import Tensor


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
    grad = decayed_grad(param, grad, weight_decay=weight_decay, maximize=maximize)
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

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"momentum_buffer"} if group.get("momentum", 0) != 0 else ())

    @autograd.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a gradient; return the closure's loss."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            for p in self._params_with_grad(group):
                previous = self.state.get(p, {}).get("momentum_buffer")  # None before the first step
                buffer = sgd_update(p.array, p.grad.array, previous, lr=to_scalar(group["lr"]),
                                    momentum=group["momentum"], dampening=group["dampening"],
                                    nesterov=group["nesterov"], weight_decay=to_scalar(group["weight_decay"]),
                                    maximize=group["maximize"])
                if buffer is not None:
                    self.state[p]["momentum_buffer"] = buffer
        return loss
