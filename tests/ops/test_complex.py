"""Complex tensors (glassgrad/ops/complex_parts.py, complex_forms.py, complex_math.py): dtypes and
promotion as torch's, the parts and the arithmetic against torch (values and gradients, recorded),
float64 gradchecks perturbing real and imaginary parts, the worked example of
docs/derivations/complex.md, and clear errors where complex input is not supported."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from glassgrad import complex_math
from glassgrad.ops.elementwise import Mul
from tests.helpers.complex_oracle import compare_complex_with_torch


def _complex(rng, *shape, dtype=np.complex128):
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


def _leaf(array):
    return glassgrad.tensor(array, requires_grad=True)


def test_dtype_names_and_queries():
    assert glassgrad.complex64 is glassgrad.cfloat and glassgrad.complex128 is glassgrad.cdouble
    assert glassgrad.complex64 == np.complex64
    z = glassgrad.tensor([1 + 2j, 3])
    assert z.dtype == glassgrad.complex64  # Python complex numbers: the default complex dtype
    assert z.is_complex() and glassgrad.is_complex(z) and not z.is_floating_point()
    assert z.type() == "torch.ComplexFloatTensor"
    assert complex(z[0]) == 1 + 2j and z[1].item() == 3
    assert glassgrad.zeros(2, dtype=glassgrad.cdouble).type() == "torch.ComplexDoubleTensor"
    assert glassgrad.ones(2).to(glassgrad.cfloat).dtype == glassgrad.complex64
    glassgrad.set_default_dtype(glassgrad.float64)
    try:
        assert glassgrad.tensor(1j).dtype == glassgrad.complex128
    finally:
        glassgrad.set_default_dtype(glassgrad.float32)


def test_printing_shows_complex_values_and_non_default_dtype():
    assert repr(glassgrad.tensor([1 + 2j, -0.5j])) == "tensor([ 1.+2.j , -0.-0.5j])"
    assert repr(glassgrad.tensor([1j], dtype=glassgrad.complex128)).endswith("dtype=glassgrad.complex128)")


DTYPES = ["bool", "int64", "float32", "float64", "complex64", "complex128"]


def test_promotion_matches_torch_result_type(torch):
    """Every pair of dtypes, each operand with dimensions or 0-d, and Python numbers."""
    def make(lib, name, dims):
        return lib.ones(2, dtype=getattr(lib, name)) if dims else lib.tensor(1, dtype=getattr(lib, name))

    for a in DTYPES:
        for b in DTYPES:
            for a_dims in (False, True):
                for b_dims in (False, True):
                    expected = str(torch.result_type(make(torch, a, a_dims), make(torch, b, b_dims)))
                    ga, gb = make(glassgrad, a, a_dims), make(glassgrad, b, b_dims)
                    assert "torch." + str(glassgrad.result_type(ga, gb)) == expected, (a, a_dims, b, b_dims)
                    assert "torch." + str((ga + gb).dtype) == expected, (a, a_dims, b, b_dims)
            expected = str(torch.promote_types(getattr(torch, a), getattr(torch, b)))
            assert "torch." + str(glassgrad.promote_types(getattr(glassgrad, a), getattr(glassgrad, b))) == expected
        for number in (1j, 2.5, 3):
            expected = str(torch.result_type(make(torch, a, True), number))
            assert "torch." + str((make(glassgrad, a, True) * number).dtype) == expected, (a, number)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_parts_match_torch(rng, torch, dtype):
    z = _complex(rng, 2, 3, dtype=dtype)
    z[0, 0] = 0  # abs and angle at 0: gradient 0, as torch
    for name in ("real", "imag", "abs", "angle", "conj", "conj_physical", "view_as_real"):
        compare_complex_with_torch(getattr(glassgrad, name), getattr(torch, name), [z], torch)
    compare_complex_with_torch(lambda t: t.imag * 2 + t.real, lambda t: t.imag * 2 + t.real, [z], torch)
    real = rng.standard_normal((2, 3, 2)).astype(np.float64 if dtype == np.complex128 else np.float32)
    compare_complex_with_torch(glassgrad.view_as_complex, torch.view_as_complex, [real], torch)
    compare_complex_with_torch(glassgrad.complex, torch.complex, [real[..., 0], real[..., 1]], torch)
    compare_complex_with_torch(glassgrad.polar, torch.polar, [np.abs(real[..., 0]), real[..., 1]], torch)


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_arithmetic_matmul_and_reductions_match_torch(rng, torch, dtype):
    a, b = _complex(rng, 3, 4, dtype=dtype), _complex(rng, 3, 4, dtype=dtype)
    real = rng.standard_normal((3, 4)).astype(np.float64 if dtype == np.complex128 else np.float32)
    for fn in (lambda x, y: x + y, lambda x, y: x - y, lambda x, y: x * y, lambda x, y: x / y,
               lambda x, y: (x * y).sum(0), lambda x, y: (x - y).mean(1)):
        compare_complex_with_torch(fn, fn, [a, b], torch)
        compare_complex_with_torch(fn, fn, [a, real], torch)  # a real operand: its gradient keeps the real part
    compare_complex_with_torch(lambda x, y: x @ y.mT, lambda x, y: x @ y.mT, [a, b], torch)
    compare_complex_with_torch(lambda x, y: x[0] @ y.mT, lambda x, y: x[0] @ y.mT, [a, b], torch)
    compare_complex_with_torch(lambda x, y: glassgrad.outer(x[0], y[1]), lambda x, y: torch.outer(x[0], y[1]), [a, b],
                               torch)
    compare_complex_with_torch(lambda x, y: glassgrad.einsum("ij,kj->ik", x, y),
                               lambda x, y: torch.einsum("ij,kj->ik", x, y), [a, b], torch)
    compare_complex_with_torch(lambda x, y: glassgrad.vdot(x[0], y[0]), lambda x, y: torch.vdot(x[0], y[0]), [a, b],
                               torch)
    for fn in (lambda x: x * (2 - 1j), lambda x: 1j / x, lambda x: -x + 0.5, lambda x: x.exp(), lambda x: x.log(),
               lambda x: x.sqrt(), lambda x: x.sin() * x.cos(), lambda x: x[1:, ::2].T.reshape(-1),
               lambda x: x.abs() ** 2, lambda x: x.sinh() + x.cosh() * x.tanh(), lambda x: x.reciprocal() - x.rsqrt(),
               lambda x: x ** 2 + x ** 0.5, lambda x: x.cumsum(1).repeat(2, 1),
               lambda x: x.masked_fill(x.real > 0, 2.0),
               lambda x: x.index_select(1, x.real.argmax(1)), lambda x: x.gather(1, (x.real > 0).long()),
               lambda x: x.repeat_interleave(2, dim=0)):
        compare_complex_with_torch(fn, fn, [a], torch)
    compare_complex_with_torch(lambda x: x * 1j, lambda x: x * 1j, [real], torch)  # real in, complex out


def test_norms_and_spreads_match_torch(rng, torch):
    """Vector norms read the sizes |z|; var and std of complex numbers are real: the parts' variances add."""
    z = _complex(rng, 3, 4)
    for fn in (lambda lib: lambda x: x.var(), lambda lib: lambda x: x.var(1, keepdim=True),
               lambda lib: lambda x: x.std(0), lambda lib: lambda x: lib.std(x, dim=1, correction=0),
               lambda lib: lambda x: x.norm(), lambda lib: lambda x: lib.norm(x, 1, dim=1),
               lambda lib: lambda x: lib.linalg.vector_norm(x, 3, dim=0),
               lambda lib: lambda x: lib.linalg.vector_norm(x, float("inf"))):
        compare_complex_with_torch(fn(glassgrad), fn(torch), [z], torch)
        assert glassgrad.gradcheck(fn(glassgrad), [_leaf(z)])


