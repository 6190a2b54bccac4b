"""Op-table rows for torch.linalg's decompositions, solvers and matrix functions (joined into ``OPS`` by
op_table.py): each is gradchecked in float64 and compared with torch in float64 and float32.

The matrices are built from a drawn seed with a known spectrum, so that every case lies inside the op's
domain with a margin that float32 respects: singular values and eigenvalues at least 0.5 apart and away
from zero (the SVD's and eigh's gradients divide by their differences), positive-definite matrices for
Cholesky, diagonally dominant ones for the solves. Singular vectors and eigenvectors are compared with
the sign of each column fixed by its largest entry (both libraries are right up to that sign); eigh and
cholesky read one triangle, so their rows symmetrize the input first, which makes finite differences
see what the gradient sees.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

import glassgrad
from tests.ops.op_table import OpSpec
from tests.ops.strategies import Case


def _rng(draw: st.DrawFn) -> np.random.Generator:
    return np.random.default_rng(draw(st.integers(0, 2**16)))


def _orthonormal(rng: np.random.Generator, batch: tuple[int, ...], n: int, k: int) -> np.ndarray:
    q, r = np.linalg.qr(rng.standard_normal(batch + (n, k)))
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]


def _spectrum(rng: np.random.Generator, batch: tuple[int, ...], k: int, low: float = 0.5) -> np.ndarray:
    """k values, distinct and at least 0.5 apart, all >= ``low`` (descending)."""
    steps = 0.5 + rng.random(batch + (k,))
    return low + np.cumsum(steps, axis=-1)[..., ::-1]


@st.composite
def matrix_case(draw: st.DrawFn, kind: str = "general", square: bool = False, **params: st.SearchStrategy[Any]
                ) -> Case:
    """One matrix (batch, m, n) of ``kind``: 'general' (U diag(s) V^T, s spaced), 'symmetric' (spaced
    eigenvalues of both signs), 'spd' (positive eigenvalues), 'real_spectrum' (P diag(d) P^{-1}),
    'dominant' (random + (n + 1) I)."""
    rng = _rng(draw)
    batch = draw(st.sampled_from([(), (2,)]))
    m = draw(st.integers(1, 4))
    n = m if square or kind != "general" else draw(st.integers(1, 4))
    k = min(m, n)
    if kind == "general":
        a = _orthonormal(rng, batch, m, k) * _spectrum(rng, batch, k)[..., None, :] @ np.swapaxes(
            _orthonormal(rng, batch, n, k), -1, -2)
    elif kind == "real_spectrum":  # P diag(d) P^{-1}: not symmetric, its eigenvalues real and spread
        p = rng.standard_normal(batch + (n, n)) + (n + 1) * np.eye(n)
        a = p @ (_spectrum(rng, batch, n, low=-n / 2)[..., :, None] * np.linalg.inv(p))
    elif kind == "dominant":
        a = rng.standard_normal(batch + (n, n)) + (n + 1) * np.eye(n)
    else:
        values = _spectrum(rng, batch, n, low=0.5 if kind == "spd" else -n / 2 - 0.25)
        q = _orthonormal(rng, batch, n, n)
        a = (q * values[..., None, :]) @ np.swapaxes(q, -1, -2)
    return Case((a,), {name: draw(strategy) for name, strategy in params.items()})


@st.composite
def solve_case(draw: st.DrawFn, **params: st.SearchStrategy[Any]) -> Case:
    """A diagonally dominant A (batch, n, n) and B fitting ``left`` (drawn into the params)."""
    rng = _rng(draw)
    batch, n, k = draw(st.sampled_from([(), (2,)])), draw(st.integers(1, 4)), draw(st.integers(1, 3))
    chosen = {name: draw(strategy) for name, strategy in params.items()}
    a = rng.standard_normal(batch + (n, n)) + (n + 1) * np.eye(n)
    b = rng.standard_normal(batch + ((n, k) if chosen.get("left", True) else (k, n)))
    return Case((a, b), chosen)


@st.composite
def lu_solve_case(draw: st.DrawFn) -> Case:
    """A packed LU (U's diagonal away from 0), valid pivots, B, ``left`` and ``adjoint``."""
    rng = _rng(draw)
    n, k = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    packed = 0.5 * rng.standard_normal((n, n))
    packed[range(n), range(n)] = rng.choice([-1.0, 1.0], n) * (1 + rng.random(n))
    pivots = np.array([rng.integers(i + 1, n + 1) for i in range(n)], dtype=np.int32)
    left, adjoint = draw(st.booleans()), draw(st.booleans())
    b = rng.standard_normal((n, k) if left else (k, n))
    return Case((packed, b), {"pivots": pivots, "left": left, "adjoint": adjoint})


@st.composite
def householder_case(draw: st.DrawFn) -> Case:
    rng = _rng(draw)
    n = draw(st.integers(1, 3))
    m, k = n + draw(st.integers(0, 2)), draw(st.integers(0, n))
    return Case((rng.standard_normal((m, n)), rng.standard_normal((k,))))


@st.composite
def seeded_arrays(draw: st.DrawFn, *shapes: tuple[int, ...], scale: float = 1.0, **params: st.SearchStrategy[Any]
                  ) -> Case:
    rng = _rng(draw)
    return Case(tuple(scale * rng.standard_normal(s) for s in shapes),
                {name: draw(strategy) for name, strategy in params.items()})


# ----- sign-fixed and symmetrized forms, written once for either library (t: glassgrad or torch) -----
def _column_signs(m: Any) -> Any:
    return m.gather(-2, m.abs().argmax(-2, keepdim=True)).sign()


def _svd(t: Any, a: Any, full_matrices: bool) -> tuple[Any, ...]:
    u, s, vh = t.linalg.svd(a, full_matrices=full_matrices)
    k = s.shape[-1]
    signs = _column_signs(u[..., :k])
    return u[..., :k] * signs, s, vh[..., :k, :] * signs.mT


def _eigh(t: Any, a: Any, uplo: str) -> tuple[Any, ...]:
    values, vectors = t.linalg.eigh((a + a.mT) / 2, UPLO=uplo)
    return values, vectors * _column_signs(vectors)


def _eig(t: Any, a: Any) -> tuple[Any, ...]:
    values, vectors = t.linalg.eig(a)
    values, vectors = values.real, vectors.real  # complex, with zero imaginary parts for a real spectrum
    order = values.argsort(-1)
    vectors = vectors.gather(-1, order.unsqueeze(-2).expand(*vectors.shape))
    return values.gather(-1, order), vectors * _column_signs(vectors)


def _lu_solve(t: Any, packed: Any, b: Any, pivots: np.ndarray, left: bool, adjoint: bool) -> Any:
    return t.linalg.lu_solve(packed, t.from_numpy(pivots.copy()), b, left=left, adjoint=adjoint)


def _both(name: str, fn: Any, cases: st.SearchStrategy[Case], **gradcheck_kw: Any) -> OpSpec:
    """A row whose glassgrad and torch forms are the same function of the library."""
    return OpSpec(name, lambda *xs, **kw: fn(glassgrad, *xs, **kw), lambda t, *xs, **kw: fn(t, *xs, **kw), cases,
                  gradcheck_kw)


ROWS: list[OpSpec] = [
    _both("linalg.svd", lambda t, a, full_matrices: _svd(t, a, full_matrices),
          matrix_case(full_matrices=st.booleans())),
    _both("linalg.svdvals", lambda t, a: t.linalg.svdvals(a), matrix_case()),
    _both("linalg.matrix_norm.svd", lambda t, a, ord: t.linalg.matrix_norm(a, ord),  # noqa: A006
          matrix_case(ord=st.sampled_from([2, -2, "nuc"]))),
    _both("linalg.cond", lambda t, a, p: t.linalg.cond(a, p), matrix_case(p=st.sampled_from([None, 2, -2]))),
    _both("linalg.eigh", lambda t, a, uplo: _eigh(t, a, uplo), matrix_case("symmetric", uplo=st.sampled_from("LU"))),
    _both("linalg.eigvalsh", lambda t, a: t.linalg.eigvalsh((a + a.mT) / 2), matrix_case("symmetric")),
    _both("linalg.eig", _eig, matrix_case("real_spectrum")),
    _both("linalg.qr", lambda t, a, mode: tuple(t.linalg.qr(a, mode)), matrix_case(mode=st.just("reduced"))),
    _both("linalg.qr.complete", lambda t, a: tuple(t.linalg.qr(a, "complete")), matrix_case(square=True)),
    _both("linalg.cholesky", lambda t, a, upper: t.linalg.cholesky((a + a.mT) / 2, upper=upper),
          matrix_case("spd", upper=st.booleans())),
    _both("linalg.lu", lambda t, a: tuple(t.linalg.lu(a)), matrix_case()),
    _both("linalg.lu_factor", lambda t, a: t.linalg.lu_factor(a).LU, matrix_case()),
    _both("linalg.householder_product", lambda t, a, tau: t.linalg.householder_product(a, tau), householder_case()),
    _both("linalg.solve_triangular", lambda t, a, b, upper, left, unitriangular: t.linalg.solve_triangular(
        a, b, upper=upper, left=left, unitriangular=unitriangular),
        solve_case(upper=st.booleans(), left=st.booleans(), unitriangular=st.booleans())),
    _both("cholesky_solve", lambda t, b, a, upper: t.cholesky_solve(b, a.triu() if upper else a.tril(), upper),
          solve_case(upper=st.booleans()).map(lambda c: Case((c.arrays[1], c.arrays[0]), c.params))),
    _both("cholesky_inverse", lambda t, a, upper: t.cholesky_inverse(a.triu() if upper else a.tril(), upper),
          matrix_case("dominant", upper=st.booleans())),
    _both("linalg.lu_solve", _lu_solve, lu_solve_case()),
    _both("linalg.slogdet", lambda t, a: tuple(t.linalg.slogdet(a)), matrix_case("dominant")),
    _both("logdet", lambda t, a: t.logdet(a), matrix_case("spd")),
    _both("linalg.pinv", lambda t, a: t.linalg.pinv(a), matrix_case()),
    _both("linalg.pinv.hermitian", lambda t, a: t.linalg.pinv((a + a.mT) / 2, hermitian=True),
          matrix_case("symmetric")),
    _both("linalg.lstsq", lambda t, a, b: t.linalg.lstsq(a, b).solution,
          seeded_arrays((4, 2), (4, 3))),
    _both("linalg.matrix_exp", lambda t, a: t.linalg.matrix_exp(a), matrix_case("dominant").map(
        lambda c: Case((c.arrays[0] / (2 * c.arrays[0].shape[-1]),)))),
    _both("linalg.matrix_power", lambda t, a, n: t.linalg.matrix_power(a, n),
          matrix_case("dominant", n=st.sampled_from([-2, 0, 1, 3])).map(
              lambda c: Case((c.arrays[0] / c.arrays[0].shape[-1],), c.params))),
    _both("linalg.multi_dot", lambda t, a, b, c: t.linalg.multi_dot([a, b, c]), seeded_arrays((3,), (3, 2), (2, 4))),
    _both("linalg.cross", lambda t, a, b: t.linalg.cross(a, b), seeded_arrays((2, 3), (1, 3))),
    _both("linalg.vecdot", lambda t, a, b, dim: t.linalg.vecdot(a, b, dim=dim),
          seeded_arrays((2, 3), (2, 3), dim=st.sampled_from([0, -1]))),
    _both("linalg.vander", lambda t, x, n: t.linalg.vander(x, N=n), seeded_arrays((2, 3), n=st.integers(2, 4))),
    _both("svd.legacy", lambda t, a: (t.svd(a).V @ t.svd(a).U.mT, t.svd(a).S), matrix_case()),
]
