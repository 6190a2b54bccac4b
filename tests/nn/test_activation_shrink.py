"""Hardshrink, Softshrink, Threshold, RReLU, GLU and Softmin as modules, against torch: values and
gradients (float64 and float32), reprs, in-place forms, rrelu's random slopes and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch

MODULES = [
    ("Hardshrink", ()), ("Hardshrink", (1.0,)), ("Softshrink", ()), ("Softshrink", (1.2,)),
    ("Threshold", (0.1, 20.0)), ("Threshold", (-1.0, 0.0, True)), ("RReLU", ()), ("RReLU", (0.1, 0.3, True)),
    ("GLU", ()), ("GLU", (1,)), ("Softmin", (1,)), ("Softmin", (-1,)),
]
KINKS = np.array([-1.2, -1.0, -0.5, 0.0, 0.1, 0.5, 1.0, 1.2])


def _inputs(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.normal(size=shape) * 2
    distance = np.abs(x[..., None] - KINKS).min(axis=-1)
    return np.where(distance < 0.05, x + 0.1, x)


@pytest.mark.parametrize("name,args", MODULES, ids=lambda v: str(v))
def test_module_matches_torch_in_eval(name, args, torch, rng):
    ours, theirs = getattr(nn, name)(*args).eval(), getattr(torch.nn, name)(*args).eval()
    assert repr(ours) == repr(theirs)
    ours.inplace = theirs.inplace = False  # torch refuses in-place on a leaf: compare the out-of-place forms
    x = _inputs(rng, (3, 4, 6))
    compare_with_torch(ours, theirs, [x], torch)
    compare_with_torch(ours, theirs, [x], torch, dtype=np.float32)


def test_rrelu_training_draws_a_slope_per_negative_element_and_backprops_it(rng):
    x = gg.tensor(_inputs(rng, (200,)), requires_grad=True)
    y = F.rrelu(x, 0.1, 0.3, training=True)
    y.sum().backward()
    slope = y.numpy() / x.numpy()
    negative = x.numpy() < 0
    assert np.all(slope[~negative] == 1.0)
    assert np.all((slope[negative] >= 0.1) & (slope[negative] <= 0.3))
    assert np.unique(slope[negative]).size > 10  # random, not one slope
    np.testing.assert_allclose(x.grad.numpy(), slope, rtol=1e-12)  # dy/dx = the drawn slope, as torch


def test_rrelu_module_is_random_in_training_and_fixed_in_eval(rng):
    layer = nn.RReLU(0.1, 0.3)
    x = gg.tensor(-np.ones(50))
    assert np.unique(layer(x).numpy()).size > 1
    np.testing.assert_allclose(layer.eval()(x).numpy(), -0.2)


def test_inplace_forms_edit_their_input(torch, rng):
    x = _inputs(rng, (4, 3))
    ours, theirs = gg.tensor(x), torch.tensor(x)
    assert F.threshold(ours, 0.5, -2.0, inplace=True) is ours
    expected = torch.nn.functional.threshold(theirs, 0.5, -2.0, inplace=True)
    np.testing.assert_array_equal(ours.numpy(), expected.numpy())
    assert nn.Threshold(0.0, 1.0, inplace=True)(ours) is ours


def test_threshold_keeps_integer_tensors_integer(torch):
    ours = F.threshold(gg.tensor([1, 2, 3]), 2, 0)
    theirs = torch.nn.functional.threshold(torch.tensor([1, 2, 3]), 2, 0)
    assert ours.dtype == gg.int64
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_softmin_without_dim_takes_torchs_implicit_dim_and_warns(torch, rng):
    x = rng.normal(size=(2, 3, 4))
    with pytest.warns(UserWarning, match="Implicit dimension"):
        ours = F.softmin(gg.tensor(x))
    with pytest.warns(UserWarning):
        theirs = torch.nn.functional.softmin(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_bad_arguments_raise_torchs_errors():
    with pytest.raises(RuntimeError, match="non-negative"):
        F.softshrink(gg.tensor([1.0]), -1.0)
    with pytest.raises(RuntimeError, match="even"):
        F.glu(gg.ones(2, 3))
    with pytest.raises(NotImplementedError):
        F.hardshrink(gg.tensor([1, 2]))
    with pytest.raises(IndexError):
        F.glu(gg.ones(2, 4), dim=2)


def test_underscore_forms_write_into_their_input(rng):
    x = _inputs(rng, (5,))
    ours = gg.tensor(x)
    assert F.threshold_(ours, 0.5, -2.0) is ours
    np.testing.assert_array_equal(ours.numpy(), F.threshold(gg.tensor(x), 0.5, -2.0).numpy())
    ours = gg.tensor(x)
    assert F.rrelu_(ours, 0.1, 0.3) is ours
    np.testing.assert_allclose(ours.numpy(), np.where(x > 0, x, 0.2 * x))
