"""Reductions and comparisons with torch's signatures and conventions: named tuples,
ties, zeros in prod, NaN and no-degrees-of-freedom rules, 0-d tensors, and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import Tensor, gradcheck
from tests.helpers.oracle import compare_with_torch

TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])


# ----- named tuples ---------------------------------------------------------------------------------
def test_max_with_dim_is_a_named_tuple() -> None:
    x = gg.tensor([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    result = x.max(dim=1)
    values, indices = result
    assert isinstance(result, gg.return_types.max) and isinstance(result, tuple)
    assert result.values is values and result[1] is indices
    assert values.tolist() == [5.0, 7.0] and indices.tolist() == [1, 0] and indices.dtype == gg.int64
    assert "return_types.max(" in repr(result) and "values=" in repr(result)
    assert x.min(0, keepdim=True).indices.shape == (1, 3)
    low, high = gg.aminmax(x)
    assert (low.item(), high.item()) == (0.0, 7.0)
    assert gg.aminmax(x, dim=0).max.tolist() == [7.0, 5.0, 3.0]


def test_max_with_a_tensor_is_maximum() -> None:
    a, b = gg.tensor([1.0, 5.0]), gg.tensor([3.0, 2.0])
    assert gg.max(a, b).tolist() == [3.0, 5.0] and a.min(b).tolist() == [1.0, 2.0]


# ----- ties: torch's two conventions -----------------------------------------------------------------
def test_ties_follow_torch(torch) -> None:
    compare_with_torch(lambda a: a.max(), lambda a: a.max(), [TIES], torch)  # shared evenly
    compare_with_torch(lambda a: gg.min(a), lambda a: torch.min(a), [TIES], torch)
    compare_with_torch(lambda a: a.max(1), lambda a: a.max(1), [TIES], torch)  # all to the first index
    compare_with_torch(lambda a: a.min(0, True), lambda a: a.min(0, True), [TIES], torch)
    compare_with_torch(lambda a: a.amax((0, 1)), lambda a: a.amax((0, 1)), [TIES], torch)
    compare_with_torch(lambda a: a.median(), lambda a: a.median(), [TIES], torch)
    compare_with_torch(lambda a: a.cummax(1), lambda a: a.cummax(1), [TIES], torch)  # the last index
    compare_with_torch(lambda a: a.cummin(1), lambda a: a.cummin(1), [TIES], torch)
    compare_with_torch(lambda a: a.sort(dim=1, stable=True), lambda a: a.sort(dim=1, stable=True), [TIES], torch)
    compare_with_torch(lambda a: a.sort(dim=1, descending=True, stable=True),
                       lambda a: a.sort(dim=1, descending=True, stable=True), [TIES], torch)
    compare_with_torch(lambda a: a.mode(1), lambda a: a.mode(1), [np.array([[2.0, 2.0, 1.0, 1.0, 3.0]])], torch)
    compare_with_torch(lambda a: a.norm(math.inf), lambda a: a.norm(math.inf), [np.array([1.0, -3.0, 3.0])], torch)
    x = Tensor(TIES)
    assert x.argmax(1).tolist() == [1, 0] and x.argmax().item() == 1 and x.argmax(keepdim=True).shape == (1, 1)


def test_nan_is_the_largest_in_sorts_and_extremes(torch) -> None:
    x = np.array([3.0, np.nan, 1.0, 2.0, np.nan])
    for fn in (lambda a: a.sort(), lambda a: a.sort(descending=True), lambda a: a.max(0), lambda a: a.median(0),
               lambda a: a.cummax(0), lambda a: a.cummin(0), lambda a: a.topk(2)):
        outs = [o.numpy() for o in fn(Tensor(x))]
        expected = [o.numpy() for o in fn(torch.tensor(x))]
        for got, want in zip(outs, expected):
            np.testing.assert_array_equal(got, want)
    assert math.isnan(Tensor(x).max().item()) and math.isnan(Tensor(x).median().item())


# ----- zeros in prod and cumprod ------------------------------------------------------------------
@pytest.mark.parametrize("x", [
    np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 3.0], [0.0, 5.0, -1.0]]),
    np.array([[0.0, 1.5, -2.0, 0.5], [1.5, -2.0, 0.5, 0.0], [0.0, 0.0, 0.0, 0.0]]),
], ids=["zeros-inside", "zeros-at-the-ends"])
def test_prod_and_cumprod_with_zeros_match_torch(x: np.ndarray, torch) -> None:
    compare_with_torch(lambda a: a.prod(1), lambda a: a.prod(1), [x], torch)
    compare_with_torch(lambda a: a.prod(0, keepdim=True), lambda a: a.prod(0, keepdim=True), [x], torch)
    compare_with_torch(lambda a: a.prod(), lambda a: a.prod(), [x[:1]], torch)
    compare_with_torch(lambda a: a.cumprod(1), lambda a: a.cumprod(1), [x], torch)
    compare_with_torch(lambda a: a.cumprod(0), lambda a: a.cumprod(0), [x], torch)
    assert gradcheck(lambda a: a.cumprod(1), [Tensor(x, requires_grad=True)])
    assert gradcheck(lambda a: a.prod(1), [Tensor(x, requires_grad=True)])


# ----- NaN, inf and degrees of freedom ---------------------------------------------------------------
def test_var_without_degrees_of_freedom_is_nan_with_a_warning(torch) -> None:
    x = Tensor([1.5], requires_grad=True)
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        v = x.var()
    assert math.isnan(v.item())
    with pytest.warns(UserWarning, match="std.*degrees of freedom is <= 0"):
        s = x.std()
    s.backward()
    assert math.isnan(x.grad.item())  # torch: nan
    with pytest.warns(UserWarning, match="degrees of freedom"):
        assert math.isinf(gg.var(gg.tensor([1.0, 2.0]), correction=2).item())  # 0.5 / 0, as torch
    with pytest.warns(UserWarning, match="degrees of freedom"):
        assert math.isnan(gg.tensor(3.0).var().item())


def test_std_of_a_constant_has_gradient_zero(torch) -> None:
    compare_with_torch(lambda a: a.std(), lambda a: a.std(), [np.full(4, 2.0)], torch)
    compare_with_torch(lambda a: a.norm(), lambda a: a.norm(), [np.zeros(3)], torch)
    for p in (1, 3, 0.5, math.inf, -math.inf):
        compare_with_torch(lambda a, p=p: a.norm(p), lambda a, p=p: a.norm(p), [np.array([0.0, 0.0])], torch)
    compare_with_torch(lambda a: a.norm(0.5), lambda a: a.norm(0.5), [np.array([0.0, 1.0, -2.0])], torch)
    compare_with_torch(lambda a: a.norm(0), lambda a: a.norm(0), [np.array([0.0, 1.0, -2.0])], torch)


def test_logsumexp_with_infinities_matches_torch(torch) -> None:
    x = np.array([[-np.inf, -np.inf, -np.inf], [0.0, -np.inf, 1.0], [1000.0, 1000.0, -1000.0]])
    compare_with_torch(lambda a: a.logsumexp(1), lambda a: a.logsumexp(1), [x], torch)  # the -inf row: nan grad
    compare_with_torch(lambda a: a.logcumsumexp(1), lambda a: a.logcumsumexp(1), [x[1:]], torch)


def test_mean_and_nan_reductions_match_torch(torch) -> None:
    x = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, np.nan]])
    compare_with_torch(lambda a: a.nansum(1), lambda a: a.nansum(1), [x], torch)
    compare_with_torch(lambda a: a.nanmean(1), lambda a: a.nanmean(1), [x], torch)
    assert math.isnan(gg.zeros(0).mean().item()) and gg.zeros(0).sum().item() == 0


# ----- signatures --------------------------------------------------------------------------------
def test_var_and_std_take_torch_arguments(torch) -> None:
    x = np.arange(12.0).reshape(3, 4) ** 1.5
    for call in (lambda m, a: m.var(a, 1), lambda m, a: m.var(a, 1, False, True),
                 lambda m, a: m.var(a, dim=0, unbiased=False), lambda m, a: m.var(a, False),
                 lambda m, a: m.std(a, (0, 1), correction=0, keepdim=True), lambda m, a: m.std(a, 1, True)):
        compare_with_torch(lambda a, call=call: call(gg, a), lambda a, call=call: call(torch, a), [x], torch)
    assert gg.tensor([1.0, 2.0]).var(axis=0, keepdims=True).shape == (1,)  # NumPy spellings still work
    assert len(gg.var_mean(Tensor(x), 1)) == 2


def test_sum_and_mean_aliases_and_dtypes() -> None:
    x = gg.tensor([[1, 2], [3, 4]], dtype=gg.int32)
    assert x.sum().dtype == gg.int64 and x.sum(dim=0).tolist() == [4, 6]
    assert gg.tensor([True, True, False]).sum().item() == 2
    assert x.sum(axis=1, keepdims=True).shape == (2, 1) and x.sum(()).item() == 10
    assert x.mean(dtype=gg.float64).item() == 2.5 and x.prod().item() == 24
    with pytest.raises(RuntimeError, match="mean.*floating point"):
        x.mean()
    with pytest.raises(RuntimeError, match="var.*floating point"):
        x.var()


def test_zero_dim_tensors_accept_dim_0_and_minus_1(torch) -> None:
    for call in (lambda a: a.sum(0), lambda a: a.mean(-1, keepdim=True), lambda a: a.max(0), lambda a: a.amax(-1),
                 lambda a: a.cumsum(0), lambda a: a.cumprod(-1), lambda a: a.sort(0), lambda a: a.cummax(0),
                 lambda a: a.logsumexp(0), lambda a: a.median(0), lambda a: a.prod(0), lambda a: a.topk(1)):
        compare_with_torch(call, call, [np.array(1.5)], torch)
    assert gg.tensor(2.0).argmax(0).item() == 0


def test_logical_reductions() -> None:
    x = gg.tensor([[0, 1], [2, 0]])
    assert x.all().item() is False and x.any().item() is True and x.any(1).tolist() == [True, True]
    assert gg.all(x, dim=0, keepdim=True).shape == (1, 2) and x.all().dtype == gg.bool
    assert x.count_nonzero().item() == 2 and x.count_nonzero(0).tolist() == [1, 1]
    assert gg.count_nonzero(x, dim=(0, 1)).dtype == gg.int64


# ----- comparisons ---------------------------------------------------------------------------------
def test_comparisons_and_their_aliases() -> None:
    a, b = gg.tensor([1.0, 2.0, 3.0]), gg.tensor([3.0, 2.0, 1.0])
    assert a.eq(b).tolist() == [False, True, False] and a.ne(b).tolist() == a.not_equal(b).tolist()
    assert a.lt(b).tolist() == a.less(b).tolist() == [True, False, False]
    assert a.le(2).tolist() == a.less_equal(2).tolist() == [True, True, False]
    assert gg.greater(a, b).tolist() == a.gt(b).tolist() and gg.greater_equal(a, 2).tolist() == [False, True, True]
    assert (a == b).dtype == gg.bool and not a.gt(b).requires_grad


def test_nan_and_inf_tests() -> None:
    x = gg.tensor([1.0, math.nan, math.inf, -math.inf])
    assert x.isnan().tolist() == [False, True, False, False]
    assert x.isinf().tolist() == [False, False, True, True] and x.isfinite().tolist() == [True, False, False, False]
    assert x.isposinf().tolist() == [False, False, True, False]
    assert gg.isneginf(x).tolist() == [False, False, False, True]
    assert gg.isnan(gg.tensor([1, 2])).tolist() == [False, False]


def test_isclose_allclose_equal(torch) -> None:
    a = gg.tensor([1.0, math.nan, math.inf, 1e-9])
    b = gg.tensor([1.0 + 1e-7, math.nan, math.inf, 0.0])
    assert a.isclose(b).tolist() == torch.isclose(torch.tensor(a.numpy()), torch.tensor(b.numpy())).tolist()
    assert gg.isclose(a, b, equal_nan=True).tolist() == [True, True, True, True]
    assert gg.allclose(a, b, equal_nan=True) is True and a.allclose(b) is False
    assert gg.equal(gg.tensor([1, 2]), gg.tensor([1, 2])) is True
    assert gg.equal(gg.tensor([1, 2]), gg.tensor([1, 2, 3])) is False
    assert gg.equal(gg.tensor([math.nan]), gg.tensor([math.nan])) is False
    with pytest.raises(RuntimeError, match="isclose"):
        gg.isclose(gg.tensor([1]), gg.tensor([1.0]))


# ----- bad input ---------------------------------------------------------------------------------
@pytest.mark.parametrize("call, error, pattern", [
    (lambda x: x.sum(2), IndexError, r"sum: Dimension out of range \(expected to be in range of \[-2, 1\], but got 2"),
    (lambda x: x.mean((0, -2)), RuntimeError, "mean: dim 0 appears multiple times"),
    (lambda x: x.max(5), IndexError, "max: Dimension out of range"),
    (lambda x: x.max((0, 1)), TypeError, "max: dim must be one int.*amax"),
    (lambda x: x.var(1, unbiased=True, correction=1), RuntimeError, "var.*both correction and unbiased"),
    (lambda x: x.topk(4), RuntimeError, r"topk: selected index k=4 is out of range.*size 3"),
    (lambda x: x.kthvalue(0), RuntimeError, "kthvalue.*k=0 out of range"),
    (lambda x: x.cumsum(2), IndexError, "cumsum: Dimension out of range"),
    (lambda x: x.norm("abc"), NotImplementedError, "norm.*abc"),
    (lambda x: gg.zeros(0, 3).max(), RuntimeError, r"max.*numel\(\) == 0"),
    (lambda x: gg.zeros(0, 3).max(0), IndexError, "max.*dim 0 to have non-zero size"),
    (lambda x: gg.zeros(0, dtype=gg.int64).median(), RuntimeError, "median.*empty int64"),  # floats: NaN
])
def test_bad_input_names_the_op(call, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        call(gg.ones(2, 3))
