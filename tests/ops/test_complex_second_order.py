"""Second derivatives of the complex forms (glassgrad/ops/complex_forms.py, complex_parts.py): with
``create_graph=True`` the backward of a holomorphic op on complex tensors, grad * conj(f'(z)), records its
own graph, so it can be differentiated again. Checked in float64 (complex128) by finite differences of the
backward (``gradgradcheck``, perturbing real and imaginary parts), against torch's double backward
(recorded for torch-free runs), and on one example worked by hand.

The torch check, for inputs x, an upstream gradient v and weights w on the first derivatives:
    s(x, v) = sum_i Re <w_i, d Re<f(x), v> / dx_i>
and both libraries' ds/dx and ds/dv (complex gradients in torch's convention, dL/dRe + i dL/dIm) agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import glassgrad
from glassgrad import Tensor


def _complex(rng: np.random.Generator, *shape: int) -> np.ndarray:
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def _well_conditioned(rng: np.random.Generator, n: int) -> np.ndarray:
    return _complex(rng, n, n) + 3 * np.eye(n)


def _rotating(rng: np.random.Generator) -> np.ndarray:
    """A real 3 x 3 matrix with eigenvalues near 1 +- 2i and -1: a conjugate pair, complex eigenvectors."""
    return np.array([[1.0, -2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, -1.0]]) + 0.2 * rng.standard_normal((3, 3))


def _values_times_sizes(values: Any, vectors: Any) -> Any:
    """L_j |V_ij|: eig's two outputs in one phase-free function."""
    return values.unsqueeze(-2) * vectors.abs()


# name -> (f written once for either library t, its inputs drawn from a generator)
FORMS: dict[str, tuple[Callable[..., Any], Callable[[np.random.Generator], list[np.ndarray]]]] = {
    "exp": (lambda t, z: t.exp(z), lambda rng: [_complex(rng, 2, 3)]),
    "log": (lambda t, z: t.log(z), lambda rng: [_complex(rng, 2, 3)]),
    "sqrt": (lambda t, z: t.sqrt(z), lambda rng: [_complex(rng, 2, 3)]),
    "rsqrt": (lambda t, z: t.rsqrt(z), lambda rng: [_complex(rng, 2, 3)]),
    "reciprocal": (lambda t, z: t.reciprocal(z), lambda rng: [_complex(rng, 2, 3)]),
    "pow_scalar": (lambda t, z: z ** 2.5, lambda rng: [_complex(rng, 2, 3)]),
    "sin": (lambda t, z: t.sin(z), lambda rng: [_complex(rng, 2, 3)]),
    "cos": (lambda t, z: t.cos(z), lambda rng: [_complex(rng, 2, 3)]),
    "sinh": (lambda t, z: t.sinh(z), lambda rng: [_complex(rng, 2, 3)]),
    "cosh": (lambda t, z: t.cosh(z), lambda rng: [_complex(rng, 2, 3)]),
    "tanh": (lambda t, z: t.tanh(z), lambda rng: [_complex(rng, 2, 3)]),
    "mul": (lambda t, a, b: a * b, lambda rng: [_complex(rng, 2, 3), _complex(rng, 3)]),
    "mul_real": (lambda t, a, b: a * b, lambda rng: [_complex(rng, 2, 3), rng.standard_normal(3)]),
    "div": (lambda t, a, b: a / b, lambda rng: [_complex(rng, 2, 3), _complex(rng, 2, 3)]),
    "matmul": (lambda t, a, b: a @ b, lambda rng: [_complex(rng, 2, 3), _complex(rng, 3, 2)]),
    "outer": (lambda t, a, b: t.outer(a, b), lambda rng: [_complex(rng, 2), _complex(rng, 3)]),
    "einsum": (lambda t, a, b: t.einsum("ij,kj->ik", a, b), lambda rng: [_complex(rng, 2, 3), _complex(rng, 2, 3)]),
    "kron": (lambda t, a, b: t.kron(a, b), lambda rng: [_complex(rng, 2, 2), _complex(rng, 2, 1)]),
    "linalg.cross": (lambda t, a, b: t.linalg.cross(a, b), lambda rng: [_complex(rng, 2, 3), _complex(rng, 2, 3)]),
    "linalg.vander": (lambda t, z: t.linalg.vander(z), lambda rng: [_complex(rng, 3)]),
    "linalg.inv": (lambda t, a: t.linalg.inv(a), lambda rng: [_well_conditioned(rng, 3)]),
    "linalg.det": (lambda t, a: t.linalg.det(a), lambda rng: [_complex(rng, 3, 3)]),
    "linalg.solve": (lambda t, a, b: t.linalg.solve(a, b),
                     lambda rng: [_well_conditioned(rng, 3), _complex(rng, 3, 2)]),
    # eigenvalues are holomorphic; eigenvectors through |V|, which does not depend on their free phases
    "linalg.eigvals": (lambda t, a: t.linalg.eigvals(a), lambda rng: [_complex(rng, 3, 3)]),
    "linalg.eig.abs": (lambda t, a: t.linalg.eig(a)[1].abs(), lambda rng: [_complex(rng, 3, 3)]),
    "linalg.eig.both": (lambda t, a: _values_times_sizes(*t.linalg.eig(a)), lambda rng: [_complex(rng, 3, 3)]),
    "linalg.eig.real_input": (lambda t, a: _values_times_sizes(*t.linalg.eig(a)),
                              lambda rng: [_rotating(rng)]),
    # not holomorphic, real results or real inputs (complex_parts.py); away from z = 0 and angle's cut
    "abs": (lambda t, z: t.abs(z), lambda rng: [_complex(rng, 2, 3)]),
    "angle": (lambda t, z: t.angle(z), lambda rng: [_complex(rng, 2, 3)]),
    "polar": (lambda t, r, a: t.polar(r, a), lambda rng: [1 + rng.random((2, 3)), rng.standard_normal((2, 1))]),
}


