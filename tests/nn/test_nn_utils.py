"""nn.utils (gradient clipping, parameter vectors), nn.parallel.DataParallel, RNN flatten_parameters and the
nn.modules paths, against torch."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn, optim
from glassgrad.nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters


def _pairs(rng, torch, dtype=np.float64, with_none=True):
    grads = [rng.normal(size=(3, 4)) * 3, rng.normal(size=5)]
    ours = [nn.Parameter(np.zeros(g.shape, dtype=dtype)) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=getattr(torch, str(np.dtype(dtype))), requires_grad=True) for g in grads]
    for p, q, g in zip(ours, theirs, grads):
        p.grad, q.grad = g.astype(dtype), torch.tensor(g.astype(dtype))
    if with_none:  # a parameter without a gradient is skipped
        ours.append(nn.Parameter(np.zeros(2, dtype=dtype)))
        theirs.append(torch.zeros(2, dtype=getattr(torch, str(np.dtype(dtype))), requires_grad=True))
    return ours, theirs


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("norm_type,max_norm", [(2.0, 1.0), (1.0, 2.5), (float("inf"), 0.5), (3.0, 1e3), (2, 0.1)])
def test_clip_grad_norm_matches_torch(rng, torch, dtype, norm_type, max_norm):
    ours, theirs = _pairs(rng, torch, dtype)
    total = clip_grad_norm_(ours, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert isinstance(total, gg.Tensor) and total.shape == () and total.dtype == np.dtype(dtype)
    rtol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(total.item(), expected.item(), rtol=rtol)
    for p, q in zip(ours, theirs):
        if q.grad is None:
            assert p.grad is None
            continue
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=rtol)


def test_clip_grad_norm_edge_cases(torch):
    assert clip_grad_norm_([nn.Parameter(np.zeros(2))], 1.0).item() == torch.nn.utils.clip_grad_norm_(
        [torch.zeros(2, requires_grad=True)], 1.0).item() == 0.0
    p = nn.Parameter(np.ones(2))
    p.grad = np.array([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="total norm of order 2.0 for gradients from `parameters` is non-finite"):
        clip_grad_norm_(p, 1.0, error_if_nonfinite=True)
    single = nn.Parameter(np.ones(3))
    single.grad = np.full(3, 4.0)
    clip_grad_norm_(single, 1.0)  # a lone tensor works too
    np.testing.assert_allclose(np.linalg.norm(single.grad.numpy()), 1.0, rtol=1e-5)


def test_clip_grad_value_and_optim_reexports_match_torch(rng, torch):
    ours, theirs = _pairs(rng, torch)
    clip_grad_value_(ours, 0.7)
    torch.nn.utils.clip_grad_value_(theirs, 0.7)
    for p, q in zip(ours, theirs):
        if q.grad is not None:
            np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())
    assert optim.clip_grad_norm_ is nn.utils.clip_grad_norm_ and optim.clip_grad_value_ is nn.utils.clip_grad_value_


def test_parameters_vector_round_trip_matches_torch(torch):
    ours, theirs = nn.Sequential(nn.Linear(3, 2), nn.Linear(2, 1)), torch.nn.Sequential(torch.nn.Linear(3, 2),
                                                                                          torch.nn.Linear(2, 1))
    ours.load_state_dict(theirs.state_dict())
    vec = parameters_to_vector(ours.parameters())
    expected = torch.nn.utils.parameters_to_vector(theirs.parameters()).detach().numpy()
    np.testing.assert_array_equal(vec.numpy(), expected)
    (vec * gg.arange(vec.numel(), dtype=gg.float32)).sum().backward()  # the vector is part of the graph
    np.testing.assert_array_equal(ours[0].weight.grad.numpy(), np.arange(6, dtype=np.float32).reshape(2, 3))
    new = gg.arange(vec.numel(), dtype=gg.float32) * 0.5
    vector_to_parameters(new, ours.parameters())
    torch.nn.utils.vector_to_parameters(torch.arange(vec.numel(), dtype=torch.float32) * 0.5, theirs.parameters())
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_array_equal(p.numpy(), q.detach().numpy(), err_msg=name)
    with pytest.raises(ValueError, match="elements"):
        vector_to_parameters(gg.zeros(3), ours.parameters())


def test_data_parallel_single_device_matches_torch(torch):
    inner = nn.Linear(3, 2)
    model = nn.DataParallel(inner)
    theirs = torch.nn.DataParallel(torch.nn.Linear(3, 2))
    assert model.module is inner and nn.parallel.DataParallel is nn.DataParallel
    assert list(model.state_dict()) == list(theirs.state_dict()) == ["module.weight", "module.bias"]
    x = gg.randn(4, 3)
    np.testing.assert_array_equal(model(x).numpy(), inner(x).numpy())
    assert repr(model) == repr(theirs)
    inner.load_state_dict({k.removeprefix("module."): v for k, v in theirs.state_dict().items()})


def test_flatten_parameters_is_a_noop():
    for layer in (nn.RNN(2, 3), nn.LSTM(2, 3), nn.GRU(2, 3)):
        before = {k: v.numpy().copy() for k, v in layer.state_dict().items()}
        assert layer.flatten_parameters() is None
        assert all(np.array_equal(before[k], v.numpy()) for k, v in layer.state_dict().items())


def test_torch_module_paths_reach_the_same_classes(torch):
    from glassgrad.nn.modules import (
        activation,
        batchnorm,
        container,
        conv,
        dropout,
        flatten,
        linear,
        loss,
        module,
        normalization,
        pooling,
        rnn,
        sparse,
    )

    paths = [(linear, "Linear"), (conv, "Conv2d"), (rnn, "LSTM"), (activation, "ReLU"), (container, "Sequential"),
             (loss, "CrossEntropyLoss"), (batchnorm, "BatchNorm2d"), (pooling, "MaxPool2d"), (dropout, "Dropout"),
             (sparse, "Embedding"), (normalization, "LayerNorm"), (module, "Module"), (flatten, "Unflatten")]
    for path, name in paths:
        assert getattr(path, name) is getattr(nn, name)  # re-exports: the very same class
        torch_path = getattr(torch.nn.modules, path.__name__.rsplit(".", 1)[-1])
        assert getattr(torch_path, name) is getattr(torch.nn, name)  # torch keeps it at the same path
    assert isinstance(nn.Linear(2, 2), linear.Linear)
    assert nn.Linear.__module__ == "glassgrad.nn.linear"  # where the class is written (inspect.getsource works)
    assert nn.modules.Module is nn.Module


def test_clip_grad_norm_within_the_limit_keeps_values_and_counts_a_write():
    p = nn.Parameter(np.zeros(3, dtype=np.float32))
    p.grad = np.array([0.3, -0.4, 0.0], dtype=np.float32)
    before = p.grad._version
    total = clip_grad_norm_(p, 1.0)
    np.testing.assert_allclose(total.item(), 0.5, rtol=1e-6)  # sqrt(g . g)
    np.testing.assert_array_equal(p.grad.numpy(), np.array([0.3, -0.4, 0.0], dtype=np.float32))  # a factor of 1
    assert p.grad._version == before + 1  # written, as torch's in-place multiply counts it
    p.grad = np.array([np.nan, 1.0, 2.0], dtype=np.float32)
    assert np.isnan(clip_grad_norm_(p, 1.0).item()) and np.isnan(p.grad.numpy()).all()  # a NaN norm spreads


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_clip_grad_two_norm_of_a_strided_gradient_is_the_plain_formula(rng, dtype):
    g = rng.normal(size=(6, 8)).astype(dtype)[:, ::2]  # not contiguous
    p = nn.Parameter(np.zeros(g.shape, dtype=dtype))
    p.grad = g
    expected = np.sqrt((np.abs(g.astype(np.float64)) ** 2).sum())
    np.testing.assert_allclose(clip_grad_norm_(p, 1e9).item(), expected, rtol=1e-6 if dtype == np.float32 else 1e-13)
