"""Op-table rows for dropout and embedding (joined into ``OPS`` by op_table.py).

Dropout is random: the glassgrad op draws its mask from a generator seeded by the case, and the
torch reference applies that same mask (``keep / (1 - p)``) with torch arithmetic, so forward
values and gradients still meet an independent implementation.
"""

from __future__ import annotations

from typing import Any

import hypothesis.extra.numpy as hnp
import numpy as np
from hypothesis import strategies as st

from glassgrad import Tensor, ops
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case, array, shapes


@st.composite
def dropout_case(draw: st.DrawFn) -> Case:
    p = draw(st.sampled_from([0.0, 0.25, 0.5, 0.9, 1.0]))
    params = {"p": p, "training": draw(st.booleans()), "seed": draw(st.integers(0, 2**16))}
    return Case((draw(array(draw(shapes(min_dims=1)))),), params)


def _gg_dropout(x: Any, p: float, training: bool, seed: int) -> Any:
    return ops.dropout(x, p, training, rng=np.random.default_rng(seed))


def _torch_dropout(t: Any, x: Any, p: float, training: bool, seed: int) -> Any:
    if not training or p == 0.0:
        return x * 1
    keep = np.random.default_rng(seed).random(tuple(x.shape), dtype=np.float32) >= p  # glassgrad's draw
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    return x * t.from_numpy(keep.astype(np.float64) * scale).to(x.dtype)


@st.composite
def embedding_case(draw: st.DrawFn) -> Case:
    """A table (V, D) and indices of any shape with repeats (their gradients add). No padding_idx here:
    its row gets no gradient on purpose, which finite differences cannot agree with (see tests/nn)."""
    rows, dim = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    indices = draw(hnp.arrays(np.int64, draw(hnp.array_shapes(min_dims=1, max_dims=2, max_side=3)),
                              elements=st.integers(0, rows - 1)))
    return Case((draw(array((rows, dim))),), {"indices": indices})


ROWS: list[OpSpec] = [
    OpSpec("dropout", _gg_dropout, _torch_dropout, dropout_case()),
    OpSpec("embedding", lambda w, indices: ops.embedding(Tensor(indices), w),
           lambda t, w, indices: t.nn.functional.embedding(t.from_numpy(indices), w), embedding_case()),
]
