"""glassgrad.special beyond the op table: the functions torch gives no gradient (Bessel, Airy, the
orthogonal polynomials), edge values, dtypes, errors, the namespace and the Tensor methods.

For a function torch does not differentiate, torch's reference is given the derivative written with
torch's own functions (J0' = -J1, T_n' = n U_{n-1}, ...) by ``with_slope``: value f(x), gradient f'(x).
Those identities are independent of glassgrad's formulas (the polynomials' derivative comes from the
differentiated recurrence there), and finite differences check every derivative besides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import glassgrad
from glassgrad import Tensor, special
from glassgrad.autograd import gradcheck, gradgradcheck
from tests.helpers.oracle import compare_with_torch

POSITIVE = np.array([[0.3, 0.9, 1.7], [2.5, 4.0, 7.5]])  # K and Y are defined for x > 0 only
REAL = np.array([[-6.5, -2.2, -0.4], [0.7, 3.1, 9.0]])


def with_slope(torch: Any, value: Callable[[Any], Any], slope: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A torch function whose value is value(x) and whose gradient is slope(x), both computed without
    a graph: value(x) + (x - x.detach()) * slope(x)."""
    def reference(x: Any) -> Any:
        plain = x.detach()
        return value(plain) + (x - plain) * slope(plain)
    return reference


# name -> (inputs, torch's derivative written with torch.special's functions)
BESSEL_SLOPES: dict[str, tuple[np.ndarray, Callable[[Any, Any], Any]]] = {
    "bessel_j0": (REAL, lambda s, x: -s.bessel_j1(x)),
    "bessel_j1": (REAL, lambda s, x: s.bessel_j0(x) - s.bessel_j1(x) / x),
    "bessel_y0": (POSITIVE, lambda s, x: -s.bessel_y1(x)),
    "bessel_y1": (POSITIVE, lambda s, x: s.bessel_y0(x) - s.bessel_y1(x) / x),
    "modified_bessel_i0": (REAL, lambda s, x: s.modified_bessel_i1(x)),
    "modified_bessel_i1": (REAL, lambda s, x: s.modified_bessel_i0(x) - s.modified_bessel_i1(x) / x),
    "modified_bessel_k0": (POSITIVE, lambda s, x: -s.modified_bessel_k1(x)),
    "modified_bessel_k1": (POSITIVE, lambda s, x: -s.modified_bessel_k0(x) - s.modified_bessel_k1(x) / x),
    "scaled_modified_bessel_k0": (POSITIVE, lambda s, x: s.scaled_modified_bessel_k0(x)
                                  - s.scaled_modified_bessel_k1(x)),
    "scaled_modified_bessel_k1": (POSITIVE, lambda s, x: s.scaled_modified_bessel_k1(x) * (1 - 1 / x)
                                  - s.scaled_modified_bessel_k0(x)),
    "spherical_bessel_j0": (REAL, lambda s, x: (x.cos() - s.spherical_bessel_j0(x)) / x),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", sorted(BESSEL_SLOPES))
def test_bessel_values_and_derivatives_match_torch(name: str, dtype: type, torch) -> None:
    x, slope = BESSEL_SLOPES[name]
    function = getattr(torch.special, name)
    reference = with_slope(torch, function, lambda t: slope(torch.special, t))
    compare_with_torch(getattr(special, name), reference, [x], torch, dtype=dtype)


@pytest.mark.parametrize("name", [*sorted(BESSEL_SLOPES), "airy_ai"])
def test_bessel_derivatives_by_finite_differences(name: str) -> None:
    x = BESSEL_SLOPES[name][0] if name in BESSEL_SLOPES else REAL / 2
    inputs = [Tensor(x.copy(), requires_grad=True)]
    function = getattr(special, name)
    assert gradcheck(function, inputs)
    assert gradgradcheck(function, inputs)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
def test_airy_ai_values_match_torch(dtype: type, torch) -> None:
    x = np.linspace(-8.0, 6.0, 29).reshape(1, -1)  # oscillating on the left, decaying on the right
    compare_with_torch(special.airy_ai, torch.special.airy_ai, [x], torch, dtype=dtype)


def test_derivatives_at_zero_are_the_limits(torch) -> None:
    """x = 0 in I1' = I0 - I1/x (and i1e', J1', spherical j0'): the limit 1/2 (0 for j0), as torch's i1/i1e."""
    x = np.array([0.0, -0.0, 1e-300])
    compare_with_torch(special.i1, torch.special.i1, [x], torch)
    compare_with_torch(special.i1e, torch.special.i1e, [x], torch)
    compare_with_torch(special.i0e, torch.special.i0e, [x], torch)  # sign(0) = 0: i0e'(0) = i1e(0) = 0
    for name, limit in (("bessel_j1", 0.5), ("modified_bessel_i1", 0.5), ("spherical_bessel_j0", 0.0)):
        t = Tensor(np.zeros(1), requires_grad=True)
        getattr(special, name)(t).sum().backward()
        assert t.grad.numpy()[0] == limit, name


# ----- orthogonal polynomials -----------------------------------------------------------------
POLYNOMIALS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
               "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u",
               "shifted_chebyshev_polynomial_v", "shifted_chebyshev_polynomial_w", "hermite_polynomial_h",
               "hermite_polynomial_he", "laguerre_polynomial_l", "legendre_polynomial_p"]
