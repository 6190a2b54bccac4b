"""RAdam: Adam whose adaptive step is switched on only once its variance is tractable (Liu et al., 2020)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.optim.optimizer import Optimizer, check_adam_family
from glassgrad.tensor import Tensor


def radam_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One RAdam step on arrays, editing ``param`` and the moments in ``state`` in place.

    With g the gradient (maximize and weight decay already applied by the Optimizer template:
    g + lambda p, or p shrunk by (1 - lr lambda) when decoupled) and t = ``state["step"]``
    (1 on the first step)::

        m <- beta1 m + (1 - beta1) g,    v <- beta2 v + (1 - beta2) g^2
        m_hat = m / (1 - beta1^t)
        rho_inf = 2 / (1 - beta2) - 1
        rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)          (length of the approximated SMA)
        if rho_t > 5:
            r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
            p <- p - lr m_hat r sqrt(1 - beta2^t) / (sqrt(v) + eps)
        else:
            p <- p - lr m_hat                                   (plain momentum SGD)
    """
    xp = backend.xp
    beta1, beta2 = group["betas"]
    lr, step = group["lr"], state["step"]
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    exp_avg += (1 - beta1) * (grad - exp_avg)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    bias_correction1 = 1 - beta1**step
    bias_correction2 = 1 - beta2**step
    corrected_exp_avg = exp_avg / bias_correction1
    rho_inf = 2 / (1 - beta2) - 1
    rho_t = rho_inf - 2 * step * beta2**step / bias_correction2
    if rho_t > 5.0:
        rect = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        adaptive_lr = math.sqrt(bias_correction2) / (xp.sqrt(exp_avg_sq) + group["eps"])
        param -= corrected_exp_avg * lr * adaptive_lr * rect
    else:
        param -= corrected_exp_avg * lr


class RAdam(Optimizer):
    """RAdam, rectified Adam (Liu et al., 2020).

    Update rule (see ``radam_update``): Adam's step times a rectification
    factor r_t once the SMA length rho_t exceeds 5; before that, the
    bias-corrected momentum alone: ``p -= lr m_hat``.

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate, a float or a one-element tensor (default 1e-3).
        betas: (beta1, beta2), the moments' decay rates (default (0.9, 0.999)).
        eps: added to the denominator (default 1e-8).
        weight_decay: weight decay lambda (default 0).
        decoupled_weight_decay: shrink p directly (as AdamW) instead of adding lambda p to g.
        maximize: ascend the objective instead of descending.
        foreach, capturable, differentiable: accepted for torch compatibility and ignored.

    State per parameter: ``step``, ``exp_avg`` (m), ``exp_avg_sq`` (v).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, decoupled_weight_decay: bool = False, *,
                 foreach: bool | None = None, maximize: bool = False, capturable: bool = False,
                 differentiable: bool = False) -> None:
        check_adam_family(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, decoupled_weight_decay=decoupled_weight_decay,
                        differentiable=differentiable)
        super().__init__(params, defaults)

    update = staticmethod(radam_update)

    @staticmethod
    def init_state(param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """Before the first step: t = 0, m and v zero."""
        zeros = backend.xp.zeros_like
        return {"step": 0, "exp_avg": zeros(param), "exp_avg_sq": zeros(param)}

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "exp_avg", "exp_avg_sq"})
