"""glassgrad.masked against torch.masked: every op on a mask that keeps some elements of each slice,
none of one slice (the identity or NaN, as torch) and, broadcast from fewer dims; values and, in
float64, gradients under a random upstream gradient; integer inputs; torch's errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad as gg
from tests.helpers.oracle import compare_with_torch

X = np.array([[0.5, -1.5, 2.0, 0.25], [1.0, 3.0, -0.5, 2.5], [-2.0, 0.75, 1.25, -1.0]])
MASK = np.array([[True, False, True, True], [False, False, False, False], [True, True, False, True]])
ROW_MASK = np.array([True, False, True, True])  # broadcast along the rows
DENSE_MASK = np.array([[True, False, True, True], [True, True, False, True], [True, True, False, True]])  # 2+ kept

REDUCTIONS = {
    "sum": {"dim": 1}, "prod": {"dim": (0, 1)}, "amax": {"dim": 1}, "amin": {"dim": 0, "keepdim": True},
    "mean": {"dim": 1}, "logsumexp": {"dim": 1}, "median": {"dim": 1}, "var": {"dim": 1, "unbiased": False},
    "std": {"dim": 1, "correction": 0, "keepdim": True}, "argmax": {"dim": 1}, "argmin": {"dim": 1},
}
ALONG = {"cumsum": {"dim": 1}, "cumprod": {"dim": 0}, "softmax": {"dim": 1}, "log_softmax": {"dim": 1},
         "softmin": {"dim": 1}}


def _call(module, name, x, mask, kwargs):
    with warnings.catch_warnings():  # torch.masked warns that it is a prototype
        warnings.simplefilter("ignore")
        return getattr(module, name)(x, **kwargs, mask=mask)


def _finite(module, out):
    """log_softmax is -inf at the masked-out positions: compare it through nan_to_num (gradient 0 there)."""
    return module.nan_to_num(out, neginf=-100.0)


@pytest.mark.parametrize("mask", [DENSE_MASK, ROW_MASK, None], ids=["mask", "row-mask", "no-mask"])
@pytest.mark.parametrize("name", sorted(REDUCTIONS) + sorted(ALONG))
def test_masked_op_matches_torch_with_gradients(torch, name, mask) -> None:
    kwargs = REDUCTIONS.get(name, ALONG.get(name))
    compare_with_torch(
        lambda a: _finite(gg, _call(gg.masked, name, a, None if mask is None else gg.tensor(mask), kwargs)),
        lambda a: _finite(torch, _call(torch.masked, name, a, None if mask is None else torch.tensor(mask), kwargs)),
        [X], torch)


@pytest.mark.parametrize("name", sorted(REDUCTIONS) + sorted(ALONG))
def test_masked_op_of_a_slice_with_nothing_kept_matches_torch(torch, name) -> None:
    kwargs = REDUCTIONS.get(name, ALONG.get(name))
    ours = _call(gg.masked, name, gg.tensor(X), gg.tensor(MASK), kwargs)
    theirs = _call(torch.masked, name, torch.tensor(X), torch.tensor(MASK), kwargs)
    assert str(ours.dtype) == str(theirs.dtype)[6:]
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)  # inf, -inf and NaN where torch has them


@pytest.mark.parametrize("ord", [2.0, 1.0, np.inf, -np.inf])
def test_masked_norm_and_normalize_match_torch(torch, ord) -> None:
    compare_with_torch(lambda a: gg.masked.norm(a, ord, 1, mask=gg.tensor(MASK)),
                       lambda a: _call(torch.masked, "norm", a, torch.tensor(MASK), {"ord": ord, "dim": 1}), [X], torch)
    if ord != -np.inf:
        compare_with_torch(lambda a: gg.masked.normalize(a, ord, 1, mask=gg.tensor(MASK)),
                           lambda a: _call(torch.masked, "normalize", a, torch.tensor(MASK), {"ord": ord, "dim": 1}),
                           [X], torch)


def test_masked_logaddexp_matches_torch(torch) -> None:
    def theirs(a, b):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return torch.masked.logaddexp(a, b, input_mask=torch.tensor(MASK), other_mask=torch.tensor(~MASK))

    compare_with_torch(lambda a, b: gg.masked.logaddexp(a, b, input_mask=gg.tensor(MASK), other_mask=gg.tensor(~MASK)),
                       theirs, [X, X[::-1].copy()], torch)


@pytest.mark.parametrize("name", ["sum", "prod", "amax", "amin", "argmax", "logsumexp", "median"])
def test_masked_reductions_of_integers_match_torch(torch, name) -> None:
    ints = np.array([[3, -1, 4], [1, 5, 9]])
    keep = np.array([[True, False, True], [False, True, True]])
    kwargs = {"dim": 1}
    ours = _call(gg.masked, name, gg.tensor(ints), gg.tensor(keep), kwargs)
    theirs = _call(torch.masked, name, torch.tensor(ints), torch.tensor(keep), kwargs)
    assert str(ours.dtype) == str(theirs.dtype)[6:] and ours.tolist() == theirs.tolist()


def test_masked_refuses_what_torch_refuses() -> None:
    x = gg.tensor(X)
    with pytest.raises(IndexError, match="broadcastable mask"):
        gg.masked.sum(x, mask=gg.ones(1, 3, 4, dtype=gg.bool))
    with pytest.raises(IndexError, match="out of range"):
        gg.masked.amax(x, 2, mask=gg.tensor(MASK))
    with pytest.raises(ValueError, match="fully masked out rows"):
        gg.masked.median(gg.tensor([[1, 2], [3, 4]]), 1, mask=gg.tensor([[True, False], [False, False]]))
    with pytest.raises(RuntimeError, match="Only one of unbiased and correction"):
        gg.masked.var(x, 1, True, correction=0, mask=gg.tensor(MASK))