# x in and outside [-1, 1], at +-1 and 0; n negative, fractional (cut toward zero), 0 and up to 12
GRID_X = np.array([-3.5, -1.0, -0.7, -0.0, 0.25, 0.5, 1.0, 1.3, 4.0])[:, None]
GRID_N = np.array([-2.0, -0.5, 0.0, 1.0, 1.9, 2.0, 3.0, 5.0, 7.0, 9.0, 12.0])[None, :]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomial_values_match_torch(name: str, dtype: str, torch) -> None:
    x, n = GRID_X.astype(dtype), GRID_N.astype(dtype)
    ours = getattr(special, name)(glassgrad.tensor(x), glassgrad.tensor(n))
    theirs = getattr(torch.special, name)(torch.tensor(x), torch.tensor(n)).numpy()
    assert str(ours.dtype) == dtype
    np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-5 if dtype == "float32" else 1e-10, atol=1e-6)


# name -> torch's derivative in x, from a classical identity (valid for n >= 1; x off +-1 and 0)
POLYNOMIAL_SLOPES: dict[str, Callable[[Any, Any, int], Any]] = {
    "chebyshev_polynomial_t": lambda s, x, n: n * s.chebyshev_polynomial_u(x, n - 1),
    "chebyshev_polynomial_u": lambda s, x, n: ((n + 1) * s.chebyshev_polynomial_t(x, n + 1)
                                               - x * s.chebyshev_polynomial_u(x, n)) / (x * x - 1),
    "shifted_chebyshev_polynomial_t": lambda s, x, n: 2 * n * s.shifted_chebyshev_polynomial_u(x, n - 1),
    "hermite_polynomial_h": lambda s, x, n: 2 * n * s.hermite_polynomial_h(x, n - 1),
    "hermite_polynomial_he": lambda s, x, n: n * s.hermite_polynomial_he(x, n - 1),
    "laguerre_polynomial_l": lambda s, x, n: n * (s.laguerre_polynomial_l(x, n)
                                                  - s.laguerre_polynomial_l(x, n - 1)) / x,
    "legendre_polynomial_p": lambda s, x, n: n * (x * s.legendre_polynomial_p(x, n)
                                                  - s.legendre_polynomial_p(x, n - 1)) / (x * x - 1),
}


@pytest.mark.parametrize("n", [1, 2, 5, 8])
@pytest.mark.parametrize("name", sorted(POLYNOMIAL_SLOPES))
def test_polynomial_derivatives_match_torch_identities(name: str, n: int, torch) -> None:
    x = np.array([[-2.5, -0.8, -0.3, 0.2, 0.6, 0.9, 1.7]])
    slope = POLYNOMIAL_SLOPES[name]
    reference = with_slope(torch, lambda t: getattr(torch.special, name)(t, n),
                           lambda t: slope(torch.special, t, n))
    compare_with_torch(lambda t: getattr(special, name)(t, n), reference, [x], torch, rtol=1e-9)


