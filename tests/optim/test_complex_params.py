"""Complex parameters step as torch steps them: each number as its real and imaginary parts (view_as_real),
so Adam's g^2 and sqrt(v) act on the two parts apart; the state stays complex, shaped like the parameter."""

from __future__ import annotations

import numpy as np
import pytest

from glassgrad import optim
from glassgrad.nn import Parameter

CASES = [
    ("SGD", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.1}),
    ("Adam", {"lr": 0.1, "amsgrad": True}),
    ("AdamW", {"lr": 0.1, "maximize": True}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5}),
    ("Adagrad", {"lr": 0.1}),
    ("Adadelta", {"lr": 1.0}),
    ("Adamax", {"lr": 0.1}),
    ("NAdam", {"lr": 0.1}),
    ("RAdam", {"lr": 0.1}),
]


def _values_and_grads(seed: int = 0):
    rng = np.random.default_rng(seed)
    start = rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2))
    grads = [rng.standard_normal((3, 2)) + 1j * rng.standard_normal((3, 2)) for _ in range(4)]
    return start, grads


@pytest.mark.parametrize("name,kwargs", CASES, ids=[name for name, _ in CASES])
def test_complex_parameter_steps_as_torch(torch, name, kwargs):
    start, grads = _values_and_grads()
    ours = Parameter(start.copy())
    opt = getattr(optim, name)([ours], **kwargs)
    theirs = torch.nn.Parameter(torch.tensor(start.copy()))
    topt = getattr(torch.optim, name)([theirs], **kwargs)
    for g in grads:
        ours.grad = g
        theirs.grad = torch.tensor(g)
        opt.step()
        topt.step()
    np.testing.assert_allclose(ours.array, theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert all(value.dtype == np.complex128 and value.shape == (3, 2)
               for value in opt.state[ours].values() if hasattr(value, "shape"))


def test_lbfgs_refuses_complex_parameters():
    with pytest.raises(NotImplementedError, match="complex parameters"):
        optim.LBFGS([Parameter(np.ones(2) + 1j)])
