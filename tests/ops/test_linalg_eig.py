"""torch.linalg.eig and eigvals (glassgrad/ops/linalg_eig.py) on real and complex matrices: complex results as
torch's, float64 gradchecks and values/gradients against torch (recorded), torch's refusal of a loss that
depends on the eigenvectors' phases, repeated eigenvalues, and the errors.

A unit eigenvector is defined up to a phase e^{i phi}, so the compared functions are gauge-invariant: the
eigenvalues, |V|, and V with each column's phase fixed by its largest entry (made real and positive: a
locally constant choice, so the gradient is V's own). Both libraries call LAPACK's geev, so the
eigenvalues come in the same order.
"""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.helpers.complex_oracle import compare_complex_with_torch


def _phase_fixed(v):
    """V with column j multiplied by conj(p_j)/|p_j|, p_j its largest-magnitude entry (either library)."""
    p = v.gather(-2, v.abs().argmax(-2, keepdim=True))
    return v * (p.conj() / p.abs())


def _eig_fixed(t, a):
    values, vectors = t.linalg.eig(a)
    return values, _phase_fixed(vectors)


def _eig_abs(t, a):
    values, vectors = t.linalg.eig(a)
    return values, vectors.abs()


def _matrix(rng, *shape, complex_=False):
    """A random matrix: its eigenvalues are distinct (almost surely), in conjugate pairs when it is real."""
    a = rng.standard_normal(shape)
    return a + 1j * rng.standard_normal(shape) if complex_ else a


CASES = [((4, 4), False), ((2, 3, 3), False), ((3, 3), True), ((2, 1, 4, 4), True), ((1, 1), False)]


@pytest.mark.parametrize("shape, complex_", CASES)
def test_eig_gradcheck(rng, shape, complex_):
    a = glassgrad.tensor(_matrix(rng, *shape, complex_=complex_), requires_grad=True)
    assert glassgrad.gradcheck(lambda x: _eig_fixed(glassgrad, x), [a])
    assert glassgrad.gradcheck(lambda x: _eig_abs(glassgrad, x), [a])
    assert glassgrad.gradcheck(glassgrad.linalg.eigvals, [a])


@pytest.mark.parametrize("shape, complex_", CASES)
@pytest.mark.parametrize("precision", ["double", "single"])
def test_eig_matches_torch(rng, torch, shape, complex_, precision):
    a = _matrix(rng, *shape, complex_=complex_)
    a = a.astype({(False, "double"): np.float64, (False, "single"): np.float32,
                  (True, "double"): np.complex128, (True, "single"): np.complex64}[complex_, precision])
    tolerance = {} if precision == "double" else {"rtol": 1e-3, "atol": 1e-4}
    compare_complex_with_torch(lambda x: _eig_fixed(glassgrad, x), lambda x: _eig_fixed(torch, x), [a], torch,
                               **tolerance)
    compare_complex_with_torch(lambda x: _eig_abs(glassgrad, x), lambda x: _eig_abs(torch, x), [a], torch,
                               **tolerance)
    compare_complex_with_torch(glassgrad.linalg.eigvals, torch.linalg.eigvals, [a], torch, **tolerance)


def test_results_are_complex_and_reconstruct_the_matrix(rng):
    """Always complex (complex64 for float32); A V = V diag(L); unit columns; a rotation's eigenvalues +-i."""
    a = _matrix(rng, 2, 4, 4)
    values, vectors = glassgrad.linalg.eig(glassgrad.tensor(a))
    assert values.dtype == glassgrad.complex128 and vectors.dtype == glassgrad.complex128
    v, lam = vectors.numpy(), values.numpy()
    np.testing.assert_allclose(a @ v, v * lam[..., None, :], atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(v, axis=-2), 1.0)
    rotation = glassgrad.tensor([[0.0, -1.0], [1.0, 0.0]], dtype=glassgrad.float32)
    assert glassgrad.linalg.eigvals(rotation).dtype == glassgrad.complex64
    np.testing.assert_allclose(np.sort_complex(glassgrad.linalg.eigvals(rotation).numpy()), [-1j, 1j], atol=1e-6)


def test_a_loss_that_depends_on_the_phases_is_refused(rng):
    """sum(Re V) changes when a column is multiplied by e^{i phi}: no gradient, torch's RuntimeError."""
    a = glassgrad.tensor(_matrix(rng, 3, 3), requires_grad=True)
    _, vectors = glassgrad.linalg.eig(a)
    with pytest.raises(RuntimeError, match="specified up to multiplication by"):
        vectors.real.sum().backward()


def test_repeated_eigenvalues(torch):
    """At the identity the eigenvalues' gradient is finite (the identity), the eigenvectors' NaN: as torch."""
    values_grad = compare_complex_with_torch(glassgrad.linalg.eigvals, torch.linalg.eigvals, [np.eye(3)], torch)
    np.testing.assert_allclose(values_grad[0], np.eye(3) * values_grad[0].diagonal())
    vectors_grad = compare_complex_with_torch(lambda x: _eig_abs(glassgrad, x)[1], lambda x: _eig_abs(torch, x)[1],
                                              [np.eye(3)], torch)
    assert np.isnan(vectors_grad[0]).all()


def test_bad_input_raises_as_torch():
    with pytest.raises(RuntimeError, match="must be batches of square matrices, but they are 2 by 3"):
        glassgrad.linalg.eig(glassgrad.zeros(2, 3))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        glassgrad.linalg.eigvals(glassgrad.zeros(3))
    with pytest.raises(RuntimeError, match="Expected a float32, float64, complex64 or complex128"):
        glassgrad.linalg.eig(glassgrad.zeros(2, 2, dtype=glassgrad.int64))
    with pytest.raises(RuntimeError, match="should not contain infs or NaNs"):
        glassgrad.linalg.eig(glassgrad.tensor([[float("nan"), 1.0], [0.0, 1.0]]))
