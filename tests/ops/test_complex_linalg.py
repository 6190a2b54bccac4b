"""Complex input to torch.linalg's inv, det, solve, cross, vander and torch.kron (their holomorphic twins,
ops/complex_forms.py) and vecdot (which conjugates x): float64 gradchecks perturbing real and imaginary
parts, values and gradients against torch (recorded). linalg.eig has its own file (test_linalg_eig.py)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.helpers.complex_oracle import compare_complex_with_torch


def _complex(rng, *shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape) + 2 * np.eye(*shape[-2:])


FUNCTIONS = {
    "inv": lambda t, a, b: t.linalg.inv(a),
    "det": lambda t, a, b: t.linalg.det(a),
    "solve": lambda t, a, b: t.linalg.solve(a, b),
    "solve_right": lambda t, a, b: t.linalg.solve(a, b.mT, left=False),
    "matrix_power_negative": lambda t, a, b: t.linalg.matrix_power(a, -2),
    "vecdot": lambda t, a, b: t.linalg.vecdot(a, b),
    "cross": lambda t, a, b: t.linalg.cross(a, b),
    "vander": lambda t, a, b: t.linalg.vander(a[0, 0], N=4),
    "kron": lambda t, a, b: t.kron(a[0], b[1]),
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_complex_linalg_gradcheck_and_torch(rng, torch, name):
    a, b = _complex(rng, 2, 3, 3), _complex(rng, 2, 3, 3)
    fn = FUNCTIONS[name]
    assert glassgrad.gradcheck(lambda x, y: fn(glassgrad, x, y),
                               [glassgrad.tensor(a, requires_grad=True), glassgrad.tensor(b, requires_grad=True)])
    compare_complex_with_torch(lambda x, y: fn(glassgrad, x, y), lambda x, y: fn(torch, x, y).resolve_conj(),
                               [a, b], torch)
