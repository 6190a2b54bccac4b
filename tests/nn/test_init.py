"""nn.init against torch: names, gains, fans, bounds and moments of each distribution, in-place editing
(same object, version bump, no graph), deterministic constants equal to torch's, and the layers' defaults."""

from __future__ import annotations

import math

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import init


def _rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("nonlinearity,param", [("linear", None), ("conv2d", None), ("sigmoid", None),
                                                ("tanh", None), ("relu", None), ("leaky_relu", None),
                                                ("leaky_relu", 0.2), ("selu", None), ("conv_transpose1d", None)])
def test_calculate_gain_matches_torch(torch, nonlinearity, param):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(torch.nn.init.calculate_gain(nonlinearity, param))


@pytest.mark.parametrize("shape", [(5, 3), (8, 4, 3, 3), (6, 2, 5)])
def test_fans_match_torch(torch, shape):
    ours = init._calculate_fan_in_and_fan_out(gg.zeros(*shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(*shape))


def test_errors_match_torch(torch):
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(gg.zeros(3))
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_uniform_(gg.zeros(3, 3), mode="fan_avg")
    with pytest.raises(ValueError, match="Only tensors with 2 dimensions"):
        init.eye_(gg.zeros(2, 2, 2))
    with pytest.raises(ValueError, match="3, 4, or 5 dimensions"):
        init.dirac_(gg.zeros(2, 2))
    with pytest.raises(ValueError, match="2 or more dimensions"):
        init.orthogonal_(gg.zeros(4))


@pytest.mark.parametrize("name,args,kind,spread", [
    ("uniform_", (-0.5, 1.5), "uniform", (-0.5, 1.5)),
    ("normal_", (0.3, 2.0), "normal", (0.3, 2.0)),
    ("xavier_uniform_", (), "uniform", (-math.sqrt(6 / 384), math.sqrt(6 / 384))),
    ("xavier_normal_", (), "normal", None),
    ("kaiming_uniform_", (), "uniform", (-math.sqrt(6 / 128), math.sqrt(6 / 128))),
    ("kaiming_normal_", (), "normal", None),
])
def test_distributions_match_torch_statistics(torch, name, args, kind, spread):
    """Same bounds (uniform) or standard deviation (normal) as torch on a (256, 128) weight."""
    ours = getattr(init, name)(gg.zeros(256, 128), *args)
    theirs = getattr(torch.nn.init, name)(torch.zeros(256, 128), *args).numpy()
    values = ours.numpy().astype(np.float64)
    if kind == "uniform":
        low, high = spread
        for drawn in (values, theirs):
            assert drawn.min() >= low - 1e-6 and drawn.max() <= high + 1e-6
            assert float(drawn.min()) == pytest.approx(low, abs=0.02 * (high - low))
            assert float(drawn.max()) == pytest.approx(high, abs=0.02 * (high - low))
    else:
        assert float(values.std()) == pytest.approx(float(theirs.std()), rel=0.03)
        assert float(values.mean()) == pytest.approx(float(theirs.mean()), abs=0.05 * float(theirs.std()))


def test_kaiming_modes_and_nonlinearities_match_torch_std(torch):
    for kwargs in [{"mode": "fan_out"}, {"nonlinearity": "relu"}, {"a": 0.2}, {"mode": "fan_out", "a": math.sqrt(5)}]:
        ours = init.kaiming_normal_(gg.zeros(64, 32, 3, 3), **kwargs).numpy()
        theirs = torch.nn.init.kaiming_normal_(torch.zeros(64, 32, 3, 3), **kwargs).numpy()
        assert ours.std() == pytest.approx(theirs.std(), rel=0.03), kwargs


def test_trunc_normal_stays_in_bounds_with_torch_moments(torch):
    ours = init.trunc_normal_(gg.zeros(20000), mean=0.5, std=1.0, a=-0.5, b=1.0).numpy()
    theirs = torch.nn.init.trunc_normal_(torch.zeros(20000), mean=0.5, std=1.0, a=-0.5, b=1.0).numpy()
    assert ours.min() >= -0.5 and ours.max() <= 1.0
    assert ours.mean() == pytest.approx(theirs.mean(), abs=0.02)
    assert ours.std() == pytest.approx(theirs.std(), rel=0.03)


@pytest.mark.parametrize("shape", [(6, 6), (3, 7), (7, 3), (4, 2, 3)])
def test_orthogonal_is_orthogonal_with_gain(shape):
    w = init.orthogonal_(gg.zeros(*shape), gain=2.0, rng=_rng()).numpy().reshape(shape[0], -1)
    small = min(w.shape)
    product = w @ w.T if w.shape[0] == small else w.T @ w
    np.testing.assert_allclose(product, 4.0 * np.eye(small), atol=1e-5)


def test_deterministic_fills_equal_torch(torch):
    for name, shape, args in [("constant_", (2, 3), (0.7,)), ("ones_", (4,), ()), ("zeros_", (2, 2), ()),
                              ("eye_", (3, 5), ()), ("dirac_", (4, 2, 3, 3), ()), ("dirac_", (4, 2, 3), (2,))]:
        ours = getattr(init, name)(gg.ones(*shape) * 5, *args).numpy()
        theirs = getattr(torch.nn.init, name)(torch.ones(*shape) * 5, *args).numpy()
        np.testing.assert_array_equal(ours, theirs, err_msg=name)


def test_fills_in_place_keep_object_and_record_nothing():
    layer = nn.Linear(4, 3)
    weight, array, version = layer.weight, layer.weight.array, layer.weight._version
    out = init.xavier_uniform_(layer.weight, gain=init.calculate_gain("tanh"), rng=_rng())
    assert out is weight and layer.weight is weight and weight.array is array  # the same memory is overwritten
    assert weight._version > version and weight.requires_grad and weight.is_leaf
    view = weight.detach()
    init.zeros_(weight)
    assert not view.numpy().any()  # anything sharing the memory sees the fill
    gen_a, gen_b = np.random.default_rng(3), np.random.default_rng(3)
    np.testing.assert_array_equal(init.normal_(gg.zeros(5), generator=gen_a).numpy(),
                                  init.normal_(gg.zeros(5), rng=gen_b).numpy())


def test_zero_element_kaiming_warns_like_torch(torch):
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        init.kaiming_uniform_(gg.zeros(0, 3))
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        torch.nn.init.kaiming_uniform_(torch.zeros(0, 3))


@pytest.mark.parametrize("make", [lambda m: m.Linear(50, 40), lambda m: m.Conv2d(6, 8, 3),
                                  lambda m: m.Bilinear(5, 7, 3)])
def test_layer_defaults_follow_torch_bounds(torch, make):
    """torch's default: kaiming_uniform_(a=sqrt(5)), i.e. U(+-1/sqrt(fan_in)) for weight and bias."""
    ours, theirs = make(nn), make(torch.nn)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        bound = float(q.detach().abs().max())
        fan_in = theirs.weight[0].numel() if not isinstance(theirs, torch.nn.Bilinear) else theirs.weight.shape[1]
        assert bound <= 1 / math.sqrt(fan_in) + 1e-7
        assert float(np.abs(p.numpy()).max()) <= 1 / math.sqrt(fan_in) + 1e-7, name
        if p.numel() >= 20:  # a few draws (Bilinear's 3 biases) stay below 0.8 * bound half the time
            assert float(np.abs(p.numpy()).max()) > 0.8 / math.sqrt(fan_in), name
        assert p.shape == tuple(q.shape)
