"""Module's torch API against torch itself: traversal order and names, registration rules, to()/dtype
conversion keeping the objects, apply, zero_grad, train/eval, state_dict/load_state_dict (types, sharing,
error text, IncompatibleKeys), repr, weight tying, hooks, and Parameter construction."""

from __future__ import annotations

import copy
from collections import OrderedDict

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn


class Block(nn.Module):
    def __init__(self, tnn=nn):
        super().__init__()
        self.fc = tnn.Linear(3, 4)
        self.norm = tnn.BatchNorm1d(4)
        self.register_buffer("mask", (gg if tnn is nn else _torch()).ones(4), persistent=False)

    def forward(self, x):
        return self.norm(self.fc(x)) * self.mask


def _torch():
    import torch

    return torch


def _nets(torch):
    ours = nn.Sequential(OrderedDict([("block", Block()), ("act", nn.ReLU()),
                                      ("head", nn.Sequential(nn.Linear(4, 2), nn.Flatten()))]))

    class TorchBlock(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(3, 4)
            self.norm = torch.nn.BatchNorm1d(4)
            self.register_buffer("mask", torch.ones(4), persistent=False)

    TorchBlock.__name__ = "Block"  # so that the class names printed and listed compare
    head = torch.nn.Sequential(torch.nn.Linear(4, 2), torch.nn.Flatten())
    theirs = torch.nn.Sequential(OrderedDict([("block", TorchBlock()), ("act", torch.nn.ReLU()), ("head", head)]))
    return ours, theirs


def test_traversal_names_and_order_match_torch(torch):
    ours, theirs = _nets(torch)
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [n for n, _ in ours.named_parameters(prefix="net")] == [n for n, _ in theirs.named_parameters(prefix="net")]
    assert [n for n, _ in ours.block.named_parameters(recurse=False)] == []
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert list(ours.state_dict()) == list(theirs.state_dict())  # the non-persistent mask is left out
    assert [m._get_name() for m in ours.modules()] == [m._get_name() for m in theirs.modules()]
    assert ours.get_submodule("head.0") is ours.head[0]
    assert ours.get_parameter("head.0.bias") is ours.head[0].bias
    with pytest.raises(AttributeError, match="has no attribute `nope`"):
        ours.get_submodule("block.nope")


def test_repr_matches_torch(torch):
    ours = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Flatten(0)), nn.ModuleList([nn.Tanh()] * 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Flatten(0)),
                                 torch.nn.ModuleList([torch.nn.Tanh()] * 3))
    assert repr(ours) == repr(theirs)
    assert repr(nn.Sequential()) == repr(torch.nn.Sequential())
    assert repr(nn.Identity()) == repr(torch.nn.Identity())


@pytest.mark.torch_live  # the callback runs inside torch: a replay never calls it
def test_apply_visits_children_first_like_torch(torch):
    ours, theirs = _nets(torch)
    seen_ours, seen_theirs = [], []
    assert ours.apply(lambda m: seen_ours.append(m._get_name())) is ours
    theirs.apply(lambda m: seen_theirs.append(m._get_name()))
    assert seen_ours == seen_theirs


def test_to_and_dtype_methods_keep_the_objects():
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    weight, counter = net[0].weight, net[1].num_batches_tracked
    net(gg.randn(4, 2)).sum().backward()
    assert net.double() is net
    assert net[0].weight is weight and weight.dtype == np.float64 and weight.grad.dtype == np.float64
    assert net[1].running_mean.dtype == np.float64 and counter.dtype == np.int64  # integer buffers keep theirs
    net.half()
    assert weight.dtype == np.float16
    net.to(gg.zeros(1, dtype=gg.float32))
    assert weight.dtype == np.float32
    net.to(dtype=gg.float64).to("cpu").cpu().float()
    assert weight.dtype == np.float32 and weight.device == gg.device("cpu")
    with pytest.raises(TypeError, match="only accepts floating point dtypes"):
        net.to(gg.int64)


def test_optimizer_survives_double():
    net = nn.Linear(2, 1)
    opt = gg.optim.SGD(net.parameters(), lr=0.1)
    net.double()
    before = net.weight.numpy().copy()
    net(gg.randn(3, 2, dtype=gg.float64)).sum().backward()
    opt.step()
    assert not np.array_equal(before, net.weight.numpy())


def test_registration_rules_match_torch(torch):
    for tnn in (nn, torch.nn):
        m = tnn.Module()
        m.layer = tnn.Linear(2, 2)
        m.layer = None  # a child slot may be emptied
        assert m.layer is None and "layer" in m._modules
        m.register_parameter("w", None)
        with pytest.raises(TypeError, match="cannot assign"):
            m.w = (gg if tnn is nn else torch).zeros(2)
        with pytest.raises(KeyError, match="contain"):
            m.register_buffer("a.b", None)
        with pytest.raises(KeyError, match="already exists"):
            m.register_buffer("training", None)
        with pytest.raises(TypeError, match="is not a Module subclass"):
            m.add_module("x", 3)
        m.register_module("extra", tnn.ReLU())
        del m.extra
        assert "extra" not in m._modules
        with pytest.raises(AttributeError):
            m.extra  # noqa: B018
    with pytest.raises(AttributeError, match="before Module.__init__"):
        class Broken(nn.Module):
            def __init__(self):
                self.p = nn.Parameter(gg.zeros(1))

        Broken()


