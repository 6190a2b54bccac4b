"""Every learning-rate scheduler against torch's, stepped 30 times: rates, last_epoch, initial_lr, the
momentum or beta1 that the cyclic ones drive; step(epoch); state_dict resumption; the mnist example."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import optim
from glassgrad.nn import Parameter
from glassgrad.optim import lr_scheduler

STEPS = 30

# (id, optimizer kind, factory(scheduler_module, optimizer)): the same code builds ours and torch's
SCHEDULES = [
    ("step", "sgd", lambda S, o: S.StepLR(o, step_size=4, gamma=0.5)),
    ("step-default-gamma", "adam", lambda S, o: S.StepLR(o, step_size=1)),
    ("multistep", "sgd", lambda S, o: S.MultiStepLR(o, milestones=[3, 8, 8, 20], gamma=0.3)),
    ("exponential", "sgd", lambda S, o: S.ExponentialLR(o, gamma=0.9)),
    ("cosine", "sgd", lambda S, o: S.CosineAnnealingLR(o, T_max=7)),
    ("cosine-eta-min", "adam", lambda S, o: S.CosineAnnealingLR(o, T_max=10, eta_min=0.001)),
    ("lambda", "sgd", lambda S, o: S.LambdaLR(o, lambda t: 1.0 / (1 + t))),
    ("lambda-per-group", "sgd", lambda S, o: S.LambdaLR(o, [lambda t: 0.95**t, lambda t: 1 + t % 3])),
    ("multiplicative", "sgd", lambda S, o: S.MultiplicativeLR(o, lambda t: 0.9 if t % 2 else 1.0)),
    ("linear", "sgd", lambda S, o: S.LinearLR(o, start_factor=0.25, total_iters=6)),
    ("linear-down", "sgd", lambda S, o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=12)),
    ("constant", "sgd", lambda S, o: S.ConstantLR(o, factor=0.5, total_iters=4)),
    ("polynomial", "sgd", lambda S, o: S.PolynomialLR(o, total_iters=20, power=2.0)),
    ("warm-restarts", "sgd", lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=5)),
    ("warm-restarts-mult", "sgd", lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=1e-3)),
    ("onecycle-cos", "sgd", lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=STEPS + 1)),
    ("onecycle-linear-adam", "adam",
     lambda S, o: S.OneCycleLR(o, max_lr=[0.5, 0.2], epochs=4, steps_per_epoch=8, anneal_strategy="linear")),
    ("onecycle-three-phase", "sgd",
     lambda S, o: S.OneCycleLR(o, max_lr=1.0, total_steps=STEPS, pct_start=0.25, three_phase=True,
                               div_factor=10.0, final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9)),
    ("onecycle-no-momentum", "adam",
     lambda S, o: S.OneCycleLR(o, max_lr=0.3, total_steps=STEPS, cycle_momentum=False)),
    ("cyclic-triangular", "sgd", lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4)),
    ("cyclic-triangular2-adam", "adam",
     lambda S, o: S.CyclicLR(o, base_lr=[0.01, 0.001], max_lr=0.1, step_size_up=3, step_size_down=5,
                             mode="triangular2")),
    ("cyclic-exp-range", "sgd",
     lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4, mode="exp_range", gamma=0.97)),
    ("cyclic-custom-fn", "sgd",
     lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=5, scale_fn=lambda x: 1 / (1 + x), scale_mode="iterations",
                             cycle_momentum=False)),
    ("sequential", "sgd",
     lambda S, o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=5), S.ExponentialLR(o, 0.9)],
                                 milestones=[5])),
    ("sequential-three", "sgd",
     lambda S, o: S.SequentialLR(o, [S.ConstantLR(o, factor=0.5, total_iters=3), S.StepLR(o, 3, 0.5),
                                     S.CosineAnnealingLR(o, T_max=6)], milestones=[4, 15])),
    ("chained", "sgd",
     lambda S, o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2), S.ExponentialLR(o, gamma=0.9)])),
    ("chained-three", "adam",
     lambda S, o: S.ChainedScheduler([S.LinearLR(o, 0.5, total_iters=4), S.StepLR(o, 5, 0.5),
                                      S.MultiStepLR(o, [10, 20], 0.1)], optimizer=o)),
]


def make_optimizer(library, kind: str):
    """Two param groups (lr 0.1 and 0.02): SGD with momentum, or Adam (betas drive the cyclic momentum)."""
    if library is gg:
        params = [Parameter(np.ones(2)), Parameter(np.ones(2))]
    else:
        params = [library.nn.Parameter(library.ones(2, dtype=library.float64)) for _ in range(2)]
    groups = [{"params": params[:1], "lr": 0.1}, {"params": params[1:], "lr": 0.02}]
    if kind == "sgd":
        return library.optim.SGD(groups, lr=0.1, momentum=0.9)
    return library.optim.Adam(groups, lr=0.1)


def trace(scheduler, optimizer, steps: int = STEPS) -> dict[str, np.ndarray]:
    """Rates, epochs, and each group's momentum (or beta1), after construction and after each step."""
    def momenta():
        return [g["betas"][0] if "betas" in g else g["momentum"] for g in optimizer.param_groups]

    rates, epochs, momentum = [scheduler.get_last_lr()], [getattr(scheduler, "last_epoch", 0)], [momenta()]
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        rates.append(scheduler.get_last_lr())
        epochs.append(getattr(scheduler, "last_epoch", 0))
        momentum.append(momenta())
        assert [g["lr"] for g in optimizer.param_groups] == rates[-1]
    return {"lr": np.array(rates, dtype=float), "epoch": np.array(epochs), "momentum": np.array(momentum)}


