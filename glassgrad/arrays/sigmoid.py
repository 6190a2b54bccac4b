"""The logistic sigmoid on arrays: the one home of its formula.

    sigma(x) = 1 / (1 + e^-x) = e^x / (1 + e^x) = (1 + tanh(x / 2)) / 2

``stable_sigmoid`` picks, for each element, the form whose exponential cannot overflow;
``sigmoid_inplace`` writes the tanh form into its argument (the fused recurrent kernels, which
own their scratch arrays, use it).
"""

from __future__ import annotations

from typing import Any

from glassgrad import backend


def stable_sigmoid(x: Any) -> Any:
    """sigma(x) = 1 / (1 + e^-x) on an array, without overflow: e^-|x| never exceeds 1,
    and for x < 0 the form e^x / (1 + e^x) keeps full relative precision. Given a Tensor (a backward
    recording its graph), the Tensor's own ``sigmoid`` op, whose derivative y (1 - y) holds at x = 0 too."""
    if hasattr(x, "sigmoid"):  # a Tensor
        return x.sigmoid()
    xp = backend.xp
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_inplace(a: Any) -> Any:
    """sigma(a) = (1 + tanh(a / 2)) / 2 written into ``a`` itself: no overflow and no new array
    (the fused recurrent kernels use it; absolute, not relative, precision for very negative a)."""
    xp = backend.xp
    a *= 0.5
    xp.tanh(a, out=a)
    a *= 0.5
    a += 0.5
    return a
