"""PReLU, channel dropout, AlphaDropout, 1-d and adaptive-max pooling, RMSNorm, padding layers,
PixelShuffle, Softmax2d, CosineSimilarity, PairwiseDistance against torch (weights copied through
state_dict; forward and every gradient), float64 gradchecks of the new ops, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
import glassgrad.nn.functional as F
from tests.nn.module_parity import check_module_with_torch

# (layer name, constructor args, input shape) for layers whose torch twin has the same name
LAYERS = [
    ("PReLU", (), (2, 3, 4)),
    ("PReLU", (3,), (2, 3, 4, 5)),
    ("PReLU", (4,), (2, 4)),
    ("MaxPool1d", (3,), (2, 3, 10)),
    ("MaxPool1d", (3, 2, 1, 2, False, True), (2, 3, 11)),  # stride, padding, dilation, indices, ceil_mode
    ("AvgPool1d", (4, 2, 1), (2, 3, 11)),
    ("AvgPool1d", (3, 1, 1, False, False), (3, 8)),  # count_include_pad=False, unbatched
    ("AdaptiveAvgPool1d", (4,), (2, 3, 10)),
    ("AdaptiveMaxPool2d", ((3, 2),), (2, 3, 7, 5)),
    ("AdaptiveMaxPool2d", (4,), (3, 6, 9)),
    ("RMSNorm", (5,), (2, 3, 5)),
    ("RMSNorm", ((3, 5), 1e-3), (2, 3, 5)),
    ("RMSNorm", (5, None, False), (4, 5)),
    ("ZeroPad2d", (2,), (2, 3, 4, 5)),
    ("ZeroPad2d", ((1, 0, 2, 3),), (3, 4, 5)),
    ("ConstantPad2d", ((1, 2, 0, 1), 3.5), (2, 3, 4, 5)),
    ("ConstantPad1d", (2, -1.0), (2, 3, 4)),
    ("ReflectionPad2d", ((1, 2, 3, 0),), (2, 3, 4, 5)),
    ("ReflectionPad1d", (2,), (2, 3, 5)),
    ("ReplicationPad2d", (1,), (2, 3, 4, 5)),
    ("PixelShuffle", (2,), (2, 8, 3, 4)),
    ("PixelUnshuffle", (2,), (2, 2, 4, 6)),
    ("Softmax2d", (), (2, 3, 4, 5)),
]


@pytest.mark.parametrize(("name", "args", "shape"), LAYERS, ids=[f"{n}{a}" for n, a, _ in LAYERS])
def test_layer_matches_torch(rng, torch, name, args, shape):
    ours, theirs = getattr(glassgrad.nn, name)(*args), getattr(torch.nn, name)(*args)
    if name == "PReLU":  # random slopes, so a wrong broadcast shows
        theirs.weight.data.uniform_(0.1, 0.9)
    x = rng.standard_normal(shape)
    check_module_with_torch(ours, theirs, [x], torch)


@pytest.mark.parametrize(("name", "args"), [("CosineSimilarity", ()), ("CosineSimilarity", (2, 1e-6)),
                                            ("PairwiseDistance", ()), ("PairwiseDistance", (1.0, 1e-6, True))])
def test_two_input_layers_match_torch(rng, torch, name, args):
    shape = (3, 4, 5)
    check_module_with_torch(getattr(glassgrad.nn, name)(*args), getattr(torch.nn, name)(*args),
                            [rng.standard_normal(shape), rng.standard_normal(shape)], torch)


def test_functional_forms_match_torch(rng, torch):
    x = rng.standard_normal((2, 3, 4, 5))
    a = rng.uniform(0.1, 0.5, size=3)
    for ours, theirs in [
        (F.prelu(glassgrad.tensor(x), glassgrad.tensor(a)),
         torch.nn.functional.prelu(torch.tensor(x), torch.tensor(a))),
        (F.rms_norm(glassgrad.tensor(x), (4, 5)), torch.nn.functional.rms_norm(torch.tensor(x), (4, 5))),
        (F.pixel_shuffle(glassgrad.tensor(x[:, :, :, :4].reshape(2, 12, 2, 2)), 2),
         torch.nn.functional.pixel_shuffle(torch.tensor(x[:, :, :, :4].reshape(2, 12, 2, 2)), 2)),
    ]:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
    values, indices = F.adaptive_max_pool2d(glassgrad.tensor(x), 3, return_indices=True)
    t_values, t_indices = torch.nn.functional.adaptive_max_pool2d(torch.tensor(x), 3, return_indices=True)
    np.testing.assert_array_equal(indices.numpy(), t_indices.numpy())
    np.testing.assert_allclose(values.numpy(), t_values.numpy())


def test_gradcheck_new_ops(rng):
    x = rng.standard_normal((2, 3, 4)) + 0.05  # keep away from the kink at 0
    assert glassgrad.gradcheck(F.prelu, [x, rng.uniform(0.1, 0.5, size=3)])
    assert glassgrad.gradcheck(lambda t: F.adaptive_max_pool2d(t, (2, 3)), [rng.permutation(60).reshape(1, 3, 4, 5)
                                                                            / 7.0])
    assert glassgrad.gradcheck(lambda t, w: F.rms_norm(t, (4,), w), [x, rng.standard_normal(4)])
    assert glassgrad.gradcheck(lambda t: F.max_pool1d(t, 2), [rng.permutation(24).reshape(2, 3, 4) / 5.0])


def test_channel_dropout_zeroes_whole_channels_and_scales():
    x = glassgrad.ones(8, 16, 5, 5, requires_grad=True)
    y = glassgrad.nn.Dropout2d(0.5, rng=np.random.default_rng(0))(x)
    per_map = y.numpy().reshape(8, 16, -1)
    assert set(np.unique(per_map)) <= {0.0, 2.0} and (per_map.min(-1) == per_map.max(-1)).all()
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())  # dy/dx is the mask
    z = glassgrad.nn.Dropout1d(0.25, rng=np.random.default_rng(1))(glassgrad.ones(4, 6, 7)).numpy()
    assert set(np.unique(z)) <= {0.0, np.float32(4.0 / 3.0)} and (z.min(-1) == z.max(-1)).all()
    layer = glassgrad.nn.Dropout2d(0.5).eval()
    assert layer(x) is x or np.array_equal(layer(x).numpy(), x.numpy())


def test_alpha_dropout_keeps_mean_and_variance():
    x = glassgrad.tensor(np.random.default_rng(2).standard_normal(200_000))
    y = glassgrad.nn.AlphaDropout(0.2, rng=np.random.default_rng(3))(x).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.std() - 1.0) < 0.02
    assert glassgrad.nn.AlphaDropout(0.2).eval()(x) is x


def test_bad_input_errors():
    with pytest.raises(RuntimeError, match="prelu: mismatch of parameter numbers and input channel size"):
        glassgrad.nn.PReLU(3)(glassgrad.ones(2, 4, 5))
    with pytest.raises(ValueError, match=r"max_pool1d: expected a 2-D \(C, L\) or 3-D \(N, C, L\) input"):
        glassgrad.nn.MaxPool1d(2)(glassgrad.ones(1, 2, 3, 4))
    with pytest.raises(ValueError, match="ZeroPad2d: padding must be an int or 4 ints"):
        glassgrad.nn.ZeroPad2d((1, 2))
    with pytest.raises(RuntimeError, match="rms_norm: normalized_shape"):
        glassgrad.nn.RMSNorm(3)(glassgrad.ones(2, 4))
    with pytest.raises(RuntimeError, match="pixel_shuffle: expected an input"):
        glassgrad.nn.PixelShuffle(2)(glassgrad.ones(1, 3, 2, 2))
    with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 4D input"):
        glassgrad.nn.Dropout1d()(glassgrad.ones(2, 3, 4, 5))
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1"):
        glassgrad.nn.AlphaDropout(1.5)
    with pytest.raises(ValueError, match="adaptive_max_pool2d: expected a 3-D"):
        glassgrad.nn.AdaptiveMaxPool2d(2)(glassgrad.ones(2, 3))


@pytest.mark.parametrize("dim", [0, 1, None])
def test_weight_norm_matches_torch(rng, torch, dim):
    import warnings

    with warnings.catch_warnings():  # torch deprecates weight_norm in favour of parametrizations
        warnings.simplefilter("ignore", FutureWarning)
        theirs = torch.nn.utils.weight_norm(torch.nn.Conv1d(2, 3, 2), dim=dim)
    ours = glassgrad.nn.utils.weight_norm(glassgrad.nn.Conv1d(2, 3, 2), dim=dim)
    check_module_with_torch(ours, theirs, [rng.standard_normal((2, 2, 5))], torch)


def test_remove_weight_norm_folds_the_weight_back():
    layer = glassgrad.nn.Linear(3, 2)
    before = layer.weight.numpy().copy()
    glassgrad.nn.utils.weight_norm(layer)
    assert sorted(name for name, _ in layer.named_parameters()) == ["bias", "weight_g", "weight_v"]
    np.testing.assert_allclose(layer(glassgrad.eye(3)).numpy(), (before.T + layer.bias.numpy()), rtol=1e-5)
    glassgrad.nn.utils.remove_weight_norm(layer)
    assert sorted(name for name, _ in layer.named_parameters()) == ["bias", "weight"]
    np.testing.assert_allclose(layer.weight.numpy(), before, rtol=1e-5)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found"):
        glassgrad.nn.utils.remove_weight_norm(layer)
    with pytest.raises(RuntimeError, match="has no parameter 'kernel'"):
        glassgrad.nn.utils.weight_norm(layer, "kernel")
