"""Normal draws by the Box–Muller transform: how glassgrad fills a large float32 (or float16) tensor
with normal values (``randn``, ``normal_``, ``nn.init.normal_``), as torch does its own.

If u1 and u2 are independent and uniform on (0, 1], then

    r = sqrt(-2 ln u1),   theta = 2 pi u2,   z1 = r cos(theta),   z2 = r sin(theta)

are two independent standard normal values. (The pair (z1, z2) has density
(1 / 2 pi) exp(-(z1^2 + z2^2) / 2): in polar coordinates the angle is uniform and
r^2 / 2 = -ln u1 is exponential with rate 1, which is what -ln of a uniform value is.)

Each chunk of 2k values draws 2k float32 uniforms, turns the first k into radii and the other k
into angles, and writes the k cosines and then the k sines, each times its radius. Everything is
computed in float32, so a uniform is a multiple of 2^-24 and |z| is at most sqrt(2 ln 2^24) = 5.77:
values further out than that (probability 8e-9 each) are never drawn, as with torch's float32
normals, which come from the same transform.

Why not NumPy's ``standard_normal``: its ziggurat draws float64 values, 11-12 ns each on these
machines with the cast to float32 (10 ns for its float32 form), where this transform takes 5.5 ns a
value in NumPy's vectorised float32 log, sqrt, cos and sin, and torch's 6.5 (one thread, measured
with benchmarks/floors.py's shapes). Small draws, and float64 ones, keep ``standard_normal``
(``glassgrad.random.draw_as``), so a seed gives the numbers it gave before for them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

CHUNK = 1 << 16  # values per chunk: four float32 buffers of 256 kB, which stay in cache


def fill_normal(generator: np.random.Generator, flat: np.ndarray, scale: float = 1.0, shift: float = 0.0) -> None:
    """Fill the 1-D array ``flat`` with ``shift + scale * z``, z standard normal by Box–Muller in float32."""
    uniforms = np.empty(CHUNK, np.float32)
    radius = np.empty(CHUNK // 2, np.float32)
    angle = np.empty(CHUNK // 2, np.float32)
    normals = np.empty(CHUNK, np.float32)
    for start in range(0, flat.size, CHUNK):
        count = min(CHUNK, flat.size - start)
        pairs = (count + 1) // 2
        u = uniforms[:2 * pairs]
        generator.random(out=u, dtype=np.float32)  # uniform on [0, 1)
        r, theta = radius[:pairs], angle[:pairs]
        np.subtract(1.0, u[:pairs], out=r)  # u1 = 1 - u, on (0, 1]: its log is finite
        np.log(r, out=r)
        np.multiply(r, -2.0, out=r)
        np.sqrt(r, out=r)  # r = sqrt(-2 ln u1)
        np.multiply(u[pairs:], 2.0 * math.pi, out=theta)  # theta = 2 pi u2
        z = normals[:2 * pairs]
        np.cos(theta, out=z[:pairs])
        np.sin(theta, out=z[pairs:])
        np.multiply(z[:pairs], r, out=z[:pairs])
        np.multiply(z[pairs:], r, out=z[pairs:])
        if scale != 1.0:
            np.multiply(z, scale, out=z)
        if shift != 0.0:
            np.add(z, shift, out=z)
        flat[start:start + count] = z[:count]


def is_standard_normal(draw: Any) -> bool:
    """Whether ``draw`` is a NumPy Generator's ``standard_normal`` (the draw ``fill_normal`` stands in for)."""
    return getattr(draw, "__name__", "") == "standard_normal" and isinstance(
        getattr(draw, "__self__", None), np.random.Generator)
