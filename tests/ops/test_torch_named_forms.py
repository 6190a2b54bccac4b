"""torch's other names and forms of existing ops, against torch: the *_copy ops (their own memory),
unsafe_split/unsafe_chunk, the complex-number ops on real tensors, H/mH, char, __rdiv__, sum_to_size,
resize_, unravel_index, nonzero_static, scalar_tensor, empty_strided/empty_permuted, put and
index_reduce on integers, and the errors of renorm, trapezoid and gradient. (Gradients of the
differentiable ones are checked in the op table.)"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad as gg

X = np.arange(24.0).reshape(2, 3, 4)


def assert_same(ours, theirs) -> None:
    if isinstance(theirs, tuple | list):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a, b)
        return
    expected = theirs.detach().numpy()
    assert ours.shape == tuple(expected.shape) and str(ours.dtype) == str(expected.dtype)
    np.testing.assert_array_equal(ours.numpy(), expected)


COPIES = [
    ("alias_copy", ()), ("view_copy", ((4, 6),)), ("squeeze_copy", ()), ("unsqueeze_copy", (1,)),
    ("expand_copy", ((2, 2, 3, 4),)), ("permute_copy", ((2, 0, 1),)), ("transpose_copy", (0, 2)),
    ("diagonal_copy", (1, 1, 2)), ("as_strided_copy", ((3, 2), (1, 4), 2)), ("unfold_copy", (2, 2, 1)),
    ("unbind_copy", (1,)), ("split_with_sizes_copy", ([1, 3], 2)),
]


@pytest.mark.parametrize("name, args", COPIES, ids=[name for name, _ in COPIES])
def test_copy_forms_match_torch_and_own_their_memory(torch, name, args) -> None:
    ours = getattr(gg, name)(gg.tensor(X), *args)
    assert_same(ours, getattr(torch, name)(torch.tensor(X), *args))
    for piece in ours if isinstance(ours, tuple) else (ours,):
        assert not np.shares_memory(piece.numpy(), X)


def test_unsafe_split_and_chunk_and_split_with_sizes_match_torch(torch) -> None:
    assert_same(gg.unsafe_split(gg.tensor(X), 2, 2), torch.unsafe_split(torch.tensor(X), 2, 2))
    assert_same(gg.tensor(X).unsafe_chunk(3, 1), torch.tensor(X).unsafe_chunk(3, 1))
    assert_same(gg.t_copy(gg.tensor(X[0])), torch.t_copy(torch.tensor(X[0])))
    with pytest.raises(RuntimeError, match="sum exactly to 4"):
        gg.split_with_sizes(gg.tensor(X), [1, 2], 2)


def test_complex_ops_on_real_tensors_match_torch(torch) -> None:
    values = np.array([-2.0, -0.0, 0.0, 3.0, np.nan])
    x = gg.tensor(values)
    for name in ("real", "conj", "resolve_conj", "resolve_neg"):
        assert getattr(gg, name)(x) is x
    assert x.real is x and x.conj() is x and x.resolve_neg() is x
    assert gg.conj_physical(x) is not x
    assert_same(gg.angle(x), torch.angle(torch.tensor(values)))
    assert_same(gg.tensor([-3, 0, 2]).angle(), torch.tensor([-3, 0, 2]).angle())
    with pytest.raises(RuntimeError, match="non-complex"):
        _ = x.imag


def test_conjugate_transposes_char_and_rdiv_match_torch(torch) -> None:
    assert_same(gg.tensor(X[0]).H, torch.tensor(X[0]).H)
    assert_same(gg.tensor(X).mH, torch.tensor(X).mH)
    with pytest.raises(RuntimeError, match="tensor.mH"):
        _ = gg.tensor(X).H
    assert_same(gg.tensor([1.5, -2.7, 44.0]).char(), torch.tensor([1.5, -2.7, 44.0]).char())
    assert_same(gg.tensor([1.0, 4.0]).__rdiv__(2), 2 / torch.tensor([1.0, 4.0]))  # torch's __rdiv__ is 2 / x


@pytest.mark.parametrize("size", [(1, 4), (3, 1), (1,), (4,), (2, 1, 1), (2, 3, 4)], ids=str)
def test_sum_to_size_matches_torch(torch, size) -> None:
    assert_same(gg.tensor(X).sum_to_size(*size), torch.tensor(X).sum_to_size(*size))
    assert_same(gg.tensor(X > 7).sum_to_size(size), torch.tensor(X > 7).sum_to_size(size))
    with pytest.raises(RuntimeError, match="not expandable"):
        gg.tensor(X).sum_to_size(5, 4)


def test_resize_keeps_the_first_elements_and_refuses_a_tensor_that_requires_grad() -> None:
    x = gg.tensor(X.copy())
    version = x._version
    assert x.resize_(4, 5).shape == (4, 5) and x.reshape(-1).tolist() == list(range(20))
    assert x.resize_as_(gg.zeros(2, 2)).tolist() == [[0.0, 1.0], [2.0, 3.0]] and x._version > version
    assert x.resize_(3).tolist()[:2] == [0.0, 1.0] and x.resize_(6).shape == (6,)
    with pytest.raises(RuntimeError, match="require grad"):
        gg.zeros(3, requires_grad=True).resize_(2)


@pytest.mark.parametrize("shape", [(2, 3), (4,), (3, 1, 5)], ids=str)
def test_unravel_index_matches_torch_including_its_wrapping(torch, shape) -> None:
    flat = np.array([[0, 5], [-1, 7]])
    assert_same(gg.unravel_index(gg.tensor(flat), shape), torch.unravel_index(torch.tensor(flat), shape))
    assert_same(gg.unravel_index(gg.tensor(3), shape), torch.unravel_index(torch.tensor(3), shape))


@pytest.mark.parametrize("size, fill_value", [(0, -1), (2, -1), (7, -5)])
def test_nonzero_static_matches_torch(torch, size, fill_value) -> None:
    mask = X[0] % 3 == 0
    assert_same(gg.nonzero_static(gg.tensor(mask), size=size, fill_value=fill_value),
                torch.nonzero_static(torch.tensor(mask), size=size, fill_value=fill_value))
    assert_same(gg.tensor(X[0, 0]).nonzero_static(size=size), torch.tensor(X[0, 0]).nonzero_static(size=size))


def test_factories_scalar_tensor_and_empty_layouts() -> None:
    assert gg.scalar_tensor(3).dtype == gg.float32 and gg.scalar_tensor(3).item() == 3.0
    assert gg.scalar_tensor(True, dtype=gg.int64).tolist() == 1
    assert gg.scalar_tensor(2, requires_grad=True).requires_grad
    assert gg.empty_strided((2, 3), (1, 2)).shape == (2, 3)
    assert gg.empty_permuted((2, 3, 4), (2, 0, 1), dtype=gg.int64).dtype == gg.int64
    assert gg.tensor(X).new_empty_strided((4, 2), (2, 1)).dtype == gg.float64
    with pytest.raises(RuntimeError, match="stride"):
        gg.empty_strided((2, 3), (1,))
    with pytest.raises(RuntimeError, match="permutation"):
        gg.empty_permuted((2, 3), (0, 0))


def test_put_and_index_reduce_on_integers_match_torch(torch) -> None:
    ints = np.arange(12).reshape(3, 4)
    index, source = np.array([0, -1, 0]), np.array([5, 6, 7])
    for accumulate in (False, True):
        assert_same(gg.tensor(ints).put(gg.tensor(index), gg.tensor(source), accumulate),
                    torch.tensor(ints).put(torch.tensor(index), torch.tensor(source), accumulate))
    ours = gg.tensor(ints).clone()
    ours.put_(gg.tensor([1]), gg.tensor([100]))
    assert ours[0, 1].item() == 100
    rows = np.array([[1, 2, 3, 4], [5, 6, 7, 8]])
    for reduce in ("prod", "mean", "amax", "amin"):
        for include_self in (True, False):
            ours = gg.index_reduce(gg.tensor(ints), 0, gg.tensor([2, 2]), gg.tensor(rows), reduce,
                                   include_self=include_self)
            with warnings.catch_warnings():  # torch warns (once) that index_reduce is in beta
                warnings.simplefilter("ignore", UserWarning)
                theirs = torch.tensor(ints).index_reduce(0, torch.tensor([2, 2]), torch.tensor(rows), reduce,
                                                         include_self=include_self)
            assert_same(ours, theirs)
    with pytest.raises(IndexError, match="out of range"):
        gg.tensor(ints).put(gg.tensor([12]), gg.tensor([1]))
    with pytest.raises(RuntimeError, match="same dtype"):
        gg.tensor(ints).put(gg.tensor([1]), gg.tensor([1.0]))
    with pytest.raises(IndexError, match="out of range"):
        gg.index_reduce(gg.tensor(ints), 0, gg.tensor([-1]), gg.tensor(rows[:1]), "amax")
    with pytest.raises(RuntimeError, match="reduce to be one of"):
        gg.index_reduce(gg.tensor(ints), 0, gg.tensor([0]), gg.tensor(rows[:1]), "sum")


def test_renorm_trapezoid_and_gradient_refuse_what_torch_refuses() -> None:
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        gg.renorm(gg.ones(3), 2, 0, 1.0)
    with pytest.raises(RuntimeError, match="non-positive-norm"):
        gg.renorm(gg.ones(3, 2), 0, 0, 1.0)
    with pytest.raises(RuntimeError, match="maxnorm"):
        gg.ones(3, 2).renorm(2, 0, -1.0)
    with pytest.raises(RuntimeError, match="one `x` value for each sample"):
        gg.trapezoid(gg.ones(3, 4), gg.tensor([0.0, 1.0, 3.0]))
    with pytest.raises(IndexError, match="no dimensions"):
        gg.trapezoid(gg.tensor(1.0))
    with pytest.raises(RuntimeError, match="at least edge_order\\+1"):
        gg.gradient(gg.tensor([1.0, 2.0]), edge_order=2)
    with pytest.raises(RuntimeError, match="list of length"):
        gg.gradient(gg.ones(3, 4), spacing=[2.0])
    assert gg.gradient(gg.tensor(1.0)) == ()
    assert gg.trapezoid(gg.tensor([1, 2, 4])).item() == 4.5


def test_more_copies_range_binomial_and_the_module_level_queries(torch) -> None:
    assert_same(gg.select_copy(gg.tensor(X), 1, 2), torch.select_copy(torch.tensor(X), 1, 2))
    assert_same(gg.slice_copy(gg.tensor(X), 2, 1, 4, 2), torch.slice_copy(torch.tensor(X), 2, 1, 4, 2))
    assert_same(gg.split_copy(gg.tensor(X), 3, 2), torch.split_copy(torch.tensor(X), 3, 2))
    assert_same(gg.detach_copy(gg.tensor(X)), torch.detach_copy(torch.tensor(X)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # both deprecate range
        for args in ((1, 4), (0, 2, 0.5), (3, -1, -1), (0.5, 2.25, 0.25)):
            assert_same(gg.range(*args), torch.range(*args))
    draws = gg.binomial(gg.full((2000,), 10.0), gg.full((2000,), 0.3))
    assert draws.dtype == gg.float32 and 0 <= draws.min().item() and draws.max().item() <= 10
    assert abs(draws.mean().item() - 3.0) < 0.15
    with pytest.raises(ValueError, match="floating-point"):
        gg.binomial(gg.tensor([10]), gg.tensor([0.5]))
    w = gg.ones(2, requires_grad=True)
    assert not gg.detach(w).requires_grad and gg.get_device(w) == -1
    assert gg.typename(gg.ones(2)) == torch.typename(torch.ones(2)) and gg.typename(3) == "int"
