"""What the parameters added to match torch's signatures do, compared with torch: InstanceNorm2d's
momentum and running statistics, the implicit softmax dim, Embedding's max_norm/_weight/_freeze/
from_pretrained, Hardtanh's old spellings, the norms' bias, device=, and positional calls that used
to land on another parameter (tests/nn/test_torch_signatures.py checks the signatures themselves)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from glassgrad.nn import functional as F
from tests.helpers.oracle import compare_with_torch


def _quietly(call):
    """torch's result of ``call`` with its deprecation warnings silenced (glassgrad's are checked)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


# ----- InstanceNorm2d -------------------------------------------------------------------------------
def test_instance_norm_third_positional_parameter_is_momentum(torch):
    ours, theirs = nn.InstanceNorm2d(3, 0.001, 0.3), torch.nn.InstanceNorm2d(3, 0.001, 0.3)
    assert (ours.eps, ours.momentum, ours.affine, ours.track_running_stats) == (0.001, 0.3, False, False)
    assert repr(ours) == repr(theirs)
    assert [name for name, _ in ours.named_parameters()] == [name for name, _ in theirs.named_parameters()]


@pytest.mark.parametrize("momentum", [0.3, None])
def test_instance_norm_running_statistics_match_torch(rng, torch, momentum):
    x = rng.normal(size=(2, 3, 4, 5)).astype(np.float32)
    ours = nn.InstanceNorm2d(3, 1e-3, momentum, True, True)
    theirs = torch.nn.InstanceNorm2d(3, 1e-3, momentum, True, True)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for step in range(2):  # training: the running estimates move
        out, expected = ours(gg.tensor(x * (step + 1))), theirs(torch.tensor(x * (step + 1)))
        np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-5)
    for name in ("running_mean", "running_var"):
        np.testing.assert_allclose(getattr(ours, name).numpy(), getattr(theirs, name).numpy(), rtol=1e-5)
    ours.eval()
    theirs.eval()  # evaluation: the running estimates normalise
    np.testing.assert_allclose(ours(gg.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(),
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ours(gg.tensor(x[0])).detach().numpy(), theirs(torch.tensor(x[0])).detach().numpy(),
                               rtol=1e-5, atol=1e-5)  # unbatched (C, H, W)


def test_instance_norm_gradients_with_running_statistics_match_torch(rng, torch):
    x, weight, bias = rng.normal(size=(2, 3, 3, 4)), rng.normal(size=3), rng.normal(size=3)
    running = (np.zeros(3), np.ones(3))
    ours_stats = [gg.tensor(a.copy()) for a in running]
    theirs_stats = [torch.tensor(a.copy()) for a in running]
    compare_with_torch(lambda a, w, b: F.instance_norm(a, *ours_stats, w, b, True, 0.2, 1e-4),
                       lambda a, w, b: torch.nn.functional.instance_norm(a, *theirs_stats, w, b, True, 0.2, 1e-4),
                       [x, weight, bias], torch)
    for mine, theirs in zip(ours_stats, theirs_stats):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-10)
    compare_with_torch(lambda a: F.instance_norm(a, *ours_stats, use_input_stats=False),
                       lambda a: torch.nn.functional.instance_norm(a, *theirs_stats, use_input_stats=False), [x], torch)


def test_instance_norm_warns_about_unused_num_features_as_torch():
    with pytest.warns(UserWarning, match="does not match num_features"):
        nn.InstanceNorm2d(4)(gg.ones(1, 3, 2, 2))
    with pytest.raises(ValueError, match="to match num_features"):
        nn.InstanceNorm2d(4, affine=True)(gg.ones(1, 3, 2, 2))


# ----- the norms' bias= and repr --------------------------------------------------------------------
@pytest.mark.parametrize("make", [lambda m: m.BatchNorm2d(3, bias=False), lambda m: m.BatchNorm1d(3),
                                  lambda m: m.GroupNorm(1, 3, bias=False), lambda m: m.GroupNorm(3, 3),
                                  lambda m: m.InstanceNorm2d(3, affine=True, bias=False)])
def test_norm_layers_without_bias_are_torchs(torch, make):
    ours, theirs = make(nn), make(torch.nn)
    assert repr(ours) == repr(theirs)
    assert [name for name, _ in ours.named_parameters()] == [name for name, _ in theirs.named_parameters()]


# ----- softmax without dim ----------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(5,), (2, 5), (2, 3, 4), (2, 3, 2, 2)])
def test_softmax_without_dim_takes_torchs_implicit_dim(rng, torch, shape):
    x = rng.normal(size=shape)
    for module, function in ((nn.Softmax, F.softmax), (nn.LogSoftmax, F.log_softmax)):
        theirs = _quietly(lambda: getattr(torch.nn, module.__name__)()(torch.tensor(x)))  # noqa: B023
        with pytest.warns(UserWarning, match="Implicit dimension choice"):
            ours = module()(gg.tensor(x))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)
        with pytest.warns(UserWarning, match="Implicit dimension choice"):
            np.testing.assert_allclose(function(gg.tensor(x)).numpy(), theirs.numpy(), rtol=1e-12)


