"""Complex input to torch.linalg's decompositions and solvers: svd (and svdvals, torch.svd), eigh and
eigvalsh, qr, cholesky (and cholesky_solve, cholesky_inverse), slogdet and logdet, pinv, lstsq,
matrix_rank, solve_triangular (and torch.triangular_solve), lu, lu_factor, lu_solve, lu_unpack, matrix_exp,
householder_product, geqrf, ormqr, ldl_factor and ldl_solve (values only: no derivative, as in torch), and
the matrix norms and cond built on them.
Each backward is one formula written with conjugate transposes (glassgrad/ops/linalg_*.py): here float64
gradchecks (first and second order) perturbing the real and imaginary parts, and values and gradients
against torch (recorded) in complex128 and complex64.

Singular vectors and eigenvectors are defined up to a phase e^{i phi} per column, so, as torch's op
database does, the compared functions are gauge-invariant: each column's phase fixed by its largest
entry (made real and positive: a locally constant choice, so the gradient is the vectors' own), with
the matching row of Vh turned by the conjugate phase. A loss that depends on the phases is refused, as
torch refuses it.
"""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.helpers.complex_oracle import compare_complex_with_torch


def _phase(v):
    """The unit numbers conj(p_j) / |p_j|, p_j the largest-magnitude entry of column j (either library)."""
    p = v.gather(-2, v.abs().argmax(-2, keepdim=True))
    return p.conj() / p.abs()


def _svd(t, a, full_matrices):
    u, s, vh = t.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    u, vh = u[..., :k], vh[..., :k, :]
    phase = _phase(u)
    return u * phase, s, vh * phase.mT.conj()


def _svd_legacy(t, a):
    u, s, v = t.svd(a)
    return (u * s.to(u.dtype).unsqueeze(-2)) @ v.mH, s


def _eigh(t, a, uplo):
    values, vectors = t.linalg.eigh(a, UPLO=uplo)
    return values, vectors * _phase(vectors)


def _hermitian(t, a):
    return (a + a.mH) / 2


def _triangular(t, a, b, upper, left, unitriangular):
    return t.linalg.solve_triangular(a, b if left else b.mT, upper=upper, left=left, unitriangular=unitriangular)


