"""Adadelta, Adamax, NAdam, RAdam (and the torch-2.13 options of the older ones): trajectories equal torch's,
golden values, state_dict round trips, torch's hyper-parameter names, defaults and error messages."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import optim
from glassgrad.nn import Parameter
from tests.optim.problem import assert_same_params, gg_run, problem, torch_loss, torch_run

CASES = [
    ("Adadelta", {}),
    ("Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-5, "weight_decay": 0.1}),
    ("Adadelta", {"lr": 2.0, "maximize": True}),
    ("Adamax", {}),
    ("Adamax", {"lr": 0.01, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.1}),
    ("Adamax", {"lr": 0.01, "maximize": True}),
    ("NAdam", {}),
    ("NAdam", {"lr": 0.01, "betas": (0.8, 0.95), "momentum_decay": 0.01, "weight_decay": 0.1}),
    ("NAdam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True, "maximize": True}),
    ("RAdam", {}),
    ("RAdam", {"lr": 0.01, "betas": (0.8, 0.9), "weight_decay": 0.1}),  # rho_t > 5 from step 4
    ("RAdam", {"lr": 0.01, "betas": (0.9, 0.99), "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("RAdam", {"lr": 0.01, "maximize": True}),
    ("Adam", {"lr": 0.01, "weight_decay": 0.1, "decoupled_weight_decay": True}),
    ("Adam", {"lr": 0.01, "foreach": False, "fused": None, "capturable": False, "differentiable": False}),
    ("SGD", {"lr": 0.05, "momentum": 0.9, "foreach": None, "differentiable": False, "fused": None}),
]
NEW = ["Adadelta", "Adamax", "NAdam", "RAdam"]
ALL = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", *NEW, "LBFGS"]


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_trajectory_matches_torch(torch, name, kwargs):
    data = problem()
    ours, _ = gg_run(name, kwargs, data, 20)
    theirs, _ = torch_run(torch, name, kwargs, data, 20)
    assert_same_params(ours, theirs)


@pytest.mark.parametrize("name", NEW)
def test_param_groups_with_own_lr_match_torch(torch, name):
    data = problem(1)
    ours, opt = gg_run(name, {"lr": 0.05}, data, 20, groups=True)
    theirs, _ = torch_run(torch, name, {"lr": 0.05}, data, 20, groups=True)
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.003]
    assert_same_params(ours, theirs)


# Recorded once from torch 2.13 (float64): p0 = [1, -2, 0.5], grad = a * p + b with the a, b below,
# parameters after steps 1, 2 and 3 (RAdam also after step 7, once its rectified branch is on).
GOLDEN = [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}, [
        [0.7701, -0.7801999999999999, 0.43255],
        [0.48630781, 0.26201638000000016, 0.342880905],
        [0.187574460261, 0.8788077742780003, 0.2388076048055],
    ]),
    ("Adam", {"lr": 0.1, "amsgrad": True}, [
        [0.9000000008333333, -1.90000000015625, 0.40000000285714277],
        [0.8003208388748606, -1.8001538692362187, 0.3006944241567545],
        [0.7012228217637305, -1.7005752601400563, 0.2027434886982672],
    ]),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.1}, [
        [0.8900000008333333, -1.88000000015625, 0.39500000285714276],
        [0.7814653057680736, -1.7613926496661638, 0.2917984482067242],
        [0.674677175985869, -1.644306419567153, 0.19108526458522485],
    ]),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}, [
        [0.8994962268915866, -1.8994962200523617, 0.3994962473340994],
        [0.780821409342498, -1.7793798064284578, 0.28335335399207856],
        [0.6687914731284995, -1.6637536339059098, 0.17785333772109185],
    ]),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01}, [
        [0.9000000000083334, -1.9000000000015624, 0.40000000002857145],
        [0.8330965714460938, -1.8316893519795399, 0.3355652105896945],
        [0.7805641266421508, -1.7773017760479888, 0.2863199539166123],
    ]),
    ("Adadelta", {"lr": 1.0, "weight_decay": 0.1}, [
        [0.9968377316956412, -1.9968377227028111, 0.4968378211563765],
        [0.9935974340344352, -1.9935955800201552, 0.49360081380341997],
        [0.9903065112635892, -1.9903002491306023, 0.49031764915247683],
    ]),
    ("Adamax", {"lr": 0.1, "weight_decay": 0.1}, [
        [0.9000000007692308, -1.9000000001515152, 0.40000000249999995],
        [0.8043578005652897, -1.8023744640736559, 0.30780254398885715],
        [0.713094082624738, -1.7071692723814185, 0.22325331745805926],
    ]),
    ("NAdam", {"lr": 0.1}, [
        [0.8943548217468974, -1.8943548210315915, 0.3943548238849545],
        [0.8192621460682272, -1.8177734017957523, 0.3218929978917805],
        [0.7509338640858968, -1.7471984072821611, 0.25760909133213983],
    ]),
    ("NAdam", {"lr": 0.1, "weight_decay": 0.1, "decoupled_weight_decay": True}, [
        [0.8843548217468974, -1.8743548210315915, 0.3893548238849545],
        [0.8007526369033457, -1.7793840165148314, 0.3133148166892342],
        [0.7249972288278369, -1.691638366174571, 0.246424933920838],
    ]),
    ("RAdam", {"lr": 0.1}, [
        [0.88, -1.3599999999999999, 0.465],
        [0.7663157894736842, -0.8210526315789471, 0.430921052631579],
        [0.6589240629248397, -0.375327248009322, 0.3977767527675277],
        [0.4573356258439674, 0.271763687567463, 0.32861655636644727],
    ]),
    ("RAdam", {"lr": 0.1, "weight_decay": 0.1, "decoupled_weight_decay": True}, [
        [0.87, -1.3399999999999999, 0.46],
        [0.7481421052631578, -0.7908105263157892, 0.4214526315789474],
        [0.63427167663624, -0.3425174919401823, 0.38435152534472716],
        [0.4158003857167771, 0.2881140767938701, 0.3025223784052886],
    ]),
]
GOLDEN_A = np.array([1.0, 3.0, 0.5])
GOLDEN_B = np.array([0.2, -0.4, 0.1])


@pytest.mark.parametrize("name,kwargs,expected", GOLDEN, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(GOLDEN)])
def test_golden_values(name, kwargs, expected):
    p = Parameter(np.array([1.0, -2.0, 0.5]))
    opt = getattr(optim, name)([p], **kwargs)
    steps = 7 if name == "RAdam" else 3
    seen = []
    for _ in range(steps):
        p.grad = GOLDEN_A * p.array + GOLDEN_B
        opt.step()
        seen.append(p.array.copy())
    if name == "RAdam":
        seen = seen[:3] + [seen[6]]
    np.testing.assert_allclose(seen, expected, rtol=1e-12, atol=1e-14)


def test_update_functions_are_pure_array_functions():
    # Adadelta's first step with u = 0: delta = sqrt(eps) / sqrt((1 - rho) g^2 + eps) g
    param, grad = np.array([1.0, -1.0]), np.array([0.5, 2.0])
    state = {"step": 1, "square_avg": np.zeros(2), "acc_delta": np.zeros(2)}
    optim.adadelta_update(param, grad, state, {"lr": 1.0, "rho": 0.9, "eps": 1e-6})
    delta = np.sqrt(1e-6) / np.sqrt(0.1 * grad**2 + 1e-6) * grad
    np.testing.assert_allclose(param, [1.0, -1.0] - delta)
    np.testing.assert_allclose(state["acc_delta"], 0.1 * delta**2)
    adam_like = {"lr": 0.1, "betas": (0.9, 0.999), "eps": 1e-8, "momentum_decay": 4e-3}
    # Adamax's first step: m = 0.1 g, u = |g| + eps, p -= lr * g / (|g| + eps)
    param = np.array([1.0, -1.0])
    optim.adamax_update(param, grad, {"step": 1, "exp_avg": np.zeros(2), "exp_inf": np.zeros(2)}, adam_like)
    np.testing.assert_allclose(param, [1.0, -1.0] - 0.1 * grad / (np.abs(grad) + 1e-8))
    # RAdam's first step is momentum SGD on the bias-corrected mean, which is g itself
    param = np.array([1.0, -1.0])
    optim.radam_update(param, grad, {"step": 1, "exp_avg": np.zeros(2), "exp_avg_sq": np.zeros(2)}, adam_like)
    np.testing.assert_allclose(param, [1.0, -1.0] - 0.1 * grad)
    # NAdam keeps the new product of the mu's in its state
    state = {"step": 1, "mu_product": 1.0, "exp_avg": np.zeros(2), "exp_avg_sq": np.zeros(2)}
    optim.nadam_update(np.array([1.0, -1.0]), grad, state, adam_like)
    assert state["mu_product"] == pytest.approx(0.9 * (1 - 0.5 * 0.96**0.004))


@pytest.mark.parametrize("name", NEW)
def test_state_dict_round_trip_resumes_identically(name):
    data = problem(2)
    straight, _ = gg_run(name, {"lr": 0.01}, data, 12, groups=True)
    half, opt = gg_run(name, {"lr": 0.01}, data, 6, groups=True)
    saved = opt.state_dict()
    assert [g["params"] for g in saved["param_groups"]] == [[0, 1], [2]]
    fresh = [Parameter(p.array.copy()) for p in half]
    opt2 = getattr(optim, name)([{"params": fresh[:2]}, {"params": fresh[2:], "lr": 123.0}], lr=0.01)
    opt2.load_state_dict(saved)
    assert opt2.param_groups[1]["lr"] == 0.003
    resumed, _ = gg_run(name, {"lr": 0.01}, data, 6, opt=opt2, params=fresh)
    for p, q in zip(straight, resumed):
        np.testing.assert_array_equal(p.array, q.array)


@pytest.mark.parametrize("name", NEW)
def test_loads_torch_state_dict_and_continues_like_torch(torch, name):
    data = problem(3)
    theirs, topt = torch_run(torch, name, {"lr": 0.01}, data, 5)
    ours = [Parameter(q.detach().numpy().copy()) for q in theirs]
    opt = getattr(optim, name)(ours, lr=0.01)
    opt.load_state_dict(topt.state_dict())
    assert opt.state[ours[0]]["step"] == 5
    gg_run(name, {"lr": 0.01}, data, 5, opt=opt, params=ours)
    for _ in range(5):
        topt.zero_grad()
        torch_loss(torch, theirs, data).backward()
        topt.step()
    assert_same_params(ours, theirs)


@pytest.mark.parametrize("name", ALL)
def test_signature_defaults_and_group_keys_match_torch(torch, name):
    ours, theirs = inspect.signature(getattr(optim, name)), inspect.signature(getattr(torch.optim, name))
    assert list(ours.parameters) == list(theirs.parameters)
    for key, parameter in theirs.parameters.items():
        assert ours.parameters[key].default == parameter.default, key
        assert ours.parameters[key].kind == parameter.kind, key
    p, q = Parameter(np.ones(2)), torch.nn.Parameter(torch.ones(2))
    assert getattr(optim, name)([p]).param_groups[0].keys() == getattr(torch.optim, name)([q]).param_groups[0].keys()


BAD = [
    ("SGD", {"lr": -0.1}), ("SGD", {"momentum": -0.5}), ("SGD", {"weight_decay": -1.0}),
    ("SGD", {"nesterov": True}), ("Adam", {"lr": -1}), ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (0.9, -0.1)}), ("Adam", {"eps": -1e-8}), ("AdamW", {"weight_decay": -0.1}),
    ("RMSprop", {"alpha": -0.5}), ("RMSprop", {"momentum": -1.0}), ("Adagrad", {"lr_decay": -1.0}),
    ("Adagrad", {"initial_accumulator_value": -1.0}), ("Adadelta", {"rho": 1.5}), ("Adadelta", {"lr": -1.0}),
    ("Adadelta", {"eps": -1.0}), ("Adamax", {"betas": (0.9, 1.5)}), ("Adamax", {"lr": -2e-3}),
    ("NAdam", {"momentum_decay": -0.1}), ("NAdam", {"betas": (-0.1, 0.999)}), ("RAdam", {"betas": (0.9, 1.0)}),
    ("RAdam", {"weight_decay": -1e-2}), ("LBFGS", {"lr": -1.0}),
]


@pytest.mark.parametrize("name,kwargs", BAD, ids=[f"{n}-{i}" for i, (n, _) in enumerate(BAD)])
def test_bad_hyper_parameters_give_torchs_message(torch, name, kwargs):
    with pytest.raises(ValueError) as theirs:
        getattr(torch.optim, name)([torch.nn.Parameter(torch.ones(2))], **kwargs)
    with pytest.raises(ValueError) as ours:
        getattr(optim, name)([Parameter(np.ones(2))], **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_bad_hyper_parameter_messages_without_torch():
    p = Parameter(np.ones(2))
    with pytest.raises(ValueError, match=r"^Invalid learning rate: -0.5$"):
        optim.Adadelta([p], lr=-0.5)
    with pytest.raises(ValueError, match=r"^Invalid rho value: 1.5$"):
        optim.Adadelta([p], rho=1.5)
    with pytest.raises(ValueError, match=r"^Invalid beta parameter at index 1: 1.0$"):
        optim.NAdam([p], betas=(0.9, 1.0))
    with pytest.raises(ValueError, match=r"^Invalid beta parameter at index 0: -0.1$"):
        optim.RAdam([p], betas=(-0.1, 0.9))
    with pytest.raises(ValueError, match=r"^Invalid momentum_decay value: -1$"):
        optim.NAdam([p], momentum_decay=-1)
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        optim.Adamax([p], lr=gg.tensor([0.1, 0.2]))
    with pytest.raises(ValueError, match="^optimizer got an empty parameter list$"):
        optim.RAdam([])


@pytest.mark.parametrize("name", ["SGD", "Adam", "Adadelta", "Adamax", "NAdam", "RAdam"])
def test_tensor_lr_runs_like_float_lr(name):
    data = problem(4)
    as_float, _ = gg_run(name, {"lr": 0.02}, data, 5)
    as_tensor, opt = gg_run(name, {"lr": gg.tensor(0.02, dtype=gg.float64)}, data, 5)
    assert isinstance(opt.param_groups[0]["lr"], gg.Tensor)
    for p, q in zip(as_float, as_tensor):
        np.testing.assert_array_equal(p.array, q.array)


def test_named_parameters_fill_param_names():
    model = gg.nn.Linear(3, 2)
    opt = optim.NAdam(model.named_parameters(), lr=0.01)
    assert opt.param_groups[0]["param_names"] == ["weight", "bias"]
    assert opt.param_groups[0]["params"] == [model.weight, model.bias]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["weight", "bias"]


@pytest.mark.parametrize("name", NEW)
def test_float32_stays_float32(name):
    p = Parameter(np.ones((2, 3), dtype=np.float32))
    p.grad = np.full((2, 3), 0.5, dtype=np.float32)
    opt = getattr(optim, name)([p], weight_decay=0.1)
    for _ in range(7):
        opt.step()
    assert p.dtype == np.float32
    assert list(opt.state) == [p]
    assert all(v.dtype == np.float32 for v in opt.state[p].values() if hasattr(v, "dtype"))


@pytest.mark.parametrize("name", NEW)
def test_parameters_without_grad_are_skipped(name):
    a, b = Parameter(np.ones(2)), Parameter(np.ones(2))
    a.grad = np.ones(2)
    opt = getattr(optim, name)([a, b])
    opt.step()
    assert not np.array_equal(a.array, [1.0, 1.0])
    np.testing.assert_array_equal(b.array, [1.0, 1.0])
    assert b not in opt.state
