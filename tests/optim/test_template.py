"""Optimizer subclasses users write: torch's way (their own ``step`` under ``@torch.no_grad()``) and on the
base's step template (``update`` / ``init_state``); the template's own duties (state, step count, maximize
and weight decay, version bump, a tensor lr)."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as torch  # the tests below are written as a torch user writes them
from glassgrad import optim
from glassgrad.nn import Parameter
from tests.optim.problem import PARAM_NAMES, gg_loss, gg_run, problem


class HeavyBall(torch.optim.Optimizer):
    """SGD with momentum, written exactly as a torch user writes an optimizer."""

    def __init__(self, params, lr=0.05, momentum=0.9):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        super().__init__(params, dict(lr=lr, momentum=momentum))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "momentum_buffer" not in state:
                    state["momentum_buffer"] = torch.clone(p.grad).detach()
                else:
                    state["momentum_buffer"].mul_(group["momentum"]).add_(p.grad)
                p.add_(state["momentum_buffer"], alpha=-group["lr"])
        return loss


def _params(data):
    return [Parameter(data[k].copy()) for k in PARAM_NAMES]


def _train(opt, params, data, steps, scheduler=None):
    for _ in range(steps):
        opt.zero_grad()
        gg_loss(params, data).backward()
        opt.step()
        if scheduler is not None:
            scheduler.step()


def test_a_torch_style_subclass_follows_sgd_with_momentum():
    data = problem()
    ours = _params(data)
    _train(HeavyBall(ours), ours, data, 20)
    reference, _ = gg_run("SGD", {"lr": 0.05, "momentum": 0.9}, data, 20)
    for p, q in zip(ours, reference):
        np.testing.assert_allclose(p.array, q.array, rtol=1e-12, atol=1e-14)


def test_a_torch_style_subclass_gets_its_closure_loss_with_grad_enabled():
    data = problem(1)
    params = _params(data)
    opt = HeavyBall(params)
    seen = []

    def closure():
        seen.append(torch.is_grad_enabled())
        opt.zero_grad()
        loss = gg_loss(params, data)
        loss.backward()
        return loss

    loss = opt.step(closure)
    assert seen == [True]
    assert float(loss) == pytest.approx(float(gg_loss(_params(data), data)))
    assert float(opt.step(closure)) < float(loss)


def test_a_torch_style_subclass_edits_in_place_so_a_retained_graph_refuses_a_backward():
    data = problem(2)
    params = _params(data)
    opt = HeavyBall(params)
    loss = gg_loss(params, data)
    loss.backward(retain_graph=True)
    opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_a_torch_style_subclass_saves_and_resumes_its_tensor_state():
    data = problem(3)
    straight = _params(data)
    _train(HeavyBall(straight), straight, data, 12)
    half = _params(data)
    opt = HeavyBall(half)
    _train(opt, half, data, 6)
    saved = opt.state_dict()
    assert isinstance(saved["state"][0]["momentum_buffer"], torch.Tensor)  # tensors, as torch's state_dict
    fresh = [Parameter(p.array.copy()) for p in half]
    opt2 = HeavyBall(fresh)
    opt2.load_state_dict(saved)
    assert isinstance(opt2.state[fresh[0]]["momentum_buffer"], torch.Tensor)  # its step does tensor arithmetic
    _train(opt2, fresh, data, 6)
    for p, q in zip(straight, fresh):
        np.testing.assert_array_equal(p.array, q.array)


def test_a_scheduler_drives_a_torch_style_subclass():
    data = problem(4)
    ours = _params(data)
    opt = HeavyBall(ours, lr=0.1)
    _train(opt, ours, data, 6, scheduler=optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5))
    reference = _params(data)
    sgd = optim.SGD(reference, lr=0.1, momentum=0.9)
    _train(sgd, reference, data, 6, scheduler=optim.lr_scheduler.StepLR(sgd, step_size=2, gamma=0.5))
    assert opt.param_groups[0]["lr"] == pytest.approx(0.0125)
    for p, q in zip(ours, reference):
        np.testing.assert_allclose(p.array, q.array, rtol=1e-12, atol=1e-14)


class SignSGD(optim.Optimizer):
    """The toy optimizer of optimizer.py's docstring, written on the template."""

    def __init__(self, params, lr=0.01, weight_decay=0.0, maximize=False):
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, maximize=maximize))

    def update(self, param, grad, state, group):
        param -= group["lr"] * np.sign(grad)


