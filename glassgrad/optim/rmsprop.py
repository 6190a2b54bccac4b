"""RMSprop: steps divided by a running root-mean-square of the gradient."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from glassgrad import autograd, backend
from glassgrad.optim.optimizer import Optimizer, check_lr, check_non_negative, decayed_grad, evaluate_closure, to_scalar
from glassgrad.tensor import Tensor


def rmsprop_update(param: Any, grad: Any, square_avg: Any, *, lr: float, alpha: float, eps: float,
                   weight_decay: float = 0.0, momentum: float = 0.0, momentum_buffer: Any | None = None,
                   grad_avg: Any | None = None, maximize: bool = False) -> None:
    """One RMSprop step on arrays, editing ``param`` and the running arrays in place.

    With g the gradient (negated when maximizing) and lambda the weight decay::

        g <- g + lambda p                              (if lambda != 0)
        v <- alpha v + (1 - alpha) g^2
        a <- alpha a + (1 - alpha) g                   (centered only)
        d <- sqrt(v - a^2) + eps  (centered)   or   d <- sqrt(v) + eps
        b <- mu b + g / d;  p <- p - lr b              (momentum mu > 0)
        p <- p - lr g / d                              (otherwise)

    ``momentum_buffer`` must be given when momentum > 0 and ``grad_avg`` when centered.
    """
    xp = backend.xp
    grad = decayed_grad(param, grad, weight_decay=weight_decay, maximize=maximize)
    square_avg *= alpha
    square_avg += (1 - alpha) * grad * grad
    if grad_avg is not None:
        grad_avg += (1 - alpha) * (grad - grad_avg)
        denom = xp.sqrt(square_avg - grad_avg * grad_avg)
    else:
        denom = xp.sqrt(square_avg)
    denom += eps
    if momentum > 0:
        momentum_buffer *= momentum
        momentum_buffer += grad / denom
        param -= lr * momentum_buffer
    else:
        param -= lr * grad / denom


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

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "square_avg"} | ({"momentum_buffer"} if group.get("momentum", 0) > 0 else set())
                         | ({"grad_avg"} if group.get("centered") else set()))

    @autograd.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a gradient; return the closure's loss."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            slots = ["square_avg"]
            if group["momentum"] > 0:
                slots.append("momentum_buffer")
            if group["centered"]:
                slots.append("grad_avg")
            for p in self._params_with_grad(group):
                state = self._step_state(p, *slots)
                rmsprop_update(p.array, p.grad.array, state["square_avg"], lr=to_scalar(group["lr"]),
                               alpha=group["alpha"], eps=group["eps"], weight_decay=group["weight_decay"],
                               momentum=group["momentum"], momentum_buffer=state.get("momentum_buffer"),
                               grad_avg=state.get("grad_avg"), maximize=group["maximize"])
        return loss
