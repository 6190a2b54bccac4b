"""NAdam: Adam with Nesterov momentum (Dozat, 2016), with torch's momentum-decay schedule."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.optim.optimizer import Optimizer, check_adam_family, check_non_negative
from glassgrad.tensor import Tensor


def nadam_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One NAdam step on arrays, editing ``param`` and the moments in ``state`` in place.

    With g the gradient (maximize and weight decay already applied by the Optimizer template:
    g + lambda p, or p shrunk by (1 - lr lambda) when decoupled), t = ``state["step"]`` (1 on the
    first step), psi the momentum decay and P = ``mu_product``, the running product of the mu's::

        mu_t = beta1 (1 - 0.5 * 0.96^(t psi)),   mu_{t+1} = beta1 (1 - 0.5 * 0.96^((t+1) psi))
        P <- P mu_t
        m <- beta1 m + (1 - beta1) g
        v <- beta2 v + (1 - beta2) g^2
        d = sqrt(v / (1 - beta2^t)) + eps
        p <- p - lr (1 - mu_t) / (1 - P) * g / d - lr mu_{t+1} / (1 - P mu_{t+1}) * m / d

    The gradient term and the momentum term use the current and the next
    step's mu: the "look-ahead" that makes it Nesterov. P is multiplied in the
    default float dtype (torch keeps it as such a scalar) and stored as a float.
    """
    xp = backend.xp
    beta1, beta2 = group["betas"]
    lr, step, momentum_decay = group["lr"], state["step"], group["momentum_decay"]
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    product = float(backend.get_default_dtype().type(state["mu_product"]) * mu)
    state["mu_product"] = product
    exp_avg += (1 - beta1) * (grad - exp_avg)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    denom = xp.sqrt(exp_avg_sq / (1 - beta2**step))
    denom += group["eps"]
    param -= (lr * (1.0 - mu) / (1.0 - product)) * (grad / denom)
    param -= (lr * mu_next / (1.0 - product * mu_next)) * (exp_avg / denom)


class NAdam(Optimizer):
    """NAdam: Adam whose momentum looks one step ahead (Dozat, 2016).

    Update rule (see ``nadam_update``)::

        p -= lr (1 - mu_t) / (1 - prod mu) g / d + lr mu_{t+1} / (1 - prod mu mu_{t+1}) m / d,
        d = sqrt(v / (1 - beta2^t)) + eps,   mu_t = beta1 (1 - 0.5 * 0.96^(t momentum_decay))

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate, a float or a one-element tensor (default 2e-3).
        betas: (beta1, beta2), the moments' decay rates (default (0.9, 0.999)).
        eps: added to the denominator (default 1e-8).
        weight_decay: weight decay lambda (default 0).
        momentum_decay: psi in the mu schedule (default 4e-3).
        decoupled_weight_decay: shrink p directly (as AdamW) instead of adding lambda p to g.
        maximize: ascend the objective instead of descending.
        foreach, capturable, differentiable: accepted for torch compatibility and ignored.

    State per parameter: ``step``, ``mu_product`` (kept, as torch keeps it, as a
    scalar of the default float dtype), ``exp_avg`` (m), ``exp_avg_sq`` (v).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 2e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False) -> None:
        check_adam_family(lr, betas, eps, weight_decay)
        check_non_negative("momentum_decay value", momentum_decay)
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    update = staticmethod(nadam_update)

    @staticmethod
    def init_state(param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """Before the first step: t = 0, P = 1, m and v zero."""
        zeros = backend.xp.zeros_like
        return {"step": 0, "mu_product": 1.0, "exp_avg": zeros(param), "exp_avg_sq": zeros(param)}

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "mu_product", "exp_avg", "exp_avg_sq"})
