"""unique, bincount, histc, searchsorted, bucketize (ops/counting.py) and cdist, pairwise_distance,
cosine_similarity (ops/distance.py) against torch; gradchecks for the differentiable ones."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
import glassgrad.nn.functional as F
from tests.helpers.oracle import compare_with_torch


def _same(ours, theirs):
    ours = ours if isinstance(ours, tuple) else (ours,)
    theirs = theirs if isinstance(theirs, tuple) else (theirs,)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        expected = b.numpy()
        assert a.dtype == expected.dtype, (a.dtype, expected.dtype)
        np.testing.assert_array_equal(a.numpy(), expected)


def test_unique_matches_torch(torch):
    data = np.array([[3, 1, 2], [1, 3, 2], [3, 1, 2]])
    for kw in ({}, {"return_inverse": True}, {"return_counts": True},
               {"return_inverse": True, "return_counts": True, "sorted": False}):
        _same(glassgrad.unique(glassgrad.tensor(data), **kw), torch.unique(torch.tensor(data), **kw))
        _same(glassgrad.unique(glassgrad.tensor(data), dim=0, **kw), torch.unique(torch.tensor(data), dim=0, **kw))
        _same(glassgrad.unique(glassgrad.tensor(data), dim=1, **kw), torch.unique(torch.tensor(data), dim=1, **kw))


@pytest.mark.parametrize("values, dtype", [([1.0, 2.0], "float32"), ([True, False], "bool"), ([1.0], "float64")])
def test_bincount_refuses_floats_and_bools_as_torch(torch, values, dtype):
    with pytest.raises(NotImplementedError):
        torch.bincount(torch.tensor(values, dtype=getattr(torch, dtype)))
    with pytest.raises(NotImplementedError, match="bincount: not implemented for dtype"):
        glassgrad.bincount(glassgrad.tensor(values, dtype=getattr(glassgrad, dtype)))


def test_bincount_histc_match_torch(torch):
    data = np.array([0, 4, 1, 1, 4, 4])
    weights = np.array([0.5, 1.0, 2.0, 0.25, 1.5, 3.0], dtype=np.float32)
    _same(glassgrad.bincount(glassgrad.tensor(data)), torch.bincount(torch.tensor(data)))
    _same(glassgrad.bincount(glassgrad.tensor(data), minlength=8), torch.bincount(torch.tensor(data), minlength=8))
    _same(glassgrad.bincount(glassgrad.tensor(data), glassgrad.tensor(weights)),
          torch.bincount(torch.tensor(data), torch.tensor(weights)))
    values = np.array([0.5, 1.0, 2.5, 3.0, 3.0, -1.0, 7.0], dtype=np.float32)
    _same(glassgrad.histc(glassgrad.tensor(values), bins=4), torch.histc(torch.tensor(values), bins=4))
    _same(glassgrad.histc(glassgrad.tensor(values), bins=3, min=0, max=3),
          torch.histc(torch.tensor(values), bins=3, min=0, max=3))


def test_searchsorted_bucketize_match_torch(torch):
    edges = np.array([1.0, 3.0, 5.0, 7.0])
    rows = np.array([[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]])
    values = np.array([[3.0, 6.0, 0.0], [4.0, 9.0, 2.0]])
    for right in (False, True):
        _same(glassgrad.searchsorted(glassgrad.tensor(edges), glassgrad.tensor(values), right=right),
              torch.searchsorted(torch.tensor(edges), torch.tensor(values), right=right))
        _same(glassgrad.searchsorted(glassgrad.tensor(rows), glassgrad.tensor(values), right=right),
              torch.searchsorted(torch.tensor(rows), torch.tensor(values), right=right))
        _same(glassgrad.bucketize(glassgrad.tensor(values), glassgrad.tensor(edges), right=right, out_int32=True),
              torch.bucketize(torch.tensor(values), torch.tensor(edges), right=right, out_int32=True))
    _same(glassgrad.searchsorted(glassgrad.tensor(edges), 3.0, side="right"),
          torch.searchsorted(torch.tensor(edges), 3.0, side="right"))


def test_distances_match_torch(rng, torch):
    x1, x2 = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5, 3))
    for p in (2.0, 1.0, 3.0):
        compare_with_torch(lambda a, b, p=p: glassgrad.cdist(a, b, p), lambda a, b, p=p: torch.cdist(a, b, p),
                           [x1, x2], torch)
    compare_with_torch(glassgrad.cdist, torch.cdist, [x1[0], x2[0]], torch, dtype=np.float32)
    a, b = rng.standard_normal((4, 6)), rng.standard_normal((4, 6))
    compare_with_torch(F.pairwise_distance, torch.nn.functional.pairwise_distance, [a, b], torch)
    compare_with_torch(lambda s, t: F.pairwise_distance(s, t, 1.0, keepdim=True),
                       lambda s, t: torch.nn.functional.pairwise_distance(s, t, 1.0, keepdim=True), [a, b], torch)
    compare_with_torch(F.cosine_similarity, torch.nn.functional.cosine_similarity, [a, b], torch)
    compare_with_torch(lambda s, t: glassgrad.cosine_similarity(s, t, dim=-1),
                       lambda s, t: torch.cosine_similarity(s, t, dim=-1), [a, b[:1]], torch)


def test_gradcheck_distances(rng):
    x1, x2 = rng.standard_normal((3, 2)), rng.standard_normal((4, 2))
    assert glassgrad.gradcheck(glassgrad.cdist, [x1, x2])
    assert glassgrad.gradcheck(F.pairwise_distance, [x1, x2[:3]])
    assert glassgrad.gradcheck(lambda a, b: F.cosine_similarity(a, b, dim=1), [x1, x2[:3]])


def test_cdist_of_equal_rows_has_zero_gradient():
    x = glassgrad.tensor([[1.0, 2.0]], requires_grad=True)
    glassgrad.cdist(x, glassgrad.tensor([[1.0, 2.0]])).sum().backward()
    assert x.grad.tolist() == [[0.0, 0.0]]


def test_bad_input_errors():
    with pytest.raises(RuntimeError, match="bincount: input must be a 1-D tensor of integers"):
        glassgrad.bincount(glassgrad.tensor([[1, 2]]))
    with pytest.raises(RuntimeError, match="non-negative"):
        glassgrad.bincount(glassgrad.tensor([1, -2]))
    with pytest.raises(RuntimeError, match="cdist: X1 and X2 must have the same number of columns"):
        glassgrad.cdist(glassgrad.ones(2, 3), glassgrad.ones(2, 4))
    with pytest.raises(RuntimeError, match="boundaries tensor must be 1 dimension"):
        glassgrad.bucketize(glassgrad.ones(3), glassgrad.ones(2, 2))
    with pytest.raises(RuntimeError, match="first N-1 dimensions"):
        glassgrad.searchsorted(glassgrad.ones(2, 3), glassgrad.ones(3, 1))
    with pytest.raises(IndexError, match="unique: dim 2 is out of range"):
        glassgrad.unique(glassgrad.ones(2, 2), dim=2)
    with pytest.raises(NotImplementedError, match="\"histogram_cpu\" not implemented for 'Long'"):
        glassgrad.histc(glassgrad.tensor([1, 2]))


def test_method_forms(torch):
    data = np.array([2, 0, 2, 5])
    _same(glassgrad.tensor(data).unique(return_counts=True), torch.tensor(data).unique(return_counts=True))
    _same(glassgrad.tensor(data).bincount(), torch.tensor(data).bincount())
    _same(glassgrad.tensor(data, dtype=glassgrad.float32).histc(3), torch.tensor(data, dtype=torch.float32).histc(3))
    matrix = np.array([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(glassgrad.tensor(matrix).det().item(), torch.tensor(matrix).det().item())
    np.testing.assert_allclose(glassgrad.tensor(matrix).inverse().numpy(), torch.tensor(matrix).inverse().numpy())
