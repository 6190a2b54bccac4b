"""The decompositions of torch.linalg (svd, eigh, eig, qr, householder_product, cholesky, lu): float64
finite differences, values and gradients against torch under random upstream gradients, the degenerate
spectra (torch's infinities), and the errors.

Singular vectors and eigenvectors are defined up to sign, so the compared functions fix the sign of each
column by its largest entry (a locally constant choice: the gradient is the factor's own).
"""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.helpers.oracle import compare_with_torch


def _signs(t, m):
    """The sign of each column's largest-magnitude entry (..., 1, k), on either library's tensors."""
    return m.gather(-2, m.abs().argmax(-2, keepdim=True)).sign()


def _svd_fixed(t, a, full=False):
    u, s, vh = t.linalg.svd(a, full_matrices=full)
    k = s.shape[-1]
    signs = _signs(t, u[..., :k])
    return u[..., :k] * signs, s, vh[..., :k, :] * signs.mT


def _eigh_fixed(t, a, uplo="L"):
    values, vectors = t.linalg.eigh(a, UPLO=uplo)
    return values, vectors * _signs(t, vectors)


def _symmetric(a):
    return a + a.mT  # eigh reads one triangle: finite differences need the perturbation symmetric


def _positive_definite(rng, *shape):
    m = rng.standard_normal(shape)
    return m @ np.swapaxes(m, -1, -2) + shape[-1] * np.eye(shape[-1])


def _real_spectrum(rng, *shape):
    """P diag(d) P^{-1}: a non-symmetric matrix whose eigenvalues d are real and well apart."""
    n = shape[-1]
    p = rng.standard_normal(shape) + 2 * np.eye(n)
    d = np.arange(1, n + 1) + 0.3 * rng.standard_normal(shape[:-1])
    return p @ (d[..., :, None] * np.linalg.inv(p))


SHAPES = [(4, 3), (3, 3), (3, 5), (2, 4, 2), (2, 2, 4)]


@pytest.mark.parametrize("shape", SHAPES)
def test_svd_gradcheck(rng, shape):
    a = rng.standard_normal(shape)
    assert glassgrad.gradcheck(lambda x: _svd_fixed(glassgrad, x), [a])
    assert glassgrad.gradcheck(glassgrad.linalg.svdvals, [a])
    assert glassgrad.gradcheck(lambda x: _svd_fixed(glassgrad, x, full=True), [a])


@pytest.mark.parametrize("shape", SHAPES)
def test_svd_matches_torch(rng, torch, shape):
    a = rng.standard_normal(shape)
    for full in (False, True):
        compare_with_torch(lambda x, f=full: _svd_fixed(glassgrad, x, f), lambda x, f=full: _svd_fixed(torch, x, f),
                           [a], torch)
    compare_with_torch(glassgrad.linalg.svdvals, torch.linalg.svdvals, [a], torch)
    compare_with_torch(lambda x: glassgrad.svd(x).V @ glassgrad.svd(x).U.mT,
                       lambda x: torch.svd(x).V @ torch.svd(x).U.mT, [a], torch)  # torch.svd's V, sign-free in V U^T
    for ord_ in (2, -2, "nuc"):
        compare_with_torch(lambda x, o=ord_: glassgrad.linalg.matrix_norm(x, o),
                           lambda x, o=ord_: torch.linalg.matrix_norm(x, o), [a], torch)
    compare_with_torch(glassgrad.linalg.cond, torch.linalg.cond, [a], torch)


def test_full_svd_shapes_and_reconstruction(rng):
    a = rng.standard_normal((2, 5, 3))
    u, s, vh = glassgrad.linalg.svd(glassgrad.tensor(a))
    assert tuple(u.shape) == (2, 5, 5) and tuple(s.shape) == (2, 3) and tuple(vh.shape) == (2, 3, 3)
    np.testing.assert_allclose((u[..., :3] * s.unsqueeze(-2)) @ vh, a, atol=1e-12)
    np.testing.assert_allclose(u.mT @ u, np.broadcast_to(np.eye(5), (2, 5, 5)), atol=1e-12)
    legacy_u, _, legacy_v = glassgrad.svd(glassgrad.tensor(a), compute_uv=False)
    assert tuple(legacy_u.shape) == (2, 5, 5) and not legacy_u.numpy().any() and tuple(legacy_v.shape) == (2, 3, 3)