@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomial_derivatives_by_finite_differences(name: str) -> None:
    x = Tensor(np.array([[-1.4, -0.6, 0.1], [0.45, 0.8, 2.2]]), requires_grad=True)
    n = glassgrad.tensor([[0.0, 1.0, 3.0], [4.0, 6.0, 7.0]], dtype=glassgrad.float64)
    assert gradcheck(lambda t: getattr(special, name)(t, n), [x])


def test_polynomial_degree_has_no_derivative() -> None:
    x = glassgrad.tensor([0.3, 0.6], dtype=glassgrad.float64)
    n = glassgrad.tensor([2.0, 3.0], dtype=glassgrad.float64, requires_grad=True)
    y = special.chebyshev_polynomial_t(x, n)
    with pytest.raises(NotImplementedError, match="with respect to n"):
        y.sum().backward()
    assert special.hermite_polynomial_h(x, 3).dtype == glassgrad.float64  # a number as the degree
    assert special.legendre_polynomial_p(2, n.detach()).dtype == glassgrad.float64  # a number as x


# ----- edge values, dtypes, errors -----------------------------------------------------------
# each row on one side of 0 (an array holding both infinities has no finite fingerprint for the recordings)
EDGES = [np.array([-np.inf, -2.0, -0.5, -0.0, 0.0]), np.array([1e-8, 0.5, 1.0, 3.5, 60.0, np.inf])]
UNARY = ["gammaln", "digamma", "erfcx", "ndtr", "ndtri", "log_ndtr", "i0", "i0e", "i1", "i1e", "entr",
         "bessel_j0", "bessel_y0", "modified_bessel_k0", "scaled_modified_bessel_k1", "spherical_bessel_j0"]


@pytest.mark.parametrize("name", UNARY)
def test_edge_values_match_torch(name: str, torch) -> None:
    """Poles, infinities and the ends of the domains: the same inf, -inf, NaN and limits as torch."""
    for edges in EDGES:
        ours = getattr(special, name)(glassgrad.tensor(edges)).numpy()
        theirs = getattr(torch.special, name)(torch.tensor(edges)).numpy()
        np.testing.assert_allclose(ours, theirs, rtol=1e-7, atol=1e-30)


def test_gradients_in_the_tails_match_torch(torch) -> None:
    x = np.array([-30.0, -8.0, 0.0, 8.0, 30.0])
    compare_with_torch(special.log_ndtr, torch.special.log_ndtr, [x], torch)  # phi / Phi without 0/0
    compare_with_torch(special.erfcx, torch.special.erfcx, [x], torch, rtol=1e-9)
    p = np.array([1e-12, 0.01, 0.5, 0.99, 1 - 1e-12])
    compare_with_torch(special.ndtri, torch.special.ndtri, [p], torch, rtol=1e-9)


def test_xlog1py_at_x_zero_follows_torch(torch) -> None:
    x = np.array([0.0, 0.0, 0.0, 2.0, -1.5])
    y = np.array([-1.0, -3.0, 0.5, -1.0, 2.0])  # ln(1 + y): -inf, NaN, finite
    compare_with_torch(special.xlog1py, torch.special.xlog1py, [x, y], torch)


@pytest.mark.parametrize("dtype", ["int64", "bool", "float32", "float64"])
def test_dtypes_follow_torch(dtype: str, torch) -> None:
    """Integers and bools give the default float dtype; a float keeps its own."""
    x = np.array([1, 0, 1]).astype(dtype)
    for name in ("gammaln", "i1e", "ndtr", "bessel_j1", "airy_ai"):
        ours = getattr(special, name)(glassgrad.tensor(x))
        theirs = getattr(torch.special, name)(torch.tensor(x))
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", ""), name
    ours, theirs = special.zeta(glassgrad.tensor(x), 2), torch.special.zeta(torch.tensor(x), 2)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")


