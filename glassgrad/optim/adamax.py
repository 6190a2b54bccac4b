"""Adamax: Adam with the second moment replaced by a decaying infinity norm."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from glassgrad import autograd, backend
from glassgrad.optim.optimizer import Optimizer, check_adam_family, decayed_grad, evaluate_closure, to_scalar
from glassgrad.tensor import Tensor


def adamax_update(param: Any, grad: Any, exp_avg: Any, exp_inf: Any, step: int, *, lr: float, beta1: float,
                  beta2: float, eps: float, weight_decay: float = 0.0, maximize: bool = False) -> None:
    """One Adamax step on arrays, editing ``param``, ``exp_avg`` and ``exp_inf`` in place.

    With g the gradient (negated when maximizing) and t = ``step`` (1 on the first call)::

        g <- g + lambda p                              (if lambda != 0)
        m <- beta1 m + (1 - beta1) g
        u <- max(beta2 u, |g| + eps)                   (elementwise)
        p <- p - lr / (1 - beta1^t) * m / u

    (Kingma & Ba 2015, section 7: the L-infinity limit of Adam's second
    moment; eps sits inside the max, as torch has it.)
    """
    xp = backend.xp
    grad = decayed_grad(param, grad, weight_decay=weight_decay, maximize=maximize)
    exp_avg += (1 - beta1) * (grad - exp_avg)
    exp_inf *= beta2
    xp.maximum(exp_inf, xp.abs(grad) + eps, out=exp_inf)
    step_size = lr / (1 - beta1**step)
    param -= step_size * (exp_avg / exp_inf)


class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2015, section 7).

    Update rule (see ``adamax_update``)::

        m = beta1 m + (1 - beta1) g;  u = max(beta2 u, |g| + eps);  p -= lr / (1 - beta1^t) m / u

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate, a float or a one-element tensor (default 2e-3).
        betas: (beta1, beta2), decay rates of m and of the norm u (default (0.9, 0.999)).
        eps: floor added to |g| (default 1e-8).
        weight_decay: L2 penalty added to the gradient (default 0).
        maximize: ascend the objective instead of descending.
        foreach, differentiable, capturable: accepted for torch compatibility and ignored.

    State per parameter: ``step``, ``exp_avg`` (m), ``exp_inf`` (u).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, foreach: bool | None = None, *, maximize: bool = False,
                 differentiable: bool = False, capturable: bool = False) -> None:
        check_adam_family(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "exp_avg", "exp_inf"})

    @autograd.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a gradient; return the closure's loss."""
        loss = evaluate_closure(closure)
        for group in self.param_groups:
            beta1, beta2 = (to_scalar(beta) for beta in group["betas"])
            for p in self._params_with_grad(group):
                state = self._step_state(p, "exp_avg", "exp_inf")
                adamax_update(p.array, p.grad.array, state["exp_avg"], state["exp_inf"], state["step"],
                              lr=to_scalar(group["lr"]), beta1=beta1, beta2=beta2, eps=group["eps"],
                              weight_decay=group["weight_decay"], maximize=group["maximize"])
        return loss
