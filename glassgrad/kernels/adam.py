"""Fast kernel for the Adam / AdamW step: in-place passes over one scratch array.

The readable twin is ``glassgrad.optim.adam.adam_update`` (the update rule as written). This
kernel computes the same step without temporaries: each line writes into the moments or into
one caller-provided ``scratch`` array, and the bias corrections are folded into two scalars in
the equal form of Kingma & Ba (section 2), with c = sqrt(1 - beta2^t):

    p <- p - (lr c / (1 - beta1^t)) m / (sqrt(v) + eps c)

which saves one pass over the array.
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend


def adam_update(param: Any, grad: Any, exp_avg: Any, exp_avg_sq: Any, step: int, *, lr: float,
                beta1: float, beta2: float, eps: float, max_exp_avg_sq: Any | None = None,
                scratch: Any | None = None) -> None:
    """One Adam step on arrays, in place, for a gradient that ``optim.adam.adam_update`` has
    already prepared (maximize and weight decay applied there, by ``optimizer.decayed_grad``).

    ``scratch`` (an array of the param's shape and dtype) is overwritten; without it one is
    allocated. Every other operation writes in place.
    """
    xp = backend.xp
    if scratch is None:
        scratch = xp.empty_like(param)
    xp.subtract(grad, exp_avg, out=scratch)  # m += (1 - beta1) (g - m)  is  beta1 m + (1 - beta1) g
    scratch *= 1 - beta1
    exp_avg += scratch
    exp_avg_sq *= beta2
    xp.multiply(grad, grad, out=scratch)
    scratch *= 1 - beta2
    exp_avg_sq += scratch
    if max_exp_avg_sq is not None:
        xp.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
        second_moment = max_exp_avg_sq
    else:
        second_moment = exp_avg_sq
    c = math.sqrt(1 - beta2**step)
    xp.sqrt(second_moment, out=scratch)  # scratch = the denominator sqrt(v) + eps c
    scratch += eps * c
    xp.divide(exp_avg, scratch, out=scratch)
    scratch *= lr * c / (1 - beta1**step)
    param -= scratch
