"""create_graph=True: the backward pass records its own graph, so gradients can be differentiated
again (glassgrad/autograd/higher_order.py); and the refusals that keep a second derivative from being
silently wrong."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import glassgrad
from glassgrad import backend
from glassgrad.op import Context, Op


def leaf(*values: float) -> glassgrad.Tensor:
    return glassgrad.tensor(list(values), dtype=glassgrad.float64, requires_grad=True)


def test_backward_create_graph_gives_a_grad_with_a_graph():
    x = leaf(0.5, 2.0)
    (x**3).sum().backward(create_graph=True)
    first = x.grad
    assert first.grad_fn is not None
    np.testing.assert_allclose(first.numpy(), 3 * x.numpy() ** 2)
    x.grad = None
    first.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * x.numpy())


def test_grad_to_third_order():
    x = leaf(0.3, -1.2)
    y = (glassgrad.exp(x) * x).sum()  # y' = e^x (x + 1), y'' = e^x (x + 2), y''' = e^x (x + 3)
    (d1,) = glassgrad.autograd.grad(y, x, create_graph=True)
    (d2,) = glassgrad.autograd.grad(d1.sum(), x, create_graph=True)
    (d3,) = glassgrad.autograd.grad(d2.sum(), x)
    e = np.exp(x.numpy())
    np.testing.assert_allclose(d1.detach().numpy(), e * (x.numpy() + 1))
    np.testing.assert_allclose(d2.detach().numpy(), e * (x.numpy() + 2))
    np.testing.assert_allclose(d3.numpy(), e * (x.numpy() + 3))
    assert d3.grad_fn is None


def test_create_graph_retains_the_graph_by_default_and_retain_graph_false_frees_it():
    x = leaf(1.0, 2.0)
    y = (x * x).sum()
    glassgrad.autograd.grad(y, x, create_graph=True)
    (again,) = glassgrad.autograd.grad(y, x)  # retained: torch's default retain_graph=create_graph
    np.testing.assert_allclose(again.numpy(), [2.0, 4.0])
    z = (x * x).sum()
    glassgrad.autograd.grad(z, x, create_graph=True, retain_graph=False)
    with pytest.raises(RuntimeError, match="second time"):
        glassgrad.autograd.grad(z, x)


def test_grad_outputs_with_a_graph_stay_connected():
    # g(x, v) = d <x^2, v> / dx = 2 x v;  d sum(g) / dv = 2 x
    x, v = leaf(1.0, -3.0), leaf(0.5, 2.0)
    (g,) = glassgrad.autograd.grad(x * x, x, grad_outputs=v, create_graph=True)
    (dv,) = glassgrad.autograd.grad(g.sum(), v)
    np.testing.assert_allclose(dv.numpy(), 2 * x.numpy())


def test_several_outputs_and_unused_inputs():
    x, unused = leaf(1.0, 2.0), leaf(4.0)
    a, b = x * x, glassgrad.exp(x)
    ga, gu = glassgrad.autograd.grad([a.sum(), b.sum()], [x, unused], create_graph=True, allow_unused=True)
    assert gu is None
    (h,) = glassgrad.autograd.grad(ga.sum(), x)
    np.testing.assert_allclose(h.numpy(), 2 + np.exp(x.numpy()))
    with pytest.raises(RuntimeError, match="allow_unused"):
        glassgrad.autograd.grad(a.sum(), [x, unused], create_graph=True)


def test_grad_accumulates_out_of_place_with_a_graph():
    x = leaf(2.0)
    (x**2).sum().backward(create_graph=True)
    (x**3).sum().backward(create_graph=True)  # .grad = 2x + 3x^2, recorded
    total = x.grad
    np.testing.assert_allclose(total.detach().numpy(), [4.0 + 12.0])
    (h,) = glassgrad.autograd.grad(total.sum(), x)
    np.testing.assert_allclose(h.numpy(), [2.0 + 6 * 2.0])


class Cube(Op):
    """y = x^3;  dy/dx = 3 x^2: a correct backward that has not opted in to create_graph."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad * 3 * x**2


