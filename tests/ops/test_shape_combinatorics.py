"""Shape ops, index combinatorics and set queries against torch, on what the op table does not
draw: integer and bool inputs, empty results, dtype promotion, torch's errors. (diff, rot90,
block_diag, combinations, cartesian_prod, narrow_copy, hsplit, dsplit, diagflat and adjoint
have their gradients checked in the op table, table_shape.py.)"""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from tests.helpers.oracle import compare_with_torch

INTS = np.array([[1, 5, 2, 2], [3, 3, 9, -4], [0, 0, 7, 7]])


def assert_same(ours, theirs) -> None:
    """Same shape, dtype and values as torch's answer (tuples element by element)."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a, b)
        return
    expected = theirs.detach().numpy()
    assert ours.shape == tuple(expected.shape), (ours.shape, expected.shape)
    assert str(ours.dtype) == str(expected.dtype)
    np.testing.assert_array_equal(ours.numpy(), expected)


@pytest.mark.parametrize("n", [0, 1, 2, 5])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_diff_of_integers_and_bools_matches_torch(torch, n, dim) -> None:
    assert_same(gg.diff(gg.tensor(INTS), n, dim), torch.diff(torch.tensor(INTS), n, dim))
    assert_same(gg.tensor(INTS > 2).diff(n, dim), torch.tensor(INTS > 2).diff(n, dim))


def test_diff_promotes_prepend_and_append_and_refuses_what_torch_refuses(torch) -> None:
    ends = np.array([[0.5], [1.0], [-2.0]])
    assert_same(gg.diff(gg.tensor(INTS), prepend=gg.tensor(ends), append=gg.tensor(INTS)),
                torch.diff(torch.tensor(INTS), prepend=torch.tensor(ends), append=torch.tensor(INTS)))
    with pytest.raises(RuntimeError, match="at least one-dimensional"):
        gg.diff(gg.tensor(1.0))
    with pytest.raises(RuntimeError, match="same dimension"):
        gg.diff(gg.tensor(INTS), prepend=gg.tensor(1))
    with pytest.raises(RuntimeError, match="non-negative"):
        gg.diff(gg.tensor(INTS), n=-1)


@pytest.mark.parametrize("k", [-3, -1, 0, 1, 2, 4, 7])
def test_rot90_of_integers_matches_torch(torch, k) -> None:
    cube = np.arange(24).reshape(2, 3, 4)
    for dims in [(0, 1), (1, 0), (2, 0), (-1, -2)]:
        assert_same(gg.rot90(gg.tensor(cube), k, dims), torch.rot90(torch.tensor(cube), k, dims))


def test_rot90_refuses_what_torch_refuses() -> None:
    x = gg.zeros(2, 3)
    with pytest.raises(RuntimeError, match="rotation dims == 2"):
        gg.rot90(x, 1, [0])
    with pytest.raises(RuntimeError, match="to be different"):
        x.rot90(1, (1, -1))
    with pytest.raises(RuntimeError, match="total dims >= 2"):
        gg.rot90(gg.zeros(3))


def test_block_diag_promotes_and_handles_empty_blocks(torch) -> None:
    parts = [np.array(2), np.array([1, 2]), np.ones((2, 2), dtype=np.int32), np.array([[0.5, 1.5]], dtype=np.float32)]
    assert_same(gg.block_diag(*(gg.tensor(p) for p in parts)), torch.block_diag(*(torch.tensor(p) for p in parts)))
    assert_same(gg.block_diag(gg.zeros(0, 2), gg.ones(2, 0)), torch.block_diag(torch.zeros(0, 2), torch.ones(2, 0)))
    assert_same(gg.block_diag(), torch.block_diag())
    with pytest.raises(RuntimeError, match="2 or fewer dimensions"):
        gg.block_diag(gg.zeros(1, 1, 1))


@pytest.mark.parametrize("row, col, offset", [(3, 3, 0), (3, 5, 1), (5, 3, -2), (0, 4, 0), (2, 2, 9), (4, 2, -9)])
def test_tril_and_triu_indices_match_torch(torch, row, col, offset) -> None:
    assert_same(gg.tril_indices(row, col, offset), torch.tril_indices(row, col, offset))
    assert_same(gg.triu_indices(row, col, offset, dtype=gg.int32),
                torch.triu_indices(row, col, offset, dtype=torch.int32))


def test_tril_indices_refuses_float_dtypes_and_negative_sizes() -> None:
    with pytest.raises(NotImplementedError, match="Float"):
        gg.tril_indices(3, 3, dtype=gg.float32)
    with pytest.raises(RuntimeError, match="non-negative"):
        gg.triu_indices(-1, 3)


@pytest.mark.parametrize("r", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("with_replacement", [False, True])
def test_combinations_of_integers_match_torch(torch, r, with_replacement) -> None:
    row = INTS[1]
    assert_same(gg.combinations(gg.tensor(row), r, with_replacement),
                torch.combinations(torch.tensor(row), r, with_replacement))


def test_cartesian_prod_matches_torch_and_needs_one_dtype(torch) -> None:
    a, b, c = INTS[0, :2], INTS[1, :3], INTS[2, :1]
    assert_same(gg.cartesian_prod(gg.tensor(a), gg.tensor(b), gg.tensor(c)),
                torch.cartesian_prod(torch.tensor(a), torch.tensor(b), torch.tensor(c)))
    assert_same(gg.cartesian_prod(gg.tensor(a)), torch.cartesian_prod(torch.tensor(a)))
    with pytest.raises(RuntimeError, match="same dtype"):
        gg.cartesian_prod(gg.tensor(a), gg.tensor(b).float())
    with pytest.raises(RuntimeError, match="1D vector"):
        gg.combinations(gg.tensor(INTS))


def test_named_movements_match_torch_and_refuse_what_torch_refuses(torch) -> None:
    cube = np.arange(24).reshape(2, 3, 4)
    for sections in ([1, 3], [0, 9], [2]):
        assert_same(gg.hsplit(gg.tensor(cube), sections), torch.hsplit(torch.tensor(cube), sections))
        assert_same(gg.tensor(cube).vsplit(sections), torch.tensor(cube).vsplit(sections))
        assert_same(gg.dsplit(gg.tensor(cube), sections), torch.dsplit(torch.tensor(cube), sections))
    assert_same(gg.hsplit(gg.tensor(cube), 3), torch.hsplit(torch.tensor(cube), 3))
    assert_same(gg.vsplit(gg.tensor(cube), 2), torch.vsplit(torch.tensor(cube), 2))
    assert_same(gg.dsplit(gg.tensor(cube), 4), torch.dsplit(torch.tensor(cube), 4))
    assert_same(gg.hsplit(gg.tensor(INTS[0]), 2), torch.hsplit(torch.tensor(INTS[0]), 2))  # 1-d: along dim 0
    with pytest.raises(RuntimeError, match="not divisible"):
        gg.hsplit(gg.tensor(cube), 2)
    with pytest.raises(RuntimeError, match="at least 3 dimension"):
        gg.dsplit(gg.tensor(INTS), 2)
    assert_same(gg.t(gg.tensor(INTS)), torch.t(torch.tensor(INTS)))
    assert_same(gg.t(gg.tensor(INTS[0])), torch.t(torch.tensor(INTS[0])))
    assert_same(gg.tensor(cube).adjoint(), torch.tensor(cube).adjoint())
    assert_same(gg.diagflat(gg.tensor(INTS[:2, :2]), -1), torch.diagflat(torch.tensor(INTS[:2, :2]), -1))
    assert_same(gg.narrow_copy(gg.tensor(cube), 2, 1, 2), torch.narrow_copy(torch.tensor(cube), 2, 1, 2))
    with pytest.raises(RuntimeError, match="<= 2 dimensions"):
        gg.t(gg.tensor(cube))
    with pytest.raises(RuntimeError, match="matrices"):
        gg.adjoint(gg.tensor(INTS[0]))


def test_isin_matches_torch(torch) -> None:
    tests = np.array([2, 7, 100])
    assert_same(gg.isin(gg.tensor(INTS), gg.tensor(tests)), torch.isin(torch.tensor(INTS), torch.tensor(tests)))
    assert_same(gg.isin(gg.tensor(INTS), 3, invert=True), torch.isin(torch.tensor(INTS), 3, invert=True))
    assert_same(gg.isin(5, gg.tensor(INTS)), torch.isin(5, torch.tensor(INTS)))
    floats = np.array([np.nan, 2.0, 7.5])
    assert_same(gg.isin(gg.tensor(floats), gg.tensor(INTS)), torch.isin(torch.tensor(floats), torch.tensor(INTS)))
    with pytest.raises(RuntimeError, match="Bool"):
        gg.isin(gg.tensor([True]), gg.tensor([True]))


@pytest.mark.parametrize("dim", [None, 0, 1])
@pytest.mark.parametrize("inverse, counts", [(False, False), (True, False), (False, True), (True, True)])
def test_unique_consecutive_matches_torch(torch, dim, inverse, counts) -> None:
    runs = np.array([[1, 1, 1, 2], [1, 1, 1, 2], [3, 3, 0, 0], [1, 1, 1, 2]])
    assert_same(gg.unique_consecutive(gg.tensor(runs), return_inverse=inverse, return_counts=counts, dim=dim),
                torch.unique_consecutive(torch.tensor(runs), return_inverse=inverse, return_counts=counts, dim=dim))
    floats = np.array([1.0, np.nan, np.nan, 2.0, 2.0])
    assert_same(gg.tensor(floats).unique_consecutive(return_inverse=inverse, return_counts=counts),
                torch.tensor(floats).unique_consecutive(return_inverse=inverse, return_counts=counts))
    assert_same(gg.unique_consecutive(gg.tensor(3), return_inverse=inverse, return_counts=counts),
                torch.unique_consecutive(torch.tensor(3), return_inverse=inverse, return_counts=counts))


def test_take_along_dim_counts_negative_indices_from_the_end(torch) -> None:
    x = np.arange(10.0).reshape(2, 5)
    index = np.array([[-1, 0], [-5, 2]])
    compare_with_torch(lambda a: gg.take_along_dim(a, gg.tensor(index), 1),
                       lambda a: torch.take_along_dim(a, torch.tensor(index), 1), [x], torch)