@pytest.mark.parametrize("kind,factory", [(k, f) for _, k, f in SCHEDULES], ids=[i for i, _, _ in SCHEDULES])
def test_trajectory_matches_torch(torch, kind, factory):
    opt, topt = make_optimizer(gg, kind), make_optimizer(torch, kind)
    ours, theirs = factory(lr_scheduler, opt), factory(torch.optim.lr_scheduler, topt)
    for group, torch_group in zip(opt.param_groups, topt.param_groups):
        assert group["initial_lr"] == pytest.approx(torch_group["initial_lr"], rel=1e-15)
    expected = trace(theirs, topt)
    seen = trace(ours, opt)
    np.testing.assert_allclose(seen["lr"], expected["lr"], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(seen["epoch"], expected["epoch"])
    np.testing.assert_allclose(seen["momentum"], expected["momentum"], rtol=1e-12)


CLOSED_FORMS = [
    lambda S, o: S.StepLR(o, step_size=3, gamma=0.5),
    lambda S, o: S.MultiStepLR(o, milestones=[2, 5, 5], gamma=0.5),
    lambda S, o: S.ExponentialLR(o, gamma=0.8),
    lambda S, o: S.CosineAnnealingLR(o, T_max=6, eta_min=0.01),
    lambda S, o: S.LinearLR(o, start_factor=0.2, total_iters=4),
    lambda S, o: S.ConstantLR(o, factor=0.25, total_iters=3),
    lambda S, o: S.PolynomialLR(o, total_iters=8, power=0.5),
    lambda S, o: S.LambdaLR(o, lambda t: 0.5**t),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=2),
]


@pytest.mark.parametrize("factory", CLOSED_FORMS, ids=[str(i) for i in range(len(CLOSED_FORMS))])
def test_step_with_an_epoch_uses_the_closed_form_like_torch(torch, factory):
    opt, topt = make_optimizer(gg, "sgd"), make_optimizer(torch, "sgd")
    ours, theirs = factory(lr_scheduler, opt), factory(torch.optim.lr_scheduler, topt)
    for epoch in [3, 7, 2, 2, 10, 0, 5, 13.5, 1.25]:
        if isinstance(epoch, float) and not isinstance(ours, lr_scheduler.CosineAnnealingWarmRestarts):
            continue
        topt.step()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch deprecates step(epoch); glassgrad accepts it quietly
            theirs.step(epoch)
        ours.step(epoch)
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
        assert ours.last_epoch == theirs.last_epoch


def test_warm_restarts_with_fractional_epochs_match_torch(torch):
    opt, topt = make_optimizer(gg, "sgd"), make_optimizer(torch, "sgd")
    ours = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=3)
    theirs = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(topt, T_0=2, T_mult=3)
    for epoch in range(6):
        for i in range(4):
            topt.step()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs.step(epoch + i / 4)
            ours.step(epoch + i / 4)
            np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
            assert (ours.T_i, ours.T_cur) == pytest.approx((theirs.T_i, theirs.T_cur))


