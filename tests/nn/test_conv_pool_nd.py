"""The N-d convolution and pooling layers against torch with copied weights: Conv3d (every padding_mode),
ConvTranspose1d/3d, MaxPool3d/AvgPool3d, pooling with indices and max unpooling, LPPool, adaptive 1-D and 3-D
pooling; reprs, layouts and errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch
from tests.nn.module_parity import check_module_with_torch

LAYERS = [
    ("Conv3d", (4, 6, 3), {"padding": 1, "groups": 2}, (2, 4, 4, 5, 3)),
    ("Conv3d", (2, 3, (1, 2, 2)), {"stride": 2, "dilation": (1, 2, 1), "bias": False}, (1, 2, 3, 6, 5)),
    ("Conv3d", (2, 3, 3), {"padding": "same"}, (2, 3, 4, 4)),
    ("Conv3d", (2, 3, 3), {"padding": (1, 2, 1), "padding_mode": "reflect"}, (1, 2, 4, 4, 4)),
    ("Conv3d", (2, 3, 2), {"padding": 1, "padding_mode": "replicate"}, (1, 2, 3, 3, 3)),
    ("Conv3d", (2, 3, 2), {"padding": 1, "padding_mode": "circular"}, (1, 2, 3, 3, 3)),
    ("ConvTranspose1d", (4, 6, 3), {"stride": 2, "padding": 1, "output_padding": 1, "groups": 2}, (2, 4, 5)),
    ("ConvTranspose1d", (3, 2, 2), {"dilation": 2, "bias": False}, (3, 4)),
    ("ConvTranspose3d", (2, 4, (2, 3, 2)), {"stride": (2, 1, 2), "padding": (1, 0, 0)}, (2, 2, 3, 2, 3)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", LAYERS, ids=str)
def test_layer_matches_torch_with_copied_weights(name, args, kwargs, shape, torch, rng):
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    out = check_module_with_torch(ours, theirs, [rng.normal(size=shape)], torch, tol=1e-10)
    assert out[0].flags["C_CONTIGUOUS"]  # torch's layout: the output of a convolution is contiguous


POOLS = [
    ("MaxPool3d", (2,), {}, (2, 3, 4, 5, 4)),
    ("MaxPool3d", ((2, 3, 2),), {"stride": 1, "padding": 1, "dilation": (1, 1, 2), "ceil_mode": True},
     (1, 2, 4, 5, 6)),
    ("AvgPool3d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False},
     (2, 2, 5, 5, 4)),
    ("AvgPool3d", (2,), {"divisor_override": 3}, (2, 4, 4, 4)),
    ("LPPool1d", (2, 3), {"stride": 2}, (2, 3, 7)), ("LPPool2d", (1.5, (2, 3)), {"ceil_mode": True}, (2, 3, 5, 7)),
    ("LPPool3d", (2, 2), {}, (1, 2, 4, 4, 5)), ("AdaptiveAvgPool3d", ((2, None, 3),), {}, (2, 3, 5, 4, 7)),
    ("AdaptiveMaxPool3d", (2,), {}, (1, 2, 5, 3, 4)), ("AdaptiveMaxPool1d", (3,), {}, (2, 3, 7)),
]


@pytest.mark.parametrize("name,args,kwargs,shape", POOLS, ids=str)
def test_pooling_layer_matches_torch(name, args, kwargs, shape, torch, rng):
    ours, theirs = getattr(nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    x = rng.uniform(0.1, 2.0, size=shape)
    compare_with_torch(ours, theirs, [x], torch)
    compare_with_torch(ours, theirs, [x], torch, dtype=np.float32)


@pytest.mark.parametrize("spatial", [1, 2, 3])
def test_pooling_indices_and_max_unpooling_round_trip_as_torch(spatial, torch, rng):
    shape = (2, 3) + (5, 6, 4)[:spatial]
    x = np.round(rng.normal(size=shape), 1)  # ties: the first maximum wins, as torch
    pool, unpool = f"max_pool{spatial}d", f"max_unpool{spatial}d"
    values, indices = getattr(F, pool)(gg.tensor(x), 2, return_indices=True)
    t_values, t_indices = getattr(torch.nn.functional, pool)(torch.tensor(x), 2, return_indices=True)
    np.testing.assert_array_equal(values.numpy(), t_values.numpy())
    np.testing.assert_array_equal(indices.numpy(), t_indices.numpy())
    assert indices.dtype == gg.int64
    ours = getattr(F, unpool)(values, indices, 2, output_size=shape[2:])
    theirs = getattr(torch.nn.functional, unpool)(t_values, t_indices, 2, output_size=shape[2:])
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    layer_out = getattr(nn, f"MaxUnpool{spatial}d")(2)(values, indices, shape)
    np.testing.assert_array_equal(layer_out.numpy(), theirs.numpy())


def test_pooling_modules_return_indices(torch, rng):
    x = rng.normal(size=(2, 3, 8))
    values, indices = nn.MaxPool1d(3, 2, 1, return_indices=True)(gg.tensor(x))
    t_values, t_indices = torch.nn.MaxPool1d(3, 2, 1, return_indices=True)(torch.tensor(x))
    np.testing.assert_array_equal(indices.numpy(), t_indices.numpy())
    x3 = rng.normal(size=(1, 2, 4, 4, 4))
    _, indices3 = nn.MaxPool3d(2, return_indices=True)(gg.tensor(x3))
    _, t_indices3 = torch.nn.MaxPool3d(2, return_indices=True)(torch.tensor(x3))
    np.testing.assert_array_equal(indices3.numpy(), t_indices3.numpy())
    _, adaptive = nn.AdaptiveMaxPool3d(2, return_indices=True)(gg.tensor(x3))
    _, t_adaptive = torch.nn.AdaptiveMaxPool3d(2, return_indices=True)(torch.tensor(x3))
    np.testing.assert_array_equal(adaptive.numpy(), t_adaptive.numpy())


def test_bad_inputs_raise_runtime_errors():
    with pytest.raises(RuntimeError, match="channels"):
        F.conv3d(gg.ones(1, 3, 4, 4, 4), gg.ones(2, 2, 2, 2, 2))
    with pytest.raises(RuntimeError, match="larger"):
        F.conv3d(gg.ones(1, 2, 2, 2, 2), gg.ones(2, 2, 3, 3, 3))
    with pytest.raises(RuntimeError, match="output padding"):
        F.conv_transpose1d(gg.ones(1, 2, 3), gg.ones(2, 2, 3), stride=1, output_padding=1)
    with pytest.raises(RuntimeError, match="half"):
        F.max_pool3d(gg.ones(1, 1, 4, 4, 4), 2, padding=2)
    with pytest.raises(RuntimeError, match="invalid max index"):
        F.max_unpool2d(gg.ones(1, 1, 2, 2), gg.tensor([[[[0, 1], [2, 99]]]]), 2)
    with pytest.raises(ValueError, match="padding_mode"):
        nn.ConvTranspose3d(2, 2, 2, padding_mode="reflect")


def test_integer_inputs_pool_and_convolve_as_torch(torch):
    """Max pooling pads integers with their lowest value, average pooling truncates toward zero, and a
    convolution of integers with integer weights is exact, as torch's CPU kernels."""
    x = np.array([[[[1, 2, -3], [4, 5, -7], [7, 8, 9]]]])
    for name, args in (("max_pool2d", (2, 1, 1)), ("avg_pool2d", (2, 1, 1, False, False)), ("avg_pool1d", (2, 1))):
        source = x if name != "avg_pool1d" else x[0, 0]
        ours = getattr(F, name)(gg.tensor(source), *args)
        theirs = getattr(torch.nn.functional, name)(torch.tensor(source), *args)
        assert ours.dtype == gg.int64
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    volume = np.arange(2 * 27).reshape(1, 2, 3, 3, 3) - 20
    ours = F.conv3d(gg.tensor(volume), gg.tensor(np.ones((1, 2, 2, 2, 2), dtype=np.int64)))
    theirs = torch.nn.functional.conv3d(torch.tensor(volume), torch.ones((1, 2, 2, 2, 2), dtype=torch.int64))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    pooled = F.max_pool3d(gg.tensor(volume), 2, padding=1)
    np.testing.assert_array_equal(pooled.numpy(), torch.nn.functional.max_pool3d(torch.tensor(volume), 2,
                                                                                  padding=1).numpy())


