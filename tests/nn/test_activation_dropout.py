"""Activation modules and functional forms against torch; dropout behaviour; F.pad order."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch


def _away_from_kinks(r: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = r.normal(size=shape) * 2
    return np.where(np.abs(x) < 1e-3, 0.5, x)


ACTIVATIONS = [
    (lambda: nn.ReLU(), lambda t: t.nn.ReLU()),
    (lambda: nn.LeakyReLU(0.2), lambda t: t.nn.LeakyReLU(0.2)),
    (lambda: nn.LeakyReLU(), lambda t: t.nn.LeakyReLU()),
    (lambda: nn.Sigmoid(), lambda t: t.nn.Sigmoid()),
    (lambda: nn.Tanh(), lambda t: t.nn.Tanh()),
    (lambda: nn.GELU(), lambda t: t.nn.GELU()),
    (lambda: nn.GELU(approximate="tanh"), lambda t: t.nn.GELU(approximate="tanh")),
    (lambda: nn.Softmax(dim=1), lambda t: t.nn.Softmax(dim=1)),
    (lambda: nn.Softmax(dim=-1), lambda t: t.nn.Softmax(dim=-1)),
    (lambda: nn.LogSoftmax(dim=0), lambda t: t.nn.LogSoftmax(dim=0)),
    (lambda: nn.LogSoftmax(dim=2), lambda t: t.nn.LogSoftmax(dim=2)),
]


@pytest.mark.parametrize("make_ours,make_theirs", ACTIVATIONS)
def test_activation_modules_match_torch(torch, rng, make_ours, make_theirs):
    x = _away_from_kinks(rng, (3, 4, 5))
    compare_with_torch(make_ours(), make_theirs(torch), [x], torch)


def test_activation_modules_float32(torch, rng):
    x = _away_from_kinks(rng, (4, 6))
    for make_ours, make_theirs in ACTIVATIONS[:8]:
        compare_with_torch(make_ours(), make_theirs(torch), [x], torch, dtype=np.float32)


def test_functional_forms_match_torch(torch, rng):
    x = _away_from_kinks(rng, (4, 5))
    w, b = rng.normal(size=(3, 5)), rng.normal(size=3)
    tf = torch.nn.functional
    pairs = [
        (F.relu, tf.relu),
        (lambda a: F.leaky_relu(a, negative_slope=0.3), lambda a: tf.leaky_relu(a, negative_slope=0.3)),
        (F.sigmoid, tf.sigmoid),
        (F.tanh, tf.tanh),
        (F.gelu, tf.gelu),
        (lambda a: F.softmax(a, dim=0), lambda a: tf.softmax(a, dim=0)),
        (lambda a: F.log_softmax(a, 1), lambda a: tf.log_softmax(a, 1)),
    ]
    for ours, theirs in pairs:
        compare_with_torch(ours, theirs, [x], torch)
    compare_with_torch(F.linear, tf.linear, [x, w, b], torch)
    compare_with_torch(lambda a, ww: F.linear(a, ww), lambda a, ww: tf.linear(a, ww), [x, w], torch)


@pytest.mark.parametrize("pad", [(1, 2), (0, 1, 2, 0), (1, 1, 0, 2, 3, 0)])
def test_pad_uses_torch_order(torch, rng, pad):
    x = rng.normal(size=(2, 3, 4))
    compare_with_torch(lambda a: F.pad(a, pad, value=0.5), lambda a: torch.nn.functional.pad(a, pad, value=0.5),
                       [x], torch)


def test_pad_errors():
    x = gg.Tensor(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="even number"):
        F.pad(x, (1, 2, 3))
    with pytest.raises(ValueError, match="even number"):
        F.pad(x, (1, 1, 1, 1, 1, 1))
    with pytest.raises(NotImplementedError, match="constant"):
        F.pad(x, (1, 1), mode="bogus")


def test_one_hot_matches_torch(torch):
    labels = np.array([[0, 3], [2, 1]])
    ours = F.one_hot(labels, num_classes=5)
    theirs = torch.nn.functional.one_hot(torch.tensor(labels), num_classes=5)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_gelu_errors():
    with pytest.raises(ValueError, match="approximate"):
        nn.GELU(approximate="fast")


# ----- dropout ----------------------------------------------------------------------
def test_dropout_gradcheck():
    """With the same mask on every call (a fresh generator of one seed), the gradient is mask / (1 - p)."""
    x = np.random.default_rng(1).standard_normal((4, 5))
    gg.gradcheck(lambda t: F.dropout(t, p=0.4, rng=np.random.default_rng(0)), [x])


def test_dropout_scales_survivors_and_keeps_expectation():
    x = gg.Tensor(np.ones((200, 100)), requires_grad=True)
    y = F.dropout(x, p=0.3, rng=np.random.default_rng(0))
    values = set(np.unique(y.numpy()).round(12))
    assert values == {0.0, round(1 / 0.7, 12)}
    assert abs((y.numpy() == 0).mean() - 0.3) < 0.01
    assert abs(y.numpy().mean() - 1.0) < 0.02
    dout = np.random.default_rng(1).normal(size=x.shape)
    (y * gg.Tensor(dout)).sum().backward()
    np.testing.assert_allclose(x.grad, dout * y.numpy())  # the gradient is the saved mask


def test_dropout_explicit_rng_repeats_and_module_generator():
    x = gg.Tensor(np.ones((5, 7), dtype=np.float32))
    a = F.dropout(x, 0.5, rng=np.random.default_rng(3))
    b = F.dropout(x, 0.5, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert a.dtype == np.float32
    gg.manual_seed(11)
    c = nn.Dropout(0.5)(x)
    gg.manual_seed(11)
    d = nn.Dropout(0.5)(x)
    np.testing.assert_array_equal(c.numpy(), d.numpy())


def test_dropout_eval_identity_and_edge_probabilities():
    x = gg.Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    layer = nn.Dropout(0.9, rng=np.random.default_rng(0))
    layer.eval()
    assert layer(x) is x
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    zeros = F.dropout(x, 1.0)
    np.testing.assert_array_equal(zeros.numpy(), np.zeros((2, 3)))
    zeros.sum().backward()
    np.testing.assert_array_equal(x.grad, np.zeros((2, 3)))
    seq = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))
    seq.eval()
    assert not seq[1].training
    assert repr(nn.Dropout(0.25)) == "Dropout(p=0.25, inplace=False)"


def test_dropout_rejects_bad_p():
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        F.dropout(gg.Tensor(np.ones(3)), p=-0.1)