PLATEAU = [
    {},
    {"mode": "max", "factor": 0.5, "patience": 1},
    {"mode": "max", "factor": 0.5, "patience": 1, "threshold_mode": "abs", "threshold": 0.05},
    {"mode": "min", "threshold_mode": "abs", "threshold": 0.02, "patience": 2, "cooldown": 1},
    {"factor": 0.5, "patience": 0, "cooldown": 2, "min_lr": [0.01, 0.001]},
    {"factor": 0.2, "patience": 1, "min_lr": 0.005, "eps": 1e-3},
]


@pytest.mark.parametrize("kwargs", PLATEAU, ids=[str(i) for i in range(len(PLATEAU))])
def test_reduce_lr_on_plateau_all_modes_match_torch(torch, kwargs):
    metrics = [1.0, 0.9, 0.95, 0.91, 0.9, 0.92, 0.5, 0.6, 0.55, 0.7, 0.49, 0.8, 0.81, 0.3] * 3
    opt, topt = make_optimizer(gg, "sgd"), make_optimizer(torch, "sgd")
    ours = lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
    theirs = torch.optim.lr_scheduler.ReduceLROnPlateau(topt, **kwargs)
    for metric in metrics:
        topt.step()
        ours.step(metric)
        theirs.step(metric)
        np.testing.assert_allclose(ours.get_last_lr(), theirs.get_last_lr(), rtol=1e-12)
        assert (ours.num_bad_epochs, ours.cooldown_counter, ours.best, ours.last_epoch) == (
            theirs.num_bad_epochs, theirs.cooldown_counter, theirs.best, theirs.last_epoch)
    ours.step(gg.tensor(0.1))  # a 0-d tensor metric is read as a float
    saved = ours.state_dict()
    assert "optimizer" not in saved
    again = lr_scheduler.ReduceLROnPlateau(make_optimizer(gg, "sgd"))
    again.load_state_dict(saved)
    assert (again.mode, again.best, again.num_bad_epochs) == (ours.mode, ours.best, ours.num_bad_epochs)


RESUMABLE = [
    lambda S, o: S.StepLR(o, step_size=3, gamma=0.5),
    lambda S, o: S.CosineAnnealingLR(o, T_max=7),
    lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=STEPS),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2),
    lambda S, o: S.SequentialLR(o, [S.LinearLR(o, 0.1, total_iters=4), S.ExponentialLR(o, 0.9)], milestones=[4]),
    lambda S, o: S.ChainedScheduler([S.ConstantLR(o, 0.5, total_iters=6), S.ExponentialLR(o, 0.9)]),
    lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=3),
]


@pytest.mark.parametrize("factory", RESUMABLE, ids=[str(i) for i in range(len(RESUMABLE))])
def test_state_dict_resumes_the_schedule(factory):
    straight_opt = make_optimizer(gg, "sgd")
    straight = trace(factory(lr_scheduler, straight_opt), straight_opt, 20)["lr"]
    opt = make_optimizer(gg, "sgd")
    first = factory(lr_scheduler, opt)
    trace(first, opt, 8)
    saved_opt, saved_sched = opt.state_dict(), first.state_dict()
    assert "optimizer" not in saved_sched
    resumed_opt = make_optimizer(gg, "sgd")
    resumed = factory(lr_scheduler, resumed_opt)
    resumed_opt.load_state_dict(saved_opt)  # the rates (and initial_lr) live in the optimizer's groups
    resumed.load_state_dict(saved_sched)
    np.testing.assert_allclose(trace(resumed, resumed_opt, 12)["lr"], straight[8:], rtol=1e-12)


def test_resuming_with_last_epoch_matches_torch(torch):
    opt, topt = make_optimizer(gg, "sgd"), make_optimizer(torch, "sgd")
    for group in [*opt.param_groups, *topt.param_groups]:
        group["initial_lr"] = group["lr"]
    ours = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5, last_epoch=5)
    theirs = torch.optim.lr_scheduler.StepLR(topt, step_size=2, gamma=0.5, last_epoch=5)
    np.testing.assert_allclose(trace(ours, opt, 6)["lr"], trace(theirs, topt, 6)["lr"], rtol=1e-12)