@pytest.mark.parametrize("name", FORMS)
def test_gradgradcheck(name: str) -> None:
    """The recorded backward against finite differences of the backward (float64 parts)."""
    fn, draw = FORMS[name]
    inputs = [Tensor(a, requires_grad=True) for a in draw(np.random.default_rng(0))]
    assert glassgrad.autograd.gradgradcheck(lambda *xs: fn(glassgrad, *xs), inputs)


def _pairs(t: Any, x: Any) -> Any:
    """A complex tensor as its (real, imag) pairs (torch's conjugate resolved first), a real one as it is."""
    return t.view_as_real(x.resolve_conj()) if x.is_complex() else x


def _array_pairs(x: np.ndarray) -> np.ndarray:
    return np.stack([x.real, x.imag], axis=-1) if x.dtype.kind == "c" else x


def _random_like(rng: np.random.Generator, x: np.ndarray) -> np.ndarray:
    return _complex(rng, *x.shape) if x.dtype.kind == "c" else rng.standard_normal(x.shape)


def _second_derivatives(t: Any, fn: Callable[..., Any], arrays: list[np.ndarray], v: np.ndarray,
                        ws: list[np.ndarray]) -> list[np.ndarray]:
    """ds/dx_i and ds/dv (module docstring) in library ``t``, as NumPy arrays."""
    xs = [t.tensor(a.copy(), requires_grad=True) for a in arrays]
    upstream = t.tensor(v.copy(), requires_grad=True)
    firsts = t.autograd.grad(fn(t, *xs), xs, upstream, create_graph=True)
    s = sum((_pairs(t, g) * t.tensor(_array_pairs(w))).sum() for g, w in zip(firsts, ws))
    seconds = t.autograd.grad(s, xs + [upstream])
    return [np.asarray(g.detach().resolve_conj().numpy()) for g in seconds]


@pytest.mark.parametrize("name", FORMS)
def test_double_backward_matches_torch(name: str, torch: Any) -> None:
    fn, draw = FORMS[name]
    rng = np.random.default_rng(0)
    arrays = draw(rng)
    with glassgrad.no_grad():
        out = fn(glassgrad, *[Tensor(a) for a in arrays]).numpy()
    v = _random_like(rng, out)
    ws = [_random_like(rng, a) for a in arrays]
    ours = _second_derivatives(glassgrad, fn, arrays, v, ws)
    theirs = _second_derivatives(torch, fn, arrays, v, ws)
    for i, (got, expected) in enumerate(zip(ours, theirs)):
        assert got.dtype == expected.dtype, f"{name}: d s / d (input {i}) is {got.dtype}, torch's {expected.dtype}"
        np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-6, err_msg=f"{name}: d s / d (input {i})")


def test_second_derivative_of_exp_by_hand() -> None:
    """L = |e^z|^2 = e^{2x} for z = x + iy. The gradient stored is dL/dx + i dL/dy = 2 e^{2x}, a Tensor with
    a graph; its real part differentiated again is d(2 e^{2x})/dx + i d(2 e^{2x})/dy = 4 e^{2x}."""
    z = Tensor(np.array([0.5 + 1.0j, -0.25 - 2.0j]), requires_grad=True)
    w = z.exp()
    (gradient,) = glassgrad.autograd.grad((w * w.conj()).real.sum(), z, create_graph=True)
    x = np.array([0.5, -0.25])
    np.testing.assert_allclose(gradient.detach().numpy(), 2 * np.exp(2 * x), atol=1e-12)
    assert gradient.grad_fn.name() != "NotTwiceDifferentiableBackward"
    (second,) = glassgrad.autograd.grad(gradient.real.sum(), z)
    np.testing.assert_allclose(second.numpy(), 4 * np.exp(2 * x), atol=1e-12)
