"""Optimizers: trajectories equal torch's, state_dict round trips, param groups, golden values, errors."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import optim
from glassgrad.nn import Parameter
from tests.optim.problem import gg_run as _gg_run
from tests.optim.problem import problem as _problem
from tests.optim.problem import torch_loss as _torch_loss
from tests.optim.problem import torch_run as _torch_run

CASES = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.5, "weight_decay": 0.1, "maximize": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.02, "betas": (0.8, 0.9), "eps": 1e-6, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.02, "weight_decay": 0.1, "amsgrad": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9, "alpha": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.1, "initial_accumulator_value": 0.1}),
]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_trajectory_matches_torch(torch, name, kwargs):
    data = _problem()
    ours, _ = _gg_run(name, kwargs, data, 20)
    theirs, _ = _torch_run(torch, name, kwargs, data, 20)
    for p, q in zip(ours, theirs):
        assert p.dtype == np.float64
        np.testing.assert_allclose(p.array, q.detach().numpy(), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop"])
def test_param_groups_with_own_lr_match_torch(torch, name):
    data = _problem(1)
    kwargs = {"lr": 0.05, "momentum": 0.9} if name != "Adam" else {"lr": 0.05}
    ours, opt = _gg_run(name, kwargs, data, 20, groups=True)
    theirs, _ = _torch_run(torch, name, kwargs, data, 20, groups=True)
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.003]
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.array, q.detach().numpy(), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("name,kwargs", CASES[::2], ids=[f"{n}-{2 * i}" for i, (n, _) in enumerate(CASES[::2])])
def test_state_dict_round_trip_resumes_identically(name, kwargs):
    data = _problem(2)
    straight, _ = _gg_run(name, kwargs, data, 20, groups=True)
    half, opt = _gg_run(name, kwargs, data, 10, groups=True)
    saved = opt.state_dict()
    for slots in saved["state"].values():
        for value in slots.values():
            assert isinstance(value, np.ndarray | int | float)
    assert [g["params"] for g in saved["param_groups"]] == [[0, 1], [2]]
    for i, p in enumerate(half):  # the saved state is a copy, unaffected by later steps
        if i not in saved["state"]:  # plain SGD keeps no state, as torch
            continue
        for live, copied in zip(opt.state[p].values(), saved["state"][i].values()):
            assert not isinstance(live, np.ndarray) or not np.shares_memory(live, copied)
    fresh = [Parameter(p.array.copy()) for p in half]
    opt2 = getattr(optim, name)([{"params": fresh[:2]}, {"params": fresh[2:], "lr": 123.0}], **kwargs)
    opt2.load_state_dict(saved)
    assert opt2.param_groups[1]["lr"] == 0.003
    resumed, _ = _gg_run(name, kwargs, data, 10, opt=opt2, params=fresh)
    for p, q in zip(straight, resumed):
        np.testing.assert_array_equal(p.array, q.array)


def test_state_dict_matches_torch_format_and_loads_torch_state(torch):
    data = _problem(3)
    kwargs = {"lr": 0.01, "amsgrad": True}
    ours, opt = _gg_run("Adam", kwargs, data, 5)
    theirs, topt = _torch_run(torch, "Adam", kwargs, data, 5)
    ours_sd, torch_sd = opt.state_dict(), topt.state_dict()
    assert ours_sd["param_groups"][0]["params"] == torch_sd["param_groups"][0]["params"]
    assert set(ours_sd["state"]) == set(torch_sd["state"])
    assert set(ours_sd["state"][0]) == set(torch_sd["state"][0])
    # load torch's optimizer state into ours, continue both, and compare
    fresh = [Parameter(q.detach().numpy().copy()) for q in theirs]
    opt2 = optim.Adam(fresh, **kwargs)
    opt2.load_state_dict(torch_sd)
    assert opt2.state[fresh[0]]["step"] == 5
    _gg_run("Adam", kwargs, data, 5, opt=opt2, params=fresh)
    for _ in range(5):
        topt.zero_grad()
        _torch_loss(torch, theirs, data).backward()
        topt.step()
    for p, q in zip(fresh, theirs):
        np.testing.assert_allclose(p.array, q.detach().numpy(), rtol=1e-9, atol=1e-10)


def test_float32_stays_float32_and_state_keyed_by_parameter():
    p = Parameter(np.ones((2, 3), dtype=np.float32))
    p.grad = np.full((2, 3), 0.5, dtype=np.float32)
    for opt in (optim.SGD([p], lr=0.1, momentum=0.9), optim.Adam([p]), optim.AdamW([p], amsgrad=True),
                optim.RMSprop([p], centered=True, momentum=0.1), optim.Adagrad([p])):
        opt.step()
        assert p.dtype == np.float32
        assert list(opt.state) == [p]
        assert all(v.dtype == np.float32 for v in opt.state[p].values() if hasattr(v, "dtype"))


def test_adam_update_golden_values():
    # first step: m = 0.1 g, v = 0.001 g^2, m_hat = g, v_hat = g^2  ->  p -= lr * g / (|g| + eps)
    param = np.array([1.0, -2.0, 0.5])
    grad = np.array([0.5, -1.0, 0.0])
    m, v = np.zeros(3), np.zeros(3)
    group = {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "amsgrad": False}
    optim.adam_update(param, grad, {"step": 1, "exp_avg": m, "exp_avg_sq": v}, group)
    np.testing.assert_allclose(param, [1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 1.0 / (1.0 + 1e-8), 0.5])
    np.testing.assert_allclose(m, 0.1 * grad)
    np.testing.assert_allclose(v, 0.001 * grad**2)


def test_sgd_update_golden_values():
    param, grad = np.array([1.0, 2.0]), np.array([0.5, -0.5])
    state, group = {}, {"lr": 0.1, "momentum": 0.9, "dampening": 0.0, "nesterov": False}
    optim.sgd_update(param, grad, state, group)  # first step: the buffer is g itself
    np.testing.assert_allclose(param, [0.95, 2.05])
    optim.sgd_update(param, grad, state, group)  # buf = 0.9 * 0.5 + 0.5 = 0.95
    np.testing.assert_allclose(state["momentum_buffer"], [0.95, -0.95])
    np.testing.assert_allclose(param, [0.855, 2.145])


def test_zero_grad_and_skips_parameters_without_grad():
    a, b = Parameter(np.ones(2)), Parameter(np.ones(2))
    a.grad = np.ones(2)
    opt = optim.SGD([a, b], lr=0.5)
    opt.step()
    np.testing.assert_array_equal(a.array, [0.5, 0.5])
    np.testing.assert_array_equal(b.array, [1.0, 1.0])
    opt.zero_grad(set_to_none=False)
    np.testing.assert_array_equal(a.grad, [0.0, 0.0])
    opt.zero_grad()
    assert a.grad is None


def test_add_param_group_and_errors():
    a, b = Parameter(np.ones(2)), Parameter(np.ones(2))
    opt = optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.5})
    assert opt.param_groups[1]["lr"] == 0.5 and opt.param_groups[1]["betas"] == (0.9, 0.999)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [a]})
    with pytest.raises(ValueError, match="Invalid learning rate: -1"):
        optim.SGD([a], lr=-1)
    with pytest.raises(ValueError, match="Invalid beta parameter at index 1"):
        optim.Adam([a], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([a], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="single tensor"):
        optim.SGD(a, lr=0.1)
    with pytest.raises(ValueError, match="parameter groups"):
        optim.Adam([a]).load_state_dict(opt.state_dict())


def test_clip_grad_norm_and_value_match_torch(torch):
    r = np.random.default_rng(0)
    grads = [r.normal(size=(3, 4)) * 3, r.normal(size=5)]
    for norm_type, max_norm in [(2.0, 1.0), (1.0, 2.5), (float("inf"), 0.5), (2.0, 1e3)]:
        ours = [Parameter(np.zeros_like(g)) for g in grads]
        theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
        for p, q, g in zip(ours, theirs, grads):
            p.grad, q.grad = g.copy(), torch.tensor(g)
        total = optim.clip_grad_norm_(ours, max_norm, norm_type)
        expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
        assert total == pytest.approx(expected.item(), rel=1e-12)
        for p, q in zip(ours, theirs):
            np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-12)
    ours = [Parameter(np.zeros_like(g)) for g in grads]
    theirs = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for p, q, g in zip(ours, theirs, grads):
        p.grad, q.grad = g.copy(), torch.tensor(g)
    optim.clip_grad_value_(ours, 0.7)
    torch.nn.utils.clip_grad_value_(theirs, 0.7)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad, q.grad.numpy())


def test_clip_grad_norm_nonfinite_error():
    p = Parameter(np.ones(2))
    p.grad = np.array([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="total norm"):
        optim.clip_grad_norm_(p, 1.0, error_if_nonfinite=True)