def test_softmax_casts_to_dtype_first_as_torch(rng, torch):
    x = rng.normal(size=(2, 3)).astype(np.float32)
    ours = F.log_softmax(gg.tensor(x), 1, dtype=gg.float64)
    theirs = torch.nn.functional.log_softmax(torch.tensor(x), 1, dtype=torch.float64)
    assert ours.dtype == gg.float64
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


# ----- Embedding --------------------------------------------------------------------------------------
def test_embedding_takes_torchs_parameters(rng, torch):
    table = rng.normal(size=(5, 3)) * 2
    idx = np.array([[0, 4], [4, 2]])
    ours = nn.Embedding.from_pretrained(gg.tensor(table), max_norm=1.0)
    theirs = torch.nn.Embedding.from_pretrained(torch.tensor(table), max_norm=1.0)
    assert repr(ours) == repr(theirs) and ours.weight.requires_grad == theirs.weight.requires_grad
    np.testing.assert_allclose(ours(gg.tensor(idx)).numpy(), theirs(torch.tensor(idx)).detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours.weight.numpy(), theirs.weight.detach().numpy(), rtol=1e-6)  # renormed in place
    positional = nn.Embedding(5, 3, 1, None, 2.0, False, False, gg.tensor(table), True)
    np.testing.assert_array_equal(positional.weight.numpy(), table)
    assert not positional.weight.requires_grad and positional.padding_idx == 1
    with pytest.raises(NotImplementedError, match="sparse"):
        nn.Embedding(5, 3, sparse=True)
    with pytest.raises(ValueError, match="Shape of weight"):
        nn.Embedding(4, 3, _weight=gg.tensor(table))


# ----- other layers -----------------------------------------------------------------------------------
def test_hardtanh_old_spellings_warn_and_apply_as_torch(torch):
    x = np.linspace(-3, 3, 7)
    theirs = _quietly(lambda: torch.nn.Hardtanh(min_value=-2.0, max_value=0.5)(torch.tensor(x)))
    with pytest.warns(FutureWarning, match="is deprecated and rename to"):
        ours = nn.Hardtanh(min_value=-2.0, max_value=0.5)
    np.testing.assert_allclose(ours(gg.tensor(x)).numpy(), theirs.numpy())


def test_avg_pool_positional_count_include_pad_is_the_fifth(rng, torch):
    x = rng.normal(size=(1, 2, 5, 5))
    ours = nn.AvgPool2d(3, 2, 1, False, False)(gg.tensor(x))
    theirs = torch.nn.AvgPool2d(3, 2, 1, False, False)(torch.tensor(x))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12)


def test_layers_take_device_positionally_where_torch_does():
    layers = [nn.Linear(2, 3, True, "cpu"), nn.Bilinear(2, 2, 3, True, "cpu"), nn.Conv2d(1, 2, 3, 1, 0, 1, 1, True,
              "zeros", "cpu"), nn.LSTM(2, 3, 1, True, False, 0.0, False, 0, "cpu"), nn.GRUCell(2, 3, True, "cpu"),
              nn.LayerNorm(3, 1e-5, True, True, "cpu", gg.float64), nn.BatchNorm1d(3, 1e-5, 0.1, True, True, "cpu"),
              nn.PReLU(1, 0.25, "cpu"), nn.Embedding(4, 2, None, None, 2.0, False, False, None, False, "cpu")]
    for layer in layers:
        assert all(p.device == gg.device("cpu") for p in layer.parameters()), layer
    assert layers[5].weight.dtype == gg.float64


def test_unimplemented_options_raise():
    with pytest.raises(ValueError, match="proj_size has to be smaller than hidden_size"):
        nn.LSTM(4, 3, proj_size=3)
    with pytest.raises(ValueError, match="padding_mode"):
        nn.Conv1d(1, 1, 3, padding_mode="reflect")
    with pytest.raises(TypeError):
        nn.ConstantPad1d(2)  # torch's value has no default
    with pytest.raises(TypeError):
        nn.Linear(2, 3, True, None, None, np.random.default_rng(0))  # rng is keyword only


def test_transformer_layers_default_to_the_relu_function(torch):
    ours, theirs = nn.TransformerEncoderLayer(4, 2), torch.nn.TransformerEncoderLayer(4, 2)
    assert callable(ours.activation) and ours.activation.__name__ == theirs.activation.__name__ == "relu"
