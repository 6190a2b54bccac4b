"""``Optimizer.load_state_dict`` refuses a bad state when it is loaded, not at the next ``step()``."""

from __future__ import annotations

import pytest

import glassgrad as gg
from glassgrad import nn, optim

OPTIMIZERS = [
    (optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    (optim.Adam, {}),
    (optim.Adam, {"amsgrad": True}),
    (optim.AdamW, {}),
    (optim.Adamax, {}),
    (optim.NAdam, {}),
    (optim.RAdam, {}),
    (optim.RMSprop, {"momentum": 0.9, "centered": True}),
    (optim.Adagrad, {}),
    (optim.Adadelta, {}),
]


def _stepped(make: type, options: dict, *shapes: tuple[int, ...]) -> optim.Optimizer:
    params = [nn.Parameter(gg.ones(*shape)) for shape in shapes]
    opt = make(params, **options)
    for p in params:
        p.grad = gg.ones(*p.shape)
    opt.step()
    return opt


@pytest.mark.parametrize("make, options", OPTIMIZERS, ids=lambda v: getattr(v, "__name__", ""))
def test_state_of_another_shape_is_refused_at_load(make, options):
    saved = _stepped(make, options, (3,)).state_dict()
    target = make([nn.Parameter(gg.ones(2))], **options)
    before = target.state_dict()
    with pytest.raises(ValueError, match=rf"{make.__name__}.load_state_dict: state '\w+' of parameter 0 has shape "
                                         r"\(3,\), but the parameter has shape \(2,\)"):
        target.load_state_dict(saved)
    after = target.state_dict()  # nothing half-loaded (Adagrad makes its state up front, the others lazily)
    assert after["state"].keys() == before["state"].keys()
    for index, slots in before["state"].items():
        assert {k: repr(v) for k, v in slots.items()} == {k: repr(v) for k, v in after["state"][index].items()}


@pytest.mark.parametrize("make, options", OPTIMIZERS, ids=lambda v: getattr(v, "__name__", ""))
def test_state_of_the_right_shapes_still_loads_and_steps(make, options):
    saved = _stepped(make, options, (2, 3), (3,)).state_dict()
    again = _stepped(make, options, (2, 3), (3,))
    again.load_state_dict(saved)
    again.step()


def test_lbfgs_flat_state_is_not_a_shape_error():
    w = nn.Parameter(gg.ones(2, 2))
    opt = optim.LBFGS([w], max_iter=2)

    def closure():
        opt.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    fresh = optim.LBFGS([nn.Parameter(gg.ones(2, 2))], max_iter=2)
    fresh.load_state_dict(opt.state_dict())


@pytest.mark.parametrize("state_dict, error, pattern", [
    (None, TypeError, r"load_state_dict: expected a dict.*NoneType"),
    ({"foo": 1}, ValueError, r"load_state_dict: .*'param_groups'"),
    ({"state": {}, "param_groups": [{"lr": 0.1}]}, ValueError, r"load_state_dict: saved group 0 has no 'params'"),
    ({"state": {}, "param_groups": [{"params": [0], "lr": float("nan")}]}, ValueError,
     r"Invalid learning rate: nan"),
    ({"state": {5: {"step": 1}}, "param_groups": [{"params": [0], "lr": 0.1}]}, ValueError,
     r"parameter index 5, which no group holds"),
])
def test_malformed_state_dicts_name_the_problem(state_dict, error, pattern):
    with pytest.raises(error, match=pattern):
        optim.SGD([nn.Parameter(gg.ones(2))], lr=0.1).load_state_dict(state_dict)


def _slots(make: type, options: dict) -> set[str]:
    return set(_stepped(make, options, (2,)).state_dict()["state"][0])


@pytest.mark.parametrize("saver, saver_options", OPTIMIZERS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("make, options", OPTIMIZERS, ids=lambda v: getattr(v, "__name__", ""))
def test_state_of_another_kind_of_optimizer_is_refused_at_load(saver, saver_options, make, options):
    """Adam's state into SGD(momentum) (which torch only notices at step) or SGD's into Adam (a bare KeyError)."""
    saved = _stepped(saver, saver_options, (2,)).state_dict()
    target = _stepped(make, options, (2,))
    # the same slots (Adam and RAdam), or one family whose saved hyper-parameters (amsgrad) carry over: it loads
    if _slots(saver, saver_options) == _slots(make, options) or issubclass(make, saver) or issubclass(saver, make):
        target.load_state_dict(saved)
        target.step()
        return
    before = repr(target.state_dict())
    with pytest.raises(ValueError) as caught:
        target.load_state_dict(saved)
    message = str(caught.value)
    assert message.startswith(f"{make.__name__}.load_state_dict: parameter 0's saved state is the state of ")
    assert saver.__name__ in message and ("missing '" in message or "unexpected '" in message)
    assert repr(target.state_dict()) == before  # nothing half-loaded


def test_the_message_names_the_missing_and_unexpected_slots():
    adam_state = _stepped(optim.Adam, {}, (2,)).state_dict()
    with pytest.raises(ValueError, match=r"SGD.load_state_dict: parameter 0's saved state is the state of Adam, "
                                         r"AdamW or RAdam, not SGD's: missing 'momentum_buffer'; unexpected "
                                         r"'exp_avg', 'exp_avg_sq', 'step'"):
        optim.SGD([nn.Parameter(gg.ones(2))], lr=0.1, momentum=0.9).load_state_dict(adam_state)
    sgd_state = _stepped(optim.SGD, {"lr": 0.1, "momentum": 0.9}, (2,)).state_dict()
    with pytest.raises(ValueError, match=r"Adam.load_state_dict: .* the state of SGD, not Adam's: missing "
                                         r"'exp_avg', 'exp_avg_sq', 'step'; unexpected 'momentum_buffer'"):
        optim.Adam([nn.Parameter(gg.ones(2))]).load_state_dict(sgd_state)
    # the saved hyper-parameters count: SGD(momentum=0.9)'s state fits a plain SGD, which takes its momentum
    plain = optim.SGD([nn.Parameter(gg.ones(2))], lr=0.1)
    plain.load_state_dict(sgd_state)
    assert plain.param_groups[0]["momentum"] == 0.9
    # a state saved before the first step is empty and fits every optimizer
    optim.Adam([nn.Parameter(gg.ones(2))]).load_state_dict(optim.SGD([nn.Parameter(gg.ones(2))], lr=0.1).state_dict())
