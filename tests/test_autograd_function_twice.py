"""A custom autograd.Function whose backward uses glassgrad ops is differentiable twice, as torch's:
with create_graph=True its backward runs on the graph's tensors and records. Saved inputs and the
saved output take part; anything else computed in forward, and @once_differentiable, refuse."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import glassgrad
from glassgrad.autograd import Function, gradgradcheck
from glassgrad.autograd.function import once_differentiable


class Cube(Function):
    """y = x^3;  dy/dx = 3 x^2 (saves the input)."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * 3 * x**2


class Exp(Function):
    """y = e^x;  dy/dx = y (saves the output)."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (y,) = ctx.saved_tensors
        return grad * y


class SinCos(Function):
    """(sin x, x cos w): two outputs, two inputs; the gradients are written with glassgrad ops."""

    @staticmethod
    def forward(ctx: Any, x: Any, w: Any) -> Any:
        ctx.save_for_backward(x, w)
        return x.sin(), x * w.cos()

    @staticmethod
    def backward(ctx: Any, d_sin: Any, d_prod: Any) -> Any:
        x, w = ctx.saved_tensors
        return d_sin * x.cos() + d_prod * w.cos(), -(d_prod * x * w.sin())


def _leaf(values: Any) -> glassgrad.Tensor:
    return glassgrad.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def test_second_derivatives_of_custom_functions_match_the_formulas():
    x = _leaf([0.4, -1.3, 2.0])
    y = (Cube.apply(x) * Exp.apply(x)).sum()  # f = x^3 e^x, f'' = e^x (x^3 + 6 x^2 + 6 x)
    (first,) = glassgrad.autograd.grad(y, x, create_graph=True)
    (second,) = glassgrad.autograd.grad(first.sum(), x)
    v = x.detach().numpy()
    np.testing.assert_allclose(first.detach().numpy(), np.exp(v) * (v**3 + 3 * v**2), rtol=1e-12)
    np.testing.assert_allclose(second.numpy(), np.exp(v) * (v**3 + 6 * v**2 + 6 * v), rtol=1e-12)


@pytest.mark.parametrize("fn", [Cube.apply, Exp.apply, lambda x, w: SinCos.apply(x, w)],
                         ids=["saved_input", "saved_output", "two_outputs"])
def test_gradgradcheck_of_custom_functions(fn: Any, rng: np.random.Generator):
    n_args = 2 if fn.__name__ == "<lambda>" else 1
    assert gradgradcheck(fn, [_leaf(rng.uniform(-1.5, 1.5, 4)) for _ in range(n_args)])


class SavesAnIntermediate(Function):
    """y = sin(2 x), saving h = 2 x (computed in forward, neither input nor output)."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        h = x * 2
        ctx.save_for_backward(h)
        return h.sin()

    @staticmethod
    def backward(ctx: Any, grad: Any) -> Any:
        (h,) = ctx.saved_tensors
        return grad * 2 * h.cos()


class CubeOnce(Cube):
    @staticmethod
    @once_differentiable
    def backward(ctx: Any, grad: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad * 3 * x**2


def test_refusals_keep_first_derivatives_and_raise_when_differentiated():
    x = _leaf([0.5, 1.0])
    (g,) = glassgrad.autograd.grad(SavesAnIntermediate.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), 2 * np.cos(2 * x.detach().numpy()))
    with pytest.raises(NotImplementedError, match="saved tensor 0 is neither an input nor the output"):
        g.sum().backward()
    (g,) = glassgrad.autograd.grad(CubeOnce.apply(x).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), 3 * x.detach().numpy() ** 2)
    with pytest.raises(NotImplementedError, match="marked with @once_differentiable"):
        g.sum().backward()
