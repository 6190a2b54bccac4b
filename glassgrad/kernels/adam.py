"""Fast kernel for the Adam / AdamW step: in-place passes over one scratch array.

The readable twin is ``glassgrad.optim.adam.adam_update`` (the update rule as written); both take
``(param, grad, state, group)`` and the Optimizer template (``glassgrad.optim.optimizer``) picks
one of them by the kernel mode. This kernel computes the same step without temporaries: each
line writes into the moments or into one caller-provided ``scratch`` array, and the bias
corrections are folded into two scalars in the equal form of Kingma & Ba (section 2), with
c = sqrt(1 - beta2^t):

    p <- p - (lr c / (1 - beta1^t)) m / (sqrt(v) + eps c)

which saves one pass over the array.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend


def adam_update(param: Any, grad: Any, state: dict[str, Any], group: dict[str, Any],
                scratch: Any | None = None) -> None:
    """One Adam step on arrays, in place, as the rule ``optim.adam.adam_update`` takes it.

    ``grad`` has maximize and weight decay applied (the Optimizer template does it for both
    twins); ``state`` holds ``step`` (already counted), ``exp_avg``, ``exp_avg_sq`` and, with
    ``group["amsgrad"]``, ``max_exp_avg_sq``. ``scratch`` (an array of the param's shape and dtype)
    is overwritten; without it one is allocated. Every other operation writes in place.
    """
    xp = backend.xp
    beta1, beta2 = group["betas"]
    lr, eps, t = group["lr"], group["eps"], state["step"]
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    if scratch is None:
        scratch = xp.empty_like(param)
    xp.subtract(grad, exp_avg, out=scratch)  # m += (1 - beta1) (g - m)  is  beta1 m + (1 - beta1) g
    scratch *= 1 - beta1
    exp_avg += scratch
    exp_avg_sq *= beta2
    xp.multiply(grad, grad, out=scratch)
    scratch *= 1 - beta2
    exp_avg_sq += scratch
    second_moment = exp_avg_sq
    if group["amsgrad"]:
        second_moment = state["max_exp_avg_sq"]
        xp.maximum(second_moment, exp_avg_sq, out=second_moment)
    c = math.sqrt(1 - beta2**t)
    xp.sqrt(second_moment, out=scratch)  # scratch = the denominator sqrt(v) + eps c
    scratch += eps * c
    xp.divide(exp_avg, scratch, out=scratch)
    scratch *= lr * c / (1 - beta1**t)
    param -= scratch
