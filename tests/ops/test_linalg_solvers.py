"""The solvers and matrix functions of torch.linalg (solve_triangular, cholesky_solve/inverse, lu_solve,
slogdet, pinv, lstsq, matrix_rank, matrix_exp, matrix_power, multi_dot, cross, vecdot, vander and the
torch-level forms): float64 finite differences, values and gradients against torch, and the errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad
from tests.helpers.oracle import compare_with_torch


def _conditioned(rng, *shape):
    return rng.standard_normal(shape) + shape[-1] * np.eye(shape[-1])


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unitriangular", [False, True])
def test_solve_triangular(rng, torch, upper, left, unitriangular):
    a = _conditioned(rng, 2, 3, 3)
    b = rng.standard_normal((2, 3, 4) if left else (2, 4, 3))
    options = {"upper": upper, "left": left, "unitriangular": unitriangular}
    assert glassgrad.gradcheck(lambda x, y: glassgrad.linalg.solve_triangular(x, y, **options), [a, b])
    compare_with_torch(lambda x, y: glassgrad.linalg.solve_triangular(x, y, **options),
                       lambda x, y: torch.linalg.solve_triangular(x, y, **options), [a, b], torch)


@pytest.mark.filterwarnings("ignore:torch.triangular_solve is deprecated")
def test_triangular_solve_legacy(rng, torch):
    a, b = _conditioned(rng, 3, 3), rng.standard_normal((2, 3, 2))  # batch dimensions broadcast
    for transpose in (False, True):
        compare_with_torch(lambda y, x, t=transpose: glassgrad.triangular_solve(y, x, True, t).solution,
                           lambda y, x, t=transpose: torch.triangular_solve(y, x, True, t).solution, [b, a], torch)


def test_solve_triangular_errors():
    singular = glassgrad.tensor([[1.0, 2.0], [0.0, 0.0]])
    with pytest.raises(glassgrad.linalg.LinAlgError, match="singular"):
        glassgrad.linalg.solve_triangular(singular, glassgrad.ones(2, 1), upper=True)
    with pytest.raises(RuntimeError, match="B must have at least 2 dimensions"):
        glassgrad.linalg.solve_triangular(glassgrad.eye(2), glassgrad.ones(2), upper=True)
    with pytest.raises(RuntimeError, match="Incompatible shapes of A and B for the equation AX = B"):
        glassgrad.linalg.solve_triangular(glassgrad.eye(2), glassgrad.ones(3, 1), upper=True)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_and_inverse(rng, torch, upper):
    m = rng.standard_normal((2, 3, 3))
    factor = np.linalg.cholesky(m @ np.swapaxes(m, -1, -2) + 3 * np.eye(3))
    factor = np.swapaxes(factor, -1, -2) if upper else factor
    b = rng.standard_normal((2, 3, 2))
    # the factor's other triangle is not read, but torch's gradient fills it (A = L L^T with L a full
    # matrix); finite differences see the triangle alone
    triangle = (lambda f: f.triu()) if upper else (lambda f: f.tril())
    assert glassgrad.gradcheck(lambda y, f: glassgrad.cholesky_solve(y, triangle(f), upper), [b, factor])
    compare_with_torch(lambda y, f: glassgrad.cholesky_solve(y, f, upper),
                       lambda y, f: torch.cholesky_solve(y, f, upper), [b, factor], torch)
    assert glassgrad.gradcheck(lambda f: glassgrad.cholesky_inverse(triangle(f), upper), [factor[0]])
    compare_with_torch(lambda f: glassgrad.cholesky_inverse(f, upper), lambda f: torch.cholesky_inverse(f, upper),
                       [factor[0]], torch)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve(rng, torch, left, adjoint):
    a = _conditioned(rng, 2, 3, 3)
    packed, pivots = glassgrad.linalg.lu_factor(glassgrad.tensor(a))
    b = rng.standard_normal((2, 3, 2) if left else (2, 2, 3))
    options = {"left": left, "adjoint": adjoint}
    assert glassgrad.gradcheck(lambda lu, y: glassgrad.linalg.lu_solve(lu, pivots, y, **options), [packed.numpy(), b])
    compare_with_torch(lambda lu, y: glassgrad.linalg.lu_solve(lu, pivots, y, **options),
                       lambda lu, y: torch.linalg.lu_solve(lu, torch.tensor(pivots.numpy()), y, **options),
                       [packed.numpy(), b], torch)
    x = glassgrad.linalg.lu_solve(packed, pivots, glassgrad.tensor(b), **options).numpy()
    op = np.swapaxes(a, -1, -2) if adjoint else a
    np.testing.assert_allclose(op @ x if left else x @ op, b, atol=1e-12)


def test_slogdet_and_logdet(rng, torch):
    a = _conditioned(rng, 2, 3, 3)
    a[1] *= -1  # a negative determinant: logdet is NaN there
    assert glassgrad.gradcheck(lambda x: glassgrad.linalg.slogdet(x).logabsdet, [a])
    compare_with_torch(lambda x: tuple(glassgrad.linalg.slogdet(x)), lambda x: tuple(torch.linalg.slogdet(x)), [a],
                       torch)
    compare_with_torch(glassgrad.logdet, torch.logdet, [a[:1]], torch)
    assert math.isnan(glassgrad.logdet(glassgrad.tensor(a[1])).item())
    assert glassgrad.logdet(glassgrad.zeros(2, 2)).item() == -math.inf


@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3)])
def test_pinv(rng, torch, shape):
    a = rng.standard_normal(shape)
    assert glassgrad.gradcheck(glassgrad.linalg.pinv, [a])
    compare_with_torch(glassgrad.linalg.pinv, torch.linalg.pinv, [a], torch)
    compare_with_torch(glassgrad.pinverse, torch.pinverse, [a], torch)


def test_pinv_of_low_rank_and_hermitian_matrices(rng, torch):
    """A rank-2 4 x 4 matrix has two zero singular values, where the SVD's gradient is NaN; the
    pseudo-inverse's own formula (torch's) is finite."""
    low = rng.standard_normal((4, 2)) @ rng.standard_normal((2, 4))
    compare_with_torch(glassgrad.linalg.pinv, torch.linalg.pinv, [low], torch)
    assert glassgrad.linalg.matrix_rank(glassgrad.tensor(low)).item() == 2
    m = rng.standard_normal((3, 3))
    symmetric = m + m.T
    compare_with_torch(lambda x: glassgrad.linalg.pinv(x, hermitian=True),
                       lambda x: torch.linalg.pinv(x, hermitian=True), [symmetric], torch)
    for options in ({"atol": 1.0}, {"rtol": 0.5}, {"atol": 0.1, "rtol": 0.2}):
        compare_with_torch(lambda x, o=options: glassgrad.linalg.pinv(x, **o),
                           lambda x, o=options: torch.linalg.pinv(x, **o), [symmetric], torch)
        assert glassgrad.linalg.matrix_rank(glassgrad.tensor(symmetric), **options).item() == \
            torch.linalg.matrix_rank(torch.tensor(symmetric), **options).item()


@pytest.mark.parametrize("driver", [None, "gels", "gelsd"])
def test_lstsq(rng, torch, driver):
    a, b = rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 2))

    def parts(result):
        return result.solution, result.residuals
    compare_with_torch(lambda x, y: parts(glassgrad.linalg.lstsq(x, y, driver=driver)),
                       lambda x, y: parts(torch.linalg.lstsq(x, y, driver=driver)), [a, b], torch)
    mine, theirs = (lib.linalg.lstsq(lib.tensor(a), lib.tensor(b), driver=driver) for lib in (glassgrad, torch))
    for field in ("rank", "singular_values"):
        assert tuple(getattr(mine, field).shape) == tuple(getattr(theirs, field).shape)
        np.testing.assert_allclose(getattr(mine, field).numpy(), getattr(theirs, field).numpy(), atol=1e-12)
    assert glassgrad.gradcheck(lambda x, y: glassgrad.linalg.lstsq(x, y).solution, [a, b])


def test_matrix_exp_and_power(rng, torch):
    a = rng.standard_normal((2, 3, 3)) / 2
    assert glassgrad.gradcheck(glassgrad.linalg.matrix_exp, [a])
    compare_with_torch(glassgrad.matrix_exp, torch.matrix_exp, [a], torch)
    b = _conditioned(rng, 2, 3, 3) / 3
    for n in (0, 1, 2, 5, -1, -3):
        assert glassgrad.gradcheck(lambda x, k=n: glassgrad.linalg.matrix_power(x, k), [b])
        compare_with_torch(lambda x, k=n: glassgrad.linalg.matrix_power(x, k),
                           lambda x, k=n: torch.linalg.matrix_power(x, k), [b], torch)


def test_multi_dot(rng, torch):
    shapes = [(3,), (3, 4), (4, 2), (2,)], [(2, 3), (3, 4), (4, 5)], [(3,), (3, 2)]
    for group in shapes:
        arrays = [rng.standard_normal(s) for s in group]
        assert glassgrad.gradcheck(lambda *xs: glassgrad.linalg.multi_dot(xs), arrays)
        compare_with_torch(lambda *xs: glassgrad.linalg.multi_dot(xs), lambda *xs: torch.linalg.multi_dot(xs), arrays,
                           torch)
    with pytest.raises(RuntimeError, match="expected at least 2 tensors"):
        glassgrad.linalg.multi_dot([glassgrad.ones(2, 2)])


def test_cross_vecdot_vander(rng, torch):
    a, b = rng.standard_normal((2, 4, 3)), rng.standard_normal((1, 4, 3))
    assert glassgrad.gradcheck(glassgrad.linalg.cross, [a, b])
    compare_with_torch(glassgrad.linalg.cross, torch.linalg.cross, [a, b], torch)
    c, d = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
    compare_with_torch(lambda x, y: glassgrad.cross(x, y, dim=0), lambda x, y: torch.cross(x, y, dim=0), [c, d], torch)
    compare_with_torch(glassgrad.linalg.vecdot, torch.linalg.vecdot, [a, b], torch)
    x = np.array([0.0, 1.5, -2.0])
    assert glassgrad.gradcheck(lambda t: glassgrad.linalg.vander(t, N=4), [x])
    compare_with_torch(lambda t: glassgrad.linalg.vander(t, N=4), lambda t: torch.linalg.vander(t, N=4), [x], torch)
    # values only: torch's own backward of torch.vander fails (an in-place edit of a saved tensor)
    compare_with_torch(lambda t: glassgrad.vander(t).detach(), lambda t: torch.vander(t).detach(), [x], torch)
    assert glassgrad.gradcheck(lambda t: glassgrad.vander(t, 3, increasing=False), [x])
    with pytest.raises(RuntimeError, match="must have length 3"):
        glassgrad.linalg.cross(glassgrad.ones(2), glassgrad.ones(2))


def test_inverse_extras(rng, torch):
    a = _conditioned(rng, 2, 3, 3)
    compare_with_torch(lambda x: glassgrad.linalg.inv_ex(x).inverse, lambda x: torch.linalg.inv_ex(x).inverse, [a],
                       torch)
    # values only: torch's own backward of cond(A, 1) fails (it edits inv_ex's output in place)
    compare_with_torch(lambda x: glassgrad.linalg.cond(x, 1).detach(), lambda x: torch.linalg.cond(x, 1).detach(), [a],
                       torch)
    assert glassgrad.gradcheck(lambda x: glassgrad.linalg.cond(x, "fro"), [a])
    singular = glassgrad.tensor([[[1.0, 2.0], [2.0, 4.0]], [[1.0, 0.0], [0.0, 2.0]]])
    inverse, info = glassgrad.linalg.inv_ex(singular)
    assert info.tolist() == [2, 0] and np.isnan(inverse[0].numpy()).all()
    np.testing.assert_allclose(inverse[1].numpy(), [[1.0, 0.0], [0.0, 0.5]])
    assert glassgrad.linalg.cond(singular, "fro").tolist()[0] == math.inf
    t = rng.standard_normal((2, 3, 6))
    compare_with_torch(lambda x: glassgrad.linalg.tensorinv(x, 2), lambda x: torch.linalg.tensorinv(x, 2),
                       [t + np.eye(6).reshape(6, 2, 3).transpose(1, 2, 0) * 3], torch)


def test_ldl_factor_and_solve(rng, torch):
    """LAPACK's Bunch-Kaufman factorization of a symmetric indefinite matrix, in torch's compact form; no
    derivative, as in torch."""
    m = rng.standard_normal((2, 4, 4))
    a, b = m + np.swapaxes(m, -1, -2), rng.standard_normal((2, 4, 3))
    mine = glassgrad.linalg.ldl_factor(glassgrad.tensor(a))
    theirs = torch.linalg.ldl_factor(torch.tensor(a))
    np.testing.assert_allclose(mine.LD.numpy(), theirs.LD.numpy(), atol=1e-12)
    assert mine.pivots.tolist() == theirs.pivots.tolist()
    x = glassgrad.linalg.ldl_solve(mine.LD, mine.pivots, glassgrad.tensor(b))
    np.testing.assert_allclose(x.numpy(), torch.linalg.ldl_solve(theirs.LD, theirs.pivots, torch.tensor(b)).numpy(),
                               atol=1e-10)
    np.testing.assert_allclose(a @ x.numpy(), b, atol=1e-10)
    leaf = glassgrad.tensor(a, requires_grad=True)
    with pytest.raises(RuntimeError, match="derivative for linalg.ldl_factor is not implemented"):
        glassgrad.linalg.ldl_factor(leaf).LD.sum().backward()
