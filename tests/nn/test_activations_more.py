"""The activation modules and functional forms beyond relu/sigmoid/tanh, against torch:
forward values and gradients, float32, reprs, and ``inplace=True``."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch

# (glassgrad module, the name of torch's module, constructor arguments); inputs avoid the kinks
MODULES = [
    ("SiLU", ()), ("SiLU", (True,)), ("ELU", ()), ("ELU", (0.5,)), ("SELU", ()), ("CELU", (2.0,)),
    ("Softplus", ()), ("Softplus", (2.0, 3.0)), ("Hardtanh", ()), ("Hardtanh", (-2.0, 0.5)), ("ReLU6", ()),
    ("Mish", ()), ("LogSigmoid", ()), ("GELU", ()), ("GELU", ("tanh",)), ("Hardswish", ()), ("Hardsigmoid", ()),
    ("Softsign", ()), ("Tanhshrink", ()), ("LeakyReLU", (0.1,)), ("ReLU", ()),
]
KINKS = np.array([-3.0, -2.0, -1.0, 0.0, 0.5, 1.0, 1.5, 3.0, 6.0])


def _inputs(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    x = rng.normal(size=shape) * 3
    distance = np.abs(x[..., None] - KINKS).min(axis=-1)
    return np.where(distance < 0.05, x + 0.1, x)


def _pair(torch, name, args):
    return getattr(nn, name)(*args), getattr(torch.nn, name)(*args)


@pytest.mark.parametrize("name,args", MODULES, ids=lambda v: str(v))
def test_module_matches_torch(name, args, torch, rng):
    ours, theirs = _pair(torch, name, args)
    x = _inputs(rng, (3, 4, 5))
    if getattr(theirs, "inplace", False):  # torch refuses in-place on a leaf: compare the out-of-place forms
        ours.inplace = theirs.inplace = False
    compare_with_torch(ours, theirs, [x], torch)
    compare_with_torch(ours, theirs, [x], torch, dtype=np.float32)


@pytest.mark.parametrize("name,args", MODULES, ids=lambda v: str(v))
def test_module_repr_matches_torch(name, args, torch):
    ours, theirs = _pair(torch, name, args)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", ["silu", "elu", "selu", "celu", "hardtanh", "relu6", "mish", "hardswish",
                                  "hardsigmoid", "leaky_relu", "relu"])
def test_inplace_functional_edits_the_input_and_keeps_the_graph(name, torch, rng):
    x = _inputs(rng, (4, 3))
    dout = rng.normal(size=x.shape)
    leaf = gg.tensor(x, requires_grad=True)
    hidden = leaf * 1.5
    out = getattr(F, name)(hidden, inplace=True)
    assert out is hidden
    (out * gg.tensor(dout)).sum().backward()

    t_leaf = torch.tensor(x, requires_grad=True)
    t_out = getattr(torch.nn.functional, name)(t_leaf * 1.5, inplace=True)
    (t_out * torch.tensor(dout)).sum().backward()
    np.testing.assert_allclose(out.numpy(), t_out.detach().numpy(), rtol=1e-7)
    np.testing.assert_allclose(leaf.grad.numpy(), t_leaf.grad.numpy(), rtol=1e-7)


def test_inplace_module_without_grad_overwrites_the_tensor(torch):
    values = np.array([-2.0, -0.5, 0.5, 7.0], dtype=np.float32)
    x = gg.tensor(values)
    out = nn.ReLU6(inplace=True)(x)
    assert out is x
    np.testing.assert_array_equal(x.numpy(), torch.nn.ReLU6()(torch.tensor(values)).numpy())


def test_inplace_on_a_leaf_that_requires_grad_is_refused():
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        F.silu(gg.tensor([1.0], requires_grad=True), inplace=True)


def test_functional_signatures_match_torch(torch, rng):
    x = _inputs(rng, (2, 5))
    tf = torch.nn.functional
    pairs = [
        (lambda a: F.softplus(a, beta=2, threshold=5), lambda a: tf.softplus(a, beta=2, threshold=5)),
        (lambda a: F.elu(a, alpha=0.7), lambda a: tf.elu(a, alpha=0.7)),
        (lambda a: F.celu(a, alpha=0.7), lambda a: tf.celu(a, alpha=0.7)),
        (lambda a: F.hardtanh(a, min_val=-0.7, max_val=2.5), lambda a: tf.hardtanh(a, min_val=-0.7, max_val=2.5)),
        (lambda a: F.leaky_relu(a, negative_slope=0.3), lambda a: tf.leaky_relu(a, negative_slope=0.3)),
        (lambda a: F.gelu(a, approximate="tanh"), lambda a: tf.gelu(a, approximate="tanh")),
        (F.selu, tf.selu), (F.logsigmoid, tf.logsigmoid), (F.softsign, tf.softsign), (F.tanhshrink, tf.tanhshrink),
        (F.sigmoid, tf.sigmoid), (F.tanh, tf.tanh), (F.mish, tf.mish), (F.silu, tf.silu),
    ]
    for ours, theirs in pairs:
        compare_with_torch(ours, theirs, [x], torch)


def test_module_arguments_are_checked():
    with pytest.raises(ValueError, match="Hardtanh: min_val"):
        nn.Hardtanh(1.0, -1.0)
    with pytest.raises(ValueError, match="GELU: approximate"):
        nn.GELU("fast")
