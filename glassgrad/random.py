"""Random number generators: torch's ``Generator`` and the module-wide default.

Every random draw in glassgrad (``rand``, ``randn``, initialisers, dropout,
shuffling) takes a generator argument, spelled ``generator=`` (torch's name)
or ``rng=`` (glassgrad's older name), that accepts:

* ``None``: the default generator, which ``glassgrad.manual_seed(n)`` re-seeds;
* a ``glassgrad.Generator`` (``Generator().manual_seed(n)``), torch's way;
* a ``numpy.random.Generator``.

Underneath, each ``Generator`` holds a NumPy ``Generator`` (PCG64). Draws are
made on the host and then moved to the tensor's device, so a seed gives the
same numbers on 'cpu' and 'cuda'. The numbers differ from torch's for the
same seed: the seed makes glassgrad runs repeat, not torch runs.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from glassgrad import box_muller
from glassgrad.device import device as make_device

DEFAULT_SEED = 0  # the default generator's seed at import, so runs repeat without manual_seed


class Generator:
    """A seedable source of random numbers: ``Generator().manual_seed(42)``.

    Args:
        device: accepted for torch's signature ('cpu' or 'cuda'); draws are made on
            the host either way.

    Attributes:
        numpy: the ``numpy.random.Generator`` the draws come from.
    """

    def __init__(self, device: Any = "cpu") -> None:
        self.device = make_device(device)
        self._seed = DEFAULT_SEED
        self.numpy = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> Generator:
        """Re-seed; returns self (so ``Generator().manual_seed(0)`` works)."""
        try:
            seed = int(seed)
        except (TypeError, ValueError):
            raise TypeError(f"manual_seed: the seed must be an int, got {seed!r}") from None
        if seed < 0:
            seed &= 0xFFFF_FFFF_FFFF_FFFF  # torch maps negative seeds the same way
        self._seed = seed
        self.numpy = np.random.default_rng(seed)
        return self

    def seed(self) -> int:
        """Re-seed from fresh entropy (not repeatable); returns the seed used."""
        seed = int(np.random.SeedSequence().entropy) & 0x7FFF_FFFF_FFFF_FFFF
        self.manual_seed(seed)
        return seed

    def initial_seed(self) -> int:
        """The seed last given to ``manual_seed`` (or ``seed``)."""
        return self._seed

    def get_state(self) -> dict[str, Any]:
        """A snapshot of the generator's state (a dict, where torch gives a byte tensor)."""
        return self.numpy.bit_generator.state

    def set_state(self, state: dict[str, Any]) -> Generator:
        """Restore a state taken by ``get_state``; returns self."""
        self.numpy.bit_generator.state = state
        return self

    def __repr__(self) -> str:
        return f"<glassgrad.Generator(device='{self.device}', initial_seed={self._seed})>"


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Re-seed the default generator; returns it (torch's ``torch.manual_seed``)."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Re-seed the default generator from fresh entropy; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The default generator's seed."""
    return default_generator.initial_seed()


def get_rng_state() -> dict[str, Any]:
    """The default generator's state, for ``set_rng_state``."""
    return default_generator.get_state()


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore the default generator's state."""
    default_generator.set_state(state)


@contextlib.contextmanager
def fork_rng(devices: Any = None, enabled: bool = True, **_: Any) -> Iterator[None]:
    """Draws inside the ``with`` block do not advance the default generator outside it."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


def default_rng() -> np.random.Generator:
    """The default generator's NumPy generator (seeded by ``manual_seed``)."""
    return default_generator.numpy


def resolve_rng(rng: Generator | np.random.Generator | None) -> np.random.Generator:
    """The NumPy generator to draw from: ``rng``'s own, or the default one for None."""
    if rng is None:
        return default_generator.numpy
    if isinstance(rng, Generator):
        return rng.numpy
    if isinstance(rng, np.random.Generator):
        return rng
    raise TypeError(
        f"expected a glassgrad.Generator, a numpy.random.Generator or None as the generator, got {type(rng).__name__}"
    )


def pick_generator(generator: Any, rng: Any, op: str = "op") -> np.random.Generator:
    """``generator=`` (torch's name) or its alias ``rng=``, resolved; giving both is an error."""
    if generator is not None and rng is not None and generator is not rng:
        raise TypeError(f"{op}: got generator= and its alias rng=; give one")
    return resolve_rng(generator if generator is not None else rng)


DRAW_CHUNK = 1 << 16  # float64 values per chunk of draw_as: 512 kB, stays in cache


def draw_as(draw: Any, shape: tuple[int, ...], dtype: Any, scale: float = 1.0, shift: float = 0.0) -> np.ndarray:
    """``(shift + scale * draw(shape)).astype(dtype)`` without the float64 array of the whole shape.

    ``draw`` is a NumPy Generator method that draws float64 values with ``out=``
    (``standard_normal``, ``random``). A float32 or float16 result of more than ``DRAW_CHUNK``
    normal values is drawn by the Box–Muller transform in float32 instead (``box_muller.py``: as
    torch draws its own, in half the time of NumPy's ziggurat). For other large float32 or float16
    results the values are drawn
    a chunk at a time into one small float64 buffer and written into the result, so a
    ``randn(200000, 200)`` allocates its 160 MB once instead of 320 MB of float64 and then
    160 MB for the cast (each fresh page a page fault). The generator's stream is consumed in
    the same order, and ``shift + scale * z`` is NumPy's own ``normal``/``uniform`` formula,
    so the numbers are the same bits as drawing the whole array at once.
    """
    size = math.prod(shape)
    if not (dtype == np.float32 or dtype == np.float16) or size <= DRAW_CHUNK:  # float64, bfloat16: one draw
        values = draw(size=shape)
        return (values if scale == 1.0 and shift == 0.0 else shift + scale * values).astype(dtype, copy=False)
    out = np.empty(shape, dtype=dtype)
    flat = out.reshape(-1)
    if box_muller.is_standard_normal(draw):  # normals: float32 Box–Muller, twice as quick (box_muller.py)
        box_muller.fill_normal(draw.__self__, flat, scale, shift)
        return out
    buffer = np.empty(DRAW_CHUNK)
    for start in range(0, size, DRAW_CHUNK):
        part = buffer[:min(DRAW_CHUNK, size - start)]
        draw(out=part)
        if scale != 1.0:
            part *= scale
        if shift != 0.0:
            part += shift
        flat[start:start + part.size] = part
    return out
