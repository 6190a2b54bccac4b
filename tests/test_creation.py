"""Creation functions against torch (dtype inference, shapes, ``_like`` forms, ranges)
and the random ones (seeds reproduce, generators, statistics of the samplers)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg


@pytest.fixture(autouse=True)
def _keep_the_default_generator():
    """These tests re-seed the default generator; leave it as they found it for the tests after them."""
    seed, state = gg.initial_seed(), gg.get_rng_state()
    yield
    gg.manual_seed(seed)
    gg.set_rng_state(state)


# ----- tensor, as_tensor, from_numpy -----------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [3, 2.5, True, [1, 2, 3], [1.0, 2], [True, False], [True, 2], [[1, 2], [3, 4]], [[1.5], [2.0]], [], 7.0],
    ids=repr,
)
def test_tensor_infers_dtype_as_torch(data, torch) -> None:
    got, expected = gg.tensor(data), torch.tensor(data)
    assert str(got.dtype) == str(expected.dtype).removeprefix("torch.")
    assert got.shape == tuple(expected.shape)
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_tensor_of_a_list_of_tensors_takes_their_dtype(torch) -> None:
    parts = [gg.tensor(1.5, dtype=gg.float64), gg.tensor(2.0, dtype=gg.float64)]
    out = gg.tensor(parts)
    assert out.dtype == gg.float64 and out.tolist() == [1.5, 2.0]
    assert gg.tensor([gg.tensor(1), gg.tensor(2)]).dtype == gg.int64
    assert gg.tensor([gg.ones(2), gg.zeros(2)]).shape == (2, 2)
    # mixed with numbers: torch's promotion by category (a float wins, at its own width)
    assert gg.tensor([gg.tensor(1.5), 2.0]).dtype == gg.float32
    assert gg.tensor([gg.tensor(1), 2.5]).dtype == gg.float32
    assert gg.tensor([gg.tensor(1), 2]).dtype == gg.int64
    assert gg.tensor([np.array([1.0, 2.0])]).dtype == gg.float64


def test_tensor_copies_and_as_tensor_shares() -> None:
    array = np.zeros(3, dtype=np.float32)
    copied, shared = gg.tensor(array), gg.as_tensor(array)
    array[0] = 5
    assert copied[0].item() == 0 and shared[0].item() == 5
    t = gg.ones(2)
    assert gg.as_tensor(t) is t
    assert gg.as_tensor(t, dtype=gg.float64).dtype == gg.float64
    assert gg.tensor(t).array is not t.array


def test_tensor_keywords() -> None:
    t = gg.tensor([1.0, 2.0], dtype=gg.float64, device="cpu", requires_grad=True)
    assert t.dtype == gg.float64 and t.requires_grad and t.is_leaf and t.device == gg.device("cpu")
    with pytest.raises(RuntimeError, match="floating point"):
        gg.tensor([1, 2], requires_grad=True)


def test_from_numpy_shares_memory_and_keeps_dtype() -> None:
    array = np.arange(4, dtype=np.int32)
    t = gg.from_numpy(array)
    assert t.dtype == gg.int32
    array[1] = 10
    assert t[1].item() == 10
    t.array[2] = 7
    assert array[2] == 7
    assert gg.from_numpy(np.ones(2)).dtype == gg.float64
    with pytest.raises(TypeError, match="from_numpy: expected np.ndarray"):
        gg.from_numpy([1, 2])
    with pytest.raises(TypeError, match="from_numpy: can't convert"):
        gg.from_numpy(np.array(["a"]))
    assert gg.from_numpy(np.ones(2, dtype=np.complex64)).dtype == gg.complex64


# ----- filled ----------------------------------------------------------------------------------
@pytest.mark.parametrize("factory", ["zeros", "ones", "empty"])
def test_size_forms(factory) -> None:
    make = getattr(gg, factory)
    for args, kwargs in [((2, 3), {}), (((2, 3),), {}), (([2, 3],), {}), ((gg.Size((2, 3)),), {}),
                         ((), {"size": (2, 3)}), ((gg.ones(2, 3).shape,), {})]:
        t = make(*args, **kwargs)
        assert t.shape == (2, 3) and t.dtype == gg.float32
    assert make(()).shape == () and make(0).shape == (0,)
    assert make(2, dtype=gg.int64).dtype == gg.int64
    with pytest.raises(RuntimeError, match=f"{factory}: .*negative dimension"):
        make(2, -1)
    with pytest.raises(TypeError, match="unexpected keyword argument 'requires_grads'"):
        make(2, requires_grads=True)
    assert make(2, layout=None, pin_memory=False).shape == (2,)  # torch's keywords, accepted
    assert make(2, requires_grad=True).requires_grad


def test_zeros_and_ones_values(torch) -> None:
    np.testing.assert_array_equal(gg.zeros(2, 3).numpy(), torch.zeros(2, 3).numpy())
    np.testing.assert_array_equal(gg.ones(2, 3).numpy(), torch.ones(2, 3).numpy())


@pytest.mark.parametrize("fill", [True, 3, 2.5, -1])
def test_full_infers_dtype_from_the_fill_value(fill, torch) -> None:
    got, expected = gg.full((2, 2), fill), torch.full((2, 2), fill)
    assert str(got.dtype) == str(expected.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(got.numpy(), expected.numpy())
    assert gg.full(3, fill, dtype=gg.float64).dtype == gg.float64
    assert gg.full([2], gg.tensor(1.5)).tolist() == [1.5, 1.5]


def test_like_forms_copy_shape_dtype_and_device() -> None:
    x = gg.ones(2, 3, dtype=gg.float64)
    for make in (gg.zeros_like, gg.ones_like, gg.empty_like, gg.rand_like, gg.randn_like):
        y = make(x)
        assert y.shape == (2, 3) and y.dtype == gg.float64 and y.device == x.device and not y.requires_grad
        assert make(x, dtype=gg.float32).dtype == gg.float32
        assert make(x, requires_grad=True).requires_grad
    assert gg.full_like(x, 7).tolist() == [[7.0] * 3] * 2
    ints = gg.randint_like(gg.zeros(4, 5, dtype=gg.int64), 3)
    assert ints.dtype == gg.int64 and ints.shape == (4, 5) and 0 <= ints.min().item() and ints.max().item() < 3
    low_high = gg.randint_like(gg.zeros(100), 5, 8)
    assert low_high.dtype == gg.float32 and set(low_high.tolist()) <= {5.0, 6.0, 7.0}
    assert gg.zeros_like(gg.tensor([1, 2])).dtype == gg.int64
    with pytest.raises(TypeError, match="rand_like: expected a floating tensor"):
        gg.rand_like(gg.tensor([1, 2]))
    with pytest.raises(TypeError, match="zeros_like: expected a Tensor"):
        gg.zeros_like([1, 2])


def test_eye(torch) -> None:
    np.testing.assert_array_equal(gg.eye(3).numpy(), torch.eye(3).numpy())
    np.testing.assert_array_equal(gg.eye(2, 4).numpy(), torch.eye(2, 4).numpy())
    assert gg.eye(2, dtype=gg.int64).dtype == gg.int64


# ----- ranges ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "args", [(5,), (2, 7), (1, 10, 3), (0, 1, 0.3), (5.0,), (-1, 1, 0.25), (10, 0, -3), (0.5, 2.5), (3, 3)], ids=repr
)
def test_arange_matches_torch(args, torch) -> None:
    got, expected = gg.arange(*args), torch.arange(*args)
    assert str(got.dtype) == str(expected.dtype).removeprefix("torch.")
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)


def test_arange_keywords_and_errors(torch) -> None:
    assert gg.arange(start=1, end=4, step=1).tolist() == [1, 2, 3]
    assert gg.arange(4, dtype=gg.float64).dtype == gg.float64
    assert gg.arange(gg.tensor(3)).tolist() == [0, 1, 2]
    with pytest.raises(RuntimeError, match="arange: step must be nonzero"):
        gg.arange(0, 5, 0)
    with pytest.raises(RuntimeError, match="arange: upper bound and lower bound inconsistent with step sign"):
        gg.arange(0, 5, -1)


@pytest.mark.parametrize("args", [(0, 10, 5), (-1.0, 1.0, 7), (2, 2, 1), (0, 1, 0), (3, -3, 4)], ids=repr)
def test_linspace_and_logspace_match_torch(args, torch) -> None:
    for name in ("linspace", "logspace"):
        got, expected = getattr(gg, name)(*args), getattr(torch, name)(*args)
        assert got.dtype == gg.float32 and got.shape == tuple(expected.shape)
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gg.logspace(0, 3, 4, base=2).numpy(), [1, 2, 4, 8])
    with pytest.raises(RuntimeError, match="linspace: number of steps"):
        gg.linspace(0, 1, -1)


# ----- random: seeds and generators -------------------------------------------------------------
def test_manual_seed_reproduces_every_sampler() -> None:
    def draw_all() -> list[np.ndarray]:
        return [gg.rand(3).numpy(), gg.randn(2, 2).numpy(), gg.randint(0, 10, (4,)).numpy(), gg.randperm(5).numpy(),
                gg.normal(0.0, 1.0, (3,)).numpy(), gg.multinomial(gg.ones(6), 3).numpy(),
                gg.bernoulli(gg.full((4,), 0.5)).numpy(), gg.poisson(gg.full((3,), 2.0)).numpy()]

    gg.manual_seed(123)
    first = draw_all()
    gg.manual_seed(123)
    second = draw_all()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert gg.initial_seed() == 123


def test_generator_objects() -> None:
    g = gg.Generator().manual_seed(7)
    assert isinstance(g, gg.Generator) and g.initial_seed() == 7
    a = gg.randn(4, generator=g)
    b = gg.randn(4, generator=gg.Generator().manual_seed(7))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    state = g.get_state()
    c = gg.rand(3, generator=g)
    g.set_state(state)
    np.testing.assert_array_equal(gg.rand(3, generator=g).numpy(), c.numpy())
    # the default generator is untouched by draws from another
    gg.manual_seed(0)
    expected = gg.rand(2).numpy()
    gg.manual_seed(0)
    gg.rand(5, generator=g)
    np.testing.assert_array_equal(gg.rand(2).numpy(), expected)


def test_rng_alias_and_numpy_generators() -> None:
    a = gg.randn(3, rng=np.random.default_rng(5))
    b = gg.randn(3, generator=np.random.default_rng(5))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(TypeError, match="randn: got generator= and its alias rng="):
        gg.randn(3, generator=gg.Generator(), rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="expected a glassgrad.Generator"):
        gg.rand(2, generator=42)


def test_in_place_fills_accept_a_generator() -> None:
    a = gg.zeros(5).normal_(generator=gg.Generator().manual_seed(3))
    b = gg.zeros(5).normal_(generator=gg.Generator().manual_seed(3))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    c = gg.zeros(5).uniform_(-1, 1, generator=gg.Generator().manual_seed(3))
    assert ((c.numpy() >= -1) & (c.numpy() < 1)).all()


def test_seed_fork_rng_and_state() -> None:
    chosen = gg.seed()
    assert gg.initial_seed() == chosen
    gg.manual_seed(1)
    state = gg.get_rng_state()
    with gg.random.fork_rng():
        gg.rand(10)
    after_fork = gg.rand(2).numpy()
    gg.set_rng_state(state)
    np.testing.assert_array_equal(gg.rand(2).numpy(), after_fork)


# ----- random: shapes, dtypes, statistics --------------------------------------------------------
def test_rand_and_randn_shapes_dtypes_and_statistics() -> None:
    gg.manual_seed(0)
    u = gg.rand(20000)
    assert u.dtype == gg.float32 and 0 <= u.min().item() and u.max().item() < 1
    assert abs(u.mean().item() - 0.5) < 0.01
    z = gg.randn(100, 200, dtype=gg.float64)
    assert z.dtype == gg.float64 and z.shape == (100, 200)
    assert abs(z.mean().item()) < 0.02 and abs(z.std().item() - 1) < 0.02
    assert gg.rand(2, 3, requires_grad=True).requires_grad
    with pytest.raises(TypeError, match="rand: expected a floating dtype"):
        gg.rand(2, dtype=gg.int64)


def test_randint_forms(torch) -> None:
    for args in [(5, (3, 4)), (2, 5, (1000,))]:
        got, expected = gg.randint(*args), torch.randint(*args)
        assert got.shape == tuple(expected.shape) and got.dtype == gg.int64
    values = gg.randint(2, 5, (1000,)).numpy()
    assert set(values.tolist()) == {2, 3, 4}
    assert gg.randint(3, size=(2,)).shape == (2,)
    assert gg.randint(low=1, high=3, size=(2,)).min().item() >= 1
    assert gg.randint(3, (2,), dtype=gg.float32).dtype == gg.float32
    with pytest.raises(RuntimeError, match="randint: expects 'low' to be less than 'high'"):
        gg.randint(5, 5, (2,))


def test_randperm_is_a_permutation() -> None:
    p = gg.randperm(50)
    assert p.dtype == gg.int64 and sorted(p.tolist()) == list(range(50))
    assert gg.randperm(0).shape == (0,)


def test_normal_forms_and_statistics() -> None:
    gg.manual_seed(2)
    assert gg.normal(2.0, 3.0, (2, 3)).shape == (2, 3)
    mean = gg.tensor([0.0, 10.0, -5.0], dtype=gg.float64)
    samples = gg.normal(mean.expand(4000, 3), 0.5)
    assert samples.dtype == gg.float64 and samples.shape == (4000, 3)
    np.testing.assert_allclose(samples.mean(0).numpy(), mean.numpy(), atol=0.05)
    np.testing.assert_allclose(samples.std(0).numpy(), [0.5] * 3, atol=0.03)
    scaled = gg.normal(1.0, gg.tensor([0.1, 2.0]).expand(4000, 2))
    np.testing.assert_allclose(scaled.std(0).numpy(), [0.1, 2.0], rtol=0.05)
    both = gg.normal(gg.zeros(3, 1), gg.ones(4))
    assert both.shape == (3, 4)
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0"):
        gg.normal(0.0, -1.0, (2,))
    with pytest.raises(TypeError, match="normal: with a number mean and std, give the size"):
        gg.normal(0.0, 1.0)


def test_multinomial_without_replacement_never_repeats() -> None:
    gg.manual_seed(3)
    weights = gg.tensor([[1.0, 5.0, 0.5, 2.0, 3.0, 0.1], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]])
    for _ in range(200):
        draws = gg.multinomial(weights, 6)
        assert draws.dtype == gg.int64 and draws.shape == (2, 6)
        for row in draws.tolist():
            assert sorted(row) == list(range(6))
    # zero weights come after every positive one
    for _ in range(50):
        assert gg.multinomial(gg.tensor([0.0, 3.0, 0.0, 1.0]), 2).tolist() in ([1, 3], [3, 1])


def test_multinomial_frequencies_follow_the_weights() -> None:
    gg.manual_seed(4)
    weights = np.array([1.0, 0.0, 3.0, 6.0])
    draws = gg.multinomial(gg.tensor(weights), 20000, replacement=True).numpy()
    freq = np.bincount(draws, minlength=4) / draws.size
    np.testing.assert_allclose(freq, weights / weights.sum(), atol=0.015)
    assert freq[1] == 0
    # without replacement, the first pick follows the weights too
    firsts = np.array([gg.multinomial(gg.tensor(weights), 2)[0].item() for _ in range(3000)])
    np.testing.assert_allclose(np.bincount(firsts, minlength=4) / firsts.size, weights / weights.sum(), atol=0.03)


def test_multinomial_errors() -> None:
    with pytest.raises(RuntimeError, match="cannot sample n_sample"):
        gg.multinomial(gg.ones(3), 4)
    with pytest.raises(RuntimeError, match="probability tensor contains either `inf`, `nan` or element < 0"):
        gg.multinomial(gg.tensor([1.0, -1.0]), 1)
    with pytest.raises(RuntimeError, match="sum of probabilities <= 0"):
        gg.multinomial(gg.zeros(3), 1)
    with pytest.raises(RuntimeError, match="prob_dist must be 1 or 2 dim"):
        gg.multinomial(gg.ones(2, 2, 2), 1)


def test_bernoulli_and_poisson_statistics() -> None:
    gg.manual_seed(5)
    p = gg.tensor([0.0, 0.2, 0.9, 1.0], dtype=gg.float64).expand(5000, 4)
    draws = gg.bernoulli(p)
    assert draws.dtype == gg.float64 and set(np.unique(draws.numpy())) <= {0.0, 1.0}
    np.testing.assert_allclose(draws.mean(0).numpy(), [0.0, 0.2, 0.9, 1.0], atol=0.02)
    assert abs(gg.bernoulli(gg.zeros(5000), 0.3).mean().item() - 0.3) < 0.02
    with pytest.raises(RuntimeError, match="bernoulli: expected all probabilities in"):
        gg.bernoulli(gg.tensor([1.5]))
    counts = gg.poisson(gg.full((20000,), 3.0))
    assert counts.dtype == gg.float32 and abs(counts.mean().item() - 3.0) < 0.05
    with pytest.raises(RuntimeError, match="poisson: expected finite rates >= 0"):
        gg.poisson(gg.tensor([-1.0]))
