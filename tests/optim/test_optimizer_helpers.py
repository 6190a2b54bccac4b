"""The helpers the optimizers share: decayed_grad, and the base's step template (init_state, update)."""

import numpy as np

import glassgrad as gg
from glassgrad.optim.optimizer import Optimizer, decayed_grad


def test_decayed_grad_adds_l2_decay_to_the_gradient_and_leaves_its_inputs_alone():
    param, grad = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    out = decayed_grad(param, grad, weight_decay=0.1)
    np.testing.assert_allclose(out, [0.6, 0.05])
    np.testing.assert_array_equal(param, [1.0, -2.0])
    np.testing.assert_array_equal(grad, [0.5, 0.25])


def test_decayed_grad_negates_when_maximizing_and_returns_grad_itself_when_nothing_applies():
    param, grad = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    np.testing.assert_allclose(decayed_grad(param, grad, weight_decay=0.1, maximize=True), [-0.4, -0.45])
    assert decayed_grad(param, grad, weight_decay=0) is grad


def test_decoupled_decay_shrinks_the_parameter_in_place_and_keeps_the_gradient():
    param, grad = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    out = decayed_grad(param, grad, weight_decay=0.1, decoupled=True, lr=0.5)
    np.testing.assert_array_equal(out, grad)
    np.testing.assert_allclose(param, [0.95, -1.9])


class _Counting(Optimizer):
    """A toy optimizer written on the template: p -= lr * g, counting steps in ``state`` like the real ones."""

    def __init__(self, params):
        super().__init__(params, dict(lr=0.1))

    def init_state(self, param, group):
        return {"step": 0, "start": 7, "total": np.zeros_like(param)}

    def update(self, param, grad, state, group):
        state["total"] += grad
        param -= group["lr"] * grad


def test_step_state_is_made_on_the_first_step_and_counts_steps():
    w = gg.nn.Parameter(gg.tensor(np.array([1.0, 2.0])))
    unused = gg.nn.Parameter(gg.tensor(np.array([3.0])))
    opt = _Counting([w, unused])
    for _ in range(3):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    assert unused not in opt.state  # no gradient, so never stepped and no state
    state = opt.state[w]
    assert list(state) == ["step", "start", "total"]
    assert state["step"] == 3 and state["start"] == 7
    assert state["total"].shape == (2,)