@pytest.mark.parametrize("spatial,kwargs", [(2, {"output_size": (3, 4)}), (2, {"output_ratio": (0.5, 0.6)}),
                                            (3, {"output_size": 2})], ids=str)
def test_fractional_max_pooling_with_fixed_samples_matches_torch(spatial, kwargs, torch, rng):
    shape = (2, 3) + (7, 8, 6)[:spatial]
    samples = rng.uniform(size=(2, 3, spatial))
    name = f"FractionalMaxPool{spatial}d"
    ours = getattr(nn, name)(2, return_indices=True, _random_samples=gg.tensor(samples), **kwargs)
    theirs = getattr(torch.nn, name)(2, return_indices=True, _random_samples=torch.tensor(samples), **kwargs)
    assert repr(ours) == repr(theirs)
    x = rng.normal(size=shape)
    (values, indices), (t_values, t_indices) = ours(gg.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_array_equal(values.numpy(), t_values.numpy())
    np.testing.assert_array_equal(indices.numpy(), t_indices.numpy())


def test_fractional_max_pooling_draws_its_windows_when_not_given(rng):
    layer = nn.FractionalMaxPool2d(2, output_ratio=0.5)
    x = gg.tensor(rng.normal(size=(4, 2, 10, 10)), requires_grad=True)
    y = layer(x)
    assert y.shape == (4, 2, 5, 5)
    y.sum().backward()
    assert float(x.grad.sum()) == 4 * 2 * 25  # each output's gradient goes to exactly one input
    with pytest.raises(ValueError, match="output_ratio"):
        nn.FractionalMaxPool2d(2, output_ratio=1.5)