def test_repeated_singular_values_give_torch_infinities(torch):
    """At a repeated singular value U and V are not functions of A (any rotation of the pair is as good):
    their gradient is NaN in torch and in glassgrad; the singular values' gradient stays finite."""
    eye = np.eye(3)
    for fn in (lambda t, x: t.linalg.svd(x)[0].sum(), lambda t, x: (t.linalg.svd(x)[0] @ t.linalg.svd(x)[2]).sum()):
        mine = glassgrad.tensor(eye, requires_grad=True)
        fn(glassgrad, mine).backward()
        theirs = torch.tensor(eye, requires_grad=True)
        fn(torch, theirs).backward()
        assert np.isnan(mine.grad.numpy()).all() and np.isnan(theirs.grad.numpy()).all()
    compare_with_torch(glassgrad.linalg.svdvals, torch.linalg.svdvals, [eye], torch)
    compare_with_torch(glassgrad.linalg.eigvalsh, torch.linalg.eigvalsh, [eye], torch)


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh_gradcheck_and_torch(rng, torch, uplo):
    a = rng.standard_normal((2, 4, 4))
    assert glassgrad.gradcheck(lambda x: _eigh_fixed(glassgrad, _symmetric(x), uplo), [a])
    assert glassgrad.gradcheck(lambda x: glassgrad.linalg.eigvalsh(_symmetric(x), uplo), [a])
    # not symmetric: only the triangle UPLO names is read, and the gradient is torch's (symmetric) one
    compare_with_torch(lambda x: _eigh_fixed(glassgrad, x, uplo), lambda x: _eigh_fixed(torch, x, uplo), [a], torch)
    compare_with_torch(lambda x: glassgrad.linalg.eigvalsh(x, uplo), lambda x: torch.linalg.eigvalsh(x, uplo), [a],
                       torch)


def test_eig_of_a_real_spectrum(rng, torch):
    a = _real_spectrum(rng, 2, 3, 3)

    def fixed(t, x):
        values, vectors = t.linalg.eig(x)
        values, vectors = values.real, vectors.real  # complex with zero imaginary parts here (both libraries)
        order = values.argsort(-1)
        vectors = vectors.gather(-1, order.unsqueeze(-2).expand(*vectors.shape))
        return values.gather(-1, order), vectors * _signs(t, vectors)
    assert glassgrad.gradcheck(lambda x: fixed(glassgrad, x), [a])
    compare_with_torch(lambda x: fixed(glassgrad, x), lambda x: fixed(torch, x), [a], torch)
    assert glassgrad.gradcheck(lambda x: glassgrad.linalg.eigvals(x).real.sort().values, [a])


@pytest.mark.parametrize("shape", SHAPES)
def test_qr(rng, torch, shape):
    a = rng.standard_normal(shape)
    modes = ["reduced"] + (["complete"] if shape[-2] <= shape[-1] else [])
    for mode in modes:
        assert glassgrad.gradcheck(lambda x, m=mode: tuple(glassgrad.linalg.qr(x, m)), [a])
        compare_with_torch(lambda x, m=mode: tuple(glassgrad.linalg.qr(x, m)),
                           lambda x, m=mode: tuple(torch.linalg.qr(x, m)), [a], torch)
    compare_with_torch(lambda x: glassgrad.linalg.qr(x, "r").R.detach(), lambda x: torch.linalg.qr(x, "r").R.detach(),
                       [a], torch)


def test_qr_refuses_the_gradients_torch_refuses(rng):
    a = glassgrad.tensor(rng.standard_normal((4, 2)), requires_grad=True)
    with pytest.raises(RuntimeError, match="mode='r'"):
        glassgrad.linalg.qr(a, "r").R.sum().backward()
    with pytest.raises(RuntimeError, match="not differentiable when mode='complete' and nrows > ncols"):
        glassgrad.linalg.qr(a, "complete").Q.sum().backward()