def test_no_gradient_where_torch_gives_none() -> None:
    """zeta in its first argument, the incomplete gammas in a: torch's NotImplementedError on backward."""
    s = glassgrad.tensor([2.5, 3.0], dtype=glassgrad.float64, requires_grad=True)
    q = glassgrad.tensor([0.5, 2.0], dtype=glassgrad.float64)
    with pytest.raises(NotImplementedError, match="the derivative for 'zeta' is not implemented"):
        special.zeta(s, q).sum().backward()
    with pytest.raises(NotImplementedError, match="'igamma: input' is not implemented"):
        glassgrad.igamma(s, q).sum().backward()
    with pytest.raises(NotImplementedError, match="'igammac: input' is not implemented"):
        special.gammaincc(s, q).sum().backward()


def test_bad_arguments_raise_torch_errors(torch) -> None:
    x = glassgrad.tensor([1.5, 2.5])
    checks = [
        (lambda m: m.polygamma(-1, m.tensor([1.5, 2.5])), RuntimeError),
        (lambda m: m.polygamma(1.5, m.tensor([1.5, 2.5])), TypeError),
        (lambda m: m.mvlgamma(m.tensor([1.5, 2.5]), 0), RuntimeError),
        (lambda m: m.igamma(m.tensor([1, 2]), m.tensor([1, 2])), NotImplementedError),
        (lambda m: m.igamma(m.tensor([1.5, 2.5]), 2.0), TypeError),
    ]
    for call, error in checks:
        with pytest.raises(error):
            call(torch)
        with pytest.raises(error):
            call(glassgrad)
    assert x.polygamma(1).shape == x.shape


# ----- the namespace, the torch-level names and the Tensor methods -----------------------------
def test_every_name_of_torch_special_exists(torch) -> None:
    names = {n for n in dir(torch.special) if not n.startswith("_")} - {"Tensor", "torch", "common_args",
                                                                        "multi_dim_common"}
    assert not sorted(n for n in names if not hasattr(special, n))
    assert special.psi is special.digamma and special.gammaln is glassgrad.lgamma
    assert special.multigammaln is glassgrad.mvlgamma and special.gammainc is glassgrad.igamma


def test_aliases_match_torch(torch) -> None:
    x = np.array([[0.2, -1.3, 2.0], [0.5, 0.9, -0.1]])
    compare_with_torch(special.expit, torch.special.expit, [x], torch)
    compare_with_torch(lambda a: special.softmax(a, 1), lambda a: torch.special.softmax(a, 1), [x], torch)
    compare_with_torch(lambda a: special.log_softmax(a, 0), lambda a: torch.special.log_softmax(a, 0), [x], torch)
    compare_with_torch(lambda a: special.logsumexp(a, 1, keepdim=True),
                       lambda a: torch.special.logsumexp(a, 1, keepdim=True), [x], torch)
    compare_with_torch(lambda a: special.multigammaln(a + 3, 2), lambda a: torch.special.multigammaln(a + 3, 2),
                       [x], torch)


@pytest.mark.parametrize("method", ["lgamma", "digamma", "i0", "polygamma", "mvlgamma", "igamma", "igammac"])
def test_tensor_methods_and_in_place_forms_match_torch(method: str, torch) -> None:
    x = np.array([[1.3, 2.2], [0.7, 3.9]])
    other = np.array([[0.5, 1.5], [2.5, 0.8]])
    args = {"polygamma": (2,), "mvlgamma": (2,), "igamma": (other,), "igammac": (other,)}.get(method, ())

    def call(module: Any, t: Any, in_place: bool) -> Any:
        values = tuple(module.tensor(a) if isinstance(a, np.ndarray) else a for a in args)
        return getattr(t, method + ("_" if in_place else ""))(*values)

    expected = call(torch, torch.tensor(x), False).numpy()
    np.testing.assert_allclose(call(glassgrad, glassgrad.tensor(x), False).numpy(), expected, rtol=1e-10)
    edited = glassgrad.tensor(x)
    assert call(glassgrad, edited, True) is edited
    np.testing.assert_allclose(edited.numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(call(torch, torch.tensor(x), True).numpy(), expected, rtol=1e-10)