def test_gradcheck_perturbs_real_and_imaginary_parts(rng):
    z, w = _complex(rng, 2, 3), _complex(rng, 3, 2)
    x = rng.standard_normal((2, 3))
    for fn, inputs in [(glassgrad.abs, [z]), (glassgrad.angle, [z]), (glassgrad.real, [z]), (glassgrad.imag, [z]),
                       (glassgrad.conj, [z]), (glassgrad.view_as_real, [z]), (glassgrad.view_as_complex, [x.T]),
                       (glassgrad.complex, [x, x + 1]), (glassgrad.polar, [x, x * 2]),
                       (lambda p, q: p @ q, [z, w]), (lambda p, q: p * q / (q + 3), [z, x]),
                       (lambda p: (p.exp() + p.log() + p.sqrt() + p.sin() + p.cos()).mean(), [z])]:
        assert glassgrad.gradcheck(fn, [_leaf(i) for i in inputs])


def test_gradcheck_catches_an_unconjugated_backward(rng):
    """The real Mul's backward (dL/da = g b, no conjugate) run on complex inputs fails the gradcheck."""
    forms = complex_math._FORMS
    kept = forms[Mul]
    forms[Mul] = Mul
    try:
        with pytest.raises(glassgrad.gradcheck_module.GradcheckError if hasattr(glassgrad, "gradcheck_module")
                           else AssertionError):
            glassgrad.gradcheck(lambda a, b: a * b, [_leaf(_complex(rng, 3)), _leaf(_complex(rng, 3))])
    finally:
        forms[Mul] = kept


