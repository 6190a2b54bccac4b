"""The embedding gradient's sparse-product kernel (kernels/scatter_rows.py) equals its twin, the sorted add.reduceat."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import kernels
from glassgrad.kernels import scatter_rows
from glassgrad.nn import functional as F
from glassgrad.ops.embedding import scatter_add_rows

# name: (the lookups from a generator, the number of rows, the row length)
CASES = {
    "char vocabulary": (lambda rng: rng.integers(0, 65, 768), 65, 16),
    "every row once (positions)": (lambda rng: np.arange(64), 64, 8),
    "rows never looked up": (lambda rng: rng.integers(0, 15, 40), 30, 5),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_kernel_equals_the_sorted_reduceat_twin(rng, case, dtype):
    make_indices, n, d = case
    indices = make_indices(rng)
    rows = rng.standard_normal((indices.size, d)).astype(dtype)
    with kernels.use("fast"):
        assert scatter_rows.serves(indices, rows, n)
        fast = scatter_add_rows(indices, rows, n)
    with kernels.use("reference"):
        reference = scatter_add_rows(indices, rows, n)
    assert fast.dtype == dtype and fast.shape == (n, d) and fast.flags.c_contiguous
    np.testing.assert_allclose(fast, reference, rtol=1e-6 if dtype == np.float32 else 1e-13, atol=1e-6)


def test_kernel_leaves_few_lookups_float16_and_the_reference_mode_to_the_twin(rng):
    with kernels.use("fast"):
        assert not scatter_rows.serves(np.arange(3), np.ones((3, 4), np.float32), 10)  # add.at's case
        assert not scatter_rows.serves(np.arange(12) % 4, np.ones((12, 4), np.float16), 4)
    with kernels.use("reference"):
        assert not scatter_rows.serves(np.arange(12) % 4, np.ones((12, 4), np.float32), 4)


@pytest.mark.parametrize("padding_idx", [None, 3])
def test_embedding_gradient_is_the_same_in_both_modes(rng, padding_idx):
    weight = rng.standard_normal((20, 6)).astype(np.float32)
    ids = rng.integers(0, 20, (8, 12))
    upstream = rng.standard_normal((8, 12, 6)).astype(np.float32)
    grads = {}
    for mode in kernels.MODES:
        with kernels.use(mode):
            w = gg.tensor(weight, requires_grad=True)
            F.embedding(gg.tensor(ids), w, padding_idx=padding_idx).backward(gg.tensor(upstream))
            grads[mode] = w.grad.numpy()
    np.testing.assert_allclose(grads["fast"], grads["reference"], rtol=1e-6, atol=1e-6)
    if padding_idx is not None:
        assert not grads["fast"][padding_idx].any()
