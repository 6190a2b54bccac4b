"""Module behaviour against torch: Linear parity, parameter names, state_dict round trips and
strict errors, train/eval recursion, loading a real torch model's weights."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import nn
from tests.helpers.oracle import compare_with_torch


def _gg_net() -> nn.Module:
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 6), nn.Tanh(), nn.Dropout(0.5)),
                         nn.Linear(6, 3, bias=False))


def _torch_net(torch):
    tnn = torch.nn
    return tnn.Sequential(tnn.Linear(4, 8), tnn.ReLU(), tnn.Sequential(tnn.Linear(8, 6), tnn.Tanh(), tnn.Dropout(0.5)),
                          tnn.Linear(6, 3, bias=False)).double()


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("in_shape", [(5, 4), (2, 3, 4), (4,)])
def test_linear_matches_torch(torch, rng, bias, in_shape):
    ours = nn.Linear(4, 3, bias=bias, dtype=np.float64)
    theirs = torch.nn.Linear(4, 3, bias=bias).double()
    ours.load_state_dict(theirs.state_dict())
    arrays = [rng.normal(size=in_shape), ours.weight.data] + ([ours.bias.data] if bias else [])
    compare_with_torch(lambda x, w, *b: nn.functional.linear(x, w, *b),
                       lambda x, w, *b: torch.nn.functional.linear(x, w, *b), arrays, torch)
    x = rng.normal(size=in_shape)
    dout = rng.normal(size=in_shape[:-1] + (3,))
    xg, xt = gg.Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (ours(xg) * gg.Tensor(dout)).sum().backward()
    (theirs(xt) * torch.tensor(dout)).sum().backward()
    np.testing.assert_allclose(xg.grad, xt.grad.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), rtol=1e-10)
    if bias:
        np.testing.assert_allclose(ours.bias.grad, theirs.bias.grad.numpy(), rtol=1e-10)


def test_parameter_names_and_shapes_match_torch(torch):
    ours, theirs = _gg_net(), _torch_net(torch)
    assert [(n, p.shape) for n, p in ours.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert sum(p.numel() for p in ours.parameters()) == sum(p.numel() for p in theirs.parameters())


def test_load_real_torch_state_dict_gives_same_outputs_and_grads(torch, rng):
    ours, theirs = _gg_net().double(), _torch_net(torch)
    ours.load_state_dict(theirs.state_dict())
    ours.eval()
    theirs.eval()
    x = rng.normal(size=(5, 4))
    dout = rng.normal(size=(5, 3))
    xg, xt = gg.Tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yg, yt = ours(xg), theirs(xt)
    np.testing.assert_allclose(yg.numpy(), yt.detach().numpy(), rtol=1e-10, atol=1e-12)
    (yg * gg.Tensor(dout)).sum().backward()
    (yt * torch.tensor(dout)).sum().backward()
    np.testing.assert_allclose(xg.grad, xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-10, atol=1e-12, err_msg=name)
    # and back: torch loads our state_dict
    fresh = _torch_net(torch)
    fresh.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    np.testing.assert_allclose(fresh.eval()(xt).detach().numpy(), yg.numpy(), rtol=1e-10, atol=1e-12)


def test_state_dict_shares_memory_and_load_copies(rng):
    """As torch: state_dict() values are detached tensors sharing the model's memory;
    load_state_dict copies into the existing parameters (the objects stay)."""
    a, b = _gg_net(), _gg_net()
    state = a.state_dict()
    assert all(type(v) is gg.Tensor and not v.requires_grad for v in state.values())
    weight_object = b[0].weight
    b.load_state_dict(state)
    assert b[0].weight is weight_object
    for (n, p), (_, q) in zip(a.named_parameters(), b.named_parameters()):
        np.testing.assert_array_equal(p.numpy(), q.numpy(), err_msg=n)
        assert not np.shares_memory(p.numpy(), q.numpy())
    state["0.weight"][...] = 0.0  # edits the model, as in torch
    assert np.abs(a[0].weight.numpy()).sum() == 0
    assert np.abs(b[0].weight.numpy()).sum() > 0


def test_load_state_dict_strict_errors():
    net = _gg_net()
    state = net.state_dict()
    missing = {k: v for k, v in state.items() if k != "2.0.bias"}
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "2.0.bias"'):
        net.load_state_dict(missing)
    assert net.load_state_dict(missing, strict=False) == (["2.0.bias"], [])
    extra = dict(state, **{"9.weight": np.zeros(2)})
    with pytest.raises(RuntimeError, match='Unexpected key\\(s\\) in state_dict: "9.weight"'):
        net.load_state_dict(extra)
    bad = dict(state, **{"0.weight": np.zeros((8, 5))})
    with pytest.raises(RuntimeError, match=r"size mismatch for 0.weight: copying a param with shape \(8, 5\)"):
        net.load_state_dict(bad)
    with pytest.raises(RuntimeError, match="size mismatch"):
        net.load_state_dict(bad, strict=False)


def test_train_eval_recurses_and_dropout_follows(rng):
    net = _gg_net()
    assert all(m.training for m in net.modules())
    net.eval()
    assert not any(m.training for m in net.modules())
    x = gg.Tensor(rng.normal(size=(3, 4)).astype(np.float32))
    np.testing.assert_array_equal(net(x).numpy(), net(x).numpy())  # dropout off: deterministic
    net.train()
    assert all(m.training for m in net.modules())
    assert net[2][2].training


def test_optimizer_over_module_parameters_trains(rng):
    net = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2))
    x = rng.normal(size=(64, 2)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)
    opt = gg.optim.Adam(net.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    first = None
    for _ in range(60):
        opt.zero_grad()
        loss = loss_fn(net(gg.Tensor(x)), y)
        loss.backward()
        opt.step()
        first = loss.item() if first is None else first
    assert loss.item() < 0.5 * first
    assert all(p.dtype == np.float32 for p in net.parameters())
