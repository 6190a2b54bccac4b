"""Layers torch's module database (module_db) asked for: 3-D and circular padding, BatchNorm3d,
InstanceNorm1d/3d, the Lazy* layers, unbatched inputs and keyword calls; each against torch
(weights copied through state_dict; forward and every gradient in float64) and its clear errors."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad
from tests.nn.module_parity import check_module_with_torch

# (layer name, constructor args, input shape) for layers whose torch twin has the same name
LAYERS = [
    ("ZeroPad3d", (1,), (2, 3, 2, 3, 4)),
    ("ZeroPad3d", ((1, 0, 2, 1, 0, 2),), (3, 2, 3, 4)),
    ("ConstantPad3d", ((1, 2, 0, 1, 2, 0), 3.5), (2, 3, 2, 3, 4)),
    ("ConstantPad3d", ((-1, 2, 0, 1, 1, -1), -1.0), (2, 2, 3, 4)),
    ("ReflectionPad3d", ((1, 2, 0, 1, 1, 0),), (2, 3, 2, 3, 4)),
    ("ReflectionPad3d", (1,), (3, 2, 3, 4)),
    ("ReplicationPad3d", ((2, 0, 1, 3, 0, 1),), (2, 3, 2, 3, 4)),
    ("ReplicationPad3d", (1,), (3, 2, 3, 4)),
    ("CircularPad1d", ((1, 3),), (2, 3, 4)),
    ("CircularPad1d", (2,), (3, 4)),
    ("CircularPad2d", ((1, 2, 3, 0),), (2, 3, 4, 5)),
    ("CircularPad2d", ((-1, 2, 1, -1),), (3, 4, 5)),
    ("CircularPad3d", ((1, 0, 2, 1, 0, 2),), (2, 3, 2, 3, 4)),
    ("CircularPad3d", (1,), (3, 2, 3, 4)),
]


@pytest.mark.parametrize(("name", "args", "shape"), LAYERS, ids=[f"{n}{a}{s}" for n, a, s in LAYERS])
def test_layer_matches_torch(rng, torch, name, args, shape):
    ours, theirs = getattr(glassgrad.nn, name)(*args), getattr(torch.nn, name)(*args)
    check_module_with_torch(ours, theirs, [rng.standard_normal(shape)], torch)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", ["ZeroPad3d", "ReflectionPad3d", "ReplicationPad3d", "CircularPad3d"])
def test_3d_padding_needs_six_sides(name):
    with pytest.raises(ValueError, match=f"{name}: padding must be an int or 6 ints"):
        getattr(glassgrad.nn, name)((1, 2, 3, 4))


def test_circular_padding_no_wider_than_the_input():
    with pytest.raises(RuntimeError):
        glassgrad.nn.CircularPad1d(5)(glassgrad.zeros(2, 3, 4))


NORMS = [
    ("BatchNorm3d", (3,), {}, (2, 3, 2, 3, 4)),
    ("BatchNorm3d", (3, 1e-3, None, False), {}, (2, 3, 2, 2, 3)),
    ("InstanceNorm1d", (3,), {}, (2, 3, 5)),
    ("InstanceNorm1d", (3, 1e-5, 0.2, True, True), {}, (2, 3, 5)),
    ("InstanceNorm1d", (3,), {"affine": True}, (3, 6)),
    ("InstanceNorm3d", (3,), {}, (2, 3, 2, 3, 4)),
    ("InstanceNorm3d", (3, 1e-5, 0.1, True, True), {}, (2, 3, 2, 3, 4)),
    ("InstanceNorm3d", (3,), {"affine": True, "bias": False}, (3, 2, 3, 4)),
]


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize(("name", "args", "kwargs", "shape"), NORMS, ids=[f"{n}{a}{k}{s}" for n, a, k, s in NORMS])
def test_norm_matches_torch(rng, torch, name, args, kwargs, shape, training):
    ours, theirs = getattr(glassgrad.nn, name)(*args, **kwargs), getattr(torch.nn, name)(*args, **kwargs)
    assert repr(ours) == repr(theirs)
    for buffer in ("running_mean", "running_var"):  # not the initial 0 and 1, so eval mode shows their use
        if getattr(theirs, buffer, None) is not None:
            getattr(theirs, buffer).uniform_(0.5, 1.5)
    if getattr(theirs, "weight", None) is not None:
        theirs.weight.data.uniform_(0.5, 1.5)
    ours.train(training)
    theirs.train(training)
    check_module_with_torch(ours, theirs, [rng.standard_normal(shape)], torch)
    for name, buffer in theirs.named_buffers():
        np.testing.assert_allclose(dict(ours.named_buffers())[name].numpy(), buffer.numpy(), rtol=1e-12,
                                   err_msg=f"buffer {name} after the call")


def test_norm_input_ranks():
    with pytest.raises(ValueError, match="BatchNorm3d: expected a 5-D input"):
        glassgrad.nn.BatchNorm3d(3)(glassgrad.zeros(2, 3, 4, 5))
    with pytest.raises(ValueError, match="InstanceNorm1d: expected a 3-D input"):
        glassgrad.nn.InstanceNorm1d(3)(glassgrad.zeros(2, 3, 4, 5))
    with pytest.raises(ValueError, match="InstanceNorm3d: expected input's size at dim=1 to match num_features"):
        glassgrad.nn.InstanceNorm3d(3, affine=True)(glassgrad.zeros(2, 4, 2, 2, 2))


def test_linear_takes_input_by_keyword(rng, torch):
    theirs = torch.nn.Linear(4, 3).double()
    ours = glassgrad.nn.Linear(4, 3).double()
    check_module_with_torch(ours, theirs, [rng.standard_normal((2, 4))], torch,
                            call=lambda module, x: module(input=x))


@pytest.mark.parametrize("name", ["Softmax", "LogSoftmax", "Softmin"])
@pytest.mark.parametrize("dim", [0, -1])
def test_softmax_layers_on_a_0d_tensor(torch, name, dim):
    check_module_with_torch(getattr(glassgrad.nn, name)(dim), getattr(torch.nn, name)(dim),
                            [np.array(0.7)], torch)


def test_softmax_0d_dim_out_of_range():
    with pytest.raises(IndexError, match=r"expected to be in range of \[-1, 0\], but got 1"):
        glassgrad.softmax(glassgrad.tensor(0.5), 1)


UNBATCHED = [
    ("MaxPool2d", (3, 2, 1), (3, 7, 7)),
    ("MaxPool2d", (2, 1, 0, 2, True), (2, 5, 6)),  # dilation, return_indices
    ("AvgPool2d", (3, 2, 1), (3, 6, 6)),
    ("AvgPool2d", (2, 1, 1, False, False), (2, 5, 4)),  # count_include_pad=False
    ("AdaptiveAvgPool2d", ((3, 2),), (3, 5, 6)),
    ("AdaptiveAvgPool2d", (4,), (2, 7, 9)),
    ("Conv1d", (3, 4, 2), (3, 6)),
    ("Conv1d", (4, 2, 3, 2, 1, 1, 2), (4, 9)),  # stride, padding, dilation, groups
]


@pytest.mark.parametrize(("name", "args", "shape"), UNBATCHED, ids=[f"{n}{a}{s}" for n, a, s in UNBATCHED])
def test_unbatched_input_matches_torch(rng, torch, name, args, shape):
    check_module_with_torch(getattr(glassgrad.nn, name)(*args), getattr(torch.nn, name)(*args),
                            [rng.standard_normal(shape)], torch)


def test_conv1d_refuses_other_ranks():
    with pytest.raises(RuntimeError, match=r"conv1d: expected a 2-D \(C, L\) or 3-D"):  # the functional checks
        glassgrad.nn.Conv1d(3, 4, 2)(glassgrad.zeros(1, 1, 3, 6))


LAZY = [
    ("LazyLinear", (3,), (2, 5)),
    ("LazyLinear", (4, False), (2, 3, 6)),
    ("LazyConv1d", (4, 2), (2, 3, 6)),
    ("LazyConv1d", (4, 3, 1, 1), (2, 5)),
    ("LazyConv2d", (4, 3, 1, 1, 1, 2), (2, 4, 5, 5)),
    ("LazyConv3d", (2, 2), (2, 3, 3, 4, 3)),
    ("LazyConvTranspose1d", (4, 3, 2), (2, 3, 5)),
    ("LazyConvTranspose2d", (4, 2, 2, 0, 1, 2), (2, 4, 3, 3)),
    ("LazyConvTranspose3d", (2, 2), (3, 2, 3, 2)),
]


@pytest.mark.parametrize(("name", "args", "shape"), LAZY, ids=[f"{n}{a}{s}" for n, a, s in LAZY])
def test_lazy_layer_becomes_torchs_layer(rng, torch, name, args, shape):
    ours, theirs = getattr(glassgrad.nn, name)(*args), getattr(torch.nn, name)(*args)
    before = list(ours.parameters())
    x = rng.standard_normal(shape)
    ours(glassgrad.tensor(x, dtype=glassgrad.float32))
    theirs(torch.tensor(x, dtype=torch.float32))
    assert type(ours) is getattr(glassgrad.nn, name.removeprefix("Lazy"))  # Linear, Conv2d ... after the first call
    size = "in_features" if name == "LazyLinear" else "in_channels"
    assert getattr(ours, size) == getattr(theirs, size)
    assert all(a is b for a, b in zip(before, ours.parameters(), strict=True))  # the same Parameters, filled in
    bound = 1 / np.sqrt(np.prod(ours.weight.shape[1:]))  # torch's default initialisation, done at the first call
    assert 0 < np.abs(ours.weight.numpy()).max() <= bound
    check_module_with_torch(ours, theirs, [x], torch)


def test_lazy_layer_refuses_inputs_it_cannot_read():
    with pytest.raises(RuntimeError, match=r"Expected 3D \(unbatched\) or 4D \(batched\) input to LazyConv2d"):
        glassgrad.nn.LazyConv2d(4, 3)(glassgrad.zeros(3, 5))
    with pytest.raises(ValueError, match="must be divisible by groups"):
        glassgrad.nn.LazyConv1d(4, 3, groups=2)(glassgrad.zeros(1, 3, 5))


LAZY_NORMS = [
    ("LazyBatchNorm1d", {}, (4, 3)),
    ("LazyBatchNorm2d", {"momentum": None}, (2, 3, 4, 5)),
    ("LazyBatchNorm3d", {"affine": False}, (2, 3, 2, 3, 2)),
    ("LazyInstanceNorm1d", {}, (2, 3, 5)),
    ("LazyInstanceNorm2d", {"track_running_stats": False, "bias": False}, (2, 3, 4, 5)),
    ("LazyInstanceNorm3d", {}, (2, 3, 2, 3, 2)),
]


@pytest.mark.parametrize(("name", "kwargs", "shape"), LAZY_NORMS, ids=[f"{n}{k}{s}" for n, k, s in LAZY_NORMS])
def test_lazy_norm_becomes_torchs_norm(rng, torch, name, kwargs, shape):
    ours, theirs = getattr(glassgrad.nn, name)(**kwargs).double(), getattr(torch.nn, name)(**kwargs).double()
    x = rng.standard_normal(shape)
    first = ours(glassgrad.tensor(x))  # the first call: shapes, initial values and the running statistics' update
    np.testing.assert_allclose(first.numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-10, atol=1e-12)
    assert type(ours) is getattr(glassgrad.nn, name.removeprefix("Lazy"))
    assert ours.num_features == theirs.num_features
    for key, value in theirs.state_dict().items():
        np.testing.assert_allclose(ours.state_dict()[key].numpy(), value.numpy(), rtol=1e-10, err_msg=key)
    check_module_with_torch(ours, theirs, [x], torch)


PROJECTED_LSTMS = [
    ({"input_size": 3, "hidden_size": 5, "proj_size": 2}, (4, 2, 3), False),
    ({"input_size": 3, "hidden_size": 4, "proj_size": 3, "num_layers": 2, "bidirectional": True}, (3, 2, 3), True),
    ({"input_size": 2, "hidden_size": 4, "proj_size": 1, "batch_first": True, "bias": False}, (2, 5, 2), True),
    ({"input_size": 3, "hidden_size": 4, "proj_size": 2, "num_layers": 2}, (4, 3), True),  # unbatched
]


@pytest.mark.parametrize(("kwargs", "shape", "with_state"), PROJECTED_LSTMS)
def test_lstm_with_projection_matches_torch(rng, torch, kwargs, shape, with_state):
    ours, theirs = glassgrad.nn.LSTM(**kwargs), torch.nn.LSTM(**kwargs)
    assert repr(ours) == repr(theirs)
    rows = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
    batch = () if len(shape) == 2 else (shape[0] if kwargs.get("batch_first") else shape[1],)
    arrays = [rng.standard_normal(shape)]
    if with_state:
        arrays += [rng.standard_normal((rows, *batch, kwargs["proj_size"])),
                   rng.standard_normal((rows, *batch, kwargs["hidden_size"]))]

    def call(module, x, *state):
        out, (h, c) = module(x, tuple(state) if state else None)
        return out, h, c

    check_module_with_torch(ours, theirs, arrays, torch, call=call)


def test_lstm_projection_state_shapes():
    lstm = glassgrad.nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(RuntimeError, match=r"h0 must have shape \(1, 5, 2\)"):
        lstm(glassgrad.zeros(2, 5, 3), (glassgrad.zeros(1, 5, 4), glassgrad.zeros(1, 5, 4)))
