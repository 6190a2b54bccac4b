"""linalg.inv / det / solve and the linalg norms (glassgrad/ops/linalg_inverse.py, glassgrad/linalg.py):
float64 gradchecks, torch oracles under random upstream gradients, clear errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad
from tests.helpers.oracle import compare_with_torch


def _well_conditioned(rng, *shape):
    """Random square matrices kept far from singular: identity * n plus noise."""
    n = shape[-1]
    return rng.standard_normal(shape) + n * np.eye(n)


def test_gradcheck_inv_det_solve(rng):
    a = _well_conditioned(rng, 2, 3, 3)
    assert glassgrad.gradcheck(glassgrad.linalg.inv, [a])
    assert glassgrad.gradcheck(glassgrad.linalg.det, [a])
    assert glassgrad.gradcheck(glassgrad.linalg.solve, [a, rng.standard_normal((2, 3, 2))])
    assert glassgrad.gradcheck(glassgrad.linalg.solve, [a[0], rng.standard_normal(3)])  # vector right side
    assert glassgrad.gradcheck(lambda m, b: glassgrad.linalg.solve(m, b, left=False), [a, rng.standard_normal((4, 3))])


def test_gradcheck_norms(rng):
    x = rng.standard_normal((3, 4)) + 0.1
    assert glassgrad.gradcheck(lambda t: glassgrad.linalg.vector_norm(t, 3, dim=1), [x])
    assert glassgrad.gradcheck(lambda t: glassgrad.linalg.matrix_norm(t), [x])
    assert glassgrad.gradcheck(lambda t: glassgrad.linalg.matrix_norm(t, 1), [x])
    assert glassgrad.gradcheck(lambda t: glassgrad.linalg.matrix_norm(t, -math.inf), [x])


def test_inv_det_solve_match_torch(rng, torch):
    a = _well_conditioned(rng, 2, 3, 3)
    compare_with_torch(glassgrad.linalg.inv, torch.linalg.inv, [a], torch)
    compare_with_torch(glassgrad.inverse, torch.inverse, [a[0]], torch)
    compare_with_torch(glassgrad.linalg.det, torch.linalg.det, [a], torch)
    compare_with_torch(glassgrad.det, torch.det, [a[0]], torch, dtype=np.float32)
    compare_with_torch(glassgrad.linalg.solve, torch.linalg.solve, [a, rng.standard_normal((2, 3, 4))], torch)
    compare_with_torch(glassgrad.linalg.solve, torch.linalg.solve, [a, rng.standard_normal((2, 3))], torch)
    compare_with_torch(glassgrad.linalg.solve, torch.linalg.solve, [a, rng.standard_normal((3, 2))], torch)
    compare_with_torch(lambda m, b: glassgrad.linalg.solve(m, b, left=False),
                       lambda m, b: torch.linalg.solve(m, b, left=False), [a, rng.standard_normal((5, 3))], torch)


@pytest.mark.parametrize("ord_", [None, "fro", 1, -1, math.inf, -math.inf])
def test_matrix_and_default_norms_match_torch(rng, torch, ord_):
    x = rng.standard_normal((2, 3, 4))
    compare_with_torch(lambda t: glassgrad.linalg.norm(t, ord_, dim=(1, 2)),
                       lambda t: torch.linalg.norm(t, ord_, dim=(1, 2)), [x], torch)
    if ord_ is not None:
        compare_with_torch(lambda t: glassgrad.linalg.matrix_norm(t, ord_, keepdim=True),
                           lambda t: torch.linalg.matrix_norm(t, ord_, keepdim=True), [x], torch)
        compare_with_torch(lambda t: glassgrad.linalg.norm(t, ord_), lambda t: torch.linalg.norm(t, ord_),
                           [x[0]], torch)


@pytest.mark.parametrize("ord_", [2, 1, 3, math.inf, -math.inf, 0.5])
def test_vector_norms_match_torch(rng, torch, ord_):
    x = rng.standard_normal((3, 4))
    compare_with_torch(lambda t: glassgrad.linalg.vector_norm(t, ord_, dim=-1),
                       lambda t: torch.linalg.vector_norm(t, ord_, dim=-1), [x], torch)
    compare_with_torch(lambda t: glassgrad.linalg.vector_norm(t, ord_), lambda t: torch.linalg.vector_norm(t, ord_),
                       [x], torch)
    compare_with_torch(lambda t: glassgrad.linalg.norm(t, ord_, dim=0, keepdim=True),
                       lambda t: torch.linalg.norm(t, ord_, dim=0, keepdim=True), [x], torch)


def test_bad_input_errors():
    with pytest.raises(RuntimeError, match="linalg.inv: A must be batches of square matrices"):
        glassgrad.linalg.inv(glassgrad.ones(2, 3))
    with pytest.raises(RuntimeError, match="linalg.inv: the input matrix is singular"):
        glassgrad.linalg.inv(glassgrad.zeros(2, 2))
    with pytest.raises(RuntimeError, match="linalg.det: expected a floating point or complex tensor"):
        glassgrad.linalg.det(glassgrad.ones(2, 2, dtype=glassgrad.long))
    with pytest.raises(RuntimeError, match="linalg.solve: incompatible shapes"):
        glassgrad.linalg.solve(glassgrad.eye(3), glassgrad.ones(2, 2))
    with pytest.raises(RuntimeError, match="order 3 not supported"):
        glassgrad.linalg.matrix_norm(glassgrad.ones(2, 2), 3)
    with pytest.raises(RuntimeError, match="input must be 1-D or 2-D"):
        glassgrad.linalg.norm(glassgrad.ones(2, 2, 2), 1)
