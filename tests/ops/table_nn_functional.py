"""Op-table rows for nn.functional's layer ops of issue 21: pdist, local_response_norm, channel_shuffle,
unfold and fold (joined into ``OPS`` by op_table.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from glassgrad import ops
from glassgrad.nn.channel_shuffle import channel_shuffle
from glassgrad.ops.unfold import fold, unfold
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, array


def _nn(name: str) -> Any:
    return lambda t, *xs, **params: getattr(t.nn.functional, name)(*xs, **params)


@st.composite
def pdist_case(draw: st.DrawFn) -> Case:
    """Rows far enough apart (and p = 1 coordinates away from 0) that the norm is smooth."""
    x = draw(array((draw(st.integers(1, 4)), draw(st.integers(1, 3)))))
    first, second = np.triu_indices(x.shape[0], k=1)
    assume(bool(np.all(np.abs(x[first] - x[second]) >= 0.05)))
    return Case((x,), {"p": draw(st.sampled_from([1.0, 2.0, 3.0]))})


@st.composite
def local_response_norm_case(draw: st.DrawFn) -> Case:
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 5))) + tuple(
        draw(st.lists(st.integers(1, 3), min_size=1, max_size=2)))
    params = {"size": draw(st.integers(1, 4)), "alpha": draw(st.sampled_from([1e-4, 0.5])),
              "beta": draw(st.sampled_from([0.75, 1.5])), "k": draw(st.sampled_from([1.0, 2.0]))}
    return Case((draw(array(shape)),), params)


@st.composite
def channel_shuffle_case(draw: st.DrawFn) -> Case:
    groups = draw(st.integers(1, 3))
    shape = (draw(st.integers(1, 2)), groups * draw(st.integers(1, 2)), draw(st.integers(1, 3)))
    return Case((draw(array(shape)),), {"groups": groups})


@st.composite
def unfold_case(draw: st.DrawFn, folding: bool = False) -> Case:
    """An image (N, C, H, W) and block geometry; for fold, the columns such a geometry makes."""
    kernel = (draw(st.integers(1, 2)), draw(st.integers(1, 3)))
    dilation, padding, stride = draw(st.integers(1, 2)), draw(st.integers(0, 1)), draw(st.integers(1, 2))
    size = (draw(st.integers(2, 4)), draw(st.integers(2, 4)))
    blocks = [(n + 2 * padding - dilation * (k - 1) - 1) // stride + 1 for n, k in zip(size, kernel)]
    assume(min(blocks) >= 1)
    params = {"kernel_size": kernel, "dilation": dilation, "padding": padding, "stride": stride}
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    if folding:
        return Case((draw(array((n, c * kernel[0] * kernel[1], blocks[0] * blocks[1]))),),
                    {"output_size": size, **params})
    return Case((draw(array((n, c, *size))),), params)


ROWS: list[OpSpec] = [
    OpSpec("unfold_im2col", unfold, _nn("unfold"), unfold_case()),
    OpSpec("fold_col2im", fold, _nn("fold"), unfold_case(folding=True)),
    OpSpec("pdist", ops.pdist, _nn("pdist"), pdist_case()),
    OpSpec("local_response_norm", ops.local_response_norm, _nn("local_response_norm"), local_response_norm_case()),
    OpSpec("channel_shuffle", channel_shuffle, lambda t, x, groups: t.nn.functional.channel_shuffle(x, groups),
           channel_shuffle_case()),
]
