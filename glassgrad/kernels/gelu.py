"""Fast kernel for exact GELU in float32: one rational-exponential formula, evaluated in cache-sized chunks.

The readable twin is ``GELU`` in ``glassgrad/ops/activation.py``, which computes
Phi(x) = (1 + erf(x / sqrt 2)) / 2 with ``erf_array``: series in bands of |x| plus a continued
fraction, accurate to double precision, but each band a masked gather and scatter (measured:
35 ms for a (768, 512) float32 array on one core).

For float32 this kernel uses the Chebyshev-fitted complementary error function of Press et al.
(Numerical Recipes, section 6.2), with fractional error below 1.2e-7 for every z >= 0:

    t = 1 / (1 + z/2),   erfc(z) = t exp(-z^2 + P(t)),   P a degree-9 polynomial (Horner)

and Phi(x) = erfc(-x / sqrt 2) / 2, i.e. with z = |x| / sqrt 2 and e = erfc(z):
Phi(x) = e / 2 for x < 0 and 1 - e / 2 for x >= 0.

Three things make it fast (measured on a (768, 512) array, one core, forward and the backward's
multiply together: 2.8 ms -> 1.3 ms):

- no data-dependent select: ``where(x < 0, e/2, 1 - e/2)`` over random signs costs ~1.4 ms alone
  (a branch per element that the CPU mispredicts half the time); ``1/2 + copysign(1/2 - e/2, x)``
  is the same number with no branch (~30 us);
- the element-wise passes run over CHUNKS of ``CHUNK`` elements into small preallocated scratch
  arrays, reused from chunk to chunk: no fresh memory (and page faults) per pass;
- the forward also forms the derivative dy/dx = Phi(x) + x phi(x) (phi(x) = e^(-z^2) / sqrt(2 pi),
  one more exp in the same chunk), so the backward is a single multiply, grad * dy/dx.

float64 inputs keep the twin (gradient checks need double precision).
"""

from __future__ import annotations

import math
from typing import Any

from glassgrad import backend

# P(t) = -1.26551223 + t (1.00002368 + t (0.37409196 + ...)), lowest order first
ERFC_COEFFICIENTS = (-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398,
                     1.48851587, -0.82215223, 0.17087277)

CHUNK = 65536  # elements per chunk: 256 KB of float32 per scratch array (measured best of 4k-1M)


def applies(x: Any) -> bool:
    """The kernel serves float32 arrays; float64 (and float16, summed in float32) keep the twin."""
    return x.dtype == backend.xp.float32


def gelu_forward(x: Any, derivative: bool = True) -> tuple[Any, Any]:
    """(y, dy/dx) of exact GELU for a float32 array: y = x Phi(x), dy/dx = Phi(x) + x phi(x)
    (dy/dx is None when ``derivative`` is False: no backward will need it)."""
    xp = backend.xp
    flat = xp.ascontiguousarray(x).reshape(-1)
    y = xp.empty_like(flat)
    dydx = xp.empty_like(flat) if derivative else None
    _gelu_flat(flat, y, dydx)
    return y.reshape(x.shape), (dydx.reshape(x.shape) if derivative else None)


def _gelu_flat(flat: Any, y: Any, dydx: Any = None) -> None:
    """y (and dy/dx, when given) of the 1-D float32 ``flat``, chunk by chunk through small scratch arrays."""
    xp = backend.xp
    f32 = xp.float32
    size = min(CHUNK, flat.size)
    z, t, e, phi = (xp.empty(size, dtype=f32) for _ in range(4))
    for start in range(0, flat.size, CHUNK):
        stop = min(start + CHUNK, flat.size)
        n = stop - start
        xs, zs, ts, es, ps = flat[start:stop], z[:n], t[:n], e[:n], phi[:n]
        # z = |x| / sqrt 2;  t = 1 / (1 + z / 2)
        xp.abs(xs, out=zs)
        zs *= f32(1 / math.sqrt(2))
        xp.multiply(zs, f32(0.5), out=ts)
        ts += f32(1)
        xp.divide(f32(1), ts, out=ts)
        # e = P(t) by Horner, then exponent -z^2 + P(t)
        es.fill(f32(ERFC_COEFFICIENTS[-1]))
        for c in reversed(ERFC_COEFFICIENTS[:-1]):
            es *= ts
            es += f32(c)
        zs *= zs  # z^2 = x^2 / 2 from here on
        es -= zs
        # half tail: erfc(z) / 2 = t exp(e) / 2
        xp.exp(es, out=es)
        es *= ts
        es *= f32(0.5)
        # Phi = half tail where x < 0, else 1 - half tail: 1/2 + sign(x) (1/2 - half tail), branch-free
        ys = y[start:stop]
        xp.subtract(f32(0.5), es, out=ys)
        xp.copysign(ys, xs, out=ys)
        ys += f32(0.5)  # ys holds Phi now
        if dydx is not None:  # phi(x) = exp(-x^2 / 2) / sqrt(2 pi) = exp(-z^2) / sqrt(2 pi);  dy/dx = Phi + x phi
            xp.negative(zs, out=ps)
            xp.exp(ps, out=ps)
            ps *= f32(1 / math.sqrt(2 * math.pi))
            ps *= xs
            xp.add(ys, ps, out=dydx[start:stop])
        ys *= xs  # y = x Phi