def test_worked_example_of_the_derivation_page(torch):
    """docs/derivations/complex.md: z = 3 + 4i, w = 1 - 2i, L = |z w|^2 = |z|^2 |w|^2 = 25 * 5 = 125;
    dL/dx = 2 x |w|^2 = 30, dL/dy = 2 y |w|^2 = 40, so z.grad = 30 + 40i = 2 z |w|^2;
    and w.grad = 2 w |z|^2 = 50 - 100i."""
    z, w = _leaf(np.array(3 + 4j)), _leaf(np.array(1 - 2j))
    product = z * w
    assert product.item() == 11 - 2j  # (3 + 4i)(1 - 2i) = 3 - 6i + 4i + 8 = 11 - 2i
    size = product.abs()
    loss = size ** 2
    assert loss.item() == pytest.approx(125)
    product.retain_grad()
    size.retain_grad()
    loss.backward()
    assert size.grad.item() == pytest.approx(2 * np.sqrt(125))  # the gradient reaching r = |p| is 2r
    assert product.grad.item() == pytest.approx(22 - 4j)  # abs's backward: 2r p / |p| = 2p
    assert z.grad.item() == pytest.approx(30 + 40j)
    assert w.grad.item() == pytest.approx(50 - 100j)
    tz, tw = torch.tensor(3 + 4j, requires_grad=True), torch.tensor(1 - 2j, requires_grad=True)
    (tz * tw).abs().pow(2).backward()
    assert complex(tz.grad.item()) == pytest.approx(z.grad.item())
    assert complex(tw.grad.item()) == pytest.approx(w.grad.item())
    forms = complex_math._FORMS  # the page's wrong answer: mul's backward without the conjugate
    kept, forms[Mul] = forms[Mul], Mul
    try:
        z.grad = None
        ((z * w).abs() ** 2).backward()
        assert z.grad.item() == pytest.approx(14 - 48j)  # (22 - 4i)(1 - 2i)
    finally:
        forms[Mul] = kept


def test_real_and_imag_are_views():
    z = glassgrad.tensor([1 + 2j, 3 - 4j])
    z.real.array[0] = 10
    z.imag.array[1] = 7
    assert z.tolist() == [10 + 2j, 3 + 7j]
    assert np.shares_memory(glassgrad.view_as_real(z).array, z.array)


def test_bad_input_raises_clear_errors():
    z = _leaf(np.array([1 + 1j, 2 - 1j]))
    with pytest.raises(RuntimeError, match="complex tensors are not supported"):
        glassgrad.sigmoid(z)
    with pytest.raises(RuntimeError, match="complex tensors are not supported"):
        glassgrad.nn.functional.relu(z)
    with pytest.raises(RuntimeError, match="same dtype"):  # as torch: matmul does not promote
        z @ glassgrad.ones(2, dtype=glassgrad.float64)
    for unordered in (lambda t: t < t, lambda t: t.argmax(), lambda t: glassgrad.unique(t)):
        with pytest.raises(RuntimeError, match="no order"):  # torch: "not implemented for 'ComplexFloat'"
            unordered(z)
    assert glassgrad.isreal(glassgrad.tensor([1 + 0j, 1j])).tolist() == [True, False]
    assert glassgrad.isnan(glassgrad.tensor([complex("nan+1j"), 1j])).tolist() == [True, False]
    assert glassgrad.full((2,), 1j).tolist() == [1j, 1j]
    with pytest.raises(RuntimeError, match="real scalar outputs"):
        z.sum().backward()
    with pytest.raises(RuntimeError, match="non-complex"):
        _ = glassgrad.ones(2).imag
    with pytest.raises(RuntimeError, match="last dimension of size 2"):
        glassgrad.view_as_complex(glassgrad.ones(3))
    with pytest.raises(RuntimeError, match="only supported for complex"):
        glassgrad.view_as_real(glassgrad.ones(3))
    with pytest.raises(RuntimeError):
        glassgrad.complex(glassgrad.ones(2), glassgrad.ones(2, dtype=glassgrad.float64))
    with pytest.warns(UserWarning, match="discards the imaginary part"):
        assert z.detach().to(glassgrad.float32).tolist() == [1.0, 2.0]
