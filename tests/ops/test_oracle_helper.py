"""The torch oracle helper must itself catch the bugs it exists for."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from glassgrad import Context, Op, Tensor
from tests.helpers.oracle import compare_with_torch


class TransposedGradMatMul(Op):
    """C = A @ B with a deliberately wrong dA: (dC B^T)^T instead of dC B^T."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return a @ b

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, Any]:
        a, b = ctx.saved
        return (grad @ b.T).T, a.T @ grad


class GradIgnoringMul(Op):
    """z = a * w with a backward that forgets the incoming gradient: dz/da = w, not grad * w."""

    @staticmethod
    def forward(ctx: Context, a: Any, w: Any) -> Any:
        ctx.save_for_backward(w)
        return a * w

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple[Any, None]:
        (w,) = ctx.saved
        return w + 0 * grad, None


def test_correct_op_passes(rng: np.random.Generator, torch) -> None:
    a, b = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))
    compare_with_torch(lambda x, y: x @ y, lambda x, y: x @ y, [a, b], torch)


def test_catches_transposed_gradient(rng: np.random.Generator, torch) -> None:
    a, b = rng.standard_normal((3, 3)), rng.standard_normal((3, 3))  # square: the shapes cannot tell
    with pytest.raises(AssertionError, match="gradient of input 0"):
        compare_with_torch(lambda x, y: TransposedGradMatMul.apply(x, y), lambda x, y: x @ y, [a, b], torch)


def test_catches_a_bug_that_a_uniform_upstream_gradient_hides(rng: np.random.Generator, torch) -> None:
    a, w = rng.standard_normal((2, 3)), rng.standard_normal((2, 3))
    bad = lambda x, y: GradIgnoringMul.apply(x, y)  # noqa: E731
    # with out.sum() (dout = 1 everywhere) the bug is invisible ...
    x = Tensor(a, requires_grad=True)
    bad(x, Tensor(w)).sum().backward()
    np.testing.assert_allclose(x.grad, w)
    # ... the helper's random dout exposes it
    with pytest.raises(AssertionError, match="gradient of input 0"):
        compare_with_torch(bad, lambda x, y: x * y, [a, w], torch)


def test_catches_wrong_forward_and_wrong_shape(rng: np.random.Generator, torch) -> None:
    a = rng.standard_normal((2, 3))
    with pytest.raises(AssertionError, match="forward"):
        compare_with_torch(lambda x: x * 1.001, lambda x: x, [a], torch)
    with pytest.raises(AssertionError, match="shape"):
        compare_with_torch(lambda x: x.T, lambda x: x, [a], torch)


def test_float32_tolerance_is_relative(rng: np.random.Generator, torch) -> None:
    a = rng.standard_normal((4, 5)) * 1e3
    compare_with_torch(lambda x: (x * x).sum(axis=1), lambda x: (x * x).sum(dim=1), [a], torch, dtype=np.float32)
    with pytest.raises(AssertionError):
        compare_with_torch(lambda x: x * (1 + 1e-3), lambda x: x, [a], torch, dtype=np.float32)
