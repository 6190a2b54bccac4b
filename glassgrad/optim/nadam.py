"""NAdam: Adam with Nesterov momentum (Dozat, 2016), with torch's momentum-decay schedule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from glassgrad import autograd, backend
from glassgrad.optim.optimizer import (
    Optimizer,
    check_adam_family,
    check_non_negative,
    decayed_grad,
    evaluate_closure,
    to_scalar,
)
from glassgrad.tensor import Tensor


def nadam_update(param: Any, grad: Any, exp_avg: Any, exp_avg_sq: Any, step: int, mu_product: Any, *, lr: float,
                 beta1: float, beta2: float, eps: float, weight_decay: float = 0.0, momentum_decay: float = 4e-3,
                 decoupled_weight_decay: bool = False, maximize: bool = False) -> Any:
    """One NAdam step on arrays, editing ``param`` and the moment arrays in place.

    With g the gradient (negated when maximizing), t = ``step`` (1 on the
    first call), psi the momentum decay and P the running product of the mu's::

        p <- p (1 - lr lambda)   (decoupled)   or   g <- g + lambda p   (L2)
        mu_t = beta1 (1 - 0.5 * 0.96^(t psi)),   mu_{t+1} = beta1 (1 - 0.5 * 0.96^((t+1) psi))
        P <- P mu_t
        m <- beta1 m + (1 - beta1) g
        v <- beta2 v + (1 - beta2) g^2
        d = sqrt(v / (1 - beta2^t)) + eps
        p <- p - lr (1 - mu_t) / (1 - P) * g / d - lr mu_{t+1} / (1 - P mu_{t+1}) * m / d

    The gradient term and the momentum term use the current and the next
    step's mu: the "look-ahead" that makes it Nesterov.

    Returns:
        the new product P (``mu_product * mu_t``, in ``mu_product``'s type).
    """
    xp = backend.xp
    grad = decayed_grad(param, grad, weight_decay=weight_decay, maximize=maximize,
                        decoupled=decoupled_weight_decay, lr=lr)
    mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay))
    mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay))
    mu_product = mu_product * mu
    exp_avg += (1 - beta1) * (grad - exp_avg)
    exp_avg_sq *= beta2
    exp_avg_sq += (1 - beta2) * grad * grad
    denom = xp.sqrt(exp_avg_sq / (1 - beta2**step))
    denom += eps
    product = float(mu_product)
    param -= (lr * (1.0 - mu) / (1.0 - product)) * (grad / denom)
    param -= (lr * mu_next / (1.0 - product * mu_next)) * (exp_avg / denom)
    return mu_product


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

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "mu_product", "exp_avg", "exp_avg_sq"})

    @autograd.no_grad()
    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Apply one update to every parameter that has a gradient; return the closure's loss."""
        loss = evaluate_closure(closure)
        scalar_type = backend.get_default_dtype().type  # torch keeps mu_product in its default float dtype
        for group in self.param_groups:
            beta1, beta2 = (to_scalar(beta) for beta in group["betas"])
            for p in self._params_with_grad(group):
                state = self._step_state(p, "exp_avg", "exp_avg_sq", mu_product=1.0)
                product = nadam_update(p.array, p.grad.array, state["exp_avg"], state["exp_avg_sq"], state["step"],
                                       scalar_type(state["mu_product"]), lr=to_scalar(group["lr"]), beta1=beta1,
                                       beta2=beta2, eps=group["eps"], weight_decay=group["weight_decay"],
                                       momentum_decay=group["momentum_decay"],
                                       decoupled_weight_decay=group["decoupled_weight_decay"],
                                       maximize=group["maximize"])
                state["mu_product"] = float(product)
        return loss
