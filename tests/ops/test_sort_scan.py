"""Sorting (sort, argsort, msort, topk, kthvalue, median, mode) and scans (cumsum,
cumprod, cummax, cummin, logcumsumexp): torch's results, index rules and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor, gradcheck
from tests.helpers.oracle import compare_with_torch

# ties and repeated values: stable order is the rule checked here
REPEATS = np.array([[3.0, 1.0, 3.0, 2.0, 1.0, 3.0], [0.5, -1.0, 0.5, 0.5, 2.0, -1.0]])


def test_sort_is_stable_both_ways_and_returns_a_named_tuple(torch) -> None:
    for descending in (False, True):
        result = gg.sort(Tensor(REPEATS), dim=1, descending=descending, stable=True)
        expected = torch.sort(torch.tensor(REPEATS), dim=1, descending=descending, stable=True)
        assert isinstance(result, gg.return_types.sort)
        np.testing.assert_array_equal(result.values.numpy(), expected.values.numpy())
        np.testing.assert_array_equal(result.indices.numpy(), expected.indices.numpy())
        order = Tensor(REPEATS).argsort(dim=1, descending=descending)
        np.testing.assert_array_equal(order.numpy(), expected.indices.numpy())


def test_sort_gradient_goes_back_to_the_source_positions(torch) -> None:
    x = np.array([[0.3, -1.2, 2.5, 0.1], [1.0, 0.2, -0.4, 3.3]])
    compare_with_torch(lambda a: a.sort(0, True), lambda a: a.sort(0, True), [x], torch)
    compare_with_torch(lambda a: gg.msort(a), lambda a: torch.msort(a), [x], torch)
    out = Tensor(x, requires_grad=True)
    values, indices = out.sort()
    values.backward(np.arange(8.0).reshape(2, 4))
    expected = np.zeros((2, 4))
    np.put_along_axis(expected, indices.numpy(), np.arange(8.0).reshape(2, 4), axis=1)
    np.testing.assert_array_equal(out.grad.numpy(), expected)


def test_topk_and_kthvalue(torch) -> None:
    x = np.array([[0.3, -1.2, 2.5, 0.1, 0.9], [1.0, 0.2, -0.4, 3.3, -2.0]])
    compare_with_torch(lambda a: a.topk(3), lambda a: a.topk(3), [x], torch)
    compare_with_torch(lambda a: gg.topk(a, 2, dim=0, largest=False), lambda a: torch.topk(a, 2, dim=0, largest=False),
                       [x], torch)
    compare_with_torch(lambda a: a.kthvalue(2, 1, True), lambda a: a.kthvalue(2, 1, True), [x], torch)
    compare_with_torch(lambda a: gg.kthvalue(a, 1, 0), lambda a: torch.kthvalue(a, 1, 0), [x], torch)
    values, indices = Tensor(x).topk(0)
    assert values.shape == indices.shape == (2, 0)
    assert isinstance(Tensor(x).topk(1), gg.return_types.topk)
    assert isinstance(Tensor(x).kthvalue(1), gg.return_types.kthvalue)


def test_median_and_mode(torch) -> None:
    x = np.array([[1.0, 4.0, 2.0, 3.0], [5.0, 5.0, -1.0, 0.0]])
    compare_with_torch(lambda a: a.median(), lambda a: a.median(), [x], torch)  # the lower middle value
    compare_with_torch(lambda a: a.median(1), lambda a: a.median(1), [x], torch)
    compare_with_torch(lambda a: a.median(0, keepdim=True), lambda a: a.median(0, keepdim=True), [x], torch)
    compare_with_torch(lambda a: a.mode(1), lambda a: a.mode(1), [x], torch)
    compare_with_torch(lambda a: gg.mode(a, 0, True), lambda a: torch.mode(a, 0, True), [x], torch)


def test_cumsum_dtypes_follow_torch() -> None:
    assert gg.tensor([1, 2, 3], dtype=gg.int32).cumsum(0).dtype == gg.int64
    assert gg.tensor([True, True]).cumsum(0).tolist() == [1, 2]
    assert gg.tensor([1, 2]).cumsum(0, dtype=gg.float64).dtype == gg.float64
    assert gg.cumprod(gg.tensor([[1, 2], [3, 4]]), dim=1).tolist() == [[1, 2], [3, 12]]


def test_cummax_and_cummin_pick_the_last_tied_index(torch) -> None:
    for name in ("cummax", "cummin"):
        result = getattr(gg, name)(Tensor(REPEATS), 1)
        expected = getattr(torch, name)(torch.tensor(REPEATS), 1)
        assert type(result).__name__ == name and result.values is result[0]
        np.testing.assert_array_equal(result.indices.numpy(), expected.indices.numpy())
        compare_with_torch(lambda a, n=name: getattr(a, n)(1), lambda a, n=name: getattr(a, n)(1), [REPEATS], torch)


def test_scans_gradcheck_on_several_dims() -> None:
    x = np.random.default_rng(0).uniform(0.5, 1.5, (2, 3, 4)) * np.array([1, -1, 1, -1])
    for dim in (0, 1, -1):
        for fn in (gg.cumsum, gg.cumprod, gg.logcumsumexp):
            assert gradcheck(lambda a, fn=fn, dim=dim: fn(a, dim), [Tensor(x, requires_grad=True)])


def test_logcumsumexp_is_stable_for_large_values(torch) -> None:
    x = np.array([[1000.0, 1001.0, -1000.0, 999.0], [-1e4, -1e4, 0.0, 5.0]])
    outs, grads = compare_with_torch(lambda a: a.logcumsumexp(1), lambda a: a.logcumsumexp(1), [x], torch)
    assert np.isfinite(outs[0]).all() and np.isfinite(grads[0]).all()


def test_sort_and_scan_errors_name_the_op() -> None:
    x = gg.ones(2, 3)
    with pytest.raises(IndexError, match="sort: Dimension out of range"):
        x.sort(2)
    with pytest.raises(IndexError, match="cummax: Dimension out of range"):
        x.cummax(-3)
    with pytest.raises(TypeError, match="cumsum: dim must be an int"):
        x.cumsum(None)
    with pytest.raises(RuntimeError, match="kthvalue.*k=4"):
        x.kthvalue(4)
