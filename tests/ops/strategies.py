"""Hypothesis strategies for op tests: shapes (broadcasting included) and values
drawn away from the points where an op has a kink or a pole.

Finite differences are meaningless at a kink (relu and abs at 0, a tie in max)
and inaccurate next to a pole (log, sqrt and 1/x near 0), so each op's domain
names an interval and the points to keep a margin from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

MAX_SIDE = 4  # at most 4**3 = 64 elements per input keeps finite differences cheap
MAX_DIMS = 3


@dataclass(frozen=True)
class Domain:
    """Values in [low, high], at least ``margin`` away from each point of ``avoid``."""

    low: float = -3.0
    high: float = 3.0
    avoid: tuple[float, ...] = ()
    margin: float = 0.05

    def elements(self) -> st.SearchStrategy[float]:
        values = st.floats(self.low, self.high, allow_nan=False, allow_infinity=False)
        if self.avoid:
            values = values.filter(lambda v: all(abs(v - p) >= self.margin for p in self.avoid))
        return values


ANY = Domain()
NONZERO = Domain(avoid=(0.0,))  # kinks at 0: relu, leaky_relu, abs
POSITIVE = Domain(0.2, 3.0)  # poles at 0: log, sqrt, and the base of a real power
DENOMINATOR = Domain(-2.0, 2.0, avoid=(0.0,), margin=0.5)


@dataclass
class Case:
    """One drawn example: the differentiable input arrays (float64) and fixed parameters."""

    arrays: tuple[np.ndarray, ...]
    params: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # hypothesis prints this on failure
        shapes = ", ".join(str(a.shape) for a in self.arrays)
        return f"Case(shapes=[{shapes}], params={self.params}, arrays={[a.tolist() for a in self.arrays]})"


def shapes(min_dims: int = 0, max_dims: int = MAX_DIMS, min_side: int = 1) -> st.SearchStrategy[tuple[int, ...]]:
    """Array shapes, scalars (0-d) and size-1 axes included."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=MAX_SIDE)


def broadcast_shapes(n: int = 2, max_dims: int = MAX_DIMS) -> st.SearchStrategy[tuple[tuple[int, ...], ...]]:
    """n shapes that broadcast together: mismatched ranks, size-1 axes, 0-d scalars."""
    return hnp.mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=max_dims, max_side=MAX_SIDE).map(
        lambda b: b.input_shapes
    )


def array(shape: tuple[int, ...], domain: Domain = ANY) -> st.SearchStrategy[np.ndarray]:
    """A float64 array of ``shape`` with values in ``domain``."""
    return hnp.arrays(np.float64, shape, elements=domain.elements())


def distinct_array(shape: tuple[int, ...], offset: float = 0.0) -> st.SearchStrategy[np.ndarray]:
    """Values on the grid k/10 + offset, all different: no ties for max/min.

    Two arrays with offsets that differ by 0.05 never share a value either,
    which keeps ``maximum``/``minimum`` away from their tie.
    """
    size = int(np.prod(shape))
    return hnp.arrays(np.int64, (size,), elements=st.integers(-40, 40), unique=True).map(
        lambda k: (k / 10 + offset).reshape(shape)
    )


@st.composite
def unary(draw: st.DrawFn, domain: Domain = ANY, min_dims: int = 0) -> Case:
    """One input of any shape."""
    return Case((draw(array(draw(shapes(min_dims)), domain)),))


@st.composite
def binary(draw: st.DrawFn, domain_a: Domain = ANY, domain_b: Domain = ANY) -> Case:
    """Two inputs of mutually broadcastable shapes."""
    shape_a, shape_b = draw(broadcast_shapes(2))
    return Case((draw(array(shape_a, domain_a)), draw(array(shape_b, domain_b))))


@st.composite
def axis_and_keepdims(draw: st.DrawFn, ndim: int) -> dict[str, Any]:
    """axis = None, one axis (negative allowed) or a tuple of distinct axes; keepdims."""
    choices: list[st.SearchStrategy[Any]] = [st.none()]
    if ndim:
        choices.append(st.integers(-ndim, ndim - 1))
        several = st.lists(st.integers(-ndim, ndim - 1), unique_by=lambda a: a % ndim, min_size=1, max_size=ndim)
        choices.append(several.map(tuple))
    return {"axis": draw(st.one_of(choices)), "keepdims": draw(st.booleans())}
