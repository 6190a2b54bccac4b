"""torch.svd_lowrank and torch.pca_lowrank (glassgrad/ops/linalg_lowrank.py): on matrices of rank q the
randomized SVD is exact, so values and gradients of sign-invariant functions (U V^T, S) equal torch's
whatever random matrix either library drew (recorded); float64 gradchecks; a matrix of higher rank is
approximated (its best rank-q error, within the power iterations' margin); torch's errors for pca_lowrank.
"""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.helpers.oracle import compare_with_torch


def _invariant(t, name, a, b, **kwargs):
    """U V^T and S of the low-rank SVD of a b^T: the signs of the singular vectors cancel."""
    u, s, v = getattr(t, name)(a @ b.mT, **kwargs)
    return u @ v.mT, s


SHAPES = [(5, 3, 2), (3, 6, 2), (2, 4, 4, 3)]  # (..., m, n, rank), rank < m: centred, a b^T keeps its rank


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name, kwargs", [("svd_lowrank", {}), ("pca_lowrank", {"center": False}),
                                          ("pca_lowrank", {"center": True}), ("svd_lowrank", {"niter": 0})])
def test_exact_for_rank_q_matrices(rng, torch, shape, name, kwargs):
    *batch, m, n, k = shape
    a, b = rng.standard_normal((*batch, m, k)), rng.standard_normal((*batch, n, k))
    compare_with_torch(lambda x, y: _invariant(glassgrad, name, x, y, q=k, **kwargs),
                       lambda x, y: _invariant(torch, name, x, y, q=k, **kwargs), [a, b], torch)
    assert glassgrad.gradcheck(lambda x, y: _invariant(glassgrad, name, x, y, q=k, **kwargs),
                               [glassgrad.tensor(a, requires_grad=True), glassgrad.tensor(b, requires_grad=True)])


def test_svd_lowrank_with_m_approximates_a_minus_m(rng):
    """With M the factors are those of A - M; q = rank(A - M) reconstructs it."""
    a, b, c = rng.standard_normal((6, 2)), rng.standard_normal((4, 2)), rng.standard_normal((6, 4))
    base = glassgrad.tensor(a @ b.T + c)
    u, s, v = glassgrad.svd_lowrank(base, q=4, M=glassgrad.tensor(c))
    np.testing.assert_allclose((u * s[None, :] @ v.mT).numpy(), a @ b.T, atol=1e-10)


def test_a_higher_rank_matrix_is_approximated(rng):
    """Fast-decaying spectrum: the rank-3 answer's singular values are the top three, its error the 4th."""
    left, _ = np.linalg.qr(rng.standard_normal((30, 8)))
    right, _ = np.linalg.qr(rng.standard_normal((20, 8)))
    spectrum = 10.0 ** -np.arange(8)
    a = glassgrad.tensor(left * spectrum @ right.T)
    u, s, v = glassgrad.svd_lowrank(a, q=3, niter=2)
    np.testing.assert_allclose(s.numpy(), spectrum[:3], rtol=1e-6)
    error = np.linalg.norm((a - u * s[None, :] @ v.mT).numpy(), 2)
    assert error < 1.01 * spectrum[3]


def test_pca_lowrank_errors_as_torch():
    with pytest.raises(ValueError, match=r"q\(=4\) must be non-negative integer and not greater than min\(m, n\)=2"):
        glassgrad.pca_lowrank(glassgrad.zeros(2, 5), q=4)
    with pytest.raises(ValueError, match=r"niter\(=-1\) must be non-negative integer"):
        glassgrad.pca_lowrank(glassgrad.zeros(3, 5), q=2, niter=-1)
