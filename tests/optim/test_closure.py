"""step(closure) for every optimizer: the closure runs with gradients on, its loss is returned, as torch;
zero_grad; a retained graph refuses a backward after step() changed the parameters."""

from __future__ import annotations

import numpy as np
import pytest

import glassgrad as gg
from glassgrad import optim
from glassgrad.nn import Parameter
from tests.optim.problem import gg_loss, problem, torch_loss

OPTIMIZERS = [
    ("SGD", {"lr": 0.05, "momentum": 0.9}),
    ("Adam", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01}),
    ("Adagrad", {"lr": 0.1}),
    ("Adadelta", {}),
    ("Adamax", {}),
    ("NAdam", {}),
    ("RAdam", {}),
    ("LBFGS", {"lr": 0.5, "max_iter": 3}),
]
IDS = [name for name, _ in OPTIMIZERS]


def _params(data):
    return [Parameter(data[k].copy()) for k in ("w1", "b1", "w2")]


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=IDS)
def test_step_returns_the_closure_loss_computed_with_grad_enabled(name, kwargs):
    data = problem()
    params = _params(data)
    opt = getattr(optim, name)(params, **kwargs)
    seen = []

    def closure():
        seen.append(gg.is_grad_enabled())
        opt.zero_grad()
        loss = gg_loss(params, data)
        loss.backward()
        return loss

    with gg.no_grad():  # even inside no_grad the closure builds a graph
        loss = opt.step(closure)
    assert isinstance(loss, gg.Tensor)
    assert seen and all(seen)
    assert float(loss) == pytest.approx(float(gg_loss([Parameter(data[k]) for k in ("w1", "b1", "w2")], data)))
    if name != "LBFGS":
        assert len(seen) == 1
        assert opt.step() is None  # without a closure: None, as torch


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=IDS)
def test_closure_losses_match_torch(torch, name, kwargs):
    data = problem(1)
    params = _params(data)
    opt = getattr(optim, name)(params, **kwargs)
    tparams = [torch.nn.Parameter(torch.tensor(data[k])) for k in ("w1", "b1", "w2")]
    topt = getattr(torch.optim, name)(tparams, **kwargs)

    def closure():
        opt.zero_grad()
        loss = gg_loss(params, data)
        loss.backward()
        return loss

    def torch_closure():
        topt.zero_grad()
        loss = torch_loss(torch, tparams, data)
        loss.backward()
        return loss

    for _ in range(5):
        assert float(opt.step(closure)) == pytest.approx(topt.step(torch_closure).item(), rel=1e-10)
    for p, q in zip(params, tparams):
        np.testing.assert_allclose(p.array, q.detach().numpy(), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("name,kwargs", OPTIMIZERS, ids=IDS)
def test_backward_through_a_retained_graph_after_step_raises(name, kwargs):
    data = problem(2)
    params = _params(data)
    opt = getattr(optim, name)(params, **kwargs)
    loss = gg_loss(params, data)
    loss.backward(retain_graph=True)

    def closure():
        opt.zero_grad()
        fresh = gg_loss(params, data)
        fresh.backward()
        return fresh

    if name == "LBFGS":
        opt.step(closure)
    else:
        opt.step()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        loss.backward()


def test_zero_grad_sets_to_none_by_default_or_fills_zeros():
    a = Parameter(np.ones(3))
    opt = optim.NAdam([a])
    a.grad = np.full(3, 2.0)
    grad = a.grad
    opt.zero_grad(set_to_none=False)
    assert a.grad is grad
    np.testing.assert_array_equal(a.grad.array, np.zeros(3))
    opt.zero_grad()
    assert a.grad is None