def test_an_op_without_a_differentiable_backward_gives_first_derivatives_then_raises():
    x = leaf(1.0, 2.0)
    (g,) = glassgrad.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [3.0, 12.0])
    with pytest.raises(NotImplementedError, match="Cube.backward cannot be differentiated"):
        g.sum().backward()


class CubeSavingDerivative(Op):
    """y = x^3, saving 3 x^2: a value derived from x, which create_graph recomputes by running the
    forward again on the input tensor."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(3 * x**2)
        return x**3

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (slope,) = ctx.saved
        return grad * slope


def test_a_saved_value_derived_from_the_inputs_is_recomputed_with_its_graph():
    x = leaf(1.0, 2.0)
    (g,) = glassgrad.autograd.grad(CubeSavingDerivative.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [3.0, 12.0])
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 12.0])


class CbrtSquaredSaved(Op):
    """y = cbrt(x)^2 / 2, saving cbrt(x): NumPy's cbrt has no differentiable twin, so the saved value
    cannot be recomputed with a graph."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        root = backend.xp.cbrt(x)
        ctx.save_for_backward(root)
        return root * root / 2

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (root,) = ctx.saved
        return grad / (3 * root)


def test_a_derived_value_that_cannot_be_recomputed_gives_first_derivatives_then_raises():
    x = leaf(8.0)
    (g,) = glassgrad.autograd.grad(CbrtSquaredSaved.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [1 / 6])
    with pytest.raises(NotImplementedError, match=r"CbrtSquaredSaved.backward cannot be differentiated.*numpy.cbrt"):
        g.sum().backward()
    assert backend.xp is np  # the namespace is restored


class DoubleByItemAssignment(Op):
    """y = 2 x, whose backward writes the gradient into a NumPy array: that would drop the graph."""

    differentiable_backward = True

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return 2 * x

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        out = backend.xp.zeros(grad.shape)
        out[...] = grad
        return 2 * out


def test_a_backward_that_would_drop_the_graph_raises_when_differentiated():
    x = leaf(1.0)
    (g,) = glassgrad.autograd.grad((DoubleByItemAssignment.apply(x) * x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [4.0])
    with pytest.raises(NotImplementedError, match="would lose its graph"):
        g.sum().backward()


def test_a_numpy_function_without_a_twin_in_a_backward_is_refused_on_graph_tensors():
    class SquareByCbrt(Op):
        """y = x^2 (forward only matters); backward writes 2 x as 2 cbrt(x)^3, and NumPy's cbrt has no twin."""

        differentiable_backward = True

        @staticmethod
        def forward(ctx: Context, x: Any) -> Any:
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx: Context, grad: Any) -> Any:
            (x,) = ctx.saved
            return grad * 2 * backend.xp.cbrt(x) ** 3

    x = leaf(8.0)
    (g,) = glassgrad.autograd.grad(SquareByCbrt.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [16.0])
    with pytest.raises(NotImplementedError, match="numpy.cbrt"):
        g.sum().backward()
    assert backend.xp is np


def test_the_seed_may_carry_a_graph_in_backward():
    x, v = leaf(1.0, 2.0), leaf(3.0, -1.0)
    (x * x).backward(v, create_graph=True)  # x.grad = 2 x v
    (dv,) = glassgrad.autograd.grad(x.grad.sum(), v)
    np.testing.assert_allclose(dv.numpy(), 2 * x.detach().numpy())


def test_a_tensor_hook_acts_in_the_recorded_backward_too_as_torch(torch):
    results = []
    for lib in (glassgrad, torch):
        x = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
        y = x * x
        y.register_hook(lambda g: g * 3)  # triples every gradient reaching y, in both backward passes
        (g,) = lib.autograd.grad((y * x).sum(), x, create_graph=True)
        (h,) = lib.autograd.grad(g.sum(), x)
        results.append((np.asarray(g.detach().numpy()), np.asarray(h.numpy())))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