FUNCTIONS = {
    "svd": lambda t, a, b: _svd(t, a, False),
    "svd_full": lambda t, a, b: _svd(t, a, True),
    "svdvals": lambda t, a, b: t.linalg.svdvals(a),
    "svd_legacy": lambda t, a, b: _svd_legacy(t, a),
    "eigh_lower": lambda t, a, b: _eigh(t, _hermitian(t, a), "L"),
    "eigh_upper": lambda t, a, b: _eigh(t, _hermitian(t, a), "U"),
    "eigvalsh": lambda t, a, b: t.linalg.eigvalsh(_hermitian(t, a)),
    "qr": lambda t, a, b: tuple(t.linalg.qr(a)),
    "qr_complete": lambda t, a, b: tuple(t.linalg.qr(a[..., :a.shape[-1], :], mode="complete")),
    "cholesky": lambda t, a, b: t.linalg.cholesky(_hermitian(t, a @ a.mH) + 3 * t.eye(a.shape[-2])),
    "cholesky_upper": lambda t, a, b: t.linalg.cholesky(_hermitian(t, a @ a.mH) + 3 * t.eye(a.shape[-2]), upper=True),
    "cholesky_solve": lambda t, a, b: t.cholesky_solve(b, a.tril()),
    "cholesky_inverse_upper": lambda t, a, b: t.cholesky_inverse(a.triu(), upper=True),
    "slogdet": lambda t, a, b: tuple(t.linalg.slogdet(a)),
    "logdet": lambda t, a, b: t.logdet(a),
    "pinv": lambda t, a, b: t.linalg.pinv(a),
    "pinv_hermitian": lambda t, a, b: t.linalg.pinv(_hermitian(t, a), hermitian=True),
    "lstsq": lambda t, a, b: t.linalg.lstsq(a, b).solution,
    "solve_triangular": lambda t, a, b: _triangular(t, a, b, True, True, False),
    "solve_triangular_lower_right_unit": lambda t, a, b: _triangular(t, a, b, False, False, True),
    "triangular_solve_transpose": lambda t, a, b: t.triangular_solve(b, a, upper=False, transpose=True)[0],
    "matrix_norm_fro": lambda t, a, b: t.linalg.matrix_norm(a),
    "matrix_norm_nuc": lambda t, a, b: t.linalg.matrix_norm(a, "nuc"),
    "matrix_norm_2": lambda t, a, b: t.linalg.matrix_norm(a, 2),
    "matrix_norm_1": lambda t, a, b: t.linalg.matrix_norm(a, 1),
    "matrix_norm_-inf": lambda t, a, b: t.linalg.matrix_norm(a, -float("inf")),
    "norm": lambda t, a, b: t.linalg.norm(a),
    "cond": lambda t, a, b: t.linalg.cond(a),
    "lu": lambda t, a, b: tuple(t.linalg.lu(a))[1:],
    "lu_factor": lambda t, a, b: t.linalg.lu_factor(a).LU,
    "lu_unpack": lambda t, a, b: tuple(t.lu_unpack(*t.linalg.lu_factor(a)))[1:],
    "lu_solve": lambda t, a, b: t.linalg.lu_solve(*t.linalg.lu_factor(a), b),
    "lu_solve_adjoint_right": lambda t, a, b: t.linalg.lu_solve(*t.linalg.lu_factor(a), b.mT, left=False,
                                                                adjoint=True),
    "matrix_exp": lambda t, a, b: t.linalg.matrix_exp(a / 4),
    "householder_product": lambda t, a, b: t.linalg.householder_product(a if a.shape[-2] >= a.shape[-1] else a.mT,
                                                                         b[..., 0, :]),
    "ormqr_adjoint": lambda t, a, b: t.ormqr(a, a[..., 0, :min(a.shape[-2:])], b, transpose=True),  # (a[0, 1:]:
    # above the diagonal, not read as reflectors)
    "geqrf": lambda t, a, b: tuple(t.geqrf(a.detach())),  # (values only: no derivative, as in torch)
}

SQUARE = {"eigh_lower", "eigh_upper", "eigvalsh", "cholesky_solve", "cholesky_inverse_upper", "slogdet", "logdet",
          "pinv_hermitian", "solve_triangular", "solve_triangular_lower_right_unit", "triangular_solve_transpose",
          "lu_solve", "lu_solve_adjoint_right", "matrix_exp"}
SHAPES = [(3, 3), (2, 4, 2), (2, 4)]  # square, tall (batched), wide


def _inputs(rng, name, shape):
    """A complex matrix A of ``shape`` (made well inside the op's domain) and B (m, 2) to solve for."""
    if name in SQUARE:
        shape = shape[:-1] + (shape[-2],)
    a = rng.standard_normal(shape) + 1j * rng.standard_normal(shape)
    if name in SQUARE:
        a = a + 3 * np.eye(shape[-1])  # diagonally dominant: triangles invertible, Cholesky factors with a real
        a[..., range(shape[-1]), range(shape[-1])] = a.diagonal(0, -2, -1).real  # positive diagonal
    b = rng.standard_normal(shape[:-1] + (2,)) + 1j * rng.standard_normal(shape[:-1] + (2,))
    return a, b


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", [name for name in FUNCTIONS if name != "geqrf"])
def test_gradcheck(rng, name, shape):
    a, b = _inputs(rng, name, shape)
    fn = FUNCTIONS[name]
    inputs = [glassgrad.tensor(a, requires_grad=True), glassgrad.tensor(b, requires_grad=True)]
    assert glassgrad.gradcheck(lambda x, y: fn(glassgrad, x, y), inputs)


