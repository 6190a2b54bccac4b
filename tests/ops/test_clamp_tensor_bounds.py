"""clamp / clip with tensor bounds (torch.clamp(x, min=t, max=u)): values and all three gradients as torch."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.helpers.oracle import compare_with_torch


def _inputs(rng):
    x = rng.uniform(-2, 2, size=(3, 4))
    low = rng.uniform(-1.5, -0.2, size=(1, 4))
    high = rng.uniform(0.2, 1.5, size=(3, 1))
    return x, low, high  # |x - bound| is almost surely > 0: no ties, so finite differences are exact


def test_clamp_tensor_bounds_gradcheck(rng):
    x, low, high = (glassgrad.tensor(a, requires_grad=True) for a in _inputs(rng))
    assert glassgrad.gradcheck(lambda a, lo, hi: glassgrad.clamp(a, min=lo, max=hi), [x, low, high])


def test_clamp_tensor_bounds_matches_torch(rng, torch):
    compare_with_torch(lambda a, lo, hi: glassgrad.clamp(a, min=lo, max=hi),
                       lambda a, lo, hi: torch.clamp(a, min=lo, max=hi), _inputs(rng), torch)
    compare_with_torch(lambda a, lo: a.clamp(min=lo), lambda a, lo: a.clamp(min=lo), _inputs(rng)[:2], torch)
    compare_with_torch(lambda a, hi: a.clip(max=hi), lambda a, hi: a.clip(max=hi), [_inputs(rng)[0], _inputs(rng)[2]],
                       torch)


def test_ties_keep_the_input_gradient_and_max_wins():
    x = glassgrad.tensor([1.0, 2.0, 3.0], requires_grad=True)
    low = glassgrad.tensor([2.0, 2.0, 2.0], requires_grad=True)
    high = glassgrad.tensor([2.5], requires_grad=True)
    glassgrad.clamp(x, min=low, max=high).backward(glassgrad.tensor([1.0, 10.0, 100.0]))
    np.testing.assert_array_equal(x.grad.numpy(), [0, 10, 0])  # x == min: x keeps its gradient, as torch
    np.testing.assert_array_equal(low.grad.numpy(), [1, 0, 0])
    np.testing.assert_array_equal(high.grad.numpy(), [100])
    crossed = glassgrad.clamp(glassgrad.tensor([1.0, 5.0]), min=glassgrad.tensor(3.0), max=glassgrad.tensor(2.0))
    np.testing.assert_array_equal(crossed.numpy(), [2, 2])  # min > max: max wins, as torch


NAN = float("nan")
CROSSED = {  # min > max gives max, as torch; NaN anywhere gives NaN
    "numbers": lambda lib, x: x.clamp(2.0, 0.5),
    "torch.clamp ints": lambda lib, x: lib.clamp(x, min=2, max=0),
    "clip": lambda lib, x: lib.clip(x, 2.0, 0.5),
    "clamp_": lambda lib, x: (x * 1).clamp_(2.0, 0.5),
    "tensors": lambda lib, x: x.clamp(lib.tensor([2.0, 2, 2, 2, 2, 1], dtype=x.dtype),
                                      lib.tensor([0.5, 0.5, 3, 0.5, 0.5, 1], dtype=x.dtype)),
    "0-d tensor and a number": lambda lib, x: x.clamp(lib.tensor(2.0, dtype=x.dtype), 0.5),
    "NaN bounds": lambda lib, x: x.clamp(lib.tensor([NAN, 0, 0, 0, 0, 1], dtype=x.dtype),
                                         lib.tensor([1.0, 1, NAN, 1, 1, 1], dtype=x.dtype)),
    "NaN number bound": lambda lib, x: x.clamp(0.0, NAN),
    "min tensor only": lambda lib, x: x.clamp(min=lib.tensor([NAN, 0, 2, 0, 0, 1], dtype=x.dtype)),
    "max tensor only": lambda lib, x: x.clamp(max=lib.tensor([0.0, 0, NAN, 0, 0, 1], dtype=x.dtype)),
}


def _crossed(lib, name: str, dtype: str):
    x = lib.tensor([-2.0, 0.0, 1.0, 3.0, NAN, 1.0], dtype=getattr(lib, dtype), requires_grad=True)
    y = CROSSED[name](lib, x)
    y.backward(lib.arange(1.0, 7.0, dtype=x.dtype))
    return y.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", CROSSED)
def test_min_above_max_and_nan_give_torch_s_values_and_gradients(torch, name, dtype):
    for ours, theirs in zip(_crossed(glassgrad, name, dtype), _crossed(torch, name, dtype)):
        assert ours.dtype == np.asarray(theirs).dtype
        np.testing.assert_array_equal(ours, np.asarray(theirs))


def test_gradients_of_crossed_and_nan_tensor_bounds_follow_torch_s_rule(torch):
    def run(lib):
        x = lib.tensor([NAN, 1, 1, 0, 2, 5, -5, 1.5, 1, 3, 0.5, 0, 2], requires_grad=True)
        low = lib.tensor([0.0, NAN, 0, 0, 2, 3, 3, 2, 1, 1, 0.5, 1, 1], requires_grad=True)
        high = lib.tensor([1.0, 2, NAN, 1, 1, 1, 1, 1, 1, 1, 0.5, 1, 1], requires_grad=True)
        y = lib.clamp(x, low, high)
        y.backward(lib.arange(1.0, 14.0))  # x < low == high (12th): no input gets the gradient, as torch
        return y.detach().numpy(), x.grad.numpy(), low.grad.numpy(), high.grad.numpy()

    for ours, theirs in zip(run(glassgrad), run(torch)):
        np.testing.assert_array_equal(ours, np.asarray(theirs))


def test_integer_bounds_and_dtypes_as_torch(torch):
    ints = [-2, 0, 1, 3]
    for args in [(2, 0), (2.5, 0.5), (0.5, 2.5)]:
        ours, theirs = glassgrad.tensor(ints).clamp(*args), torch.tensor(ints).clamp(*args)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        assert ours.tolist() == theirs.tolist()
    ours = glassgrad.clamp(glassgrad.tensor(ints, dtype=glassgrad.int32), glassgrad.tensor(2), glassgrad.tensor(0))
    theirs = torch.clamp(torch.tensor(ints, dtype=torch.int32), torch.tensor(2), torch.tensor(0))
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1] and ours.tolist() == theirs.tolist()


def test_a_number_beside_a_tensor_bound_is_refused_as_torch(torch):
    for lib in (glassgrad, torch):
        x = lib.tensor([1.0, 5.0])
        with pytest.raises(TypeError):
            lib.clamp(x, lib.tensor([2.0]), 3)
        with pytest.raises(TypeError):
            lib.clamp(x, 2, lib.tensor([3.0]))
        with pytest.raises(TypeError):
            lib.clamp(x, lib.tensor(2.0, requires_grad=True), 3)