def test_householder_product(rng, torch):
    for shape, k in (((4, 3), 2), ((2, 5, 3), 3), ((3, 3), 3)):
        a, tau = rng.standard_normal(shape), rng.standard_normal(shape[:-2] + (k,))
        assert glassgrad.gradcheck(glassgrad.linalg.householder_product, [a, tau])
        compare_with_torch(glassgrad.linalg.householder_product, torch.linalg.householder_product, [a, tau], torch)
    a = rng.standard_normal((4, 3))
    packed, tau = glassgrad.geqrf(glassgrad.tensor(a))
    q = glassgrad.linalg.householder_product(packed, tau)
    np.testing.assert_allclose(q.numpy() @ np.triu(packed.numpy()[:3]), a, atol=1e-12)  # geqrf's Q R = A


@pytest.mark.filterwarnings("ignore:torch.cholesky is deprecated")
@pytest.mark.parametrize("upper", [False, True])
def test_cholesky(rng, torch, upper):
    a = _positive_definite(rng, 2, 4, 4)
    assert glassgrad.gradcheck(lambda x: glassgrad.linalg.cholesky(_symmetric(x) / 2, upper=upper), [a])
    compare_with_torch(lambda x: glassgrad.linalg.cholesky(x, upper=upper),
                       lambda x: torch.linalg.cholesky(x, upper=upper), [a], torch)
    compare_with_torch(lambda x: glassgrad.cholesky(x, upper), lambda x: torch.cholesky(x, upper), [a[0]], torch)


def test_cholesky_errors():
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 2 by 3 matrices"):
        glassgrad.linalg.cholesky(glassgrad.ones(2, 3))
    batch = glassgrad.tensor([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]])
    with pytest.raises(glassgrad.linalg.LinAlgError, match=r"\(Batch element 1\).*leading minor of order 2 is not "
                                                           "positive-definite"):
        glassgrad.linalg.cholesky(batch)
    lower, info = glassgrad.linalg.cholesky_ex(batch)
    assert info.tolist() == [0, 2] and info.dtype == glassgrad.int32 and np.isnan(lower[1].numpy()).all()
    with pytest.raises(RuntimeError, match="Expected a floating point tensor as input. Got int64"):
        glassgrad.linalg.cholesky(glassgrad.ones(2, 2, dtype=glassgrad.long))


@pytest.mark.parametrize("shape", SHAPES + [(2, 3, 3)])
def test_lu(rng, torch, shape):
    a = rng.standard_normal(shape)
    assert glassgrad.gradcheck(lambda x: tuple(glassgrad.linalg.lu(x))[1:], [a])
    assert glassgrad.gradcheck(lambda x: glassgrad.linalg.lu_factor(x).LU, [a])
    compare_with_torch(lambda x: tuple(glassgrad.linalg.lu(x)), lambda x: tuple(torch.linalg.lu(x)), [a], torch)
    compare_with_torch(lambda x: glassgrad.linalg.lu_factor(x).LU, lambda x: torch.linalg.lu_factor(x).LU, [a], torch)
    packed, pivots = glassgrad.linalg.lu_factor(glassgrad.tensor(a))
    p, lower, upper = glassgrad.lu_unpack(packed, pivots)
    np.testing.assert_allclose((p @ lower @ upper).numpy(), a, atol=1e-12)


def test_lu_factor_of_a_singular_matrix():
    singular = glassgrad.tensor([[1.0, 2.0], [2.0, 4.0]])
    with pytest.raises(RuntimeError, match=r"U\[2,2\] is zero"):
        glassgrad.linalg.lu_factor(singular)
    assert glassgrad.linalg.lu_factor_ex(singular).info.item() == 2
    assert glassgrad.lu(singular, get_infos=True)[2].item() == 2


def test_editing_one_factor_in_place_leaves_the_others_gradients(rng):
    """The factors share one decomposition; each output is its own copy, so an in-place edit of U cannot
    change the gradient that flows through S."""
    a = rng.standard_normal((4, 3))
    leaf = glassgrad.tensor(a, requires_grad=True)
    u, s, vh = glassgrad.linalg.svd(leaf, full_matrices=False)
    u.mul_(2.0)
    s.sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), np.linalg.svd(a, full_matrices=False)[0] @
                               np.linalg.svd(a, full_matrices=False)[2], atol=1e-12)
