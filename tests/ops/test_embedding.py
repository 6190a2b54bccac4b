"""The embedding op: both scatter-add paths of its backward against np.add.at, and finite differences
with repeated indices. (Its hypothesis-drawn torch check is a row of tests/ops/table_dropout_embedding.py.)"""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import Tensor, gradcheck
from glassgrad.ops.embedding import embedding, scatter_add_rows


@pytest.mark.parametrize("m", [3, 40, 500])
def test_scatter_add_paths_agree_with_add_at(rng, m):
    idx = rng.integers(0, 20, m)
    rows = rng.standard_normal((m, 4))
    expected = np.zeros((20, 4))
    np.add.at(expected, idx, rows)
    np.testing.assert_allclose(scatter_add_rows(idx, rows, 20), expected, atol=1e-12)


def test_gradcheck(rng):
    idx = np.array([[0, 2, 2], [3, 0, 1]])
    assert gradcheck(lambda w: embedding(idx, w), [Tensor(rng.standard_normal((4, 3)), requires_grad=True)])