def test_a_template_subclass_writes_only_its_rule_and_gets_the_rest():
    w = Parameter(np.array([1.0, -2.0, 0.5]))
    frozen = Parameter(np.array([3.0]))
    opt = SignSGD([w, frozen], lr=torch.tensor(0.25), weight_decay=10.0, maximize=True)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    opt.step()
    # maximize: -2w; weight decay: + 10 w; the sign of 8 w is the sign of w; lr read from a tensor
    np.testing.assert_allclose(w.array, [0.75, -1.75, 0.25])
    np.testing.assert_array_equal(frozen.array, [3.0])  # no gradient: no step, no state
    assert not opt.state
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_a_subclass_with_neither_rule_nor_step_says_what_it_lacks():
    class Nothing(optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, dict(lr=0.1))

    w = Parameter(np.ones(2))
    w.grad = np.ones(2)
    with pytest.raises(NotImplementedError, match=r"Nothing must define its update rule.*or a step\(\) of its own"):
        Nothing([w]).step()


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "NAdam"])
def test_a_tensor_learning_rate_steps_as_the_same_float(name):
    data = problem(5)
    with_float, _ = gg_run(name, {"lr": 0.01}, data, 5)
    with_tensor, _ = gg_run(name, {"lr": torch.tensor(0.01, dtype=torch.float64)}, data, 5)
    for p, q in zip(with_float, with_tensor):
        np.testing.assert_array_equal(p.array, q.array)


def test_step_hooks_run_around_the_step_as_torch_calls_them():
    w = Parameter(np.array([1.0, 2.0]))
    w.grad = np.array([1.0, 1.0])
    opt = optim.SGD([w], lr=0.5)
    calls = []
    pre = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", args, kwargs, w.array.copy())))
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", args, kwargs, w.array.copy())))
    opt.step()
    assert [(kind, args, kwargs) for kind, args, kwargs, _ in calls] == [("pre", (opt,), {}), ("post", (opt,), {})]
    np.testing.assert_array_equal(calls[0][3], [1.0, 2.0])  # before the update
    np.testing.assert_array_equal(calls[1][3], [0.5, 1.5])  # after it
    pre.remove()
    calls.clear()
    opt.step()
    assert [kind for kind, *_ in calls] == ["post"]


def test_a_step_pre_hook_may_replace_the_closure_and_must_return_args_and_kwargs():
    w = Parameter(np.array([1.0]))
    w.grad = np.array([1.0])
    opt = optim.Adam([w])
    handle = opt.register_step_pre_hook(lambda o, args, kwargs: ((o, lambda: 7.0), {}))
    assert opt.step() == 7.0
    handle.remove()
    opt.register_step_pre_hook(lambda o, args, kwargs: 5)
    with pytest.raises(RuntimeError, match=r"must return None or a tuple of \(new_args, new_kwargs\), but got 5"):
        opt.step()


def test_lbfgs_runs_the_step_hooks_around_its_own_loop():
    data = problem(6)
    params = _params(data)
    opt = optim.LBFGS(params, lr=0.5, max_iter=3)
    seen = []
    opt.register_step_pre_hook(lambda o, args, kwargs: seen.append(("pre", len(args))))
    opt.register_step_post_hook(lambda o, args, kwargs: seen.append(("post", len(args))))

    def closure():
        opt.zero_grad()
        loss = gg_loss(params, data)
        loss.backward()
        return loss

    opt.step(closure)
    assert seen == [("pre", 2), ("post", 2)]


def test_a_torch_style_subclass_refuses_step_hooks_it_would_not_run():
    opt = HeavyBall([Parameter(np.ones(2))])
    with pytest.raises(NotImplementedError, match="HeavyBall has a step\\(\\) of its own, which runs no step hooks"):
        opt.register_step_pre_hook(lambda o, args, kwargs: None)


def test_a_sparse_parameter_is_refused_by_name():
    sparse = torch.sparse_coo_tensor(np.array([[0, 1], [1, 0]]), torch.tensor([1.0, 2.0]), (2, 2), requires_grad=True)
    with pytest.raises(NotImplementedError, match="SGD can't optimize a sparse tensor"):
        optim.SGD([sparse], lr=0.1)
