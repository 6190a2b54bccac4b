"""A stack of rows times one matrix runs as ONE matrix product (ops/matmul.py ``rows``): same values
and gradients as the stacked product, checked against NumPy's stacked matmul and by finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad.autograd import gradcheck


@pytest.mark.parametrize("shape_a", [(2, 3, 4, 5), (3, 4, 5), (0, 4, 5)])
def test_stacked_times_matrix_equals_the_stacked_product(rng, shape_a):
    a = rng.standard_normal(shape_a)
    b = rng.standard_normal((5, 6))
    g = rng.standard_normal(shape_a[:-1] + (6,))
    ta, tb = gg.tensor(a, requires_grad=True), gg.tensor(b, requires_grad=True)
    y = ta @ tb
    y.backward(gg.tensor(g))
    np.testing.assert_allclose(y.numpy(), np.matmul(a, b), atol=1e-12)
    np.testing.assert_allclose(ta.grad.numpy(), np.matmul(g, b.T), atol=1e-12)
    db = np.matmul(np.swapaxes(a, -1, -2), g).reshape(-1, 5, 6).sum(axis=0)  # summed over the stack
    np.testing.assert_allclose(tb.grad.numpy(), db, atol=1e-12)


def test_stacked_times_matrix_gradcheck(rng):
    a = gg.tensor(rng.standard_normal((2, 3, 4)), requires_grad=True)
    b = gg.tensor(rng.standard_normal((4, 2)), requires_grad=True)
    assert gradcheck(lambda x, w: x @ w, [a, b])
    a_t = gg.tensor(rng.standard_normal((4, 3, 4)).transpose(1, 0, 2), requires_grad=True)  # not contiguous
    assert gradcheck(lambda x, w: x @ w, [a_t, b])


@pytest.mark.parametrize("lead", [(), (7,), (2, 3), (3, 0)])
def test_linear_folds_leading_axes_into_rows(rng, lead):
    x = rng.standard_normal(lead + (5,))
    w, bias = rng.standard_normal((4, 5)), rng.standard_normal(4)
    g = rng.standard_normal(lead + (4,))
    tx, tw, tb = (gg.tensor(v, requires_grad=True) for v in (x, w, bias))
    y = gg.nn.functional.linear(tx, tw, tb)
    y.backward(gg.tensor(g))
    np.testing.assert_allclose(y.numpy(), x @ w.T + bias, atol=1e-12)
    np.testing.assert_allclose(tx.grad.numpy(), g @ w, atol=1e-12)
    np.testing.assert_allclose(tw.grad.numpy(), g.reshape(-1, 4).T @ x.reshape(-1, 5), atol=1e-12)
    np.testing.assert_allclose(tb.grad.numpy(), g.reshape(-1, 4).sum(axis=0), atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_stacked_times_matrix_and_linear_match_torch(rng, torch, dtype):
    """The rows path against torch: values and gradients under a random upstream gradient."""
    from tests.helpers.oracle import compare_with_torch

    a, b = rng.standard_normal((2, 3, 4, 5)).astype(dtype), rng.standard_normal((5, 6)).astype(dtype)
    compare_with_torch(lambda x, w: x @ w, lambda x, w: x @ w, [a, b], torch)
    x, w, bias = (rng.standard_normal(s).astype(dtype) for s in ((3, 7, 5), (4, 5), (4,)))
    compare_with_torch(lambda *t: gg.nn.functional.linear(*t), lambda *t: torch.nn.functional.linear(*t),
                       [x, w, bias], torch)
