"""The softmax shift kernel (kernels/softmax_shift.py) and its users equal the twin's row maxima."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import kernels
from glassgrad.kernels import softmax_shift
from glassgrad.nn import functional as F


@pytest.fixture
def fast_mode():
    """The kernel answers in the fast mode only (``make test`` runs these files in both)."""
    with kernels.use("fast"):
        yield


def _scores(rng, shape=(3, 2, 32, 64), spread=3.0):
    return (spread * rng.standard_normal(shape)).astype(np.float32)


def test_shift_is_the_block_max_where_every_row_is_near_it(rng, fast_mode):
    x = _scores(rng)
    c = softmax_shift.shift(x, x[..., :1])
    assert c.shape == (3, 2, 1, 1)
    np.testing.assert_array_equal(c, x.max(axis=(-2, -1), keepdims=True))


def test_shift_is_the_row_max_where_a_row_lies_far_below_its_block(rng, fast_mode):
    x = _scores(rng)
    x[1, 0, 5] -= 100.0  # one row whose largest exponential would underflow under the block's maximum
    np.testing.assert_array_equal(softmax_shift.shift(x, x[..., :1]), x.max(axis=-1, keepdims=True))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_shift_leaves_nan_and_inf_to_the_row_max(rng, fast_mode, bad):
    x = _scores(rng)
    x[0, 1, 3, 7] = bad
    np.testing.assert_array_equal(softmax_shift.shift(x, x[..., :1]), x.max(axis=-1, keepdims=True))


def test_shift_is_the_row_max_in_reference_mode_and_for_small_arrays(rng, fast_mode):
    x = _scores(rng)
    with kernels.use("reference"):
        np.testing.assert_array_equal(softmax_shift.shift(x, x[..., :1]), x.max(axis=-1, keepdims=True))
    small = _scores(rng, (4, 8))
    np.testing.assert_array_equal(softmax_shift.shift(small, small[..., :1]), small.max(axis=-1, keepdims=True))


def _both_modes(fn, arrays):
    """fn's value and input gradients (float32) in the fast and the reference mode."""
    out = {}
    for mode in kernels.MODES:
        with kernels.use(mode):
            inputs = [gg.tensor(a, requires_grad=True) for a in arrays]
            y = fn(*inputs)
            y.backward(gg.tensor(np.random.default_rng(1).standard_normal(y.shape).astype(np.float32)))
            out[mode] = (y.numpy(), [t.grad.numpy() for t in inputs])
    return out


def _assert_close(out, rtol=2e-5, atol=2e-6):
    (y_fast, g_fast), (y_ref, g_ref) = out["fast"], out["reference"]
    np.testing.assert_allclose(y_fast, y_ref, rtol=rtol, atol=atol)
    for a, b in zip(g_fast, g_ref):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


FAR_ROW = {"all rows near the block's max": False, "one row far below it": True}


@pytest.mark.parametrize("far", FAR_ROW.values(), ids=FAR_ROW.keys())
@pytest.mark.parametrize("causal", [True, False])
def test_attention_gives_the_twins_values_and_gradients(rng, far, causal):
    q, k, v = (rng.standard_normal((2, 3, 32, 16)).astype(np.float32) for _ in range(3))
    if far:
        q[1, 2, 4] *= 60.0  # a query whose scores spread far: its row's maximum lies far from the others'
    _assert_close(_both_modes(lambda a, b, c: F.scaled_dot_product_attention(a, b, c, is_causal=causal), [q, k, v]))


@pytest.mark.parametrize("far", FAR_ROW.values(), ids=FAR_ROW.keys())
@pytest.mark.parametrize("name", ["softmax", "log_softmax", "cross_entropy"])
def test_softmax_family_gives_the_twins_values_and_gradients(rng, far, name):
    x = _scores(rng, (96, 65))
    if far:
        x[7] -= 200.0
    target = gg.tensor(np.arange(96) % 65)
    fns = {"softmax": lambda t: F.softmax(t, dim=-1), "log_softmax": lambda t: F.log_softmax(t, dim=-1),
           "cross_entropy": lambda t: F.cross_entropy(t, target)}
    _assert_close(_both_modes(fns[name], [x]))


def test_a_causal_mask_written_by_hand_keeps_the_first_column_and_the_kernel(rng, fast_mode):
    """nanoGPT's manual attention: masked_fill(-inf) above the diagonal, then softmax: rows of -inf
    except their start, which still bounds each row's maximum; the values are the twin's."""
    x = _scores(rng, (2, 4, 32, 32))
    x[..., np.triu_indices(32, 1)[0], np.triu_indices(32, 1)[1]] = -np.inf
    assert softmax_shift.shift(x, x[..., :1]).shape == (2, 4, 1, 1)
    _assert_close(_both_modes(lambda t: F.softmax(t, dim=-1), [x]))
