"""Values at the edges: huge and tiny magnitudes, empty tensors, and the conventions
at kinks and ties, each checked against torch (forward and gradient)."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import Tensor, ops
from tests.helpers.oracle import compare_with_torch

EXTREMES = np.array([-1e4, -745.0, -88.0, -30.0, -1e-12, 0.0, 1e-12, 30.0, 88.0, 745.0, 1e4])

STABLE_UNARY = {
    "sigmoid": (ops.sigmoid, lambda t, x: t.sigmoid(x)),
    "tanh": (ops.tanh, lambda t, x: t.tanh(x)),
    "relu": (ops.relu, lambda t, x: t.relu(x)),
    "leaky_relu": (ops.leaky_relu, lambda t, x: t.nn.functional.leaky_relu(x)),
    "abs": (ops.abs, lambda t, x: t.abs(x)),
    "gelu": (ops.gelu, lambda t, x: t.nn.functional.gelu(x)),
    "softmax": (ops.softmax, lambda t, x: t.softmax(x, -1)),
    "log_softmax": (ops.log_softmax, lambda t, x: t.log_softmax(x, -1)),
}


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64", "float32"])
@pytest.mark.parametrize("name", sorted(STABLE_UNARY))
def test_extreme_inputs_match_torch_without_overflow(name: str, dtype: type, torch) -> None:
    gg_fn, torch_fn = STABLE_UNARY[name]
    # values at and beyond the float32/float64 exp overflow points, and 0 (the kink: torch's convention)
    x = np.stack([EXTREMES, -EXTREMES[::-1]])
    outs, grads = compare_with_torch(gg_fn, lambda a: torch_fn(torch, a), [x], torch, dtype=dtype)
    assert np.isfinite(outs[0]).all() and np.isfinite(grads[0]).all()


def test_log_softmax_of_huge_logits_stays_finite(torch) -> None:
    x = np.array([[1e4, 0.0, -1e4], [5.0, 5.0, 5.0]])
    compare_with_torch(lambda a: ops.log_softmax(a, axis=1), lambda a: torch.log_softmax(a, 1), [x], torch)


def test_ties_follow_torch(torch) -> None:
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])  # max ties share the gradient evenly (torch.amax)
    compare_with_torch(lambda a: a.amax(1), lambda a: a.amax(1), [x], torch)
    compare_with_torch(lambda a: a.amin(1), lambda a: a.amin(1), [x], torch)
    y = np.array([[3.0, 0.0, 2.0], [2.0, 2.0, 1.0]])  # maximum/minimum ties split in half
    compare_with_torch(ops.maximum, torch.maximum, [x, y], torch)
    compare_with_torch(ops.minimum, torch.minimum, [x, y], torch)


def test_clip_at_its_bounds_follows_torch(torch) -> None:
    x = np.array([-2.0, -1.0, 0.0, 0.5, 1.0])  # at a bound the gradient passes (torch.clamp)
    compare_with_torch(lambda a: a.clip(-1.0, 0.5), lambda a: a.clamp(-1.0, 0.5), [x], torch)


def test_large_pow_and_exp_match_torch(torch) -> None:
    x = np.array([[-50.0, -1e-3, 1e-3, 50.0]])
    compare_with_torch(lambda a: a**3, lambda a: a**3, [x], torch)
    compare_with_torch(ops.exp, torch.exp, [x], torch)


@pytest.mark.parametrize(
    "gg_fn, torch_name",
    [
        (lambda a: a.sum(axis=0), "sum0"),
        (lambda a: a * 2.0 + 1.0, "affine"),
        (lambda a: a.reshape(-1), "flatten"),
        (lambda a: a @ np.ones((3, 2)), "matmul"),
    ],
    ids=["sum", "affine", "reshape", "matmul"],
)
def test_empty_tensors(gg_fn, torch_name: str, torch) -> None:
    torch_fns = {
        "sum0": lambda a: a.sum(0),
        "affine": lambda a: a * 2.0 + 1.0,
        "flatten": lambda a: a.reshape(-1),
        "matmul": lambda a: a @ torch.ones((3, 2), dtype=torch.float64),
    }
    compare_with_torch(gg_fn, torch_fns[torch_name], [np.zeros((0, 3))], torch)


def test_grad_shapes_and_dtypes_follow_their_inputs() -> None:
    a = Tensor(np.ones((2, 1, 3), dtype=np.float32), requires_grad=True)
    b = Tensor(np.ones((4, 1)), requires_grad=True)  # float64 meets float32: result float64
    out = a * b
    assert out.dtype == np.float64 and out.shape == (2, 4, 3)
    out.sum().backward()
    assert a.grad.shape == a.shape and a.grad.dtype == np.float32
    assert b.grad.shape == b.shape and b.grad.dtype == np.float64
    np.testing.assert_allclose(b.grad, np.full((4, 1), 6.0))


@pytest.mark.parametrize(
    "gg_fn, torch_fn",
    [
        (lambda a: a**0.5, lambda a: a**0.5),
        (lambda a: a**-1.0, lambda a: a**-1.0),
        (ops.sqrt, lambda a: a.sqrt()),
        (ops.log, lambda a: a.log()),
    ],
    ids=["pow_half", "pow_minus_one", "sqrt", "log"],
)
def test_poles_give_torch_nan_and_inf_without_warnings(gg_fn, torch_fn, torch) -> None:
    x = np.array([-1.0, 0.0, 4.0])  # outside the domain, at the pole, inside
    compare_with_torch(gg_fn, torch_fn, [x], torch)  # NaN == NaN and inf == inf here
