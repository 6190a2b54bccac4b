"""glassgrad.random.draw_as: large float32/float16 draws made chunk by chunk are the same bits as one draw."""

import numpy as np
import pytest

import glassgrad as gg
from glassgrad.random import DRAW_CHUNK, draw_as, resolve_rng


@pytest.mark.parametrize("shape", [(3,), (7, DRAW_CHUNK // 7 + 5), (2 * DRAW_CHUNK + 1,), (0,), (4, 0, 3)])
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
def test_chunked_draws_equal_one_whole_draw(shape, dtype):
    def gen():
        return np.random.default_rng(7)

    cases = [
        (draw_as(gen().standard_normal, shape, dtype), gen().standard_normal(shape)),
        (draw_as(gen().standard_normal, shape, dtype, 0.02, 1.5), gen().normal(1.5, 0.02, shape)),
        (draw_as(gen().random, shape, dtype, 0.4, -0.2), gen().uniform(-0.2, 0.2, shape)),
    ]
    for chunked, whole in cases:
        assert chunked.shape == shape and chunked.dtype == dtype
        np.testing.assert_array_equal(chunked, whole.astype(dtype))


def test_randn_rand_and_init_keep_their_seeded_streams():
    """A seed gives the numbers of one float64 draw, cast: the same whatever the dtype."""
    shape = (300, 500)  # more than one chunk
    gg.manual_seed(11)
    a = gg.randn(*shape).numpy()
    b = gg.rand(*shape, dtype=gg.float16).numpy()
    gg.manual_seed(11)
    np.testing.assert_array_equal(gg.randn(*shape, dtype=gg.float64).numpy().astype(np.float32), a)
    np.testing.assert_array_equal(gg.rand(*shape, dtype=gg.float64).numpy().astype(np.float16), b)
    w = gg.empty(*shape)
    gg.nn.init.normal_(w, mean=0.5, std=0.02, generator=np.random.default_rng(3))
    np.testing.assert_array_equal(w.numpy(), np.random.default_rng(3).normal(0.5, 0.02, shape).astype(np.float32))
    gg.nn.init.uniform_(w, -0.3, 0.1, generator=np.random.default_rng(4))
    np.testing.assert_array_equal(w.numpy(), np.random.default_rng(4).uniform(-0.3, 0.1, shape).astype(np.float32))


@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
def test_tensor_normal_and_uniform_fill_are_numpys_whole_draws(dtype):
    """Tensor.normal_/uniform_ draw a chunk at a time (float32, float16) and give NumPy's bits."""
    shape = (300, 700)  # more than one chunk
    gg.manual_seed(11)
    filled = gg.empty(shape, dtype=getattr(gg, dtype)).normal_(0.5, 2.0)
    gg.manual_seed(11)
    expected = resolve_rng(None).normal(0.5, 2.0, shape).astype(dtype)
    np.testing.assert_array_equal(filled.numpy(), expected)
    gg.manual_seed(11)
    filled = gg.empty(shape, dtype=getattr(gg, dtype)).uniform_(-1.0, 3.0)
    gg.manual_seed(11)
    expected = resolve_rng(None).uniform(-1.0, 3.0, shape).astype(dtype)
    np.testing.assert_array_equal(filled.numpy(), expected)
