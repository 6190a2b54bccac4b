"""Adam and AdamW (decoupled weight decay), with optional AMSGrad."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from glassgrad import backend
from glassgrad.kernels import adam as adam_kernel
from glassgrad.optim.optimizer import Optimizer, check_adam_family
from glassgrad.tensor import Tensor


def adam_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any]) -> None:
    """One Adam step on arrays, editing ``param`` and the moments in ``state`` in place.

    With g the gradient (maximize and weight decay already applied by the Optimizer template:
    g + lambda p for Adam, p shrunk by (1 - lr lambda) for AdamW), t = ``state["step"]`` (1 on the
    first step), m = ``exp_avg``, v = ``exp_avg_sq``::

        m <- beta1 m + (1 - beta1) g
        v <- beta2 v + (1 - beta2) g^2
        v_max <- max(v_max, v)                    (AMSGrad; then v_max replaces v below)
        p <- p - lr m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)

    This is the readable twin; in the "fast" kernel mode the template runs
    ``glassgrad.kernels.adam.adam_update`` instead (in-place passes over one scratch array,
    tested equal to this one).
    """
    xp = backend.xp
    beta1, beta2 = group["betas"]
    lr, eps, t = group["lr"], group["eps"], state["step"]
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    exp_avg[...] = beta1 * exp_avg + (1 - beta1) * grad
    exp_avg_sq[...] = beta2 * exp_avg_sq + (1 - beta2) * grad**2
    second_moment = exp_avg_sq
    if group["amsgrad"]:
        max_exp_avg_sq = state["max_exp_avg_sq"]
        max_exp_avg_sq[...] = xp.maximum(max_exp_avg_sq, exp_avg_sq)
        second_moment = max_exp_avg_sq
    m_hat = exp_avg / (1 - beta1**t)
    v_hat = second_moment / (1 - beta2**t)
    param -= lr * m_hat / (xp.sqrt(v_hat) + eps)


class Adam(Optimizer):
    """Adam: per-coordinate steps scaled by running moments of the gradient.

    Update rule (see ``adam_update``)::

        m = beta1 m + (1 - beta1) g,   v = beta2 v + (1 - beta2) g^2
        p -= lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1^t),  v_hat = v / (1 - beta2^t)

    where ``g = grad + weight_decay * p`` (L2 in the gradient), or, with
    ``decoupled_weight_decay=True`` (which is AdamW), ``p *= 1 - lr weight_decay`` first.

    Args:
        params: parameters, or dicts of parameters with their own hyper-parameters.
        lr: learning rate, a float or a one-element tensor (default 1e-3).
        betas: (beta1, beta2), the moments' decay rates (default (0.9, 0.999)).
        eps: added to the denominator for stability (default 1e-8).
        weight_decay: weight decay lambda (default 0).
        amsgrad: use the running maximum of v (Reddi et al., 2018).
        maximize: ascend the objective instead of descending.
        decoupled_weight_decay: shrink the parameter directly instead of adding lambda p to g.
        foreach, capturable, differentiable, fused: accepted for torch compatibility and ignored.

    State per parameter: ``step``, ``exp_avg`` (m), ``exp_avg_sq`` (v), ``max_exp_avg_sq`` (AMSGrad).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 0,
                 amsgrad: bool = False, *, foreach: bool | None = None, maximize: bool = False,
                 capturable: bool = False, differentiable: bool = False, fused: bool | None = None,
                 decoupled_weight_decay: bool = False) -> None:
        check_adam_family(lr, betas, eps, weight_decay)
        defaults = dict(lr=lr, betas=tuple(betas), eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                        maximize=maximize, foreach=foreach, capturable=capturable, differentiable=differentiable,
                        fused=fused, decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    update = staticmethod(adam_update)
    fused_update = staticmethod(adam_kernel.adam_update)

    @staticmethod
    def init_state(param: Any, group: dict[str, Any]) -> dict[str, Any]:
        """Before the first step: t = 0 and zero moments (and a zero running maximum with AMSGrad)."""
        zeros = backend.xp.zeros_like
        state = {"step": 0, "exp_avg": zeros(param), "exp_avg_sq": zeros(param)}
        if group["amsgrad"]:
            state["max_exp_avg_sq"] = zeros(param)
        return state

    @classmethod
    def state_slots(cls, group: dict[str, Any]) -> frozenset[str]:
        """A parameter's state after a step (``load_state_dict`` refuses any other)."""
        return frozenset({"step", "exp_avg", "exp_avg_sq"} | ({"max_exp_avg_sq"} if group.get("amsgrad") else set()))


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019).

    The decay shrinks the parameter directly instead of entering the moments::

        p <- p (1 - lr lambda);  then the Adam step with the raw gradient g.

    Same arguments as ``Adam`` (which it is, with ``decoupled_weight_decay=True``),
    except ``weight_decay`` defaults to 1e-2 (as torch).
    """

    def __init__(self, params: Iterable[Any], lr: float | Tensor = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8, weight_decay: float = 1e-2,
                 amsgrad: bool = False, *, maximize: bool = False, foreach: bool | None = None,
                 capturable: bool = False, differentiable: bool = False, fused: bool | None = None) -> None:
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         foreach=foreach, maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)
