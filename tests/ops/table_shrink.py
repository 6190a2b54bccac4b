"""Op-table rows for the shrink, threshold and gated activations and softmin (joined into ``OPS`` by op_table.py).

Inputs keep away from the kinks at +-lambd and at the threshold, where finite differences mean nothing.
rrelu is tested in evaluation mode here (a leaky ReLU with the mean slope); its training mode draws
random slopes, compared with torch's gradient rule in tests/nn/test_activation_shrink.py.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from glassgrad import ops
from tests.ops.op_table import OpSpec, with_params
from tests.ops.strategies import Case, Domain, array, shapes, unary

SHRINK = Domain(avoid=(-0.5, 0.5, -1.0, 1.0))  # away from +-lambd for lambd in {0.5, 1.0}
LAMBD = st.sampled_from([0.5, 1.0])


def _nn(name: str) -> Any:
    return lambda t, *xs, **params: getattr(t.nn.functional, name)(*xs, **params)


@st.composite
def glu_case(draw: st.DrawFn) -> Case:
    """An input with an even length along ``dim``."""
    shape = list(draw(shapes(min_dims=1)))
    dim = draw(st.integers(-len(shape), len(shape) - 1))
    shape[dim] = 2 * draw(st.integers(1, 2))
    return Case((draw(array(tuple(shape))),), {"dim": dim})


@st.composite
def softmin_case(draw: st.DrawFn) -> Case:
    shape = draw(shapes(min_dims=1))
    return Case((draw(array(shape, Domain(-5, 5))),), {"dim": draw(st.integers(-len(shape), len(shape) - 1))})


ROWS: list[OpSpec] = [
    OpSpec("hardshrink", ops.hardshrink, _nn("hardshrink"), with_params(unary(SHRINK), lambd=LAMBD)),
    OpSpec("softshrink", ops.softshrink, _nn("softshrink"), with_params(unary(SHRINK), lambd=LAMBD)),
    OpSpec("threshold", ops.threshold, _nn("threshold"),
           with_params(unary(SHRINK), threshold=st.sampled_from([0.5, -1.0]), value=st.sampled_from([0.0, 2.5]))),
    OpSpec("rrelu_eval", lambda a, **p: ops.rrelu(a, **p), _nn("rrelu"),
           with_params(unary(Domain(avoid=(0.0,))), lower=st.sampled_from([0.1, 0.125]),
                       upper=st.sampled_from([0.3, 0.5]), training=st.just(False))),
    OpSpec("glu", ops.glu, _nn("glu"), glu_case()),
    OpSpec("softmin", ops.softmin, _nn("softmin"), softmin_case()),
]
