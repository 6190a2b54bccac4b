"""The random in-place fills and samplers torch tensors have: uniform_, normal_, bernoulli_ (a
number or a tensor of probabilities), exponential_, geometric_, cauchy_, log_normal_, random_
(torch's bounds for every dtype), Tensor.bernoulli and Tensor.multinomial. Streams differ from
torch's, so each is checked by its support and sample statistics (seeded, many draws) and by
torch's argument errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad as gg

N = 200_000


@pytest.fixture(autouse=True)
def _seed() -> None:
    gg.manual_seed(1234)


def test_continuous_fills_have_their_distributions_moments() -> None:
    x = gg.zeros(N, dtype=gg.float64)
    assert abs(x.exponential_(2.0).mean().item() - 0.5) < 0.01 and x.min().item() >= 0
    x.log_normal_(0.5, 0.25)
    np.testing.assert_allclose(np.log(x.numpy()).mean(), 0.5, atol=0.01)
    np.testing.assert_allclose(np.log(x.numpy()).std(), 0.25, atol=0.01)
    x.cauchy_(3.0, 0.5)
    np.testing.assert_allclose(np.median(x.numpy()), 3.0, atol=0.02)  # the median and the quartiles median +- sigma
    np.testing.assert_allclose(np.percentile(x.numpy(), [25, 75]), [2.5, 3.5], atol=0.03)
    assert abs(x.normal_(-1.0, 3.0).std().item() - 3.0) < 0.05
    x.uniform_(-2.0, 6.0)
    assert -2.0 <= x.min().item() and x.max().item() < 6.0 and abs(x.mean().item() - 2.0) < 0.05


def test_geometric_counts_trials_up_to_the_first_success() -> None:
    x = gg.zeros(N).geometric_(0.25)
    values = x.numpy()
    assert values.min() == 1 and np.all(values == np.round(values))
    assert abs(values.mean() - 4.0) < 0.05  # mean 1 / p
    assert abs((values == 1).mean() - 0.25) < 0.01
    assert gg.zeros(3, dtype=gg.int64).geometric_(0.5).dtype == gg.int64


def test_bernoulli_fill_takes_a_number_or_a_tensor_of_probabilities() -> None:
    assert abs(gg.zeros(N).bernoulli_(0.3).mean().item() - 0.3) < 0.01
    p = gg.tensor([0.0, 1.0, 0.0, 1.0])
    assert gg.empty(4).bernoulli_(p).tolist() == [0.0, 1.0, 0.0, 1.0]
    assert gg.zeros(2, 4, dtype=gg.int64).bernoulli_(p).tolist() == [[0, 1, 0, 1]] * 2


@pytest.mark.parametrize("dtype, ceiling", [(gg.float32, 2**24), (gg.float64, 2**53), (gg.int64, 2**63 - 1),
                                            (gg.int32, 2**31 - 1), (gg.uint8, 255), (gg.int8, 127), (gg.bool, 1)])
def test_random_without_bounds_spans_zero_to_the_dtype_ceiling(dtype, ceiling) -> None:
    x = gg.zeros(20_000, dtype=dtype).random_()
    values = x.numpy().astype(np.float64)
    assert x.dtype == dtype and values.min() >= 0 and values.max() <= ceiling
    assert values.max() > ceiling / 2  # the whole range is used, not a fixed 2^24


def test_random_takes_to_or_from_and_to() -> None:
    assert set(gg.zeros(1000).random_(3).tolist()) == {0.0, 1.0, 2.0}
    assert set(gg.zeros(1000, dtype=gg.int64).random_(-2, 1).tolist()) == {-2, -1, 0}
    assert set(gg.zeros(1000).random_(5, to=7).tolist()) == {5.0, 6.0}
    assert set(gg.zeros(1000).random_(to=2).tolist()) == {0.0, 1.0}


def test_tensor_bernoulli_and_multinomial_sample_from_the_tensor() -> None:
    p = gg.tensor([0.0, 1.0, 0.5])
    draws = np.stack([p.bernoulli().numpy() for _ in range(2000)])
    assert (draws[:, 0] == 0).all() and (draws[:, 1] == 1).all() and abs(draws[:, 2].mean() - 0.5) < 0.05
    assert p.bernoulli(0.0).tolist() == [0.0, 0.0, 0.0]
    weights = gg.tensor([[0.0, 3.0, 1.0], [1.0, 0.0, 0.0]])
    picks = weights.multinomial(2)
    assert picks.dtype == gg.int64 and picks[1, 0].item() == 0 and sorted(picks[0].tolist()) == [1, 2]
    counts = np.bincount(weights[0].multinomial(4000, replacement=True).numpy(), minlength=3)
    assert counts[0] == 0 and abs(counts[1] / 4000 - 0.75) < 0.03


@pytest.mark.parametrize("call, message", [
    (lambda x: x.geometric_(1.5), "p to be in \\(0, 1\\)"),
    (lambda x: x.exponential_(-1.0), "lambda > 0.0"),
    (lambda x: x.log_normal_(1.0, -1.0), "std > 0.0"),
    (lambda x: x.normal_(0.0, -1.0), "std >= 0.0"),
    (lambda x: x.uniform_(2.0, 1.0), "from=2.0 > to=1.0"),
    (lambda x: x.cauchy_(0.0, 0.0), "sigma > 0.0"),
    (lambda x: x.random_(5, 3), "'from' to be less than 'to'"),
    (lambda x: x.bernoulli_(2.0), "p to be in \\[0, 1\\]"),
    (lambda x: x.long().exponential_(), "floating dtype"),
    (lambda x: x.to(gg.uint8).random_(300), "out of bounds for uint8"),
])
def test_fills_refuse_what_torch_refuses(call, message) -> None:
    with pytest.raises(RuntimeError, match=message):
        call(gg.zeros(3))


def test_fills_are_not_recorded_and_refuse_a_leaf_that_requires_grad() -> None:
    w = gg.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        w.cauchy_()
    with gg.no_grad():
        w.log_normal_()
    assert w.grad_fn is None and all(v > 0 for v in w.tolist()) and not math.isnan(w.sum().item())
