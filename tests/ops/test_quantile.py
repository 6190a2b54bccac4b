"""quantile, nanquantile, nanmedian and dist against torch beyond the op table's smooth cases:
NaNs (quantile answers NaN, the nan-forms skip them), a slice of NaNs, every interpolation mode
with float32 levels, shapes of a 1-D q with dim=None and keepdim, and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from tests.helpers.oracle import compare_with_torch

WITH_NANS = np.array([[np.nan, 1.0, 4.0, 2.0, -1.0], [np.nan] * 5, [3.0, 0.5, -2.0, 8.0, 1.5]])
MODES = ["linear", "lower", "higher", "midpoint", "nearest"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_nanquantile_skips_nans_and_a_slice_of_nans_gives_nan(torch, mode, dtype) -> None:
    def ours(a):
        return gg.nanquantile(a, gg.tensor([0.0, 0.3, 0.5, 1.0], dtype=a.dtype), 1, interpolation=mode)

    def theirs(a):
        return torch.nanquantile(a, torch.tensor([0.0, 0.3, 0.5, 1.0], dtype=a.dtype), 1, interpolation=mode)

    outs, _ = compare_with_torch(ours, theirs, [WITH_NANS], torch, dtype=dtype)
    assert np.isnan(outs[0][:, 1]).all() and not np.isnan(outs[0][:, [0, 2]]).any()


@pytest.mark.parametrize("mode", MODES)
def test_quantile_of_a_slice_with_a_nan_is_nan(torch, mode) -> None:
    ours = gg.quantile(gg.tensor(WITH_NANS), 0.4, dim=1, keepdim=True, interpolation=mode)
    theirs = torch.quantile(torch.tensor(WITH_NANS), 0.4, dim=1, keepdim=True, interpolation=mode)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("q", [0.25, [0.2, 0.9], []], ids=["scalar", "levels", "no-levels"])
def test_quantile_over_all_elements_matches_torch(torch, q, keepdim) -> None:
    x = np.arange(24.0).reshape(2, 3, 4) ** 1.5

    def levels(make, a):
        return make(q, dtype=a.dtype) if isinstance(q, list) else q

    compare_with_torch(lambda a: gg.quantile(a, levels(gg.tensor, a), keepdim=keepdim),
                       lambda a: torch.quantile(a, levels(torch.tensor, a), keepdim=keepdim), [x], torch)


def test_quantile_nearest_rounds_half_to_even_like_torch(torch) -> None:
    x = np.array([0.0, 1.0, 2.0, 3.0])  # ranks 0.5, 1.5 and 2.5 round to 0, 2 and 2
    q = [1 / 6, 0.5, 5 / 6]
    ours = gg.quantile(gg.tensor(x), gg.tensor(q, dtype=gg.float64), interpolation="nearest")
    theirs = torch.quantile(torch.tensor(x), torch.tensor(q, dtype=torch.float64), interpolation="nearest")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_nanmedian_matches_torch_with_nans_and_on_integers(torch) -> None:
    some_nans = WITH_NANS[[0, 2]]  # of a slice of NaNs torch returns NaN and an index its sort happens to give
    compare_with_torch(lambda a: gg.nanmedian(a, 1), lambda a: torch.nanmedian(a, 1), [some_nans], torch)
    assert np.isnan(gg.nanmedian(gg.tensor(WITH_NANS), 1).values[1].item())
    compare_with_torch(lambda a: a.nanmedian(), lambda a: a.nanmedian(), [WITH_NANS], torch)
    ints = np.array([[3, 1, 2, 2], [5, 4, 9, 0]])
    ours, theirs = gg.tensor(ints).nanmedian(0, keepdim=True), torch.tensor(ints).nanmedian(0, keepdim=True)
    assert ours.values.tolist() == theirs.values.tolist() and ours.indices.tolist() == theirs.indices.tolist()
    assert gg.nanmedian(gg.tensor(ints)).item() == torch.nanmedian(torch.tensor(ints)).item()


def test_quantile_refuses_what_torch_refuses() -> None:
    x = gg.tensor([[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(RuntimeError, match=r"in the range \[0, 1\]"):
        gg.quantile(x, 1.5)
    with pytest.raises(RuntimeError, match="same dtype"):
        gg.quantile(x, gg.tensor([0.5], dtype=gg.float64))
    with pytest.raises(RuntimeError, match="scalar or 1D"):
        gg.quantile(x, gg.tensor([[0.5]]))
    with pytest.raises(RuntimeError, match="float or double"):
        gg.quantile(gg.tensor([1, 2]), 0.5)
    with pytest.raises(RuntimeError, match="non-empty"):
        gg.quantile(gg.zeros(0), 0.5)
    with pytest.raises(RuntimeError, match="interpolation must be one of"):
        x.quantile(0.5, interpolation="cubic")
    with pytest.raises(IndexError, match="out of range"):
        x.nanquantile(0.5, dim=2)


def test_dist_matches_torch_with_broadcasting_and_every_p(torch) -> None:
    a, b = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]]), np.array([1.0, 0.0, -1.0])
    for p in (2, 1, 3.5, np.inf, -np.inf):
        compare_with_torch(lambda x, y, p=p: gg.dist(x, y, p), lambda x, y, p=p: torch.dist(x, y, p), [a, b], torch)
    # p = 0 counts the nonzero differences (torch's backward fails there: compare the values)
    assert gg.dist(gg.tensor(a), gg.tensor(b), 0).item() == torch.dist(torch.tensor(a), torch.tensor(b), 0).item()
    with pytest.raises(RuntimeError, match="floating point"):
        gg.dist(gg.tensor([1, 2]), gg.tensor([1, 3]))
