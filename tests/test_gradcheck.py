"""The finite-difference checker itself: it passes correct ops, and it catches and
locates a wrong backward."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from glassgrad import Context, GradcheckError, Op, Tensor, gradcheck


class MulWithBug(Op):
    """z = a * b, with dz/db wrong at one element only: element (1, 2) of b."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        db = grad * a
        db[1, 2] *= 1.5  # the bug
        return grad * b, db


class SigmoidWithBug(Op):
    """y = sigmoid(x) with a classic slip: dy/dx = y (1 + y) instead of y (1 - y)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        y = 1 / (1 + np.exp(-x))
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (y,) = ctx.saved
        return grad * y * (1 + y)


def test_passes_a_correct_op(rng: np.random.Generator) -> None:
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    assert gradcheck(lambda x, y: (x * y).tanh(), [a, b])


def test_catches_a_wrong_backward_and_names_input_and_element(rng: np.random.Generator) -> None:
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    with pytest.raises(GradcheckError, match=r"input 1 \(shape \(2, 3\)\), element \(1, 2\): analytic .* numeric"):
        gradcheck(lambda x, y: MulWithBug.apply(x, y), [a, b])


def test_catches_a_wrong_derivative_formula(rng: np.random.Generator) -> None:
    with pytest.raises(GradcheckError, match=r"input 0 .*element \(0,\)"):
        gradcheck(lambda x: SigmoidWithBug.apply(x), [rng.standard_normal(4)])


def test_gradcheck_error_is_an_assertion_error() -> None:
    assert issubclass(GradcheckError, AssertionError)  # so pytest reports it as a failed check


def test_checks_only_inputs_that_require_grad(rng: np.random.Generator) -> None:
    a = Tensor(rng.standard_normal((2, 3)), requires_grad=True)
    b = Tensor(rng.standard_normal((2, 3)))  # a constant: its buggy gradient is never asked for
    assert gradcheck(lambda x, y: MulWithBug.apply(x, y), [a, b])


def test_several_outputs(rng: np.random.Generator) -> None:
    x = rng.standard_normal((4, 3))
    assert gradcheck(lambda t: (t[:2].exp(), t[2:] * 3), [x])


def test_non_contiguous_inputs_are_nudged_for_real(rng: np.random.Generator) -> None:
    base = rng.standard_normal((3, 2))
    x = Tensor(base.T, requires_grad=True)  # a transposed view: reshape(-1) of it would be a copy
    with pytest.raises(GradcheckError):
        gradcheck(lambda t: SigmoidWithBug.apply(t), [x])
    assert gradcheck(lambda t: t.sigmoid(), [Tensor(base.T, requires_grad=True)])


def test_an_output_that_needs_no_grad_is_an_error() -> None:
    with pytest.raises(GradcheckError, match="no output requires grad"):
        gradcheck(lambda t: Tensor(np.ones(2)), [np.ones(2)])