@pytest.mark.parametrize("name", [name for name in FUNCTIONS if name != "geqrf"])
def test_gradgradcheck(rng, name):
    """The backward of each records its graph on complex input (create_graph=True) and is itself right."""
    a, b = _inputs(rng, name, (3, 3))
    fn = FUNCTIONS[name]
    inputs = [glassgrad.tensor(a, requires_grad=True), glassgrad.tensor(b, requires_grad=True)]
    assert glassgrad.autograd.gradgradcheck(lambda x, y: fn(glassgrad, x, y), inputs)


@pytest.mark.filterwarnings("ignore:torch.triangular_solve is deprecated")
@pytest.mark.parametrize("precision", ["double", "single"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", FUNCTIONS)
def test_matches_torch(rng, torch, name, shape, precision):
    a, b = _inputs(rng, name, shape)
    dtype = np.complex128 if precision == "double" else np.complex64
    tolerance = {} if precision == "double" else {"rtol": 2e-3, "atol": 2e-4}
    fn = FUNCTIONS[name]
    compare_complex_with_torch(lambda x, y: fn(glassgrad, x, y), lambda x, y: fn(torch, x, y),
                               [a.astype(dtype), b.astype(dtype)], torch, **tolerance)


@pytest.mark.parametrize("p", ["fro", "nuc", 1, -1, float("inf"), -float("inf")])
def test_cond_from_the_inverse(rng, torch, p):
    """cond(A, p) = ||A|| ||A^{-1}|| for the norms that are not from the singular values: values as torch's,
    the gradient checked by finite differences (torch's own backward of these fails on an in-place edit)."""
    a = rng.standard_normal((2, 3, 3)) + 1j * rng.standard_normal((2, 3, 3))
    np.testing.assert_allclose(glassgrad.linalg.cond(glassgrad.tensor(a), p).numpy(),
                               torch.linalg.cond(torch.tensor(a), p).numpy(), rtol=1e-10)
    assert glassgrad.gradcheck(lambda x: glassgrad.linalg.cond(x, p), [glassgrad.tensor(a, requires_grad=True)])


def test_matrix_rank_and_lstsq_outputs_match_torch(rng, torch):
    """The rank of a complex rank-2 matrix, and lstsq's real residuals and singular values."""
    a = (rng.standard_normal((4, 2)) + 1j * rng.standard_normal((4, 2))) @ (
        rng.standard_normal((2, 3)) + 1j * rng.standard_normal((2, 3)))
    b = rng.standard_normal((4, 2)) + 1j * rng.standard_normal((4, 2))
    assert int(glassgrad.linalg.matrix_rank(glassgrad.tensor(a))) == int(torch.linalg.matrix_rank(torch.tensor(a)))
    full = a[:, :2]
    ours = glassgrad.linalg.lstsq(glassgrad.tensor(full), glassgrad.tensor(b), driver="gelsd")
    theirs = torch.linalg.lstsq(torch.tensor(full), torch.tensor(b), driver="gelsd")
    for got, expected in zip(ours, theirs):
        assert got.numpy().dtype == expected.numpy().dtype
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-9, atol=1e-12)


def test_a_loss_that_depends_on_the_eigenvector_phases_is_refused(rng, torch):
    """sum(Re V) changes when a column is multiplied by e^{i phi}: no gradient, torch's RuntimeError."""
    a = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    a = a + a.conj().T
    for library in (glassgrad, torch):
        x = library.tensor(a, requires_grad=True)
        _, vectors = library.linalg.eigh(x)
        with pytest.raises(RuntimeError, match="specified up to multiplication by e\\^\\{i phi\\}"):
            vectors.real.sum().backward()


def test_values_are_real_and_factors_reconstruct(rng):
    """S and the eigenvalues are real (float64 for complex128, float32 for complex64); A = U S Vh = Q R = L L^H."""
    a = rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))
    for dtype, real in ((glassgrad.complex128, glassgrad.float64), (glassgrad.complex64, glassgrad.float32)):
        x = glassgrad.tensor(a, dtype=dtype)
        u, s, vh = glassgrad.linalg.svd(x)
        assert s.dtype == real and u.dtype == dtype
        assert glassgrad.linalg.eigvalsh(x + x.mH).dtype == real
        assert glassgrad.linalg.slogdet(x).logabsdet.dtype == real
        tolerance = 1e-12 if dtype == glassgrad.complex128 else 1e-5
        np.testing.assert_allclose(((u * s.to(dtype)) @ vh).numpy(), x.numpy(), atol=tolerance)
        q, r = glassgrad.linalg.qr(x)
        np.testing.assert_allclose((q @ r).numpy(), x.numpy(), atol=tolerance)
        np.testing.assert_allclose(r.numpy().diagonal().imag, 0.0, atol=tolerance)
        spd = x @ x.mH + glassgrad.eye(3)
        lower = glassgrad.linalg.cholesky(spd)
        np.testing.assert_allclose((lower @ lower.mH).numpy(), spd.numpy(), atol=10 * tolerance)


