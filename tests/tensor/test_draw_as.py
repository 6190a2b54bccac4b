"""glassgrad.random.draw_as: large float32/float16 draws made chunk by chunk; normals by Box–Muller."""

import math

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import box_muller
from glassgrad.random import DRAW_CHUNK, draw_as, resolve_rng

SHAPES = [(3,), (7, DRAW_CHUNK // 7 + 5), (2 * DRAW_CHUNK + 1,), (0,), (4, 0, 3)]


def _large(shape: tuple[int, ...]) -> bool:
    return math.prod(shape) > DRAW_CHUNK


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
def test_chunked_uniform_draws_equal_one_whole_draw(shape, dtype):
    def gen():
        return np.random.default_rng(7)

    chunked, whole = draw_as(gen().random, shape, dtype, 0.4, -0.2), gen().uniform(-0.2, 0.2, shape)
    assert chunked.shape == shape and chunked.dtype == dtype
    np.testing.assert_array_equal(chunked, whole.astype(dtype))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64])
def test_normal_draws_are_numpys_except_large_float32_and_float16_ones(shape, dtype):
    """Small draws and float64 ones are NumPy's standard_normal, cast; large float32/float16 ones
    are Box–Muller's, the float16 ones the float32 values rounded."""
    def gen():
        return np.random.default_rng(7)

    for scale, shift in ((1.0, 0.0), (0.02, 1.5)):
        drawn = draw_as(gen().standard_normal, shape, dtype, scale, shift)
        assert drawn.shape == shape and drawn.dtype == dtype
        if _large(shape) and dtype != np.float64:
            expected = np.empty(math.prod(shape), np.float32)
            box_muller.fill_normal(gen(), expected, scale, shift)
        else:
            expected = gen().normal(shift, scale, shape)
        np.testing.assert_array_equal(drawn, expected.reshape(shape).astype(dtype))


def test_box_muller_first_chunk_is_the_transform_of_its_uniforms():
    """z1 = sqrt(-2 ln(1 - u1)) cos(2 pi u2), z2 = the same with sin: the k cosines, then the k sines."""
    n = box_muller.CHUNK
    drawn = np.empty(n + 10, np.float32)
    box_muller.fill_normal(np.random.default_rng(5), drawn)
    u = np.random.default_rng(5).random(n, dtype=np.float32).astype(np.float64)
    radius = np.sqrt(-2.0 * np.log(1.0 - u[:n // 2]))
    theta = 2.0 * np.pi * u[n // 2:]
    np.testing.assert_allclose(drawn[:n // 2], radius * np.cos(theta), rtol=2e-5, atol=2e-5)
    np.testing.assert_allclose(drawn[n // 2:n], radius * np.sin(theta), rtol=2e-5, atol=2e-5)


def test_box_muller_values_are_standard_normal():
    """Moments, tails and the Kolmogorov–Smirnov distance of a million values (seeded: no flakiness),
    and no correlation between a chunk's cosine half and its sine half."""
    values = np.empty(1_000_000, np.float32)
    box_muller.fill_normal(np.random.default_rng(0), values)
    z = values.astype(np.float64)
    assert abs(z.mean()) < 5e-3 and abs(z.std() - 1.0) < 5e-3
    assert abs((z ** 3).mean()) < 2e-2 and abs((z ** 4).mean() - 3.0) < 3e-2
    assert np.abs(z).max() <= math.sqrt(2 * 24 * math.log(2)) + 1e-4  # float32 uniforms: |z| <= 5.77
    assert abs((np.abs(z) > 3).mean() - 0.0026998) < 4e-4  # P(|Z| > 3)
    ordered = np.sort(z[:200_000])
    normal_cdf = 0.5 * (1.0 + np.vectorize(math.erf)(ordered / math.sqrt(2.0)))
    ks = np.max(np.abs(normal_cdf - np.arange(1, ordered.size + 1) / ordered.size))
    assert ks < 1.63 / math.sqrt(ordered.size)  # the 1% critical value
    half = box_muller.CHUNK // 2
    assert abs(np.corrcoef(z[:half], z[half:2 * half])[0, 1]) < 0.02


def test_randn_rand_and_init_keep_their_seeded_streams():
    """A seed gives the same numbers again; rand is one float64 draw cast, whatever the dtype; a large
    float32 randn is Box–Muller's, float16 the same values rounded."""
    shape = (300, 500)  # more than one chunk
    gg.manual_seed(11)
    a = gg.randn(*shape).numpy()
    b = gg.rand(*shape, dtype=gg.float16).numpy()
    gg.manual_seed(11)
    np.testing.assert_array_equal(gg.randn(*shape).numpy(), a)
    np.testing.assert_array_equal(gg.rand(*shape, dtype=gg.float64).numpy().astype(np.float16), b)
    gg.manual_seed(11)
    np.testing.assert_array_equal(gg.randn(*shape, dtype=gg.float16).numpy(), a.astype(np.float16))
    w = gg.empty(*shape)
    gg.nn.init.normal_(w, mean=0.5, std=0.02, generator=np.random.default_rng(3))
    expected = np.empty(math.prod(shape), np.float32)
    box_muller.fill_normal(np.random.default_rng(3), expected, 0.02, 0.5)
    np.testing.assert_array_equal(w.numpy(), expected.reshape(shape))
    gg.nn.init.uniform_(w, -0.3, 0.1, generator=np.random.default_rng(4))
    np.testing.assert_array_equal(w.numpy(), np.random.default_rng(4).uniform(-0.3, 0.1, shape).astype(np.float32))
    small = gg.empty(30, 40)
    gg.nn.init.normal_(small, mean=0.5, std=0.02, generator=np.random.default_rng(3))  # small: NumPy's normal
    expected = np.random.default_rng(3).normal(0.5, 0.02, (30, 40)).astype(np.float32)
    np.testing.assert_array_equal(small.numpy(), expected)


@pytest.mark.parametrize("dtype", ["float32", "float16", "float64"])
def test_tensor_normal_and_uniform_fill_the_tensor_as_draw_as_does(dtype):
    shape = (300, 700)  # more than one chunk
    gg.manual_seed(11)
    filled = gg.empty(shape, dtype=getattr(gg, dtype)).normal_(0.5, 2.0)
    gg.manual_seed(11)
    expected = draw_as(resolve_rng(None).standard_normal, shape, np.dtype(dtype), 2.0, 0.5)
    np.testing.assert_array_equal(filled.numpy(), expected)
    if dtype == "float64":
        gg.manual_seed(11)
        np.testing.assert_array_equal(filled.numpy(), resolve_rng(None).normal(0.5, 2.0, shape))
    gg.manual_seed(11)
    filled = gg.empty(shape, dtype=getattr(gg, dtype)).uniform_(-1.0, 3.0)
    gg.manual_seed(11)
    expected = resolve_rng(None).uniform(-1.0, 3.0, shape).astype(dtype)
    np.testing.assert_array_equal(filled.numpy(), expected)
