"""The error function on arrays: erf, erfc and erfinv to double precision.

NumPy has no erf, so here it is from two classic expansions (computed in
float64, then cast back to the input's dtype):

* for |x| < 3, the series with only positive terms (no cancellation)::

      erf(x) = 2/sqrt(pi) e^(-x^2) sum_{n>=0} 2^n x^(2n+1) / (1 * 3 * 5 * ... * (2n+1))

* for |x| >= 3, the continued fraction for the complement::

      erfc(x) = e^(-x^2)/sqrt(pi) * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))

``erfinv`` starts from a closed-form guess and polishes it with Newton steps
on erf (or on erfc near +-1, where erf has no digits left).
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend

SERIES_TERMS = 80  # enough for the series to converge to 1e-17 relative at |x| = 3
FRACTION_TERMS = 60  # enough for the continued fraction to converge at |x| >= 3
SWITCH = 3.0
TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


def _series_coefficients(bound: float, tolerance: float) -> list[float]:
    """c_n = 2^n / (1 * 3 * ... * (2n+1)) for n = 0, 1, ..., as many as the series needs at
    |x| <= bound (the first term below ``tolerance`` times the sum ends the list)."""
    coefficients, term, total = [1.0], 1.0, 1.0
    n = 0
    while n < SERIES_TERMS:
        n += 1
        coefficients.append(coefficients[-1] * 2 / (2 * n + 1))
        term = coefficients[-1] * bound ** (2 * n)
        total += term
        if term < tolerance * total:
            break
    return coefficients


# the series in bands of |x|: it needs fewer terms for smaller |x| (most inputs of GELU are small);
# float64 inputs are summed to double precision, float32/float16 ones (computed in float32) to 1e-8
SERIES_BANDS = {
    precision: [(low, high, _series_coefficients(high, tolerance)) for low, high in ((0.0, 1.0), (1.0, 2.0),
                                                                                   (2.0, SWITCH))]
    for precision, tolerance in (("float64", 1e-17), ("float32", 1e-8))
}


def _erf_series(x: Any, coefficients: list[float]) -> Any:
    """erf(x) by the positive-term series, sum_n c_n x^(2n+1) e^(-x^2) 2/sqrt(pi), with the
    polynomial in y = x^2 evaluated by Horner's rule (accurate for |x| < 3)."""
    xp = backend.xp
    y = x * x
    total = xp.full(x.shape, coefficients[-1], dtype=x.dtype)
    for c in reversed(coefficients[:-1]):
        total *= y
        total += c
    return TWO_OVER_SQRT_PI * xp.exp(-y) * x * total


def _erfc_fraction(x: Any) -> Any:
    """erfc(x) for x >= 3 by the continued fraction, evaluated from the tail inwards."""
    xp = backend.xp
    tail = x.copy()
    for k in range(FRACTION_TERMS, 0, -1):
        tail = x + (k / 2) / tail
    return xp.exp(-x * x) / (math.sqrt(math.pi) * tail)


def erf_array(x: Any) -> Any:
    """erf element-wise (odd: erf(-x) = -erf(x); erf(+-inf) = +-1). Given a Tensor (a forward run
    again to record its graph, glassgrad/autograd/higher_order.py), the Tensor's own differentiable ``erf``."""
    if not hasattr(x, "flags"):
        return x.erf()
    xp = backend.xp
    precision = "float64" if x.dtype == xp.float64 else "float32"
    x64 = xp.asarray(x, dtype=precision)  # the working precision (float64 for float64 input)
    size = xp.abs(x64)
    result = xp.full(x64.shape, xp.nan, dtype=precision)
    with xp.errstate(over="ignore", under="ignore", invalid="ignore"):
        # each branch on its own elements only
        for low, high, coefficients in SERIES_BANDS[precision]:
            band = (size >= low) & (size < high)
            if band.any():
                result[band] = _erf_series(x64[band], coefficients)
        far = size >= SWITCH
        if far.any():
            result[far] = xp.sign(x64[far]) * (1 - _erfc_fraction(xp.minimum(size[far], 30.0)))  # erf(30) = 1
    return result.astype(x.dtype, copy=False)


def erfc_array(x: Any) -> Any:
    """erfc = 1 - erf element-wise, with full relative precision in the far right tail."""
    xp = backend.xp
    x64 = xp.asarray(x, dtype=xp.float64)
    far_right = x64 >= SWITCH
    with xp.errstate(over="ignore", under="ignore", invalid="ignore"):
        tail = _erfc_fraction(xp.where(far_right, x64, SWITCH))
        result = xp.where(far_right, tail, 1 - erf_array(x64))
    result = xp.where(xp.isnan(x64), xp.nan, result)
    return result.astype(x.dtype, copy=False)


def erfinv_array(y: Any) -> Any:
    """The inverse of erf on [-1, 1] (+-inf at +-1, NaN outside), as torch.erfinv."""
    xp = backend.xp
    y64 = xp.asarray(y, dtype=xp.float64)
    inside = xp.abs(y64) < 1
    safe = xp.where(inside, y64, 0.0)
    size = xp.abs(safe)
    with xp.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        # Winitzki's closed form (about 2e-3 relative error) as the starting point
        a = 0.147
        log_term = xp.log1p(-size * size)
        first = 2 / (math.pi * a) + log_term / 2
        guess = xp.sqrt(xp.sqrt(first * first - log_term / a) - first)
        # Newton on erfc(x) = 1 - |y| (exact to the last bit for |y| > 1/2), else on erf(x) = |y|
        near_one = size > 0.5
        target = xp.where(near_one, 1 - size, size)
        x = guess
        for _ in range(4):
            slope = TWO_OVER_SQRT_PI * xp.exp(-x * x)
            miss = xp.where(near_one, target - erfc_array(x), erf_array(x) - target)
            x = x - miss / slope
        result = xp.sign(safe) * x
    result = xp.where(inside, result, xp.where(xp.abs(y64) == 1, xp.copysign(xp.inf, y64), xp.nan))
    return result.astype(y.dtype, copy=False)