@pytest.mark.parametrize("hermitian", [False, True])
def test_ldl_factor_and_solve_match_torch(rng, torch, hermitian):
    """Complex symmetric (sytrf) or Hermitian (hetrf) LDL: LD, pivots and the solve as torch's; no derivative."""
    a = rng.standard_normal((2, 4, 4)) + 1j * rng.standard_normal((2, 4, 4))
    a = a + (np.conj(np.swapaxes(a, -1, -2)) if hermitian else np.swapaxes(a, -1, -2))
    b = rng.standard_normal((2, 4, 3)) + 1j * rng.standard_normal((2, 4, 3))
    ld, pivots = glassgrad.linalg.ldl_factor(glassgrad.tensor(a), hermitian=hermitian)
    expected_ld, expected_pivots = torch.linalg.ldl_factor(torch.tensor(a), hermitian=hermitian)
    np.testing.assert_allclose(ld.numpy(), expected_ld.numpy(), atol=1e-12)
    np.testing.assert_array_equal(pivots.numpy(), expected_pivots.numpy())
    x = glassgrad.linalg.ldl_solve(ld, pivots, glassgrad.tensor(b), hermitian=hermitian)
    expected = torch.linalg.ldl_solve(expected_ld, expected_pivots, torch.tensor(b), hermitian=hermitian)
    np.testing.assert_allclose(x.numpy(), expected.numpy(), atol=1e-12)
    z = glassgrad.tensor(a, requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for linalg.ldl_factor is not implemented"):
        glassgrad.linalg.ldl_factor(z, hermitian=hermitian).LD.abs().sum().backward()


def _singular_vectors_phase_dependent(t, a):
    u, _, vh = t.linalg.svd(a, full_matrices=False)
    return u.real.sum() + vh.abs().sum()


def _singular_vectors_phase_free(t, a):
    """Each column's phase cancels between U and Vh: u_j vh_j is invariant, and so is this loss, though
    U's and Vh's shares of Im diag(...) are each away from 0 (the test sums them over the outputs)."""
    u, _, vh = t.linalg.svd(a, full_matrices=False)
    view = u[..., :1] @ vh[..., :1, :]
    return view.real.sum() + 2 * view.imag.sum()


def test_svd_refuses_a_loss_that_depends_on_the_singular_vector_phases(rng, torch):
    a = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    for library in (glassgrad, torch):
        x = library.tensor(a, requires_grad=True)
        with pytest.raises(RuntimeError, match="specified up to multiplication by e\\^\\{i phi\\}"):
            _singular_vectors_phase_dependent(library, x).backward()
    compare_complex_with_torch(lambda x: _singular_vectors_phase_free(glassgrad, x),
                               lambda x: _singular_vectors_phase_free(torch, x), [a], torch)
