"""Adamax: Adam with the second moment replaced by a decaying infinity norm."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.optim.optimizer import Optimizer, check_adam_family
from glassgrad.tensor import Tensor


def adamax_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One Adamax step on arrays, editing ``param`` and ``exp_avg`` / ``exp_inf`` in ``state`` in place.

    With g the gradient (maximize and weight decay g + lambda p already applied by the Optimizer
    template), t = ``state["step"]`` (1 on the first step), m = ``exp_avg``, u = ``exp_inf``::

        m <- beta1 m + (1 - beta1) g
        u <- max(beta2 u, |g| + eps)                   (elementwise)
        p <- p - lr / (1 - beta1^t) * m / u

    (Kingma & Ba 2015, section 7: the L-infinity limit of Adam's second
    moment; eps sits inside the max, as torch has it.)
    """
    xp = backend.xp
    beta1, beta2 = group["betas"]
    exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
    exp_avg += (1 - beta1) * (grad - exp_avg)
    exp_inf *= beta2
    xp.maximum(exp_inf, xp.abs(grad) + group["eps"], out=exp_inf)
    step_size = group["lr"] / (1 - beta1 ** state["step"])
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

    update = staticmethod(adamax_update)

    @staticmethod
    def init_state(param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """Before the first step: t = 0, m and u zero."""
        zeros = backend.xp.zeros_like
        return {"step": 0, "exp_avg": zeros(param), "exp_inf": zeros(param)}

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "exp_avg", "exp_inf"})
