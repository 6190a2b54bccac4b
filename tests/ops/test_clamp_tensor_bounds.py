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


def test_number_bounds_still_refuse_min_above_max():
    with pytest.raises(ValueError, match="clip"):
        glassgrad.clamp(glassgrad.ones(2), min=2.0, max=1.0)