def test_tensor_learning_rates_are_filled_in_place(torch):
    lr = gg.tensor(0.1, dtype=gg.float64)
    opt = optim.Adam([Parameter(np.ones(2))], lr=lr)
    sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
    opt.step()
    sched.step()
    assert opt.param_groups[0]["lr"] is lr and float(lr) == pytest.approx(0.05)
    assert isinstance(sched.get_last_lr()[0], gg.Tensor) and sched.get_last_lr()[0] is not lr
    assert float(opt.param_groups[0]["initial_lr"]) == pytest.approx(0.1)


def test_errors_match_torch(torch):
    cases = [
        lambda S, o: S.LinearLR(o, start_factor=0.0),
        lambda S, o: S.LinearLR(o, end_factor=1.5),
        lambda S, o: S.ConstantLR(o, factor=1.5),
        lambda S, o: S.ReduceLROnPlateau(o, mode="sideways"),
        lambda S, o: S.ReduceLROnPlateau(o, threshold_mode="ratio"),
        lambda S, o: S.ReduceLROnPlateau(o, min_lr=[0.1]),
        lambda S, o: S.OneCycleLR(o, max_lr=0.1),
        lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=0),
        lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10, pct_start=1),
        lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10, anneal_strategy="exp"),
        lambda S, o: S.OneCycleLR(o, max_lr=[0.1], total_steps=10),
        lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=0),
        lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
        lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2)], milestones=[3]),
        lambda S, o: S.SequentialLR(o, [], milestones=[]),
        lambda S, o: S.ChainedScheduler([]),
        lambda S, o: S.ChainedScheduler([S.StepLR(o, 2), S.ReduceLROnPlateau(o)]),
        lambda S, o: S.LambdaLR(o, [lambda t: 1.0]),
        lambda S, o: S.CyclicLR(o, 0.01, 0.1, mode="square"),
    ]
    for make in cases:
        with pytest.raises(ValueError) as theirs:
            make(torch.optim.lr_scheduler, make_optimizer(torch, "sgd"))
        with pytest.raises(ValueError) as ours:
            make(lr_scheduler, make_optimizer(gg, "sgd"))
        assert str(ours.value) == str(theirs.value)


def test_onecycle_refuses_to_step_past_its_end(torch):
    opt, topt = make_optimizer(gg, "sgd"), make_optimizer(torch, "sgd")
    ours = lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=3)
    theirs = torch.optim.lr_scheduler.OneCycleLR(topt, max_lr=0.1, total_steps=3)
    for _ in range(3):
        topt.step()
        ours.step()
        theirs.step()
    topt.step()
    with pytest.raises(ValueError) as torch_error:
        theirs.step()
    with pytest.raises(ValueError) as error:
        ours.step()
    assert str(error.value) == str(torch_error.value)
    assert str(error.value) == "Tried to step 4 times. The specified number of total steps is 3"


def test_mnist_example_shape_matches_torch(torch):
    """pytorch/examples mnist: Adadelta(model.parameters(), lr=args.lr) with StepLR(step_size=1, gamma)."""
    r = np.random.default_rng(0)
    x, y = r.normal(size=(4, 8, 6)), r.integers(0, 3, size=(4, 8))
    weights = [r.normal(size=(8, 6)) * 0.4, r.normal(size=8) * 0.1, r.normal(size=(3, 8)) * 0.4, np.zeros(3)]

    def build(T):  # noqa: N803  (T is torch or glassgrad)
        model = T.nn.Sequential(T.nn.Linear(6, 8), T.nn.ReLU(), T.nn.Linear(8, 3)).double()
        for p, w in zip(model.parameters(), weights):
            p.data = T.tensor(w.copy())
        optimizer = T.optim.Adadelta(model.parameters(), lr=1.0)
        scheduler = T.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
        for _epoch in range(3):
            for data, target in zip(x, y):
                optimizer.zero_grad()
                output = T.nn.functional.log_softmax(model(T.tensor(data)), dim=1)
                loss = T.nn.functional.nll_loss(output, T.tensor(target))
                loss.backward()
                optimizer.step()
            scheduler.step()
        return [p.detach().numpy() for p in model.parameters()], scheduler.get_last_lr()

    ours, our_lr = build(gg)
    theirs, their_lr = build(torch)
    assert our_lr == pytest.approx(their_lr, rel=1e-15)
    assert our_lr == pytest.approx([0.7**3])
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p, q, rtol=1e-9, atol=1e-12)
