"""Normalisation layers against torch: forward, gradients, running statistics, eval mode."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from tests.nn.test_conv import check_layer_with_torch


def _train_steps(ours, theirs, shapes, rng, torch, steps=4):
    """Several training-mode forward/backward steps on both, then compare buffers."""
    ours.double()
    theirs.double()
    ours.load_state_dict(theirs.state_dict())
    for step in range(steps):
        x = rng.standard_normal(shapes) * 3 + step
        check_layer_with_torch(ours, theirs, x, torch, seed=step) if step == 0 else None
        if step:
            ours(gg.tensor(x))
            theirs(torch.tensor(x))
    for name, buf in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[name], buf.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("cls,shape,kwargs", [
    ("BatchNorm2d", (4, 3, 5, 6), {}),
    ("BatchNorm2d", (2, 3, 1, 1), {"momentum": None}),
    ("BatchNorm1d", (6, 4), {}),
    ("BatchNorm1d", (3, 4, 7), {"momentum": 0.3}),
    ("BatchNorm2d", (3, 2, 4, 4), {"affine": False}),
])
def test_batchnorm_train_and_eval_match_torch(torch, rng, cls, shape, kwargs):
    c = shape[1]
    ours, theirs = getattr(nn, cls)(c, **kwargs), getattr(torch.nn, cls)(c, **kwargs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _train_steps(ours, theirs, shape, rng, torch)
    assert int(ours.num_batches_tracked.item()) == 4 and ours.num_batches_tracked.dtype == np.int64
    ours.eval()
    theirs.eval()
    check_layer_with_torch(ours, theirs, rng.standard_normal(shape), torch)


def test_batchnorm_without_running_stats(torch, rng):
    ours, theirs = nn.BatchNorm2d(3, track_running_stats=False), torch.nn.BatchNorm2d(3, track_running_stats=False)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.eval()
    theirs.eval()
    check_layer_with_torch(ours, theirs, rng.standard_normal((2, 3, 4, 4)), torch)


@pytest.mark.parametrize("groups,channels,shape,affine", [(2, 4, (2, 4, 3, 5), True), (1, 3, (1, 3, 4, 4), True),
                                                          (3, 3, (2, 3, 6), False), (2, 6, (1, 6, 2, 2), True)])
def test_groupnorm_matches_torch(torch, rng, groups, channels, shape, affine):
    ours, theirs = nn.GroupNorm(groups, channels, affine=affine), torch.nn.GroupNorm(groups, channels, affine=affine)
    if affine:  # non-trivial affine parameters
        theirs.weight.data.normal_()
        theirs.bias.data.normal_()
    check_layer_with_torch(ours, theirs, rng.standard_normal(shape) * 2 + 1, torch)


@pytest.mark.parametrize("normalized,shape,kwargs", [(5, (3, 5), {}), ((4, 5), (2, 3, 4, 5), {}),
                                                     (6, (2, 6), {"elementwise_affine": False}),
                                                     (6, (2, 2, 6), {"bias": False})])
def test_layernorm_matches_torch(torch, rng, normalized, shape, kwargs):
    ours, theirs = nn.LayerNorm(normalized, **kwargs), torch.nn.LayerNorm(normalized, **kwargs)
    if theirs.weight is not None:
        theirs.weight.data.normal_()
    check_layer_with_torch(ours, theirs, rng.standard_normal(shape), torch)


@pytest.mark.parametrize("affine", [False, True])
def test_instancenorm_matches_torch(torch, rng, affine):
    ours, theirs = nn.InstanceNorm2d(3, affine=affine), torch.nn.InstanceNorm2d(3, affine=affine)
    check_layer_with_torch(ours, theirs, rng.standard_normal((2, 3, 4, 5)), torch)


def test_float32_stays_float32(rng):
    x = gg.Tensor(rng.standard_normal((4, 3, 2, 2)).astype(np.float32), requires_grad=True)
    layer = nn.BatchNorm2d(3)
    y = layer(x) + nn.GroupNorm(3, 3)(x) + nn.LayerNorm((2, 2))(x)
    y.backward(np.ones(y.shape, dtype=np.float32))
    assert y.dtype == np.float32 and x.grad.dtype == np.float32 and layer.running_var.dtype == np.float32


def test_norm_errors():
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        nn.BatchNorm1d(3)(gg.zeros((1, 3)))
    with pytest.raises(ValueError, match="4-D"):
        nn.BatchNorm2d(3)(gg.zeros((2, 3)))
    with pytest.raises(ValueError, match="input has 4 channels"):
        nn.BatchNorm2d(3)(gg.zeros((2, 4, 2, 2)))
    with pytest.raises(ValueError, match="must divide"):
        nn.GroupNorm(3, 4)
    with pytest.raises(ValueError, match="does not end in"):
        nn.LayerNorm(5)(gg.zeros((2, 4)))
