"""Learning-rate schedules: the lr sequence equals torch's; state_dict; errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from glassgrad import optim
from glassgrad.nn import Parameter
from glassgrad.optim import lr_scheduler

SCHEDULES = [
    ("StepLR", {"step_size": 3, "gamma": 0.5}),
    ("ExponentialLR", {"gamma": 0.9}),
    ("CosineAnnealingLR", {"T_max": 7}),
    ("CosineAnnealingLR", {"T_max": 5, "eta_min": 0.01}),
    ("LinearLR", {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 6}),
    ("LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 4}),
]


def _gg_opt(lrs=(0.1, 0.02)):
    return optim.SGD([{"params": [Parameter(np.ones(2))], "lr": lrs[0]},
                      {"params": [Parameter(np.ones(2))], "lr": lrs[1]}], lr=lrs[0], momentum=0.9)


def _torch_opt(torch, lrs=(0.1, 0.02)):
    return torch.optim.SGD([{"params": [torch.nn.Parameter(torch.ones(2))], "lr": lrs[0]},
                            {"params": [torch.nn.Parameter(torch.ones(2))], "lr": lrs[1]}], lr=lrs[0], momentum=0.9)


def _gg_sequence(sched, n=16):
    seq = [sched.get_last_lr()]
    for _ in range(n):
        sched.optimizer.step()
        sched.step()
        seq.append(sched.get_last_lr())
    return np.array(seq)


def _torch_sequence(sched, opt, n=16):
    seq = [sched.get_last_lr()]
    for _ in range(n):
        opt.step()
        sched.step()
        seq.append(sched.get_last_lr())
    return np.array(seq)


@pytest.mark.parametrize("name,kwargs", SCHEDULES)
def test_lr_sequence_matches_torch(torch, name, kwargs):
    ours = getattr(lr_scheduler, name)(_gg_opt(), **kwargs)
    topt = _torch_opt(torch)
    theirs = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    np.testing.assert_allclose(_gg_sequence(ours), _torch_sequence(theirs, topt), rtol=1e-12, atol=1e-15)
    assert [g["lr"] for g in ours.optimizer.param_groups] == ours.get_last_lr()


def test_lambda_lr_and_linear_warmup_match_torch(torch):
    fns = [lambda t: 0.95**t, lambda t: 1.0 / (t + 1)]
    ours = lr_scheduler.LambdaLR(_gg_opt(), fns)
    topt = _torch_opt(torch)
    theirs = torch.optim.lr_scheduler.LambdaLR(topt, fns)
    np.testing.assert_allclose(_gg_sequence(ours), _torch_sequence(theirs, topt), rtol=1e-12)
    warm = lr_scheduler.LinearWarmup(_gg_opt(), warmup_steps=5)
    topt = _torch_opt(torch)
    theirs = torch.optim.lr_scheduler.LinearLR(topt, start_factor=1 / 5, end_factor=1.0, total_iters=4)
    seq = _gg_sequence(warm)
    np.testing.assert_allclose(seq, _torch_sequence(theirs, topt), rtol=1e-12)
    np.testing.assert_allclose(seq[:6, 0], [0.02, 0.04, 0.06, 0.08, 0.1, 0.1])


@pytest.mark.parametrize("kwargs", [
    {},
    {"mode": "max", "factor": 0.5, "patience": 1, "threshold_mode": "abs", "threshold": 0.05},
    {"factor": 0.5, "patience": 0, "cooldown": 2, "min_lr": [0.01, 0.001]},
])
def test_reduce_lr_on_plateau_matches_torch(torch, kwargs):
    metrics = [1.0, 0.9, 0.95, 0.91, 0.9, 0.92, 0.5, 0.6, 0.55, 0.7, 0.49] * 3
    ours = lr_scheduler.ReduceLROnPlateau(_gg_opt(), **kwargs)
    topt = _torch_opt(torch)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs)
    for m in metrics:
        topt.step()
        ours.step(m)
        theirs.step(m)
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
        assert ours.num_bad_epochs == theirs.num_bad_epochs


def test_state_dict_resumes_schedule():
    sched = lr_scheduler.CosineAnnealingLR(_gg_opt(), T_max=10)
    for _ in range(4):
        sched.step()
    saved = sched.state_dict()
    assert "optimizer" not in saved and saved["last_epoch"] == 4
    opt2 = _gg_opt()
    sched2 = lr_scheduler.CosineAnnealingLR(opt2, T_max=10)
    opt2.load_state_dict(sched.optimizer.state_dict())  # the rates live in the optimizer, as in torch
    sched2.load_state_dict(saved)
    sched.step()
    sched2.step()
    assert sched2.get_last_lr() == sched.get_last_lr()
    assert sched.get_last_lr()[0] == pytest.approx(0.05 * (1 + math.cos(math.pi * 5 / 10)))
    lam = lr_scheduler.LambdaLR(_gg_opt(), lambda t: 0.5)
    assert lam.state_dict()["lr_lambdas"] == [None, None]  # functions are not saved (torch's rule)


def test_initial_lr_recorded_and_errors():
    opt = _gg_opt()
    lr_scheduler.StepLR(opt, step_size=2)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.02]
    with pytest.raises(KeyError, match="initial_lr"):
        lr_scheduler.StepLR(_gg_opt(), step_size=2, last_epoch=3)
    with pytest.raises(ValueError, match="step_size"):
        lr_scheduler.StepLR(_gg_opt(), step_size=0)
    with pytest.raises(ValueError, match="Factor should be < 1.0"):
        lr_scheduler.ReduceLROnPlateau(_gg_opt(), factor=1.5)
    with pytest.raises(ValueError, match="Expected 2 lr_lambdas, but got 1"):
        lr_scheduler.LambdaLR(_gg_opt(), [lambda t: 1.0])
    with pytest.raises(TypeError, match="not an Optimizer"):
        lr_scheduler.ExponentialLR(object(), gamma=0.5)  # type: ignore[arg-type]