def test_weight_tying_like_torch(torch):
    for tnn in (nn, torch.nn):
        model = tnn.Sequential(tnn.Linear(4, 3, bias=False), tnn.Linear(3, 3), tnn.Linear(4, 3, bias=False))
        model[2].weight = model[0].weight  # the same Parameter object in both modules
        assert model[2].weight is model[0].weight
        assert len(list(model.parameters())) == 3
        assert list(model.state_dict()) == ["0.weight", "1.weight", "1.bias", "2.weight"]
    gg_model = nn.Sequential(nn.Linear(4, 4, bias=False), nn.Linear(4, 4, bias=False))
    gg_model[1].weight = gg_model[0].weight
    gg_model(gg.randn(2, 4)).sum().backward()
    grad = gg_model[0].weight.grad.numpy()
    assert gg_model[1].weight.grad is gg_model[0].weight.grad and np.abs(grad).sum() > 0


def test_zero_grad_requires_grad_and_train_modes():
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    net(gg.randn(3, 2)).sum().backward()
    net.zero_grad(set_to_none=False)
    assert net[0].weight.grad is not None and not net[0].weight.grad.numpy().any()
    net.zero_grad()
    assert net[0].weight.grad is None
    assert net.requires_grad_(False) is net and not any(p.requires_grad for p in net.parameters())
    net.requires_grad_()
    assert net.train(False) is net and not net[1].training
    assert net.train().training and net[1].training
    with pytest.raises(ValueError, match="boolean"):
        net.train("yes")


def test_state_dict_values_like_torch(torch):
    net = nn.Linear(3, 2)
    state = net.state_dict()
    assert isinstance(state, OrderedDict) and all(type(v) is gg.Tensor for v in state.values())
    assert state["weight"].array is net.weight.array  # shares memory, as torch
    kept = net.state_dict(keep_vars=True)
    assert kept["weight"] is net.weight
    assert list(net.state_dict(prefix="enc.")) == ["enc.weight", "enc.bias"]
    snapshot = copy.deepcopy(net.state_dict())
    with gg.no_grad():
        net.weight.add_(1.0)
    assert not np.array_equal(snapshot["weight"].numpy(), net.weight.numpy())


def test_load_state_dict_accepts_numpy_glassgrad_and_torch(torch):
    theirs = torch.nn.Linear(3, 2).double()
    ours = nn.Linear(3, 2, dtype=np.float64)
    weight = ours.weight
    for source in (theirs.state_dict(), {k: v.numpy() for k, v in theirs.state_dict().items()},
                   {k: gg.tensor(v.numpy()) for k, v in theirs.state_dict().items()}):
        with gg.no_grad():
            ours.weight.zero_()
        result = ours.load_state_dict(source)
        assert result.missing_keys == [] and result.unexpected_keys == [] and repr(result) == repr(
            theirs.load_state_dict(theirs.state_dict()))
        assert ours.weight is weight
        np.testing.assert_array_equal(ours.weight.numpy(), theirs.weight.detach().numpy())
    theirs.load_state_dict({k: torch.from_numpy(v.numpy().copy()) for k, v in ours.state_dict().items()})


def test_load_state_dict_errors_have_torch_text(torch):
    ours, theirs = nn.Sequential(nn.Linear(2, 3)), torch.nn.Sequential(torch.nn.Linear(2, 3))
    cases = [{"0.weight": np.zeros((3, 2)), "x": np.zeros(1)}, {"0.weight": np.zeros((3, 3)), "0.bias": np.zeros(3)}]
    for case in cases:
        with pytest.raises(RuntimeError) as ours_err:
            ours.load_state_dict(case)
        with pytest.raises(RuntimeError) as theirs_err:
            theirs.load_state_dict({k: torch.tensor(v) for k, v in case.items()})
        expected = str(theirs_err.value)
        for shape in ("3, 3", "3, 2"):
            expected = expected.replace(f"torch.Size([{shape}])", f"({shape})")
        assert str(ours_err.value) == expected
    result = ours.load_state_dict(cases[0], strict=False)
    assert result == (["0.bias"], ["x"]) and result.missing_keys == ["0.bias"]
    with pytest.raises(TypeError, match="dict-like"):
        ours.load_state_dict([1, 2])


def test_forward_hooks():
    layer = nn.Linear(2, 2)
    calls = []
    pre = layer.register_forward_pre_hook(lambda m, args: (args[0] * 0,))
    post = layer.register_forward_hook(lambda m, args, out: calls.append(out.shape) or out + 1)
    out = layer(gg.randn(3, 2))
    np.testing.assert_allclose(out.numpy(), np.broadcast_to(layer.bias.numpy() + 1, (3, 2)), rtol=1e-6)
    assert calls == [(3, 2)]
    pre.remove()
    post.remove()
    layer(gg.randn(3, 2))
    assert calls == [(3, 2)]


def test_parameter_construction(torch):
    base = gg.zeros(3)
    shared = nn.Parameter(base)
    assert shared.array is base.array and shared.requires_grad and shared.is_leaf
    frozen = nn.Parameter(gg.ones(2), requires_grad=False)
    assert not frozen.requires_grad
    assert nn.Parameter().shape == tuple(torch.nn.Parameter().shape)
    read_only = np.arange(4.0)
    read_only.flags.writeable = False
    p = nn.Parameter(read_only)  # copied, so optimisers and load_state_dict can write into it
    assert p.array.flags.writeable and not np.shares_memory(p.array, read_only)
    opt = gg.optim.SGD([p], lr=1.0)
    p.grad = np.ones(4)
    opt.step()
    np.testing.assert_array_equal(p.numpy(), np.arange(4.0) - 1)
    assert repr(p).startswith("Parameter containing:\ntensor(")
    with pytest.raises(RuntimeError, match="floating point"):
        nn.Parameter(np.arange(3))
